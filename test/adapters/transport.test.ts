// The adapters' one transport (src/adapters/server-client.ts): deletes take the server's answer,
// Waline's wait comes from its answer, and every server adapter shares the protocol client's
// timeout and retry policy and its error mapping.
import { describe, expect, it } from 'vitest';
import { guardAdapter } from '../../src/api/guard-adapter';
import { createIssoAdapter } from '../../src/adapters/isso';
import { createRemark42Adapter } from '../../src/adapters/remark42';
import { createWalineAdapter } from '../../src/adapters/waline';
import { requestFailure } from '../../src/adapters/server-client';
import { ConfabError } from '../../src/errors';
import { failure, fakeFetch, fixture, hang, json } from './fake-fetch';

const PAGE = 'https://blog.example.com/posts/statement/';
const newComment = { parentId: null, author: { name: 'Jonas Berg', email: 'jonas@example.com' }, body: 'Hello' };

describe('composeMs is for the Confab protocol only', () => {
  it('is not in what the Remark42 and Isso adapters send', async () => {
    const { fetch, requests } = fakeFetch((request) => {
      if (request.url.hostname === 'i.example') return json(fixture('isso', 'new.json'), 201);
      if (request.url.pathname.includes('/auth/anonymous/login')) return json(fixture('remark42', 'anonymous-login.json'));
      return json(fixture('remark42', 'comment-created.json'));
    });
    const input = { ...newComment, composeMs: 4321 };
    await guardAdapter(createIssoAdapter({ url: 'https://i.example/', fetch, retries: 0 })).post!('/t/', input, 'k');
    await guardAdapter(createRemark42Adapter({ host: 'https://r.example', url: String, token: 'jwt', fetch, retries: 0 })).post!(
      PAGE,
      input,
      'k',
    );
    const posts = requests.filter((r) => r.method === 'POST' && r.body !== null);
    expect(posts.map((r) => r.url.hostname).sort()).toEqual(['i.example', 'r.example']);
    for (const request of posts) expect(JSON.stringify(request.body)).not.toContain('composeMs');
  });
});

describe("deletes use the server's answer", () => {
  it('Remark42: the comment it answers with, kept in its place (parent, author, time)', async () => {
    const { fetch } = fakeFetch(() => json(fixture('remark42', 'comment-deleted.json')));
    const raw = createRemark42Adapter({ host: 'https://r.example', url: String, token: 'jwt', fetch, retries: 0 });
    const removed = await guardAdapter(raw).remove!(PAGE, '7be48faa-6a52-4c94-8fc0-1d3b5e7c8d08', 'jwt');
    expect(removed).toMatchObject({
      id: '7be48faa-6a52-4c94-8fc0-1d3b5e7c8d08',
      parentId: '4eb15c77-3d2f-4f61-9c9d-8a0e2b4f5a05',
      author: { name: 'Ines Moreau' },
      createdAt: Date.parse('2026-11-25T10:00:00Z'),
      status: 'deleted',
      body: '',
    });
    expect(removed.bodyHtml).toBeUndefined();
  });

  it('Isso: the emptied comment while replies refer to it, only its id once it is gone', async () => {
    let answer: unknown = fixture('isso', 'delete-referenced.json');
    const { fetch } = fakeFetch(() => json(answer));
    const adapter = guardAdapter(createIssoAdapter({ url: 'https://i.example/', cookies: true, fetch, retries: 0 }));
    expect(await adapter.remove!('/t/', '23', 'cookie')).toMatchObject({
      id: '23',
      parentId: '4',
      status: 'deleted',
      editedAt: 1795650400500,
    });
    answer = null;
    expect(await adapter.remove!('/t/', '23', 'cookie')).toMatchObject({ id: '23', parentId: null, status: 'deleted', body: '' });
  });

  it('a delete answered without a comment still says which one is gone', async () => {
    const { fetch } = fakeFetch(() => new Response('<html>ok</html>', { status: 200 }));
    const adapter = guardAdapter(
      createRemark42Adapter({ host: 'https://r.example', url: String, token: 'jwt', fetch, retries: 0 }),
    );
    // The server said yes (2xx): the comment's id is what there is to go on.
    expect(await adapter.remove!(PAGE, 'x', 'jwt')).toMatchObject({ id: 'x', status: 'deleted' });
  });
});

describe("Waline's wait comes from its answer", () => {
  const setup = (answer: () => Response) =>
    guardAdapter(createWalineAdapter({ serverURL: 'https://w.example', fetch: fakeFetch(answer).fetch, retries: 0 }));

  it('reads a Retry-After header', async () => {
    const adapter = setup(() => json({ errno: 1000, errmsg: 'Comment too fast!' }, 200, { 'Retry-After': '25' }));
    expect(await failure(adapter.post!('/t/', newComment, 'k'))).toMatchObject({
      status: 429,
      serverCode: 'rate_limited',
      retryAfter: 25,
    });
  });

  it('reads the seconds its message names', async () => {
    const adapter = setup(() => json({ errno: 1000, errmsg: 'Comment too fast, please wait 30 seconds.' }));
    expect(await failure(adapter.post!('/t/', newComment, 'k'))).toMatchObject({ status: 429, retryAfter: 30 });
  });

  it('reads the wait of a refusal with an HTTP status too', async () => {
    const adapter = setup(() => json({ errno: 1000, errmsg: 'Comment too fast!' }, 429, { 'Retry-After': '12' }));
    expect(await failure(adapter.post!('/t/', newComment, 'k'))).toMatchObject({ status: 429, retryAfter: 12 });
  });

  it("falls back to Waline's default (IPQPS, 60 s) when the answer names none", async () => {
    const adapter = setup(() => json({ errno: 1000, errmsg: 'Comment too fast!' }));
    expect(await failure(adapter.post!('/t/', newComment, 'k'))).toMatchObject({ retryAfter: 60 });
  });
});

describe('one timeout and retry policy', () => {
  it("retries a server adapter's read after a 503, as the protocol client does", async () => {
    const fake = fakeFetch((_, index) =>
      index === 0 ? new Response('busy', { status: 503 }) : json(fixture('isso', 'fetch-page1.json')),
    );
    const adapter = guardAdapter(createIssoAdapter({ url: 'https://i.example/', fetch: fake.fetch, retries: 1 }));
    const page = await adapter.list('/t/', { sort: 'oldest', limit: 2, cursor: null });
    expect(page.comments.length).toBeGreaterThan(0);
    expect(fake.requests).toHaveLength(2);
  });

  it("does not retry a server adapter's write", async () => {
    const fake = fakeFetch(() => new Response('busy', { status: 503 }));
    const adapter = guardAdapter(createIssoAdapter({ url: 'https://i.example/', fetch: fake.fetch, retries: 2 }));
    await failure(adapter.post!('/t/', newComment, 'k'));
    expect(fake.requests).toHaveLength(1);
  });

  it('fails fast on a long Retry-After', async () => {
    const fake = fakeFetch(() => new Response('later', { status: 429, headers: { 'Retry-After': '60' } }));
    const adapter = guardAdapter(createIssoAdapter({ url: 'https://i.example/', fetch: fake.fetch, retries: 2 }));
    expect(await failure(adapter.list('/t/', { sort: 'oldest', limit: 2, cursor: null }))).toMatchObject({
      status: 429,
      serverCode: 'rate_limited',
    });
    expect(fake.requests).toHaveLength(1);
  });

  it('times out a server that never answers, in its name', async () => {
    const adapter = guardAdapter(
      createWalineAdapter({
        serverURL: 'https://w.example',
        fetch: (input, init) => hang(new Request(input, init)),
        timeout: 50,
        retries: 0,
      }),
    );
    expect(await failure(adapter.list('/t/', { sort: 'oldest', limit: 2, cursor: null }))).toMatchObject({
      code: 'timeout',
      message: 'Waline did not answer in time.',
    });
  });
});

describe('requestFailure', () => {
  const refusal = () => new ConfabError('http', 'no');
  it('names the server, capitalized where it starts a sentence', async () => {
    const timeout = new DOMException('slow', 'TimeoutError');
    expect((await requestFailure(timeout, 'the comment server', refusal)).message).toBe(
      'The comment server did not answer in time.',
    );
    expect((await requestFailure(new TypeError('Failed to fetch'), 'the comment server', refusal)).message).toBe(
      'Could not reach the comment server.',
    );
    expect(await requestFailure(new DOMException('x', 'AbortError'), 'Isso', refusal)).toMatchObject({
      code: 'network',
      message: 'The request was cancelled.',
    });
  });
});
