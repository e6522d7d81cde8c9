// The Isso adapter against answers shaped as Isso's API documentation (isso/views/comments.py,
// apiDoc) shows them: one-level nested pages with total/hidden replies, `mode` 1/2/4, Unix-second
// times, likes and dislikes, the cookie-based edit and delete, counts, and Werkzeug error pages.
import { describe, expect, it } from 'vitest';
import { guardAdapter } from '../../src/api/guard-adapter';
import type { WireComment } from '../../src/api/wire';
import { createIssoAdapter, type IssoAdapterOptions } from '../../src/adapters/isso';
import type { Comment, NewComment } from '../../src/types';
import { failure, fakeFetch, fixture, hang, json, text, unreachable, type Route } from './fake-fetch';

const I = (name: string) => fixture('isso', name);
const ENDPOINT = 'https://comments.example.com/isso';
const THREAD = '/posts/statement/';
const firstPage = { sort: 'oldest' as const, limit: 2, cursor: null };
/** The HTML a comment carries (a raw adapter's answer is wire data: unchecked). */
const html = (comment: WireComment | null | undefined) => comment?.bodyHtml as string | undefined;
const input = (fields: Partial<NewComment> = {}): NewComment => ({
  parentId: null,
  author: { name: 'Max Rant', email: 'rant@example.com' },
  body: 'Stop saying that! *isso*!',
  ...fields,
});

function setup(route: Route, options: Partial<IssoAdapterOptions> = {}) {
  const fake = fakeFetch(route);
  const raw = createIssoAdapter({ url: `${ENDPOINT}/`, fetch: fake.fetch, timeout: 200, retries: 0, ...options });
  // As the widget uses it: through the store's boundary validator. `raw` is the adapter alone.
  return { adapter: guardAdapter(raw), raw, requests: fake.requests };
}

describe('Isso adapter: reading', () => {
  it('reads a page: top-level comments and their replies, offset paging → cursor', async () => {
    const { adapter, raw, requests } = setup(() => json(I('fetch-page1.json')));
    const page = await adapter.list(THREAD, firstPage);
    expect(requests[0]!.url.pathname).toBe('/isso/');
    expect(Object.fromEntries(requests[0]!.url.searchParams)).toEqual({ uri: THREAD, sort: 'oldest', limit: '2', offset: '0' });
    expect(requests[0]!.credentials).toBe('omit');

    expect(page.thread).toEqual({
      id: THREAD,
      title: null,
      url: null,
      commentCount: 7,
      locked: false,
      features: { guests: true, reports: true },
    });
    expect(page.nextCursor).toBe('2');
    expect(page.comments.map((c) => [c.id, c.parentId, c.status])).toEqual([
      ['1', null, 'published'],
      ['2', '1', 'published'],
      ['3', '1', 'deleted'],
      ['5', '1', 'published'],
      ['4', null, 'published'],
    ]);
    const [first, second, gone, fifth, fourth] = page.comments as Comment[];
    expect(first).toMatchObject({
      author: { name: 'Amira Haddad', url: 'https://amira.example/', avatarUrl: null },
      createdAt: 1795596902123,
      editedAt: null,
      score: 3,
    });
    expect(html((await raw.list(THREAD, firstPage)).comments[0]!)).toContain('<strong>bold</strong>');
    // Isso's list has no Markdown source: the text of its HTML starts an edit.
    expect(first!.body).toBe('Hello, World! Some Markdown: Italic, bold, monospace.\n\nSecond paragraph with a link.');
    expect(second).toMatchObject({ author: { name: '' }, editedAt: 1795600700250 });
    expect(gone).toMatchObject({ body: '', status: 'deleted' });
    expect(fifth!.author.url).toBeNull(); // a javascript: website
    expect(fourth).toMatchObject({
      score: -2,
      author: { avatarUrl: 'https://www.gravatar.com/avatar/6c3d8e2f0b1a4c5d?d=identicon&s=55' },
    });
  });

  it("reads the next page at its offset, with Isso's sorts", async () => {
    const { adapter, requests } = setup(() => json(I('fetch-page2.json')));
    const page = await adapter.list(THREAD, { sort: 'top', limit: 2, cursor: '2' });
    expect(requests[0]!.url.searchParams.get('offset')).toBe('2');
    expect(requests[0]!.url.searchParams.get('sort')).toBe('upvotes');
    expect(page.nextCursor).toBeNull();
    expect(page.comments.map((c) => c.id)).toEqual(['6', '7']);
    expect(page.comments[0]!.author.url).toBe('http://tomas.example/');
    await adapter.list(THREAD, { sort: 'newest', limit: 2, cursor: null });
    expect(requests[1]!.url.searchParams.get('sort')).toBe('newest');
  });

  it('skips comments it cannot show', async () => {
    const page = I('fetch-page2.json');
    page.replies.push({ id: 8, text: null }, { text: '<p>no id</p>' }, 7);
    const { adapter } = setup(() => json(page));
    const result = await adapter.list(THREAD, firstPage);
    expect(result.comments.map((c) => c.id)).toEqual(['6', '7']);
    expect(result.skipped).toBe(3);
  });

  it('counts threads with POST /count, answered in the same order', async () => {
    const { adapter, requests } = setup(() => json(I('count.json')));
    expect(await adapter.counts!(['/a/', '/b/', '/c/'])).toEqual({ '/a/': 7, '/b/': 0, '/c/': 18 });
    expect(requests[0]).toMatchObject({ method: 'POST', body: ['/a/', '/b/', '/c/'] });
    expect(requests[0]!.url.pathname).toBe('/isso/count');
  });

  it('maps thread ids to Isso URIs with `uri`', async () => {
    const { adapter, requests } = setup(() => json(I('fetch-page2.json')), { uri: (id) => `/blog/${id}` });
    await adapter.list('hello', firstPage);
    expect(requests[0]!.url.searchParams.get('uri')).toBe('/blog/hello');
  });
});

describe('Isso adapter: writing', () => {
  it("posts a reply with Isso's fields; without cookies there is no edit token, edit or delete", async () => {
    const { adapter, raw, requests } = setup(() =>
      json(I('new.json'), 201, { 'X-Set-Cookie': 'isso-23=abc.def; Max-Age=900; Path=/; SameSite=Lax' }),
    );
    const posted = await adapter.post!(THREAD, input({ parentId: '4', page: { title: 'The statement' } }), 'key-1');
    expect(requests[0]!.url.pathname).toBe('/isso/new');
    expect(requests[0]!.url.searchParams.get('uri')).toBe(THREAD);
    expect(requests[0]!.headers.get('Content-Type')).toMatch(/^application\/json/);
    expect(requests[0]!.headers.get('Idempotency-Key')).toBeNull();
    expect(requests[0]!.body).toEqual({
      text: 'Stop saying that! *isso*!',
      author: 'Max Rant',
      email: 'rant@example.com',
      website: null,
      parent: 4,
      title: 'The statement',
    });
    expect(posted.editToken).toBeNull();
    // The text the reader wrote, not Isso's HTML, is what an edit starts from.
    expect(posted.comment).toMatchObject({ id: '23', parentId: '4', body: 'Stop saying that! *isso*!', status: 'published' });
    expect(html((await raw.post!(THREAD, input(), 'key-1')).comment)).toBe('<p>Stop saying that! <em>isso</em>!</p>');
    expect(adapter.edit).toBeUndefined();
    expect(adapter.remove).toBeUndefined();
  });

  it('shows a comment held for moderation (202, mode 2) as pending', async () => {
    const { adapter, requests } = setup(() => json(I('new-moderated.json'), 202));
    const posted = await adapter.post!(THREAD, input({ author: { name: '' } }), 'key-2');
    expect(requests[0]!.body).toMatchObject({ author: null, email: null, parent: null });
    expect(posted.comment.status).toBe('pending');
  });

  it('with cookies: credentials on every request, X-Set-Cookie as the edit token, edit and delete', async () => {
    const { adapter, requests } = setup(
      (request) => {
        if (request.method === 'POST') return json(I('new.json'), 201, { 'X-Set-Cookie': 'isso-23=signed; Max-Age=900' });
        if (request.method === 'PUT') return json(I('edit.json'));
        return json(null);
      },
      { cookies: true },
    );
    const posted = await adapter.post!(THREAD, input(), 'key-3');
    expect(requests[0]!.credentials).toBe('include');
    expect(posted.editToken).toBe('isso-23=signed; Max-Age=900');
    const edited = await adapter.edit!(THREAD, '23', 'I see your point. However, I still disagree.', posted.editToken!);
    expect(requests[1]).toMatchObject({
      method: 'PUT',
      body: { text: 'I see your point. However, I still disagree.' },
      credentials: 'include',
    });
    expect(requests[1]!.url.pathname).toBe('/isso/id/23');
    expect(edited).toMatchObject({ body: 'I see your point. However, I still disagree.', editedAt: 1795650300073 });
    const removed = await adapter.remove!(THREAD, '23', posted.editToken!);
    expect(requests[2]!.method).toBe('DELETE');
    expect(removed).toMatchObject({ id: '23', status: 'deleted' });
  });

  it('uses a placeholder token when the cookie header is not readable, and survives a referenced delete', async () => {
    const { adapter } = setup(
      (request) => (request.method === 'POST' ? json(I('new.json'), 201) : json(I('delete-referenced.json'))),
      { cookies: true },
    );
    expect((await adapter.post!(THREAD, input(), 'k')).editToken).toBe('cookie');
    expect(await adapter.remove!(THREAD, '23', 'cookie')).toMatchObject({ status: 'deleted' });
  });

  it('a 403 after the 15 minutes (or without the cookie) → unauthorized', async () => {
    const { adapter } = setup(() => text('<!doctype html><title>403 Forbidden</title><h1>Forbidden</h1>', 403), {
      cookies: true,
    });
    expect(await failure(adapter.edit!(THREAD, '23', 'text', 'cookie'))).toMatchObject({
      code: 'http',
      status: 403,
      serverCode: 'unauthorized',
    });
  });
});

describe('Isso adapter: votes', () => {
  it('likes and dislikes; the score is likes minus dislikes', async () => {
    const { adapter, requests } = setup((request) =>
      json(I(request.url.pathname.endsWith('/like') ? 'like.json' : 'dislike.json')),
    );
    expect(await adapter.vote!(THREAD, '1', 1, 'voter')).toBe(4);
    expect(requests[0]).toMatchObject({ method: 'POST' });
    expect(requests[0]!.url.pathname).toBe('/isso/id/1/like');
    expect(requests[0]!.headers.get('Content-Type')).toMatch(/^application\/json/);
    expect(await adapter.vote!(THREAD, '1', -1, 'voter')).toBe(2);
    expect(requests[1]!.url.pathname).toBe('/isso/id/1/dislike');
  });

  it('a vote Isso ignores (own comment, or again from this address) is an error, not a silent success', async () => {
    const { adapter } = setup(() => json(I('like-denied.json')));
    expect(await failure(adapter.vote!(THREAD, '1', 1, 'voter'))).toMatchObject({ code: 'http', serverCode: 'unauthorized' });
  });

  it('cannot take a vote back, and says so without asking Isso', async () => {
    const { adapter, requests } = setup(() => json(I('like.json')));
    expect(await failure(adapter.vote!(THREAD, '1', 0, 'voter'))).toMatchObject({ code: 'http', serverCode: 'unauthorized' });
    expect(requests).toHaveLength(0);
  });

  it('a vote on a comment Isso does not know (null) is rejected', async () => {
    const { adapter } = setup(() => json(null));
    expect(await failure(adapter.vote!(THREAD, '999', 1, 'voter'))).toMatchObject({ code: 'invalid-response' });
  });
});

describe('Isso adapter: failures', () => {
  it('a 400 page → invalid', async () => {
    const { adapter } = setup(() => text(I('error-400.html'), 400));
    expect(await failure(adapter.post!(THREAD, input({ body: 'x' }), 'k'))).toMatchObject({
      code: 'http',
      status: 400,
      serverCode: 'invalid',
    });
  });

  it("the guard's rate limit (403 with its reason) → rate_limited", async () => {
    const { adapter } = setup(() => text(I('error-403-ratelimit.html'), 403));
    expect(await failure(adapter.post!(THREAD, input(), 'k'))).toMatchObject({
      code: 'http',
      status: 403,
      serverCode: 'rate_limited',
    });
  });

  it('network failure, timeout, and a 500', async () => {
    const adapter = createIssoAdapter({ url: ENDPOINT, fetch: unreachable, retries: 0 });
    expect(await failure(adapter.list(THREAD, firstPage))).toMatchObject({ code: 'network' });
    const slow = setup(() => hang(new Request(ENDPOINT)), { timeout: 50 });
    expect(await failure(slow.adapter.list(THREAD, firstPage))).toMatchObject({ code: 'timeout' });
    const broken = setup(() => text('Internal Server Error', 500));
    expect(await failure(broken.adapter.list(THREAD, firstPage))).toMatchObject({
      code: 'http',
      status: 500,
      serverCode: 'internal',
    });
  });

  it.each([
    ['not JSON', () => text('<html>proxy</html>')],
    ['no replies', () => json({ id: null, total_replies: 0 })],
    ['null', () => json(null)],
  ])('rejects a malformed page at the boundary: %s', async (_, answer) => {
    const { adapter } = setup(answer);
    expect(await failure(adapter.list(THREAD, firstPage))).toMatchObject({ code: 'invalid-response' });
  });

  it('rejects malformed post and count answers', async () => {
    const { adapter } = setup((request) =>
      request.url.pathname.endsWith('count') ? json({ counts: [] }) : json({ id: 1 }, 201),
    );
    expect(await failure(adapter.post!(THREAD, input(), 'k'))).toMatchObject({ code: 'invalid-response' });
    expect(await failure(adapter.counts!([THREAD]))).toMatchObject({ code: 'invalid-response' });
  });
});
