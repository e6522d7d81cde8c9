// `npm run load`: requests per second and latency of the reference server, on PGlite and on
// PostgreSQL, for reading the first page of a 1,000-comment thread (quiet, and while comments
// are posted to it) and for posting comments.
// Everything runs on 127.0.0.1, each measurement for LOAD_SECONDS (default 10).
//
//   npm run load                                  # PGlite, and PostgreSQL when installed
//   DATABASE_URL=postgres://… npm run load         # PostgreSQL there instead of a throwaway cluster
//   LOAD_SECONDS=30 LOAD_CONNECTIONS=100 npm run load
//
// The server runs in a child process, so that autocannon and the server do not share a thread.
// The rate limit is off: one address sends everything. PostgreSQL, when started here, keeps
// fsync on, as in production.
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SECONDS = Number(process.env.LOAD_SECONDS || 10);
const CONNECTIONS = Number(process.env.LOAD_CONNECTIONS || 50);
const WARM_UP_SECONDS = 3;
const COMMENTS = 1_000;
const PAGE_SIZE = 20;
const BUSY_POSTS_PER_SECOND = 10;

if (process.argv[2] === 'serve') await serve();
else await measureAll();

/** The child: a server with a generated 1,000-comment thread; tells the parent where it is. */
async function serve() {
  const { startServer } = await import('./index.mjs');
  const { insertSeedThread } = await import('./comment-store.mjs');
  const app = await startServer({
    dataDir: process.env.LOAD_DATA_DIR || undefined,
    databaseUrl: process.env.LOAD_DATABASE_URL || undefined,
    rateLimit: { burst: 0, perMinute: 0 },
  });
  const thread = generateThread(`load-read-${Date.now()}`);
  await app.db.transaction((tx) => insertSeedThread(tx, thread));
  /** @type {NonNullable<typeof process.send>} */ (process.send)({ url: app.url, readThread: thread.thread.id });
  // Should the parent die without stopping this child, the server must not outlive it.
  process.on('disconnect', () => app.close().finally(() => process.exit(0)));
}

/**
 * 250 top-level comments, each with a reply, a reply to that reply, and a second reply: a first
 * page of 20 top-level comments carries 80 comments.
 * @param {string} id @returns {import('./comment-store.mjs').SeedThread}
 */
function generateThread(id) {
  const words = 'the of and a to in is you that it he was for on are as with his they at be this from have or';
  const vocabulary = words.split(' ');
  const start = Date.parse('2024-01-01T00:00:00Z');
  /** @type {Array<Partial<import('./comment-store.mjs').Comment>>} */
  const comments = [];
  /** @param {string | null} parentId */
  const add = (parentId) => {
    const n = comments.length;
    const length = 20 + ((n * 37) % 60);
    comments.push({
      id: `g${n}`,
      parentId,
      author: { name: `Reader ${n % 97}`, url: n % 5 === 0 ? `https://reader${n}.example` : null, avatarUrl: null },
      body: Array.from({ length }, (_, i) => vocabulary[(n + i * 7) % vocabulary.length]).join(' '),
      createdAt: new Date(start + n * 60_000).toISOString(),
      score: (n * 13) % 17,
    });
    return `g${n}`;
  };
  while (comments.length < COMMENTS) {
    const root = add(null);
    const reply = add(root);
    add(reply);
    add(root);
  }
  return { thread: { id, title: 'A thread of 1,000 comments', url: null, locked: false }, comments };
}

/**
 * @param {string} name
 * @param {{ LOAD_DATA_DIR?: string, LOAD_DATABASE_URL?: string }} env
 */
async function measureBackend(name, env) {
  const child = fork(fileURLToPath(import.meta.url), ['serve'], { env: { ...process.env, ...env } });
  try {
    const { url, readThread } = await new Promise((resolve, reject) => {
      child.once('message', resolve);
      child.once('exit', (code) => reject(new Error(`The ${name} server exited (${code})`)));
    });
    const { default: autocannon } = await import('autocannon');
    const readPage = { url: `${url}/api/threads/${readThread}/comments?limit=${PAGE_SIZE}` };
    /** @param {string} thread @returns {import('autocannon').Options} */
    const postComments = (thread) => ({
      url: `${url}/api/threads/${thread}/comments`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        parentId: null,
        author: { name: 'Load Test', url: 'https://load.example' },
        body: 'A comment of a realistic length, with a link to https://example.com and a few **bold** words.',
      }),
      // A fresh Idempotency-Key for each post, as the widget sends.
      requests: [
        { setupRequest: (request) => ({ ...request, headers: { ...request.headers, 'idempotency-key': randomUUID() } }) },
      ],
    });

    /** @param {import('autocannon').Options} options */
    const run = (options) => autocannon({ connections: CONNECTIONS, duration: SECONDS, ...options });
    // Unmeasured first runs: code paths compiled, caches filled, connections made.
    await run({ ...readPage, duration: WARM_UP_SECONDS });
    const read = await run(readPage);
    // A busy thread: every post drops the cached pages, so some reads query the database.
    const [busyRead] = await Promise.all([
      run(readPage),
      run({ ...postComments(readThread), connections: 1, overallRate: BUSY_POSTS_PER_SECOND }),
    ]);
    await run({ ...postComments('load-warm-up'), duration: WARM_UP_SECONDS });
    const post = await run(postComments(`load-post-${Date.now()}`));
    const page = `the first page (${PAGE_SIZE} of ${COMMENTS / 4} top-level, 80 comments)`;
    return [
      row(name, `read ${page}`, read),
      row(name, `read it while ${BUSY_POSTS_PER_SECOND} comments/s are posted to the thread`, busyRead),
      row(name, 'post a comment', post),
    ];
  } finally {
    child.kill('SIGTERM');
  }
}

/** @param {string} backend @param {string} scenario @param {import('autocannon').Result} result */
function row(backend, scenario, result) {
  const failures = result.errors + result.timeouts + result.non2xx;
  const cells = [backend, scenario, Math.round(result.requests.average), result.latency.p50, result.latency.p99, failures];
  return `| ${cells.join(' | ')} |`;
}

async function measureAll() {
  const cpu = cpus();
  const date = new Date().toISOString().slice(0, 10);
  console.log(`${date}, Node ${process.version}, ${cpu.length} × ${cpu[0]?.model ?? 'CPU'}`);
  console.log(`autocannon: ${CONNECTIONS} connections, ${SECONDS} s per row, 127.0.0.1\n`);
  const rows = [
    '| database | request | req/s | p50 ms | p99 ms | errors |',
    '|---|---|---|---|---|---|',
  ];

  const dataDir = mkdtempSync(join(tmpdir(), 'confab-load-'));
  try {
    rows.push(...(await measureBackend('PGlite (on disk)', { LOAD_DATA_DIR: dataDir })));
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }

  const postgres = await postgresForLoad();
  if (postgres) {
    try {
      rows.push(...(await measureBackend(postgres.name, { LOAD_DATABASE_URL: postgres.url })));
    } finally {
      postgres.stop();
    }
  }
  console.log(rows.join('\n'));
}

/** DATABASE_URL, or a throwaway cluster (fsync on) when Debian's postgresql is installed. */
async function postgresForLoad() {
  if (process.env.DATABASE_URL) return { name: 'PostgreSQL (DATABASE_URL)', url: process.env.DATABASE_URL, stop() {} };
  const { findPostgresBin, startThrowawayPostgres } = await import('../../scripts/postgres-for-tests.mjs');
  const bin = findPostgresBin();
  if (!bin) {
    console.log('PostgreSQL not measured: install it with apt-get install -y postgresql, or set DATABASE_URL\n');
    return null;
  }
  const cluster = await startThrowawayPostgres({ durable: true });
  return { name: `PostgreSQL ${bin.split('/').at(-2)}`, ...cluster };
}
