// The Artalk adapter against answers shaped as Artalk's API (docs/swagger, server/handler)
// documents them: nested pages with `count`/`roots_count`/`page`, CookedComment fields, the
// toggling vote endpoints, page_comment stats, and `{ msg, … }` errors with their flags.
import { describe, expect, it } from 'vitest';
import { guardAdapter } from '../../src/api/guard-adapter';
import type { WireComment } from '../../src/api/wire';
import { createArtalkAdapter, type ArtalkAdapterOptions } from '../../src/adapters/artalk';
import type { NewComment } from '../../src/types';
import { failure, fakeFetch, fixture, hang, json, text, unreachable, type Route } from './fake-fetch';

const A = (name: string) => fixture('artalk', name);
const SERVER = 'https://artalk.example.com';
const THREAD = '/posts/statement/';
const firstPage = { sort: 'oldest' as const, limit: 2, cursor: null };
/** The HTML a comment carries (a raw adapter's answer is wire data: unchecked). */
const html = (comment: WireComment | null | undefined) => comment?.bodyHtml as string | undefined;
const input = (fields: Partial<NewComment> = {}): NewComment => ({
  parentId: null,
  author: { name: 'Ines Moreau', email: 'ines@example.com' },
  body: 'It was published the **same week**.',
  ...fields,
});

function setup(route: Route, options: Partial<ArtalkAdapterOptions> = {}) {
  const fake = fakeFetch(route);
  const raw = createArtalkAdapter({
    server: `${SERVER}/`,
    site: 'Blog',
    fetch: fake.fetch,
    timeout: 200,
    retries: 0,
    ...options,
  });
  // As the widget uses it: through the store's boundary validator. `raw` is the adapter alone.
  return { adapter: guardAdapter(raw), raw, requests: fake.requests };
}

describe('Artalk adapter: reading', () => {
  it('reads a page of top-level comments with all their replies; offset paging → cursor', async () => {
    const { adapter, raw, requests } = setup(() => json(A('comments-page1.json')));
    const page = await adapter.list(THREAD, firstPage);
    expect(requests[0]!.url.pathname).toBe('/api/v2/comments');
    expect(Object.fromEntries(requests[0]!.url.searchParams)).toEqual({
      page_key: THREAD,
      site_name: 'Blog',
      limit: '2',
      offset: '0',
      sort_by: 'date_asc',
    });
    expect(requests[0]!.credentials).toBe('omit');

    expect(page.thread).toEqual({
      id: THREAD,
      title: 'The statement',
      url: 'https://blog.example.com/posts/statement/',
      commentCount: 6,
      locked: false,
      features: { guests: true, reports: true },
    });
    expect(page.nextCursor).toBe('2');
    expect(page.comments.map((c) => [c.id, c.parentId, c.status])).toEqual([
      ['11', null, 'published'],
      ['12', '11', 'published'],
      ['15', '12', 'pending'],
      ['13', null, 'published'],
    ]);
    const first = page.comments[0]!;
    expect(first).toMatchObject({
      author: { name: 'Amira Haddad', url: 'https://amira.example/', avatarUrl: null },
      body: expect.stringContaining('> allow ISIS'),
      // Artalk's times carry no zone: read as the reader's local time, as Artalk's client does.
      createdAt: new Date(2026, 10, 20, 17, 15, 2).getTime(),
      score: 11,
    });
    expect(html((await raw.list(THREAD, firstPage)).comments[0]!)).toContain('<blockquote>');
    expect(page.comments[3]!.author.url).toBeNull(); // javascript: link
  });

  it('reads the next page, other sorts, an admin-only page as locked', async () => {
    const { adapter, requests } = setup(() => json(A('comments-page2.json')));
    const page = await adapter.list(THREAD, { sort: 'top', limit: 2, cursor: '2' });
    expect(requests[0]!.url.searchParams.get('offset')).toBe('2');
    expect(requests[0]!.url.searchParams.get('sort_by')).toBe('vote');
    expect(page.nextCursor).toBeNull();
    expect(page.thread.locked).toBe(true);
    await adapter.list(THREAD, { sort: 'newest', limit: 2, cursor: null });
    expect(requests[1]!.url.searchParams.get('sort_by')).toBe('date_desc');
  });

  it("uses the server's UTC offset when given, and builds avatars only when the site says how", async () => {
    const { adapter } = setup(() => json(A('comments-page1.json')), {
      utcOffset: '+08:00',
      avatar: (hash) => `https://avatars.example/${hash}?s=80`,
    });
    const page = await adapter.list(THREAD, firstPage);
    expect(page.comments[0]!.createdAt).toBe(Date.parse('2026-11-20T09:15:02Z'));
    expect(page.comments[0]!.author.avatarUrl).toBe('https://avatars.example/3c1e8d6d0f0a1b2c3d4e5f60718293a4?s=80');
  });

  it('skips comments it cannot show', async () => {
    const page = A('comments-page2.json');
    page.comments.push({ id: 20, content_marked: null }, { content_marked: '<p>no id</p>' }, null);
    const { adapter } = setup(() => json(page));
    const result = await adapter.list(THREAD, firstPage);
    expect(result.comments.map((c) => c.id)).toEqual(['14']);
    expect(result.skipped).toBe(3);
  });

  it('counts with stats/page_comment', async () => {
    const { adapter, requests } = setup(() => json(A('stats-page-comment.json')));
    expect(await adapter.counts!([THREAD, '/posts/empty/', '/posts/unknown/'])).toEqual({ [THREAD]: 6, '/posts/empty/': 0 });
    expect(requests[0]!.url.pathname).toBe('/api/v2/stats/page_comment');
    expect(Object.fromEntries(requests[0]!.url.searchParams)).toEqual({
      site_name: 'Blog',
      page_keys: `${THREAD},/posts/empty/,/posts/unknown/`,
    });
  });
});

describe('Artalk adapter: writing', () => {
  it("posts a reply with Artalk's fields; Artalk has no edit or delete for readers", async () => {
    const { adapter, raw, requests } = setup(() => json(A('comment-created.json')));
    const posted = await adapter.post!(THREAD, input({ parentId: '13', page: { title: 'The statement' } }), 'key-1');
    expect(requests[0]!.method).toBe('POST');
    expect(requests[0]!.url.pathname).toBe('/api/v2/comments');
    expect(requests[0]!.headers.get('Idempotency-Key')).toBeNull();
    expect(requests[0]!.body).toEqual({
      name: 'Ines Moreau',
      email: 'ines@example.com',
      link: '',
      content: 'It was published the **same week**.',
      rid: 13,
      page_key: THREAD,
      page_title: 'The statement',
      site_name: 'Blog',
    });
    expect(posted.editToken).toBeNull();
    expect(posted.comment).toMatchObject({ id: '16', parentId: '13', body: 'It was published the **same week**.' });
    expect(html((await raw.post!(THREAD, input(), 'key-1')).comment)).toContain('<strong>same week</strong>');
    expect(adapter.edit).toBeUndefined();
    expect(adapter.remove).toBeUndefined();
  });

  it("sends a signed-in user's token as a bearer token", async () => {
    const { adapter, requests } = setup(() => json(A('comment-created.json')), { token: () => 'artalk-jwt' });
    await adapter.post!(THREAD, input(), 'k');
    expect(requests[0]!.headers.get('Authorization')).toBe('Bearer artalk-jwt');
  });

  it('a missing or bad email (Artalk requires one) is told on the email field', async () => {
    const { adapter } = setup(() => json(A('error-email.json'), 400));
    const error = await failure(adapter.post!(THREAD, input({ author: { name: 'Ines' } }), 'k'));
    expect(error).toMatchObject({ code: 'http', status: 400, serverCode: 'invalid', fields: { email: 'Invalid Email' } });
  });

  it('a captcha Artalk asks for (after its action limit) → rate_limited', async () => {
    const { adapter } = setup(() => json(A('error-captcha.json'), 403));
    expect(await failure(adapter.post!(THREAD, input(), 'k'))).toMatchObject({
      code: 'http',
      status: 403,
      serverCode: 'rate_limited',
      message: 'Captcha required',
    });
  });
});

describe('Artalk adapter: votes', () => {
  it('up and down; the score is up minus down', async () => {
    const { adapter, requests } = setup((request) =>
      json(A(request.url.pathname.endsWith('/up') ? 'vote-up.json' : 'vote-down.json')),
    );
    expect(await adapter.vote!(THREAD, '11', 1, 'voter')).toBe(12);
    expect(requests[0]).toMatchObject({ method: 'POST', body: {} });
    expect(requests[0]!.url.pathname).toBe('/api/v2/votes/comment/11/up');
    expect(await adapter.vote!(THREAD, '11', -1, 'voter')).toBe(10);
    expect(requests[1]!.url.pathname).toBe('/api/v2/votes/comment/11/down');
  });

  it('votes again when Artalk toggled an earlier vote off instead', async () => {
    const answers = ['vote-none.json', 'vote-up.json'];
    const { adapter, requests } = setup(() => json(A(answers.shift()!)));
    expect(await adapter.vote!(THREAD, '11', 1, 'voter')).toBe(12);
    expect(requests.map((r) => r.url.pathname)).toEqual(['/api/v2/votes/comment/11/up', '/api/v2/votes/comment/11/up']);
  });

  it("takes a vote back by repeating the reader's current choice", async () => {
    const { adapter, requests } = setup((request) => json(A(request.method === 'GET' ? 'vote-down.json' : 'vote-none.json')));
    expect(await adapter.vote!(THREAD, '11', 0, 'voter')).toBe(11);
    expect(requests.map((r) => `${r.method} ${r.url.pathname}`)).toEqual([
      'GET /api/v2/votes/comment/11',
      'POST /api/v2/votes/comment/11/down',
    ]);
  });

  it('taking back a vote that is not there changes nothing', async () => {
    const { adapter, requests } = setup(() => json(A('vote-none.json')));
    expect(await adapter.vote!(THREAD, '11', 0, 'voter')).toBe(11);
    expect(requests).toHaveLength(1);
  });

  it('a vote on a comment Artalk does not have → not_found', async () => {
    const { adapter } = setup(() => json(A('error-not-found.json'), 404));
    expect(await failure(adapter.vote!(THREAD, '999', 1, 'voter'))).toMatchObject({
      code: 'http',
      status: 404,
      serverCode: 'not_found',
    });
  });
});

describe('Artalk adapter: failures', () => {
  it("an unknown site → http 404 with Artalk's message", async () => {
    const { adapter } = setup(() => json(A('error-no-site.json'), 404));
    const error = await failure(adapter.list(THREAD, firstPage));
    expect(error).toMatchObject({ code: 'http', status: 404, serverCode: 'not_found' });
    expect(error.message).toContain('not found');
  });

  it('network failure, timeout, and a proxy page', async () => {
    const adapter = createArtalkAdapter({ server: SERVER, site: 'Blog', fetch: unreachable, retries: 0 });
    expect(await failure(adapter.list(THREAD, firstPage))).toMatchObject({ code: 'network' });
    const slow = setup(() => hang(new Request(SERVER)), { timeout: 50 });
    expect(await failure(slow.adapter.list(THREAD, firstPage))).toMatchObject({ code: 'timeout' });
    const proxy = setup(() => text('<html>502</html>', 502));
    expect(await failure(proxy.adapter.list(THREAD, firstPage))).toMatchObject({
      code: 'http',
      status: 502,
      serverCode: 'internal',
    });
  });

  it.each([
    ['not JSON', () => text('<html>hi</html>')],
    ['no comments', () => json({ count: 0 })],
    ['an array', () => json([])],
  ])('rejects a malformed page at the boundary: %s', async (_, answer) => {
    const { adapter } = setup(answer);
    expect(await failure(adapter.list(THREAD, firstPage))).toMatchObject({ code: 'invalid-response' });
  });

  it('rejects malformed post, vote and stats answers', async () => {
    const { adapter } = setup((request) => (request.url.pathname.includes('stats') ? json({ data: [1] }) : json({ id: 1 })));
    expect(await failure(adapter.post!(THREAD, input(), 'k'))).toMatchObject({ code: 'invalid-response' });
    expect(await failure(adapter.vote!(THREAD, '1', 1, 'v'))).toMatchObject({ code: 'invalid-response' });
    expect(await failure(adapter.counts!([THREAD]))).toMatchObject({ code: 'invalid-response' });
  });
});
