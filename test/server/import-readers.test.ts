// @vitest-environment node
// Issue 17's format readers on their own: each source's export (the fixtures in
// fixtures/import/, written from the exporters' code and documentation) read into the records the
// import writer takes: keys, parents, bodies' text, statuses, dates and the notes the summary
// shows; and the errors a damaged file or a wrong --from gives, with where.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import initSqlJs from 'sql.js';
import { ImportFormatError, type ImportRecord, type ReaderOptions } from '../../server/src/import/records.js';
import { READERS } from '../../server/src/import/readers/index.js';
import { MAX_WAITING_POSTS } from '../../server/src/import/readers/disqus.js';
import { parseTimestamp } from '../../server/src/import/readers/dates.js';
import { writeDisqusExport } from '../../server/bench/disqus-export.mjs';

type Format = keyof typeof READERS;
const FIXTURES = join(import.meta.dirname, 'fixtures', 'import');
const fixture = (name: string) => join(FIXTURES, name);
let dir: string;
let count = 0;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'confab-import-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A file in the test's directory with these contents. */
function file(contents: string | Uint8Array, extension = ''): string {
  const path = join(dir, `file-${++count}${extension}`);
  writeFileSync(path, contents);
  return path;
}

async function read(format: Format, path: string, options: ReaderOptions = {}): Promise<ImportRecord[]> {
  const records: ImportRecord[] = [];
  for await (const record of READERS[format](path, options)) records.push(record);
  return records;
}

/** The error reading the file fails with; the test fails when there is none, or another kind. */
async function failure(format: Format, path: string): Promise<ImportFormatError> {
  try {
    await read(format, path);
  } catch (error) {
    expect(error).toBeInstanceOf(ImportFormatError);
    return error as ImportFormatError;
  }
  throw new Error(`reading ${path} as ${format} did not fail`);
}

/** Every comment's thread was yielded before it. */
function expectThreadsFirst(records: ImportRecord[]) {
  const threads = new Set<string>();
  for (const record of records) {
    if (record.kind === 'thread') threads.add(record.key);
    if (record.kind === 'comment') expect(threads, record.key).toContain(record.threadKey);
  }
}

const date = (iso: string) => new Date(iso);
const note = (skipped: boolean, reason: string, example: string) => ({ kind: 'note', skipped, reason, example });

async function issoDatabase(sql = readFileSync(fixture('isso.sql'), 'utf8')): Promise<string> {
  const wasm = createRequire(import.meta.url).resolve('sql.js/dist/sql-wasm.wasm');
  const SQL = await initSqlJs({ locateFile: () => wasm });
  const database = new SQL.Database();
  database.exec(sql);
  const path = file(database.export(), '.db');
  database.close();
  return path;
}

it.each([
  ['2013-04-01T15:47:50Z', '2013-04-01T15:47:50.000Z'],
  ['2018-05-27T18:32:17.452316-05:00', '2018-05-27T23:32:17.452Z'],
  ['2014-03-01 10:00:00', '2014-03-01T10:00:00.000Z'],
  ['2021-05-01 10:00:00 +0800', '2021-05-01T02:00:00.000Z'],
  ['2021-05-02 08:30:00.123456 +0800 CST m=+0.000123', '2021-05-02T00:30:00.123Z'],
  ['2020-02-29T12:00:00Z', '2020-02-29T12:00:00.000Z'],
  ['2013-02-31T00:00:00Z', null],
  ['2013-02-31 00:00:00', null],
  ['0000-00-00 00:00:00', null],
  ['2014-13-40T99:00:00Z', null],
  ['31/12/2013', null],
  ['', null],
])('reads the timestamp %j as %j', (value, instant) => {
  expect(parseTimestamp(value)?.toISOString() ?? null).toBe(instant);
});

it('has a reader for every format but our own', () => {
  expect(Object.keys(READERS).sort()).toEqual(['artalk', 'commento', 'disqus', 'isso', 'remark42', 'waline', 'wordpress']);
});

describe('Disqus', () => {
  const hashKey = expect.stringMatching(/^disqus:hash-[0-9a-f]{20}$/);
  const EXPECTED = [
    {
      kind: 'thread',
      key: 'disqus:100',
      url: 'https://blog.example.com/2013/hello-world/',
      title: 'Hello & welcome',
      locked: false,
    },
    {
      kind: 'thread',
      key: 'disqus:200',
      url: 'https://blog.example.com/2014/closed-post/',
      title: 'A closed post',
      locked: true,
    },
    note(true, 'threads deleted in Disqus', 'disqus:400: Deleted thread (line 41)'),
    {
      kind: 'comment',
      key: 'disqus:1001',
      threadKey: 'disqus:100',
      author: { name: 'Ann Example', email: 'ann@example.com' },
      body: 'First! Tom & Jerry <3 — **bold** and https://example.org/docs\n\nSecond paragraph\nnew line',
      createdAt: date('2013-04-01T15:47:50Z'),
      status: 'published',
    },
    {
      kind: 'comment',
      key: 'disqus:1003',
      threadKey: 'disqus:100',
      parentKey: 'disqus:1002',
      author: { name: 'Guest Writer', email: 'guest@example.net' },
      body: '> First!\n\nA reply listed before its parent.',
      createdAt: date('2013-04-02T09:00:00Z'),
      status: 'published',
    },
    note(false, 'flags neither true nor false, read as false', 'disqus:1002 <isSpam>maybe (line 79)'),
    {
      kind: 'comment',
      key: 'disqus:1002',
      threadKey: 'disqus:100',
      parentKey: 'disqus:1001',
      author: { name: 'Bob' },
      body: 'Escaped HTML, no CDATA & an *entity*',
      createdAt: date('2013-04-01T16:00:00Z'),
      status: 'published',
    },
    {
      ...note(false, 'comments without a dsq:id, keyed by a hash of their content', ''),
      example: expect.stringMatching(/ \(line 93\)$/),
    },
    {
      kind: 'comment',
      key: hashKey,
      threadKey: 'disqus:100',
      author: { name: 'Chloé' },
      body: 'A post Disqus gave no id.',
      createdAt: date('2013-04-03T12:00:00Z'),
      status: 'published',
    },
    note(false, "dates unreadable, the thread's used", 'disqus:1004 (line 105)'),
    {
      kind: 'comment',
      key: 'disqus:1004',
      threadKey: 'disqus:100',
      parentKey: 'disqus:999',
      author: { name: 'Dmitri' },
      body: 'Its parent is not in this file.',
      createdAt: date('2013-04-01T10:00:00Z'),
      status: 'published',
    },
    {
      kind: 'comment',
      key: 'disqus:2001',
      threadKey: 'disqus:200',
      author: { name: 'Spammer', email: 'spam@example.com' },
      body: 'Buy cheap watches',
      createdAt: date('2014-02-01T08:00:00Z'),
      status: 'spam',
    },
    {
      kind: 'comment',
      key: 'disqus:2002',
      threadKey: 'disqus:200',
      author: { name: 'Eve' },
      body: '',
      createdAt: date('2014-02-02T08:00:00Z'),
      status: 'deleted',
    },
    note(false, "dates unreadable, the previous comment's used", 'disqus:2003 (line 145)'),
    {
      kind: 'comment',
      key: 'disqus:2003',
      threadKey: 'disqus:200',
      author: { name: 'Fatima' },
      body: "Neither this date nor the thread's can be read.",
      createdAt: date('2014-02-02T08:00:00Z'),
      status: 'published',
    },
    note(true, 'comments of threads deleted in Disqus', 'disqus:4001: On a deleted thread. (line 171)'),
    { kind: 'thread', key: 'disqus:300', url: 'https://blog.example.com/late/', title: 'Listed after its posts', locked: false },
    {
      kind: 'comment',
      key: 'disqus:3001',
      threadKey: 'disqus:300',
      author: { name: 'Hiroshi' },
      body: 'Before my thread.',
      createdAt: date('2016-05-05T05:05:05Z'),
      status: 'published',
    },
    note(true, 'comments whose thread is not in the file', 'disqus:7001: My thread is nowhere. (line 184)'),
  ];

  it('reads threads, posts and what real exports get wrong', async () => {
    const records = await read('disqus', fixture('disqus.xml'));
    expect(records).toEqual(EXPECTED);
    expectThreadsFirst(records);
  });

  it('gives a post with no dsq:id the same key at every import, from its content', async () => {
    const keyOf = async (path: string) =>
      (await read('disqus', path)).find((r) => r.kind === 'comment' && r.body.includes('gave no id'));
    const first = await keyOf(fixture('disqus.xml'));
    const again = await keyOf(file(readFileSync(fixture('disqus.xml'))));
    const edited = await keyOf(file(readFileSync(fixture('disqus.xml'), 'utf8').replace('gave no id.', 'gave no id!')));
    expect(again).toEqual(first);
    expect(edited).toMatchObject({ kind: 'comment', key: hashKey });
    expect((edited as { key: string }).key).not.toBe((first as { key: string }).key);
  });

  it('reads the gzipped export Disqus mails as it is', async () => {
    expect(await read('disqus', file(gzipSync(readFileSync(fixture('disqus.xml'))), '.xml.gz'))).toEqual(EXPECTED);
  });

  it('says where a truncated file ends', async () => {
    const xml = readFileSync(fixture('disqus.xml'), 'utf8');
    const error = await failure('disqus', file(xml.slice(0, xml.indexOf('<createdAt>2013-04-01T16') + 15)));
    expect(error.message).toBe('Disqus export: the file ends inside <createdAt> (truncated?) (at line 82, column 19)');
    expect(error.position).toBe('line 82, column 19');
  });

  it('says where a truncated gzip file ends', async () => {
    const gzip = gzipSync(readFileSync(fixture('disqus.xml')));
    const error = await failure('disqus', file(gzip.subarray(0, gzip.length - 200)));
    expect(error.message).toMatch(/^Disqus export: the gzip file ends early \(truncated\?\) \(at line \d+, column \d+\)$/);
  });

  it('says where the XML is malformed', async () => {
    const xml = readFileSync(fixture('disqus.xml'), 'utf8').replace('<isSpam>maybe</isSpam>', '<isSpam>maybe</isSpm>');
    const error = await failure('disqus', file(xml));
    expect(error.message).toBe('Disqus export: the XML is malformed (unexpected close tag.) (at line 84, column 25)');
  });

  it.each([
    [
      'a WordPress export',
      'wordpress.xml',
      'it is XML whose root is <rss>, with WordPress export elements, like a WordPress export (WXR) (try --from wordpress)',
    ],
    [
      'a Commento export',
      'commento.json',
      'it is JSON with "comments" and "commenters", like a Commento export (try --from commento)',
    ],
    [
      'an Artalk export',
      'artalk.json',
      'it is a JSON array of comments with page keys, like an Artalk export (Artrans) (try --from artalk)',
    ],
  ])('says a file is not a Disqus export: %s', async (_, name, why) => {
    expect((await failure('disqus', fixture(name))).message).toBe(`this is not a Disqus export: ${why}`);
  });

  it.each([
    ['an empty file', '', 'the file is empty'],
    ['a text file', 'Hello, comments.', 'it is neither XML nor JSON (it starts with "Hello, comments.")'],
    ['JSON nobody exports', '{"hello": 1}', 'it is JSON, not XML'],
    [
      'another XML document',
      '<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom"></feed>',
      'its root element is <feed>, not <disqus> (at line 2)',
    ],
  ])('says a file is not a Disqus export: %s', async (_, contents, why) => {
    const message = (await failure('disqus', file(contents))).message;
    expect(message.replace(/ \(at line \d+\)$/, ' (at line 2)')).toBe(`this is not a Disqus export: ${why}`);
  });

  it('holds posts that come before their thread only up to a bound', async () => {
    const post = (i: number) =>
      `<post dsq:id="${i}"><message><![CDATA[<p>post ${i}</p>]]></message><createdAt>2020-01-01T00:00:00Z</createdAt>` +
      `<isDeleted>false</isDeleted><isSpam>false</isSpam><author><name>A</name></author><thread dsq:id="1"/></post>\n`;
    const posts = Array.from({ length: MAX_WAITING_POSTS + 3 }, (_, i) => post(i + 1)).join('');
    const xml =
      `<?xml version="1.0"?>\n<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">\n${posts}` +
      `<thread dsq:id="1"><link>https://x.example/</link><title>T</title><createdAt>2020-01-01T00:00:00Z</createdAt></thread></disqus>`;
    const records = await read('disqus', file(xml));
    const notes = records.filter((r) => r.kind === 'note');
    expect(notes).toHaveLength(3);
    expect(notes[0]).toMatchObject({
      skipped: true,
      reason: `comments before their thread, beyond the ${MAX_WAITING_POSTS} held`,
    });
    expect(records.filter((r) => r.kind === 'comment')).toHaveLength(MAX_WAITING_POSTS);
    expectThreadsFirst(records);
  });

  it("reads the bench's generated export: every post, a fifth of them replies, threads first", async () => {
    const path = join(dir, 'generated.xml');
    await writeDisqusExport({ comments: 3000, threads: 40, out: path });
    const records = await read('disqus', path);
    const comments = records.filter((r) => r.kind === 'comment');
    expect(records.filter((r) => r.kind === 'thread')).toHaveLength(40);
    expect(records.filter((r) => r.kind === 'note')).toEqual([]);
    expect(comments).toHaveLength(3000);
    const replies = comments.filter((c) => c.parentKey).length;
    expect(replies / comments.length).toBeGreaterThan(0.15);
    expect(replies / comments.length).toBeLessThan(0.25);
    expect(comments.some((c) => c.status === 'spam')).toBe(true);
    expect(comments.some((c) => c.status === 'deleted')).toBe(true);
    expect(comments.every((c) => !/<\/?[a-z]/.test(c.body))).toBe(true);
    expectThreadsFirst(records);
  });
});

describe('WordPress', () => {
  const thread10 = {
    kind: 'thread',
    key: 'wordpress:10',
    url: 'https://wp.example.com/2014/03/first-post/',
    title: 'First post & more',
    locked: false,
  };
  const EXPECTED = [
    thread10,
    {
      kind: 'comment',
      key: 'wordpress:101',
      threadKey: 'wordpress:10',
      author: { name: 'Ann Example', url: 'https://ann.example.com/', email: 'ann@example.com' },
      body: 'Plain text, as typed.\nSecond line & more.\n\nA new paragraph.',
      createdAt: date('2014-03-01T11:00:00Z'),
      status: 'published',
    },
    {
      kind: 'comment',
      key: 'wordpress:103',
      threadKey: 'wordpress:10',
      parentKey: 'wordpress:102',
      author: { name: 'Bob' },
      body: 'A reply before its parent, with a link (https://example.org/) & **bold** “quotes”.',
      createdAt: date('2014-03-02T07:30:00Z'),
      status: 'published',
    },
    {
      kind: 'comment',
      key: 'wordpress:102',
      threadKey: 'wordpress:10',
      parentKey: 'wordpress:101',
      author: { name: 'Chloé', email: 'chloe@example.fr' },
      body: 'Waiting for moderation.',
      createdAt: date('2014-03-01T12:00:00Z'),
      status: 'pending',
    },
    note(true, 'pingbacks and trackbacks', 'wordpress:104 (line 90): […] linked to your post […]'),
    note(true, 'pingbacks and trackbacks', 'wordpress:105 (line 103): A trackback excerpt'),
    {
      kind: 'comment',
      key: 'wordpress:106',
      threadKey: 'wordpress:10',
      author: { name: 'Cheap Pills', url: 'https://pills.example.com/', email: 'pills@example.com' },
      body: 'Buy now',
      createdAt: date('2014-03-05T09:00:00Z'),
      status: 'spam',
    },
    {
      kind: 'comment',
      key: 'wordpress:107',
      threadKey: 'wordpress:10',
      author: { name: 'Dmitri' },
      body: 'Trashed by the owner',
      createdAt: date('2014-03-06T09:00:00Z'),
      status: 'deleted',
    },
    note(false, 'dates without GMT time, the local time read as UTC', 'wordpress:108 (line 142)'),
    {
      kind: 'comment',
      key: 'wordpress:108',
      threadKey: 'wordpress:10',
      parentKey: 'wordpress:999',
      author: { name: 'Eve' },
      body: 'My parent is not in the file; my GMT date is zero.',
      createdAt: date('2014-03-07T10:00:00Z'),
      status: 'published',
    },
    note(false, "dates unreadable, the thread's used", 'wordpress:109 (line 155)'),
    {
      kind: 'comment',
      key: 'wordpress:109',
      threadKey: 'wordpress:10',
      author: { name: 'Fatima' },
      body: 'No date at all.',
      createdAt: date('2014-03-01T09:00:00Z'),
      status: 'published',
    },
    { kind: 'thread', key: 'wordpress:30', url: 'https://wp.example.com/about/', title: 'About', locked: true },
    {
      kind: 'comment',
      key: 'wordpress:301',
      threadKey: 'wordpress:30',
      author: { name: 'Hiroshi', email: 'hiroshi@example.jp' },
      body: '> About?\n\nYes, about.',
      createdAt: date('2014-01-02T09:00:00Z'),
      status: 'published',
    },
    note(true, 'pingbacks and trackbacks', 'wordpress:401 (line 209): Pinged'),
  ];

  it('reads posts with comments, skipping pingbacks and trackbacks, posts without comments yielding nothing', async () => {
    const records = await read('wordpress', fixture('wordpress.xml'));
    expect(records).toEqual(EXPECTED);
    expectThreadsFirst(records);
  });

  it('keeps pingbacks and trackbacks as comments when asked', async () => {
    const records = await read('wordpress', fixture('wordpress.xml'), { withPingbacks: true });
    expect(records.filter((r) => r.kind === 'note' && r.skipped)).toEqual([]);
    expect(records.find((r) => r.kind === 'comment' && r.key === 'wordpress:104')).toEqual({
      kind: 'comment',
      key: 'wordpress:104',
      threadKey: 'wordpress:10',
      author: { name: 'Other Blog', url: 'https://other.example.com/post/' },
      body: '[…] linked to your post […]',
      createdAt: date('2014-03-03T09:00:00Z'),
      status: 'published',
    });
    expect(records.filter((r) => r.kind === 'thread').map((r) => r.key)).toEqual([
      'wordpress:10',
      'wordpress:30',
      'wordpress:40',
    ]);
    expectThreadsFirst(records);
  });

  it.each(['1.0', '1.2'])('reads WXR %s as well', async (version) => {
    const xml = readFileSync(fixture('wordpress.xml'), 'utf8').replaceAll(
      'http://wordpress.org/export/1.1/',
      `http://wordpress.org/export/${version}/`,
    );
    expect(await read('wordpress', file(xml))).toEqual(EXPECTED);
  });

  it('reads the wp elements by their namespace, whatever the prefix', async () => {
    const xml = readFileSync(fixture('wordpress.xml'), 'utf8')
      .replace(/(<\/?)wp:/g, '$1wxr:')
      .replace('xmlns:wp=', 'xmlns:wxr=');
    expect(await read('wordpress', file(xml))).toEqual(EXPECTED);
  });

  it('says an RSS feed is not a WordPress export', async () => {
    const feed = '<?xml version="1.0"?>\n<rss version="2.0"><channel><item><title>x</title></item></channel></rss>';
    expect((await failure('wordpress', file(feed))).message).toBe(
      'this is not a WordPress export (WXR): it is an RSS feed without WordPress export elements (no wp namespace) (at line 1)',
    );
  });

  it('says a Disqus export is not a WordPress export', async () => {
    expect((await failure('wordpress', fixture('disqus.xml'))).message).toBe(
      'this is not a WordPress export (WXR): it is XML whose root is <disqus>, like a Disqus export (try --from disqus)',
    );
  });

  it('says where a truncated file ends', async () => {
    const xml = readFileSync(fixture('wordpress.xml'), 'utf8');
    const error = await failure('wordpress', file(xml.slice(0, xml.indexOf('Waiting for moderation'))));
    expect(error.message).toMatch(
      /^WordPress export \(WXR\): the file ends inside <wp:comment_content> \(truncated\?\) \(at line 84, column \d+\)$/,
    );
  });
});

describe('Commento', () => {
  const first = 'commento:blog.example.com/posts/first/';
  const second = 'commento:blog.example.com/posts/second/';
  const EXPECTED = [
    { kind: 'thread', key: first, url: 'https://blog.example.com/posts/first/' },
    {
      kind: 'comment',
      key: 'commento:c1a1',
      threadKey: first,
      author: { name: 'Ann Example', url: 'https://ann.example.com', email: 'ann@example.com' },
      body: 'Nice post!\n\nSome **markdown** and **HTML** with `<i>code</i>`.',
      createdAt: date('2019-06-01T10:00:00.123Z'),
      status: 'published',
      score: 3,
    },
    {
      kind: 'comment',
      key: 'commento:c1a2',
      threadKey: first,
      parentKey: 'commento:c1a1',
      author: { name: '' },
      body: 'A reply from nobody in particular.',
      createdAt: date('2019-06-02T10:00:00Z'),
      status: 'pending',
      score: 0,
    },
    note(false, 'comments whose commenter is not in the file, kept as anonymous', 'commento:c1a3 (record 4)'),
    {
      kind: 'comment',
      key: 'commento:c1a3',
      threadKey: first,
      author: { name: '' },
      body: '[deleted]',
      createdAt: date('2019-06-03T10:00:00Z'),
      status: 'deleted',
      score: 0,
    },
    { kind: 'thread', key: second, url: 'https://blog.example.com/posts/second/' },
    {
      kind: 'comment',
      key: 'commento:c2b1',
      threadKey: second,
      author: { name: 'Shop', email: 'shop@example.com' },
      body: 'Visit my shop',
      createdAt: date('2019-07-01T10:00:00Z'),
      status: 'spam',
      score: -2,
    },
  ];

  it('reads comments with their commenters, page by page', async () => {
    const records = await read('commento', fixture('commento.json'));
    expect(records).toEqual(EXPECTED);
    expectThreadsFirst(records);
  });

  it('reads the gzipped file Commento mails, on one line', async () => {
    const oneLine = JSON.stringify(JSON.parse(readFileSync(fixture('commento.json'), 'utf8')));
    expect(await read('commento', file(gzipSync(oneLine), '.json.gz'))).toEqual(EXPECTED);
  });

  it('says which record a truncated or malformed file breaks in', async () => {
    const json = readFileSync(fixture('commento.json'), 'utf8');
    const truncated = await failure('commento', file(json.slice(0, json.indexOf('"c1a2"'))));
    expect(truncated.message).toBe(
      'Commento export: the file ends before its JSON does (truncated?) (at record 2, line 18, column 21)',
    );
    const malformed = await failure('commento', file(json.replace('"score": -2,', '"score": -2,,')));
    expect(malformed.position).toBe('record 3, line 38, column 19');
    expect(malformed.message).toMatch(/^Commento export: the JSON is malformed \(.+\) \(at record 3, line 38, column 19\)$/);
  });

  it('says another format is not a Commento export', async () => {
    expect((await failure('commento', fixture('waline.json'))).message).toBe(
      'this is not a Commento export: it is JSON with Waline\'s "Comment" table, like a Waline export (try --from waline)',
    );
    expect((await failure('commento', file('{"version": 1, "pages": []}'))).message).toBe(
      'this is not a Commento export: it has no "comments" list',
    );
    expect((await failure('commento', file('{"version": 2, "comments": [], "commenters": []}'))).message).toBe(
      'Commento export: version 2 is not one this reads (1)',
    );
  });
});

describe('Remark42', () => {
  const first = 'remark42:https://blog.example.com/posts/first/';
  const locked = 'remark42:https://blog.example.com/posts/locked/';
  const EXPECTED = [
    { kind: 'thread', key: first, url: 'https://blog.example.com/posts/first/', title: 'First post', locked: false },
    {
      kind: 'comment',
      key: 'remark42:r-1',
      threadKey: first,
      author: { name: 'Ann Example' },
      body: 'Hello *there*, see https://example.org',
      createdAt: date('2018-05-27T23:32:17.452Z'),
      status: 'published',
      score: 2,
      pinned: true,
    },
    {
      kind: 'comment',
      key: 'remark42:r-2',
      threadKey: first,
      parentKey: 'remark42:r-1',
      author: { name: 'Bob' },
      body: 'A reply.',
      createdAt: date('2018-05-28T10:00:00Z'),
      editedAt: date('2018-05-28T10:05:00Z'),
      status: 'published',
      score: 0,
    },
    {
      kind: 'comment',
      key: 'remark42:r-3',
      threadKey: first,
      author: { name: 'deleted' },
      body: '',
      createdAt: date('2018-05-29T10:00:00Z'),
      status: 'deleted',
      score: 0,
    },
    { kind: 'thread', key: locked, url: 'https://blog.example.com/posts/locked/', title: 'Locked', locked: true },
    note(false, "dates unreadable, the previous comment's used", 'remark42:r-4 (record 5)'),
    {
      kind: 'comment',
      key: 'remark42:r-4',
      threadKey: locked,
      author: { name: 'Chloé' },
      body: 'On a read-only post.',
      createdAt: date('2018-05-29T10:00:00Z'),
      status: 'published',
      score: -1,
    },
  ];

  it('reads a backup, gzipped as Remark42 writes it or not', async () => {
    const lines = readFileSync(fixture('remark42.jsonl'));
    expect(await read('remark42', file(gzipSync(lines), '.gz'))).toEqual(EXPECTED);
    const records = await read('remark42', fixture('remark42.jsonl'));
    expect(records).toEqual(EXPECTED);
    expectThreadsFirst(records);
  });

  it('names the record where a gzip file ends early', async () => {
    const gzip = gzipSync(readFileSync(fixture('remark42.jsonl')));
    const error = await failure('remark42', file(gzip.subarray(0, 500)));
    expect(error.message).toBe('Remark42 backup: the gzip file ends early (truncated?) (at record 4)');
    expect(error.position).toBe('record 4');
  });

  it('names the record that is not JSON', async () => {
    const lines = readFileSync(fixture('remark42.jsonl'), 'utf8').split('\n');
    lines[2] = lines[2]!.slice(0, 40);
    const error = await failure('remark42', file(lines.join('\n')));
    expect(error.message).toMatch(/^Remark42 backup: a line is not JSON \(.+\) \(at record 3\)$/);
  });

  it('says another format is not a Remark42 backup', async () => {
    const commento = gzipSync(JSON.stringify(JSON.parse(readFileSync(fixture('commento.json'), 'utf8'))));
    expect((await failure('remark42', file(commento))).message).toBe(
      'this is not a Remark42 backup: it is JSON with "comments" and "commenters", like a Commento export (try --from commento)',
    );
    expect((await failure('remark42', fixture('disqus.xml'))).message).toBe(
      'this is not a Remark42 backup: it is XML whose root is <disqus>, like a Disqus export (try --from disqus)',
    );
    expect((await failure('remark42', file('{"id": "x", "text": "a comment"}\n'))).message).toBe(
      'this is not a Remark42 backup: its first line is not a backup header ({"version":…,"users":…,"posts":…}) (at record 1)',
    );
  });
});

describe('Isso', () => {
  const EXPECTED = [
    { kind: 'thread', key: 'isso:1', url: '/posts/first/', title: 'First post' },
    {
      kind: 'comment',
      key: 'isso:1',
      threadKey: 'isso:1',
      author: { name: 'Ann Example', url: 'https://ann.example.com', email: 'ann@example.com' },
      body: 'Isso keeps **Markdown**.\nSecond line, and *HTML*.',
      createdAt: date('2017-07-14T02:40:00.250Z'),
      status: 'published',
      score: 2,
    },
    {
      kind: 'comment',
      key: 'isso:2',
      threadKey: 'isso:1',
      parentKey: 'isso:1',
      author: { name: '' },
      body: 'A pending reply.',
      createdAt: date('2017-07-14T02:41:40Z'),
      editedAt: date('2017-07-14T02:43:20.500Z'),
      status: 'pending',
    },
    {
      kind: 'comment',
      key: 'isso:3',
      threadKey: 'isso:1',
      author: { name: '' },
      body: '',
      createdAt: date('2017-07-14T02:45:00Z'),
      status: 'deleted',
    },
    { kind: 'thread', key: 'isso:2', url: '/posts/second/' },
    {
      kind: 'comment',
      key: 'isso:4',
      threadKey: 'isso:2',
      author: { name: 'Bob' },
      body: 'On the second post.',
      createdAt: date('2017-07-14T02:46:40Z'),
      status: 'published',
    },
    note(true, 'comments whose thread is not in the database', 'isso:5 (row 5)'),
  ];

  it('reads threads and comments from the SQLite database', async () => {
    const records = await read('isso', await issoDatabase());
    expect(records).toEqual(EXPECTED);
    expectThreadsFirst(records);
  });

  it('says a file that is not an Isso database is not one', async () => {
    expect((await failure('isso', fixture('disqus.xml'))).message).toBe(
      'this is not an Isso database: it is XML whose root is <disqus>, like a Disqus export (try --from disqus)',
    );
    expect((await failure('isso', file('just text'))).message).toBe(
      'this is not an Isso database: it is neither XML nor JSON (it starts with "just text")',
    );
    expect((await failure('isso', file('{"comments": []}'))).message).toBe(
      'this is not an Isso database: it is JSON, not an SQLite database',
    );
    const otherDatabase = await issoDatabase('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);');
    expect((await failure('isso', otherDatabase)).message).toBe(
      'this is not an Isso database: the database has no comments table (its tables: notes)',
    );
  });

  it('says a damaged database cannot be read', async () => {
    const bytes = readFileSync(await issoDatabase());
    const error = await failure('isso', file(bytes.subarray(0, 600)));
    expect(error.message).toMatch(/^this is not an Isso database: it is not a readable SQLite database \(.+\)$/);
  });
});

describe('Artalk', () => {
  const first = 'artalk:Blog:/posts/first.html';
  const adminOnly = 'artalk:Blog:https://blog.example.com/admin-only/';
  const EXPECTED = [
    { kind: 'thread', key: first, url: '/posts/first.html', title: 'First post', locked: false },
    {
      kind: 'comment',
      key: 'artalk:1',
      threadKey: first,
      author: { name: 'Ann Example', url: 'https://ann.example.com', email: 'ann@example.com' },
      body: 'Markdown *as typed*, with **HTML** too.\n\n> a quote',
      createdAt: date('2021-05-01T02:00:00Z'),
      status: 'published',
      score: 4,
      pinned: true,
    },
    {
      kind: 'comment',
      key: 'artalk:2',
      threadKey: first,
      parentKey: 'artalk:1',
      author: { name: 'Bob' },
      body: 'A pending reply.',
      createdAt: date('2021-05-02T00:30:00.123Z'),
      status: 'pending',
    },
    { kind: 'thread', key: adminOnly, url: 'https://blog.example.com/admin-only/', title: 'Admins only', locked: true },
    {
      kind: 'comment',
      key: 'artalk:3',
      threadKey: adminOnly,
      author: { name: 'Site Owner', email: 'owner@example.com' },
      body: 'Only admins may comment here.',
      createdAt: date('2021-06-01T12:00:00Z'),
      status: 'published',
    },
  ];

  it('reads an Artrans file, its strings and numbers alike', async () => {
    const records = await read('artalk', fixture('artalk.json'));
    expect(records).toEqual(EXPECTED);
    expectThreadsFirst(records);
  });

  it('names the record that is not a comment', async () => {
    const error = await failure(
      'artalk',
      file('[{"id": "1", "page_key": "/a", "content": "x", "created_at": "2021-01-01 00:00:00"}, 42]'),
    );
    expect(error.message).toBe('Artalk export: a comment is not a JSON object (at record 2)');
  });

  it('says another format is not an Artalk export', async () => {
    expect((await failure('artalk', fixture('commento.json'))).message).toBe(
      'this is not an Artalk export (Artrans): it is JSON with "comments" and "commenters", like a Commento export (try --from commento)',
    );
    expect((await failure('artalk', file('{"a": 1}'))).message).toBe(
      'this is not an Artalk export (Artrans): it is not a JSON array of comments',
    );
  });
});

describe('Waline', () => {
  const EXPECTED = [
    { kind: 'thread', key: 'waline:/posts/first.html', url: '/posts/first.html' },
    {
      kind: 'comment',
      key: 'waline:65a1',
      threadKey: 'waline:/posts/first.html',
      author: { name: 'Ann Example', url: 'https://ann.example.com', email: 'ann@example.com' },
      body: "Waline's markdown, **bold** and a link (https://example.org/).",
      createdAt: date('2023-01-01T10:00:00Z'),
      status: 'published',
      score: 4,
      pinned: true,
    },
    {
      kind: 'comment',
      key: 'waline:65a2',
      threadKey: 'waline:/posts/first.html',
      parentKey: 'waline:65a1',
      author: { name: 'Registered Reader', url: 'https://reader.example.com', email: 'reader@example.com' },
      body: 'A reply by a signed-in user.',
      createdAt: date('2023-01-02T09:00:00Z'),
      status: 'pending',
    },
    { kind: 'thread', key: 'waline:/posts/second.html', url: '/posts/second.html' },
    {
      kind: 'comment',
      key: 'waline:65b1',
      threadKey: 'waline:/posts/second.html',
      author: { name: 'Spammer', email: 'spam@example.com' },
      body: 'spam spam spam',
      createdAt: date('2023-02-01T00:00:00Z'),
      status: 'spam',
    },
  ];

  it("reads the admin's export, signed-in authors from its Users table", async () => {
    const records = await read('waline', fixture('waline.json'));
    expect(records).toEqual(EXPECTED);
    expectThreadsFirst(records);
  });

  it('says which record a truncated file breaks in', async () => {
    const json = readFileSync(fixture('waline.json'), 'utf8');
    const error = await failure('waline', file(json.slice(0, json.indexOf('"65b1"'))));
    expect(error.message).toBe(
      'Waline export: the file ends before its JSON does (truncated?) (at record 3, line 43, column 21)',
    );
  });

  it('says another format is not a Waline export', async () => {
    expect((await failure('waline', fixture('artalk.json'))).message).toBe(
      'this is not a Waline export: it is a JSON array of comments with page keys, like an Artalk export (Artrans) (try --from artalk)',
    );
    expect((await failure('waline', file('{"type": "waline", "data": {}}'))).message).toBe(
      'this is not a Waline export: it has no "data": {"Comment": […]} table',
    );
  });
});
