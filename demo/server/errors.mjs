// Errors that map one-to-one onto the protocol's error object and an HTTP status.

/**
 * @typedef {'invalid' | 'unauthorized' | 'locked' | 'not_found' | 'too_large' | 'rate_limited' | 'internal'}
 *   ErrorCode
 */

export class ProtocolError extends Error {
  /**
   * @param {number} status
   * @param {ErrorCode} code
   * @param {string} message
   * @param {{ fields?: Record<string, string>, headers?: Record<string, string> }} [extra]
   */
  constructor(status, code, message, { fields, headers } = {}) {
    super(message);
    this.name = 'ProtocolError';
    this.status = status;
    this.code = code;
    this.fields = fields;
    this.headers = headers;
  }

  /** The protocol's `{ error: { code, message, fields? } }` answer body. */
  toBody() {
    const { code, message, fields } = this;
    return { error: fields ? { code, message, fields } : { code, message } };
  }
}

/** @param {string} message @param {Record<string, string>} [fields] */
export const invalid = (message, fields) => new ProtocolError(400, 'invalid', message, { fields });

export const unauthorized = (message = 'A valid edit token is required') =>
  new ProtocolError(401, 'unauthorized', message);

/** Known but not allowed: a closed edit window, a foreign origin, an admin-only action. */
export const forbidden = (/** @type {string} */ message) => new ProtocolError(403, 'unauthorized', message);

export const locked = () => new ProtocolError(403, 'locked', 'This thread is locked');

export const notFound = (message = 'Not found') => new ProtocolError(404, 'not_found', message);

/** @param {string[]} allowed */
export const methodNotAllowed = (allowed) =>
  new ProtocolError(405, 'invalid', 'Method not allowed', { headers: { Allow: allowed.join(', ') } });

// The rest of an oversized body is not worth reading, so the connection is dropped after answering.
/** @param {number} limit */
export const tooLarge = (limit) =>
  new ProtocolError(413, 'too_large', `The request body is larger than ${limit} bytes`, {
    headers: { Connection: 'close' },
  });

/** @param {number} retryAfterSeconds */
export const rateLimited = (retryAfterSeconds) =>
  new ProtocolError(429, 'rate_limited', 'Too many changes at once; try again in a moment', {
    headers: { 'Retry-After': String(retryAfterSeconds) },
  });
