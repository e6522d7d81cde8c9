// The Remark42 adapter against answers shaped as Remark42's API documents and its source writes
// them (backend/app/rest/api, store.Comment, service.Tree): tree pages with `info.count_left` and
// `last_comment`, the JWT in X-JWT, anonymous sign-in, edit and delete by PUT, vote steps,
// counts, `{ error, details, code }` errors and malformed answers.
import { describe, expect, it } from 'vitest';
import { guardAdapter } from '../../src/api/guard-adapter';
import type { WireComment } from '../../src/api/wire';
import { createRemark42Adapter, type Remark42AdapterOptions } from '../../src/adapters/remark42';
import type { NewComment } from '../../src/types';
import { failure, fakeFetch, fixture, hang, json, text, unreachable, type Route } from './fake-fetch';

const R = (name: string) => fixture('remark42', name);
const HOST = 'https://remark42.example.com';
const PAGE = 'https://blog.example.com/posts/statement/';
const firstPage = { sort: 'oldest' as const, limit: 3, cursor: null };
/** The HTML a comment carries (a raw adapter's answer is wire data: unchecked). */
const html = (comment: WireComment | null | undefined) => comment?.bodyHtml as string | undefined;
const input = (fields: Partial<NewComment> = {}): NewComment => ({
  parentId: null,
  author: { name: 'Ines Moreau' },
  body: 'It was published the **same week**.',
  ...fields,
});

function setup(route: Route, options: Partial<Remark42AdapterOptions> = {}) {
  const fake = fakeFetch(route);
  const raw = createRemark42Adapter({ host: `${HOST}/`, fetch: fake.fetch, timeout: 200, retries: 0, ...options });
  // As the widget uses it: through the store's boundary validator. `raw` is the adapter alone.
  return { adapter: guardAdapter(raw), raw, requests: fake.requests };
}

describe('Remark42 adapter: reading', () => {
  it('reads a tree page: every reply flattened with its parent, info → thread and cursor', async () => {
    const { adapter, raw, requests } = setup(() => json(R('find-page1.json')));
    const page = await adapter.list(PAGE, firstPage);
    const url = requests[0]!.url;
    expect(url.pathname).toBe('/api/v1/find');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      site: 'remark',
      url: PAGE,
      sort: '+time',
      format: 'tree',
      limit: '3',
    });
    expect(requests[0]!.credentials).toBe('omit');

    expect(page.thread).toEqual({
      id: PAGE,
      title: null,
      url: PAGE,
      commentCount: 6,
      locked: false,
      features: { guests: true, reports: true },
    });
    expect(page.nextCursor).toBe('4eb15c77-3d2f-4f61-9c9d-8a0e2b4f5a05');
    expect(page.comments.map((c) => [c.id.slice(0, 8), c.parentId?.slice(0, 8) ?? null, c.status])).toEqual([
      ['0f7a3c52', null, 'published'],
      ['1b8e2f44', '0f7a3c52', 'published'],
      ['2c9f3a55', '1b8e2f44', 'deleted'],
      ['3da04b66', '2c9f3a55', 'published'],
      ['4eb15c77', null, 'published'],
    ]);
    const [first, second, gone] = page.comments;
    expect(first).toMatchObject({
      author: { name: 'Amira Haddad', url: null, avatarUrl: 'https://remark42.example.com/api/v1/avatar/3c1e8d6d0f0a.image' },
      body: expect.stringContaining('> allow ISIS to redeploy freely'),
      createdAt: Date.parse('2026-11-20T09:15:02.123Z'),
      editedAt: null,
      score: 12,
    });
    expect(second!.editedAt).toBe(Date.parse('2026-11-20T10:04:01Z'));
    expect(second!.author.avatarUrl).toBeNull();
    expect(gone).toMatchObject({ body: '', status: 'deleted' });
    expect(page.comments[4]!.createdAt).toBe(Date.parse('2026-11-21T07:00:00Z'));
    // Remark42's rendered HTML goes on as bodyHtml, for the widget's sanitizer.
    const rawFirst = (await raw.list(PAGE, firstPage)).comments[0]!;
    expect(html(rawFirst)).toContain('<blockquote>');
  });

  it('reads the next page by offset_id, read-only → locked, and drops unsafe avatars', async () => {
    const { adapter, requests } = setup(() => json(R('find-page2.json')));
    const page = await adapter.list(PAGE, { sort: 'top', limit: 3, cursor: 'cursor-id' });
    expect(requests[0]!.url.searchParams.get('offset_id')).toBe('cursor-id');
    expect(requests[0]!.url.searchParams.get('sort')).toBe('-score');
    expect(page.nextCursor).toBeNull();
    expect(page.thread.locked).toBe(true);
    expect(page.comments[1]!.author.avatarUrl).toBeNull();
    await adapter.list(PAGE, { sort: 'newest', limit: 3, cursor: null });
    expect(requests[1]!.url.searchParams.get('sort')).toBe('-time');
  });

  it('resolves a path thread id against the page address by default, or uses `url`', async () => {
    const { adapter, requests } = setup(() => json(R('find-page2.json')));
    await adapter.list('/posts/statement/', firstPage);
    expect(requests[0]!.url.searchParams.get('url')).toBe(new URL('/posts/statement/', location.href).href);
    const other = setup(() => json(R('find-page2.json')), { url: (id) => `https://blog.example.com${id}`, siteId: 'blog' });
    await other.adapter.list('/posts/statement/', firstPage);
    expect(other.requests[0]!.url.searchParams.get('url')).toBe(PAGE);
    expect(other.requests[0]!.url.searchParams.get('site')).toBe('blog');
  });

  it('flattens a deep reply chain without recursion, and skips malformed nodes', async () => {
    let node: Record<string, unknown> = {
      comment: { id: 'c0', pid: '', text: '<p>0</p>', user: { name: 'A' }, time: '2026-11-20T00:00:00Z' },
    };
    const top = node;
    for (let i = 1; i < 1000; i++) {
      const child = {
        comment: { id: `c${i}`, pid: `c${i - 1}`, text: `<p>${i}</p>`, user: { name: 'A' }, time: '2026-11-20T00:00:00Z' },
      };
      node.replies = [child];
      node = child;
    }
    node.replies = [{ comment: { id: 'bad', text: 42 } }, 'nonsense', { comment: null }];
    const { adapter } = setup(() => json({ comments: [top], info: { count: 1000 } }));
    const page = await adapter.list(PAGE, firstPage);
    expect(page.comments).toHaveLength(1000);
    expect(page.comments[999]).toMatchObject({ id: 'c999', parentId: 'c998' });
    expect(page.skipped).toBe(2);
  });

  it('counts several pages with one POST /counts', async () => {
    const { adapter, requests } = setup(() => json(R('counts.json')), { url: String });
    const counts = await adapter.counts!([
      PAGE,
      'https://blog.example.com/posts/empty/',
      'https://blog.example.com/posts/unknown/',
    ]);
    expect(counts).toEqual({
      [PAGE]: 6,
      'https://blog.example.com/posts/empty/': 0,
      'https://blog.example.com/posts/unknown/': 0,
    });
    expect(requests[0]).toMatchObject({
      method: 'POST',
      body: [PAGE, 'https://blog.example.com/posts/empty/', 'https://blog.example.com/posts/unknown/'],
    });
    expect(requests[0]!.url.pathname).toBe('/api/v1/counts');
    expect(requests[0]!.url.searchParams.get('site')).toBe('remark');
  });
});

describe('Remark42 adapter: who may write', () => {
  it('is read-only without a token or anonymous sign-in', () => {
    const { adapter } = setup(() => json({}));
    expect([adapter.post, adapter.edit, adapter.remove, adapter.vote]).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('posts a reply with the JWT in X-JWT; the JWT is the edit token', async () => {
    const { adapter, raw, requests } = setup(() => json(R('comment-created.json'), 201), { token: 'jwt-site', url: String });
    const posted = await adapter.post!(
      PAGE,
      input({ parentId: '4eb15c77-3d2f-4f61-9c9d-8a0e2b4f5a05', page: { title: 'The statement' } }),
      'key-1',
    );
    expect(requests[0]!.url.pathname).toBe('/api/v1/comment');
    expect(requests[0]!.headers.get('X-JWT')).toBe('jwt-site');
    expect(requests[0]!.headers.get('Idempotency-Key')).toBeNull();
    expect(requests[0]!.body).toEqual({
      text: 'It was published the **same week**.',
      pid: '4eb15c77-3d2f-4f61-9c9d-8a0e2b4f5a05',
      locator: { site: 'remark', url: PAGE },
      title: 'The statement',
    });
    expect(posted.editToken).toBe('jwt-site');
    expect(posted.comment).toMatchObject({
      parentId: '4eb15c77-3d2f-4f61-9c9d-8a0e2b4f5a05',
      body: 'It was published the **same week**.',
    });
    expect(html((await raw.post!(PAGE, input(), 'key-1')).comment)).toBe(
      '<p>It was published the <strong>same week</strong>.</p>\n',
    );
  });

  it('signs a guest in anonymously by name, then posts with the JWT Remark42 sent back', async () => {
    const { adapter, requests } = setup(
      (request) =>
        request.url.pathname === '/auth/anonymous/login'
          ? json(R('anonymous-login.json'), 200, { 'X-JWT': 'jwt-anon' })
          : json(R('comment-created.json'), 201),
      { anonymous: true, url: String },
    );
    const posted = await adapter.post!(PAGE, input(), 'key-2');
    expect(Object.fromEntries(requests[0]!.url.searchParams)).toEqual({ user: 'Ines Moreau', aud: 'remark' });
    expect(requests[1]!.headers.get('X-JWT')).toBe('jwt-anon');
    expect(posted.editToken).toBe('jwt-anon');
    // Anonymous users cannot vote in Remark42 (unless ANON_VOTE): no vote buttons.
    expect(adapter.vote).toBeUndefined();
  });

  it('edits and deletes with PUT comment/:id, using the edit token when the site has none', async () => {
    const { adapter, requests } = setup(
      (request) => json(R((request.body as { delete?: boolean }).delete ? 'comment-deleted.json' : 'comment-edited.json')),
      {
        anonymous: true,
        url: String,
      },
    );
    const edited = await adapter.edit!(
      PAGE,
      '7be48faa-6a52-4c94-8fc0-1d3b5e7c8d08',
      'It was published the **same week**, on a Monday.',
      'jwt-anon',
    );
    expect(requests[0]).toMatchObject({
      method: 'PUT',
      body: { text: 'It was published the **same week**, on a Monday.', summary: '' },
    });
    expect(requests[0]!.url.pathname).toBe('/api/v1/comment/7be48faa-6a52-4c94-8fc0-1d3b5e7c8d08');
    expect(Object.fromEntries(requests[0]!.url.searchParams)).toEqual({ site: 'remark', url: PAGE });
    expect(requests[0]!.headers.get('X-JWT')).toBe('jwt-anon');
    expect(edited.editedAt).toBe(Date.parse('2026-11-25T10:02:00Z'));
    const removed = await adapter.remove!(PAGE, '7be48faa-6a52-4c94-8fc0-1d3b5e7c8d08', 'jwt-anon');
    expect(requests[1]!.body).toEqual({ delete: true });
    expect(removed).toMatchObject({ status: 'deleted', body: '' });
  });

  it('says when Remark42 refuses an edit after EDIT_TIME', async () => {
    const { adapter } = setup(() => json(R('error-edit-expired.json'), 400), { token: 'jwt' });
    const error = await failure(adapter.edit!(PAGE, 'x', 'text', 'jwt'));
    expect(error).toMatchObject({ code: 'http', status: 400, serverCode: 'invalid', message: "can't update comment" });
  });
});

describe('Remark42 adapter: votes', () => {
  it('moves the vote one step at a time, starting from the vote Remark42 reported', async () => {
    const { adapter, requests } = setup(
      (request) => (request.url.pathname === '/api/v1/find' ? json(R('find-page1.json')) : json(R('vote.json'))),
      {
        token: 'jwt',
        url: String,
      },
    );
    await adapter.list(PAGE, firstPage);
    // The first comment shows `vote: 1`: down-voting it takes two steps (1 → 0 → -1).
    expect(await adapter.vote!(PAGE, '0f7a3c52-6d1e-4b7a-9c1d-2a4e8b5f6c01', -1, 'voter')).toBe(1);
    const votes = requests.slice(1).map((r) => r.url.searchParams.get('vote'));
    expect(votes).toEqual(['-1', '-1']);
    expect(requests[1]!.method).toBe('PUT');
    expect(requests[1]!.url.pathname).toBe('/api/v1/vote/0f7a3c52-6d1e-4b7a-9c1d-2a4e8b5f6c01');
    // Taking it back from -1 is one step up.
    await adapter.vote!(PAGE, '0f7a3c52-6d1e-4b7a-9c1d-2a4e8b5f6c01', 0, 'voter');
    expect(requests[3]!.url.searchParams.get('vote')).toBe('1');
  });

  it('reports Remark42 refusing a second vote', async () => {
    const { adapter } = setup(() => json(R('error-vote-twice.json'), 400), { token: 'jwt' });
    expect(await failure(adapter.vote!(PAGE, '1b8e2f44', 1, 'voter'))).toMatchObject({
      code: 'http',
      status: 400,
      serverCode: 'invalid',
    });
  });
});

describe('Remark42 adapter: failures', () => {
  it('a read-only post (code 8) → locked', async () => {
    const { adapter } = setup(() => json(R('error-read-only.json'), 403), { token: 'jwt' });
    expect(await failure(adapter.post!(PAGE, input(), 'k'))).toMatchObject({
      code: 'http',
      status: 403,
      serverCode: 'locked',
      message: 'old post, read-only',
    });
  });

  it('a validation refusal (code 4) → invalid', async () => {
    const { adapter } = setup(() => json(R('error-validation.json'), 400), { token: 'jwt' });
    expect(await failure(adapter.post!(PAGE, input(), 'k'))).toMatchObject({ code: 'http', status: 400, serverCode: 'invalid' });
  });

  it("the auth middleware's plain-text 401 → unauthorized", async () => {
    const { adapter } = setup(() => new Response('Unauthorized\n', { status: 401 }), { token: 'expired' });
    expect(await failure(adapter.post!(PAGE, input(), 'k'))).toMatchObject({
      code: 'http',
      status: 401,
      serverCode: 'unauthorized',
    });
  });

  it('network failure and timeout', async () => {
    const adapter = createRemark42Adapter({ host: HOST, fetch: unreachable, retries: 0 });
    expect(await failure(adapter.list(PAGE, firstPage))).toMatchObject({ code: 'network' });
    const slow = setup(() => hang(new Request(HOST)), { timeout: 50 });
    expect(await failure(slow.adapter.list(PAGE, firstPage))).toMatchObject({ code: 'timeout' });
  });

  it('a proxy error page → http 502', async () => {
    const { adapter } = setup(() => text('<html>Bad gateway</html>', 502));
    expect(await failure(adapter.list(PAGE, firstPage))).toMatchObject({ code: 'http', status: 502, serverCode: 'internal' });
  });

  it.each([
    ['not JSON', () => text('<html>hi</html>')],
    ['no comments', () => json({ info: {} })],
    ['comments not a list', () => json({ comments: {}, info: {} })],
    ['an array', () => json([])],
  ])('rejects a malformed page at the boundary: %s', async (_, answer) => {
    const { adapter } = setup(answer);
    expect(await failure(adapter.list(PAGE, firstPage))).toMatchObject({ code: 'invalid-response' });
  });

  it('rejects a malformed post answer and counts answer', async () => {
    const { adapter } = setup(
      (request) => (request.url.pathname.endsWith('counts') ? json({ counts: 1 }) : json({ id: 'x' }, 201)),
      { token: 'jwt' },
    );
    expect(await failure(adapter.post!(PAGE, input(), 'k'))).toMatchObject({ code: 'invalid-response' });
    expect(await failure(adapter.counts!([PAGE]))).toMatchObject({ code: 'invalid-response' });
  });
});
