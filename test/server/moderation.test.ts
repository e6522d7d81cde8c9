// @vitest-environment node
// Moderation through the HTTP API (docs/admin-api.md): the views, each decision and what readers
// then see, pins, locks, bans, reports, the audit log, bulk actions, live updates, and who may
// call it. Clients are told apart by X-Forwarded-For (TRUST_PROXY=1).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, type Comment, bearer, call, commentsPath, newThread, openEventStream, post, start } from './helpers';

const ADMIN_TOKEN = 'moderation-test-admin-token-0123';
const admin = bearer(ADMIN_TOKEN);
const from = (address: string) => ({ 'X-Forwarded-For': address });
const reader = (voter: string) => ({ 'X-Voter': voter });

type AdminComment = Comment & { threadId: string; status: string; reports: { count: number; reasons: Record<string, number> } };

let app: App;
let clock = Date.now();

const act = (thread: string, id: string, action: string, headers: Record<string, string> = admin) =>
  call(app, 'POST', `/admin/threads/${encodeURIComponent(thread)}/comments/${id}/${action}`, { headers });
const view = async (name: string, query = '') =>
  (await call(app, 'GET', `/admin/comments?view=${name}${query}`, { headers: admin })).body.comments as AdminComment[];
const publicComments = async (thread: string) => (await call(app, 'GET', commentsPath(thread))).body.comments as Comment[];
// Each reader from an address of their own unless told otherwise.
const report = (
  thread: string,
  id: string,
  voter: string,
  body: unknown = { reason: 'spam' },
  address = `192.0.2.${voter.length}`,
) => call(app, 'POST', `${commentsPath(thread)}/${id}/reports`, { body, headers: { ...reader(voter), ...from(address) } });

beforeAll(async () => {
  app = await start({ adminToken: ADMIN_TOKEN, trustProxy: true, now: () => new Date(clock) });
});
afterAll(async () => {
  await app?.close();
});

describe('who may moderate', () => {
  it('answers 401 without the admin token or a session, and with a wrong token', async () => {
    expect((await call(app, 'GET', '/admin/comments')).status).toBe(401);
    const wrong = await call(app, 'GET', '/admin/comments', { headers: bearer('not-the-token-at-all-0000000') });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('unauthorized');
    expect(wrong.body.error.reason).toBe('wrong-admin-token');
    expect((await call(app, 'GET', '/admin/comments')).body.error.reason).toBe('sign-in-required');
  });

  it('signs in with the admin token into a cookie session; a change with that cookie must come from its own origin', async () => {
    const signIn = await call(app, 'POST', '/admin/session', { body: { token: ADMIN_TOKEN }, headers: { Origin: app.url } });
    expect(signIn.status).toBe(200);
    expect(signIn.body.actor).toEqual({ kind: 'token' });
    const cookie = signIn.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^confab_session=[^;]+; /);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const session = { Cookie: cookie.split(';')[0]! };
    expect((await call(app, 'GET', '/admin/session', { headers: session })).body.actor).toEqual({ kind: 'token' });

    const thread = newThread();
    const { comment } = await post(app, thread, { body: 'Pin me' }, from('198.51.100.20'));
    const foreign = await act(thread, comment.id, 'pin', { ...session, Origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    const withoutOrigin = await act(thread, comment.id, 'pin', session);
    expect(withoutOrigin.status).toBe(403);
    expect(withoutOrigin.body.error.reason).toBe('wrong-origin');
    const own = await act(thread, comment.id, 'pin', { ...session, Origin: app.url });
    expect(own.status).toBe(200);

    expect(
      (await call(app, 'DELETE', '/admin/session', { headers: { ...session, Origin: 'https://evil.example' } })).status,
    ).toBe(403);
    await call(app, 'DELETE', '/admin/session', { headers: { ...session, Origin: app.url } });
    expect((await call(app, 'GET', '/admin/session', { headers: session })).status).toBe(401);
  });

  it('refuses a wrong admin token on the sign-in page', async () => {
    const answer = await call(app, 'POST', '/admin/session', { body: { token: 'nope' }, headers: { Origin: app.url } });
    expect(answer.status).toBe(401);
    expect(answer.body.error).toEqual({ code: 'unauthorized', reason: 'wrong-admin-token', message: 'Wrong admin token' });
    // A browser signing in from another page is refused.
    const foreign = await call(app, 'POST', '/admin/session', {
      body: { token: ADMIN_TOKEN },
      headers: { Origin: 'https://evil.example' },
    });
    expect(foreign.status).toBe(403);
  });

  it('answers 429 after ten wrong admin tokens from one client', async () => {
    const guesser = from('203.0.113.99');
    for (let i = 0; i < 10; i++) {
      const wrong = await call(app, 'GET', '/admin/counts', {
        headers: { ...guesser, ...bearer(`guess-${i}-000000000000000000`) },
      });
      expect(wrong.status).toBe(401);
    }
    const limited = await call(app, 'GET', '/admin/counts', { headers: { ...guesser, ...bearer('guess-x-000000000000000000') } });
    expect(limited.status).toBe(429);
    expect(limited.body.error).toMatchObject({ code: 'rate_limited', reason: 'sign-in-limit' });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('ends the sessions opened with the admin token when the token changes', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'confab-token-'));
    const first = await start({ adminToken: ADMIN_TOKEN, dataDir: folder });
    let cookie;
    try {
      const signIn = await call(first, 'POST', '/admin/session', {
        body: { token: ADMIN_TOKEN },
        headers: { Origin: first.url },
      });
      cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
      expect((await call(first, 'GET', '/admin/session', { headers: { Cookie: cookie } })).status).toBe(200);
    } finally {
      await first.close();
    }
    const second = await start({ adminToken: 'a-new-admin-token-0123456789abcdef', dataDir: folder });
    try {
      expect((await call(second, 'GET', '/admin/session', { headers: { Cookie: cookie } })).status).toBe(401);
    } finally {
      await second.close();
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('lets an invited moderator set a password, sign in and act; the audit log names them', async () => {
    const added = await call(app, 'POST', '/admin/moderators', { headers: admin, body: { email: 'mo@example.com', name: 'Mo' } });
    expect(added.status).toBe(201);
    const link = new URL(added.body.link);
    expect(link.pathname).toBe('/admin/');
    const token = /^#set-password=(.+)$/.exec(link.hash)![1]!;
    const set = await call(app, 'POST', '/admin/password', {
      body: { link: token, password: 'a long enough password' },
      headers: { Origin: app.url },
    });
    expect(set.status).toBe(200);
    expect(set.body.actor).toMatchObject({ kind: 'moderator', email: 'mo@example.com', name: 'Mo' });
    // The link works once.
    const again = await call(app, 'POST', '/admin/password', {
      body: { link: token, password: 'another password!' },
      headers: { Origin: app.url },
    });
    expect(again.status).toBe(401);
    expect(again.body.error.reason).toBe('link-expired');
    const twice = await call(app, 'POST', '/admin/moderators', { headers: admin, body: { email: 'MO@example.com' } });
    expect(twice.status).toBe(409);
    expect(twice.body.error).toMatchObject({ code: 'conflict', reason: 'moderator-exists' });
    const wrongPassword = await call(app, 'POST', '/admin/session', {
      body: { email: 'mo@example.com', password: 'not the password' },
      headers: { Origin: app.url },
    });
    expect(wrongPassword.body.error).toMatchObject({ code: 'unauthorized', reason: 'wrong-sign-in' });
    const signIn = await call(app, 'POST', '/admin/session', {
      body: { email: 'mo@example.com', password: 'a long enough password' },
      headers: { Origin: app.url },
    });
    expect(signIn.status).toBe(200);
    const session = { Cookie: signIn.headers.get('set-cookie')!.split(';')[0]!, Origin: app.url };

    const thread = newThread();
    const { comment } = await post(app, thread, { body: 'Spammy' }, from('198.51.100.21'));
    expect((await act(thread, comment.id, 'spam', session)).status).toBe(200);
    const { entries } = (await call(app, 'GET', '/admin/audit', { headers: admin })).body;
    expect(entries[0]).toMatchObject({
      action: 'spam',
      threadId: thread,
      commentId: comment.id,
      actor: { kind: 'moderator', email: 'mo@example.com' },
      before: { status: 'published' },
      after: { status: 'spam' },
    });
    const list = (await call(app, 'GET', '/admin/moderators', { headers: admin })).body.moderators;
    const mo = list.find((m: { email: string }) => m.email === 'mo@example.com');
    expect(mo).toMatchObject({ name: 'Mo', invited: false });

    const others = await call(app, 'PUT', '/admin/moderators/m_someone_else/alerts', {
      headers: session,
      body: { alerts: 'off' },
    });
    expect(others.body.error).toMatchObject({ code: 'unauthorized', reason: 'alerts-not-own' });

    // Removed: their session ends at once.
    expect((await call(app, 'DELETE', `/admin/moderators/${mo.id}`, { headers: admin })).status).toBe(200);
    expect((await call(app, 'DELETE', `/admin/moderators/${mo.id}`, { headers: admin })).body.error.reason).toBe(
      'moderator-gone',
    );
    expect((await call(app, 'GET', '/admin/session', { headers: session })).status).toBe(401);
  });
});

describe('decisions', () => {
  it('spam hides a comment from readers and Restore brings it back', async () => {
    const thread = newThread();
    const { comment } = await post(app, thread, { body: 'Buy now' }, from('198.51.100.30'));
    const spam = await act(thread, comment.id, 'spam');
    expect(spam.body.comment).toMatchObject({ id: comment.id, status: 'spam' });
    expect(await publicComments(thread)).toEqual([]);
    expect((await view('spam')).map((c) => c.id)).toContain(comment.id);
    const restored = await act(thread, comment.id, 'restore');
    expect(restored.body.comment).toMatchObject({ status: 'published', body: 'Buy now' });
    expect((await publicComments(thread)).map((c) => c.body)).toEqual(['Buy now']);
  });

  it('deletes as the protocol does (readers keep the empty place) and restores the text from the audit log', async () => {
    const thread = newThread();
    const { comment } = await post(app, thread, { body: 'Rude words' }, from('198.51.100.31'));
    expect((await act(thread, comment.id, 'delete')).body.comment).toMatchObject({ status: 'deleted', body: '' });
    expect(await publicComments(thread)).toMatchObject([{ id: comment.id, status: 'deleted', body: '' }]);
    expect((await act(thread, comment.id, 'restore')).body.comment).toMatchObject({ status: 'published', body: 'Rude words' });
  });

  it('cannot restore what its author deleted', async () => {
    const thread = newThread();
    const { comment, editToken } = await post(app, thread, { body: 'Mine' }, from('198.51.100.32'));
    await call(app, 'DELETE', `${commentsPath(thread)}/${comment.id}`, { headers: bearer(editToken) });
    const answer = await act(thread, comment.id, 'restore');
    expect(answer.status).toBe(400);
    expect(answer.body.error.reason).toBe('restore-author-deleted');
  });

  it('does not restore text its author replaced and then deleted', async () => {
    const thread = newThread();
    const { comment, editToken } = await post(app, thread, { body: 'First words' }, from('198.51.100.38'));
    await act(thread, comment.id, 'delete');
    await act(thread, comment.id, 'restore');
    await call(app, 'PATCH', `${commentsPath(thread)}/${comment.id}`, {
      headers: bearer(editToken),
      body: { body: 'Second words' },
    });
    await call(app, 'DELETE', `${commentsPath(thread)}/${comment.id}`, { headers: bearer(editToken) });
    expect((await act(thread, comment.id, 'restore')).status).toBe(400);
    expect(await publicComments(thread)).toMatchObject([{ id: comment.id, status: 'deleted', body: '' }]);
  });

  it('keeps the replies of a comment marked as spam, under an empty place without its author', async () => {
    const thread = newThread();
    const parent = await post(app, thread, { body: 'Spam with an answer', author: { name: 'Spammer' } }, from('198.51.100.39'));
    const reply = await post(app, thread, { body: 'An innocent reply', parentId: parent.comment.id }, from('198.51.100.40'));
    await act(thread, parent.comment.id, 'spam');
    const shown = await publicComments(thread);
    expect(shown.map((c) => [c.id, c.status, c.body, c.author.name])).toEqual([
      [parent.comment.id, 'deleted', '', ''],
      [reply.comment.id, 'published', 'An innocent reply', ''],
    ]);
    // Without replies, a comment taken away leaves no place at all.
    const alone = await post(app, thread, { body: 'Lonely spam' }, from('198.51.100.39'));
    await act(thread, alone.comment.id, 'spam');
    expect((await publicComments(thread)).map((c) => c.id)).not.toContain(alone.comment.id);
  });

  it('leaves no empty place for a held comment deleted before anyone saw it', async () => {
    const thread = newThread();
    await post(app, thread, { body: 'Visible' }, from('198.51.100.41'));
    const held = await post(app, thread, { body: 'Held', composeMs: 10 }, from('198.51.100.41'));
    expect(held.comment.status).toBe('pending');
    await act(thread, held.comment.id, 'delete');
    expect((await publicComments(thread)).map((c) => c.body)).toEqual(['Visible']);
  });

  it('replies only to a published comment', async () => {
    const thread = newThread();
    const held = await post(app, thread, { body: 'Held', composeMs: 10 }, from('198.51.100.42'));
    const answer = await call(app, 'POST', `/admin/threads/${thread}/comments/${held.comment.id}/replies`, {
      headers: admin,
      body: { body: 'Too early' },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error.reason).toBe('reply-not-published');
  });

  it('answers 404 for a comment of another thread, an unknown comment and an unknown action', async () => {
    const thread = newThread();
    const { comment } = await post(app, thread, {}, from('198.51.100.33'));
    const elsewhere = await act(newThread(), comment.id, 'approve');
    expect(elsewhere.status).toBe(404);
    expect(elsewhere.body.error.reason).toBe('comment-gone');
    expect((await act(thread, 'c_nope', 'approve')).body.error.reason).toBe('comment-gone');
    expect((await act(thread, comment.id, 'explode')).status).toBe(404);
  });

  it('pins a comment first in its thread for readers, whatever the sort, and unpins it', async () => {
    const thread = newThread();
    // The clock is the test's own: a second between posts gives them their order.
    clock += 1000;
    const first = await post(app, thread, { body: 'First' }, from('198.51.100.34'));
    clock += 1000;
    const second = await post(app, thread, { body: 'Second' }, from('198.51.100.34'));
    clock += 1000;
    const reply = await post(app, thread, { body: 'Reply', parentId: first.comment.id }, from('198.51.100.34'));
    expect((await act(thread, second.comment.id, 'pin')).body.comment.pinned).toBe(true);
    for (const sort of ['oldest', 'newest', 'top']) {
      const { body } = await call(app, 'GET', `${commentsPath(thread)}?sort=${sort}`);
      expect(body.comments.map((c: Comment) => c.id)).toEqual([second.comment.id, first.comment.id, reply.comment.id]);
      expect(body.comments[0].pinned).toBe(true);
      expect('pinned' in body.comments[1]).toBe(false);
    }
    // The pinned comment is not counted in the page size, and later pages leave it out.
    clock += 1000;
    const third = await post(app, thread, { body: 'Third' }, from('198.51.100.34'));
    const page = await call(app, 'GET', `${commentsPath(thread)}?limit=1`);
    expect(page.body.comments.map((c: Comment) => c.id)).toEqual([second.comment.id, first.comment.id, reply.comment.id]);
    const next = await call(app, 'GET', `${commentsPath(thread)}?limit=1&cursor=${page.body.nextCursor}`);
    expect(next.body.comments.map((c: Comment) => c.id)).toEqual([third.comment.id]);
    expect(next.body.nextCursor).toBeNull();
    const replyPin = await act(thread, reply.comment.id, 'pin');
    expect(replyPin.status).toBe(400);
    expect(replyPin.body.error.reason).toBe('pin-not-allowed');
    await act(thread, second.comment.id, 'unpin');
    expect((await publicComments(thread)).map((c) => c.id)).toEqual([
      first.comment.id,
      reply.comment.id,
      second.comment.id,
      third.comment.id,
    ]);
  });

  it('edits a comment and keeps the earlier text in the audit log', async () => {
    const thread = newThread();
    const { comment } = await post(app, thread, { body: 'Teh typo' }, from('198.51.100.35'));
    const edited = await call(app, 'PATCH', `/admin/threads/${thread}/comments/${comment.id}`, {
      headers: admin,
      body: { body: 'The typo' },
    });
    expect(edited.body.comment).toMatchObject({ body: 'The typo' });
    expect(edited.body.comment.editedAt).not.toBeNull();
    const { entries } = (await call(app, 'GET', '/admin/audit', { headers: admin })).body;
    expect(entries[0]).toMatchObject({ action: 'edit', before: { body: 'Teh typo' }, after: { body: 'The typo' } });
    // What the dashboard words by reason: an empty or too long text, a deleted comment, a long search.
    const edit = (body: string) =>
      call(app, 'PATCH', `/admin/threads/${thread}/comments/${comment.id}`, { headers: admin, body: { body } });
    expect((await edit('  ')).body.error).toMatchObject({ reason: 'body-required', fields: { body: 'Required' } });
    expect((await edit('x'.repeat(10_001))).body.error.reason).toBe('body-too-long');
    await act(thread, comment.id, 'delete');
    expect((await edit('Again')).body.error).toMatchObject({ code: 'not_found', reason: 'comment-deleted' });
    expect((await act(thread, comment.id, 'approve')).body.error.reason).toBe('comment-deleted');
    const search = await call(app, 'GET', `/admin/comments?view=all&q=${'q'.repeat(201)}`, { headers: admin });
    expect(search.body.error).toMatchObject({ code: 'invalid', reason: 'search-too-long' });
    expect((await call(app, 'POST', '/admin/threads/t-never-seen/lock', { headers: admin })).body.error.reason).toBe(
      'thread-gone',
    );
  });

  it("posts a moderator's reply with the moderator role readers see", async () => {
    const thread = newThread();
    const { comment } = await post(app, thread, { body: 'A question' }, from('198.51.100.36'));
    const answer = await call(app, 'POST', `/admin/threads/${thread}/comments/${comment.id}/replies`, {
      headers: admin,
      body: { body: 'An answer', name: 'The editors' },
    });
    expect(answer.status).toBe(201);
    const [, reply] = await publicComments(thread);
    expect(reply).toMatchObject({
      parentId: comment.id,
      body: 'An answer',
      author: { name: 'The editors', role: 'moderator' },
      status: 'published',
    });
  });

  it('approves, spams and deletes up to 100 comments in one request', async () => {
    const thread = newThread();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await post(app, thread, { body: `Bulk ${i}` }, from('198.51.100.37'))).comment.id);
    const answer = await call(app, 'POST', '/admin/bulk', {
      headers: admin,
      body: { action: 'spam', comments: [...ids.map((id) => ({ threadId: thread, id })), { threadId: thread, id: 'c_gone' }] },
    });
    expect(answer.status).toBe(200);
    expect(answer.body.comments.map((c: AdminComment) => [c.id, c.status])).toEqual(ids.map((id) => [id, 'spam']));
    const tooMany = Array.from({ length: 101 }, () => ({ threadId: thread, id: ids[0] }));
    const over = await call(app, 'POST', '/admin/bulk', { headers: admin, body: { action: 'spam', comments: tooMany } });
    expect(over.status).toBe(400);
    expect(over.body.error.reason).toBe('bulk-limit');
    const unknown = await call(app, 'POST', '/admin/bulk', { headers: admin, body: { action: 'pin', comments: [] } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.fields.action).toBeDefined();
    expect(unknown.body.error.reason).toBe('bulk-invalid');
    // A bad item anywhere changes nothing.
    const fresh = await post(app, thread, { body: 'Untouched' }, from('198.51.100.37'));
    const partly = await call(app, 'POST', '/admin/bulk', {
      headers: admin,
      body: { action: 'delete', comments: [{ threadId: thread, id: fresh.comment.id }, { id: 'c_no_thread' }] },
    });
    expect(partly.status).toBe(400);
    expect((await publicComments(thread)).map((c) => c.body)).toContain('Untouched');
  });
});

describe('views', () => {
  it('pages every comment newest first by cursor, and searches text, author, email and thread', async () => {
    const thread = newThread();
    const made: string[] = [];
    for (const [i, name] of ['Ann', 'Bob', 'Ann'].entries()) {
      clock += 1000;
      const author = { name, email: `${name.toLowerCase()}@example.com` };
      made.push((await post(app, thread, { body: `Needle ${i} ${thread}`, author }, from('198.51.100.40'))).comment.id);
    }
    const first = await call(app, 'GET', `/admin/comments?view=all&limit=2&thread=${thread}`, { headers: admin });
    expect(first.body.comments.map((c: AdminComment) => c.id)).toEqual([made[2], made[1]]);
    const second = await call(app, 'GET', `/admin/comments?view=all&limit=2&thread=${thread}&cursor=${first.body.nextCursor}`, {
      headers: admin,
    });
    expect(second.body.comments.map((c: AdminComment) => c.id)).toEqual([made[0]]);
    expect(second.body.nextCursor).toBeNull();

    expect((await view('all', `&q=${encodeURIComponent(`needle 1 ${thread}`)}`)).map((c) => c.id)).toEqual([made[1]]);
    expect((await view('all', `&thread=${thread}&author=ann`)).map((c) => c.id)).toEqual([made[2], made[0]]);
    expect((await view('all', `&thread=${thread}&email=BOB@example.com`)).map((c) => c.id)).toEqual([made[1]]);
    // A search is text, not a pattern.
    expect(await view('all', `&thread=${thread}&q=%25`)).toEqual([]);
    expect((await call(app, 'GET', '/admin/comments?view=all&cursor=junk', { headers: admin })).status).toBe(400);
    expect((await call(app, 'GET', '/admin/comments?view=bogus', { headers: admin })).status).toBe(400);
  });

  it('lists threads by their latest comment, with counts, and locks one: readers cannot post, the forms go', async () => {
    const quiet = newThread();
    const busy = newThread();
    clock += 1000;
    await post(app, quiet, {}, from('198.51.100.41'));
    clock += 1000;
    await post(app, busy, {}, from('198.51.100.41'));
    await post(app, busy, {}, from('198.51.100.41'));
    const { threads } = (await call(app, 'GET', '/admin/threads?limit=2', { headers: admin })).body;
    expect(threads.map((t: { id: string }) => t.id)).toEqual([busy, quiet]);
    expect(threads[0]).toMatchObject({ commentCount: 2, pendingCount: 0, locked: false });

    const locked = await call(app, 'POST', `/admin/threads/${busy}/lock`, { headers: admin });
    expect(locked.body.thread.locked).toBe(true);
    expect((await call(app, 'GET', commentsPath(busy))).body.thread.locked).toBe(true);
    const refused = await call(app, 'POST', commentsPath(busy), { body: { body: 'Late' }, headers: from('198.51.100.41') });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('locked');
    await call(app, 'POST', `/admin/threads/${busy}/unlock`, { headers: admin });
    expect((await call(app, 'GET', commentsPath(busy))).body.thread.locked).toBe(false);
  });

  it('counts the queues', async () => {
    const before = (await call(app, 'GET', '/admin/counts', { headers: admin })).body;
    const thread = newThread();
    const { comment } = await post(app, thread, { body: 'Junk' }, from('198.51.100.42'));
    await act(thread, comment.id, 'spam');
    const after = (await call(app, 'GET', '/admin/counts', { headers: admin })).body;
    expect(after).toEqual({ ...before, spam: before.spam + 1 });
  });
});

describe('bans', () => {
  it("refuses a banned author's next post by email (from anywhere) with 403 banned and stores nothing; unban lets them back", async () => {
    const thread = newThread();
    const author = { name: 'Troll', email: 'troll@example.com' };
    const { comment } = await post(app, thread, { body: 'Bait', author }, from('198.51.100.50'));
    const banned = await call(app, 'POST', '/admin/bans', {
      headers: admin,
      body: { threadId: thread, commentId: comment.id, kinds: ['email'], days: null, note: 'Trolling' },
    });
    expect(banned.status).toBe(201);
    expect(banned.body.ban).toMatchObject({ kinds: ['email'], authorName: 'Troll', note: 'Trolling', expiresAt: null });

    const refused = await call(app, 'POST', commentsPath(thread), {
      body: { body: 'Again', author: { email: ' TROLL@example.com' } },
      headers: from('203.0.113.50'),
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toEqual({ code: 'banned', message: 'You cannot comment on this site' });
    expect((await publicComments(thread)).map((c) => c.body)).toEqual(['Bait']);
    // Another commenter from the same address is not banned by email.
    expect((await post(app, thread, { body: 'Fine' }, from('198.51.100.50'))).comment.status).toBe('published');

    const { bans } = (await call(app, 'GET', '/admin/bans', { headers: admin })).body;
    expect(bans.map((b: { id: string }) => b.id)).toContain(banned.body.ban.id);
    expect((await call(app, 'DELETE', `/admin/bans/${banned.body.ban.id}`, { headers: admin })).status).toBe(200);
    expect((await post(app, thread, { body: 'Sorry', author }, from('198.51.100.50'))).comment.status).toBe('published');
  });

  it('bans by address prefix for a number of days, after which the ban ends', async () => {
    const thread = newThread();
    const { comment } = await post(app, thread, { body: 'From here' }, from('2001:db8:1:2::1'));
    await call(app, 'POST', '/admin/bans', {
      headers: admin,
      body: { threadId: thread, commentId: comment.id, kinds: ['client'], days: 1 },
    });
    // The same /64.
    const refused = await call(app, 'POST', commentsPath(thread), { body: { body: 'x' }, headers: from('2001:db8:1:2::ffff') });
    expect(refused.status).toBe(403);
    expect((await post(app, thread, { body: 'Other net' }, from('2001:db8:1:3::1'))).comment.status).toBe('published');
    clock += 86_400_000 + 1000;
    expect((await post(app, thread, { body: 'A day later' }, from('2001:db8:1:2::1'))).comment.status).toBe('published');
  });

  it('refuses a ban without kinds, with a bad duration or on a comment with nothing to ban', async () => {
    const thread = newThread();
    const { comment } = await post(app, thread, {}, from('198.51.100.51'));
    const bad = await call(app, 'POST', '/admin/bans', {
      headers: admin,
      body: { threadId: thread, commentId: comment.id, kinds: [], days: -1 },
    });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error.fields).sort()).toEqual(['days', 'kinds']);
    expect(bad.body.error.reason).toBe('ban-kinds');
    const longNote = await call(app, 'POST', '/admin/bans', {
      headers: admin,
      body: { threadId: thread, commentId: comment.id, kinds: ['client'], days: 1, note: 'n'.repeat(501) },
    });
    expect(longNote.body.error).toMatchObject({ reason: 'ban-note', fields: { note: expect.any(String) } });
    const noEmail = await call(app, 'POST', '/admin/bans', {
      headers: admin,
      body: { threadId: thread, commentId: comment.id, kinds: ['email'], days: null },
    });
    expect(noEmail.status).toBe(400);
    expect(noEmail.body.error.reason).toBe('ban-no-address');
    const gone = await call(app, 'DELETE', '/admin/bans/b_gone', { headers: admin });
    expect(gone.status).toBe(404);
    expect(gone.body.error.reason).toBe('ban-gone');
  });
});

describe('reader reports', () => {
  it('takes one report per reader; three readers send a comment back to pending until a moderator approves it', async () => {
    const thread = newThread();
    const { comment } = await post(app, thread, { body: 'Hot take' }, from('198.51.100.60'));
    expect((await report(thread, comment.id, 'reader-1', { reason: 'abuse', note: 'Insulting' }, '192.0.2.1')).status).toBe(201);
    // Again by the same reader: 200, nothing changes.
    expect((await report(thread, comment.id, 'reader-1', { reason: 'spam' }, '192.0.2.1')).status).toBe(200);
    expect((await report(thread, comment.id, 'reader-2', { reason: 'abuse' }, '192.0.2.2')).status).toBe(201);
    const reported = (await view('reported')).find((c) => c.id === comment.id)!;
    expect(reported.reports).toMatchObject({ count: 2, reasons: { abuse: 2 }, notes: ['Insulting'] });
    expect(reported.status).toBe('published');
    expect((await publicComments(thread)).map((c) => c.id)).toEqual([comment.id]);

    expect((await report(thread, comment.id, 'reader-3', { reason: 'off-topic' }, '192.0.2.3')).status).toBe(201);
    expect(await publicComments(thread)).toEqual([]);
    const held = (await view('pending')).find((c) => c.id === comment.id)!;
    expect(held).toMatchObject({ status: 'pending', holdReason: 'reports' });
    const { entries } = (await call(app, 'GET', '/admin/audit', { headers: admin })).body;
    expect(entries[0]).toMatchObject({ action: 'reports.hold', actor: null, commentId: comment.id });

    await act(thread, comment.id, 'approve');
    expect((await publicComments(thread)).map((c) => c.id)).toEqual([comment.id]);
    expect((await view('reported')).map((c) => c.id)).not.toContain(comment.id);
  });

  it('counts one address once, however many reader ids it sends', async () => {
    const thread = newThread();
    const { comment } = await post(app, thread, { body: 'Unpopular with one person' }, from('198.51.100.62'));
    for (const voter of ['sock-1', 'sock-22', 'sock-333', 'sock-4444']) {
      expect((await report(thread, comment.id, voter, { reason: 'spam' }, '203.0.113.62')).status).toBe(201);
    }
    expect((await publicComments(thread)).map((c) => c.id)).toEqual([comment.id]);
    expect((await view('reported')).find((c) => c.id === comment.id)?.reports.count).toBe(4);
  });

  it('settles the reports and the pin of a comment deleted through the protocol', async () => {
    const thread = newThread();
    const { comment, editToken } = await post(app, thread, { body: 'Soon gone' }, from('198.51.100.63'));
    await act(thread, comment.id, 'pin');
    await report(thread, comment.id, 'reader-x', { reason: 'spam' }, '192.0.2.70');
    await call(app, 'DELETE', `${commentsPath(thread)}/${comment.id}`, { headers: bearer(editToken) });
    expect((await view('reported')).map((c) => c.id)).not.toContain(comment.id);
    const [shown] = await publicComments(thread);
    expect(shown).toMatchObject({ id: comment.id, status: 'deleted' });
    expect('pinned' in shown!).toBe(false);
  });

  it('refuses an unknown reason, a note over 500 characters, no X-Voter, and reports on a deleted or unknown comment', async () => {
    const thread = newThread();
    const { comment, editToken } = await post(app, thread, {}, from('198.51.100.61'));
    const reason = await report(thread, comment.id, 'r', { reason: 'boring' });
    expect(reason.status).toBe(400);
    expect(reason.body.error.fields.reason).toMatch(/spam, abuse, off-topic, other/);
    const note = await report(thread, comment.id, 'r', { reason: 'other', note: 'x'.repeat(501) });
    expect(note.status).toBe(400);
    expect(note.body.error.fields.note).toMatch(/500/);
    expect((await report(thread, comment.id, 'r', { reason: 'other', note: 'x'.repeat(500) })).status).toBe(201);
    const noVoter = await call(app, 'POST', `${commentsPath(thread)}/${comment.id}/reports`, { body: { reason: 'spam' } });
    expect(noVoter.status).toBe(400);
    await call(app, 'DELETE', `${commentsPath(thread)}/${comment.id}`, { headers: bearer(editToken) });
    expect((await report(thread, comment.id, 'r2')).status).toBe(404);
    expect((await report(thread, 'c_unknown', 'r2')).status).toBe(404);
    expect((await report(newThread(), comment.id, 'r2')).status).toBe(404);
  });
});

describe('live updates for dashboards', () => {
  it('sends the counts on connect, then a held comment and the new counts', async () => {
    const held = await start({ adminToken: ADMIN_TOKEN, moderation: 'pre' });
    try {
      const events = await openEventStream(held, '/admin/events', admin);
      expect(await events.next()).toEqual({ type: 'counts', data: { pending: 0, reported: 0, spam: 0 } });
      const thread = newThread();
      const { comment } = await post(held, thread, { body: 'Wait for me' });
      const next = await events.next();
      expect(next.type).toBe('comment');
      expect(next.data.comment).toMatchObject({
        id: comment.id,
        threadId: thread,
        status: 'pending',
        holdReason: 'pre-moderation',
      });
      expect(await events.next()).toEqual({ type: 'counts', data: { pending: 1, reported: 0, spam: 0 } });
      events.close();
    } finally {
      await held.close();
    }
  });

  it('refuses the stream without a session or token', async () => {
    expect((await call(app, 'GET', '/admin/events')).status).toBe(401);
  });
});

describe('the dashboard files at /admin/', () => {
  it('serves the page and its hashed assets with a strict CSP, 304 when unchanged, and 404 for a missing asset', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'confab-dashboard-'));
    mkdirSync(join(folder, 'assets'));
    writeFileSync(join(folder, 'index.html'), '<!doctype html><script type="module" src="/admin/assets/app-1.js"></script>');
    writeFileSync(join(folder, 'assets', 'app-1.js'), 'console.log(1)');
    const served = await start({ dashboardDir: folder });
    try {
      const page = await fetch(`${served.url}/admin/`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(page.headers.get('cache-control')).toBe('no-cache');
      const csp = page.headers.get('content-security-policy')!;
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-inline');
      const again = await fetch(`${served.url}/admin/`, { headers: { 'If-None-Match': page.headers.get('etag')! } });
      expect(again.status).toBe(304);
      // The app's views live in the hash, but any path under /admin/ opens it.
      expect((await fetch(`${served.url}/admin/pending`)).status).toBe(200);
      const asset = await fetch(`${served.url}/admin/assets/app-1.js`);
      expect(asset.headers.get('cache-control')).toContain('immutable');
      expect(asset.headers.get('content-type')).toMatch(/^text\/javascript/);
      expect((await fetch(`${served.url}/admin/assets/missing.js`)).status).toBe(404);
      const bare = await fetch(`${served.url}/admin`, { redirect: 'manual' });
      expect(bare.status).toBe(308);
      expect(bare.headers.get('location')).toBe('/admin/');
    } finally {
      await served.close();
      rmSync(folder, { recursive: true, force: true });
    }
  });

  // The catalogs' words come from the built package (widget/dashboard-page.json: npm run build -w confab-server).
  it("writes the page's title and noscript line in the browser's language, varying by Accept-Language", async () => {
    const folder = mkdtempSync(join(tmpdir(), 'confab-dashboard-'));
    mkdirSync(join(folder, 'assets'));
    writeFileSync(
      join(folder, 'index.html'),
      '<!doctype html>\n<html lang="en">\n<head><title>Confab moderation</title></head>\n' +
        '<body><div id="app"></div><noscript>The Confab moderation dashboard needs JavaScript.</noscript></body>\n</html>\n',
    );
    writeFileSync(join(folder, 'assets', 'app-1.js'), 'console.log(1)');
    const served = await start({ dashboardDir: folder });
    const page = (acceptLanguage?: string) =>
      fetch(`${served.url}/admin/`, { headers: acceptLanguage ? { 'Accept-Language': acceptLanguage } : {} });
    try {
      const german = await page('de-AT,de;q=0.9,en;q=0.5');
      expect(german.headers.get('vary')).toBe('Accept-Language');
      expect(german.headers.get('cache-control')).toBe('no-cache');
      expect(german.headers.get('content-security-policy')).toContain("script-src 'self'");
      const html = await german.text();
      expect(html).toContain('<html lang="de">');
      expect(html).toContain('<title>Confab-Moderation</title>');
      expect(html).toContain('<noscript>Das Moderations-Dashboard von Confab braucht JavaScript.</noscript>');
      // Each language its own ETag: a German page is not revalidated as an English one.
      const english = await page();
      expect(await english.text()).toContain('<title>Confab moderation</title>');
      expect(english.headers.get('vary')).toBe('Accept-Language');
      expect(english.headers.get('etag')).not.toBe(german.headers.get('etag'));
      const revalidated = await fetch(`${served.url}/admin/`, {
        headers: { 'Accept-Language': 'de', 'If-None-Match': german.headers.get('etag')! },
      });
      expect(revalidated.status).toBe(304);
      expect(revalidated.headers.get('vary')).toBe('Accept-Language');
      expect((await page('en')).headers.get('etag')).toBe(english.headers.get('etag'));
      // Region, then language, then English; the q-values order the tags.
      expect(await (await page('pt')).text()).toContain('<html lang="pt-BR">');
      expect(await (await page('xx-YY, fr;q=0.8, de;q=0.9')).text()).toContain('<html lang="de">');
      expect(await (await page('en-GB, de;q=0.9')).text()).toContain('<title>Confab moderation</title>');
      expect(await (await page('tlh, *')).text()).toContain('<html lang="en">');
      const arabic = await (await page('ar-EG')).text();
      expect(arabic).toContain('<html lang="ar" dir="rtl">');
      expect(arabic).toContain('<noscript>تحتاج لوحة الإشراف في Confab إلى JavaScript.</noscript>');
      // The assets are the same for everyone.
      const asset = await fetch(`${served.url}/admin/assets/app-1.js`, { headers: { 'Accept-Language': 'de' } });
      expect(asset.headers.get('vary')).toBeNull();
      expect(asset.headers.get('cache-control')).toContain('immutable');
    } finally {
      await served.close();
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
