// @vitest-environment node
// `confab-server export`: every thread and comment, as stored, in gzipped JSON lines that
// `import --from confab` restores exactly (compared row by row, on PGlite and PostgreSQL, and
// through the command line); and the data-protection commands, export and forget by email.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../server/src/database.js';
import { exportToFile } from '../../server/src/import/export.js';
import { readConfab, readConfabHeader } from '../../server/src/import/readers/confab.js';
import { importRecords } from '../../server/src/import/writer.js';
import { type App, allComments, call, commentsPath, post, start } from './helpers';
import { TARGETS, cliRunner, tableRows } from './import-fixtures';

const TABLES: Array<[string, string]> = [
  ['threads', 'id'],
  ['comments', 'id'],
  ['votes', 'comment_id, voter'],
  ['reports', 'comment_id, reporter'],
];
const snapshot = (db: Database) => Promise.all(TABLES.map(([table, order]) => tableRows(db, table, order)));

/**
 * A database with something of everything: posts through the API (edit tokens, hashes, the
 * installation's key), votes, a report, and rows set by hand for each status, pin, role and edit.
 */
async function fill(app: App) {
  const first = await post(app, '/round/trip', {
    body: 'The first comment',
    author: { name: 'Ann', email: 'ann@example.com', url: 'https://ann.example/' },
    page: { title: 'Round trip', url: 'https://example.com/round/trip' },
  });
  const reply = await post(app, '/round/trip', { body: 'A reply', parentId: first.comment.id, author: { name: 'Bo' } });
  await post(app, '/round/trip', { body: 'A reply to the reply', parentId: reply.comment.id });
  await post(app, '/another', { body: 'Elsewhere', author: { email: 'ann@example.com' } });
  for (const [voter, value] of [
    ['v1', 1],
    ['v2', 1],
    ['v3', -1],
  ] as const) {
    await call(app, 'POST', `${commentsPath('/round/trip')}/${first.comment.id}/votes`, {
      body: { value },
      headers: { 'X-Voter': voter },
    });
  }
  await call(app, 'POST', `${commentsPath('/round/trip')}/${reply.comment.id}/reports`, {
    body: { reason: 'off-topic', note: 'Not about the post' },
    headers: { 'X-Voter': 'r1' },
  });
  await app.db.query(
    `INSERT INTO threads (id, title, url, locked, created_at) VALUES ('/quiet', 'No comments', NULL, true, '2020-02-02 10:11:12.345678+00')`,
  );
  await app.db.query(
    `INSERT INTO comments (id, thread_id, root_id, author_name, body, status, created_at, edited_at, pinned, author_role,
       author_id, author_verified, avatar_url, hold_reason, ever_published, deleted_by, open_reports, source, score)
     VALUES
       ('c_spam', '/round/trip', 'c_spam', 'Spammer', 'Buy now', 'spam', '2021-01-01 00:00:00.000001+00', NULL, false, NULL,
        NULL, false, NULL, 'akismet', false, NULL, 0, NULL, 0),
       ('c_pinned', '/round/trip', 'c_pinned', 'Mod', 'Read the rules', 'published', '2021-01-02 00:00:00.123456+00',
        '2021-01-03 00:00:00.654321+00', true, 'moderator', 'u_abc', true, 'https://img.example/a.png', NULL, true, NULL, 2,
        'disqus:9', 5),
       ('c_held', '/another', 'c_held', 'Newcomer', 'First time', 'pending', '2021-01-04 00:00:00+00', NULL, false, NULL,
        NULL, false, NULL, 'first-comment', false, NULL, 0, NULL, 0),
       ('c_gone', '/another', 'c_gone', 'Gone', '', 'deleted', '2021-01-05 00:00:00+00', NULL, false, NULL, NULL, false,
        NULL, NULL, true, 'author', 0, NULL, 0)`,
  );
}

describe.each(TARGETS)('an export imported with --from confab on $name', (target) => {
  let app: App;
  let work: string;
  let opened: Awaited<ReturnType<(typeof TARGETS)[number]['open']>>;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'confab-export-'));
    app = await start();
    await fill(app);
    opened = await target.open();
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await opened?.drop();
    rmSync(work, { recursive: true, force: true });
  });

  it('gives the same threads, comments, votes and reports, row by row, and the same commenter key', async () => {
    const file = join(work, 'all.jsonl.gz');
    expect(await exportToFile(app.db, file, { threadId: null })).toEqual({ threads: 3, comments: 8 });
    const lines = gunzipSync(readFileSync(file))
      .toString()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines[0]).toMatchObject({ kind: 'header', format: 'confab', version: 1, thread: null });
    expect(lines.map((line) => line.kind)).toEqual(['header', ...Array(3).fill('thread'), ...Array(8).fill('comment')]);

    const header = await readConfabHeader(file);
    const summary = await importRecords(opened.db, readConfab(file, {}), {
      format: 'confab',
      sourceHashKey: header.commenterKey,
      batchSize: 3,
    });
    expect(summary).toMatchObject({ threads: { imported: 3, present: 0 }, comments: { imported: 8, present: 0 } });
    expect(summary.skipped).toEqual([]);
    expect(summary.adjusted).toEqual([]);
    const [before, after] = [await snapshot(app.db), await snapshot(opened.db)];
    for (const [i, [table]] of TABLES.entries()) expect(after[i], table).toEqual(before[i]);
    expect(after[1]!.length).toBe(8);
    expect(after[2]!.length).toBe(3);
    const secret = "SELECT value FROM server_secrets WHERE name = 'commenter-hash'";
    expect((await opened.db.query(secret)).rows).toEqual((await app.db.query(secret)).rows);

    // Again: nothing changes.
    const again = await importRecords(opened.db, readConfab(file, {}), { format: 'confab', sourceHashKey: header.commenterKey });
    expect(again).toMatchObject({ threads: { imported: 0, present: 3 }, comments: { imported: 0, present: 8 } });
    expect(await snapshot(opened.db)).toEqual(before);
  });

  it('writes one thread with --thread', async () => {
    const file = join(work, 'one.jsonl.gz');
    expect(await exportToFile(app.db, file, { threadId: '/another' })).toEqual({ threads: 1, comments: 3 });
    const lines = gunzipSync(readFileSync(file))
      .toString()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines[0]).toMatchObject({ thread: '/another' });
    expect(lines.slice(1).map((line) => [line.kind, line.kind === 'thread' ? line.id : line.thread_id])).toEqual([
      ['thread', '/another'],
      ['comment', '/another'],
      ['comment', '/another'],
      ['comment', '/another'],
    ]);
  });
});

describe('confab-server export, import --from confab, export --email and forget --email', () => {
  const cli = cliRunner();
  let work: string;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'confab-export-cli-'));
  });
  afterAll(() => {
    cli.remove();
    rmSync(work, { recursive: true, force: true });
  });

  it('round-trips a data folder through a file, and readers see the same comments', async () => {
    const from = join(work, 'from');
    const to = join(work, 'to');
    const app = await start({ dataDir: join(from, 'pgdata') });
    await fill(app);
    const expected = await allComments(app, '/round/trip');
    const before = await snapshot(app.db);
    await app.close();

    const file = join(work, 'backup.jsonl.gz');
    const exported = await cli.run(['export', file], { DATA_DIR: from });
    expect(exported.stderr).toBe('');
    expect(exported).toMatchObject({ status: 0, stdout: `exported 3 threads, 8 comments to ${file}\n` });
    const imported = await cli.run(['import', '--from', 'confab', file], { DATA_DIR: to });
    expect(imported.stderr.replace(/… \d+ comments read\n/g, '')).toBe('');
    expect(imported.status).toBe(0);
    expect(imported.stdout).toMatch(
      /^imported 3 threads, 8 comments\n {2}of these comments: 1 pending, 1 as spam, 1 deleted placeholder\n\(\d+\.\d s\)\n$/,
    );

    const restored = await start({ dataDir: join(to, 'pgdata') });
    try {
      expect(await snapshot(restored.db)).toEqual(before);
      expect(await allComments(restored, '/round/trip')).toEqual(expected);
      expect(expected.length).toBe(4);
    } finally {
      await restored.close();
    }
  }, 90_000);

  it('exports what an address wrote, then forgets it: comments keep their place and replies', async () => {
    const dataDir = join(work, 'personal');
    const app = await start({ dataDir: join(dataDir, 'pgdata') });
    const ann = await post(app, '/article', {
      body: 'Ann speaks',
      author: { name: 'Ann', email: 'Ann@Example.com', url: 'https://ann.example/' },
    });
    const reply = await post(app, '/article', {
      body: 'Bo answers',
      parentId: ann.comment.id,
      author: { name: 'Bo', email: 'bo@example.com' },
    });
    await post(app, '/other', { body: 'Ann again', author: { name: 'Ann', email: 'ann@example.com' } });
    const hash = await app.store.commenterHash('email', 'ann@example.com');
    await app.db.query(
      `INSERT INTO mail_subscribers (id, email, email_hash, created_at, confirmed_at) VALUES ('s1', 'ann@example.com', $1, now(), now())`,
      [hash],
    );
    await app.db.query(`INSERT INTO reply_subscriptions (comment_id, subscriber_id, thread_id) VALUES ($1, 's1', '/article')`, [
      ann.comment.id,
    ]);
    await app.db.query(`INSERT INTO approved_commenters (commenter) VALUES ($1)`, [`email:${hash}`]);
    await app.close();

    const exported = await cli.run(['export', '--email', 'ANN@example.com '], { DATA_DIR: dataDir });
    expect(exported.stderr).toBe('');
    expect(exported.status).toBe(0);
    const data = JSON.parse(exported.stdout);
    expect(data.comments.map((c: { body: string }) => c.body)).toEqual(['Ann speaks', 'Ann again']);
    expect(data.comments[0]).toMatchObject({ thread: { id: '/article' }, author: { name: 'Ann', url: 'https://ann.example/' } });
    expect(data.replyEmails).toMatchObject({
      email: 'ann@example.com',
      subscriptions: [{ commentId: ann.comment.id, threadId: '/article' }],
    });
    expect(JSON.stringify(data)).not.toMatch(/Bo answers/);
    const toFile = await cli.run(['export', '--email', 'ann@example.com', join(work, 'ann.json')], { DATA_DIR: dataDir });
    expect(toFile.status).toBe(0);
    expect(JSON.parse(readFileSync(join(work, 'ann.json'), 'utf8')).comments).toHaveLength(2);

    expect((await cli.run(['forget'], { DATA_DIR: dataDir })).status).toBe(2);
    expect((await cli.run(['forget', '--email', 'not-an-address'], { DATA_DIR: dataDir })).status).toBe(2);
    const forgot = await cli.run(['forget', '--email', 'ann@example.com'], { DATA_DIR: dataDir });
    expect(forgot.stderr).toBe('');
    expect(forgot).toMatchObject({
      status: 0,
      stdout: '2 comments made anonymous, 1 reply subscription ended, the address deleted\n',
    });

    const after = await start({ dataDir: join(dataDir, 'pgdata') });
    try {
      const comments = await allComments(after, '/article');
      expect(comments.map((c) => [c.author.name, c.author.url, c.body, c.parentId])).toEqual([
        ['', null, 'Ann speaks', null],
        ['Bo', null, 'Bo answers', ann.comment.id],
      ]);
      expect(comments[1]!.id).toBe(reply.comment.id);
      const { rows } = await after.db.query(
        `SELECT (SELECT count(*)::int FROM comments WHERE email_hash = $1) AS comments,
           (SELECT count(*)::int FROM mail_subscribers) AS subscribers, (SELECT count(*)::int FROM reply_subscriptions) AS subscriptions,
           (SELECT count(*)::int FROM approved_commenters) AS approved`,
        [hash],
      );
      expect(rows[0]).toEqual({ comments: 0, subscribers: 0, subscriptions: 0, approved: 0 });
      const { rows: audit } = await after.db.query(
        `SELECT actor, action, after FROM audit_log WHERE action LIKE 'commenter.%' ORDER BY id`,
      );
      expect(audit).toEqual([
        { actor: { kind: 'cli' }, action: 'commenter.export', after: { comments: 2 } },
        { actor: { kind: 'cli' }, action: 'commenter.export', after: { comments: 2 } },
        { actor: { kind: 'cli' }, action: 'commenter.forget', after: { comments: 2, subscriptions: 1, addresses: 1 } },
      ]);
      expect(JSON.stringify(audit)).not.toMatch(/ann/i);
      // Nothing is left to find under the address.
      expect(JSON.parse((await cli.run(['export', '--email', 'ann@example.com'], { DATA_DIR: dataDir })).stdout)).toMatchObject({
        comments: [],
        replyEmails: null,
      });
    } finally {
      await after.close();
    }
  }, 90_000);
});

describe('readConfab', () => {
  it('refuses a file that is not a Confab export, naming the line', async () => {
    const work = mkdtempSync(join(tmpdir(), 'confab-reader-'));
    try {
      const { writeFileSync } = await import('node:fs');
      const read = async (text: string) => {
        const file = join(work, 'x.jsonl');
        writeFileSync(file, text);
        for await (const _ of readConfab(file, {})) void _;
      };
      await expect(read('<disqus/>\n')).rejects.toThrow('Not a JSON line (at line 1)');
      await expect(read('{"kind":"thread"}\n')).rejects.toThrow(
        'Not a Confab export: it does not start with its header line (at line 1)',
      );
      const header = '{"kind":"header","format":"confab","version":1,"exportedAt":"","thread":null,"commenterKey":null}\n';
      await expect(read(`${header}{"kind":"thread","id":"/a","title":null,"url":null,"locked":"no"}\n`)).rejects.toThrow(
        'A thread whose "locked" is not a boolean (at line 2)',
      );
      await expect(read(`${header}{"kind":"vote"}\n`)).rejects.toThrow('neither a thread nor a comment (at line 2)');
      await expect(read(header.replace('"version":1', '"version":2'))).rejects.toThrow(/version 2/);
      await expect(readConfabHeader(join(work, 'missing.gz'))).rejects.toThrow('no such file');
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
