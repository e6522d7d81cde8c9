// What the outbox benches share (outbox.mjs: webhooks, mail.mjs: emails): the receiver in a child
// process and its count, timing one server draining a queue, and the databases to run on.
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

/**
 * Starts `script receive` (the bench's receiver) and resolves with its first message (where it
 * listens) and `received()`, how many deliveries it has taken so far.
 * @param {string} script
 */
export async function startReceiver(script) {
  const receiver = fork(script, ['receive']);
  const ready = await new Promise((resolve) => receiver.once('message', resolve));
  const received = () =>
    new Promise((resolve) => {
      receiver.once('message', (message) => resolve(message.received));
      receiver.send('count');
    });
  return { ready, received, stop: () => receiver.kill() };
}

/**
 * Queues `entries` in one transaction and times the server's worker until none is pending;
 * prints a row of the bench's table.
 */
export async function timeDrain({ app, enqueue, entries, received, name }) {
  const before = await received();
  const start = performance.now();
  await app.db.transaction((tx) => enqueue(tx, entries, new Date()));
  for (;;) {
    const { rows } = await app.db.query("SELECT count(*)::int AS left FROM outbox WHERE status = 'pending'");
    if (rows[0].left === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const seconds = (performance.now() - start) / 1000;
  const got = (await received()) - before;
  console.log(`| ${name} | ${entries.length} | ${got} | ${seconds.toFixed(2)} | ${Math.round(entries.length / seconds)} |`);
}

/**
 * `measure(name, where)` on PGlite in a throwaway folder, then (unless `pgliteOnly`) on
 * PostgreSQL: DATABASE_URL, else a throwaway cluster when PostgreSQL is installed.
 */
export async function onEachDatabase(measure, { pgliteOnly = false } = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'confab-outbox-bench-'));
  try {
    await measure('PGlite (on disk)', { dataDir });
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  if (pgliteOnly) return;
  if (process.env.DATABASE_URL) return measure('PostgreSQL (DATABASE_URL)', { databaseUrl: process.env.DATABASE_URL });
  const { findPostgresBin, startThrowawayPostgres } = await import('../../scripts/postgres-for-tests.mjs');
  if (!findPostgresBin()) return;
  const cluster = await startThrowawayPostgres({ durable: true });
  try {
    await measure('PostgreSQL (fsync on)', { databaseUrl: cluster.url });
  } finally {
    cluster.stop();
  }
}
