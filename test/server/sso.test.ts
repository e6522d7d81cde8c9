// @vitest-environment node
// Sign-in from the host site (Confab-User): the token's checks (algorithm pinned, claims, clock,
// rotation), verified authors and their comments, GUESTS=off, moderators acting from the widget,
// and the README's signing snippet. Tokens are made with jose as a site would.
import { createHmac } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, allComments, bearer, call, commentsPath, importReadmeSnippet, newThread, post, start } from './helpers';

const SECRET = 'the-current-sso-secret-of-this-test-0123456789';
const PREVIOUS = 'the-previous-sso-secret-of-this-test-abcdefgh';
const ADMIN_TOKEN = 'sso-test-admin-token-0123456789';
const SITE = 'https://blog.example.com';

let app: App;
let clock = Date.now();
const seconds = () => Math.floor(clock / 1000);

type Claims = Record<string, unknown>;

/** A token as the site signs it: Ann by default, valid for an hour from the test's clock. */
async function token(
  claims: Claims = {},
  {
    secret = SECRET,
    alg = 'HS256',
    iat = seconds(),
    lifetime = 3600,
  }: { secret?: string; alg?: string; iat?: number; lifetime?: number } = {},
) {
  const payload: Claims = { sub: 'site-user-1', name: 'Ann Reader', iat, exp: iat + lifetime, ...claims };
  for (const [name, value] of Object.entries(payload)) if (value === undefined) delete payload[name];
  return new SignJWT(payload).setProtectedHeader({ alg }).sign(new TextEncoder().encode(secret));
}

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
/** A token put together by hand: any header, signed with HMAC-SHA256 under `key` (or unsigned). */
function crafted(header: Claims, claims: Claims = {}, key: string | null = SECRET) {
  const payload = { sub: 'site-user-1', name: 'Ann Reader', iat: seconds(), exp: seconds() + 3600, ...claims };
  const input = `${base64url(header)}.${base64url(payload)}`;
  return `${input}.${key === null ? '' : createHmac('sha256', key).update(input).digest('base64url')}`;
}

const as = (jwt: string, extra: Record<string, string> = {}) => ({ 'Confab-User': jwt, ...extra });
const postAs = (app: App, thread: string, jwt: string, input: Claims = {}) =>
  call(app, 'POST', commentsPath(thread), { body: { body: 'Signed in', ...input }, headers: as(jwt) });
const commentPath = (thread: string, id: string) => `${commentsPath(thread)}/${id}`;
const adminAct = (thread: string, id: string, action: string, headers: Record<string, string>) =>
  call(app, 'POST', `/admin/threads/${encodeURIComponent(thread)}/comments/${id}/${action}`, { headers });

beforeAll(async () => {
  app = await start({
    ssoSecret: SECRET,
    ssoSecretPrevious: PREVIOUS,
    adminToken: ADMIN_TOKEN,
    allowedOrigins: [SITE],
    minComposeSeconds: 0,
    now: () => new Date(clock),
  });
});
afterAll(async () => {
  await app?.close();
});

describe('the Confab-User token', () => {
  it('signs a reader in with a valid token', async () => {
    const answer = await postAs(app, newThread(), await token());
    expect(answer.status).toBe(201);
    expect(answer.body.comment.author).toMatchObject({ name: 'Ann Reader', verified: true });
  });

  const refusals: Array<[string, string, () => Promise<string> | string]> = [
    ['a forged signature', 'sso_invalid', () => token({}, { secret: 'some-other-secret-that-is-long-enough-0000' })],
    ['alg none', 'sso_invalid', () => crafted({ alg: 'none', typ: 'JWT' }, {}, null)],
    ['HS512 with the right secret', 'sso_invalid', () => token({}, { alg: 'HS512' })],
    ['RS256 signed with the secret as if it were a public key', 'sso_invalid', () => crafted({ alg: 'RS256', typ: 'JWT' })],
    ['an expired token', 'sso_expired', () => token({}, { iat: seconds() - 7200 })],
    ['an iat in the future', 'sso_invalid', () => token({}, { iat: seconds() + 600 })],
    ['an exp more than 24 h after iat', 'sso_invalid', () => token({}, { lifetime: 24 * 3600 + 1 })],
    ['no sub', 'sso_invalid', () => token({ sub: undefined })],
    ['no name', 'sso_invalid', () => token({ name: undefined })],
    ['a blank name', 'sso_invalid', () => token({ name: '   ' })],
    ['a sub of 129 characters', 'sso_invalid', () => token({ sub: 'x'.repeat(129) })],
    ['a name of 81 characters', 'sso_invalid', () => token({ name: 'n'.repeat(81) })],
    ['a number for a name', 'sso_invalid', () => token({ name: 42 })],
    ['a picture over 2000 characters', 'sso_invalid', () => token({ picture: `https://cdn.example.com/${'p'.repeat(2000)}` })],
    ['a picture that is not https', 'sso_invalid', () => token({ picture: 'http://cdn.example.com/ann.png' })],
    ['a url that is not http(s)', 'sso_invalid', () => token({ url: 'javascript:alert(1)' })],
    ['an email over 254 characters', 'sso_invalid', () => token({ email: `${'e'.repeat(250)}@example.com` })],
    ['something that is not a JWT', 'sso_invalid', () => 'not-a-jwt'],
    ['a token signed with a secret nobody configured', 'sso_invalid', () => token({}, { secret: 'x'.repeat(48) })],
  ];
  it.each(refusals)('refuses %s (401 %s) and stores nothing', async (_name, code, make) => {
    const thread = newThread();
    const answer = await postAs(app, thread, await make());
    expect(answer.status).toBe(401);
    expect(answer.body.error.code).toBe(code);
    expect(await allComments(app, thread)).toEqual([]);
  });

  it('accepts a token within the 60 s clock tolerance', async () => {
    expect((await postAs(app, newThread(), await token({}, { iat: seconds() + 30 }))).status).toBe(201);
    expect((await postAs(app, newThread(), await token({}, { iat: seconds() - 3630 }))).status).toBe(201);
  });

  it('takes a reader token signed with SSO_SECRET_PREVIOUS, but no moderator token', async () => {
    const reader = await postAs(app, newThread(), await token({}, { secret: PREVIOUS }));
    expect(reader.status).toBe(201);
    expect(reader.body.comment.author.verified).toBe(true);
    const moderator = await postAs(app, newThread(), await token({ role: 'moderator' }, { secret: PREVIOUS }));
    expect(moderator.status).toBe(401);
    expect(moderator.body.error.code).toBe('sso_invalid');
    expect(moderator.body.error.message).toMatch(/current SSO_SECRET/);
  });

  it('treats a role other than moderator as an ordinary reader', async () => {
    const answer = await postAs(app, newThread(), await token({ role: 'admin' }));
    expect(answer.status).toBe(201);
    expect(answer.body.comment.author.role).toBeUndefined();
  });

  it('is refused with a message when the server takes no sign-ins', async () => {
    const plain = await start();
    try {
      const thread = newThread();
      const answer = await postAs(plain, thread, await token());
      expect(answer.status).toBe(401);
      expect(answer.body.error).toEqual({ code: 'sso_invalid', message: expect.stringMatching(/does not take sign-ins/) });
      expect(await allComments(plain, thread)).toEqual([]);
      const read = await call(plain, 'GET', commentsPath(thread));
      expect(read.body.thread.features).toEqual({ sso: false, guests: true, reports: true });
    } finally {
      await plain.close();
    }
  });

  it('tells who the token names at GET /user, and null without one', async () => {
    expect((await call(app, 'GET', '/user')).body).toEqual({ user: null });
    const answer = await call(app, 'GET', '/user', { headers: as(await token({ picture: 'https://cdn.example.com/a.png' })) });
    expect(answer.body.user).toEqual({
      id: expect.stringMatching(/^u_[\w-]{22}$/),
      name: 'Ann Reader',
      url: null,
      avatarUrl: 'https://cdn.example.com/a.png',
    });
    expect((await call(app, 'GET', '/user', { headers: as('nope') })).status).toBe(401);
  });
});

describe('verified comments', () => {
  it("carry the token's name, url and picture, author.id (not the raw sub) and verified, ignoring the body's author", async () => {
    const thread = newThread();
    const jwt = await token({
      sub: 'site-user-42',
      name: '  Bea Verified ',
      url: 'https://bea.example.com',
      picture: 'https://cdn.example.com/bea.png',
      email: 'bea@example.com',
    });
    const answer = await postAs(app, thread, jwt, { author: { name: 'Mallory', url: 'https://evil.example', email: 'x@y.z' } });
    expect(answer.status).toBe(201);
    const { author } = answer.body.comment;
    expect(author).toEqual({
      name: 'Bea Verified',
      url: 'https://bea.example.com',
      avatarUrl: 'https://cdn.example.com/bea.png',
      id: expect.stringMatching(/^u_[\w-]{22}$/),
      verified: true,
    });
    expect(JSON.stringify(answer.body)).not.toContain('site-user-42');
    const [read] = await allComments(app, thread);
    expect(read!.author).toEqual(author);

    // The same user on another post, and with a token signed later: the same id.
    clock += 60_000;
    const again = await postAs(app, newThread(), await token({ sub: 'site-user-42', name: 'Bea' }));
    expect(again.body.comment.author.id).toBe(author.id);
    const other = await postAs(app, newThread(), await token({ sub: 'site-user-43' }));
    expect(other.body.comment.author.id).not.toBe(author.id);
  });

  it('leaves guests without id and verified', async () => {
    const { comment } = await post(app, newThread(), { author: { name: 'Guest' } });
    expect(comment.author).toEqual({ name: 'Guest', url: null, avatarUrl: null });
  });

  it('lets their author edit and delete them an hour later with the token, and nobody else', async () => {
    const thread = newThread();
    const ann = await token({ sub: 'edit-ann' });
    const posted = await postAs(app, thread, ann);
    const { id } = posted.body.comment;
    clock += 60 * 60_000;
    const annNow = await token({ sub: 'edit-ann' });
    const bob = await token({ sub: 'edit-bob', name: 'Bob' });

    const byBob = await call(app, 'PATCH', commentPath(thread, id), { body: { body: 'Bob was here' }, headers: as(bob) });
    expect(byBob.status).toBe(403);
    expect((await call(app, 'DELETE', commentPath(thread, id), { headers: as(bob) })).status).toBe(403);
    // The edit token's window has passed; the sign-in has no window.
    const byToken = await call(app, 'PATCH', commentPath(thread, id), {
      body: { body: 'Late' },
      headers: bearer(posted.body.editToken),
    });
    expect(byToken.status).toBe(403);

    const edited = await call(app, 'PATCH', commentPath(thread, id), {
      body: { body: 'Edited an hour on' },
      headers: as(annNow),
    });
    expect(edited.status).toBe(200);
    expect(edited.body.comment).toMatchObject({ body: 'Edited an hour on', author: { verified: true } });
    const deleted = await call(app, 'DELETE', commentPath(thread, id), { headers: as(annNow) });
    expect(deleted.status).toBe(200);
    expect(deleted.body.comment.status).toBe('deleted');
    // An author's own change is not moderation: nothing in the audit log.
    const audit = await call(app, 'GET', '/admin/audit', { headers: bearer(ADMIN_TOKEN) });
    expect(audit.body.entries.filter((entry: { commentId: string }) => entry.commentId === id)).toEqual([]);
  });

  it("cannot be changed by a signed-in reader through a guest's comment", async () => {
    const thread = newThread();
    const { comment } = await post(app, thread, { body: 'A guest' });
    const answer = await call(app, 'DELETE', commentPath(thread, comment.id), { headers: as(await token()) });
    expect(answer.status).toBe(403);
  });
});

describe('GUESTS=off', () => {
  let closed: App;
  beforeAll(async () => {
    closed = await start({ ssoSecret: SECRET, guests: false, now: () => new Date(clock) });
  });
  afterAll(async () => {
    await closed?.close();
  });

  it('answers 401 sso_required to a post without a token, and stores nothing', async () => {
    const thread = newThread();
    const answer = await call(closed, 'POST', commentsPath(thread), { body: { body: 'Guest here', author: { name: 'G' } } });
    expect(answer.status).toBe(401);
    expect(answer.body.error.code).toBe('sso_required');
    expect(await allComments(closed, thread)).toEqual([]);
    expect((await call(closed, 'GET', commentsPath(thread))).body.thread.features).toEqual({
      sso: true,
      guests: false,
      reports: true,
    });
  });

  it('refuses a bad token as such, and posts with a valid one', async () => {
    const thread = newThread();
    expect((await postAs(closed, thread, await token({}, { iat: seconds() - 7200 }))).body.error.code).toBe('sso_expired');
    const answer = await postAs(closed, thread, await token());
    expect(answer.status).toBe(201);
    expect(await allComments(closed, thread)).toHaveLength(1);
  });
});

describe('moderators from the widget', () => {
  it('approve, pin and delete through /api/admin from the site, written to the audit log under their name', async () => {
    const thread = newThread();
    const held = await start({
      ssoSecret: SECRET,
      moderation: 'pre',
      adminToken: ADMIN_TOKEN,
      allowedOrigins: [SITE],
      now: () => new Date(clock),
    });
    try {
      const { comment } = await post(held, thread, { body: 'Wait for me' });
      expect(comment.status).toBe('pending');
      const mod = as(await token({ sub: 'mod-1', name: 'Mia Moderator', role: 'moderator' }), { Origin: SITE });
      const act = (action: string) =>
        call(held, 'POST', `/admin/threads/${encodeURIComponent(thread)}/comments/${comment.id}/${action}`, { headers: mod });
      expect((await act('approve')).status).toBe(200);
      const pinned = await act('pin');
      expect(pinned.status).toBe(200);
      expect(pinned.body.comment.pinned).toBe(true);
      expect((await act('delete')).body.comment.status).toBe('deleted');
      expect((await call(held, 'POST', `/admin/threads/${encodeURIComponent(thread)}/lock`, { headers: mod })).status).toBe(200);

      const audit = await call(held, 'GET', '/admin/audit', { headers: bearer(ADMIN_TOKEN) });
      const actions = audit.body.entries.map((entry: { action: string }) => entry.action);
      expect(actions).toEqual(['lock', 'delete', 'pin', 'approve']);
      const moderatorId = (await call(held, 'GET', '/user', { headers: mod })).body.user.id;
      for (const entry of audit.body.entries) {
        expect(entry.actor).toEqual({ kind: 'sso', id: moderatorId, name: 'Mia Moderator' });
      }
      expect((await call(held, 'GET', '/admin/session', { headers: mod })).body.actor.kind).toBe('sso');
    } finally {
      await held.close();
    }
  });

  it('refuse a reader token on /api/admin', async () => {
    const thread = newThread();
    const { comment } = await post(app, thread);
    const answer = await adminAct(thread, comment.id, 'pin', as(await token(), { Origin: SITE }));
    expect(answer.status).toBe(403);
    expect((await call(app, 'GET', '/admin/comments', { headers: as(await token()) })).status).toBe(403);
    expect((await call(app, 'GET', '/admin/comments', { headers: as('forged.token.here') })).status).toBe(401);
  });

  it("edit and delete anyone's comment through the protocol's own endpoints, audited", async () => {
    const thread = newThread();
    const { comment } = await post(app, thread, { body: 'Rude words' });
    const mod = as(await token({ sub: 'mod-2', name: 'Max Moderator', role: 'moderator' }));
    const edited = await call(app, 'PATCH', commentPath(thread, comment.id), { body: { body: 'Kind words' }, headers: mod });
    expect(edited.status).toBe(200);
    const deleted = await call(app, 'DELETE', commentPath(thread, comment.id), { headers: mod });
    expect(deleted.body.comment.status).toBe('deleted');
    const audit = await call(app, 'GET', '/admin/audit', { headers: bearer(ADMIN_TOKEN) });
    const entries = audit.body.entries.filter((entry: { commentId: string }) => entry.commentId === comment.id);
    expect(entries.map((entry: { action: string }) => entry.action)).toEqual(['delete', 'edit']);
    expect(entries[0].actor).toMatchObject({ kind: 'sso', name: 'Max Moderator' });
  });

  it("post published with the moderator badge, whatever the site's moderation", async () => {
    const answer = await postAs(app, newThread(), await token({ sub: 'mod-3', name: 'Mo', role: 'moderator' }), {
      body: 'See https://a.example https://b.example https://c.example',
    });
    expect(answer.body.comment).toMatchObject({ status: 'published', author: { role: 'moderator', verified: true } });
  });
});

describe('HTTP', () => {
  it('lists Confab-User among the headers a CORS preflight allows', async () => {
    const response = await fetch(`${app.url}/api${commentsPath('t1')}`, {
      method: 'OPTIONS',
      headers: { Origin: SITE, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'confab-user' },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-headers')).toMatch(/\bConfab-User\b/);
    expect(response.headers.get('access-control-allow-origin')).toBe(SITE);
  });

  it("gives each thread the server's features, from the page cache too", async () => {
    const thread = newThread();
    for (let i = 0; i < 2; i++) {
      const read = await call(app, 'GET', commentsPath(thread));
      expect(read.body.thread.features).toEqual({ sso: true, guests: true, reports: true });
    }
  });

  it('reads without checking the token: an expired sign-in still reads the thread', async () => {
    const answer = await call(app, 'GET', commentsPath(newThread()), { headers: as(await token({}, { iat: seconds() - 7200 })) });
    expect(answer.status).toBe(200);
  });
});

describe("the README's signing snippet", () => {
  it('makes a token this server takes', async () => {
    const live = await start({ ssoSecret: SECRET });
    const saved = process.env.SSO_SECRET;
    process.env.SSO_SECRET = SECRET; // read when the snippet is imported
    let snippet: Awaited<ReturnType<typeof importReadmeSnippet>> | undefined;
    try {
      snippet = await importReadmeSnippet(new URL('../../server/README.md', import.meta.url), '## Sign-in from your site');
      const { confabToken } = snippet.module;
      const jwt = await confabToken({ id: 7, displayName: 'Rea Dme', email: 'rea@example.com', isModerator: false });
      const answer = await postAs(live, newThread(), jwt);
      expect(answer.status).toBe(201);
      expect(answer.body.comment.author).toMatchObject({ name: 'Rea Dme', verified: true });
    } finally {
      if (saved === undefined) delete process.env.SSO_SECRET;
      else process.env.SSO_SECRET = saved;
      snippet?.remove();
      await live.close();
    }
  });
});
