// @vitest-environment node
// Signed webhooks (WEBHOOK_URL, WEBHOOK_SECRET), delivered through the outbox to real HTTP
// receivers on 127.0.0.1: one signed POST per URL and event, with the public comment and never an
// email or an address; the five event types; retries after a 500, a redirect and a receiver too
// slow to answer, none of which holds up a healthy receiver; shutdown mid-delivery; the settings;
// and the README's receiver.
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Row } from '../../server/src/database.js';
import { readSettings, riskySettings } from '../../server/src/settings.js';
import { type App, bearer, call, commentsPath, eventually, importReadmeSnippet, newThread, post, start } from './helpers';
import { type Receiver, signatureValid, startReceiver } from './receivers';

const SECRET = 'webhook-test-secret-0123456789abcdef';
const ADMIN_TOKEN = 'webhook-test-admin-token-0123456';
const admin = bearer(ADMIN_TOKEN);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const rows = async (app: App, type?: string) =>
  (
    await app.db.query(
      `SELECT id, delivery_id, target, type, status, attempts, last_error, lease_until FROM outbox
       ${type ? 'WHERE type = $1' : ''} ORDER BY id`,
      type ? [type] : [],
    )
  ).rows;

describe('webhooks', () => {
  let first: Receiver;
  let second: Receiver;
  let app: App;

  beforeAll(async () => {
    [first, second] = await Promise.all([startReceiver(), startReceiver()]);
    app = await start({
      webhookUrls: [first.url, second.url],
      webhookSecret: SECRET,
      adminToken: ADMIN_TOKEN,
      trustProxy: true,
      reportsToHold: 2,
    });
  });
  afterAll(async () => {
    await app?.close();
    await Promise.all([first?.close(), second?.close()]);
  });
  afterEach(() => {
    first.received.length = 0;
    second.received.length = 0;
  });

  it('sends each URL one signed POST of a new comment: its public shape, never an email or an address', async () => {
    const thread = newThread();
    const { comment } = await post(
      app,
      thread,
      {
        body: 'Hello, hooks',
        author: { name: 'Ann', email: 'ann@example.com', url: 'https://ann.example' },
        page: { title: 'An article', url: 'https://blog.example.com/article' },
      },
      { 'X-Forwarded-For': '203.0.113.7' },
    );
    await eventually(() => expect([first.received.length, second.received.length]).toEqual([1, 1]));
    // Marked delivered once the receivers have answered.
    const stored = (await eventually(async () => {
      const written = await rows(app, 'comment.created');
      expect(written.map((row) => row.status)).toEqual(['delivered', 'delivered']);
      return written;
    })) as Row[];
    for (const [receiver, row] of [
      [first, stored.find((r) => r.target === first.url)],
      [second, stored.find((r) => r.target === second.url)],
    ] as const) {
      const [delivery] = receiver.received;
      expect(signatureValid(SECRET, delivery!.raw, delivery!.headers['confab-signature'])).toBe(true);
      expect(signatureValid('another-secret-0123456789abcdef01', delivery!.raw, delivery!.headers['confab-signature'])).toBe(
        false,
      );
      const t = Number(/^t=(\d+),/.exec(String(delivery!.headers['confab-signature']))?.[1]);
      expect(Math.abs(t - Date.now() / 1000)).toBeLessThan(60);
      expect(delivery!.headers['content-type']).toBe('application/json');
      expect(delivery!.headers['user-agent']).toMatch(/^confab-server\/\d+\.\d+\.\d+ /);
      expect(delivery!.body).toEqual({
        id: row?.delivery_id,
        type: 'comment.created',
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        data: { thread: { id: thread, title: 'An article', url: 'https://blog.example.com/article' }, comment },
      });
      expect(Object.keys(delivery!.body.data.comment).sort()).toEqual(
        ['author', 'body', 'createdAt', 'editedAt', 'id', 'parentId', 'score', 'status'].sort(),
      );
      for (const secret of ['ann@example.com', '203.0.113', 'email', 'hash', 'client', 'token']) {
        expect(delivery!.raw).not.toContain(secret);
      }
      expect(row).toMatchObject({ status: 'delivered', attempts: 1, last_error: null });
    }
    expect(first.received[0]!.body.id).not.toBe(second.received[0]!.body.id);
    // Exactly one each: nothing comes again.
    await sleep(300);
    expect([first.received.length, second.received.length]).toEqual([1, 1]);
  });

  it('sends comment.updated for an edit or a pin, comment.deleted for a deletion, and nothing for a vote', async () => {
    const thread = newThread();
    const { comment, editToken } = await post(app, thread, { body: 'To be changed' });
    const path = `${commentsPath(thread)}/${comment.id}`;
    expect((await call(app, 'PATCH', path, { body: { body: 'Changed' }, headers: bearer(editToken) })).status).toBe(200);
    expect((await call(app, 'POST', `${path}/votes`, { body: { value: 1 }, headers: { 'X-Voter': 'v1' } })).status).toBe(200);
    await call(app, 'POST', `/admin/threads/${thread}/comments/${comment.id}/pin`, { headers: admin });
    expect((await call(app, 'DELETE', path, { headers: bearer(editToken) })).status).toBe(200);
    await eventually(() => expect(first.ofType('comment.deleted')).toHaveLength(1));
    await sleep(200);
    const types = first.received.map((r) => r.body.type).sort();
    expect(types).toEqual(['comment.created', 'comment.deleted', 'comment.updated', 'comment.updated']);
    const updates = first.ofType('comment.updated').map((r) => r.body.data.comment);
    expect(updates.map((c) => [c.body, c.pinned ?? false]).sort()).toEqual([
      ['Changed', false],
      ['Changed', true],
    ]);
    expect(first.ofType('comment.deleted')[0]!.body.data.comment).toMatchObject({ id: comment.id, status: 'deleted', body: '' });
  });

  it('sends comment.pending for a held comment, then comment.created when a moderator approves it', async () => {
    const thread = newThread();
    const links = 'https://a.example https://b.example https://c.example';
    const { comment } = await post(app, thread, { body: `Held: ${links}`, author: { name: 'Bo', email: 'bo@example.com' } });
    expect(comment.status).toBe('pending');
    await eventually(() => expect(first.ofType('comment.pending')).toHaveLength(1));
    expect(first.ofType('comment.pending')[0]!.body.data.comment).toEqual(comment);
    expect(first.ofType('comment.pending')[0]!.raw).not.toContain('bo@example.com');
    expect(first.ofType('comment.created')).toHaveLength(0);

    await call(app, 'POST', `/admin/threads/${thread}/comments/${comment.id}/approve`, { headers: admin });
    await eventually(() => expect(first.ofType('comment.created')).toHaveLength(1));
    expect(first.ofType('comment.created')[0]!.body.data.comment).toMatchObject({ id: comment.id, status: 'published' });
  });

  it('sends comment.reported with its reason for each reader’s report, and comment.deleted when reports hold it', async () => {
    const thread = newThread();
    const { comment } = await post(app, thread, { body: 'Reported' });
    const report = (voter: string, address: string, reason: string) =>
      call(app, 'POST', `${commentsPath(thread)}/${comment.id}/reports`, {
        body: { reason, note: 'a note' },
        headers: { 'X-Voter': voter, 'X-Forwarded-For': address },
      });
    expect((await report('r1', '192.0.2.1', 'spam')).status).toBe(201);
    expect((await report('r1', '192.0.2.1', 'spam')).status).toBe(200); // the same reader again: nothing
    expect((await report('r2', '192.0.2.2', 'abuse')).status).toBe(201); // the second reader: held (REPORTS_TO_HOLD=2)
    await eventually(() => expect(first.ofType('comment.reported')).toHaveLength(2));
    await eventually(() => expect(first.ofType('comment.deleted')).toHaveLength(1));
    const reported = first.ofType('comment.reported').map((r) => r.body.data);
    expect(reported.map((d) => d.report).sort((a, b) => a.reason.localeCompare(b.reason))).toEqual([
      { reason: 'abuse' },
      { reason: 'spam' },
    ]);
    expect(reported.map((d) => d.comment.status).sort()).toEqual(['pending', 'published']);
    for (const { raw } of first.received) expect(raw).not.toContain('192.0.2');
  });

  it('writes nothing when the change does not commit', async () => {
    const thread = newThread();
    await post(app, thread, { body: 'First' });
    await call(app, 'POST', `/admin/threads/${thread}/lock`, { headers: admin });
    const before = (await rows(app)).length;
    expect((await call(app, 'POST', commentsPath(thread), { body: { body: 'Refused: locked' } })).status).toBe(403);
    expect((await rows(app)).length).toBe(before);
  });
});

describe('webhook failures', () => {
  const started: Array<{ close: () => Promise<void> }> = [];
  afterAll(async () => {
    await Promise.all(started.map((s) => s.close()));
  });
  const receiver = async (...args: Parameters<typeof startReceiver>) => {
    const r = await startReceiver(...args);
    started.push(r);
    return r;
  };
  const server = async (urls: string[], options: Parameters<typeof start>[0] = {}) => {
    const app = await start({
      webhookUrls: urls,
      webhookSecret: SECRET,
      outbox: { baseDelayMs: 100, pollMs: 50 },
      ...options,
    });
    started.push(app);
    return app;
  };

  it('retries a receiver that answered 500, and delivers once when it answers 200', async () => {
    const flaky = await receiver((res, _, n) => res.writeHead(n === 1 ? 500 : 200).end());
    const app = await server([flaky.url]);
    await post(app, newThread());
    await eventually(() => expect(flaky.received).toHaveLength(2));
    const [one, two] = flaky.received;
    expect(two!.body).toEqual(one!.body); // the same delivery id and body
    expect(two!.at - one!.at).toBeGreaterThanOrEqual(90); // after the backoff
    expect(signatureValid(SECRET, two!.raw, two!.headers['confab-signature'])).toBe(true);
    await eventually(async () =>
      expect((await rows(app))[0]).toMatchObject({ status: 'delivered', attempts: 2, last_error: null }),
    );
    await sleep(400);
    expect(flaky.received).toHaveLength(2);
  });

  it('does not follow a redirect, gives up on a slow receiver after the timeout, retries both, and delivers to a healthy one meanwhile', async () => {
    const elsewhere = await receiver();
    const redirecting = await receiver((res) => res.writeHead(302, { Location: elsewhere.url }).end());
    const held: Array<() => void> = [];
    // Never answers in time (until the test ends).
    const slow = await receiver((res) => held.push(() => res.writeHead(204).end()));
    const healthy = await receiver();
    const app = await server([slow.url, redirecting.url, healthy.url], { webhookTimeoutMs: 1_500 });
    const sent = Date.now();
    await post(app, newThread());
    await eventually(() => expect(healthy.received).toHaveLength(1));
    expect(healthy.received[0]!.at - sent).toBeLessThan(1_000); // not held up by the slow receiver
    await eventually(() => expect(redirecting.received.length).toBeGreaterThanOrEqual(2));
    expect(elsewhere.received).toHaveLength(0);
    await eventually(() => expect(slow.received.length).toBeGreaterThanOrEqual(2), 8_000);
    const byTarget = new Map((await rows(app)).map((row) => [row.target, row]));
    expect(byTarget.get(healthy.url)).toMatchObject({ status: 'delivered', attempts: 1 });
    expect(byTarget.get(redirecting.url)?.last_error).toMatch(/^HTTP 302: redirects are not followed/);
    expect(byTarget.get(slow.url)?.last_error).toBe('no answer within 1.5 s');
    expect(healthy.received).toHaveLength(1);
    for (const release of held) release();
  });

  it('gives a delivery in flight back on shutdown, and delivers it after the next start', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'confab-webhook-stop-'));
    const held: Array<() => void> = [];
    // The first attempt is never answered; later ones at once.
    const slow = await receiver((res, _, n) => (n === 1 ? held.push(() => res.destroy()) : res.writeHead(204).end()));
    const options = { dataDir, webhookUrls: [slow.url], webhookSecret: SECRET, outbox: { stopGraceMs: 200 } };
    try {
      const app = await start(options);
      await post(app, newThread());
      await eventually(() => expect(slow.received).toHaveLength(1));
      const stopping = Date.now();
      await app.close();
      expect(Date.now() - stopping).toBeLessThan(2_000);

      const again = await start(options);
      try {
        await eventually(() => expect(slow.received).toHaveLength(2));
        expect(slow.received[1]!.body.id).toBe(slow.received[0]!.body.id);
        // The abandoned attempt is not counted against the receiver.
        await eventually(async () => expect((await rows(again))[0]).toMatchObject({ status: 'delivered', attempts: 1 }));
      } finally {
        await again.close();
      }
    } finally {
      for (const release of held) release();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('webhook settings', () => {
  const read = (env: Record<string, string>) => readSettings(env, { defaultDataDir: '/srv/data' });

  it('reads one or more URLs and the secret', () => {
    const settings = read({
      WEBHOOK_URL: 'https://hooks.example.com/confab, http://127.0.0.1:9000/hook ,https://hooks.example.com/confab',
      WEBHOOK_SECRET: SECRET,
    });
    expect(settings.webhookUrls).toEqual(['https://hooks.example.com/confab', 'http://127.0.0.1:9000/hook']);
    expect(settings.webhookSecret).toBe(SECRET);
    expect(read({}).webhookUrls).toEqual([]);
  });

  it.each([
    [{ WEBHOOK_URL: 'https://hooks.example.com/confab' }, /WEBHOOK_SECRET is required with WEBHOOK_URL/],
    [
      { WEBHOOK_URL: 'ftp://hooks.example.com/', WEBHOOK_SECRET: SECRET },
      /WEBHOOK_URL: "ftp:\/\/hooks\.example\.com\/" is not an http/,
    ],
    [{ WEBHOOK_URL: 'hooks.example.com', WEBHOOK_SECRET: SECRET }, /WEBHOOK_URL: "hooks\.example\.com" is not an http/],
    [{ WEBHOOK_URL: 'https://hooks.example.com/', WEBHOOK_SECRET: 'short' }, /WEBHOOK_SECRET must be at least 32 bytes/],
  ])('refuses %o', (env, message) => {
    expect(() => read(env)).toThrow(message);
  });

  it('warns of a plain http URL to another machine', () => {
    const lines = riskySettings(
      read({
        WEBHOOK_URL: 'http://hooks.example.com/secret-path,http://localhost:9000/,https://hooks.example.com/',
        WEBHOOK_SECRET: SECRET,
      }),
    );
    const warnings = lines.filter((line) => line.startsWith('WEBHOOK_URL'));
    expect(warnings).toEqual([expect.stringMatching(/^WEBHOOK_URL http:\/\/hooks\.example\.com is not https/)]);
    expect(warnings[0]).not.toContain('secret-path');
  });
});

describe("the README's webhook receiver", () => {
  it('takes a delivery, and refuses a forged one and one signed more than 5 minutes ago', async () => {
    const snippet = await importReadmeSnippet(new URL('../../README.md', import.meta.url), '### Webhooks');
    const saved = process.env.WEBHOOK_SECRET;
    process.env.WEBHOOK_SECRET = SECRET;
    const statuses: number[] = [];
    const logged: unknown[][] = [];
    const log = console.log;
    let app: App | undefined;
    let receiver: Receiver | undefined;
    try {
      const { confabWebhook } = snippet.module;
      const http = await import('node:http');
      const server = http.createServer((req, res) => {
        res.on('finish', () => statuses.push(res.statusCode));
        confabWebhook(req, res);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
      receiver = { url, close: () => new Promise<void>((resolve) => server.close(() => resolve())) } as Receiver;
      console.log = (...args: unknown[]) => void logged.push(args);
      app = await start({ webhookUrls: [url], webhookSecret: SECRET });
      const { comment } = await post(app, newThread(), { body: 'To the README receiver' });
      await eventually(async () => expect((await rows(app!))[0]?.status).toBe('delivered'));
      expect(statuses).toEqual([204]);
      expect(logged).toEqual([['comment.created', comment.id]]);

      const body = JSON.stringify({ id: 'x', type: 'comment.created', data: { comment } });
      const send = (t: number, signed = body) =>
        fetch(url, {
          method: 'POST',
          body,
          headers: { 'Confab-Signature': `t=${t},v1=${createHmac('sha256', SECRET).update(`${t}.${signed}`).digest('hex')}` },
        }).then((r) => r.status);
      const now = Math.floor(Date.now() / 1000);
      expect(await send(now, body.replace('x', 'y'))).toBe(401); // forged: the body changed
      expect(await send(now - 301)).toBe(401); // older than 5 minutes
      expect(await send(now - 240)).toBe(204);
      expect(await fetch(url, { method: 'POST', body, headers: { 'Confab-Signature': 'nonsense' } }).then((r) => r.status)).toBe(
        401,
      );
      expect(await fetch(url, { method: 'POST', body }).then((r) => r.status)).toBe(401);
    } finally {
      console.log = log;
      if (saved === undefined) delete process.env.WEBHOOK_SECRET;
      else process.env.WEBHOOK_SECRET = saved;
      snippet.remove();
      await app?.close();
      await receiver?.close();
    }
  });
});
