// @vitest-environment node
// Every validation rule: a bad request is a 400 (or 413) with the protocol's error object naming
// each bad field, and nothing is stored.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, type Answer, allComments, bearer, call, commentsPath, newThread, post, start } from './helpers';

let app: App;

beforeAll(async () => {
  app = await start();
});

afterAll(async () => {
  await app?.close();
});

/** Posts `input` to a fresh thread, expects 400 and that nothing was stored; returns the error. */
async function refused(input: unknown, headers: Record<string, string> = {}) {
  const thread = newThread();
  const answer = await call(app, 'POST', commentsPath(thread), { body: input as object, headers });
  expect(answer.status, JSON.stringify(answer.body)).toBe(400);
  expect(await allComments(app, thread)).toEqual([]);
  return answer.body.error;
}

describe('posting', () => {
  it('takes a name of 80 characters, counting an emoji as one, and refuses 81', async () => {
    await post(app, newThread(), { author: { name: 'n'.repeat(80) } });
    await post(app, newThread(), { author: { name: '😀'.repeat(80) } });
    const error = await refused({ body: 'x', author: { name: 'n'.repeat(81) } });
    expect(error).toEqual({
      code: 'invalid',
      message: 'Some fields are not valid',
      fields: { 'author.name': 'Too long (at most 80 characters)' },
    });
  });

  it('takes a body of 10,000 characters and refuses 10,001', async () => {
    await post(app, newThread(), { body: 'b'.repeat(10_000) });
    await post(app, newThread(), { body: '🎉'.repeat(10_000) });
    const error = await refused({ body: 'b'.repeat(10_001) });
    expect(error.fields).toEqual({ body: 'Too long (at most 10000 characters)' });
  });

  it.each([
    ['missing', {}],
    ['empty', { body: '' }],
    ['only spaces', { body: ' \n\t ' }],
    ['not text', { body: 42 }],
  ])('refuses a body that is %s', async (_, input) => {
    expect((await refused(input)).fields).toEqual({ body: 'Required' });
  });

  it('takes only http and https author URLs; an empty one is no URL', async () => {
    expect((await post(app, newThread(), { author: { url: 'http://a.example/x' } })).comment.author.url).toBe(
      'http://a.example/x',
    );
    expect((await post(app, newThread(), { author: { url: '' } })).comment.author.url).toBeNull();
    for (const url of [
      'javascript:alert(1)',
      'ftp://a.example',
      'data:text/html,x',
      'not a url',
      `https://a.example/${'x'.repeat(2_000)}`,
    ]) {
      expect((await refused({ body: 'x', author: { url } })).fields).toEqual({
        'author.url': 'Must be an http:// or https:// URL',
      });
    }
  });

  it('names every bad field at once', async () => {
    const error = await refused({ parentId: 7, author: { name: 'n'.repeat(81), url: 'javascript:x' }, body: '' });
    expect(Object.keys(error.fields).sort()).toEqual(['author.name', 'author.url', 'body', 'parentId']);
  });

  it('refuses an author that is not an object, and a name that is not text', async () => {
    expect((await refused({ body: 'x', author: 'Ann' })).fields).toEqual({ author: 'Must be an object' });
    expect((await refused({ body: 'x', author: { name: 5 } })).fields).toEqual({ 'author.name': 'Must be text' });
  });

  it('refuses text with NUL characters as invalid, not as a server error', async () => {
    expect((await refused({ body: 'a\u0000b' })).fields).toEqual({ body: 'Must not contain NUL characters' });
    expect((await refused({ body: 'x', author: { name: 'a\u0000' } })).fields).toEqual({
      'author.name': 'Must not contain NUL characters',
    });
    expect((await call(app, 'GET', commentsPath('a\u0000b'))).status).toBe(400);
  });

  it('refuses what is not a JSON object', async () => {
    for (const text of ['not json', '[1,2]', '"text"', 'null', '']) {
      const thread = newThread();
      const answer = await call(app, 'POST', commentsPath(thread), {
        body: text,
        headers: { 'Content-Type': 'application/json' },
      });
      expect(answer.status).toBe(400);
      expect(answer.body.error.code).toBe('invalid');
    }
  });

  it('refuses a filled honeypot field, telling why, and stores nothing', async () => {
    const error = await refused({ body: 'Buy now', website: 'https://spam.example' });
    expect(error.fields).toEqual({ website: 'Must be left empty' });
    await post(app, newThread(), { website: '' });
  });

  it('refuses a request body over 64 KB with 413, announced or not', async () => {
    const json = JSON.stringify({ body: 'x'.repeat(70_000) });
    const announced = await call(app, 'POST', commentsPath(newThread()), { body: json });
    expect(announced.status).toBe(413);
    expect(announced.body.error.code).toBe('too_large');

    // Chunked, without Content-Length: the limit holds while reading.
    const url = new URL(`${app.url}/api${commentsPath(newThread())}`);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(url, { method: 'POST', headers: { 'Transfer-Encoding': 'chunked' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      for (let i = 0; i < 70; i++) req.write('x'.repeat(1_000));
      req.end();
    });
    expect(status).toBe(413);
  });

  it('takes thread ids of 1 to 200 characters', async () => {
    await post(app, 't'.repeat(200));
    const answer = await call(app, 'POST', commentsPath('t'.repeat(201)), { body: { body: 'x' } });
    expect(answer.status).toBe(400);
    expect(answer.body.error.message).toBe('Thread id must be 1 to 200 characters');
    expect((await call(app, 'GET', commentsPath('t'.repeat(201)))).status).toBe(400);
    expect((await call(app, 'GET', '/threads//comments')).status).toBe(400);
  });

  it('refuses an Idempotency-Key over 200 characters', async () => {
    const error = await refused({ body: 'x' }, { 'Idempotency-Key': 'k'.repeat(201) });
    expect(error.message).toBe('Idempotency-Key must be 1 to 200 characters');
  });
});

describe('reading', () => {
  const get = (query: string): Promise<Answer> => call(app, 'GET', `${commentsPath('t')}?${query}`);

  it.each([
    ['sort=best', { sort: 'One of oldest, newest, top' }],
    ['limit=0', { limit: 'Must be a positive integer' }],
    ['limit=-3', { limit: 'Must be a positive integer' }],
    ['limit=2.5', { limit: 'Must be a positive integer' }],
    ['limit=many', { limit: 'Must be a positive integer' }],
    ['cursor=garbage', { cursor: 'Not valid' }],
  ])('refuses %s', async (query, fields) => {
    const { status, body } = await get(query);
    expect(status).toBe(400);
    expect(body.error.fields).toEqual(fields);
  });

  it('refuses a cursor made for another sort, or naming an impossible time', async () => {
    const thread = newThread();
    for (let i = 0; i < 3; i++) await post(app, thread);
    const { body } = await call(app, 'GET', `${commentsPath(thread)}?limit=1&sort=newest`);
    const other = await call(app, 'GET', `${commentsPath(thread)}?limit=1&sort=oldest&cursor=${body.nextCursor}`);
    expect(other.status).toBe(400);
    const forged = Buffer.from(JSON.stringify(['oldest', '+275000-01-01T00:00:00.000Z', 'c1', 0])).toString('base64url');
    expect((await get(`cursor=${forged}`)).status).toBe(400);
  });

  it('refuses more than 100 threads in one count', async () => {
    const query = Array.from({ length: 101 }, (_, i) => `thread=t${i}`).join('&');
    const { status, body } = await call(app, 'GET', `/counts?${query}`);
    expect(status).toBe(400);
    expect(body.error.fields).toEqual({ thread: 'Too many' });
  });

  it('refuses a path that is not correctly percent-encoded', async () => {
    expect((await call(app, 'GET', '/threads/%E0%A4%A/comments')).status).toBe(400);
  });
});

describe('editing and voting', () => {
  it('refuses an empty edit and keeps the comment as it was', async () => {
    const thread = newThread();
    const { comment, editToken } = await post(app, thread, { body: 'Kept' });
    const answer = await call(app, 'PATCH', `${commentsPath(thread)}/${comment.id}`, {
      body: { body: ' ' },
      headers: bearer(editToken),
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error.fields).toEqual({ body: 'Required' });
    expect((await allComments(app, thread))[0]?.body).toBe('Kept');
  });

  it('requires X-Voter and a value of 1, 0 or -1', async () => {
    const thread = newThread();
    const { comment } = await post(app, thread);
    const path = `${commentsPath(thread)}/${comment.id}/votes`;
    const noVoter = await call(app, 'POST', path, { body: { value: 1 } });
    expect(noVoter.status).toBe(400);
    expect(noVoter.body.error.message).toBe('The X-Voter header is required');
    expect((await call(app, 'POST', path, { body: { value: 1 }, headers: { 'X-Voter': 'v'.repeat(201) } })).status).toBe(400);
    for (const value of [2, '1', null, 0.5]) {
      const answer = await call(app, 'POST', path, { body: { value }, headers: { 'X-Voter': 'v' } });
      expect(answer.status).toBe(400);
      expect(answer.body.error.fields).toEqual({ value: 'Must be 1, 0 or -1' });
    }
    expect((await allComments(app, thread))[0]?.score).toBe(0);
  });
});
