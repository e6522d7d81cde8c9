// How fast the outbox's worker delivers: OUTBOX_ROWS webhooks (default 2,000) queued in one
// transaction, drained by one server to a receiver in another process on 127.0.0.1 that answers
// 204 at once; on PGlite (on disk) and on PostgreSQL (DATABASE_URL, or a throwaway cluster).
//
//   npm run build -w confab-server && node server/bench/outbox.mjs
//   OUTBOX_ROWS=10000 OUTBOX_PGLITE_ONLY=1 node server/bench/outbox.mjs
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { onEachDatabase, startReceiver, timeDrain } from './drain.mjs';

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
  const receiver = await startReceiver(fileURLToPath(import.meta.url));
  const url = `http://127.0.0.1:${receiver.ready.port}/hook`;

  /** @param {string} name @param {{ dataDir?: string, databaseUrl?: string }} where */
  const measure = async (name, where) => {
    const app = await startServer({
      ...where,
      webhookUrls: [url],
      webhookSecret: 'outbox-bench-secret-0123456789abcdef',
      logger: createLogger({ level: 'warn' }),
    });
    try {
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
      await timeDrain({ app, enqueue, entries, received: receiver.received, name });
    } finally {
      await app.close();
    }
  };

  console.log('| database | queued | received | seconds | webhooks/s |\n|---|---|---|---|---|');
  await onEachDatabase(measure, { pgliteOnly: process.env.OUTBOX_PGLITE_ONLY === '1' });
  receiver.stop();
}
