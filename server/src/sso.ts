// Sign-in from the host site: its back end signs a JWT (HS256) with a secret it shares with this
// server (SSO_SECRET), and the widget sends it as `Confab-User: <jwt>`. Verified here with jose,
// the algorithm pinned to HS256 (`none`, HS512, RS256 and the rest are refused), 60 s of clock
// tolerance, and every claim's type and length checked.
//
//   const sso = createSso({ secret, previousSecret, guests: true, userId: store.userId });
//   const user = await sso.user(req.headers['confab-user']); // null without the header
import type { IncomingMessage } from 'node:http';
import { errors, jwtVerify } from 'jose';
import type { JWTPayload } from 'jose';
import { ssoExpired, ssoInvalid } from './errors.js';

/** A user the host site vouches for. `id` is their public author id, never the site's `sub`. */
export type SsoUser = {
  id: string;
  name: string;
  email: string | null;
  avatarUrl: string | null;
  url: string | null;
  /** `role: "moderator"` in a token signed with the current secret. */
  moderator: boolean;
};

export const SSO_HEADER = 'confab-user';
export const SSO_LIMITS = { sub: 128, name: 80, email: 254, url: 2_000, lifetimeSeconds: 24 * 60 * 60, token: 8_192 };
const CLOCK_TOLERANCE_SECONDS = 60;
const ALGORITHMS = ['HS256'];

const charCount = (text: string) => [...text].length;

/**
 * @param userId the public id of the site's `sub` (a keyed hash; see comment-store's userId)
 * @param now the clock tokens are checked against (tests move it)
 */
export function createSso({
  secret,
  previousSecret,
  guests = true,
  userId,
  now = () => new Date(),
}: {
  secret?: string;
  previousSecret?: string;
  guests?: boolean;
  userId: (sub: string) => Promise<string>;
  now?: () => Date;
}) {
  const encoder = new TextEncoder();
  // The previous secret only ever next to a current one: alone it would pass moderators' tokens.
  const given = secret === undefined ? [] : previousSecret === undefined ? [secret] : [secret, previousSecret];
  const keys = given.map((key) => encoder.encode(key));

  /** The payload of a token signed with one of our keys; `current` when with SSO_SECRET itself. */
  async function verify(token: string): Promise<{ payload: JWTPayload; current: boolean }> {
    for (const [index, key] of keys.entries()) {
      try {
        const { payload } = await jwtVerify(token, key, {
          algorithms: ALGORITHMS,
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
          requiredClaims: ['sub', 'iat', 'exp'],
          currentDate: now(),
        });
        return { payload, current: index === 0 };
      } catch (error) {
        // Only a signature that does not match this key is worth trying the next key for.
        if (error instanceof errors.JWSSignatureVerificationFailed) continue;
        if (error instanceof errors.JWTExpired) throw ssoExpired();
        if (error instanceof errors.JOSEAlgNotAllowed) throw ssoInvalid('The sign-in token must be signed with HS256');
        if (error instanceof errors.JWTClaimValidationFailed)
          throw ssoInvalid(`The sign-in token is not valid: ${error.message}`);
        throw ssoInvalid('The sign-in token is not a valid JWT');
      }
    }
    throw ssoInvalid('The sign-in token is not signed with this server’s SSO_SECRET');
  }

  return {
    /** Whether this server takes sign-ins at all (SSO_SECRET is set). */
    enabled: keys.length > 0,
    /** false with GUESTS=off: a post needs a signed-in user. */
    guests,

    /**
     * The user of a `Confab-User` header value; null when there is none. 401 `sso_invalid` or
     * `sso_expired` when there is one that does not pass.
     */
    async user(header: string | string[] | undefined): Promise<SsoUser | null> {
      if (header === undefined) return null;
      if (keys.length === 0) throw ssoInvalid('This server does not take sign-ins (no SSO_SECRET is set)');
      const token = typeof header === 'string' ? header.trim() : '';
      if (token === '' || token.length > SSO_LIMITS.token) throw ssoInvalid('The sign-in token is not a valid JWT');
      const { payload, current } = await verify(token);
      const claims = readClaims(payload, now());
      if (claims.moderator && !current) {
        throw ssoInvalid('A moderator’s sign-in token must be signed with the current SSO_SECRET');
      }
      return {
        id: await userId(claims.sub),
        name: claims.name,
        email: claims.email,
        avatarUrl: claims.picture,
        url: claims.url,
        moderator: claims.moderator,
      };
    },
  };
}

export type Sso = ReturnType<typeof createSso>;

/** The user a request's Confab-User header names (401 when it does not pass), or null without one. */
export const signedInUser = ({ req, sso }: { req: IncomingMessage; sso: Sso }): Promise<SsoUser | null> =>
  sso.user(req.headers[SSO_HEADER]);

/**
 * Every claim checked: `sub` and `name` required, the rest optional but of the right type and
 * length; `iat` not in the future, `exp` at most 24 h after `iat`. A `role` other than
 * "moderator" makes an ordinary reader (sites may send their own roles); a non-string one is refused.
 */
function readClaims(payload: JWTPayload, now: Date) {
  const bad = (claim: string, why: string) => ssoInvalid(`The sign-in token’s "${claim}" claim ${why}`);
  const text = (claim: string, max: number, required: boolean): string | null => {
    const value = payload[claim];
    if (value === undefined || value === null) {
      if (required) throw bad(claim, 'is missing');
      return null;
    }
    if (typeof value !== 'string') throw bad(claim, 'must be a string');
    if (value.includes('\0')) throw bad(claim, 'must not contain NUL characters');
    if (charCount(value) > max) throw bad(claim, `must be at most ${max} characters`);
    return value;
  };
  const url = (claim: string, protocols: string[]) => {
    const value = text(claim, SSO_LIMITS.url, false);
    if (value === null || value === '') return null;
    let parsed;
    try {
      parsed = new URL(value);
    } catch {
      parsed = null;
    }
    if (!parsed || !protocols.includes(parsed.protocol)) {
      throw bad(claim, `must be an ${protocols.map((p) => `${p}//`).join(' or ')} URL`);
    }
    return value;
  };

  const sub = text('sub', SSO_LIMITS.sub, true)!;
  if (sub === '') throw bad('sub', 'is empty');
  const name = text('name', Number.MAX_SAFE_INTEGER, true)!.trim();
  if (name === '') throw bad('name', 'is empty');
  if (charCount(name) > SSO_LIMITS.name) throw bad('name', `must be at most ${SSO_LIMITS.name} characters`);
  const email = text('email', SSO_LIMITS.email, false);
  const picture = url('picture', ['https:']);
  const link = url('url', ['http:', 'https:']);
  const role = payload.role;
  if (role !== undefined && role !== null && typeof role !== 'string') throw bad('role', 'must be a string');

  const { iat, exp } = payload as { iat: number; exp: number };
  if (typeof iat !== 'number' || typeof exp !== 'number') throw ssoInvalid('The sign-in token needs "iat" and "exp"');
  if (iat > now.getTime() / 1000 + CLOCK_TOLERANCE_SECONDS) throw bad('iat', 'is in the future');
  if (exp - iat > SSO_LIMITS.lifetimeSeconds) throw bad('exp', 'must be at most 24 hours after "iat"');
  return {
    sub,
    name,
    email: email === null || email.trim() === '' ? null : email,
    picture,
    url: link,
    moderator: role === 'moderator',
  };
}
