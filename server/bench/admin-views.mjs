// `node server/bench/admin-views.mjs`: how fast the moderation dashboard's reads answer with
// 100,000 comments in the database (issue 15: Pending and All under 50 ms of server time).
// Comments are spread over 1,000 threads: 2% pending, 1% spam, 0.5% reported, 60% with an email.
// Each read is asked ADMIN_ROUNDS times (default 200) after a warm-up, one at a time, over
// HTTP on 127.0.0.1; the figures are each answer's full time as the client sees it.
//
//   npm run build -w confab-server && node server/bench/admin-views.mjs
//   ADMIN_COMMENTS=1000000 node server/bench/admin-views.mjs
//   DATABASE_URL=postgres://… node server/bench/admin-views.mjs   # PostgreSQL instead of PGlite (its data is added to)
import { performance } from 'node:perf_hooks';

const COMMENTS = Number(process.env.ADMIN_COMMENTS || 100_000);
const THREADS = 1_000;
const ROUNDS = Number(process.env.ADMIN_ROUNDS || 200);
const TOKEN = 'admin-views-bench-token-0123456789';
const { startServer } = await import(new URL('../dist/index.js', import.meta.url).href);

const app = await startServer({ adminToken: TOKEN, databaseUrl: process.env.DATABASE_URL, logger: undefined });
try {
  const started = performance.now();
  // One statement: generate_series makes the rows where they are stored.
  await app.db.exec(`
    INSERT INTO threads (id, title, url, last_comment_at)
      SELECT 'bench-' || n, 'Article ' || n, 'https://blog.example/' || n, now() FROM generate_series(1, ${THREADS}) n
      ON CONFLICT DO NOTHING;
    INSERT INTO comments (id, thread_id, root_id, author_name, body, status, created_at, email_hash, open_reports, hold_reason)
      SELECT 'cb' || n, 'bench-' || (n % ${THREADS} + 1), 'cb' || n, 'Reader ' || (n % 5000),
        'Comment number ' || n || ' about article ' || (n % ${THREADS} + 1) || ', with a few more words to search through.',
        CASE WHEN n % 50 = 0 THEN 'pending' WHEN n % 100 = 1 THEN 'spam' ELSE 'published' END,
        now() - (n || ' seconds')::interval,
        CASE WHEN n % 5 < 3 THEN md5('email' || (n % 5000)) END,
        CASE WHEN n % 200 = 3 THEN 1 ELSE 0 END,
        CASE WHEN n % 50 = 0 THEN 'links' END
      FROM generate_series(1, ${COMMENTS}) n;
    INSERT INTO reports (comment_id, reporter, reason)
      SELECT 'cb' || n, 'voter-' || n, 'spam' FROM generate_series(1, ${COMMENTS}) n WHERE n % 200 = 3;
    ANALYZE;
  `);
  console.log(
    `${COMMENTS.toLocaleString('en')} comments in ${THREADS} threads on ${app.db.kind}, made in ${Math.round(performance.now() - started)} ms\n`,
  );

  const first = await read('/api/admin/comments?view=all&limit=50');
  const cursor = first.nextCursor;
  const reads = [
    ['Pending, first page', '/api/admin/comments?view=pending&limit=50'],
    ['All, first page', '/api/admin/comments?view=all&limit=50'],
    ['All, second page', `/api/admin/comments?view=all&limit=50&cursor=${cursor}`],
    ['Reported', '/api/admin/comments?view=reported&limit=50'],
    ['Spam', '/api/admin/comments?view=spam&limit=50'],
    ['All, one thread', '/api/admin/comments?view=all&limit=50&thread=bench-7'],
    ['All, by author', '/api/admin/comments?view=all&limit=50&author=reader%204999'],
    ['All, text search (common word)', '/api/admin/comments?view=all&limit=50&q=article%2012'],
    ['All, text search (no match)', '/api/admin/comments?view=all&limit=50&q=zebra'],
    ['Counts', '/api/admin/counts'],
    ['Threads, first page', '/api/admin/threads?limit=50'],
    ['Audit log', '/api/admin/audit?limit=50'],
  ];
  console.log('| read | p50 ms | p99 ms |');
  console.log('|---|---:|---:|');
  for (const [name, path] of reads) {
    for (let i = 0; i < 10; i++) await read(path);
    const times = [];
    for (let i = 0; i < ROUNDS; i++) {
      const t = performance.now();
      await read(path);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))].toFixed(1);
    console.log(`| ${name} | ${at(0.5)} | ${at(0.99)} |`);
  }
} finally {
  await app.close();
}

async function read(path) {
  const response = await fetch(`${app.url}${path}`, { headers: { Authorization: `Bearer ${TOKEN}` } });
  if (!response.ok) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
  return response.json();
}
