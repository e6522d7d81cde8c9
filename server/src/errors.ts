// Errors that map one-to-one onto the protocol's error object and an HTTP status.

export type ErrorCode =
  | 'invalid'
  | 'unauthorized'
  | 'locked'
  | 'not_found'
  | 'duplicate'
  | 'conflict'
  | 'banned'
  | 'too_large'
  | 'rate_limited'
  | 'internal'
  | 'sso_invalid'
  | 'sso_expired'
  | 'sso_required';

export class ProtocolError extends Error {
  // `declare`: set in the constructor as before, without class-field definitions ahead of it.
  declare readonly status: number;
  declare readonly code: ErrorCode;
  declare readonly fields?: Record<string, string>;
  declare readonly headers?: Record<string, string>;
  /**
   * The moderation API's finer cause (docs/admin-api.md, Errors): a stable name the dashboard
   * words in its language (`moderator-exists`), where `message` is English for scripts and logs.
   */
  declare readonly reason?: string;

  constructor(
    status: number,
    code: ErrorCode,
    message: string,
    { fields, headers, reason }: { fields?: Record<string, string>; headers?: Record<string, string>; reason?: string } = {},
  ) {
    super(message);
    this.name = 'ProtocolError';
    this.status = status;
    this.code = code;
    this.fields = fields;
    this.headers = headers;
    this.reason = reason;
  }

  /** The protocol's `{ error: { code, message, fields? } }` answer body (the admin API's with `reason`). */
  toBody() {
    const { code, message, fields, reason } = this;
    return { error: { code, ...(reason ? { reason } : {}), message, ...(fields ? { fields } : {}) } };
  }

  /** The same error with the moderation API's `reason`. */
  because(reason: string): ProtocolError {
    const { fields, headers } = this;
    return new ProtocolError(this.status, this.code, this.message, { fields, headers, reason });
  }
}

export const invalid = (message: string, fields?: Record<string, string>, reason?: string) =>
  new ProtocolError(400, 'invalid', message, { fields, reason });

export const unauthorized = (message = 'A valid edit token is required', reason?: string) =>
  new ProtocolError(401, 'unauthorized', message, { reason });

/** Known but not allowed: a closed edit window, a foreign origin, an admin-only action. */
export const forbidden = (message: string, reason?: string) => new ProtocolError(403, 'unauthorized', message, { reason });

export const locked = () => new ProtocolError(403, 'locked', 'This thread is locked');

export const notFound = (message = 'Not found', reason?: string) => new ProtocolError(404, 'not_found', message, { reason });

/** The same comment again from the same client in the same thread, within minutes: nothing stored. */
export const duplicate = () => new ProtocolError(409, 'duplicate', 'You already posted this comment');

/** A banned commenter (by email or client address): nothing stored. */
export const banned = () => new ProtocolError(403, 'banned', 'You cannot comment on this site');

export const methodNotAllowed = (allowed: string[]) =>
  new ProtocolError(405, 'invalid', 'Method not allowed', { headers: { Allow: allowed.join(', ') } });

// The rest of an oversized body is not worth reading, so the connection is dropped after answering.
export const tooLarge = (limit: number) =>
  new ProtocolError(413, 'too_large', `The request body is larger than ${limit} bytes`, {
    headers: { Connection: 'close' },
  });

export const rateLimited = (retryAfterSeconds: number) =>
  new ProtocolError(429, 'rate_limited', 'Too many changes at once; try again in a moment', {
    headers: { 'Retry-After': String(retryAfterSeconds) },
  });

export const tooManyStreams = () =>
  new ProtocolError(429, 'rate_limited', 'Too many open event streams from this address', {
    headers: { 'Retry-After': '60' },
  });

/** A request that reached an instance on its way down: the client tries again (another instance). */
export const shuttingDown = () =>
  new ProtocolError(503, 'internal', 'The server is restarting; try again in a moment', {
    headers: { 'Retry-After': '1' },
  });

/** A Confab-User token that is not valid: signature, algorithm, claims, or no SSO_SECRET here. */
export const ssoInvalid = (message: string) => new ProtocolError(401, 'sso_invalid', message);

/** A Confab-User token whose time is up: the site signs a new one. */
export const ssoExpired = () => new ProtocolError(401, 'sso_expired', 'The sign-in has expired; sign in again');

/** GUESTS=off and a post without a valid Confab-User token: nothing stored. */
export const ssoRequired = () => new ProtocolError(401, 'sso_required', 'Sign in to comment');

/** Something with the same unique key exists already (a moderator's email). */
export const conflict = (message: string, reason?: string) => new ProtocolError(409, 'conflict', message, { reason });

/** Too many failed sign-ins from one client or for one email. */
export const tooManySignIns = (retryAfterSeconds: number) =>
  new ProtocolError(429, 'rate_limited', 'Too many failed sign-ins; try again later', {
    headers: { 'Retry-After': String(retryAfterSeconds) },
    reason: 'sign-in-limit',
  });
