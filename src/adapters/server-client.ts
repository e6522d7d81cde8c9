// The adapter transport: what the Confab protocol client (api/http-adapter.ts) and the four
// server adapters share. One ky client set up one way (reads retried, nothing else; long waits
// refused), one request wrapper (the caller's cancel, a deadline for a body that trickles in),
// one mapping of whatever a request threw to a ConfabError, the token resolver and the answer
// to a delete. What each server says in its error answers is its own: it passes a `refusal`.
//
// The script-tag bundle carries this module through the protocol client: keep what only the
// server adapters need in functions of their own, so that the bundler can leave them out.
import ky, { HTTPError, type KyInstance, type Options } from 'ky';
import { yieldToBrowser } from '../scheduler';
import { ConfabError, isConfabError } from '../errors';
import type { CallOptions } from '../types';
import type { WireComment } from '../api/wire';
import { isObject as isPlainObject } from '../util/values';

export interface ServerClientOptions {
  /** Milliseconds per request attempt (default 10 s); a body gets the same time again. */
  timeout?: number;
  /** Extra attempts for reads (GET) that failed on the network or with 408/429/5xx (default 2). */
  retries?: number;
  /** For tests and exotic runtimes. */
  fetch?: typeof globalThis.fetch;
}

export const DEFAULT_TIMEOUT = 10_000;
/** Longer waits are not worth a spinner: the reader gets a Retry button and the wait instead. */
const MAX_RETRY_AFTER_MS = 5_000;

/** `Retry-After` in seconds (it may be a number or a date), or undefined without one. */
export function retryAfterSeconds(response: Response): number | undefined {
  const header = response.headers.get('Retry-After');
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const date = Date.parse(header);
  return Number.isFinite(date) ? Math.max(0, Math.ceil((date - Date.now()) / 1000)) : undefined;
}

function shouldRetry({ error }: { error: Error }): boolean | undefined {
  if (error instanceof HTTPError) {
    const wait = retryAfterSeconds(error.response);
    if (wait !== undefined && wait * 1000 > MAX_RETRY_AFTER_MS) return false;
  }
  return undefined; // ky's defaults decide: status codes, method, attempts
}

/** A non-2xx answer → the ConfabError that says why, in the server's own words when it has some. */
export type Refusal = (response: Response) => ConfabError | Promise<ConfabError>;

export interface TransportOptions extends ServerClientOptions {
  /** Where every path starts, ending with `/`. */
  prefixUrl: string;
  /** Who answers, for messages: "Could not reach Isso." (`the comment server` is capitalized where it starts one). */
  server: string;
  refusal: Refusal;
  /** `include` only for a server whose own cookie proves authorship (Isso). */
  credentials?: RequestCredentials;
}

/** Whatever ky or fetch threw for a request (or a refused answer) → a ConfabError a person can read. */
export async function requestFailure(error: unknown, server: string, refusal: Refusal): Promise<ConfabError> {
  if (isConfabError(error)) return error;
  if (error instanceof HTTPError) return refusal(error.response);
  const name = (error as Error | null)?.name;
  if (name === 'TimeoutError') {
    return new ConfabError('timeout', `${server[0]!.toUpperCase()}${server.slice(1)} did not answer in time.`, { cause: error });
  }
  if (name === 'AbortError') return new ConfabError('network', 'The request was cancelled.', { cause: error });
  return new ConfabError('network', `Could not reach ${server}.`, { cause: error });
}

/** One request: path and ky options in, what `read` makes of the answer out; rejects with a ConfabError. */
export type Transport = <T>(
  path: string,
  init: Options,
  call: CallOptions | undefined,
  read: (response: Response) => Promise<T>,
) => Promise<T>;

export function createTransport(options: TransportOptions): Transport {
  const timeout = options.timeout ?? DEFAULT_TIMEOUT;
  const api: KyInstance = ky.create({
    prefixUrl: options.prefixUrl,
    timeout,
    // Only reads are retried: a repeated POST would be a second comment unless the key matches,
    // and the store re-sends posts itself, with the same key, when the reader asks.
    retry: {
      limit: options.retries ?? 2,
      methods: ['get'],
      statusCodes: [408, 429, 500, 502, 503, 504],
      afterStatusCodes: [429, 503],
      backoffLimit: 4_000,
      // ky also waits on RateLimit-Reset and X-RateLimit-Reset (even epoch timestamps), which
      // shouldRetry does not read: cap every such wait too.
      maxRetryAfter: MAX_RETRY_AFTER_MS,
      shouldRetry,
    },
    credentials: options.credentials ?? 'omit',
    fetch: options.fetch,
  });

  // ky's timeout covers the wait for headers; a body that trickles in forever gets the same time
  // again, then is cut off as a timeout.
  return async (path, init, call, read) => {
    // One signal for both the caller's cancel and our deadline (AbortSignal.any is too new to
    // rely on: forwarding the caller's abort works everywhere).
    const reading = new AbortController();
    const cancel = () => reading.abort(call?.signal?.reason);
    if (call?.signal?.aborted) cancel();
    call?.signal?.addEventListener('abort', cancel, { once: true });
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const response = await api(path, { ...init, signal: reading.signal });
      timer = setTimeout(() => reading.abort(new DOMException('The answer took too long.', 'TimeoutError')), timeout);
      return await read(response);
    } catch (error) {
      throw await requestFailure(reading.signal.aborted ? reading.signal.reason : error, options.server, options.refusal);
    } finally {
      clearTimeout(timer);
      call?.signal?.removeEventListener('abort', cancel);
    }
  };
}

/** Bodies above this many characters (about 2,500 comments) get a task of their own for checking. */
export const BIG_BODY = 1024 * 1024;

// Server answers are loose JSON in each server's own format. Each adapter reads it field by field,
// checked before use (`any` there, not `unknown` at every step), and hands on wire data
// (api/wire.ts) for the boundary validator.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = Record<string, any>;

/** util's isObject, narrowing to a server's loose JSON. */
export const isObject = isPlainObject as (value: unknown) => value is Json;

/** HTTP status → the protocol's error code (ConfabError.serverCode). */
export const CODES: Record<number, string> = {
  400: 'invalid',
  401: 'unauthorized',
  403: 'unauthorized',
  404: 'not_found',
  413: 'too_large',
  429: 'rate_limited',
};

/** The answer's JSON, or null when it is none (the adapter then says it cannot use it). */
export async function readLooseJson(response: Response): Promise<unknown> {
  const text = await response.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    // An HTML page or an empty body: not an answer the adapter can use.
  }
  // Parsing megabytes and then checking thousands of comments would be one long task.
  if (text.length > BIG_BODY) await yieldToBrowser();
  return json;
}

/** What `parse` makes of a server's answer; null from it means the answer cannot be used. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as Json above
export type AnswerParser<T> = (json: any, response: Response) => T | null | undefined;

/** The server adapters' request: the answer's JSON through `parse`, refused when it gives nothing. */
export function jsonCaller(send: Transport, server: string) {
  return <T>(path: string, init: Options, call: CallOptions | undefined, parse: AnswerParser<T>): Promise<T> =>
    send(path, init, call, async (response) => {
      const result = parse(await readLooseJson(response), response);
      if (result == null)
        throw new ConfabError('invalid-response', `${server} sent an answer we cannot use.`, { status: response.status });
      return result;
    });
}

/** A token option (a string, or a function that reads the current one) → its value now, or null. */
export const tokenReader = (token: string | (() => string | null | undefined) | undefined) => (): string | null =>
  (typeof token === 'function' ? token() : token) || null;

/**
 * A delete's answer: the comment as the server sent it back, marked deleted (the server said
 * yes), or only its id when the server sends none (Isso once nothing refers to it, Waline).
 */
export const deletedAnswer = (id: string, answer: WireComment | null): WireComment => ({
  ...(answer ?? { id }),
  status: 'deleted',
});
