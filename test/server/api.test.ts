// @vitest-environment node
// Every endpoint of the protocol on the reference server (PGlite in memory): reading with
// sorts and cursors, posting, replies, editing, deleting, voting, counts, the event stream,
// and the demo page and bundle.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
  commentsPath,
  newThread,
  openEvents,
  post,
  demoHomePage,
  seed,
  start,
} from './helpers';

let app: App;
let distDir: string;

beforeAll(async () => {
  distDir = mkdtempSync(join(tmpdir(), 'confab-dist-'));
  writeFileSync(join(distDir, 'confab.iife.js'), 'window.Confab = {};');
  app = await start({ seed, widgetDir: distDir, homePage: demoHomePage });
});

afterAll(async () => {
  await app?.close();
  rmSync(distDir, { recursive: true, force: true });
});

const roots = (comments: Comment[]) => comments.filter((c) => c.parentId === null);

describe('GET /threads/{thread}/comments', () => {
  it('answers a page: `limit` top-level comments with all their replies, and the thread', async () => {
    const { status, body, headers } = await call(app, 'GET', `${commentsPath(SEED_THREAD)}?limit=10`);
    expect(status).toBe(200);
    expect(headers.get('cache-control')).toBe('no-store');
    expect(body.thread).toEqual({
      id: SEED_THREAD,
      title: seed.thread.title,
      url: seed.thread.url,
      commentCount: 57,
      locked: false,
      features: { sso: false, guests: true, reports: true },
    });
    expect(roots(body.comments)).toHaveLength(10);
    const ids = new Set(body.comments.map((c: Comment) => c.id));
    for (const comment of body.comments) if (comment.parentId) expect(ids.has(comment.parentId)).toBe(true);
    expect(body.nextCursor).toEqual(expect.any(String));
    expect(body.comments[0]).toEqual({
      id: 'c1',
      parentId: null,
      author: { name: 'Cheryl Brandon', url: null, avatarUrl: null },
      body: seed.comments[0].body,
      createdAt: '2017-06-10T08:30:00.000Z',
      editedAt: null,
      status: 'published',
      score: 10,
    });
  });

  it.each(['oldest', 'newest', 'top'] as const)('pages through every comment once, sorted by %s', async (sort) => {
    const seen: Comment[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = `?sort=${sort}&limit=7${cursor ? `&cursor=${cursor}` : ''}`;
      const { status, body } = await call(app, 'GET', commentsPath(SEED_THREAD) + query);
      expect(status).toBe(200);
      expect(roots(body.comments).length).toBeLessThanOrEqual(7);
      seen.push(...body.comments);
      cursor = body.nextCursor;
      pages += 1;
    } while (cursor);
    expect(new Set(seen.map((c) => c.id)).size).toBe(seen.length);
    const seedIds = seed.comments.map((c: Comment) => c.id).sort();
    expect(
      seen
        .map((c) => c.id)
        .filter((id) => seedIds.includes(id))
        .sort(),
    ).toEqual(seedIds);
    expect(pages).toBeGreaterThan(1);

    const order = roots(seen);
    const time = (c: Comment) => Date.parse(c.createdAt);
    for (let i = 1; i < order.length; i++) {
      const [a, b] = [order[i - 1] as Comment, order[i] as Comment];
      if (sort === 'oldest') expect(time(a)).toBeLessThanOrEqual(time(b));
      if (sort === 'newest') expect(time(a)).toBeGreaterThanOrEqual(time(b));
      if (sort === 'top') expect(a.score > b.score || (a.score === b.score && time(a) <= time(b))).toBe(true);
    }
  });

  it('keeps replies right after their parent, depth first', async () => {
    const { body } = await call(app, 'GET', `${commentsPath(SEED_THREAD)}?limit=100`);
    const position = new Map(body.comments.map((c: Comment, i: number) => [c.id, i]));
    for (const comment of body.comments as Comment[]) {
      if (comment.parentId) expect(position.get(comment.parentId)).toBeLessThan(position.get(comment.id) as number);
    }
  });

  it('reads an unknown thread as empty', async () => {
    const { status, body } = await call(app, 'GET', commentsPath('never-commented'));
    expect(status).toBe(200);
    expect(body).toEqual({
      thread: {
        id: 'never-commented',
        title: null,
        url: null,
        commentCount: 0,
        locked: false,
        features: { sso: false, guests: true, reports: true },
      },
      comments: [],
      nextCursor: null,
    });
  });

  it('takes thread ids with an encoded slash and other characters', async () => {
    const thread = `blog/${newThread()}/ünï cödé?&#`;
    await post(app, thread, { body: 'Slashes' });
    const { body } = await call(app, 'GET', commentsPath(thread));
    expect(body.thread.id).toBe(thread);
    expect(body.comments).toHaveLength(1);
  });

  it('shows 20 top-level comments by default and at most 100', async () => {
    const thread = newThread();
    for (let i = 0; i < 101; i++) await post(app, thread, { body: `Comment ${i}` });
    expect((await call(app, 'GET', commentsPath(thread))).body.comments).toHaveLength(20);
    const most = (await call(app, 'GET', `${commentsPath(thread)}?limit=1000`)).body;
    expect(most.comments).toHaveLength(100);
    expect(most.nextCursor).toEqual(expect.any(String));
  });

  it('shows a change at once: the next read after a post, edit or delete sees it', async () => {
    const thread = newThread();
    await call(app, 'GET', commentsPath(thread)); // now cached as empty
    const { comment, editToken } = await post(app, thread, { body: 'First' });
    expect((await call(app, 'GET', commentsPath(thread))).body.comments.map((c: Comment) => c.body)).toEqual(['First']);
    await call(app, 'PATCH', `${commentsPath(thread)}/${comment.id}`, { body: { body: 'Edited' }, headers: bearer(editToken) });
    expect((await call(app, 'GET', commentsPath(thread))).body.comments[0].body).toBe('Edited');
    await call(app, 'DELETE', `${commentsPath(thread)}/${comment.id}`, { headers: bearer(editToken) });
    const after = (await call(app, 'GET', commentsPath(thread))).body;
    expect(after.comments[0].status).toBe('deleted');
    expect(after.thread.commentCount).toBe(0);
  });
});

describe('POST /threads/{thread}/comments', () => {
  it('creates the thread on its first comment and answers 201 with the comment and a 256-bit edit token', async () => {
    const thread = newThread();
    const before = Date.now();
    const { status, body } = await call(app, 'POST', commentsPath(thread), {
      body: {
        parentId: null,
        author: { name: '  Ann  ', email: 'ann@example.com', url: 'https://ann.example' },
        body: '  Hello\r\nthere  ',
        page: { title: 'My post', url: 'https://blog.example/my-post' },
      },
      headers: { 'Idempotency-Key': 'key-1' },
    });
    expect(status).toBe(201);
    expect(body.comment).toEqual({
      id: expect.any(String),
      parentId: null,
      author: { name: 'Ann', url: 'https://ann.example', avatarUrl: null },
      body: 'Hello\nthere',
      createdAt: expect.any(String),
      editedAt: null,
      status: 'published',
      score: 0,
    });
    expect(Date.parse(body.comment.createdAt)).toBeGreaterThanOrEqual(before - 1);
    expect(Buffer.from(body.editToken, 'base64url')).toHaveLength(32);
    expect(JSON.stringify(body)).not.toContain('ann@example.com');

    const read = (await call(app, 'GET', commentsPath(thread))).body;
    expect(read.thread).toEqual({
      id: thread,
      title: 'My post',
      url: 'https://blog.example/my-post',
      commentCount: 1,
      locked: false,
      features: { sso: false, guests: true, reports: true },
    });
    expect(read.comments).toEqual([body.comment]);
  });

  it('keeps the page title of the first post only', async () => {
    const thread = newThread();
    await post(app, thread, { page: { title: 'First title' } });
    await post(app, thread, { page: { title: 'Second title' } });
    expect((await call(app, 'GET', commentsPath(thread))).body.thread.title).toBe('First title');
  });

  it('posts replies, also to replies, and counts them', async () => {
    const thread = newThread();
    const top = await post(app, thread, { body: 'Top' });
    const reply = await post(app, thread, { parentId: top.comment.id, body: 'Reply' });
    const deeper = await post(app, thread, { parentId: reply.comment.id, body: 'Deeper' });
    expect(deeper.comment.parentId).toBe(reply.comment.id);
    const read = (await call(app, 'GET', `${commentsPath(thread)}?limit=1`)).body;
    expect(read.comments.map((c: Comment) => c.body)).toEqual(['Top', 'Reply', 'Deeper']);
    expect(read.thread.commentCount).toBe(3);
  });

  it('refuses a reply to a comment that does not exist, or is in another thread', async () => {
    const other = await post(app, newThread());
    for (const parentId of ['c_nope', other.comment.id]) {
      const { status, body } = await call(app, 'POST', commentsPath(newThread()), { body: { parentId, body: 'x' } });
      expect(status).toBe(400);
      expect(body.error).toEqual({
        code: 'invalid',
        message: expect.any(String),
        fields: { parentId: 'Not found in this thread' },
      });
    }
  });

  it('refuses posts to a locked thread with 403 locked, and creates nothing', async () => {
    const thread = newThread();
    await post(app, thread);
    await app.db.query('UPDATE threads SET locked = true WHERE id = $1', [thread]);
    const { status, body } = await call(app, 'POST', commentsPath(thread), { body: { body: 'Late' } });
    expect(status).toBe(403);
    expect(body.error.code).toBe('locked');
    expect(await allComments(app, thread)).toHaveLength(1);
  });
});

describe('PATCH and DELETE /threads/{thread}/comments/{id}', () => {
  it('edits with the edit token', async () => {
    const thread = newThread();
    const { comment, editToken } = await post(app, thread, { body: 'Typo' });
    const { status, body } = await call(app, 'PATCH', `${commentsPath(thread)}/${comment.id}`, {
      body: { body: 'Fixed' },
      headers: bearer(editToken),
    });
    expect(status).toBe(200);
    expect(body.comment).toEqual({ ...comment, body: 'Fixed', editedAt: expect.any(String) });
  });

  it('deletes by emptying the comment; its replies stay, and deleting again is harmless', async () => {
    const thread = newThread();
    const top = await post(app, thread, { body: 'Top' });
    await post(app, thread, { parentId: top.comment.id, body: 'Reply' });
    const path = `${commentsPath(thread)}/${top.comment.id}`;
    const first = await call(app, 'DELETE', path, { headers: bearer(top.editToken) });
    expect(first.status).toBe(200);
    expect(first.body.comment).toMatchObject({ id: top.comment.id, status: 'deleted', body: '' });
    const again = await call(app, 'DELETE', path, { headers: bearer(top.editToken) });
    expect(again.status).toBe(200);
    const read = (await call(app, 'GET', commentsPath(thread))).body;
    expect(read.comments.map((c: Comment) => [c.body, c.status])).toEqual([
      ['', 'deleted'],
      ['Reply', 'published'],
    ]);
    expect(read.thread.commentCount).toBe(1);
  });

  it('will not edit or vote on a deleted comment (404)', async () => {
    const thread = newThread();
    const { comment, editToken } = await post(app, thread);
    const path = `${commentsPath(thread)}/${comment.id}`;
    await call(app, 'DELETE', path, { headers: bearer(editToken) });
    expect((await call(app, 'PATCH', path, { body: { body: 'Back' }, headers: bearer(editToken) })).status).toBe(404);
    expect((await call(app, 'POST', `${path}/votes`, { body: { value: 1 }, headers: { 'X-Voter': 'v' } })).status).toBe(404);
  });

  it('answers 404 for a comment that does not exist, or not in this thread', async () => {
    const { comment, editToken } = await post(app, newThread());
    for (const path of [`${commentsPath(newThread())}/c_missing`, `${commentsPath(newThread())}/${comment.id}`]) {
      const answer = await call(app, 'PATCH', path, { body: { body: 'x' }, headers: bearer(editToken) });
      expect(answer.status).toBe(404);
      expect(answer.body.error.code).toBe('not_found');
      expect((await call(app, 'DELETE', path, { headers: bearer(editToken) })).status).toBe(404);
    }
  });
});

describe('POST /threads/{thread}/comments/{id}/votes', () => {
  it('keeps one vote per voter: a new vote replaces the old one, 0 takes it back', async () => {
    const thread = newThread();
    const { comment } = await post(app, thread);
    const path = `${commentsPath(thread)}/${comment.id}/votes`;
    const vote = async (voter: string, value: number) =>
      (await call(app, 'POST', path, { body: { value }, headers: { 'X-Voter': voter } })).body.score;
    expect(await vote('ann', 1)).toBe(1);
    expect(await vote('ann', 1)).toBe(1);
    expect(await vote('bob', 1)).toBe(2);
    expect(await vote('ann', -1)).toBe(0);
    expect(await vote('ann', 0)).toBe(1);
    expect(await vote('ann', 0)).toBe(1);
    expect((await call(app, 'GET', commentsPath(thread))).body.comments[0].score).toBe(1);
  });

  it('adds to the score a seed comment came with', async () => {
    const path = `${commentsPath(SEED_THREAD)}/c2/votes`;
    const before = seed.comments.find((c: Comment) => c.id === 'c2').score;
    const { body } = await call(app, 'POST', path, { body: { value: -1 }, headers: { 'X-Voter': 'critic' } });
    expect(body).toEqual({ score: before - 1 });
  });

  it('answers 404 for an unknown comment and 403 in a locked thread', async () => {
    const thread = newThread();
    const { comment } = await post(app, thread);
    const unknown = await call(app, 'POST', `${commentsPath(thread)}/c_nope/votes`, {
      body: { value: 1 },
      headers: { 'X-Voter': 'v' },
    });
    expect(unknown.status).toBe(404);
    await app.db.query('UPDATE threads SET locked = true WHERE id = $1', [thread]);
    const locked = await call(app, 'POST', `${commentsPath(thread)}/${comment.id}/votes`, {
      body: { value: 1 },
      headers: { 'X-Voter': 'v' },
    });
    expect(locked.status).toBe(403);
    expect(locked.body.error.code).toBe('locked');
  });
});

describe('GET /counts', () => {
  it('counts published comments per thread, replies included; unknown threads count 0', async () => {
    const thread = newThread();
    const top = await post(app, thread);
    await post(app, thread, { parentId: top.comment.id });
    const gone = await post(app, thread);
    await call(app, 'DELETE', `${commentsPath(thread)}/${gone.comment.id}`, { headers: bearer(gone.editToken) });
    const query = [SEED_THREAD, thread, 'nobody-here', '__proto__'].map((t) => `thread=${encodeURIComponent(t)}`).join('&');
    const { status, body } = await call(app, 'GET', `/counts?${query}`);
    expect(status).toBe(200);
    expect(body.counts[thread]).toBe(2);
    expect(body.counts[SEED_THREAD]).toBeGreaterThanOrEqual(57);
    expect(body.counts['nobody-here']).toBe(0);
    expect(Object.hasOwn(body.counts, '__proto__')).toBe(true);
  });

  it('answers an empty object for no threads', async () => {
    expect((await call(app, 'GET', '/counts')).body).toEqual({ counts: {} });
  });
});

describe('GET /threads/{thread}/events', () => {
  it('streams created, updated and deleted comments of its thread only', async () => {
    const thread = newThread();
    const events = await openEvents(app, thread);
    try {
      expect(events.response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
      await post(app, newThread(), { body: 'Elsewhere' });
      const { comment, editToken } = await post(app, thread, { body: 'Live' });
      expect(await events.next()).toEqual({ type: 'comment.created', data: comment });

      const path = `${commentsPath(thread)}/${comment.id}`;
      await call(app, 'PATCH', path, { body: { body: 'Live, edited' }, headers: bearer(editToken) });
      expect(await events.next()).toMatchObject({ type: 'comment.updated', data: { id: comment.id, body: 'Live, edited' } });
      await call(app, 'POST', `${path}/votes`, { body: { value: 1 }, headers: { 'X-Voter': 'v' } });
      expect(await events.next()).toMatchObject({ type: 'comment.updated', data: { id: comment.id, score: 1 } });
      await call(app, 'DELETE', path, { headers: bearer(editToken) });
      expect(await events.next()).toMatchObject({ type: 'comment.deleted', data: { id: comment.id, status: 'deleted' } });
    } finally {
      events.close();
    }
  });

  it('delivers a comment too large for a notification by reading it back', async () => {
    const thread = newThread();
    const events = await openEvents(app, thread);
    try {
      const body = 'ü'.repeat(9_000); // 18,000 bytes of UTF-8
      const { comment } = await post(app, thread, { body });
      expect(await events.next()).toEqual({ type: 'comment.created', data: comment });
    } finally {
      events.close();
    }
  });

  it('answers a bad thread id with 400 before any stream starts', async () => {
    const { status, body } = await call(app, 'GET', `/threads/${'x'.repeat(201)}/events`);
    expect(status).toBe(400);
    expect(body.error.code).toBe('invalid');
  });
});

describe('routing and the demo', () => {
  it('answers 404 for unknown endpoints and 405 with Allow for unknown methods', async () => {
    const missing = await call(app, 'GET', '/nothing/here');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not_found');
    const wrong = await call(app, 'PUT', commentsPath('t'));
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET, POST, OPTIONS');
  });

  it('answers a preflight request', async () => {
    const response = await fetch(`${app.url}/api${commentsPath('t')}`, { method: 'OPTIONS' });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-methods')).toBe('GET,POST,PATCH,DELETE,OPTIONS');
    expect(response.headers.get('access-control-allow-headers')).toContain('Idempotency-Key');
  });

  it('serves the seed article with the widget script tag, and the bundle', async () => {
    const page = await fetch(`${app.url}/`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<h1>SDF Denies Alleged Agreement');
    expect(html).toContain(`data-endpoint="${app.url}/api"`);
    expect(html).toContain(`data-thread="${SEED_THREAD}"`);
    const bundle = await fetch(`${app.url}/confab.iife.js`);
    expect(bundle.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await bundle.text()).toBe('window.Confab = {};');
    expect((await fetch(`${app.url}/other.js`)).status).toBe(404);
  });
});
