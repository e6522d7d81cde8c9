// @vitest-environment node
// Who may change what and when: edit tokens, the edit window, the admin token, pre-moderation;
// and the guards: rate limit, allowed origins, idempotency (across a restart too), no internals
// in error answers.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type App,
  type Comment,
  SEED_THREAD,
  allComments,
  bearer,
  call,
  captureLogger,
  commentsPath,
  newThread,
  openEvents,
  post,
  seed,
  start,
} from './helpers';

const ADMIN_TOKEN = 'admin-token-for-tests-0123456789';
const EDIT_WINDOW_MS = 15 * 60_000;

describe('ownership, the edit window and the admin token', () => {
  let app: App;
  // The server's clock, moved by the tests.
  let clock = Date.now();

  beforeAll(async () => {
    app = await start({ seed, adminToken: ADMIN_TOKEN, editWindowMs: EDIT_WINDOW_MS, now: () => new Date(clock) });
  });
  afterAll(async () => {
    await app?.close();
  });

  const commentPath = (thread: string, comment: Comment) => `${commentsPath(thread)}/${comment.id}`;

  it('refuses a wrong token, another comment’s token, and no token, and changes nothing', async () => {
    const thread = newThread();
    const mine = await post(app, thread, { body: 'Mine' });
    const theirs = await post(app, thread, { body: 'Theirs' });
    const path = commentPath(thread, mine.comment);
    const attempts: Array<Record<string, string>> = [
      bearer(theirs.editToken),
      // One character changed (to a different one: a token ending in "A" made this the real one).
      bearer(`${mine.editToken.slice(0, -1)}${mine.editToken.endsWith('A') ? 'B' : 'A'}`),
      bearer(ADMIN_TOKEN.slice(0, -1)),
      { Authorization: mine.editToken },
      {},
    ];
    for (const headers of attempts) {
      const edit = await call(app, 'PATCH', path, { body: { body: 'Hijacked' }, headers });
      expect(edit.status).toBe(401);
      expect(edit.body.error.code).toBe('unauthorized');
      expect((await call(app, 'DELETE', path, { headers })).status).toBe(401);
    }
    const stored = await allComments(app, thread);
    expect(stored.find((c) => c.id === mine.comment.id)).toMatchObject({ body: 'Mine', status: 'published' });
  });

  it('lets nobody but an admin change a seed comment, which has no token', async () => {
    const path = `${commentsPath(SEED_THREAD)}/c3`;
    expect((await call(app, 'PATCH', path, { body: { body: 'x' }, headers: bearer('anything') })).status).toBe(401);
    const byAdmin = await call(app, 'PATCH', path, { body: { body: 'Moderated' }, headers: bearer(ADMIN_TOKEN) });
    expect(byAdmin.status).toBe(200);
    expect(byAdmin.body.comment.body).toBe('Moderated');
  });

  it('lets the author edit and delete within the window only; the admin at any time', async () => {
    const thread = newThread();
    const first = await post(app, thread, { body: 'One' });
    const second = await post(app, thread, { body: 'Two' });

    clock += EDIT_WINDOW_MS - 1_000;
    const inTime = await call(app, 'PATCH', commentPath(thread, first.comment), {
      body: { body: 'One, fixed' },
      headers: bearer(first.editToken),
    });
    expect(inTime.status).toBe(200);

    clock += 2_000;
    const late = await call(app, 'PATCH', commentPath(thread, first.comment), {
      body: { body: 'Too late' },
      headers: bearer(first.editToken),
    });
    expect(late.status).toBe(403);
    expect(late.body.error).toEqual({ code: 'unauthorized', message: 'The time to change this comment has passed' });
    expect((await call(app, 'DELETE', commentPath(thread, second.comment), { headers: bearer(second.editToken) })).status).toBe(
      403,
    );

    const moderated = await call(app, 'DELETE', commentPath(thread, second.comment), { headers: bearer(ADMIN_TOKEN) });
    expect(moderated.status).toBe(200);
    expect(moderated.body.comment.status).toBe('deleted');
  });

  it('lets an admin edit in a locked thread, where authors may not', async () => {
    const thread = newThread();
    const { comment, editToken } = await post(app, thread);
    await app.db.query('UPDATE threads SET locked = true WHERE id = $1', [thread]);
    const path = commentPath(thread, comment);
    expect((await call(app, 'PATCH', path, { body: { body: 'x' }, headers: bearer(editToken) })).body.error.code).toBe('locked');
    expect((await call(app, 'PATCH', path, { body: { body: 'x' }, headers: bearer(ADMIN_TOKEN) })).status).toBe(200);
  });

  it('keeps admin endpoints to the admin token', async () => {
    const thread = newThread();
    const { comment, editToken } = await post(app, thread);
    for (const headers of [{}, bearer(editToken), bearer('wrong-admin-token-0123456789')]) {
      expect((await call(app, 'POST', `${commentPath(thread, comment)}/approve`, { headers })).status).toBe(401);
      expect((await call(app, 'GET', '/admin/pending', { headers })).status).toBe(401);
    }
  });
});

describe('MODERATION=pre', () => {
  let app: App;

  beforeAll(async () => {
    app = await start({ adminToken: ADMIN_TOKEN, moderation: 'pre' });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('keeps new comments pending, unseen and uncounted, until an admin approves them', async () => {
    const thread = newThread();
    const events = await openEvents(app, thread);
    try {
      const { comment, editToken } = await post(app, thread, { body: 'Please approve' });
      expect(comment.status).toBe('pending');
      const read = (await call(app, 'GET', commentsPath(thread))).body;
      expect(read.comments).toEqual([]);
      expect(read.thread.commentCount).toBe(0);
      expect((await call(app, 'GET', `/counts?thread=${thread}`)).body.counts[thread]).toBe(0);

      // Its author can still fix it while it waits.
      const path = `${commentsPath(thread)}/${comment.id}`;
      expect((await call(app, 'PATCH', path, { body: { body: 'Please approve me' }, headers: bearer(editToken) })).status).toBe(
        200,
      );

      const pending = await call(app, 'GET', '/admin/pending', { headers: bearer(ADMIN_TOKEN) });
      expect(pending.body.pending).toContainEqual({
        threadId: thread,
        comment: expect.objectContaining({ id: comment.id, status: 'pending' }),
      });

      const approved = await call(app, 'POST', `${path}/approve`, { headers: bearer(ADMIN_TOKEN) });
      expect(approved.status).toBe(200);
      expect(approved.body.comment).toMatchObject({ id: comment.id, status: 'published', body: 'Please approve me' });
      // The first event is the approval: neither the post nor the edit of a pending comment is announced.
      expect(await events.next()).toEqual({ type: 'comment.created', data: approved.body.comment });

      const after = (await call(app, 'GET', commentsPath(thread))).body;
      expect(after.comments.map((c: Comment) => c.id)).toEqual([comment.id]);
      expect(after.thread.commentCount).toBe(1);
      const again = await call(app, 'POST', `${path}/approve`, { headers: bearer(ADMIN_TOKEN) });
      expect(again.body.comment).toEqual(approved.body.comment);
      expect((await call(app, 'GET', '/admin/pending', { headers: bearer(ADMIN_TOKEN) })).body.pending).not.toContainEqual(
        expect.objectContaining({ threadId: thread }),
      );
    } finally {
      events.close();
    }
  });

  it('refuses replies to a pending comment, and removing a pending comment rejects it', async () => {
    const thread = newThread();
    const { comment } = await post(app, thread);
    const reply = await call(app, 'POST', commentsPath(thread), { body: { parentId: comment.id, body: 'Reply' } });
    expect(reply.status).toBe(400);
    const path = `${commentsPath(thread)}/${comment.id}`;
    expect((await call(app, 'DELETE', path, { headers: bearer(ADMIN_TOKEN) })).body.comment.status).toBe('deleted');
    expect((await call(app, 'POST', `${path}/approve`, { headers: bearer(ADMIN_TOKEN) })).status).toBe(404);
  });
});

describe('rate limit', () => {
  let app: App;

  beforeAll(async () => {
    app = await start({ rateLimit: { burst: 3, perMinute: 6 }, adminToken: ADMIN_TOKEN, trustProxy: true });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('answers 429 with Retry-After once a client has used its burst of changes; reads go on', async () => {
    const thread = newThread();
    const client = { 'X-Forwarded-For': '203.0.113.7' };
    const { comment } = await post(app, thread, {}, client);
    await call(app, 'POST', `${commentsPath(thread)}/${comment.id}/votes`, {
      body: { value: 1 },
      headers: { ...client, 'X-Voter': 'v' },
    });
    await post(app, thread, {}, client);
    const refused = await call(app, 'POST', commentsPath(thread), { body: { body: 'One more' }, headers: client });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('10'); // one token at 6 a minute
    expect(refused.body.error.code).toBe('rate_limited');
    expect((await call(app, 'GET', commentsPath(thread), { headers: client })).status).toBe(200);
    expect(await allComments(app, thread)).toHaveLength(2);
  });

  it('keeps a bucket per client, an IPv6 /64 being one client, and spares the admin', async () => {
    const thread = newThread();
    for (let i = 0; i < 3; i++) await post(app, thread, {}, { 'X-Forwarded-For': `2001:db8:1:2::${i + 1}` });
    const sameNetwork = await call(app, 'POST', commentsPath(thread), {
      body: { body: 'x' },
      headers: { 'X-Forwarded-For': '2001:db8:1:2:ffff::9' },
    });
    expect(sameNetwork.status).toBe(429);
    await post(app, thread, {}, { 'X-Forwarded-For': '2001:db8:1:3::1' });
    // The address a proxy appends last is the one trusted, not what the client wrote before it.
    const admin = { 'X-Forwarded-For': '198.51.100.1', ...bearer(ADMIN_TOKEN) };
    for (let i = 0; i < 5; i++) await post(app, thread, {}, admin);
  });
});

describe('allowed origins', () => {
  let sameHostOnly: App;
  let listed: App;
  let everyone: App;

  beforeAll(async () => {
    [sameHostOnly, listed, everyone] = await Promise.all([
      start(),
      start({ allowedOrigins: ['https://blog.example.com'] }),
      start({ allowedOrigins: '*' }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([sameHostOnly, listed, everyone].map((app) => app?.close()));
  });

  it('by default lets only the server’s own pages in, and requests without an Origin', async () => {
    const own = await call(sameHostOnly, 'GET', commentsPath('t'), { headers: { Origin: sameHostOnly.url } });
    expect(own.status).toBe(200);
    expect(own.headers.get('access-control-allow-origin')).toBe(sameHostOnly.url);
    expect(own.headers.get('access-control-expose-headers')).toBe('Retry-After');
    expect((await call(sameHostOnly, 'GET', commentsPath('t'))).status).toBe(200);

    const foreign = await call(sameHostOnly, 'POST', commentsPath('t'), {
      body: { body: 'x' },
      headers: { Origin: 'https://evil.example' },
    });
    expect(foreign.status).toBe(403);
    expect(foreign.body.error.code).toBe('unauthorized');
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    expect(await allComments(sameHostOnly, 't')).toEqual([]);
  });

  it('lets listed origins in, preflight included, and no others', async () => {
    const preflight = await fetch(`${listed.url}/api${commentsPath('t')}`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://blog.example.com', 'Access-Control-Request-Method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://blog.example.com');
    expect(preflight.headers.get('vary')).toBe('Origin');
    const other = await fetch(`${listed.url}/api${commentsPath('t')}`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://blog.example.com.evil.example', 'Access-Control-Request-Method': 'POST' },
    });
    expect(other.status).toBe(403);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    expect((await call(listed, 'GET', commentsPath('t'), { headers: { Origin: 'null' } })).status).toBe(403);
  });

  it('lets every origin in with *', async () => {
    const answer = await call(everyone, 'POST', commentsPath(newThread()), {
      body: { body: 'x' },
      headers: { Origin: 'https://any.example' },
    });
    expect(answer.status).toBe(201);
    expect(answer.headers.get('access-control-allow-origin')).toBe('*');
  });
});

describe('idempotency', () => {
  let app: App;

  beforeAll(async () => {
    app = await start();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('answers a repeated Idempotency-Key with the first comment and token, and stores one', async () => {
    const thread = newThread();
    const key = { 'Idempotency-Key': 'retry-me' };
    const first = await post(app, thread, { body: 'Once' }, key);
    const second = await post(app, thread, { body: 'Once' }, key);
    expect(second).toEqual(first);
    expect(await allComments(app, thread)).toHaveLength(1);
    // A key is per thread.
    const elsewhere = await post(app, newThread(), { body: 'Once' }, key);
    expect(elsewhere.comment.id).not.toBe(first.comment.id);
  });

  it('stores one comment when the same key arrives many times at once', async () => {
    const thread = newThread();
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => post(app, thread, { body: 'Double click' }, { 'Idempotency-Key': 'at-once' })),
    );
    expect(new Set(answers.map((a) => a.comment.id)).size).toBe(1);
    expect(new Set(answers.map((a) => a.editToken)).size).toBe(1);
    expect(await allComments(app, thread)).toHaveLength(1);
  });

  it('keeps keys in the database, not the token: a retry after a restart gets the same comment and a working token', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'confab-idempotency-'));
    try {
      const thread = newThread();
      const key = { 'Idempotency-Key': 'survives-restart' };
      const before = await start({ dataDir });
      const first = await post(before, thread, { body: 'Before the restart' }, key);
      const { rows } = await before.db.query('SELECT * FROM idempotency_keys');
      expect(JSON.stringify(rows)).not.toContain(first.editToken);
      expect(JSON.stringify(rows)).not.toContain('survives-restart');
      await before.close();

      const after = await start({ dataDir });
      try {
        const retried = await post(after, thread, { body: 'Before the restart' }, key);
        expect(retried).toEqual(first);
        expect(await allComments(after, thread)).toHaveLength(1);
        const edit = await call(after, 'PATCH', `${commentsPath(thread)}/${first.comment.id}`, {
          body: { body: 'Edited after the restart' },
          headers: bearer(retried.editToken),
        });
        expect(edit.status).toBe(200);
      } finally {
        await after.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('errors', () => {
  it('answers an internal failure with a bare 500: no stack, no SQL, and logs it', async () => {
    const { logger, lines } = captureLogger('warn');
    const app = await start({ logger });
    try {
      const thread = newThread();
      const { comment } = await post(app, thread);
      await app.db.query('DROP TABLE votes');
      const answer = await call(app, 'POST', `${commentsPath(thread)}/${comment.id}/votes`, {
        body: { value: 1 },
        headers: { 'X-Voter': 'v' },
      });
      expect(answer.status).toBe(500);
      expect(answer.body).toEqual({ error: { code: 'internal', message: 'Something went wrong on the server' } });
      expect(lines).toEqual([
        expect.objectContaining({
          level: 'error',
          msg: 'internal error',
          err: expect.objectContaining({ message: expect.stringContaining('votes') }),
        }),
      ]);
    } finally {
      await app.close();
    }
  });
});
