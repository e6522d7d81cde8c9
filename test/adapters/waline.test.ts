// The Waline adapter against answers recorded from a real Waline 1.39.3 server (@waline/vercel
// with SQLite, see the README, "A local Waline for the live check"): paging, posting and replying, likes, counts, a signed-in
// user's edit and delete, Waline's errno refusals (HTTP 200) and malformed answers.
import { describe, expect, it } from 'vitest';
import { guardAdapter } from '../../src/api/guard-adapter';
import type { WireComment } from '../../src/api/wire';
import { createWalineAdapter, type WalineAdapterOptions } from '../../src/adapters/waline';
import { sanitizeHtml } from '../../src/format/sanitize-html';
import type { NewComment } from '../../src/types';
import { failure, fakeFetch, fixture, hang, json, text, unreachable, type Route } from './fake-fetch';

const W = (name: string) => fixture('waline', name);
const SERVER = 'https://waline.example.com';
const THREAD = '/posts/statement/';

function setup(route: Route, options: Partial<WalineAdapterOptions> = {}) {
  const fake = fakeFetch(route);
  const raw = createWalineAdapter({ serverURL: `${SERVER}/`, fetch: fake.fetch, timeout: 200, retries: 0, ...options });
  // As the widget uses it: through the store's boundary validator. `raw` is the adapter alone.
  return { adapter: guardAdapter(raw), raw, requests: fake.requests };
}

const firstPage = { sort: 'oldest' as const, limit: 2, cursor: null };
/** The HTML a comment carries (a raw adapter's answer is wire data: unchecked). */
const html = (comment: WireComment | null | undefined) => comment?.bodyHtml as string | undefined;
const newComment = (fields: Partial<NewComment> = {}): NewComment => ({
  parentId: null,
  author: { name: 'Jonas Berg', email: 'jonas@example.com' },
  body: 'Hello',
  ...fields,
});

describe('Waline adapter: reading', () => {
  it('reads a page: top-level comments with their replies, Waline paging → cursor', async () => {
    const { adapter, raw, requests } = setup(() => json(W('comment-page1.json')));
    const page = await adapter.list(THREAD, firstPage);

    const url = requests[0]!.url;
    expect(`${url.origin}${url.pathname}`).toBe(`${SERVER}/api/comment`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      path: THREAD,
      page: '1',
      pageSize: '2',
      sortBy: 'insertedAt_asc',
      lang: 'en',
    });
    expect(requests[0]!.credentials).toBe('omit');
    expect(requests[0]!.headers.get('Authorization')).toBeNull();

    expect(page.thread).toEqual({
      id: THREAD,
      title: null,
      url: null,
      commentCount: 5,
      locked: false,
      features: { guests: true, reports: true },
    });
    expect(page.nextCursor).toBe('2');
    expect(page.skipped).toBe(0);
    expect(page.comments.map((c) => [c.id, c.parentId])).toEqual([
      ['3', null],
      ['5', '4'],
      ['4', '3'],
      ['6', null],
    ]);
    const [first, reply] = [page.comments[0]!, page.comments[2]!];
    expect(first).toMatchObject({
      author: {
        name: 'Amira Haddad',
        url: 'https://amira.example/',
        avatarUrl: expect.stringMatching(/^https:\/\/seccdn\.libravatar\.org\/avatar\//),
      },
      body: expect.stringContaining('> allow ISIS to redeploy freely'),
      createdAt: 1795645949000,
      editedAt: null,
      status: 'published',
      score: 1,
    });
    expect(reply.body).toBe('Agreed. The *original report* is linked in the third paragraph, though.');
    // Waline's own sanitizer already dropped the onerror; ours leaves no <img> at all.
    const guest = page.comments[3]!;
    expect(guest.author.name).toBe('');
    const rawPage = await raw.list(THREAD, firstPage);
    expect(html(rawPage.comments[0]!)).toContain('<blockquote>');
    expect(JSON.stringify(sanitizeHtml(html(rawPage.comments[3]!)!))).not.toContain('img');
  });

  it('reads the next page from the cursor, with the other sorts', async () => {
    const { adapter, requests } = setup(() => json(W('comment-page2.json')));
    const page = await adapter.list(THREAD, { sort: 'top', limit: 2, cursor: '2' });
    expect(requests[0]!.url.searchParams.get('page')).toBe('2');
    expect(requests[0]!.url.searchParams.get('sortBy')).toBe('like_desc');
    expect(page.nextCursor).toBeNull();
    expect(page.comments.map((c) => c.id)).toEqual(['7']);
    // A javascript: website never becomes a link.
    expect(page.comments[0]!.author.url).toBeNull();
    await adapter.list(THREAD, { sort: 'newest', limit: 2, cursor: null });
    expect(requests[1]!.url.searchParams.get('sortBy')).toBe('insertedAt_desc');
  });

  it('shows waiting comments (the author sees their own) as pending, and skips malformed ones', async () => {
    const page = W('comment-page2.json');
    const root = page.data.data[0];
    page.data.data.push(
      { ...root, objectId: 99, status: 'waiting', children: [] },
      { ...root, objectId: null, children: [] },
      { objectId: 100, comment: 42 },
      'nonsense',
    );
    const { adapter } = setup(() => json(page));
    const result = await adapter.list(THREAD, firstPage);
    expect(result.comments.map((c) => [c.id, c.status])).toEqual([
      ['7', 'published'],
      ['99', 'pending'],
    ]);
    expect(result.skipped).toBe(3);
  });

  it('maps thread ids to Waline paths with `path`', async () => {
    const { adapter, requests } = setup(() => json(W('comment-page2.json')), { path: (id) => `/blog/${id}/` });
    await adapter.list('hello', firstPage);
    expect(requests[0]!.url.searchParams.get('path')).toBe('/blog/hello/');
  });
});

describe('Waline adapter: writing', () => {
  it('posts a top-level comment with Waline fields, and no edit token for a guest', async () => {
    const { adapter, raw, requests } = setup(() => json(W('comment-created.json')));
    const posted = await adapter.post!(THREAD, newComment({ author: { name: 'Jonas Berg' }, body: 'Agreed.' }), 'key-1');
    expect(requests[0]!.method).toBe('POST');
    expect(requests[0]!.url.pathname).toBe('/api/comment');
    expect(requests[0]!.body).toEqual({
      comment: 'Agreed.',
      nick: 'Jonas Berg',
      mail: '',
      link: '',
      url: THREAD,
      pid: null,
      rid: null,
    });
    // No Idempotency-Key: Waline would not know it.
    expect(requests[0]!.headers.get('Idempotency-Key')).toBeNull();
    expect(posted.editToken).toBeNull();
    expect(posted.comment).toMatchObject({
      id: '4',
      parentId: '3',
      body: 'Agreed. The *original report* is linked in the third paragraph, though.',
    });
    expect(html((await raw.post!(THREAD, newComment(), 'key-1')).comment)).toContain('<em>original report</em>');
  });

  it('replies with pid and the root as rid, learnt from the page it read', async () => {
    const { adapter, requests } = setup((request) =>
      request.method === 'GET' ? json(W('comment-page1.json')) : json(W('comment-created.json')),
    );
    await adapter.list(THREAD, firstPage);
    // Comment 4 is a reply to 3: a reply to 4 belongs under root 3.
    await adapter.post!(THREAD, newComment({ parentId: '4' }), 'key-2');
    expect(requests[1]!.body).toMatchObject({ pid: '4', rid: '3' });
    await adapter.post!(THREAD, newComment({ parentId: '3' }), 'key-3');
    expect(requests[2]!.body).toMatchObject({ pid: '3', rid: '3' });
  });

  it('turns "Duplicate Content" on a Retry into the comment posted the first time', async () => {
    const body = 'Agreed. The *original report* is linked in the third paragraph, though.';
    const { adapter, requests } = setup((request) =>
      request.method === 'POST' ? json(W('comment-duplicate.json')) : json(W('comment-recent.json')),
    );
    const posted = await adapter.post!(THREAD, newComment({ parentId: '3', body }), 'key-4');
    expect(requests.map((r) => `${r.method} ${r.url.searchParams.get('type') ?? ''}`)).toEqual(['POST ', 'GET recent']);
    expect(posted.comment.id).toBe('4');
    expect(posted.comment.body).toBe(body);
  });

  it('reports "Duplicate Content" when no such comment is found', async () => {
    const { adapter } = setup((request) =>
      request.method === 'POST' ? json(W('comment-duplicate.json')) : json({ errno: 0, errmsg: '', data: [] }),
    );
    const error = await failure(adapter.post!(THREAD, newComment(), 'key-5'));
    expect(error).toMatchObject({ code: 'http', status: 400, serverCode: 'invalid', message: 'Duplicate Content' });
  });

  it('maps "Comment too fast" to a rate limit with Waline\'s default wait', async () => {
    const { adapter } = setup(() => json({ errno: 1000, errmsg: 'Comment too fast!' }));
    const error = await failure(adapter.post!(THREAD, newComment(), 'key-6'));
    expect(error).toMatchObject({ code: 'http', status: 429, serverCode: 'rate_limited', retryAfter: 60 });
  });

  it('has no edit or delete for guests', () => {
    const { adapter } = setup(() => json({}));
    expect(adapter.edit).toBeUndefined();
    expect(adapter.remove).toBeUndefined();
  });

  it("edits and deletes with a signed-in user's token", async () => {
    const edited = W('like.json');
    edited.data.orig = 'Edited text';
    let token = 'jwt-1';
    const { adapter, requests } = setup(
      (request) =>
        request.method === 'DELETE'
          ? json({ errno: 0, errmsg: '', data: '' })
          : json(request.method === 'PUT' ? edited : W('comment-created.json')),
      {
        token: () => token,
      },
    );
    const posted = await adapter.post!(THREAD, newComment(), 'key-7');
    expect(posted.editToken).toBe('jwt-1');
    expect(requests[0]!.headers.get('Authorization')).toBe('Bearer jwt-1');
    token = 'jwt-2';
    const comment = await adapter.edit!(THREAD, '7', 'Edited text', posted.editToken!);
    expect(requests[1]).toMatchObject({ method: 'PUT', body: { comment: 'Edited text' } });
    expect(requests[1]!.url.pathname).toBe('/api/comment/7');
    expect(requests[1]!.headers.get('Authorization')).toBe('Bearer jwt-2');
    expect(comment.body).toBe('Edited text');
    const removed = await adapter.remove!(THREAD, '7', posted.editToken!);
    expect(requests[2]!.method).toBe('DELETE');
    expect(removed).toMatchObject({ id: '7', status: 'deleted', body: '' });
  });

  it('says 401 when Waline refuses a delete', async () => {
    const { adapter } = setup(() => json(W('error-unauthorized.json'), 401), { token: 'expired' });
    const error = await failure(adapter.remove!(THREAD, '7', 'expired'));
    expect(error).toMatchObject({ code: 'http', status: 401, serverCode: 'unauthorized', message: 'Unauthorized' });
  });
});

describe('Waline adapter: likes and counts', () => {
  it('likes with { like: true } and takes it back with { like: false }', async () => {
    const { adapter, requests } = setup(() => json(W('like.json')));
    expect(await adapter.vote!(THREAD, '7', 1, 'voter')).toBe(1);
    expect(requests[0]).toMatchObject({ method: 'PUT', body: { like: true } });
    expect(requests[0]!.url.pathname).toBe('/api/comment/7');
    await adapter.vote!(THREAD, '7', 0, 'voter');
    expect(requests[1]!.body).toEqual({ like: false });
  });

  it('refuses down-votes without asking Waline', async () => {
    const { adapter, requests } = setup(() => json(W('like.json')));
    const error = await failure(adapter.vote!(THREAD, '7', -1, 'voter'));
    expect(error).toMatchObject({ code: 'http', serverCode: 'unauthorized' });
    expect(requests).toHaveLength(0);
  });

  it('counts several threads in one request', async () => {
    const { adapter, requests } = setup(() => json(W('count.json')));
    expect(await adapter.counts!([THREAD, '/posts/empty/'])).toEqual({ [THREAD]: 5, '/posts/empty/': 0 });
    expect(requests[0]!.url.searchParams.getAll('url')).toEqual([THREAD, '/posts/empty/']);
    expect(requests[0]!.url.searchParams.get('type')).toBe('count');
  });

  it('reads the single number older Waline versions answer for one thread', async () => {
    const { adapter } = setup(() => json({ errno: 0, errmsg: '', data: 3 }));
    expect(await adapter.counts!([THREAD])).toEqual({ [THREAD]: 3 });
  });
});

describe('Waline adapter: failures', () => {
  it('network failure → network', async () => {
    const adapter = createWalineAdapter({ serverURL: SERVER, fetch: unreachable, retries: 0 });
    expect(await failure(adapter.list(THREAD, firstPage))).toMatchObject({ code: 'network' });
  });

  it('no answer in time → timeout', async () => {
    const { adapter } = setup((_, __) => hang(new Request('https://x.invalid')), { timeout: 50 });
    expect(await failure(adapter.list(THREAD, firstPage))).toMatchObject({ code: 'timeout' });
  });

  it('HTTP 500 with a web page → http with status', async () => {
    const { adapter } = setup(() => text('<h1>Bad gateway</h1>', 502));
    expect(await failure(adapter.list(THREAD, firstPage))).toMatchObject({ code: 'http', status: 502, serverCode: 'internal' });
  });

  it('a validation refusal names its message (errno 1001, HTTP 200)', async () => {
    const { adapter } = setup(() => json(W('error-page-size.json')));
    const error = await failure(adapter.list(THREAD, firstPage));
    expect(error).toMatchObject({
      code: 'http',
      status: 400,
      serverCode: 'invalid',
      message: 'pageSize need an integer under your options',
    });
  });

  it.each([
    ['not JSON', () => text('<html>proxy</html>')],
    ['empty', () => new Response('', { status: 200 })],
    ['no errno', () => json({ data: { data: [] } })],
    ['no list', () => json({ errno: 0, errmsg: '', data: { page: 1 } })],
    ['a list instead of a page', () => json({ errno: 0, errmsg: '', data: [] })],
  ])('rejects a malformed answer at the boundary: %s', async (_, answer) => {
    const { adapter } = setup(answer);
    expect(await failure(adapter.list(THREAD, firstPage))).toMatchObject({ code: 'invalid-response' });
  });

  it('rejects a post answer without a usable comment', async () => {
    const { adapter } = setup(() => json({ errno: 0, errmsg: '', data: { objectId: 1 } }));
    expect(await failure(adapter.post!(THREAD, newComment(), 'k'))).toMatchObject({ code: 'invalid-response' });
  });

  it('cancels with the signal', async () => {
    const { adapter } = setup(() => hang(new Request('https://x.invalid', { signal: AbortSignal.abort() })), { timeout: 5_000 });
    const controller = new AbortController();
    const pending = adapter.list(THREAD, firstPage, { signal: controller.signal });
    controller.abort();
    expect(await failure(pending)).toMatchObject({ code: 'network' });
  });
});
