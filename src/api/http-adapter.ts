// The Confab protocol over HTTP with ky. Every answer goes through the validator; every failure
// becomes a ConfabError with a message a person can read. Never touches the DOM.
import ky, { HTTPError, type KyInstance } from 'ky';
import { yieldToBrowser } from '../scheduler';
import { ConfabError } from '../errors';
import type { CallOptions, FullAdapter, ListQuery, LiveEventType, LiveHandlers, NewComment, VoteValue } from '../types';
import { markValidated } from './guard-adapter';
import {
  ShapeError,
  parseComment,
  parseCommentAnswer,
  parseCounts,
  parseErrorBody,
  parsePage,
  parsePosted,
  parseScore,
} from './validate';

export interface HttpAdapterOptions {
  /** Base URL of the protocol, such as `https://comments.example.com/api`. */
  endpoint: string;
  /** Milliseconds per attempt before giving up. */
  timeout?: number;
  /** Extra attempts for reads (GET) that failed on the network or with 408/429/5xx. */
  retries?: number;
  /** For tests and exotic runtimes. */
  fetch?: typeof globalThis.fetch;
}

export const DEFAULT_TIMEOUT = 10_000;
/** Longer waits are not worth a spinner: the reader gets a Retry button and the wait instead. */
const MAX_RETRY_AFTER_MS = 5_000;

const segment = (value: string) => encodeURIComponent(value);
const commentsPath = (threadId: string) => `threads/${segment(threadId)}/comments`;

function retryAfterSeconds(response: Response): number | undefined {
  const header = response.headers.get('Retry-After');
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const date = Date.parse(header);
  return Number.isFinite(date) ? Math.max(0, Math.ceil((date - Date.now()) / 1000)) : undefined;
}

function describeNonJson(text: string): string {
  if (text.trim() === '') return 'The comment server sent an empty answer.';
  if (/^\s*</.test(text)) return 'The comment server sent a web page instead of data (is the endpoint right?).';
  return 'The comment server sent an answer that is not JSON.';
}

/** Bodies above this many characters (about 2,500 comments) get a task of their own for checking. */
const BIG_BODY = 1024 * 1024;

export async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new ConfabError('invalid-response', describeNonJson(text), { status: response.status, cause });
  }
  // Parsing megabytes and then checking thousands of comments would be one long task.
  if (text.length > BIG_BODY) await yieldToBrowser();
  return json;
}

async function httpError(response: Response): Promise<ConfabError> {
  let body: unknown = null;
  try {
    body = JSON.parse(await response.text());
  } catch {
    // An HTML error page or an empty body: the status alone has to speak.
  }
  const parsed = parseErrorBody(body);
  const status = response.status;
  const message = parsed.message ?? `The comment server answered with status ${status}.`;
  return new ConfabError('http', message, {
    status,
    serverCode: parsed.code ?? undefined,
    fields: parsed.fields,
    retryAfter: retryAfterSeconds(response),
  });
}

/** Whatever ky, fetch or the validator threw → a ConfabError with a message for people. */
export async function toError(error: unknown): Promise<ConfabError> {
  if (error instanceof ConfabError) return error;
  if (error instanceof HTTPError) return httpError(error.response);
  if (error instanceof ShapeError) {
    return new ConfabError('invalid-response', `The comment server sent data we cannot use: ${error.message}.`, { cause: error });
  }
  const name = error instanceof Error ? error.name : '';
  if (name === 'TimeoutError') {
    return new ConfabError('timeout', 'The comment server did not answer in time.', { cause: error });
  }
  if (name === 'AbortError') return new ConfabError('network', 'The request was cancelled.', { cause: error });
  return new ConfabError('network', 'Could not reach the comment server.', { cause: error });
}

function shouldRetry({ error }: { error: Error }): boolean | undefined {
  if (error instanceof HTTPError) {
    const wait = retryAfterSeconds(error.response);
    if (wait !== undefined && wait * 1000 > MAX_RETRY_AFTER_MS) return false;
  }
  return undefined; // ky's defaults decide: status codes, method, attempts
}

const LIVE_EVENTS: LiveEventType[] = ['comment.created', 'comment.updated', 'comment.deleted'];

/** One Server-Sent Events connection; malformed events are dropped at this boundary. */
function subscribe(url: string, handlers: LiveHandlers): () => void {
  if (typeof EventSource === 'undefined') {
    handlers.onError();
    return () => {};
  }
  const source = new EventSource(url);
  source.onopen = () => handlers.onOpen();
  // EventSource would retry on its own schedule; the widget wants its own backoff and catch-up.
  source.onerror = () => {
    source.close();
    handlers.onError();
  };
  for (const type of LIVE_EVENTS) {
    source.addEventListener(type, (event) => {
      let comment = null;
      try {
        comment = parseComment(JSON.parse((event as MessageEvent<string>).data));
      } catch {
        // Not JSON: nothing to show.
      }
      if (comment) handlers.onEvent(type, comment);
    });
  }
  return () => source.close();
}

export function createHttpAdapter(options: HttpAdapterOptions): FullAdapter {
  const prefixUrl = options.endpoint.replace(/\/+$/, '') + '/';
  const api: KyInstance = ky.create({
    prefixUrl,
    timeout: options.timeout ?? DEFAULT_TIMEOUT,
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
    credentials: 'omit',
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });

  const timeout = options.timeout ?? DEFAULT_TIMEOUT;

  /**
   * One request: ky's timeout covers the wait for headers; a body that trickles in forever
   * gets the same time again, then is cut off as a timeout.
   */
  async function call<T>(
    request: (signal: AbortSignal) => Promise<Response>,
    parse: (json: unknown) => T,
    outer?: CallOptions,
  ): Promise<T> {
    // One signal for both the caller's cancel and our deadline (AbortSignal.any is too new to
    // rely on: forwarding the caller's abort works everywhere).
    const reading = new AbortController();
    const cancel = () => reading.abort(outer?.signal?.reason);
    if (outer?.signal?.aborted) cancel();
    outer?.signal?.addEventListener('abort', cancel, { once: true });
    const signal = reading.signal;
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const response = await request(signal);
      timer = setTimeout(() => reading.abort(new DOMException('The answer took too long.', 'TimeoutError')), timeout);
      return parse(await readJson(response));
    } catch (error) {
      throw await toError(reading.signal.aborted ? reading.signal.reason : error);
    } finally {
      clearTimeout(timer);
      outer?.signal?.removeEventListener('abort', cancel);
    }
  }

  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

  return markValidated({
    list: (threadId: string, query: ListQuery, call_?: CallOptions) => {
      const searchParams: Record<string, string | number> = { sort: query.sort, limit: query.limit };
      if (query.cursor) searchParams.cursor = query.cursor;
      return call(
        (signal) => api.get(commentsPath(threadId), { searchParams, signal }),
        (json) => parsePage(json, threadId),
        call_,
      );
    },
    post: (threadId: string, input: NewComment, idempotencyKey: string, call_?: CallOptions) =>
      call(
        (signal) => api.post(commentsPath(threadId), { json: input, headers: { 'Idempotency-Key': idempotencyKey }, signal }),
        parsePosted,
        call_,
      ),
    edit: (threadId: string, id: string, body: string, token: string, call_?: CallOptions) =>
      call(
        (signal) => api.patch(`${commentsPath(threadId)}/${segment(id)}`, { json: { body }, headers: bearer(token), signal }),
        parseCommentAnswer,
        call_,
      ),
    remove: (threadId: string, id: string, token: string, call_?: CallOptions) =>
      call(
        (signal) => api.delete(`${commentsPath(threadId)}/${segment(id)}`, { headers: bearer(token), signal }),
        parseCommentAnswer,
        call_,
      ),
    vote: (threadId: string, id: string, value: VoteValue, voterId: string, call_?: CallOptions) =>
      call(
        (signal) => api.post(`${commentsPath(threadId)}/${segment(id)}/votes`, { json: { value }, headers: { 'X-Voter': voterId }, signal }),
        parseScore,
        call_,
      ),
    subscribe: (threadId: string, handlers: LiveHandlers) => subscribe(`${prefixUrl}threads/${segment(threadId)}/events`, handlers),
    counts: (threadIds: string[], call_?: CallOptions) =>
      call(
        (signal) => api.get('counts', { searchParams: threadIds.map((id) => ['thread', id]), signal }),
        parseCounts,
        call_,
      ),
  });
}
