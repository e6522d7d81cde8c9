// @vitest-environment node
// Emails through the outbox when things go wrong (issue 16): a server killed with SIGKILL while
// a slow SMTP server holds its message sends it after a restart, with the same Message-ID; two
// instances sharing one PostgreSQL send a burst of 200 reply emails, each exactly once.
import { simpleParser, type ParsedMail } from 'mailparser';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/src/database.js';
import { type App, createTestDatabase, eventually, newThread, post, start, startServerProcess } from './helpers';
import { startSmtp } from './mail-fixtures';

const cleanUps: Array<() => unknown> = [];
afterAll(async () => {
  for (const cleanUp of cleanUps.reverse()) await cleanUp();
});

const MAIL = { MAIL_FROM: 'Confab <comments@blog.example>', PUBLIC_URL: 'http://127.0.0.1:9' };

describe('a server killed while the SMTP server is slow to answer', () => {
  it('sends the email after a restart, with the same Message-ID', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'confab-mail-sigkill-'));
    cleanUps.push(() => rmSync(dataDir, { recursive: true, force: true }));
    // The first message is read to its end and never answered (a slow server); later ones are taken.
    const messages: ParsedMail[] = [];
    let taken = 0;
    const smtp = await startSmtp({
      onData(stream, _session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', async () => {
          messages.push(await simpleParser(Buffer.concat(chunks)));
          if (++taken > 1) callback();
        });
      },
    });
    cleanUps.push(() => smtp.close());
    const env = { DATABASE_URL: '', DATA_DIR: dataDir, SMTP_URL: smtp.url, ...MAIL };

    const first = await startServerProcess(env);
    cleanUps.push(() => first.child.kill('SIGKILL'));
    await post(first.url, newThread(), { author: { name: 'Ada', email: 'ada@reader.example' }, notify: true });
    await eventually(() => expect(messages).toHaveLength(1), 10_000);
    const exited = new Promise((resolve) => first.child.once('exit', resolve));
    first.child.kill('SIGKILL');
    await exited;

    // As the killed worker left it: claimed, its lease running. The lease (60 s) is moved into the
    // past, standing in for the minute a restarted server would wait.
    const db = await openDatabase({ dataDir: join(dataDir, 'pgdata') });
    try {
      const { rows } = await db.query(`SELECT type, status, attempts, lease_until FROM outbox WHERE channel = 'email'`);
      expect(rows).toEqual([expect.objectContaining({ type: 'confirm', status: 'pending', attempts: 1 })]);
      expect(rows[0]!.lease_until.getTime()).toBeGreaterThan(Date.now() + 30_000);
      await db.query("UPDATE outbox SET lease_until = now() - interval '1 second'");
    } finally {
      await db.close();
    }

    const second = await startServerProcess(env);
    cleanUps.push(() => second.child.kill('SIGKILL'));
    await eventually(() => expect(messages).toHaveLength(2), 10_000);
    const [held, sent] = messages;
    expect(sent!.messageId).toBe(held!.messageId);
    expect(sent!.to).toEqual(held!.to);
    expect(sent!.text).toMatch(/\/mail\/confirm\//);
    // A normal stop ends the process at once, though the SMTP pool holds a connection open.
    const stopped = new Promise((resolve) => second.child.once('exit', resolve));
    const stopAt = Date.now();
    second.child.kill('SIGTERM');
    expect(await stopped).toBe(0);
    expect(Date.now() - stopAt).toBeLessThan(5_000);
    const after = await openDatabase({ dataDir: join(dataDir, 'pgdata') });
    try {
      const { rows } = await after.query(`SELECT status, attempts FROM outbox WHERE channel = 'email'`);
      expect(rows).toEqual([{ status: 'delivered', attempts: 2 }]);
    } finally {
      await after.close();
    }
  });
});

describe('two instances on one PostgreSQL', () => {
  it('send a burst of 200 reply emails to 200 subscribers, each exactly once', async () => {
    const database = await createTestDatabase();
    cleanUps.push(() => database.drop());
    const smtp = await startSmtp();
    cleanUps.push(() => smtp.close());
    const options = {
      databaseUrl: database.url,
      smtpUrl: smtp.url,
      mailFrom: MAIL.MAIL_FROM,
      publicUrl: MAIL.PUBLIC_URL,
      outbox: { pollMs: 50 },
    };
    const apps: App[] = await Promise.all([start(options), start(options)]);
    cleanUps.push(() => Promise.all(apps.map((app) => app.close())));

    // 200 readers ask for reply emails; their confirmations go out, and they are confirmed (the
    // confirmation link itself is tested in notifications.test.ts).
    const thread = newThread();
    const asked: string[] = [];
    for (let round = 0; round < 10; round++) {
      const comments = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          post(apps[i % 2]!, thread, {
            author: { name: `Reader ${round}-${i}`, email: `reader-${round}-${i}@reader.example` },
            body: `Question ${round}-${i}`,
            notify: true,
          }),
        ),
      );
      asked.push(...comments.map((c) => c.comment.id));
    }
    await eventually(() => expect(smtp.received).toHaveLength(200), 30_000);
    await apps[0]!.db.query('UPDATE mail_subscribers SET confirmed_at = now()');

    // 200 replies, one to each, 20 at a time, alternating between the instances.
    for (let round = 0; round < 10; round++) {
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          post(apps[(i + 1) % 2]!, thread, {
            parentId: asked[round * 20 + i],
            author: { name: 'Answerer' },
            body: `Answer ${round}-${i}`,
          }),
        ),
      );
    }
    await eventually(() => expect(smtp.received.length).toBeGreaterThanOrEqual(400), 30_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const replies = smtp.received.slice(200);
    expect(replies).toHaveLength(200);
    expect(new Set(replies.map((r) => r.mail.messageId)).size).toBe(200);
    // Each reader has the answer to their own question, once.
    const expected = Array.from({ length: 200 }, (_, n) => `reader-${Math.floor(n / 20)}-${n % 20}@reader.example`);
    expect(replies.map((r) => r.envelope.to[0]).sort()).toEqual(expected.sort());
    for (const reply of replies) {
      const [, round, i] = /^reader-(\d+)-(\d+)@/.exec(reply.envelope.to[0]!)!;
      expect(reply.mail.text).toContain(`Answer ${round}-${i}`);
    }
    await eventually(async () => {
      const { rows } = await apps[0]!.db.query(
        `SELECT count(*)::int AS delivered, max(attempts) AS attempts FROM outbox WHERE channel = 'email' AND status = 'delivered'`,
      );
      expect(rows[0]).toEqual({ delivered: 400, attempts: 1 });
    });
  });
});
