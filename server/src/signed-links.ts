// Signed, expiring tokens for the links in emails: confirm an opt-in, stop replies for a thread
// or for everything, and a moderator's one-click Approve / Spam / Delete. The token carries its
// claims in the clear (nothing in it is secret: opaque ids and a time) and an HMAC-SHA256 over
// them, so the server checks a link without a database read, and nobody can make one.
//
//   const token = signLink({ kind: 'moderate', subject: moderatorId, action: 'approve', threadId, commentId,
//     expiresAt: expiresIn(now, LINK_LIFETIME_MS.moderate), id: alertId }, secret);
//   const result = verifyLink(token, secret, now, 'moderate');
//   if (result.ok) { /* in the action's transaction: record result.link.id as used, or refuse */ }
//
// Single use is the caller's: each token has an `id` (random unless given), which the server
// records as used in the transaction that acts on it (a unique key, so two clicks race safely).
// The three links of one moderator alert share one id: whichever is used, the others are spent.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const LINK_KINDS = ['confirm', 'unsubscribe-thread', 'unsubscribe-all', 'moderate'] as const;
export type LinkKind = (typeof LINK_KINDS)[number];
export const MODERATE_ACTIONS = ['approve', 'spam', 'delete'] as const;
export type ModerateAction = (typeof MODERATE_ACTIONS)[number];

const DAY_MS = 24 * 60 * 60 * 1000;
/**
 * How long each kind of link works. Unsubscribing has no end: an email read a year later must
 * still stop the mail (and repeating it changes nothing, so it need not be single use either).
 */
export const LINK_LIFETIME_MS = { confirm: 7 * DAY_MS, moderate: 7 * DAY_MS } as const;
export const expiresIn = (now: Date, ms: number) => new Date(now.getTime() + ms);

/** What a link is for. `subject` is the caller's opaque id: a subscription, an address, a moderator. */
export type LinkClaims =
  | { kind: 'confirm' | 'unsubscribe-all'; subject: string }
  | { kind: 'unsubscribe-thread'; subject: string; threadId: string }
  | { kind: 'moderate'; subject: string; action: ModerateAction; threadId: string; commentId: string };

/** `expiresAt` null: never expires. `id` (the single-use key) is random when left out. */
export type LinkToSign = LinkClaims & { expiresAt: Date | null; id?: string };
export type SignedLink = LinkClaims & { expiresAt: Date | null; id: string };

/**
 * Why a token was refused. malformed: not a token at all (cut short in a mail client, say);
 * forged: the signature does not match (changed, or made with another secret); expired;
 * wrong-kind: a real token used where another kind was expected (an unsubscribe token on the
 * moderation route).
 */
export type LinkRefusal = 'malformed' | 'forged' | 'expired' | 'wrong-kind';
export type VerifiedLink = { ok: true; link: SignedLink } | { ok: false; reason: LinkRefusal };

/** HMAC keys shorter than the hash's output are weaker than the hash. */
export const MIN_LINK_SECRET_BYTES = 32;
const VERSION = 1;
// 128 bits of HMAC-SHA256: forging one still takes 2^128 tries, and the link stays short.
const MAC_BYTES = 16;
const ID_BYTES = 12;
// Far above any real token (under 200 characters): no hashing of megabytes.
const MAX_TOKEN_LENGTH = 1_000;
// Separates these MACs from any other use of the same secret (tokens.ts hashes commenters with it).
const PURPOSE = 'confab-link\0';
const KIND_CODES: Record<LinkKind, string> = {
  confirm: 'c',
  'unsubscribe-thread': 't',
  'unsubscribe-all': 'a',
  moderate: 'm',
};
const KINDS_BY_CODE = new Map(Object.entries(KIND_CODES).map(([kind, code]) => [code, kind as LinkKind]));

const mac = (payload: string, secret: string) =>
  createHmac('sha256', secret).update(PURPOSE).update(payload).digest().subarray(0, MAC_BYTES);

/** The token: base64url of a short JSON array, a dot, base64url of its MAC. URL-safe as it is. */
export function signLink(link: LinkToSign, secret: string): string {
  checkSecret(secret);
  if (!(LINK_KINDS as readonly string[]).includes(link.kind)) throw new Error(`Unknown link kind "${link.kind}"`);
  if (!link.subject) throw new Error('A link needs a subject');
  const expires = link.expiresAt === null ? 0 : Math.ceil(link.expiresAt.getTime() / 1000);
  // 0 stands for "never" in the token, so a date at or before 1970 is refused rather than made eternal.
  if (link.expiresAt !== null && !(expires > 0)) throw new Error('expiresAt must be a valid date after 1970');
  const fields: (string | number)[] = [
    VERSION,
    KIND_CODES[link.kind],
    link.id ?? randomBytes(ID_BYTES).toString('base64url'),
    expires,
    link.subject,
  ];
  if (link.kind === 'unsubscribe-thread') fields.push(link.threadId);
  if (link.kind === 'moderate') {
    if (!(MODERATE_ACTIONS as readonly string[]).includes(link.action)) throw new Error(`Unknown action "${link.action}"`);
    fields.push(link.action, link.threadId, link.commentId);
  }
  const payload = Buffer.from(JSON.stringify(fields)).toString('base64url');
  return `${payload}.${mac(payload, secret).toString('base64url')}`;
}

/**
 * Checks the signature first, then the kind, then the time: nothing unsigned is interpreted.
 * @param expected the kind (or kinds) this route takes
 */
export function verifyLink(token: unknown, secret: string, now: Date, expected: LinkKind | readonly LinkKind[]): VerifiedLink {
  checkSecret(secret);
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) return { ok: false, reason: 'malformed' };
  const match = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/.exec(token);
  if (!match) return { ok: false, reason: 'malformed' };
  const [, payload = '', signature = ''] = match;
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== MAC_BYTES) return { ok: false, reason: 'malformed' };
  if (!timingSafeEqual(given, mac(payload, secret))) return { ok: false, reason: 'forged' };

  const link = readPayload(payload);
  // Signed by us but not readable: a token of a later version, or a bug; either way not usable.
  if (!link) return { ok: false, reason: 'malformed' };
  const kinds: readonly LinkKind[] = typeof expected === 'string' ? [expected] : expected;
  if (!kinds.includes(link.kind)) return { ok: false, reason: 'wrong-kind' };
  if (link.expiresAt !== null && now.getTime() >= link.expiresAt.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, link };
}

function readPayload(payload: string): SignedLink | null {
  let fields: unknown;
  try {
    fields = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (!Array.isArray(fields) || fields[0] !== VERSION) return null;
  const [, code, id, expires, subject, ...rest] = fields as unknown[];
  const kind = KINDS_BY_CODE.get(String(code));
  if (!kind || !isText(id) || !isText(subject) || typeof expires !== 'number' || !rest.every(isText)) return null;
  const base = { id, subject, expiresAt: expires === 0 ? null : new Date(expires * 1000) };
  const texts = rest as string[];
  switch (kind) {
    case 'confirm':
    case 'unsubscribe-all':
      return texts.length === 0 ? { ...base, kind } : null;
    case 'unsubscribe-thread':
      return texts.length === 1 ? { ...base, kind, threadId: texts[0]! } : null;
    case 'moderate': {
      const [action, threadId, commentId] = texts;
      if (texts.length !== 3 || !(MODERATE_ACTIONS as readonly unknown[]).includes(action)) return null;
      return { ...base, kind, action: action as ModerateAction, threadId: threadId!, commentId: commentId! };
    }
  }
}

const isText = (value: unknown): value is string => typeof value === 'string' && value !== '';

function checkSecret(secret: string) {
  if (typeof secret !== 'string' || Buffer.byteLength(secret, 'utf8') < MIN_LINK_SECRET_BYTES) {
    throw new Error(`The link secret must be at least ${MIN_LINK_SECRET_BYTES} bytes`);
  }
}
