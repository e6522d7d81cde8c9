// What the four server adapters share: their transport options, one ky client set up the same
// way (reads retried, nothing else), HTTP statuses mapped to the protocol's error codes, and
// the error for a server that did not answer at all.
import ky, { type KyInstance } from 'ky';
import { ConfabError } from '../errors';

export interface ServerClientOptions {
  /** Milliseconds per request attempt (default 10 s). */
  timeout?: number;
  /** Extra attempts for reads that failed on the network or with 408/429/5xx (default 2). */
  retries?: number;
  /** For tests and exotic runtimes. */
  fetch?: typeof globalThis.fetch;
}

// Server answers are loose JSON; each adapter checks the shape it relies on.
export type Json = Record<string, any>;

export const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** HTTP status → the protocol's error code (ConfabError.serverCode). */
export const CODES: Record<number, string> = { 400: 'invalid', 401: 'unauthorized', 403: 'unauthorized', 404: 'not_found', 413: 'too_large', 429: 'rate_limited' };

export function serverClient(prefixUrl: string, options: ServerClientOptions, credentials: RequestCredentials = 'omit'): KyInstance {
  return ky.create({
    prefixUrl,
    timeout: options.timeout ?? 10_000,
    retry: { limit: options.retries ?? 2, methods: ['get'], backoffLimit: 4_000, maxRetryAfter: 5_000 },
    credentials,
    fetch: options.fetch,
  });
}

/** No answer at all from `server`: a timeout or a network failure, said in its name. */
export function unreachable(server: string, error: unknown): ConfabError {
  const timeout = (error as Error)?.name === 'TimeoutError';
  return new ConfabError(timeout ? 'timeout' : 'network', timeout ? `${server} did not answer in time.` : `Could not reach ${server}.`, { cause: error });
}
