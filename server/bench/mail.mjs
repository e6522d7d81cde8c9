// How fast the outbox's worker sends reply emails: MAIL_ROWS replies (default 2,000), each to its
// own confirmed subscriber (so the hourly cap never applies), queued in one transaction and sent
// by one server to an SMTP server (smtp-server) in another process on 127.0.0.1 that takes every
// message; each email read from the database, rendered and sent as the server does it for real.
// On PGlite (on disk) and on PostgreSQL (DATABASE_URL, or a throwaway cluster).
//
//   npm run build -w confab-server && node server/bench/mail.mjs
//   MAIL_ROWS=5000 MAIL_PGLITE_ONLY=1 node server/bench/mail.mjs
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { onEachDatabase, startReceiver, timeDrain } from './drain.mjs';

const ROWS = Number(process.env.MAIL_ROWS || 2_000);

if (process.argv[2] === 'receive') {
  const { SMTPServer } = await import('smtp-server');
  let received = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      stream.resume().on('end', () => {
        received += 1;
        callback();
      });
    },
  });
  server.listen(0, '127.0.0.1', () => process.send?.({ port: server.server.address().port }));
  process.on('message', () => process.send?.({ received }));
} else {
  const { createLogger, startServer } = await import('../dist/index.js');
  const { enqueue } = await import('../dist/outbox.js');
  const receiver = await startReceiver(fileURLToPath(import.meta.url));
  const smtpPort = receiver.ready.port;
  const freePort = async () => {
    const probe = createServer();
    await new Promise((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address();
    await new Promise((resolve) => probe.close(resolve));
    return port;
  };

  /** @param {string} name @param {{ dataDir?: string, databaseUrl?: string }} where */
  const measure = async (name, where) => {
    const port = await freePort();
    const app = await startServer({
      ...where,
      port,
      publicUrl: `http://127.0.0.1:${port}`,
      smtpUrl: `smtp://127.0.0.1:${smtpPort}`,
      mailFrom: 'Confab bench <bench@example.com>',
      logger: createLogger({ level: 'warn' }),
    });
    try {
      // Subscribers, their comments and the replies, written as the server writes them.
      await app.db.transaction(async (tx) => {
        await tx.query(`INSERT INTO threads (id, title, url) VALUES ('bench', 'Bench', 'https://example.com/bench')`);
        await tx.query(
          `INSERT INTO mail_subscribers (id, email, email_hash, locale, created_at, confirmed_at)
           SELECT 's' || n, 'reader' || n || '@example.com', 'h' || n, 'en', now(), now() FROM generate_series(1, $1) n`,
          [ROWS],
        );
        await tx.query(
          `INSERT INTO comments (id, thread_id, root_id, author_name, body, created_at)
           SELECT 'p' || n, 'bench', 'p' || n, 'Reader ' || n, 'A comment worth answering.', now() FROM generate_series(1, $1) n`,
          [ROWS],
        );
        await tx.query(
          `INSERT INTO comments (id, thread_id, parent_id, root_id, author_name, body, created_at)
           SELECT 'r' || n, 'bench', 'p' || n, 'p' || n, 'Someone', repeat('An answer. ', 30), now() FROM generate_series(1, $1) n`,
          [ROWS],
        );
        await tx.query(
          `INSERT INTO reply_subscriptions (comment_id, subscriber_id, thread_id)
           SELECT 'p' || n, 's' || n, 'bench' FROM generate_series(1, $1) n`,
          [ROWS],
        );
      });
      const entries = Array.from({ length: ROWS }, (_, i) => ({
        channel: 'email',
        target: `s${i + 1}`,
        type: 'reply',
        payload: { subscriberId: `s${i + 1}`, replyId: `r${i + 1}`, threadId: 'bench' },
      }));
      await timeDrain({ app, enqueue, entries, received: receiver.received, name });
    } finally {
      await app.close();
    }
  };

  console.log('| database | queued | received | seconds | emails/s |\n|---|---|---|---|---|');
  await onEachDatabase(measure, { pgliteOnly: process.env.MAIL_PGLITE_ONLY === '1' });
  receiver.stop();
}
