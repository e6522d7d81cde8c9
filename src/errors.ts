// The one error type Confab hands to host pages; `code` doubles as the i18n key `error.<code>`.

export type ConfabErrorCode =
  | 'network' // no answer at all: offline, DNS, CORS, connection reset
  | 'timeout' // no answer within the configured time
  | 'offline' // the browser says it has no network: nothing was sent
  | 'http' // an answer with a non-2xx status; see `status` and `serverCode`
  | 'invalid-response' // a 2xx answer we cannot use: not JSON, wrong shape
  | 'config'; // bad options passed by the host page

/**
 * The protocol's error codes, from an error answer's body (docs/protocol.md). `duplicate`: the
 * same comment was just posted and this one was not stored; `banned`: this reader may not
 * comment on the site. A server may send codes of its own, kept as they came.
 */
export type ServerErrorCode =
  | 'invalid'
  | 'unauthorized'
  | 'locked'
  | 'not_found'
  | 'duplicate'
  | 'banned'
  | 'too_large'
  | 'rate_limited'
  | 'internal'
  | (string & {});

export interface ConfabErrorDetails {
  status?: number;
  /** The protocol's error code from the body, such as `invalid`, `duplicate` or `banned`. */
  serverCode?: ServerErrorCode;
  /** Per-field messages from a 400 answer, keyed by request field (`body`, `name`...). */
  fields?: Record<string, string>;
  /** Seconds to wait before trying again, from `Retry-After`. */
  retryAfter?: number;
  cause?: unknown;
}

export class ConfabError extends Error {
  override readonly name = 'ConfabError';
  readonly code: ConfabErrorCode;
  readonly status: number | undefined;
  readonly serverCode: ServerErrorCode | undefined;
  readonly fields: Readonly<Record<string, string>>;
  readonly retryAfter: number | undefined;

  constructor(code: ConfabErrorCode, message: string, details: ConfabErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.status = details.status;
    this.serverCode = details.serverCode;
    this.fields = details.fields ?? {};
    this.retryAfter = details.retryAfter;
  }
}

/** Matches by name rather than instanceof, so it works across bundles and realms. */
export function isConfabError(value: unknown): value is ConfabError {
  return value instanceof Error && value.name === 'ConfabError' && 'code' in value;
}

/** Turns anything thrown into a ConfabError without losing the original as `cause`. */
export function toConfabError(value: unknown): ConfabError {
  if (isConfabError(value)) return value;
  const message = value instanceof Error ? value.message : String(value);
  return new ConfabError('network', message || 'Request failed', { cause: value });
}
