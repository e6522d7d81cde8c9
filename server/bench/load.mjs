// `npm run load`: requests per second and latency of confab-server, on PGlite and on PostgreSQL:
// reading the first page of a 1,000-comment thread (quiet, and while comments are posted to it),
// the comment counts of 20 threads (a listing page), posting comments, and delivering a new
// comment to 10,000 open event streams. Everything runs on 127.0.0.1, each measurement for
// LOAD_SECONDS (default 10).
//
//   npm run load                                  # PGlite, and PostgreSQL when installed
//   DATABASE_URL=postgres://… npm run load         # PostgreSQL there instead of a throwaway cluster
//   LOAD_SECONDS=30 LOAD_CONNECTIONS=100 npm run load
//   LOAD_SERVER=/elsewhere/demo/server/index.mjs node server/bench/load.mjs   # an older build, the same way
//   LOAD_ONLY=read LOAD_PGLITE_ONLY=1 node server/bench/load.mjs               # just the cached read, quickly
//   LOAD_ONLY=post …                                                            # just the posts
//   LOAD_POSTGRES_ONLY=1 …                                                       # PostgreSQL only
//   LOAD_WEBHOOK=1 …                                                            # with a WEBHOOK_URL (a receiver here)
//   LOAD_MAIL=1 …                                                               # with SMTP_URL (an smtp-server here); every post asks for reply emails
//   LOAD_MAIL=set …                                                             # with SMTP_URL; posts as usual (none asks)
//   LOG_REQUESTS=off LOG_LEVEL=warn …                                           # without request lines, or any info line
//   LOAD_PROFILE=/tmp/prof …                                                     # the server's CPU profile (.cpuprofile) there
//   LOAD_ONLY=post LOAD_STATEMENTS=1 …                                           # PostgreSQL's time per statement (pg_stat_statements)
//
// LOAD_ONLY=post also prints, per round: the posts answered each second and the CPU the rest of
// the machine used in that second, posts/s over the quiet seconds (others under LOAD_QUIET_SECOND,
// default 0.15 of a core), and the CPU each post cost the server and PostgreSQL. Before it: VACUUM
// ANALYZE and a CHECKPOINT of the seed, a wait (up to LOAD_QUIET_WAIT s) for a quiet second, then
// LOAD_POST_WARM_UP (5) s of posts. LOAD_REALTIME=1, as root: under `chrt -f 10` (see needsRealtime).
//
// The server runs in a child process, so that autocannon and the server do not share a thread.
// It logs as in production (LOG_LEVEL info: a JSON line per request), into a file. The rate limit
// is off: one address sends everything. PostgreSQL, when started here, keeps fsync on.
import { execFileSync, fork, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';

const SECONDS = Number(process.env.LOAD_SECONDS || 10);
const CONNECTIONS = Number(process.env.LOAD_CONNECTIONS || 50);
const STREAMS = Number(process.env.LOAD_STREAMS || 10_000);
const WARM_UP_SECONDS = 3;
const QUIET_SECOND = Number(process.env.LOAD_QUIET_SECOND || 0.15);
const POST_WARM_UP_SECONDS = Number(process.env.LOAD_POST_WARM_UP || 5);
const CLOCK_TICKS = existsSync('/proc/stat') ? Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' })) : 100;
const COMMENTS = 1_000;
const PAGE_SIZE = 20;
const COUNTED_THREADS = 20;
const BUSY_POSTS_PER_SECOND = 10;
const STREAM_POSTS = 5;
const SERVER_MODULE = process.env.LOAD_SERVER || fileURLToPath(new URL('../dist/index.js', import.meta.url));

/** The bench's receivers (webhook, SMTP), when LOAD_WEBHOOK or LOAD_MAIL starts them. */
const receivers = { any: false, delivered: () => 0 };

if (process.argv[2] === 'serve') await serve();
else if (needsRealtime()) runRealtime();
else await measureAll();

/**
 * Other work on the machine (builds, browsers, tests) takes the CPU from the server and
 * PostgreSQL whenever they wait a moment, and posts/s moved by ±25% from round to round with it.
 * With LOAD_REALTIME=1, as root on Linux, the bench runs again under `chrt -f 10` (real-time, first
 * in, first out; the server, PostgreSQL and autocannon inherit it): the others wait for it. Asked
 * for, never by default: on a site's own server it would hold up everything else for each round.
 */
function needsRealtime() {
  return (
    process.env.LOAD_REALTIME === '1' &&
    process.env.LOAD_REALTIME_ON !== '1' &&
    process.getuid?.() === 0 &&
    spawnSync('chrt', ['--version']).status === 0
  );
}
function runRealtime() {
  const again = spawnSync('chrt', ['-f', '10', process.execPath, ...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, LOAD_REALTIME_ON: '1' },
  });
  process.exit(again.status ?? 1);
}

/** The child: a server with a generated 1,000-comment thread and 19 small ones; tells the parent where it is. */
async function serve() {
  const server = await import(pathToFileURL(SERVER_MODULE).href);
  // An older build kept insertSeedThread in its comment store and logged through `log`.
  const insertSeedThread =
    server.insertSeedThread ?? (await import(new URL('comment-store.mjs', pathToFileURL(SERVER_MODULE)).href)).insertSeedThread;
  const logFile = join(process.env.LOAD_LOG_DIR ?? tmpdir(), 'server.log');
  const logger = server.createLogger?.({
    level: process.env.LOG_LEVEL || 'info',
    destination: server.bufferedDestination(logFile),
  });
  const app = await server.startServer({
    dataDir: process.env.LOAD_DATA_DIR || undefined,
    databaseUrl: process.env.LOAD_DATABASE_URL || undefined,
    rateLimit: { burst: 0, perMinute: 0 },
    // Every stream of the fan-out comes from one address: the cap raised to let them all in.
    maxStreamsPerClient: STREAMS,
    logger,
    logRequests: process.env.LOG_REQUESTS !== 'off',
    ...(process.env.LOAD_SMTP_URL
      ? { smtpUrl: process.env.LOAD_SMTP_URL, mailFrom: 'Load <load@load.example>', publicUrl: 'http://127.0.0.1:9' }
      : {}),
    ...(process.env.LOAD_OUTBOX ? { outbox: JSON.parse(process.env.LOAD_OUTBOX) } : {}),
    ...(process.env.LOAD_WEBHOOK_URL ? { webhookUrls: [process.env.LOAD_WEBHOOK_URL], webhookSecret: 'load-'.repeat(8) } : {}),
  });
  const stamp = Date.now();
  const read = generateThread(`load-read-${stamp}`, COMMENTS);
  await app.db.transaction((tx) => insertSeedThread(tx, read));
  const counted = [read.thread.id];
  for (let i = 1; i < COUNTED_THREADS; i++) {
    const small = generateThread(`load-count-${stamp}-${i}`, 4 * (1 + (i % 5)));
    await app.db.transaction((tx) => insertSeedThread(tx, small));
    counted.push(small.thread.id);
  }
  // Before a timed window (LOAD_ONLY=post): the seeding's dirty pages written and the tables'
  // statistics fresh, so that no checkpoint or autovacuum of the seed lands in the window.
  process.on('message', (message) => {
    if (message === 'statements') {
      void reportStatements(app.db).then((lines) => process.send({ statements: lines }));
      return;
    }
    if (message !== 'settle') return;
    app.db
      .exec('VACUUM ANALYZE')
      .then(() => app.db.exec('CHECKPOINT'))
      .then(() => (process.env.LOAD_STATEMENTS === '1' ? app.db.exec('CREATE EXTENSION IF NOT EXISTS pg_stat_statements') : null))
      .then(() => process.send('settled'));
  });
  process.send({ url: app.url, readThread: read.thread.id, countedThreads: counted });
  // Should the parent die without stopping this child, the server must not outlive it.
  process.on('disconnect', () => app.close().finally(() => process.exit(0)));
}

/**
 * Top-level comments, each with a reply, a reply to that reply, and a second reply: a first page
 * of 20 top-level comments of the 1,000-comment thread carries 80 comments.
 * @param {string} id @param {number} size
 */
function generateThread(id, size) {
  const words = 'the of and a to in is you that it he was for on are as with his they at be this from have or';
  const vocabulary = words.split(' ');
  const start = Date.parse('2024-01-01T00:00:00Z');
  const comments = [];
  /** @param {string | null} parentId */
  const add = (parentId) => {
    const n = comments.length;
    const length = 20 + ((n * 37) % 60);
    comments.push({
      id: `${id}-g${n}`,
      parentId,
      author: { name: `Reader ${n % 97}`, url: n % 5 === 0 ? `https://reader${n}.example` : null, avatarUrl: null },
      body: Array.from({ length }, (_, i) => vocabulary[(n + i * 7) % vocabulary.length]).join(' '),
      createdAt: new Date(start + n * 60_000).toISOString(),
      score: (n * 13) % 17,
    });
    return `${id}-g${n}`;
  };
  while (comments.length < size) {
    const root = add(null);
    const reply = add(root);
    add(reply);
    add(root);
  }
  return { thread: { id, title: `A thread of ${size} comments`, url: null, locked: false }, comments };
}

/** @param {string} name @param {Record<string, string>} env */
async function measureBackend(name, env) {
  const logDir = mkdtempSync(join(tmpdir(), 'confab-load-log-'));
  const child = fork(fileURLToPath(import.meta.url), ['serve'], {
    env: { ...process.env, ...env, LOAD_LOG_DIR: logDir },
    execArgv: process.env.LOAD_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.LOAD_PROFILE}`] : [],
  });
  try {
    const { url, readThread, countedThreads } = await new Promise((resolve, reject) => {
      child.once('message', resolve);
      child.once('exit', (code) => reject(new Error(`The ${name} server exited (${code})`)));
    });
    const { default: autocannon } = await import('autocannon');
    const readPage = { url: `${url}/api/threads/${readThread}/comments?limit=${PAGE_SIZE}` };
    const readCounts = { url: `${url}/api/counts?${countedThreads.map((t) => `thread=${encodeURIComponent(t)}`).join('&')}` };
    /** @param {string} thread */
    const postComments = (thread) => ({
      url: `${url}/api/threads/${thread}/comments`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        parentId: null,
        author: { name: 'Load Test', url: 'https://load.example' },
        body: 'A comment of a realistic length, with a link to https://example.com and a few **bold** words.',
      }),
      // A fresh Idempotency-Key for each post, as the widget sends, and a body of its own: the
      // same body again from one address within 10 minutes is refused as a duplicate (409).
      requests: [
        {
          setupRequest: (request) => {
            const key = randomUUID();
            const body = JSON.parse(request.body);
            // With mail, each post is a new reader asking for reply emails: a subscriber and a
            // confirmation email each, the dearest post there is.
            const mail =
              process.env.LOAD_SMTP_URL && process.env.LOAD_MAIL !== 'set'
                ? { notify: true, author: { ...body.author, email: `${key.slice(0, 12)}@load.example` } }
                : {};
            return {
              ...request,
              headers: { ...request.headers, 'idempotency-key': key },
              body: JSON.stringify({ ...body, ...mail, body: `${body.body} (${key.slice(0, 8)})` }),
            };
          },
        },
      ],
    });

    const run = (options) => autocannon({ connections: CONNECTIONS, duration: SECONDS, ...options });
    if (process.env.LOAD_ONLY === 'post') {
      const before = receivers.delivered();
      // The seed written out first (a checkpoint makes the next write of each page a full-page
      // image in the WAL: the warm-up pays for that, not the window), then the warm-up, on a
      // machine others have left quiet.
      await childSays(child, 'settle');
      await waitForQuiet(name);
      await run({ ...postComments('load-warm-up'), duration: POST_WARM_UP_SECONDS });
      // What each post cost in CPU, the server's and the database's, and what else ran on the
      // machine meanwhile: posts/s on a shared 2-core machine moves with the others' work.
      const statements = process.env.LOAD_STATEMENTS === '1' && env.LOAD_DATABASE_URL;
      if (statements) await childSays(child, 'statements'); // resets the counts
      const snapshot = () => cpuSnapshot(child.pid, env.LOAD_POSTMASTER_PID);
      const cpuBefore = snapshot();
      // Each second: posts answered, and the CPU the rest of the machine used meanwhile.
      const seconds = [];
      let last = cpuBefore;
      const instance = run(postComments(`load-post-${Date.now()}`));
      instance.on('tick', ({ counter }) => {
        const now = snapshot();
        seconds.push({ posts: counter, others: cpuUsed(last, now).others });
        last = now;
      });
      const posts = await instance;
      const cpu = cpuUsed(cpuBefore, snapshot());
      const total = posts.requests.total;
      const ms = (used) => ((used * 1000) / total).toFixed(2);
      // Seconds the others left quiet (under QUIET_SECOND of a core), the first (connections
      // opening) and a last partial one left out: posts/s over those alone.
      const quiet = seconds.slice(1, SECONDS).filter((second) => second.others < QUIET_SECOND);
      const quietRate = quiet.length > 0 ? Math.round(quiet.reduce((sum, second) => sum + second.posts, 0) / quiet.length) : '-';
      console.log(
        `${name}: ${total} posts; per second ${seconds.map((second) => second.posts).join(' ')};` +
          ` others' CPU per second ${seconds.map((second) => second.others.toFixed(2)).join(' ')}\n` +
          `${name}: posts/s over the ${quiet.length} quiet seconds: ${quietRate}; CPU per post: server ${ms(cpu.server)} ms` +
          (cpu.postgres === null ? '' : `, PostgreSQL ${ms(cpu.postgres)} ms`) +
          `, load ${ms(cpu.load)} ms; the rest of the machine ${Math.round((cpu.others / cpu.wall) * 100)}% of a core` +
          ` (of ${cpus().length}); load average ${loadavg()[0].toFixed(2)}`,
      );
      if (statements) {
        const { statements: rows } = await childSays(child, 'statements');
        const lines = rows.map(
          (statement) =>
            `  ${((statement.ms * 1000) / total).toFixed(0).padStart(5)} µs ${(statement.calls / total).toFixed(2)} calls ` +
            statement.query.replace(/\s+/g, ' ').slice(0, 110),
        );
        console.log(`${name}: time in PostgreSQL per post (pg_stat_statements), the window's statements:\n${lines.join('\n')}`);
      }
      if (receivers.any) await reportDrain(name, before);
      return [row(name, 'post a comment', posts)];
    }
    // Unmeasured first runs: code paths compiled, caches filled, connections made.
    await run({ ...readPage, duration: WARM_UP_SECONDS });
    const read = await run(readPage);
    const page = `the first page (${PAGE_SIZE} of ${COMMENTS / 4} top-level, 80 comments)`;
    if (process.env.LOAD_ONLY === 'read') return [row(name, `read ${page}`, read)];
    // A busy thread: every post drops the cached pages, so some reads query the database.
    const [busyRead] = await Promise.all([
      run(readPage),
      run({ ...postComments(readThread), connections: 1, overallRate: BUSY_POSTS_PER_SECOND }),
    ]);
    await run({ ...readCounts, duration: WARM_UP_SECONDS });
    const counts = await run(readCounts);
    const [busyCounts] = await Promise.all([
      run(readCounts),
      run({ ...postComments(countedThreads[1]), connections: 1, overallRate: BUSY_POSTS_PER_SECOND }),
    ]);
    await run({ ...postComments('load-warm-up'), duration: WARM_UP_SECONDS });
    const post = await run(postComments(`load-post-${Date.now()}`));
    const fanOut = await measureFanOut(name, url, `load-streams-${Date.now()}`);
    return [
      row(name, `read ${page}`, read),
      row(name, `read it while ${BUSY_POSTS_PER_SECOND} comments/s are posted to the thread`, busyRead),
      row(name, `counts of ${COUNTED_THREADS} threads`, counts),
      row(name, `counts while ${BUSY_POSTS_PER_SECOND} comments/s are posted to one of them`, busyCounts),
      row(name, 'post a comment', post),
      fanOut,
    ];
  } finally {
    // A profiled child must exit on its own for its profile to be written.
    if (process.env.LOAD_PROFILE) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.disconnect();
      await exited;
    } else child.kill('SIGTERM');
    rmSync(logDir, { recursive: true, force: true });
  }
}

/**
 * Opens STREAMS event streams on one thread, then posts STREAM_POSTS comments one after another
 * and times, for each stream, from sending the post until the comment's event arrived.
 * @param {string} name @param {string} url @param {string} thread
 */
async function measureFanOut(name, url, thread) {
  const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
  const streams = [];
  let arrivals = [];
  let connected = 0;
  const open = () =>
    new Promise((resolve, reject) => {
      const req = http.get(`${url}/api/threads/${thread}/events`, { agent }, (res) => {
        if (res.statusCode !== 200) reject(new Error(`stream answered ${res.statusCode}`));
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          if (chunk.includes(': connected')) {
            connected += 1;
            resolve();
          }
          if (chunk.includes('event: comment.created')) arrivals.push(performance.now());
        });
      });
      req.on('error', reject);
      streams.push(req);
    });
  try {
    for (let i = 0; i < STREAMS; i += 500) await Promise.all(Array.from({ length: Math.min(500, STREAMS - i) }, open));
    if (connected !== STREAMS) throw new Error(`${connected} of ${STREAMS} streams connected`);
    const latencies = [];
    for (let n = 0; n < STREAM_POSTS; n++) {
      arrivals = [];
      const sent = performance.now();
      const answer = await fetch(`${url}/api/threads/${thread}/comments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ body: `Fan-out ${n}` }),
      });
      if (answer.status !== 201) throw new Error(`post answered ${answer.status}`);
      const deadline = performance.now() + 10_000;
      while (arrivals.length < STREAMS && performance.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      if (arrivals.length < STREAMS) throw new Error(`${arrivals.length} of ${STREAMS} streams got comment ${n}`);
      latencies.push(...arrivals.map((at) => at - sent));
      await new Promise((r) => setTimeout(r, 200));
    }
    latencies.sort((a, b) => a - b);
    const at = (q) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]);
    const cells = [
      name,
      `deliver a new comment to ${STREAMS.toLocaleString('en')} open event streams (${STREAM_POSTS} posts)`,
      '',
      at(0.5),
      at(0.99),
      0,
    ];
    return `| ${cells.join(' | ')} |`;
  } finally {
    for (const req of streams) req.destroy();
    agent.destroy();
  }
}

/**
 * Waits (up to LOAD_QUIET_WAIT seconds, default 120) for a second in which the whole machine used
 * less than LOAD_QUIET (default 0.2) of a core: the server is idle then, so this is the others'
 * work (builds, browsers), which takes the CPU from the server and PostgreSQL in the window.
 */
async function waitForQuiet(name) {
  const limit = Number(process.env.LOAD_QUIET ?? 0.2);
  const deadline = performance.now() + Number(process.env.LOAD_QUIET_WAIT ?? 120) * 1000;
  if (!existsSync('/proc/stat') || limit <= 0) return;
  for (;;) {
    const before = cpuSnapshot(process.pid, null).machine;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const busy = cpuSnapshot(process.pid, null).machine - before;
    if (busy < limit) return;
    if (performance.now() > deadline) {
      console.log(`${name}: the machine never went quiet (last second ${busy.toFixed(2)} of a core busy); measured anyway`);
      return;
    }
  }
}

/** Asks the server's process something (`message`) and waits for its answer. */
function childSays(child, message) {
  return new Promise((resolve) => {
    child.once('message', resolve);
    child.send(message);
  });
}

/** The costliest statements since the last call (by total execution time), then counts reset. */
async function reportStatements(db) {
  const { rows } = await db.query(
    `SELECT query, calls, total_exec_time AS ms FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 14`,
  );
  await db.query('SELECT pg_stat_statements_reset()');
  return rows.map((row) => ({ query: row.query, calls: Number(row.calls), ms: Number(row.ms) }));
}

/** CPU seconds (user + system) of a process from /proc; with `children`, also of its reaped children. */
function processCpu(pid, children = false) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]) + (children ? Number(fields[13]) + Number(fields[14]) : 0);
  return ticks / CLOCK_TICKS;
}

/**
 * CPU used so far by the server (its process), by PostgreSQL (the postmaster, its live children
 * and those it reaped), by this process (autocannon, the receivers), and by the whole machine
 * (/proc/stat: all but idle and iowait). Linux only; elsewhere zeros.
 */
function cpuSnapshot(serverPid, postmasterPid) {
  if (!existsSync('/proc/stat')) return { server: 0, postgres: null, load: 0, machine: 0, at: performance.now() };
  let postgres = null;
  if (postmasterPid) {
    postgres = processCpu(postmasterPid, true);
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        const ppid = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1];
        if (ppid === String(postmasterPid)) postgres += processCpu(entry);
      } catch {
        // gone meanwhile: its time is in the postmaster's reaped children
      }
    }
  }
  const [, ...jiffies] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
  const idle = jiffies[3] + jiffies[4];
  const machine = (jiffies.slice(0, 8).reduce((a, b) => a + b, 0) - idle) / CLOCK_TICKS;
  const own = process.cpuUsage();
  return { server: processCpu(serverPid), postgres, load: (own.user + own.system) / 1e6, machine, at: performance.now() };
}

function cpuUsed(before, after) {
  const used = {
    server: after.server - before.server,
    postgres: after.postgres === null ? null : after.postgres - before.postgres,
    load: after.load - before.load,
    wall: (after.at - before.at) / 1000,
  };
  const ours = used.server + (used.postgres ?? 0) + used.load;
  return { ...used, others: Math.max(0, after.machine - before.machine - ours) };
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
  console.log(`autocannon: ${CONNECTIONS} connections, ${SECONDS} s per row, 127.0.0.1; server: ${SERVER_MODULE}`);
  const realtime = process.env.LOAD_REALTIME_ON === '1';
  console.log(realtime ? 'real-time priority (chrt -f 10)\n' : "normal priority: rounds move with the machine's other work\n");
  const rows = ['| database | request | req/s | p50 ms | p99 ms | errors |', '|---|---|---|---|---|---|'];
  const webhook = process.env.LOAD_WEBHOOK === '1' ? await startReceiver() : null;
  if (webhook) process.env.LOAD_WEBHOOK_URL = webhook.url;
  const smtp = process.env.LOAD_MAIL === '1' || process.env.LOAD_MAIL === 'set' ? await startSmtpReceiver() : null;
  if (smtp) process.env.LOAD_SMTP_URL = smtp.url;
  receivers.any = Boolean(webhook || smtp);
  receivers.delivered = () => (webhook?.received() ?? 0) + (smtp?.received() ?? 0);

  if (process.env.LOAD_POSTGRES_ONLY !== '1') {
    const dataDir = mkdtempSync(join(tmpdir(), 'confab-load-'));
    try {
      rows.push(...(await measureBackend('PGlite (on disk)', { LOAD_DATA_DIR: dataDir })));
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }

  if (process.env.LOAD_PGLITE_ONLY !== '1') {
    const postgres = await postgresForLoad();
    if (postgres) {
      try {
        const postmaster = postgres.dataDir ? readFileSync(join(postgres.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0] : '';
        rows.push(...(await measureBackend(postgres.name, { LOAD_DATABASE_URL: postgres.url, LOAD_POSTMASTER_PID: postmaster })));
      } finally {
        postgres.stop();
      }
    }
  }
  console.log(rows.join('\n'));
  if (webhook) {
    console.log(`\nwebhook deliveries received: ${webhook.received()}`);
    webhook.close();
  }
  if (smtp) {
    console.log(`\nemails received: ${smtp.received()}`);
    await smtp.close();
  }
}

/** An SMTP server on 127.0.0.1 (smtp-server) that takes every message and counts. */
async function startSmtpReceiver() {
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
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address();
  return {
    url: `smtp://127.0.0.1:${port}`,
    received: () => received,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/**
 * After the posts: how many notifications had arrived when the load stopped, and how long the
 * rest took to arrive (deliveries wait while the server is busy, then catch up), until none
 * came for 2 s. Printed, not tabled.
 */
async function reportDrain(name, before) {
  const stoppedAt = performance.now();
  const atStop = receivers.delivered() - before;
  let last = receivers.delivered();
  let lastAt = stoppedAt;
  while (performance.now() - lastAt < 2_000 && performance.now() - stoppedAt < 120_000) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const now = receivers.delivered();
    if (now !== last) [last, lastAt] = [now, performance.now()];
  }
  const seconds = ((lastAt - stoppedAt) / 1000).toFixed(1);
  console.log(`${name}: ${atStop} notifications had arrived when the posts stopped; all ${last - before} ${seconds} s later`);
}

/** A webhook receiver on 127.0.0.1 that answers 204 to everything and counts. */
async function startReceiver() {
  let received = 0;
  const server = http.createServer((req, res) => {
    req.resume().on('end', () => {
      received += 1;
      res.writeHead(204).end();
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  return { url: `http://127.0.0.1:${port}/hook`, received: () => received, close: () => server.close() };
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
  const statements = process.env.LOAD_STATEMENTS === '1' ? ['shared_preload_libraries=pg_stat_statements'] : [];
  const cluster = await startThrowawayPostgres({ durable: true, settings: statements });
  return { name: `PostgreSQL ${bin.split('/').at(-2)}`, ...cluster };
}
