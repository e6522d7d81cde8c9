// @vitest-environment node
// Spam defence on the post path, through the HTTP API: MODERATION=first, MAX_LINKS and the
// duplicate rule, the blocklist. Clients are told apart by X-Forwarded-For (TRUST_PROXY=1).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DUPLICATE_WINDOW_MS } from '../../server/src/comment-store.js';
import {
  type App,
  type Comment,
  bearer,
  call,
  captureLogger,
  commentsPath,
  eventually,
  newThread,
  openEvents,
  post,
  start,
} from './helpers';

const ADMIN_TOKEN = 'spam-test-admin-token-0123456789';
const from = (address: string) => ({ 'X-Forwarded-For': address });
const approve = (app: App, thread: string, id: string) =>
  call(app, 'POST', `${commentsPath(thread)}/${id}/approve`, { headers: bearer(ADMIN_TOKEN) });
const visibleIds = async (app: App, thread: string) =>
  (await call(app, 'GET', commentsPath(thread))).body.comments.map((c: Comment) => c.id);

describe('MODERATION=first', () => {
  let app: App;

  beforeAll(async () => {
    app = await start({ adminToken: ADMIN_TOKEN, moderation: 'first', trustProxy: true });
  });
  afterAll(async () => {
    await app?.close();
  });

  it("holds a commenter's comments until one of theirs is approved, then publishes the next ones directly", async () => {
    const thread = newThread();
    const events = await openEvents(app, thread);
    try {
      const ann = { name: 'Ann', email: 'ann@example.com' };
      const first = await post(app, thread, { body: 'First', author: ann }, from('198.51.100.1'));
      const second = await post(app, thread, { body: 'Second', author: ann }, from('198.51.100.2'));
      // Held, but handed back to their author as today.
      expect(first.comment).toMatchObject({ status: 'pending', body: 'First' });
      expect(second.comment.status).toBe('pending');
      expect(await visibleIds(app, thread)).toEqual([]);

      const approved = await approve(app, thread, first.comment.id);
      expect(approved.body.comment.status).toBe('published');
      expect(await events.next()).toEqual({ type: 'comment.created', data: approved.body.comment });

      // The same email, however written, from another address: published at once, and announced.
      const third = await post(
        app,
        thread,
        { body: 'Third', author: { name: 'Ann', email: '  ANN@Example.com ' } },
        from('203.0.113.9'),
      );
      expect(third.comment.status).toBe('published');
      expect(await events.next()).toEqual({ type: 'comment.created', data: third.comment });
      // Earlier pending comments stay pending until approved.
      expect(await visibleIds(app, thread)).toEqual([first.comment.id, third.comment.id]);
      const pending = (await call(app, 'GET', '/admin/pending', { headers: bearer(ADMIN_TOKEN) })).body.pending;
      expect(pending.map((p: { comment: Comment }) => p.comment.id)).toContain(second.comment.id);

      // Another email from Ann's own address is another commenter.
      const other = await post(app, thread, { body: 'Hi', author: { email: 'bob@example.com' } }, from('203.0.113.9'));
      expect(other.comment.status).toBe('pending');
    } finally {
      events.close();
    }
  });

  it('knows a commenter without an email by their client key (an IPv6 /64 is one client)', async () => {
    const thread = newThread();
    const first = await post(app, thread, { body: 'No email' }, from('2001:db8:1:2::10'));
    expect(first.comment.status).toBe('pending');
    await approve(app, thread, first.comment.id);

    const sameClient = await post(app, thread, { body: 'Again' }, from('2001:db8:1:2::99'));
    expect(sameClient.comment.status).toBe('published');
    const otherClient = await post(app, thread, { body: 'Again' }, from('2001:db8:1:3::10'));
    expect(otherClient.comment.status).toBe('pending');
    // With an email, the email decides, not the approved client.
    const withEmail = await post(app, thread, { body: 'Mailed', author: { email: 'new@example.com' } }, from('2001:db8:1:2::10'));
    expect(withEmail.comment.status).toBe('pending');
  });

  it('stores a hash of the email and of the client key, never the email or the address', async () => {
    const thread = newThread();
    await post(app, thread, { body: 'Private', author: { email: 'secret.person@example.com' } }, from('192.0.2.77'));
    const { rows } = await app.db.query('SELECT * FROM comments WHERE thread_id = $1', [thread]);
    const stored = JSON.stringify(rows);
    expect(stored).not.toContain('secret.person');
    expect(stored).not.toContain('192.0.2.77');
    expect(rows[0]?.email_hash).toMatch(/^[\w-]{43}$/);
    // Keyed by this installation's secret: another database hashes the same email and address
    // otherwise, so a list of emails or every IPv4 address hashed elsewhere does not unmask them.
    const other = await start({ trustProxy: true, moderation: 'first' });
    try {
      await post(other, thread, { body: 'Private', author: { email: 'secret.person@example.com' } }, from('192.0.2.77'));
      const { rows: elsewhere } = await other.db.query('SELECT email_hash, client_hash FROM comments WHERE thread_id = $1', [
        thread,
      ]);
      expect(elsewhere[0]?.email_hash).not.toBe(rows[0]?.email_hash);
      expect(elsewhere[0]?.client_hash).not.toBe(rows[0]?.client_hash);
    } finally {
      await other.close();
    }
  });
});

describe('MAX_LINKS', () => {
  let app: App;
  let strict: App;

  beforeAll(async () => {
    app = await start({ adminToken: ADMIN_TOKEN, trustProxy: true });
    strict = await start({ adminToken: ADMIN_TOKEN, maxLinks: 0, trustProxy: true });
  });
  afterAll(async () => {
    await app?.close();
    await strict?.close();
  });

  it('holds a body with more than 2 http(s) links by default, and publishes one with 2', async () => {
    const thread = newThread();
    const events = await openEvents(app, thread);
    try {
      const two = await post(app, thread, { body: 'See https://a.example/x and [this](http://b.example).' });
      expect(two.comment.status).toBe('published');
      expect((await events.next()).data.id).toBe(two.comment.id);

      const three = await post(app, thread, { body: 'https://a.example HTTP://b.example\nhttps://c.example/?q=1' });
      expect(three.comment.status).toBe('pending');
      expect(await visibleIds(app, thread)).toEqual([two.comment.id]);

      // Only published comments are announced: the next event is the approval.
      const approved = await approve(app, thread, three.comment.id);
      expect(await events.next()).toEqual({ type: 'comment.created', data: approved.body.comment });
    } finally {
      events.close();
    }
  });

  it('counts only http:// and https:// URLs', async () => {
    const thread = newThread();
    const { comment } = await post(app, thread, { body: 'www.a.example, ftp://b.example, mailto:c@d.example, https:// alone' });
    expect(comment.status).toBe('published');
  });

  it('MAX_LINKS=0 holds any comment with a link', async () => {
    const thread = newThread();
    expect((await post(strict, thread, { body: 'Plain text' })).comment.status).toBe('published');
    expect((await post(strict, thread, { body: 'One link: https://a.example' })).comment.status).toBe('pending');
  });

  it('holds even an approved commenter under MODERATION=first', async () => {
    const first = await start({ adminToken: ADMIN_TOKEN, moderation: 'first', trustProxy: true });
    try {
      const thread = newThread();
      const author = { email: 'known@example.com' };
      const { comment } = await post(first, thread, { body: 'Hello there', author });
      await approve(first, thread, comment.id);
      expect((await post(first, thread, { body: 'One https://a.example', author })).comment.status).toBe('published');
      const links = 'https://a.example https://b.example https://c.example';
      expect((await post(first, thread, { body: links, author })).comment.status).toBe('pending');
    } finally {
      await first.close();
    }
  });
});

describe('the same comment twice', () => {
  let app: App;
  let clock = Date.now();

  beforeAll(async () => {
    expect(DUPLICATE_WINDOW_MS).toBe(10 * 60_000);
    // The test helper turns the rule off for the other tests; on here, as in production.
    app = await start({ trustProxy: true, duplicateWindowMs: DUPLICATE_WINDOW_MS, now: () => new Date(clock) });
  });
  afterAll(async () => {
    await app?.close();
  });

  const send = (thread: string, body: unknown, headers: Record<string, string> = {}) =>
    call(app, 'POST', commentsPath(thread), { body, headers: { ...from('198.51.100.50'), ...headers } });

  it('answers 409 duplicate and stores nothing for the same body from the same client in the same thread', async () => {
    const thread = newThread();
    const events = await openEvents(app, thread);
    try {
      const first = await send(thread, { body: 'Great   post!\n\nThanks' });
      expect(first.status).toBe(201);
      expect((await events.next()).data.id).toBe(first.body.comment.id);

      // The same words with other whitespace are the same comment.
      const again = await send(thread, { body: ' Great post!\nThanks ', author: { name: 'Other name' } });
      expect(again.status).toBe(409);
      expect(again.body).toEqual({ error: { code: 'duplicate', message: 'You already posted this comment' } });
      const read = (await call(app, 'GET', commentsPath(thread))).body;
      expect(read.comments.map((c: Comment) => c.id)).toEqual([first.body.comment.id]);
      expect(read.thread.commentCount).toBe(1);

      // Nothing was announced for the refused post: the next event is the next comment.
      const next = await send(thread, { body: 'Something else' });
      expect((await events.next()).data.id).toBe(next.body.comment.id);
    } finally {
      events.close();
    }
  });

  it('is not a duplicate with another body, from another client, in another thread, or after 10 minutes', async () => {
    const thread = newThread();
    expect((await send(thread, { body: 'Once' })).status).toBe(201);
    expect((await send(thread, { body: 'Once more' })).status).toBe(201);
    expect((await send(thread, { body: 'Once' }, from('203.0.113.60'))).status).toBe(201);
    expect((await send(newThread(), { body: 'Once' })).status).toBe(201);
    expect((await send(thread, { body: 'Once' })).status).toBe(409);
    clock += 10 * 60_000 + 1_000;
    expect((await send(thread, { body: 'Once' })).status).toBe(201);
  });

  it('still answers an Idempotency-Key replay with the first result', async () => {
    const thread = newThread();
    const key = { 'Idempotency-Key': 'k-retry-1' };
    const first = await send(thread, { body: 'Retried' }, key);
    const replay = await send(thread, { body: 'Retried' }, key);
    expect(first.status).toBe(201);
    expect(replay.status).toBe(201);
    expect(replay.body).toEqual(first.body);
    // A new key with the same body is a new post: a duplicate.
    expect((await send(thread, { body: 'Retried' }, { 'Idempotency-Key': 'k-retry-2' })).status).toBe(409);
  });

  it('refuses the same body sent twice at once, once', async () => {
    const thread = newThread();
    const answers = await Promise.all([send(thread, { body: 'Double click' }), send(thread, { body: 'Double click' })]);
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409]);
    expect((await call(app, 'GET', commentsPath(thread))).body.comments).toHaveLength(1);
  });

  it('answers a retry sent at once with the same Idempotency-Key with the first result, not 409', async () => {
    const thread = newThread();
    const key = { 'Idempotency-Key': 'k-race' };
    const answers = await Promise.all([send(thread, { body: 'Raced' }, key), send(thread, { body: 'Raced' }, key)]);
    expect(answers.map((a) => a.status)).toEqual([201, 201]);
    expect(answers[0]?.body.comment.id).toBe(answers[1]?.body.comment.id);
  });

  it('counts a held comment too', async () => {
    const thread = newThread();
    const links = { body: 'https://a.example https://b.example https://c.example' };
    expect((await send(thread, links)).body.comment.status).toBe('pending');
    expect((await send(thread, links)).status).toBe(409);
  });
});

describe('BLOCKLIST', () => {
  let app: App;
  let folder: string;
  let file: string;
  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'confab-blocklist-'));
    file = join(folder, 'blocklist.txt');
    writeFileSync(file, 'casino\n!buy followers\n');
    app = await start({ adminToken: ADMIN_TOKEN, trustProxy: true, blocklist: file, blocklistPollMs: 20 });
  });
  afterAll(async () => {
    await app?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('holds a comment a word matches, for its author to see as awaiting approval', async () => {
    const thread = newThread();
    const { comment } = await post(app, thread, { body: 'The best Casino in town' }, from('198.51.100.1'));
    expect(comment.status).toBe('pending');
    expect(await visibleIds(app, thread)).toEqual([]);
  });

  it('refuses a comment a "!" line matches: 400 on the body field, nothing stored', async () => {
    const thread = newThread();
    const answer = await call(app, 'POST', commentsPath(thread), {
      body: { author: { name: 'Spammer' }, body: 'Buy followers cheap' },
      headers: from('198.51.100.2'),
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ code: 'invalid', fields: { body: 'Contains words this site does not accept' } });
    const { rows } = await app.db.query('SELECT count(*)::int AS n FROM comments WHERE thread_id = $1', [thread]);
    expect(rows[0]?.n).toBe(0);
  });

  it('reads the file again when it changes', async () => {
    const thread = newThread();
    writeFileSync(file, 'poker\n');
    await eventually(async () => {
      const { comment } = await post(app, newThread(), { body: 'poker night' }, from('198.51.100.3'));
      expect(comment.status).toBe('pending');
    });
    const { comment } = await post(app, thread, { body: 'The best casino in town' }, from('198.51.100.4'));
    expect(comment.status).toBe('published');
  });

  it('fails the start when the file it is given cannot be read', async () => {
    await expect(start({ blocklist: join(folder, 'missing.txt') })).rejects.toThrow(/BLOCKLIST: cannot read/);
  });
});

describe('MIN_COMPOSE_SECONDS', () => {
  let app: App;
  const holdReason = async (id: string) =>
    (await app.db.query('SELECT hold_reason FROM comments WHERE id = $1', [id])).rows[0]?.hold_reason;

  beforeAll(async () => {
    app = await start({ adminToken: ADMIN_TOKEN, trustProxy: true });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('holds a comment sent less than 3 s after its form opened; publishes a slower one, and one without the time', async () => {
    const thread = newThread();
    const quick = await post(app, thread, { body: 'Fast', composeMs: 2_999 }, from('198.51.100.70'));
    expect(quick.comment.status).toBe('pending');
    expect(await holdReason(quick.comment.id)).toBe('too-fast');
    expect((await post(app, thread, { body: 'Typed', composeMs: 3_000 }, from('198.51.100.70'))).comment.status).toBe(
      'published',
    );
    expect((await post(app, thread, { body: 'Script' }, from('198.51.100.70'))).comment.status).toBe('published');
    // Nonsense is no time at all: not held by this rule, not refused.
    expect((await post(app, thread, { body: 'Odd', composeMs: 'soon' }, from('198.51.100.70'))).comment.status).toBe('published');
  });
});

// A stand-in for Akismet's documented HTTP API (https://akismet.com/developers/comment-check/):
// a form-encoded POST to /1.1/comment-check answering "true" (spam) or "false", "invalid" with
// X-akismet-debug-help for a bad key. As Akismet does, it calls the author "akismet-guaranteed-spam"
// spam. "slow" in the text makes it wait 3 s.
function fakeAkismet() {
  const requests: URLSearchParams[] = [];
  const server = http.createServer((req, res) => {
    let text = '';
    req.on('data', (chunk) => (text += chunk));
    req.on('end', () => {
      const form = new URLSearchParams(text);
      requests.push(form);
      const answer = (body: string, headers: Record<string, string> = {}) =>
        res.writeHead(200, { 'Content-Type': 'text/plain', ...headers }).end(body);
      if (req.url !== '/1.1/comment-check' || req.method !== 'POST') res.writeHead(404).end();
      else if (form.get('api_key') !== 'akismet-test-key') answer('invalid', { 'X-akismet-debug-help': 'Empty "api_key" value' });
      else if (form.get('comment_content')?.includes('slow')) setTimeout(() => answer('false'), 3_000);
      else answer(form.get('comment_author') === 'akismet-guaranteed-spam' ? 'true' : 'false');
    });
  });
  return new Promise<{ url: string; requests: URLSearchParams[]; close: () => void }>((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        requests,
        close: () => {
          server.closeAllConnections();
          server.close();
        },
      });
    });
  });
}

describe('AKISMET_KEY', () => {
  let app: App;
  let akismet: Awaited<ReturnType<typeof fakeAkismet>>;
  const { logger, lines } = captureLogger('warn');
  const holdReason = async (id: string) =>
    (await app.db.query('SELECT status, hold_reason FROM comments WHERE id = $1', [id])).rows[0];

  beforeAll(async () => {
    akismet = await fakeAkismet();
    app = await start({
      adminToken: ADMIN_TOKEN,
      trustProxy: true,
      akismetKey: 'akismet-test-key',
      akismetUrl: akismet.url,
      logger,
    });
  });
  afterAll(async () => {
    await app?.close();
    akismet?.close();
  });

  it('sends Akismet what it needs and publishes what it calls ham', async () => {
    const thread = newThread();
    const { comment } = await post(
      app,
      thread,
      {
        body: 'A fine point',
        author: { name: 'Ann', email: 'ann@example.com', url: 'https://ann.example' },
        page: { url: 'https://blog.example/post' },
      },
      { ...from('198.51.100.80'), 'User-Agent': 'TestBrowser/1.0', Referer: 'https://blog.example/post' },
    );
    expect(comment.status).toBe('published');
    const sent = akismet.requests.at(-1)!;
    expect(Object.fromEntries(sent)).toMatchObject({
      api_key: 'akismet-test-key',
      blog: 'https://blog.example',
      user_ip: '198.51.100.80',
      user_agent: 'TestBrowser/1.0',
      referrer: 'https://blog.example/post',
      permalink: 'https://blog.example/post',
      comment_type: 'comment',
      comment_author: 'Ann',
      comment_author_email: 'ann@example.com',
      comment_author_url: 'https://ann.example',
      comment_content: 'A fine point',
    });
  });

  it('puts spam in the Spam view: its author sees it awaiting approval, readers never', async () => {
    const thread = newThread();
    const { comment } = await post(
      app,
      thread,
      { body: 'Cheap pills', author: { name: 'akismet-guaranteed-spam' } },
      from('198.51.100.81'),
    );
    expect(comment.status).toBe('pending');
    expect(await holdReason(comment.id)).toEqual({ status: 'spam', hold_reason: 'akismet' });
    expect(await visibleIds(app, thread)).toEqual([]);
    const spam = (await call(app, 'GET', '/admin/comments?view=spam', { headers: bearer(ADMIN_TOKEN) })).body.comments;
    expect(spam.map((c: Comment) => c.id)).toContain(comment.id);
  });

  it('holds the comment, never loses it, when Akismet errs or does not answer within 2 s', async () => {
    const thread = newThread();
    const started = Date.now();
    const { comment } = await post(app, thread, { body: 'slow reply' }, from('198.51.100.82'));
    expect(Date.now() - started).toBeLessThan(2_900);
    expect(comment).toMatchObject({ status: 'pending', body: 'slow reply' });
    expect(await holdReason(comment.id)).toEqual({ status: 'pending', hold_reason: 'akismet-error' });
    expect(lines.some((line) => /did not answer within 2000 ms/.test(line.msg))).toBe(true);

    const wrongKey = await start({ trustProxy: true, akismetKey: 'wrong', akismetUrl: akismet.url, logger });
    try {
      const held = await post(wrongKey, thread, { body: 'Hello' }, from('198.51.100.83'));
      expect(held.comment.status).toBe('pending');
      expect(lines.some((line) => /Akismet answered 200 "invalid": Empty "api_key" value/.test(line.msg))).toBe(true);
    } finally {
      await wrongKey.close();
    }
  });
});
