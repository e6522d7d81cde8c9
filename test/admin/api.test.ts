// The API client's boundary: every answer decoded into typed values, every failure a typed
// ApiError with a readable message, never a crash deeper in the dashboard.
import { describe, expect, it, vi } from 'vitest';
import { ApiError, createApi } from '../../server/admin/src/api';
import { decodeActor, decodeComment, DecodeError } from '../../server/admin/src/decode';
import { actorName } from '../../server/admin/src/session-store';
import { createFakeServer, FakeEventSource } from './fake-server';
import { MODERATOR_ACTOR, wireComment } from './fixtures';

const answering = (status: number, text: string) => vi.fn(async () => new Response(text, { status }));

describe('the API client', () => {
  it('decodes a page of comments into typed values', async () => {
    const server = createFakeServer({ signedIn: MODERATOR_ACTOR });
    const api = createApi({ fetch: server.fetch });
    const page = await api.comments('pending', {});
    expect(page.items.map((c) => c.id)).toEqual(['p1', 'p2', 'p3']);
    expect(page.items[0]).toMatchObject({ status: 'pending', holdReason: 'links', author: { name: 'Ann', role: null } });
    expect(page.nextCursor).toBeNull();
  });

  it('turns an answer that is not JSON into a bad-answer ApiError', async () => {
    const api = createApi({ fetch: answering(200, '<html>proxy error</html>') });
    const error = await api.counts().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ kind: 'bad-answer', code: 'bad-answer' });
    expect((error as ApiError).message).toMatch(/cannot read/);
  });

  it('turns JSON of the wrong shape into a bad-answer ApiError naming where', async () => {
    const body = JSON.stringify({ comments: [{ ...wireComment(), status: 'weird' }], nextCursor: null });
    const error = (await createApi({ fetch: answering(200, body) })
      .comments('all', {})
      .catch((e: unknown) => e)) as ApiError;
    expect(error.kind).toBe('bad-answer');
    expect(error.fields.answer).toBe('comments[0].status: expected one of published, pending, spam, deleted');
    for (const bad of ['null', '[]', '{"comments": {}}', '{"comments": [{"id": 3}]}']) {
      await expect(createApi({ fetch: answering(200, bad) }).comments('all', {})).rejects.toMatchObject({ kind: 'bad-answer' });
    }
  });

  it("passes the server's error code, message and fields on", async () => {
    const body = JSON.stringify({ error: { code: 'invalid', message: 'Check the password', fields: { password: 'Too short' } } });
    await expect(createApi({ fetch: answering(400, body) }).setPassword('x', 'y')).rejects.toMatchObject({
      kind: 'http',
      status: 400,
      code: 'invalid',
      message: 'Check the password',
      fields: { password: 'Too short' },
    });
  });

  it('gives a readable message when an error answer is not the protocol envelope', async () => {
    await expect(createApi({ fetch: answering(502, 'Bad Gateway') }).counts()).rejects.toMatchObject({
      kind: 'http',
      status: 502,
      message: 'The server failed (502). Try again in a moment.',
    });
    await expect(createApi({ fetch: answering(429, '') }).counts()).rejects.toMatchObject({
      message: expect.stringMatching(/Too many/),
    });
  });

  it('reports a network failure as such', async () => {
    const api = createApi({ fetch: vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))) });
    await expect(api.counts()).rejects.toMatchObject({ kind: 'network', message: expect.stringMatching(/Could not reach/) });
  });

  it('calls onUnauthorized on a 401, except while signing in', async () => {
    const api = createApi({ fetch: answering(401, '{"error":{"code":"unauthorized","message":"Sign in first"}}') });
    api.onUnauthorized = vi.fn();
    await expect(api.counts()).rejects.toMatchObject({ status: 401 });
    expect(api.onUnauthorized).toHaveBeenCalledTimes(1);
    await expect(api.signIn({ token: 'x' })).rejects.toMatchObject({ status: 401 });
    expect(await api.getSession()).toBeNull();
    expect(api.onUnauthorized).toHaveBeenCalledTimes(1);
  });

  it('sends the paths, methods and bodies of docs/admin-api.md', async () => {
    const server = createFakeServer({ signedIn: MODERATOR_ACTOR, comments: [wireComment({ id: 'a/b', threadId: 't 1' })] });
    const api = createApi({ fetch: server.fetch });
    await api.act({ threadId: 't 1', id: 'a/b' }, 'pin');
    await api.edit({ threadId: 't 1', id: 'a/b' }, 'New');
    await api.comments('all', { q: ' hello ', author: '', email: 'a@b.c', thread: 't 1' }, 'next', 20);
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /threads/t%201/comments/a%2Fb/pin',
      'PATCH /threads/t%201/comments/a%2Fb',
      'GET /comments',
    ]);
    expect(Object.fromEntries(server.requests[2]!.query)).toEqual({
      view: 'all',
      limit: '20',
      cursor: 'next',
      q: 'hello',
      email: 'a@b.c',
      thread: 't 1',
    });
    const fetch = vi.fn(server.fetch);
    await createApi({ fetch }).act({ threadId: 't 1', id: 'a/b' }, 'unpin');
    expect(fetch.mock.calls[0]![0]).toBe('/api/admin/threads/t%201/comments/a%2Fb/unpin');
  });

  it('refuses a bulk of more than 100 before sending it', async () => {
    const fetch = vi.fn();
    const many = Array.from({ length: 101 }, (_, at) => ({ threadId: 't', id: String(at) }));
    await expect(createApi({ fetch }).bulk('approve', many)).rejects.toMatchObject({ code: 'invalid' });
    expect(fetch).not.toHaveBeenCalled();
  });

  it('decodes the event stream and skips messages it cannot read', () => {
    let source: FakeEventSource | undefined;
    const api = createApi({ fetch: vi.fn(), eventSource: (url) => (source = new FakeEventSource(url)) });
    const counts = vi.fn();
    const comment = vi.fn();
    const close = api.events({ counts, comment });
    expect(source!.url).toBe('/api/admin/events');
    source!.emit('counts', { pending: 3, reported: 1, spam: 0 });
    source!.emit('counts', 'not json');
    source!.emit('counts', { pending: 'many' });
    source!.emit('comment', { comment: wireComment({ id: 'n1', status: 'pending' }) });
    source!.emit('comment', { comment: { id: 'n2' } });
    expect(counts.mock.calls).toEqual([[{ pending: 3, reported: 1, spam: 0 }]]);
    expect(comment.mock.calls.map(([c]) => c.id)).toEqual(['n1']);
    close();
    expect(source!.readyState).toBe(2);
  });

  it('decodes ids given as numbers, fills optional details, and rejects what the dashboard needs', () => {
    const minimal = {
      id: 7,
      threadId: 't',
      author: { name: null },
      body: 'Hi',
      createdAt: '2026-01-01T00:00:00Z',
      status: 'published',
    };
    expect(decodeComment(minimal)).toMatchObject({
      id: '7',
      thread: { title: null, url: null },
      author: { name: '', url: null },
      reports: { count: 0, reasons: {}, notes: [] },
      holdReason: null,
      hasEmail: false,
    });
    expect(() => decodeComment({ ...minimal, body: undefined })).toThrow(DecodeError);
    expect(() => decodeComment({ ...minimal, reports: { count: -1 } })).toThrow('comment.reports.count: expected a count');
  });

  it('decodes a moderator signed in on the site (sso) and names them in the audit log', () => {
    const actor = decodeActor({ kind: 'sso', id: 'u_abc', name: 'Mia Moderator' });
    expect(actor).toEqual({ kind: 'sso', id: 'u_abc', name: 'Mia Moderator' });
    expect(actorName(actor)).toBe('Mia Moderator (signed in on the site)');
    expect(() => decodeActor({ kind: 'sso', name: 'No id' })).toThrow(DecodeError);
  });
});
