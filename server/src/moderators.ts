// Moderator accounts, their passwords and the dashboard's sessions.
//
//   const moderators = createModerators({ db });
//   const { moderator, inviteToken } = await moderators.add('ann@example.com', 'Ann');
//   inviteLink(publicUrl, inviteToken);                       // <PUBLIC_URL>/admin/#set-password=<token>
//   const { actor, sessionToken } = await moderators.setPassword(inviteToken, 'a long password');
//   await moderators.signIn(email, password, clientKey(ip));  // the same, later
//   const actor = await moderators.session(readSessionCookie(req.headers.cookie)); // null: signed out
//   res.setHeader('Set-Cookie', sessionCookie(sessionToken, { secure, maxAgeSeconds: moderators.sessionMaxAgeSeconds }));
//
// Passwords are hashed with scrypt (node:crypto) and stored as `scrypt$N$r$p$salt$hash`, so the
// cost can be raised later without breaking the hashes already stored. The one-time invitation
// tokens and the session tokens are kept only as hashes (tokens.ts).
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { Database, Queryable, Row } from './database.js';
import { conflict, invalid, notFound, tooManySignIns, unauthorized } from './errors.js';
import { hashSecret, newEditToken, newId } from './tokens.js';
import type { Actor } from './actors.js';

export type { Actor } from './actors.js';

export type ModeratorInfo = {
  id: string;
  email: string;
  name: string;
  createdAt: string;
  lastSignInAt: string | null;
  /** The password is not set yet. */
  invited: boolean;
  /** Their emails about held and reported comments: each one at once, an hourly digest, or none. */
  alerts: AlertChoice;
};

export const ALERT_CHOICES = ['immediate', 'digest', 'off'] as const;
export type AlertChoice = (typeof ALERT_CHOICES)[number];

export const SESSION_COOKIE = 'confab_session';

export const DEFAULT_INVITE_TTL_MS = 24 * 60 * 60_000;
export const DEFAULT_SESSION_TTL_MS = 14 * 24 * 60 * 60_000;
export const DEFAULT_SIGN_IN_LIMIT = { attempts: 10, windowMs: 15 * 60_000 };

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 200;
export const MAX_NAME_LENGTH = 100;
const MAX_EMAIL_LENGTH = 254;
const WRONG_SIGN_IN = 'Wrong email or password';

// scrypt's cost: N = 2^15, r = 8, p = 1 needs 128·N·r = 32 MiB, exactly node's default maxmem.
const SCRYPT = { N: 2 ** 15, r: 8, p: 1 };
const SALT_BYTES = 16;
const KEY_BYTES = 32;
// The most a stored hash may make scrypt use; a hash asking for more is refused as wrong.
const SCRYPT_MAX_MEMORY = 256 * 1024 * 1024;

/** The sign-in limiter forgets the oldest client or email beyond this many of each. */
const MAX_LIMITER_KEYS = 50_000;

const scrypt = (password: string, salt: Buffer, keyLength: number, options: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) =>
    scryptCallback(password, salt, keyLength, options, (error, key) => (error ? reject(error) : resolve(key))),
  );

/** `scrypt$N$r$p$salt$hash`, salt and hash in base64url. */
export async function hashPassword(password: string): Promise<string> {
  const { N, r, p } = SCRYPT;
  const salt = randomBytes(SALT_BYTES);
  const key = await scrypt(password, salt, KEY_BYTES, { N, r, p, maxmem: scryptMemory(N, r, p) });
  return ['scrypt', N, r, p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** False for a wrong password and for a stored hash it cannot read. */
export async function passwordMatches(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash, ...rest] = stored.split('$');
  if (scheme !== 'scrypt' || rest.length || !salt || !hash) return false;
  const [N, R, P] = [Number(n), Number(r), Number(p)];
  if (![N, R, P].every((value) => Number.isSafeInteger(value) && value > 0)) return false;
  const memory = scryptMemory(N, R, P);
  if (memory > SCRYPT_MAX_MEMORY) return false;
  const expected = Buffer.from(hash, 'base64url');
  if (expected.length < 16) return false;
  let key: Buffer;
  try {
    key = await scrypt(password, Buffer.from(salt, 'base64url'), expected.length, { N, r: R, p: P, maxmem: memory });
  } catch {
    return false;
  }
  return timingSafeEqual(key, expected);
}

// What scrypt needs (128·N·r·p for its blocks plus 128·N·r for V), with room to spare.
const scryptMemory = (N: number, r: number, p: number) => 128 * r * (N + p) + 32 * 1024 * 1024;

/** The link printed by `confab-server moderator add` and answered by `POST /api/admin/moderators`. */
export const inviteLink = (publicUrl: string, inviteToken: string) =>
  `${publicUrl.replace(/\/+$/, '')}/admin/#set-password=${inviteToken}`;

/** The email as compared and stored: trimmed, lower-cased. */
export const normalizeEmail = (email: string) => email.trim().toLowerCase();

export function createModerators({
  db,
  now = () => new Date(),
  inviteTtlMs = DEFAULT_INVITE_TTL_MS,
  sessionTtlMs = DEFAULT_SESSION_TTL_MS,
  signInLimit = DEFAULT_SIGN_IN_LIMIT,
  adminToken,
}: {
  db: Database;
  /** Sessions opened with the admin token hold on only while it is still this one. */
  adminToken?: string;
  now?: () => Date;
  inviteTtlMs?: number;
  sessionTtlMs?: number;
  signInLimit?: { attempts: number; windowMs: number };
}) {
  const failures = {
    client: createFailureCounter(signInLimit, () => now().getTime()),
    email: createFailureCounter(signInLimit, () => now().getTime()),
  };

  // Compared against when the email is unknown or has no password yet, so that such a sign-in
  // takes as long as a wrong password.
  let dummyHash: Promise<string> | undefined;
  const dummy = () => (dummyHash ??= hashPassword(newEditToken()));

  const later = (ms: number) => new Date(now().getTime() + ms);

  const adminTokenHash = adminToken ? hashSecret(adminToken) : null;

  async function newSession(tx: Queryable, moderatorId: string | null) {
    const token = newEditToken();
    const at = now();
    await tx.query(
      `INSERT INTO sessions (token_hash, moderator_id, admin_token_hash, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5)`,
      [hashSecret(token), moderatorId, moderatorId === null ? adminTokenHash : null, at, new Date(at.getTime() + sessionTtlMs)],
    );
    return token;
  }

  /** A moderator by id, or by email (any case, spaces around). */
  const whereIdOrEmail = (idOrEmail: string) => ({
    sql: '(id = $1 OR email = $2)',
    params: [idOrEmail, normalizeEmail(idOrEmail)],
  });

  return {
    sessionMaxAgeSeconds: Math.floor(sessionTtlMs / 1000),
    inviteTtlMs,

    /** A new moderator without a password, and the one-time token of their invitation link. */
    async add(email: unknown, name?: unknown): Promise<{ moderator: ModeratorInfo; inviteToken: string }> {
      const address = readEmail(email);
      const shownName = readName(name);
      const inviteToken = newEditToken();
      const at = now();
      const { rows } = await db.query(
        `INSERT INTO moderators (id, email, name, invite_hash, invite_expires_at, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (email) DO NOTHING
         RETURNING ${COLUMNS}`,
        [newId('m'), address, shownName, hashSecret(inviteToken), new Date(at.getTime() + inviteTtlMs), at],
      );
      if (!rows[0]) throw conflict(`A moderator with the email ${address} exists already`, 'moderator-exists');
      return { moderator: toInfo(rows[0]), inviteToken };
    },

    /**
     * A new one-time token for an existing moderator (to set a forgotten password); any earlier
     * one stops working. The password stays valid until the new one is set.
     */
    async invite(idOrEmail: string): Promise<string> {
      const inviteToken = newEditToken();
      const where = whereIdOrEmail(idOrEmail);
      const { rows } = await db.query(
        `UPDATE moderators SET invite_hash = $3, invite_expires_at = $4 WHERE ${where.sql} RETURNING id`,
        [...where.params, hashSecret(inviteToken), later(inviteTtlMs)],
      );
      if (!rows[0]) throw notFound(`No moderator ${idOrEmail}`);
      return inviteToken;
    },

    /** Every moderator, oldest first. */
    async list(): Promise<ModeratorInfo[]> {
      const { rows } = await db.query(`SELECT ${COLUMNS} FROM moderators ORDER BY created_at, email`);
      return rows.map(toInfo);
    },

    /** A moderator's choice of alert emails (by id or email). */
    async setAlerts(idOrEmail: string, alerts: unknown): Promise<ModeratorInfo> {
      if (typeof alerts !== 'string' || !(ALERT_CHOICES as readonly string[]).includes(alerts))
        throw invalid('Invalid alerts', { alerts: `Must be one of ${ALERT_CHOICES.join(', ')}` }, 'alerts-invalid');
      const where = whereIdOrEmail(idOrEmail);
      const { rows } = await db.query(
        `UPDATE moderators SET alerts = $${where.params.length + 1} WHERE ${where.sql} RETURNING ${COLUMNS}`,
        [...where.params, alerts],
      );
      if (!rows[0]) throw notFound(`No moderator ${idOrEmail}`, 'moderator-gone');
      return toInfo(rows[0]);
    },

    /** @returns false when there was no such moderator. Their sessions end with them. */
    async remove(idOrEmail: string): Promise<boolean> {
      const where = whereIdOrEmail(idOrEmail);
      const { rows } = await db.query(`DELETE FROM moderators WHERE ${where.sql} RETURNING id`, where.params);
      return rows.length > 0;
    },

    /**
     * Sets the password of the invitation's moderator and signs them in. The token then stops
     * working, and any other session of theirs ends (a reset is often for a lost device).
     */
    async setPassword(inviteToken: unknown, password: unknown): Promise<{ actor: Actor; sessionToken: string }> {
      const newPassword = readNewPassword(password);
      const expired = unauthorized('This link is unknown, used or expired; ask for a new one', 'link-expired');
      if (!isTokenLike(inviteToken)) throw expired;
      const inviteHash = hashSecret(inviteToken);
      // Checked before hashing, so that unknown links cost no scrypt; checked again on writing.
      const found = await db.query('SELECT id FROM moderators WHERE invite_hash = $1 AND invite_expires_at > $2', [
        inviteHash,
        now(),
      ]);
      if (!found.rows[0]) throw expired;
      const passwordHash = await hashPassword(newPassword);
      return db.transaction(async (tx) => {
        const at = now();
        const { rows } = await tx.query(
          `UPDATE moderators
           SET password_hash = $2, invite_hash = NULL, invite_expires_at = NULL, last_sign_in_at = $3
           WHERE invite_hash = $1 AND invite_expires_at > $3
           RETURNING ${COLUMNS}`,
          [inviteHash, passwordHash, at],
        );
        const row = rows[0];
        if (!row) throw expired;
        await tx.query('DELETE FROM sessions WHERE moderator_id = $1', [row.id]);
        return { actor: toActor(row), sessionToken: await newSession(tx, row.id) };
      });
    },

    /**
     * Checks the email and password and opens a session. `client` is the client's rate-limit
     * key (rate-limit.ts' clientKey).
     */
    async signIn(email: unknown, password: unknown, client: string): Promise<{ actor: Actor; sessionToken: string }> {
      const address = typeof email === 'string' && email.length <= MAX_EMAIL_LENGTH ? normalizeEmail(email) : undefined;
      const wait = Math.max(failures.client.blockedFor(client), address ? failures.email.blockedFor(address) : 0);
      if (wait > 0) throw tooManySignIns(wait);

      // Counted as failed until it succeeds, so that many attempts at once cannot all slip in
      // while the first ones are still being checked.
      failures.client.add(client);
      if (address) failures.email.add(address);
      const fail = unauthorized(WRONG_SIGN_IN, 'wrong-sign-in');
      if (!address || typeof password !== 'string' || password.length > MAX_PASSWORD_LENGTH) throw fail;
      const { rows } = await db.query(`SELECT ${COLUMNS}, password_hash FROM moderators WHERE email = $1`, [address]);
      const row = rows[0];
      const stored: string | null = row?.password_hash ?? null;
      const matches = await passwordMatches(password, stored ?? (await dummy()));
      if (!row || !stored || !matches) throw fail;

      failures.client.undo(client);
      failures.email.forget(address);
      return db.transaction(async (tx) => {
        await tx.query('UPDATE moderators SET last_sign_in_at = $2 WHERE id = $1', [row.id, now()]);
        return { actor: toActor(row), sessionToken: await newSession(tx, row.id) };
      });
    },

    /** A session for someone who signed in with the admin token, which the caller has checked. */
    tokenSession(): Promise<string> {
      return newSession(db, null);
    },

    /** Who holds this session token; null when it is unknown or expired. */
    async session(sessionToken: unknown): Promise<Actor | null> {
      if (!isTokenLike(sessionToken)) return null;
      const { rows } = await db.query(
        `SELECT s.moderator_id, m.id, m.email, m.name
         FROM sessions s LEFT JOIN moderators m ON m.id = s.moderator_id
         WHERE s.token_hash = $1 AND s.expires_at > $2 AND (s.moderator_id IS NOT NULL OR s.admin_token_hash = $3)`,
        [hashSecret(sessionToken), now(), adminTokenHash],
      );
      const row = rows[0];
      if (!row) return null;
      return row.moderator_id === null ? { kind: 'token' } : toActor(row);
    },

    /** Ends the session in the database (not only in the browser). */
    async signOut(sessionToken: unknown): Promise<void> {
      if (!isTokenLike(sessionToken)) return;
      await db.query('DELETE FROM sessions WHERE token_hash = $1', [hashSecret(sessionToken)]);
    },

    /** Deletes expired sessions and forgets invitation links past their time. */
    async forgetExpired(): Promise<void> {
      const at = now();
      await db.query('DELETE FROM sessions WHERE expires_at <= $1', [at]);
      await db.query('UPDATE moderators SET invite_hash = NULL, invite_expires_at = NULL WHERE invite_expires_at <= $1', [at]);
    },
  };
}

export type Moderators = ReturnType<typeof createModerators>;

const COLUMNS = 'id, email, name, created_at, last_sign_in_at, password_hash IS NULL AS invited, alerts';

const iso = (value: unknown) => (value === null || value === undefined ? null : new Date(value as string).toISOString());

const toInfo = (row: Row): ModeratorInfo => ({
  id: row.id,
  email: row.email,
  name: row.name,
  createdAt: iso(row.created_at)!,
  lastSignInAt: iso(row.last_sign_in_at),
  invited: row.invited,
  alerts: row.alerts,
});

const toActor = (row: Row): Actor => ({ kind: 'moderator', id: row.id, email: row.email, name: row.name });

// Our tokens are 43 base64url characters; anything much longer is not worth hashing.
const isTokenLike = (value: unknown): value is string => typeof value === 'string' && value.length > 0 && value.length <= 200;

function readEmail(email: unknown): string {
  const address = typeof email === 'string' ? normalizeEmail(email) : '';
  if (address.length > MAX_EMAIL_LENGTH || !/^[^\s@]+@[^\s@]+$/.test(address)) {
    throw invalid('Enter a valid email address', { email: 'Enter a valid email address' }, 'email-invalid');
  }
  return address;
}

function readName(name: unknown): string {
  if (name === undefined || name === null) return '';
  if (typeof name !== 'string') throw invalid('The name must be text', { name: 'The name must be text' }, 'name-invalid');
  const trimmed = name.trim();
  if ([...trimmed].length > MAX_NAME_LENGTH) {
    const message = `The name must be at most ${MAX_NAME_LENGTH} characters`;
    throw invalid(message, { name: message }, 'name-invalid');
  }
  return trimmed;
}

function readNewPassword(password: unknown): string {
  const length = typeof password === 'string' ? [...password].length : 0;
  if (typeof password !== 'string' || length < MIN_PASSWORD_LENGTH || length > MAX_PASSWORD_LENGTH) {
    const message = `The password must be ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters long`;
    throw invalid(message, { password: message }, 'password-length');
  }
  return password;
}

/**
 * Failed sign-ins per key in fixed windows that start at a key's first failure. Entries are kept
 * in the order their windows started, so the expired ones are at the front; beyond
 * MAX_LIMITER_KEYS the oldest is forgotten: memory stays bounded.
 */
function createFailureCounter({ attempts, windowMs }: { attempts: number; windowMs: number }, now: () => number) {
  const entries = new Map<string, { count: number; until: number }>();

  const sweep = (time: number) => {
    for (const [key, entry] of entries) {
      if (entry.until > time && entries.size <= MAX_LIMITER_KEYS) break;
      entries.delete(key);
    }
  };

  return {
    /** Seconds until `key` may try again; 0: now. */
    blockedFor(key: string): number {
      const time = now();
      const entry = entries.get(key);
      if (!entry || entry.until <= time || entry.count < attempts) return 0;
      return Math.max(1, Math.ceil((entry.until - time) / 1000));
    },
    add(key: string) {
      const time = now();
      const entry = entries.get(key);
      if (entry && entry.until > time) {
        entry.count += 1;
        return;
      }
      entries.delete(key);
      entries.set(key, { count: 1, until: time + windowMs });
      sweep(time);
    },
    /** Takes back one `add` (an attempt that succeeded). */
    undo(key: string) {
      const entry = entries.get(key);
      if (entry) entry.count -= 1;
    },
    forget(key: string) {
      entries.delete(key);
    },
  };
}

/**
 * The `Set-Cookie` value of a session: only for this server's own origin (no Domain), never
 * readable by scripts, never sent on requests from other sites.
 */
export function sessionCookie(token: string, { secure, maxAgeSeconds }: { secure: boolean; maxAgeSeconds: number }): string {
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${Math.floor(maxAgeSeconds)}${secure ? '; Secure' : ''}`;
}

/** The `Set-Cookie` value that makes the browser forget its session. */
export function clearedSessionCookie(secure: boolean): string {
  return sessionCookie('', { secure, maxAgeSeconds: 0 });
}

/** The session token in a `Cookie` header, if there is a well-formed one. */
export function readSessionCookie(cookieHeader: string | undefined): string | undefined {
  if (typeof cookieHeader !== 'string') return undefined;
  for (const part of cookieHeader.split(';')) {
    const equals = part.indexOf('=');
    if (equals === -1 || part.slice(0, equals).trim() !== SESSION_COOKIE) continue;
    const value = part
      .slice(equals + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1');
    if (/^[A-Za-z0-9_-]{1,200}$/.test(value)) return value;
  }
  return undefined;
}
