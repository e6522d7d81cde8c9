// @vitest-environment node
// The durable outbox: rows written with the change that causes them, claimed with a lease,
// retried with backoff until they are dead, listed and retried from the command line, delivered
// after a SIGKILL mid-delivery, and delivered once by two instances sharing one PostgreSQL.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/src/database.js';
import type { Database, Row } from '../../server/src/database.js';
import { migrate } from '../../server/src/migrations.js';
import { OUTBOX_CHANNEL, OUTBOX_DEFAULTS, PermanentFailure, createOutbox, enqueue, retryDelay } from '../../server/src/outbox.js';
import type { OutboxRow } from '../../server/src/outbox.js';
import {
  type App,
  CLI,
  captureLogger,
  createTestDatabase,
  eventually,
  newThread,
  post,
  start,
  startServerProcess,
} from './helpers';
import { signatureValid, startReceiver } from './receivers';

const SECRET = 'outbox-test-secret-0123456789abcdef';
const MINUTE = 60_000;

const cleanUps: Array<() => unknown> = [];
afterAll(async () => {
  for (const cleanUp of cleanUps.reverse()) await cleanUp();
});
const tempDir = (name: string) => {
  const dir = mkdtempSync(join(tmpdir(), `confab-outbox-${name}-`));
  cleanUps.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
};
const outboxRows = async (db: Pick<Database, 'query'>) =>
  (
    await db.query(
      `SELECT id, delivery_id, target, type, status, attempts, next_attempt_at, lease_until, last_error FROM outbox ORDER BY id`,
    )
  ).rows;

describe('the backoff', () => {
  it('doubles from 1 minute, and gives up when the next delay would pass 24 hours', () => {
    const delays = Array.from({ length: 13 }, (_, i) => retryDelay(i + 1, OUTBOX_DEFAULTS));
    expect(delays.slice(0, 11)).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024].map((m) => m * MINUTE));
    expect(delays.slice(11)).toEqual([null, null]);
  });
});

describe('the worker', () => {
  it('writes rows only when the change commits, leases what it claims, and lets a lapsed lease go to another worker', async () => {
    const db = await openDatabase({});
    cleanUps.push(() => db.close());
    await migrate(db);
    let clock = Date.parse('2030-01-01T00:00:00Z');
    const now = () => new Date(clock);
    const entry = { channel: 'webhook' as const, target: 'https://hooks.example/a', type: 'comment.created', payload: { n: 1 } };

    await expect(
      db.transaction(async (tx) => {
        await enqueue(tx, [entry], now());
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await outboxRows(db)).toEqual([]);
    await db.transaction((tx) => enqueue(tx, [entry], now()));

    // The first worker takes the row and never finishes, nor looks again (as if its process had died).
    const taken: OutboxRow[] = [];
    let failFirst: (error: Error) => void = () => {};
    const first = createOutbox({
      db,
      now,
      pollMs: 3_600_000,
      deliverers: {
        webhook: (row) => {
          taken.push(row);
          return new Promise((_, reject) => (failFirst = reject));
        },
      },
    });
    await first.start();
    await eventually(() => expect(taken).toHaveLength(1));
    const leased = (await outboxRows(db))[0]!;
    expect(leased).toMatchObject({ status: 'pending', attempts: 1 });
    expect(leased.lease_until.getTime()).toBe(clock + OUTBOX_DEFAULTS.leaseMs);

    const delivered: OutboxRow[] = [];
    const second = createOutbox({
      db,
      now,
      pollMs: 20,
      deliverers: {
        webhook: async (row) => {
          delivered.push(row);
        },
      },
    });
    await second.start();
    cleanUps.push(() => second.stop());
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(delivered).toEqual([]); // leased to the first
    clock += OUTBOX_DEFAULTS.leaseMs + 1;
    await eventually(() => expect(delivered).toHaveLength(1));
    expect(delivered[0]).toMatchObject({ deliveryId: taken[0]!.deliveryId, attempts: 2, payload: { n: 1 } });
    await eventually(async () => expect((await outboxRows(db))[0]).toMatchObject({ status: 'delivered', attempts: 2 }));

    // The first worker's late failure changes nothing: the row is no longer its attempt's.
    failFirst(new Error('too late'));
    await first.stop();
    expect((await outboxRows(db))[0]).toMatchObject({ status: 'delivered', attempts: 2, last_error: null });
  });
});

describe('a slow target', () => {
  it('holds at most its share of the slots, and the others are served meanwhile', async () => {
    const db = await openDatabase({});
    cleanUps.push(() => db.close());
    await migrate(db);
    const row = (target: string) => ({ channel: 'webhook' as const, target, type: 'comment.created', payload: {} });
    await db.transaction((tx) =>
      enqueue(
        tx,
        Array.from({ length: 30 }, () => row('slow')),
        new Date(),
      ),
    );
    await db.transaction((tx) => enqueue(tx, [row('quick'), row('quick')], new Date()));
    const waiting: Array<() => void> = [];
    const served: string[] = [];
    const worker = createOutbox({
      db,
      concurrency: 16,
      perTarget: 8,
      stopGraceMs: 100,
      deliverers: {
        webhook: async ({ target }, signal) => {
          if (target === 'slow') {
            await new Promise<void>((resolve, reject) => {
              waiting.push(resolve);
              signal.addEventListener('abort', () => reject(signal.reason));
            });
          }
          served.push(target);
        },
      },
    });
    await worker.start();
    cleanUps.push(() => worker.stop());
    await eventually(() => expect(served).toEqual(['quick', 'quick']));
    expect(waiting).toHaveLength(8);
    expect(worker.inFlight).toBe(8);
    for (const resolve of waiting.splice(0)) resolve();
    await eventually(() => expect(waiting).toHaveLength(8));
    expect(served.filter((target) => target === 'slow')).toHaveLength(8);
  });
});

describe('rows an instance queues for itself', () => {
  it('are leased in the same statement and handed over at commit; not on rollback; given back on stop', async () => {
    const db = await openDatabase({});
    cleanUps.push(() => db.close());
    await migrate(db);
    const waiting: Array<() => void> = [];
    const served: string[] = [];
    const worker = createOutbox({
      db,
      concurrency: 16,
      perTarget: 8,
      stopGraceMs: 100,
      // No poll in this test: only the hand-over can start a delivery.
      pollMs: 60_000,
      deliverers: {
        webhook: async ({ target, payload }, signal) => {
          if (target === 'slow') {
            await new Promise<void>((resolve, reject) => {
              waiting.push(resolve);
              signal.addEventListener('abort', () => reject(signal.reason));
            });
          }
          served.push(`${target} ${payload.n}`);
        },
      },
    });
    await worker.start();
    let stopped = false;
    cleanUps.push(() => stopped || worker.stop());
    const row = (target: string, n: number) => ({ channel: 'webhook' as const, target, type: 'comment.created', payload: { n } });

    // Rolled back: the rows never existed, and nothing is delivered.
    await expect(
      db.transaction(async (tx) => {
        await worker.enqueue(tx, [row('quick', 0)], new Date());
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');

    await db.transaction((tx) =>
      worker.enqueue(
        tx,
        Array.from({ length: 12 }, (_, n) => row('slow', n + 1)),
        new Date(),
      ),
    );
    // Leased to this worker by the insert itself: no other instance would take them.
    const leased = await db.query(`SELECT count(*)::int AS n FROM outbox WHERE lease_until > now() AND attempts = 1`);
    expect(leased.rows[0]!.n).toBe(12);
    await eventually(() => expect(waiting).toHaveLength(8));
    await db.transaction((tx) => worker.enqueue(tx, [row('quick', 1)], new Date()));
    await eventually(() => expect(served).toEqual(['quick 1']));
    expect(waiting).toHaveLength(8);

    // Stopped: the 8 in flight are abandoned and the 4 never started given back, all due at once.
    await worker.stop();
    stopped = true;
    const { rows } = await db.query(`SELECT target, status, attempts, lease_until FROM outbox ORDER BY id`);
    expect(rows.filter((r) => r.target === 'slow')).toEqual(
      Array.from({ length: 12 }, () => ({ target: 'slow', status: 'pending', attempts: 0, lease_until: null })),
    );
    expect(rows.filter((r) => r.target === 'quick')).toEqual([expect.objectContaining({ status: 'delivered', attempts: 1 })]);
  });
});

describe('a busy server', () => {
  it('delivers two at a time while it is busy, and at full width once it is not; nothing is dropped', async () => {
    const db = await openDatabase({});
    cleanUps.push(() => db.close());
    await migrate(db);
    const held: Array<() => void> = [];
    let busy = true;
    const worker = createOutbox({
      db,
      busy: () => busy,
      deliverers: { webhook: () => new Promise<void>((resolve) => held.push(resolve)) },
    });
    await worker.start();
    cleanUps.push(() => worker.stop());
    const rows = Array.from({ length: 20 }, (_, n) => ({
      channel: 'webhook' as const,
      target: `https://receiver-${n % 4}.example/hook`,
      type: 'comment.created',
      payload: { n },
    }));
    await db.transaction((tx) => worker.enqueue(tx, rows, new Date()));
    await eventually(() => expect(held).toHaveLength(2));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(worker.inFlight).toBe(2);

    busy = false;
    for (const release of held.splice(0)) release();
    await eventually(() => expect(held).toHaveLength(16));
    while (held.length > 0) for (const release of held.splice(0)) release();
    await eventually(async () => {
      const { rows: left } = await db.query(`SELECT count(*)::int AS n FROM outbox WHERE status <> 'delivered'`);
      for (const release of held.splice(0)) release();
      expect(left[0]!.n).toBe(0);
    });
  });
});

describe('a permanent refusal', () => {
  it('makes the row dead at once, with its reason', async () => {
    const db = await openDatabase({});
    cleanUps.push(() => db.close());
    await migrate(db);
    const entry = { channel: 'email' as const, target: 'a_1', type: 'mail.reply', payload: {} };
    await db.transaction((tx) => enqueue(tx, [entry], new Date()));
    const worker = createOutbox({
      db,
      deliverers: {
        email: async () => {
          throw new PermanentFailure('550 No such mailbox');
        },
      },
    });
    await worker.start();
    cleanUps.push(() => worker.stop());
    await eventually(async () =>
      expect((await outboxRows(db))[0]).toMatchObject({ status: 'dead', attempts: 1, last_error: '550 No such mailbox' }),
    );
  });
});

describe('the metrics', () => {
  it('count attempts by outcome, time them, and show the queue and how late its oldest due row is', async () => {
    const receiver = await startReceiver((res, _, n) => res.writeHead(n === 1 ? 500 : 204).end());
    cleanUps.push(() => receiver.close());
    const adminToken = 'metrics-token-0123456789abcdefghij';
    const app = await start({ webhookUrls: [receiver.url], webhookSecret: SECRET, adminToken, outbox: { pollMs: 20 } });
    cleanUps.push(() => app.close());
    const scrape = async () => (await fetch(`${app.url}/metrics`, { headers: { Authorization: `Bearer ${adminToken}` } })).text();
    const value = (text: string, series: string) =>
      Number(new RegExp(`^${series.replace(/[{}]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);

    await post(app, newThread(), { body: 'Taken the second time' });
    // Refused once: a retry, the row pending for a minute, not due yet.
    await eventually(async () =>
      expect(value(await scrape(), 'confab_outbox_deliveries_total{channel="webhook",outcome="retry"}')).toBe(1),
    );
    let text = await scrape();
    expect(value(text, 'confab_outbox_rows{channel="webhook",status="pending"}')).toBe(1);
    expect(value(text, 'confab_outbox_rows{channel="webhook",status="dead"}')).toBe(0);
    expect(value(text, 'confab_outbox_oldest_due_seconds{channel="webhook"}')).toBe(0);
    expect(value(text, 'confab_outbox_delivery_seconds_count{channel="webhook"}')).toBe(1);

    // Due for 30 s and still held (by a lease that stands in for a stuck worker): the gauge says how late.
    await app.db.query(
      "UPDATE outbox SET next_attempt_at = now() - interval '30 seconds', lease_until = now() + interval '1 hour'",
    );
    expect(value(await scrape(), 'confab_outbox_oldest_due_seconds{channel="webhook"}')).toBeGreaterThanOrEqual(30);

    await app.db.query('UPDATE outbox SET lease_until = NULL');
    await eventually(async () =>
      expect(value(await scrape(), 'confab_outbox_deliveries_total{channel="webhook",outcome="delivered"}')).toBe(1),
    );
    await eventually(async () => expect(value(await scrape(), 'confab_outbox_rows{channel="webhook",status="pending"}')).toBe(0));
    text = await scrape();
    expect(value(text, 'confab_outbox_oldest_due_seconds{channel="webhook"}')).toBe(0);
    expect(value(text, 'confab_outbox_delivery_seconds_count{channel="webhook"}')).toBe(2);
    expect(text).not.toMatch(/outcome="dead"\} [1-9]/);
  });
});

describe('a receiver that keeps failing', () => {
  it('is retried from 1 minute to 17 hours apart, with jitter, then the row is dead; outbox lists it and retry revives it', async () => {
    const dataDir = tempDir('dead');
    const failing = await startReceiver((res) => res.writeHead(500).end());
    cleanUps.push(() => failing.close());
    let clock = Date.parse('2030-01-01T00:00:00Z');
    // PGlite's folder as `confab-server` puts it in DATA_DIR.
    const options = { dataDir: join(dataDir, 'pgdata'), webhookUrls: [failing.url], webhookSecret: SECRET };
    const { logger, lines: logged } = captureLogger('warn');
    const app = await start({ ...options, now: () => new Date(clock), outbox: { pollMs: 20 }, logger });
    let closed = false;
    cleanUps.push(() => closed || app.close());
    await post(app, newThread(), { body: 'Never taken' });

    const delays: number[] = [];
    for (let attempt = 1; ; attempt++) {
      const row = (await eventually(async () => {
        const current = (await outboxRows(app.db))[0]!;
        expect(current).toMatchObject({ attempts: attempt, lease_until: null, last_error: 'HTTP 500 Internal Server Error' });
        return current;
      })) as Row;
      expect(failing.received).toHaveLength(attempt);
      if (row.status === 'dead') break;
      delays.push(row.next_attempt_at.getTime() - clock);
      clock = row.next_attempt_at.getTime();
    }
    expect(delays).toHaveLength(11);
    delays.forEach((delay, i) => {
      const nominal = 2 ** i * MINUTE;
      expect(delay).toBeGreaterThanOrEqual(nominal);
      expect(delay).toBeLessThanOrEqual(nominal * 1.25);
    });
    // Each failure is logged (the URL's origin only), the last one as an error.
    expect(logged.map((line) => [line.level, line.msg])).toEqual([
      ...Array.from({ length: 11 }, () => ['warn', 'delivery failed: retrying later']),
      ['error', 'delivery failed for the last time: the row is dead (confab-server outbox retry)'],
    ]);
    expect(logged[0]).toMatchObject({
      target: `${new URL(failing.url).origin}/…`,
      attempts: 1,
      error: 'HTTP 500 Internal Server Error',
    });
    // Every attempt was the same delivery, signed each time.
    expect(new Set(failing.received.map((r) => r.body.id)).size).toBe(1);
    for (const r of failing.received) expect(signatureValid(SECRET, r.raw, r.headers['confab-signature'])).toBe(true);
    await app.close();
    closed = true;

    const cli = (...args: string[]) =>
      spawnSync(process.execPath, [CLI, ...args], {
        env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '' },
        encoding: 'utf8',
        timeout: 30_000,
      });
    const listed = cli('outbox');
    expect(listed.stderr).toBe('');
    expect(listed.status).toBe(0);
    const lines = listed.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^ID\s+CHANNEL\s+TARGET\s+TYPE\s+STATUS\s+ATTEMPTS\s+NEXT ATTEMPT\s+LAST ERROR$/);
    const dead = await (async () => {
      const db = await openDatabase({ dataDir: join(dataDir, 'pgdata') });
      try {
        return (await outboxRows(db))[0]!;
      } finally {
        await db.close();
      }
    })();
    expect(lines[1]).toMatch(
      new RegExp(
        `^${dead.id}\\s+webhook\\s+${failing.url}\\s+comment\\.created\\s+dead\\s+12\\s+-\\s+HTTP 500 Internal Server Error$`,
      ),
    );
    expect(lines.at(-1)).toBe('0 pending, 1 dead. Retry one now: confab-server outbox retry ID');

    expect(cli('outbox', 'retry').status).toBe(2);
    expect(cli('outbox', 'again', dead.id).status).toBe(2);
    const missing = cli('outbox', 'retry', '987654');
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/No pending or dead delivery 987654/);
    const retried = cli('outbox', 'retry', dead.id);
    expect(retried.stderr).toBe('');
    expect(retried.status).toBe(0);
    expect(retried.stdout).toMatch(new RegExp(`^Delivery ${dead.id} is due now`));
    expect(cli('outbox', '--help').stdout).toMatch(/outbox retry ID/);

    // Mended, and the server started again (on its own clock): delivered, the same delivery.
    failing.answerWith((res) => res.writeHead(200).end());
    const again = await start(options);
    cleanUps.push(() => again.close());
    await eventually(async () => expect((await outboxRows(again.db))[0]).toMatchObject({ status: 'delivered', attempts: 1 }));
    expect(failing.received).toHaveLength(13);
    expect(failing.received[12]!.body.id).toBe(dead.delivery_id);
    const empty = await again.close().then(() => cli('outbox'));
    expect(empty.stdout).toBe('Nothing pending or dead in the outbox.\n');
  }, 90_000); // twelve attempts, then the command line three times, each opening PGlite
});

/** `confab-server start` on PGlite, killed at the end of the tests. */
async function startChild(env: Record<string, string>) {
  const started = await startServerProcess({ DATABASE_URL: '', ...env });
  cleanUps.push(() => started.child.kill('SIGKILL'));
  return started;
}

describe('a server killed in the middle of a delivery', () => {
  it('delivers it after a restart, once its lease has run out, with the same delivery id', async () => {
    const dataDir = tempDir('sigkill');
    const held: Array<() => void> = [];
    // The first delivery is held unanswered while the server is killed; later ones are taken.
    const receiver = await startReceiver((res, _, n) => (n === 1 ? held.push(() => res.destroy()) : res.writeHead(204).end()));
    cleanUps.push(() => receiver.close());
    const env = { DATA_DIR: dataDir, WEBHOOK_URL: receiver.url, WEBHOOK_SECRET: SECRET };

    const { child, url } = await startChild(env);
    const { comment } = await post(url, newThread(), { body: 'Delivered in the end' });
    await eventually(() => expect(receiver.received).toHaveLength(1));
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    for (const release of held) release();

    // The row is as the killed worker left it: claimed, its lease still running. The lease (60 s)
    // is moved into the past here, standing in for the minute a restarted server would wait.
    const db = await openDatabase({ dataDir: join(dataDir, 'pgdata') });
    try {
      const row = (await outboxRows(db))[0]!;
      expect(row).toMatchObject({ status: 'pending', attempts: 1, delivery_id: receiver.received[0]!.body.id });
      expect(row.lease_until.getTime()).toBeGreaterThan(Date.now() + 30_000);
      await db.query("UPDATE outbox SET lease_until = now() - interval '1 second'");
    } finally {
      await db.close();
    }

    const restarted = await startChild(env);
    await eventually(() => expect(receiver.received).toHaveLength(2), 10_000);
    const [before, after] = receiver.received;
    expect(after!.body).toEqual(before!.body);
    expect(after!.body.data.comment).toEqual(comment);
    expect(signatureValid(SECRET, after!.raw, after!.headers['confab-signature'])).toBe(true);
    const stopped = new Promise((resolve) => restarted.child.once('exit', resolve));
    restarted.child.kill('SIGTERM');
    expect(await stopped).toBe(0);
  });
});

describe('two instances on one PostgreSQL', () => {
  it('deliver a burst of 200 posts’ webhooks, each exactly once', async () => {
    const database = await createTestDatabase();
    cleanUps.push(() => database.drop());
    const receiver = await startReceiver();
    cleanUps.push(() => receiver.close());
    const options = { databaseUrl: database.url, webhookUrls: [receiver.url], webhookSecret: SECRET };
    const apps: App[] = await Promise.all([start(options), start(options)]);
    cleanUps.push(() => Promise.all(apps.map((app) => app.close())));

    const thread = newThread();
    const posted: string[] = [];
    // 200 posts, 20 at a time, alternating between the instances.
    for (let round = 0; round < 10; round++) {
      const comments = await Promise.all(
        Array.from({ length: 20 }, (_, i) => post(apps[i % 2]!, thread, { body: `Burst ${round}-${i}` })),
      );
      posted.push(...comments.map((c) => c.comment.id));
    }
    await eventually(() => expect(receiver.received.length).toBeGreaterThanOrEqual(200), 20_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(receiver.received).toHaveLength(200);
    const ids = receiver.received.map((r) => r.body.id);
    expect(new Set(ids).size).toBe(200);
    expect(receiver.received.map((r) => r.body.data.comment.id).sort()).toEqual(posted.sort());
    await eventually(async () => {
      const { rows } = await apps[0]!.db.query(
        "SELECT count(*)::int AS delivered, max(attempts) AS attempts FROM outbox WHERE status = 'delivered'",
      );
      expect(rows[0]).toEqual({ delivered: 200, attempts: 1 });
    });
  });
});

describe('rows an instance cannot take itself, on PostgreSQL', () => {
  it('wake the other instances at most once per wakeEveryMs, the last ones too, and the others deliver them all', async () => {
    const database = await createTestDatabase();
    cleanUps.push(() => database.drop());
    const [busyDb, otherDb, observerDb] = await Promise.all([1, 2, 3].map(() => openDatabase({ databaseUrl: database.url })));
    cleanUps.push(() => Promise.all([busyDb, otherDb, observerDb].map((db) => db!.close())));
    await migrate(busyDb!);
    let notifications = 0;
    await observerDb!.listen(OUTBOX_CHANNEL, {
      onNotification: () => notifications++,
      onInterrupted: () => {},
      onRestored: () => {},
    });

    // One slot, held by a delivery that does not end: after 4 handed over, every row is the others'.
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const busy = createOutbox({
      db: busyDb!,
      concurrency: 1,
      pollMs: 60_000,
      stopGraceMs: 100,
      deliverers: { webhook: () => held },
    });
    const delivered: number[] = [];
    // No poll: only a notification can make this one look.
    const other = createOutbox({
      db: otherDb!,
      pollMs: 60_000,
      deliverers: { webhook: async ({ payload }) => void delivered.push(payload.n as number) },
    });
    await Promise.all([busy.start(), other.start()]);
    cleanUps.push(() => Promise.all([busy.stop(), other.stop()]));
    cleanUps.push(() => release());

    const rows = 60;
    const started = performance.now();
    for (let n = 0; n < rows; n++) {
      await busyDb!.transaction((tx) =>
        busy.enqueue(
          tx,
          [{ channel: 'webhook', target: 'https://hooks.example', type: 'comment.created', payload: { n } }],
          new Date(),
        ),
      );
    }
    const queuedIn = performance.now() - started;
    // The busy one keeps what it leased (its slot and the 4 waiting for it); the other takes the rest.
    await eventually(async () => {
      const { rows: kept } = await observerDb!.query(`SELECT count(*)::int AS n FROM outbox WHERE status = 'pending'`);
      expect(kept[0]!.n).toBeLessThanOrEqual(5);
      expect(delivered.length + kept[0]!.n).toBe(rows);
    }, 10_000);
    expect(new Set(delivered).size).toBe(delivered.length);
    // The first, then one a window: never one per row.
    expect(notifications).toBeGreaterThanOrEqual(1);
    expect(notifications).toBeLessThanOrEqual(Math.ceil(queuedIn / OUTBOX_DEFAULTS.wakeEveryMs) + 1);
  });
});
