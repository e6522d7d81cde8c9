// @vitest-environment node
// The HTTP adapter against a real local server: requests on the wire, retries, and every
// failure turned into a ConfabError a person can read.
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { guardAdapter } from '../../src/api/guard-adapter';
import { createHttpAdapter, type HttpAdapterOptions } from '../../src/api/http-adapter';
import { isConfabError, type ConfabError } from '../../src/errors';
import type { FullValidatedAdapter as Adapter, NewComment } from '../../src/types';
import { wireComment as wire } from '../fixtures/seed';
import { withUser } from '../../src/api/sign-in';
import { parseUser } from '../../src/api/validate';

interface Recorded {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

type Handler = (request: Recorded, response: ServerResponse, index: number) => void;

let server: Server;
let base = '';
let requests: Recorded[] = [];
let handler: Handler = (_, response) => json(response, 500, {});
const hanging: ServerResponse[] = [];
const neverAnswer: Handler = (_, response) => {
  hanging.push(response);
};

function json(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  response.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

function raw(response: ServerResponse, status: number, body: string, headers: Record<string, string> = {}) {
  response.writeHead(status, headers);
  response.end(body);
}

/** Answers with each handler in turn, the last one for every request after. */
function answers(...list: Handler[]) {
  handler = (request, response, index) => list[Math.min(index, list.length - 1)]!(request, response, index);
}

const wireComment = (id = 'c1', overrides: Record<string, unknown> = {}) => wire({ id, ...overrides });

const okPage = { thread: { id: 't1', commentCount: 1, locked: false }, comments: [wireComment()], nextCursor: 'n2' };

/** The HTTP client as the widget uses it: its answers through the boundary validator. */
function adapter(options: Partial<HttpAdapterOptions> = {}): Adapter {
  return guardAdapter(createHttpAdapter({ endpoint: `${base}/api`, timeout: 2000, retries: 0, ...options }));
}

/** The ConfabError a call rejects with; fails the test if it resolves or rejects with anything else. */
async function failure(promise: Promise<unknown>): Promise<ConfabError> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  expect(caught, 'the call should have failed').toBeDefined();
  expect(isConfabError(caught), `not a ConfabError: ${String(caught)}`).toBe(true);
  const error = caught as ConfabError;
  expect(error.message.trim()).not.toBe('');
  return error;
}

const list = (a: Adapter, threadId = 't1') => a.list(threadId, { sort: 'oldest', limit: 20, cursor: null });

// test/setup.ts clears localStorage after each test; Node has none, so lend it one here.
let lentStorage = false;
beforeAll(() => {
  if (typeof globalThis.localStorage !== 'undefined') return;
  lentStorage = true;
  Object.defineProperty(globalThis, 'localStorage', { configurable: true, value: { clear() {} } });
});
afterAll(() => {
  if (lentStorage) Reflect.deleteProperty(globalThis, 'localStorage');
});

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const recorded: Recorded = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: Date.now(),
      };
      requests.push(recorded);
      handler(recorded, res, requests.length - 1);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

beforeEach(() => {
  requests = [];
  handler = (_, response) => json(response, 500, {});
});

afterEach(() => {
  // Drops only the answers a timeout or abort test left hanging: closing every connection
  // would race with the client's pool of kept-alive sockets in the next test.
  for (const response of hanging.splice(0)) response.socket?.destroy();
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('createHttpAdapter', () => {
  describe('requests', () => {
    it('lists with sort, limit and cursor in the query and parses the page', async () => {
      answers((_, res) => json(res, 200, okPage));
      const page = await adapter().list('t1', { sort: 'top', limit: 5, cursor: 'abc==' });
      expect(requests).toHaveLength(1);
      const url = new URL(requests[0]!.url, base);
      expect(requests[0]!.method).toBe('GET');
      expect(url.pathname).toBe('/api/threads/t1/comments');
      expect(Object.fromEntries(url.searchParams)).toEqual({ sort: 'top', limit: '5', cursor: 'abc==' });
      expect(page.comments.map((c) => c.id)).toEqual(['c1']);
      expect(page.nextCursor).toBe('n2');
      expect(page.thread.commentCount).toBe(1);
    });

    it('leaves the cursor out of the first page', async () => {
      answers((_, res) => json(res, 200, okPage));
      await list(adapter());
      expect(new URL(requests[0]!.url, base).searchParams.has('cursor')).toBe(false);
    });

    it('sends no cookies or credentials of its own', async () => {
      answers((_, res) => json(res, 200, okPage));
      await list(adapter());
      expect(requests[0]!.headers.cookie).toBeUndefined();
      expect(requests[0]!.headers.authorization).toBeUndefined();
    });

    it('percent-encodes a thread id with slashes and unicode into one path segment', async () => {
      answers((_, res) => json(res, 200, okPage));
      const threadId = '/blog/ünï code?x=1#top';
      const page = await list(adapter(), threadId);
      expect(requests[0]!.url.split('?')[0]).toBe('/api/threads/%2Fblog%2F%C3%BCn%C3%AF%20code%3Fx%3D1%23top/comments');
      expect(decodeURIComponent(requests[0]!.url.split('/')[3]!)).toBe(threadId);
      expect(page.thread.id).toBe('t1');
    });

    it('accepts an endpoint with a trailing slash', async () => {
      answers((_, res) => json(res, 200, okPage));
      await list(adapter({ endpoint: `${base}/api/` }));
      expect(requests[0]!.url.startsWith('/api/threads/t1/comments?')).toBe(true);
    });

    it('uses the requested thread id when the answer has no thread', async () => {
      answers((_, res) => json(res, 200, { comments: [wireComment()] }));
      const page = await list(adapter(), 'my-thread');
      expect(page.thread).toMatchObject({ id: 'my-thread', commentCount: 1 });
    });

    it('posts the comment as JSON with the Idempotency-Key exactly as given', async () => {
      answers((_, res) => json(res, 201, { comment: wireComment('c9'), editToken: 'tok' }));
      const input: NewComment = {
        parentId: 'c1',
        author: { name: 'Ann', email: 'ann@example.com' },
        body: 'Hi ünïcode <b>',
        page: { title: 'Post', url: 'https://example.com/post' },
      };
      const posted = await adapter().post('t1', input, 'Key-123_abc', {});
      const request = requests[0]!;
      expect(request.method).toBe('POST');
      expect(request.url).toBe('/api/threads/t1/comments');
      expect(request.headers['idempotency-key']).toBe('Key-123_abc');
      expect(request.headers['content-type']).toMatch(/^application\/json/);
      expect(JSON.parse(request.body)).toEqual(input);
      expect(posted).toEqual({ comment: expect.objectContaining({ id: 'c9' }), editToken: 'tok' });
    });

    it('sends composeMs, the time the reader took, in the post body', async () => {
      answers((_, res) => json(res, 201, { comment: wireComment('c9'), editToken: 'tok' }));
      await adapter().post('t1', { parentId: null, author: { name: 'Ann' }, body: 'Hi', composeMs: 8250 }, 'k', {});
      expect(JSON.parse(requests[0]!.body)).toEqual({ parentId: null, author: { name: 'Ann' }, body: 'Hi', composeMs: 8250 });
    });

    it('reports with X-Voter, the reason and the note; a 201 and a 200 (reported before) are both done', async () => {
      answers(
        (_, res) => json(res, 201, {}),
        (_, res) => json(res, 200, {}),
      );
      const input = { reason: 'off-topic', note: 'About another post' } as const;
      await expect(adapter().report('t/1', 'c 1', input, 'voter-42')).resolves.toBeUndefined();
      await expect(adapter().report('t/1', 'c 1', { reason: 'spam' }, 'voter-42')).resolves.toBeUndefined();
      expect(requests.map((r) => [r.method, r.url, r.headers['x-voter'], JSON.parse(r.body)])).toEqual([
        ['POST', '/api/threads/t%2F1/comments/c%201/reports', 'voter-42', input],
        ['POST', '/api/threads/t%2F1/comments/c%201/reports', 'voter-42', { reason: 'spam' }],
      ]);
    });

    it('reads a refused report as a ConfabError', async () => {
      answers((_, res) => json(res, 400, { error: { code: 'invalid', message: 'Bad reason', fields: { note: 'too long' } } }));
      const error = await failure(adapter().report('t1', 'c1', { reason: 'other', note: 'x'.repeat(501) }, 'v'));
      expect(error).toMatchObject({ code: 'http', status: 400, serverCode: 'invalid', fields: { note: 'too long' } });
    });

    it('edits with a bearer token and the new body', async () => {
      answers((_, res) => json(res, 200, { comment: wireComment('c/1', { body: 'new' }) }));
      const comment = await adapter().edit('t1', 'c/1', 'new', 'se cret');
      const request = requests[0]!;
      expect(request.method).toBe('PATCH');
      expect(request.url).toBe('/api/threads/t1/comments/c%2F1');
      expect(request.headers.authorization).toBe('Bearer se cret');
      expect(JSON.parse(request.body)).toEqual({ body: 'new' });
      expect(comment.body).toBe('new');
    });

    it('deletes with a bearer token', async () => {
      answers((_, res) => json(res, 200, { comment: wireComment('c1', { status: 'deleted', body: 'gone' }) }));
      const comment = await adapter().remove('t1', 'c1', 'tok');
      expect(requests[0]!.method).toBe('DELETE');
      expect(requests[0]!.url).toBe('/api/threads/t1/comments/c1');
      expect(requests[0]!.headers.authorization).toBe('Bearer tok');
      expect(comment).toMatchObject({ status: 'deleted', body: '' });
    });

    it('votes with X-Voter and the value', async () => {
      answers((_, res) => json(res, 200, { score: 7 }));
      const score = await adapter().vote('t1', 'c1', -1, 'voter-42');
      const request = requests[0]!;
      expect(request.method).toBe('POST');
      expect(request.url).toBe('/api/threads/t1/comments/c1/votes');
      expect(request.headers['x-voter']).toBe('voter-42');
      expect(JSON.parse(request.body)).toEqual({ value: -1 });
      expect(score).toBe(7);
    });
  });

  describe('errors from the server', () => {
    it('reads a 400 protocol error with its code and fields', async () => {
      answers((_, res) =>
        json(res, 400, { error: { code: 'invalid', message: 'Check the form.', fields: { body: 'too long', name: 'taken' } } }),
      );
      const error = await failure(adapter().post('t1', { parentId: null, author: { name: '' }, body: 'x' }, 'k'));
      expect(error.code).toBe('http');
      expect(error.status).toBe(400);
      expect(error.serverCode).toBe('invalid');
      expect(error.message).toBe('Check the form.');
      expect({ ...error.fields }).toEqual({ body: 'too long', name: 'taken' });
      expect(requests).toHaveLength(1);
    });

    it('reads a 403 locked error without retrying a read', async () => {
      answers((_, res) => json(res, 403, { error: { code: 'locked', message: 'Closed.' } }));
      const error = await failure(list(adapter({ retries: 2 })));
      expect(error).toMatchObject({ code: 'http', status: 403, serverCode: 'locked' });
      expect(requests).toHaveLength(1);
    });

    it('reads 409 duplicate and 403 banned refusals of a post', async () => {
      answers(
        (_, res) => json(res, 409, { error: { code: 'duplicate', message: 'You already posted this comment' } }),
        (_, res) => json(res, 403, { error: { code: 'banned', message: 'You cannot comment on this site' } }),
      );
      const post = () => adapter().post('t1', { parentId: null, author: { name: '' }, body: 'x' }, 'k');
      expect(await failure(post())).toMatchObject({ code: 'http', status: 409, serverCode: 'duplicate' });
      expect(await failure(post())).toMatchObject({ code: 'http', status: 403, serverCode: 'banned' });
    });

    it('gives an HTML error page a message with its status, after retrying the read', async () => {
      answers((_, res) => raw(res, 502, '<html><body><h1>502 Bad Gateway</h1></body></html>', { 'Content-Type': 'text/html' }));
      const error = await failure(list(adapter({ retries: 1 })));
      expect(error).toMatchObject({ code: 'http', status: 502, serverCode: undefined });
      expect(error.message).toMatch(/502/);
      expect(error.message).not.toMatch(/<html|Bad Gateway/);
      expect(requests).toHaveLength(2);
    });

    it('handles an error answer with an empty body', async () => {
      answers((_, res) => raw(res, 404, ''));
      const error = await failure(adapter().edit('t1', 'c1', 'x', 'tok'));
      expect(error).toMatchObject({ code: 'http', status: 404 });
      expect(error.message).toMatch(/404/);
    });

    it('does not retry a failed post', async () => {
      answers((_, res) => json(res, 500, { error: { code: 'internal', message: 'Oops.' } }));
      const error = await failure(adapter({ retries: 2 }).post('t1', { parentId: null, author: { name: 'A' }, body: 'x' }, 'k'));
      expect(error).toMatchObject({ code: 'http', status: 500, serverCode: 'internal' });
      expect(requests).toHaveLength(1);
    });

    it('does not retry a failed vote, edit or delete', async () => {
      answers((_, res) => raw(res, 503, ''));
      const a = adapter({ retries: 2 });
      await failure(a.vote('t1', 'c1', 1, 'v'));
      await failure(a.edit('t1', 'c1', 'x', 't'));
      await failure(a.remove('t1', 'c1', 't'));
      expect(requests.map((r) => r.method)).toEqual(['POST', 'PATCH', 'DELETE']);
    });
  });

  describe('answers that cannot be used', () => {
    it('explains a 200 HTML page as a web page instead of data', async () => {
      answers((_, res) => raw(res, 200, '<!doctype html><title>Blog</title>', { 'Content-Type': 'text/html' }));
      const error = await failure(list(adapter()));
      expect(error.code).toBe('invalid-response');
      expect(error.message).toMatch(/web page/);
    });

    it('explains a 200 with an empty body where an answer was due', async () => {
      // (A thread read without a body is an empty thread: see below.)
      answers((_, res) => raw(res, 200, ''));
      const error = await failure(adapter().post('t1', { parentId: null, author: { name: '' }, body: 'x' }, 'k'));
      expect(error.code).toBe('invalid-response');
      expect(error.message).toMatch(/empty/);
    });

    it.each([
      ['204 No Content', 204],
      ['a 200 without a body', 200],
    ])('reads a thread answered with %s as an empty thread', async (_, status) => {
      answers((_, res) => raw(res, status, ''));
      const page = await list(adapter(), 'quiet');
      expect(page).toEqual({
        thread: {
          id: 'quiet',
          title: null,
          url: null,
          commentCount: 0,
          locked: false,
          features: { guests: true, reports: true },
        },
        comments: [],
        nextCursor: null,
        skipped: 0,
      });
    });

    it('says which server sent what it cannot use', async () => {
      answers((_, res) => json(res, 200, { thread: {} }));
      const error = await failure(list(adapter()));
      expect(error.message).toBe('The comment server sent data we cannot use: the answer has no "comments" list.');
    });

    it('treats 204 No Content as an invalid response', async () => {
      answers((_, res) => raw(res, 204, ''));
      const error = await failure(adapter().vote('t1', 'c1', 1, 'v'));
      expect(error.code).toBe('invalid-response');
    });

    it('explains text that is not JSON', async () => {
      answers((_, res) => raw(res, 200, 'OK'));
      const error = await failure(list(adapter()));
      expect(error.code).toBe('invalid-response');
      expect(error.message).toMatch(/not JSON/);
    });

    it.each([
      ['a page without comments', { thread: {} }],
      ['a list', [wireComment()]],
      ['null', null],
    ])('rejects %s as a page', async (_, body) => {
      answers((_, res) => json(res, 200, body));
      const error = await failure(list(adapter()));
      expect(error.code).toBe('invalid-response');
    });

    it('rejects a post answer without a valid comment', async () => {
      answers((_, res) => json(res, 201, { comment: { body: 'no id' }, editToken: 'x' }));
      const error = await failure(adapter().post('t1', { parentId: null, author: { name: '' }, body: 'x' }, 'k'));
      expect(error.code).toBe('invalid-response');
    });

    it('rejects a vote answer without a numeric score', async () => {
      answers((_, res) => json(res, 200, { score: '7' }));
      const error = await failure(adapter().vote('t1', 'c1', 1, 'v'));
      expect(error.code).toBe('invalid-response');
    });
  });

  describe('retries', () => {
    it('retries a read after a 503 and succeeds', async () => {
      answers(
        (_, res) => raw(res, 503, 'busy'),
        (_, res) => json(res, 200, okPage),
      );
      const page = await list(adapter({ retries: 2 }));
      expect(page.comments).toHaveLength(1);
      expect(requests).toHaveLength(2);
    });

    it('waits as long as a short Retry-After asks before retrying a read', async () => {
      answers(
        (_, res) => json(res, 429, { error: { code: 'rate_limited', message: 'Slow down.' } }, { 'Retry-After': '1' }),
        (_, res) => json(res, 200, okPage),
      );
      const page = await list(adapter({ retries: 2 }));
      expect(page.comments).toHaveLength(1);
      expect(requests).toHaveLength(2);
      expect(requests[1]!.at - requests[0]!.at).toBeGreaterThanOrEqual(900);
    });

    it('fails fast on a long Retry-After and says how long to wait', async () => {
      answers((_, res) => json(res, 429, { error: { code: 'rate_limited', message: 'Slow down.' } }, { 'Retry-After': '60' }));
      const started = Date.now();
      const error = await failure(list(adapter({ retries: 2 })));
      expect(Date.now() - started).toBeLessThan(1500);
      expect(error).toMatchObject({ code: 'http', status: 429, serverCode: 'rate_limited', retryAfter: 60 });
      expect(requests).toHaveLength(1);
    });

    it('reads a Retry-After given as a date', async () => {
      const later = new Date(Date.now() + 120_000).toUTCString();
      answers((_, res) => json(res, 429, {}, { 'Retry-After': later }));
      const error = await failure(list(adapter({ retries: 2 })));
      expect(error.retryAfter).toBeGreaterThanOrEqual(100);
      expect(error.retryAfter).toBeLessThanOrEqual(121);
      expect(requests).toHaveLength(1);
    });

    it('stops after the configured number of retries', async () => {
      answers((_, res) => raw(res, 500, ''));
      const error = await failure(list(adapter({ retries: 1 })));
      expect(error).toMatchObject({ code: 'http', status: 500 });
      expect(requests).toHaveLength(2);
    });
  });

  describe('no answer', () => {
    it('times out when the server never answers', async () => {
      answers(neverAnswer);
      const started = Date.now();
      const error = await failure(list(adapter({ timeout: 300, retries: 0 })));
      expect(error.code).toBe('timeout');
      expect(Date.now() - started).toBeLessThan(2000);
    });

    it('reports a refused connection as a network error', async () => {
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const port = (closed.address() as AddressInfo).port;
      await new Promise((resolve) => closed.close(resolve));
      const error = await failure(
        guardAdapter(createHttpAdapter({ endpoint: `http://127.0.0.1:${port}/api`, retries: 0 })).list('t1', {
          sort: 'oldest',
          limit: 20,
          cursor: null,
        }),
      );
      expect(error.code).toBe('network');
    });

    it('rejects with a ConfabError when the caller aborts', async () => {
      answers(neverAnswer);
      const controller = new AbortController();
      const pending = adapter({ timeout: 5000 }).list(
        't1',
        { sort: 'oldest', limit: 20, cursor: null },
        { signal: controller.signal },
      );
      setTimeout(() => controller.abort(), 50);
      const error = await failure(pending);
      expect(error.code).toBe('network');
      expect(error.message).toMatch(/cancel/i);
    });

    it('rejects with a ConfabError when the signal was aborted before the call', async () => {
      const signal = AbortSignal.abort();
      const error = await failure(adapter().post('t1', { parentId: null, author: { name: '' }, body: 'x' }, 'k', { signal }));
      expect(error.code).toBe('network');
      expect(requests).toHaveLength(0);
    });
  });
});

describe('sign-in from the host site (Confab-User)', () => {
  const ssoError = (code: string) => (_: Recorded, res: ServerResponse) =>
    json(res, 401, { error: { code, message: 'Your sign-in has expired.' } });
  const input: NewComment = { parentId: null, author: { name: '' }, body: 'Hello' };

  it('sends no Confab-User header without a token, or when the page says signed out', async () => {
    answers((_, res) => json(res, 200, okPage));
    await list(adapter());
    await list(adapter({ signedIn: Promise.resolve(withUser('')) }));
    await list(adapter({ signedIn: Promise.resolve(withUser(async () => null)) }));
    expect(requests.map((r) => r.headers['confab-user'])).toEqual([undefined, undefined, undefined]);
  });

  it('sends the token on every request, reading it once, never in the URL or a cookie', async () => {
    const token = vi.fn(async () => 'jwt.one');
    answers((request, res) =>
      request.method === 'POST'
        ? json(res, 201, { comment: wireComment('c9'), editToken: null })
        : json(res, 200, request.url.endsWith('/user') ? { user: { id: 'u1', name: 'Ada' } } : okPage),
    );
    const a = adapter({ signedIn: Promise.resolve(withUser(token)) });
    await list(a);
    await a.post('t1', input, 'key-1');
    expect(parseUser(await a.user())).toEqual({ id: 'u1', name: 'Ada', url: null, avatarUrl: null });
    expect(requests.map((r) => r.headers['confab-user'])).toEqual(['jwt.one', 'jwt.one', 'jwt.one']);
    expect(requests.every((r) => !r.url.includes('jwt') && r.headers.cookie === undefined)).toBe(true);
    expect(token).toHaveBeenCalledTimes(1);
  });

  it('asks the page for a new token once on sso_expired and tries the request again', async () => {
    const token = vi.fn().mockResolvedValueOnce('old').mockResolvedValueOnce('new');
    answers(ssoError('sso_expired'), (_, res) => json(res, 201, { comment: wireComment('c9'), editToken: null }));
    const posted = await adapter({ signedIn: Promise.resolve(withUser(token)) }).post('t1', input, 'key-1');
    expect(posted.comment.id).toBe('c9');
    expect(requests.map((r) => r.headers['confab-user'])).toEqual(['old', 'new']);
    expect(requests.map((r) => r.headers['idempotency-key'])).toEqual(['key-1', 'key-1']);
  });

  it('surfaces sso_expired when the new token fails too, after one retry', async () => {
    const token = vi.fn(async () => 'stale');
    answers(ssoError('sso_expired'));
    const error = await failure(adapter({ signedIn: Promise.resolve(withUser(token)) }).post('t1', input, 'key-1'));
    expect(error.serverCode).toBe('sso_expired');
    expect(error.status).toBe(401);
    expect(requests).toHaveLength(2);
    expect(token).toHaveBeenCalledTimes(2);
  });

  it('does not retry other sign-in errors', async () => {
    answers(ssoError('sso_invalid'));
    const error = await failure(
      adapter({ signedIn: Promise.resolve(withUser(async () => 'forged')) }).post('t1', input, 'key-1'),
    );
    expect(error.serverCode).toBe('sso_invalid');
    expect(requests).toHaveLength(1);
  });

  it('reads a token function that throws as signed out', async () => {
    answers((_, res) => json(res, 200, okPage));
    await list(
      adapter({
        signedIn: Promise.resolve(
          withUser(async () => {
            throw new Error('no session');
          }),
        ),
      }),
    );
    expect(requests[0]!.headers['confab-user']).toBeUndefined();
  });

  it('reads GET /user: null without a user, and an answer without an id as none', async () => {
    answers(
      (_, res) => json(res, 200, { user: null }),
      (_, res) => json(res, 200, { user: { name: 'No id' } }),
    );
    const a = adapter({ signedIn: Promise.resolve(withUser(async () => 'jwt')) });
    expect(parseUser(await a.user())).toBeNull();
    expect(parseUser(await a.user())).toBeNull();
    expect(requests[0]!.url).toBe('/api/user');
  });
});
