// How fast the outbox's worker delivers: OUTBOX_ROWS webhooks (default 2,000) queued in one
// transaction, drained by one server to a receiver in another process on 127.0.0.1 that answers
// 204 at once; on PGlite (on disk) and on PostgreSQL (DATABASE_URL, or a throwaway cluster).
//
//   npm run build -w confab-server && node server/bench/outbox.mjs
//   OUTBOX_ROWS=10000 OUTBOX_PGLITE_ONLY=1 node server/bench/outbox.mjs
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const ROWS = Number(process.env.OUTBOX_ROWS || 2_000);

if (process.argv[2] === 'receive') {
  let received = 0;
  const server = http.createServer((req, res) => {
    req.resume().on('end', () => {
      received += 1;
      res.writeHead(204).end();
    });
  });
  server.listen(0, '127.0.0.1', () =>
    process.send?.({ port: /** @type {import('node:net').AddressInfo} */ (server.address()).port }),
  );
  process.on('message', () => process.send?.({ received }));
} else {
  const { createLogger, startServer } = await import('../dist/index.js');
  const { enqueue } = await import('../dist/outbox.js');
  const receiver = fork(fileURLToPath(import.meta.url), ['receive']);
  const { port } = await new Promise((resolve) => receiver.once('message', resolve));
  const url = `http://127.0.0.1:${port}/hook`;
  const received = () =>
    new Promise((resolve) => {
      receiver.once('message', (message) => resolve(message.received));
      receiver.send('count');
    });

  /** @param {string} name @param {{ dataDir?: string, databaseUrl?: string }} where */
  const measure = async (name, where) => {
    const app = await startServer({
      ...where,
      webhookUrls: [url],
      webhookSecret: 'outbox-bench-secret-0123456789abcdef',
      logger: createLogger({ level: 'warn' }),
    });
    try {
      const before = await received();
      const payload = (i) => ({
        type: 'comment.created',
        createdAt: new Date().toISOString(),
        data: { thread: { id: 'bench', title: 'Bench', url: null }, comment: { id: `c${i}`, body: 'x'.repeat(300) } },
      });
      const entries = Array.from({ length: ROWS }, (_, i) => ({
        channel: 'webhook',
        target: url,
        type: 'comment.created',
        payload: payload(i),
      }));
      const start = performance.now();
      await app.db.transaction((tx) => enqueue(tx, entries, new Date()));
      for (;;) {
        const { rows } = await app.db.query("SELECT count(*)::int AS left FROM outbox WHERE status = 'pending'");
        if (rows[0].left === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const seconds = (performance.now() - start) / 1000;
      const got = (await received()) - before;
      console.log(`| ${name} | ${ROWS} | ${got} | ${seconds.toFixed(2)} | ${Math.round(ROWS / seconds)} |`);
    } finally {
      await app.close();
    }
  };

  console.log('| database | queued | received | seconds | webhooks/s |\n|---|---|---|---|---|');
  const dataDir = mkdtempSync(join(tmpdir(), 'confab-outbox-bench-'));
  try {
    await measure('PGlite (on disk)', { dataDir });
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  if (process.env.OUTBOX_PGLITE_ONLY !== '1') {
    if (process.env.DATABASE_URL) await measure('PostgreSQL (DATABASE_URL)', { databaseUrl: process.env.DATABASE_URL });
    else {
      const { findPostgresBin, startThrowawayPostgres } = await import('../../scripts/postgres-for-tests.mjs');
      if (findPostgresBin()) {
        const cluster = await startThrowawayPostgres({ durable: true });
        try {
          await measure('PostgreSQL (fsync on)', { databaseUrl: cluster.url });
        } finally {
          cluster.stop();
        }
      }
    }
  }
  receiver.kill();
}
