// Edit tokens, the admin token and idempotency keys: what is stored is never what was handed out.
//
//   const token = newEditToken();            // 256 random bits, given to the author once
//   const hash = hashSecret(token);          // what the database keeps
//   secretMatches(given, hash);              // constant-time comparison
//   const sealed = sealForReplay(token, key); // only the holder of the Idempotency-Key opens it
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const TOKEN_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export const newEditToken = () => randomBytes(TOKEN_BYTES).toString('base64url');

export const newId = (prefix: string) => `${prefix}_${randomBytes(12).toString('base64url')}`;

/** @param purpose separates the hashes of one secret used twice */
const digest = (secret: string, purpose = '') => createHash('sha256').update(`${purpose}\0${secret}`).digest();

export const hashSecret = (secret: string) => digest(secret, 'token').toString('base64url');

/**
 * Compares the hash of `given` with a stored hash without leaking, through timing, how much
 * of it matched.
 */
export function secretMatches(given: unknown, storedHash: string | null | undefined) {
  if (typeof given !== 'string' || !storedHash) return false;
  const a = Buffer.from(hashSecret(given));
  const b = Buffer.from(storedHash);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * How an Idempotency-Key is looked up. A different purpose than the sealing key below, so the
 * stored lookup hash cannot open the sealed token.
 */
export const hashIdempotencyKey = (key: string) => digest(key, 'idempotency-lookup').toString('base64url');

/**
 * The edit token encrypted with a key derived from the Idempotency-Key, so that a retried post
 * gets its token back even after a restart, while the database alone cannot reveal it.
 */
export function sealForReplay(token: string, idempotencyKey: string) {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', digest(idempotencyKey, 'idempotency-seal'), iv);
  const sealed = Buffer.concat([cipher.update(token, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64url');
}

/** @returns the token, or null when it cannot be opened */
export function openReplay(sealed: string | null, idempotencyKey: string): string | null {
  if (!sealed) return null;
  const data = Buffer.from(sealed, 'base64url');
  try {
    const decipher = createDecipheriv('aes-256-gcm', digest(idempotencyKey, 'idempotency-seal'), data.subarray(0, IV_BYTES));
    decipher.setAuthTag(data.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(data.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}

/**
 * Who posted, as kept: an HMAC under this installation's own secret (server_secrets, made on
 * first use) of the email lower-cased and trimmed, or of the client key (an IPv4 address or
 * IPv6 /64). Never the email or the address itself; and unlike a plain hash, not reversible by
 * hashing every IPv4 address or a list of emails without the secret.
 */
export const hashCommenter = (secret: string, kind: 'email' | 'client' | 'sso', value: string) =>
  createHmac('sha256', secret)
    .update(`${kind}\0${kind === 'email' ? value.trim().toLowerCase() : value}`)
    .digest('base64url');

/**
 * A signed-in user's public id (`author.id`): a keyed hash of the site's `sub` under this
 * installation's secret, so it is stable, opaque, and not the site's own id.
 */
export const userIdOf = (secret: string, sub: string) => `u_${hashCommenter(secret, 'sso', sub).slice(0, 22)}`;

/** A new installation's secret for hashCommenter. */
export const newServerSecret = () => randomBytes(32).toString('base64url');

/** The body with every run of whitespace made one space, hashed: what counts as the same comment. */
export const hashBody = (body: string) => digest(body.replace(/\s+/g, ' ').trim(), 'body').toString('base64url');
