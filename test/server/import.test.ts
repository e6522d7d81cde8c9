// @vitest-environment node
// `confab-server import`, the writer side: thread ids from article URLs as the widget computes
// them, every mapping rule on hand-made record streams (on PGlite and PostgreSQL), what readers
// then see through the API, and the command line: a malformed file, a dry run, and an import
// killed with SIGKILL then run again.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../server/src/database.js';
import { createCommentStore } from '../../server/src/comment-store.js';
import { migrate } from '../../server/src/migrations.js';
import { ImportFormatError, type ImportRecord } from '../../server/src/import/records.js';
import { readConfab } from '../../server/src/import/readers/confab.js';
import { formatSummary, type ImportSummary } from '../../server/src/import/summary.js';
import { normalizePath, threadPlaces } from '../../server/src/import/thread-ids.js';
import { importRecords, importedCommentId } from '../../server/src/import/writer.js';
import { readThreadId } from '../../server/src/validate.js';
import { defaultThreadId } from '../../src/options.js';
import { allComments, call, commentsPath, createTestDatabase, eventually, start } from './helpers';
import { TARGETS, cliRunner, comment, stream, tableRows, thread, writeBigExport } from './import-fixtures';

const SITE = 'https://example.com';
const withoutProgress = (stderr: string) => stderr.replace(/… \d+ comments read\n/g, '');
const line = (summary: ImportSummary, kind: 'skipped' | 'adjusted', reason: string | RegExp) =>
  summary[kind].find((entry) => (typeof reason === 'string' ? entry.reason === reason : reason.test(entry.reason)));

describe('thread ids from article URLs', () => {
  const place = threadPlaces({ siteUrl: SITE });
  const idOf = (url: string) => {
    const found = place(url);
    if ('problem' in found) throw new Error(found.problem);
    return found;
  };

  it('puts every old URL of one article in one thread: scheme, www, trailing slash, index.html, utm_*', () => {
    const variants = [
      'https://example.com/2020/01/post',
      'http://example.com/2020/01/post',
      'https://www.example.com/2020/01/post/',
      'http://www.example.com/2020/01/post/index.html',
      'https://example.com/2020/01/post/index.htm',
      'https://example.com/2020/01/post/?utm_source=twitter&utm_medium=social',
      'https://example.com/2020/01/post#comments',
      '/2020/01/post/',
    ];
    for (const url of variants) {
      expect(idOf(url), url).toMatchObject({ id: '/2020/01/post', url: 'https://example.com/2020/01/post', offSite: false });
    }
    // Other parameters stay in the URL kept, and tell articles that share a path apart in the summary.
    expect(idOf('https://example.com/?p=12&utm_campaign=x')).toMatchObject({
      id: '/',
      url: 'https://example.com/?p=12',
      query: '?p=12',
    });
  });

  it('is the path the widget computes for the same page by default', () => {
    const page = (href: string) => ({ querySelector: () => null, location: new URL(href) }) as unknown as Document;
    for (const href of [
      'https://example.com/2020/01/post',
      'https://example.com/caf%C3%A9/%E2%9C%93',
      'https://example.com/a b/ü',
      'https://example.com/',
    ]) {
      expect(idOf(href).id, href).toBe(defaultThreadId(page(href)));
    }
    // Pages whose address ends in "/": --trailing-slash gives the widget's id for them.
    const slashed = threadPlaces({ siteUrl: SITE, trailingSlash: true });
    const href = 'https://example.com/2020/01/post/';
    expect(slashed('http://www.example.com/2020/01/post')).toMatchObject({ id: defaultThreadId(page(href)) });
    expect(slashed('https://example.com/feed.xml')).toMatchObject({ id: '/feed.xml' });
    expect(normalizePath('/', true)).toBe('/');
  });

  it('keeps a URL on another host, marked so, and refuses what cannot be a thread id', () => {
    expect(idOf('https://blog.other.org/post/?utm_source=x')).toEqual({
      id: '/post',
      url: 'https://blog.other.org/post',
      offSite: true,
      query: '',
    });
    expect(place('mailto:ann@example.com')).toEqual({ problem: 'thread URLs that are not http(s) addresses' });
    expect(place(`https://example.com/${'a'.repeat(300)}`)).toMatchObject({ problem: expect.stringMatching(/longer than 200/) });
    // Every id it gives is one the API accepts.
    for (const url of ['https://example.com/%00', 'https://example.com/\u{1F600}', `https://example.com/${'é'.repeat(30)}`]) {
      const found = place(url);
      if (!('problem' in found)) expect(readThreadId(found.id)).toBe(found.id);
    }
  });
});

/** A small file with one of each case the rules are about (the same records each time). */
const sampleRecords = () => SAMPLE;
const SAMPLE: ImportRecord[] = [
  thread('d:t1', 'http://www.example.com/2020/post/?utm_source=feed', 'A post'),
  thread('d:t2', 'https://example.com/2020/post/index.html', 'The same post, another old URL'),
  thread('d:t3', 'https://elsewhere.org/copied/'),
  thread('d:t4', 'https://example.com/never-commented/'),
  comment('d:2', 'd:t1', { parentKey: 'd:1', author: { name: 'Bo', email: 'Bo@Example.com ', url: 'https://bo.example/' } }),
  comment('d:1', 'd:t1', { author: { name: 'Ann', email: 'ann@example.com' } }),
  comment('d:3', 'd:t2', { parentKey: 'd:2' }),
  comment('d:4', 'd:t1', { parentKey: 'd:404' }),
  comment('d:5', 'd:t1', { status: 'spam' }),
  comment('d:6', 'd:t1', { status: 'deleted', author: { name: 'Gone', email: 'gone@example.com' } }),
  comment('d:7', 'd:t1', { parentKey: 'd:6' }),
  comment('d:8', 'd:t1', { status: 'deleted' }),
  comment('d:9', 'd:t3', { status: 'pending' }),
  comment('d:10', 'd:t9'),
  { kind: 'note', skipped: true, reason: 'pingbacks and trackbacks', example: 'wordpress:77' },
];

describe.each(TARGETS)('the writer on $name', (target) => {
  let opened: Awaited<ReturnType<Target['open']>>;
  let db: Database;
  type Target = (typeof TARGETS)[number];

  beforeAll(async () => {
    opened = await target.open();
    db = opened.db;
  }, 60_000);
  afterAll(async () => {
    await opened?.drop();
  });

  const rowsOf = async () =>
    (
      await db.query(
        `SELECT id, source, thread_id, parent_id, root_id, status, author_name, author_url, email_hash, body, ever_published, hold_reason
         FROM comments WHERE source LIKE 'd:%' ORDER BY created_at`,
      )
    ).rows;
  const bySource = async () => new Map((await rowsOf()).map((row) => [row.source as string, row]));

  it('maps every rule, and says what it skipped and changed', async () => {
    const summary = await importRecords(db, stream(sampleRecords()), { format: 'disqus', siteUrl: SITE, batchSize: 3 });
    expect(summary.threads).toEqual({ imported: 2, present: 0 });
    expect(summary.comments).toEqual({ imported: 7, present: 0, pending: 1, spam: 0, deleted: 1 });
    expect(line(summary, 'skipped', /^spam/)).toEqual({ reason: expect.any(String), count: 1, examples: ['d:5'] });
    expect(line(summary, 'skipped', 'deleted comments without replies')).toMatchObject({ count: 1, examples: ['d:8'] });
    expect(line(summary, 'skipped', 'comments whose thread is not in the file')).toMatchObject({ count: 1, examples: ['d:10'] });
    expect(line(summary, 'skipped', 'pingbacks and trackbacks')).toMatchObject({ count: 1, examples: ['wordpress:77'] });
    expect(line(summary, 'skipped', /threads without comments/)).toMatchObject({ count: 1 });
    expect(line(summary, 'adjusted', 'replies whose parent is missing became top-level')).toMatchObject({
      count: 1,
      examples: ['d:4'],
    });
    expect(line(summary, 'adjusted', /another host/)).toMatchObject({ count: 1, examples: ['https://elsewhere.org/copied/'] });
    const text = formatSummary(summary).join('\n');
    expect(text).toMatch(/^imported 2 threads, 7 comments$/m);
    expect(text).toMatch(/^skipped 1 spam/m);
    expect(text).toMatch(/^1 replies whose parent is missing became top-level, e\.g\. d:4$/m);

    const rows = await bySource();
    expect([...rows.keys()].sort()).toEqual(['d:1', 'd:2', 'd:3', 'd:4', 'd:6', 'd:7', 'd:9']);
    // One thread for both old URLs of the post; title and normalized URL of the first.
    const { rows: threads } = await db.query("SELECT id, title, url FROM threads WHERE source LIKE 'd:%' ORDER BY id");
    expect(threads).toEqual([
      { id: '/2020/post', title: 'A post', url: 'https://example.com/2020/post' },
      { id: '/copied', title: 'Article d:t3', url: 'https://elsewhere.org/copied' },
    ]);
    // The reply listed before its parent hangs under it; its reply (another old URL) too, same root.
    const [one, two, three] = ['d:1', 'd:2', 'd:3'].map((key) => rows.get(key)!);
    expect(one).toMatchObject({ id: importedCommentId('d:1'), parent_id: null, root_id: one!.id, thread_id: '/2020/post' });
    expect(two).toMatchObject({ parent_id: one!.id, root_id: one!.id, author_url: 'https://bo.example/' });
    expect(three).toMatchObject({ parent_id: two!.id, root_id: one!.id, thread_id: '/2020/post' });
    expect(rows.get('d:4')).toMatchObject({ parent_id: null, root_id: rows.get('d:4')!.id });
    // Deleted with a reply: an empty place, nobody's; the pending one waits, as imported.
    expect(rows.get('d:6')).toMatchObject({
      status: 'deleted',
      body: '',
      author_name: '',
      email_hash: null,
      ever_published: true,
    });
    expect(rows.get('d:7')).toMatchObject({ parent_id: rows.get('d:6')!.id, root_id: rows.get('d:6')!.id });
    expect(rows.get('d:9')).toMatchObject({ status: 'pending', ever_published: false, hold_reason: 'imported' });
    // The email only as the server's own commenter hash, the same a post by that address gets.
    const store = createCommentStore({ db, editWindowMs: 60_000 });
    expect(two!.email_hash).toBe(await store.commenterHash('email', 'bo@example.com'));
    expect(one!.email_hash).toBe(await store.commenterHash('email', 'ann@example.com'));
    expect(JSON.stringify(await rowsOf())).not.toMatch(/example\.com"|@/);
    const { rows: subscribed } = await db.query(
      'SELECT (SELECT count(*) FROM mail_subscribers)::int + (SELECT count(*) FROM reply_subscriptions)::int AS n',
    );
    expect(subscribed[0]!.n).toBe(0);
    expect((await db.query('SELECT count(*)::int AS n FROM import_fixups')).rows[0]!.n).toBe(0);
  });

  it('changes nothing when the same file is imported again', async () => {
    const before = await tableRows(db, 'comments', 'id');
    const threadsBefore = await tableRows(db, 'threads', 'id');
    const summary = await importRecords(db, stream(sampleRecords()), { format: 'disqus', siteUrl: SITE, batchSize: 4 });
    expect(summary.threads).toEqual({ imported: 0, present: 2 });
    expect(summary.comments).toMatchObject({ imported: 0, present: 7 });
    expect(formatSummary(summary)[0]).toBe('imported 0 threads, 0 comments');
    expect(await tableRows(db, 'comments', 'id')).toEqual(before);
    const threadsAfter = await tableRows(db, 'threads', 'id');
    expect(threadsAfter, JSON.stringify([threadsBefore, threadsAfter])).toEqual(threadsBefore);
  });

  it('adds only what is new from a newer export, replies to old comments included', async () => {
    const newer = [
      ...sampleRecords(),
      comment('d:11', 'd:t1', { parentKey: 'd:7' }),
      comment('d:12', 'd:t4', { body: 'The first comment on this one' }),
    ];
    const summary = await importRecords(db, stream(newer), { format: 'disqus', siteUrl: SITE });
    expect(summary.threads).toEqual({ imported: 1, present: 2 });
    expect(summary.comments).toMatchObject({ imported: 2, present: 7 });
    const rows = await bySource();
    expect(rows.get('d:11')).toMatchObject({ parent_id: rows.get('d:7')!.id, root_id: rows.get('d:6')!.id });
    expect(rows.get('d:12')).toMatchObject({ thread_id: '/never-commented', parent_id: null });
  });

  it('keeps spam as spam with includeSpam, held out of readers’ sight', async () => {
    const summary = await importRecords(db, stream(sampleRecords()), { format: 'disqus', siteUrl: SITE, includeSpam: true });
    expect(summary.comments).toMatchObject({ imported: 1, spam: 1 });
    expect(line(summary, 'skipped', /^spam/)).toBeUndefined();
    expect((await bySource()).get('d:5')).toMatchObject({ status: 'spam', ever_published: false, hold_reason: 'imported' });
  });

  it('writes text as it is (tabs, backslashes, line breaks, quotes, emoji), and each thread’s last activity', async () => {
    const odd = 'Tab\there, back\\slash \\N \\t, "quotes", \'single\', line\nbreak, CR\r\nLF, emoji 🎉, lone \ud800 end';
    const records = [
      thread('e:t1', 'https://example.com/odd/'),
      thread('e:t2', 'https://example.com/odd-two/'),
      comment('e:1', 'e:t1', { body: odd, author: { name: 'Tab\tName \\ "x"', url: 'https://example.com/a\\b' } }),
      comment('e:2', 'e:t2'),
      comment('e:3', 'e:t1', { parentKey: 'e:1' }),
      comment('e:4', 'e:t2', { parentKey: 'e:2' }),
      comment('e:5', 'e:t1'),
      // Newest, but deleted without a reply: it goes, and says nothing of the thread's activity.
      comment('e:6', 'e:t1', { status: 'deleted' }),
    ];
    const summary = await importRecords(db, stream(records), { format: 'disqus', siteUrl: SITE, batchSize: 2 });
    expect(summary.comments).toMatchObject({ imported: 5 });
    const { rows } = await db.query(
      "SELECT source, body, author_name, author_url FROM comments WHERE source LIKE 'e:%' ORDER BY source",
    );
    expect(rows[0]).toEqual({
      source: 'e:1',
      body: odd.replace(/\r\n?/g, '\n').replace('\ud800', '\ufffd'),
      author_name: 'Tab\tName \\ "x"',
      author_url: 'https://example.com/a\\b',
    });
    const { rows: threads } = await db.query(
      `SELECT t.id, t.last_comment_at = (SELECT max(created_at) FROM comments c WHERE c.thread_id = t.id) AS newest
       FROM threads t WHERE t.source LIKE 'e:%' ORDER BY t.id`,
    );
    expect(threads).toEqual([
      { id: '/odd', newest: true },
      { id: '/odd-two', newest: true },
    ]);
  });

  it('counts everything and writes nothing in a dry run', async () => {
    const tables = ['threads', 'comments', 'import_fixups', 'server_secrets'];
    const before = await Promise.all(tables.map((table) => tableRows(db, table, '1')));
    const records = [
      thread('d:t20', 'https://example.com/dry/'),
      comment('d:21', 'd:t20', { parentKey: 'd:22' }),
      comment('d:22', 'd:t20'),
      comment('d:23', 'd:t20', { status: 'deleted' }),
      ...sampleRecords(),
    ];
    const summary = await importRecords(db, stream(records), { format: 'disqus', siteUrl: SITE, dryRun: true, batchSize: 1 });
    expect(summary).toMatchObject({ dryRun: true, threads: { imported: 1 }, comments: { imported: 2, present: 7 } });
    expect(line(summary, 'skipped', 'deleted comments without replies')).toMatchObject({ count: 2 });
    expect(formatSummary(summary)[0]).toBe('dry run, nothing written: would import 1 thread, 2 comments');
    expect(await Promise.all(tables.map((table) => tableRows(db, table, '1')))).toEqual(before);
  });

  it('makes a loop of parents top-level, and attaches a chain listed bottom up across batches', async () => {
    const records = [
      thread('d:t30', 'https://example.com/loops'),
      comment('d:31', 'd:t30', { parentKey: 'd:32' }),
      comment('d:32', 'd:t30', { parentKey: 'd:31' }),
      comment('d:33', 'd:t30', { parentKey: 'd:34' }),
      comment('d:34', 'd:t30', { parentKey: 'd:35' }),
      comment('d:35', 'd:t30', { parentKey: 'd:36' }),
      comment('d:36', 'd:t30'),
      comment('d:37', 'd:t30', { parentKey: 'd:37' }),
    ];
    const summary = await importRecords(db, stream(records), { format: 'disqus', batchSize: 1 });
    expect(summary.comments.imported).toBe(7);
    expect(line(summary, 'adjusted', 'replies in a loop of parents became top-level')?.count).toBeGreaterThanOrEqual(2);
    const rows = await bySource();
    const id = (key: string) => rows.get(key)!.id;
    expect(rows.get('d:33')).toMatchObject({ parent_id: id('d:34'), root_id: id('d:36') });
    expect(rows.get('d:34')).toMatchObject({ parent_id: id('d:35'), root_id: id('d:36') });
    expect(rows.get('d:35')).toMatchObject({ parent_id: id('d:36'), root_id: id('d:36') });
    expect(rows.get('d:37')).toMatchObject({ parent_id: null, root_id: id('d:37') });
    // No comment of the loop is its own ancestor any more, and each root id is its top-level ancestor.
    const { rows: wrong } = await db.query(
      `WITH RECURSIVE up (id, at, top) AS (
         SELECT id, parent_id, id FROM comments WHERE thread_id = '/loops'
         UNION ALL SELECT up.id, p.parent_id, p.id FROM up JOIN comments p ON p.id = up.at
       ) SELECT c.id FROM comments c JOIN up ON up.id = c.id AND up.at IS NULL WHERE c.root_id <> up.top`,
    );
    expect(wrong).toEqual([]);
  });

  it('shows what it imported through the API, and a running server sees it at once', async () => {
    // PGlite: a server in this process on the same database; PostgreSQL: a server of its own.
    const app = await start(target.name === 'postgres' ? { databaseUrl: opened.url } : {});
    const appDb = target.name === 'postgres' ? db : app.db;
    try {
      const threadId = '/live/';
      // A page cached before the import (PostgreSQL: the server runs while it imports).
      if (target.name === 'postgres') expect((await call(app, 'GET', commentsPath(threadId))).body.comments).toEqual([]);
      await importRecords(
        appDb,
        stream([
          thread('d:t40', 'https://example.com/live/', 'Live'),
          comment('d:42', 'd:t40', { parentKey: 'd:41', body: 'A reply, listed first' }),
          comment('d:41', 'd:t40', { body: 'The first word' }),
          comment('d:43', 'd:t40', { status: 'deleted' }),
          comment('d:44', 'd:t40', { parentKey: 'd:43' }),
        ]),
        { format: 'disqus', siteUrl: SITE, trailingSlash: true },
      );
      await eventually(async () => {
        const comments = await allComments(app, threadId);
        expect(comments.map((c) => [c.body, c.parentId === null, c.status])).toEqual([
          ['The first word', true, 'published'],
          ['A reply, listed first', false, 'published'],
          ['', true, 'deleted'],
          ['Text of d:44', false, 'published'],
        ]);
      });
      const answer = await call(app, 'GET', commentsPath(threadId));
      expect(answer.body.thread).toMatchObject({ title: 'Live', url: 'https://example.com/live/', commentCount: 3 });
    } finally {
      await app.close();
    }
  }, 30_000);
});

describe('confab-server import', () => {
  const cli = cliRunner();
  let work: string;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'confab-import-'));
  });
  afterAll(() => {
    cli.remove();
    rmSync(work, { recursive: true, force: true });
  });

  it('imports the Disqus and WordPress fixtures with the real readers, and again changes nothing', async () => {
    const fixture = (name: string) => new URL(`./fixtures/import/${name}`, import.meta.url).pathname;
    const env = { DATA_DIR: join(work, 'foreign') };
    const disqus = await cli.run(
      ['import', '--from', 'disqus', fixture('disqus.xml'), '--site-url', 'https://blog.example.com'],
      env,
    );
    // Progress lines come only after a second; a loaded machine may take that long even here.
    expect(withoutProgress(disqus.stderr)).toBe('');
    expect(disqus.status).toBe(0);
    expect(disqus.stdout).toMatch(/^imported 3 threads, 7 comments$/m);
    expect(disqus.stdout).toMatch(/^skipped 1 spam \(--include-spam keeps them, as spam\), e\.g\. disqus:2001$/m);
    expect(disqus.stdout).toMatch(/^1 replies whose parent is missing became top-level, e\.g\. disqus:1004$/m);
    const wordpress = await cli.run(['import', '--from', 'wordpress', fixture('wordpress.xml')], env);
    expect(wordpress.status).toBe(0);
    expect(wordpress.stdout).toMatch(/^imported 2 threads, 6 comments$/m);
    expect(wordpress.stdout).toMatch(/^skipped 3 pingbacks and trackbacks, e\.g\. wordpress:104/m);

    const again = await cli.run(
      ['import', '--from', 'disqus', fixture('disqus.xml'), '--site-url', 'https://blog.example.com'],
      env,
    );
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/^imported 0 threads, 0 comments$/m);
    expect(again.stdout).toMatch(/^already there, left as they are: 3 threads, 7 comments$/m);

    // The wrong --from for a file: one message saying what it is, nothing written.
    const wrong = await cli.run(['import', '--from', 'wordpress', fixture('disqus.xml')], env);
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toMatch(/this is not a WordPress export.*try --from disqus/i);
  }, 60_000);

  it('refuses a wrong command line with exit code 2', async () => {
    const env = { DATA_DIR: join(work, 'unused') };
    for (const args of [
      ['import', 'file'],
      ['import', '--from', 'myspace', 'file'],
      ['import', '--from', 'disqus'],
      ['import', '--from', 'disqus', 'file', '--site-url', 'example.com'],
      ['import', '--from', 'disqus', 'file', '--with-pingbacks'],
      ['import', '--from', 'disqus', 'file', '--colour'],
    ]) {
      const result = await cli.run(args, env);
      expect(result.status, args.join(' ')).toBe(2);
      expect(result.stderr.split('\n')[0]).not.toBe('');
    }
  }, 60_000);

  it('stops at a malformed line with one message naming it, keeping only whole batches', async () => {
    const file = join(work, 'broken.jsonl.gz');
    const big = join(work, 'for-broken.jsonl.gz');
    writeBigExport(big, { count: 2_500, threads: 5 });
    const { gunzipSync } = await import('node:zlib');
    const lines = gunzipSync(await import('node:fs').then((fs) => fs.readFileSync(big)))
      .toString()
      .trim()
      .split('\n');
    lines.splice(2_300, 0, '{"kind":"comment","id":');
    writeFileSync(file, gzipSync(lines.join('\n')));
    const dataDir = join(work, 'broken');
    const result = await cli.run(['import', '--from', 'confab', file], { DATA_DIR: dataDir });
    expect(result.status).toBe(1);
    expect(result.stderr.replace(/… \d+ comments read\n/g, '')).toBe(
      `Could not import: ${file}: Not a JSON line (at line 2301). Batches written before it are kept; run the import again once fixed.\n`,
    );
    const db = await openDatabase({ dataDir: join(dataDir, 'pgdata') });
    try {
      // The first batch of 2,000 comments, not one more.
      expect((await db.query('SELECT count(*)::int AS n FROM comments')).rows[0]!.n).toBe(2_000);
    } finally {
      await db.close();
    }
  }, 60_000);

  it('says where a gzip file ends early, and a dry run writes nothing', async () => {
    const file = join(work, 'cut.jsonl.gz');
    const whole = join(work, 'whole.jsonl.gz');
    writeBigExport(whole, { count: 300, threads: 3 });
    const bytes = (await import('node:fs')).readFileSync(whole);
    writeFileSync(file, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    await expect(async () => {
      for await (const _ of readConfab(file, {})) void _;
    }).rejects.toThrow(ImportFormatError);
    const dataDir = join(work, 'cut');
    const cut = await cli.run(['import', '--from', 'confab', '--dry-run', file], { DATA_DIR: dataDir });
    expect(cut.status).toBe(1);
    expect(cut.stderr).toMatch(
      /^Could not import: .*cut\.jsonl\.gz: The gzip file ends early: it was cut short \(at line \d+\)\. Nothing was written\.\n$/,
    );
    const dry = await cli.run(['import', '--from', 'confab', '--dry-run', whole], { DATA_DIR: dataDir });
    expect(withoutProgress(dry.stderr)).toBe('');
    expect(dry.status).toBe(0);
    expect(dry.stdout).toMatch(/^dry run, nothing written: would import 3 threads, 300 comments\n/);
    const db = await openDatabase({ dataDir: join(dataDir, 'pgdata') });
    try {
      expect((await db.query('SELECT (SELECT count(*) FROM comments) + (SELECT count(*) FROM threads) AS n')).rows[0]!.n).toBe(0);
    } finally {
      await db.close();
    }
  }, 60_000);

  describe.each(['pglite', 'postgres'] as const)('killed with SIGKILL on %s', (kind) => {
    let database: Awaited<ReturnType<typeof createTestDatabase>> | undefined;
    afterAll(async () => {
      await database?.drop();
    });

    it('keeps whole batches, and a second run completes it without duplicates', async () => {
      const count = 40_000;
      const file = join(work, `big-${kind}.jsonl.gz`);
      writeBigExport(file, { count, threads: 400 });
      database = kind === 'postgres' ? await createTestDatabase() : undefined;
      const env: Record<string, string> = database ? { DATABASE_URL: database.url } : { DATA_DIR: join(work, 'killed') };
      const open = () => openDatabase(database ? { databaseUrl: database.url } : { dataDir: join(work, 'killed', 'pgdata') });

      const child = cli.spawnCli(['import', '--from', 'confab', file], env);
      const exited = new Promise((resolve) => child.on('exit', resolve));
      // Killed once it has said how far it got: some batches are in, most are not.
      await new Promise<void>((resolve, reject) => {
        child.stderr!.on('data', (chunk: Buffer) => {
          if (chunk.toString().includes('comments read')) resolve();
        });
        child.on('exit', () => reject(new Error('The import ended before it could be killed')));
      });
      child.kill('SIGKILL');
      await exited;

      let db = await open();
      const { rows: partial } = await db.query('SELECT count(*)::int AS n FROM comments');
      await db.close();
      expect(partial[0]!.n).toBeGreaterThan(0);
      expect(partial[0]!.n).toBeLessThan(count);
      expect(partial[0]!.n % 2_000).toBe(0);

      const again = await cli.run(['import', '--from', 'confab', file], env);
      expect(withoutProgress(again.stderr)).toBe('');
      expect(again.status).toBe(0);
      expect(again.stdout).toMatch(new RegExp(`^imported \\d+ threads?, ${count - partial[0]!.n} comments\n`));
      expect(again.stdout).toMatch(new RegExp(`already there, left as they are: \\d+ threads?, ${partial[0]!.n} comments`));

      db = await open();
      try {
        const { rows } = await db.query(
          `SELECT count(*)::int AS n, count(DISTINCT id)::int AS ids, (SELECT count(*)::int FROM import_fixups) AS fixups,
             count(*) FILTER (WHERE parent_id IS NOT NULL)::int AS replies FROM comments`,
        );
        expect(rows[0]).toEqual({ n: count, ids: count, fixups: 0, replies: count / 5 });
        const { rows: wrongRoots } = await db.query(
          `SELECT c.id FROM comments c LEFT JOIN comments p ON p.id = c.parent_id
           WHERE (c.parent_id IS NULL AND c.root_id <> c.id) OR (c.parent_id IS NOT NULL AND c.root_id <> p.root_id)`,
        );
        expect(wrongRoots).toEqual([]);
      } finally {
        await db.close();
      }
    }, 180_000);
  });
});

// The writer's contract with whoever drives it.
describe('importRecords', () => {
  it('lets a reader’s error through after committing the batches before it', async () => {
    const db = await openDatabase({});
    await migrate(db);
    try {
      async function* failing(): AsyncGenerator<ImportRecord> {
        yield thread('x:t', 'https://example.com/x');
        for (let i = 0; i < 5; i++) yield comment(`x:${i}`, 'x:t');
        throw new ImportFormatError('Unexpected end of the file', 'line 9, column 1');
      }
      await expect(importRecords(db, failing(), { format: 'disqus', batchSize: 2 })).rejects.toThrow(
        'Unexpected end of the file (at line 9, column 1)',
      );
      expect((await db.query('SELECT count(*)::int AS n FROM comments')).rows[0]!.n).toBe(4);
    } finally {
      await db.close();
    }
  });
});
