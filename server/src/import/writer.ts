// Writes what a reader yields (records.ts) as threads and comments, in batches: each batch is one
// transaction, so an import killed at any moment leaves whole batches, and running it again
// completes it. A comment's id is derived from its source key ("disqus:123"), so a parent's id is
// known before the parent is read, and a comment already imported is recognised by its id alone.
//
//   const summary = await importRecords(db, READERS.disqus(file, {}), { format: 'disqus', siteUrl });
//
// A reply whose parent has not been written yet is written top-level and listed in
// import_fixups; so is a deleted placeholder. The last step (finishImport) attaches the replies
// whose parent came later, corrects the root ids below them, makes loops top-level, and removes
// the placeholders that no reply needs, each in a few set-based statements. Threads get their
// last activity (last_comment_at) once, after the last batch (a new thread its first batch's
// at once): per batch, it rewrote nearly every thread row each time.
//
// On PGlite the comments go in with COPY (Queryable.copyFrom), which reads them as text: half the
// work of 25 array parameters there. On PostgreSQL that saving is small (measured), so parameters.
import { createHash } from 'node:crypto';
import type { Database, Queryable, Row } from '../database.js';
import { EVENTS_CHANNEL } from '../events.js';
import { hashCommenter, newId, newServerSecret } from '../tokens.js';
import { LIMITS } from '../validate.js';
import type { ExactComment, ExactThread, StoredComment, StoredReport, StoredVote } from './confab-format.js';
import type { ImportFormat, ImportRecord, ImportedComment, ImportedThread } from './records.js';
import { createTally, type ImportSummary } from './summary.js';
import { threadPlaces } from './thread-ids.js';

/** Comments per batch (one transaction, one INSERT): large enough to be fast, small enough to redo. */
export const DEFAULT_BATCH_SIZE = 2_000;
/** Commenter hashes kept by an import (a site's regulars): beyond it, they are forgotten and made again. */
const EMAIL_HASHES_KEPT = 10_000;
/** Only one import at a time on a database: its last step assumes the fix-ups are its own. */
const IMPORT_LOCK = 0x696d7074; // "impt"
const COMMENTER_KEY = 'commenter-hash';
/** How an imported comment waits in the dashboard (pending or spam): the source held it. */
const IMPORTED_HOLD = 'imported';

export type ImportOptions = {
  format: ImportFormat;
  /** The site's address: thread URLs on another host are kept and counted. */
  siteUrl?: string;
  /** The site's pages end in "/": thread ids get one (see thread-ids.ts). */
  trailingSlash?: boolean;
  /** Keep comments the source calls spam, as spam; by default they are skipped. */
  includeSpam?: boolean;
  /** Read and count everything, write nothing (all in one transaction, rolled back). */
  dryRun?: boolean;
  batchSize?: number;
  /** The key of the commenter hashes; default: the database's, made if it has none. */
  hashKey?: string;
  /** The key the source's hashes were made with (a Confab export's): adopted by a database without one. */
  sourceHashKey?: string | null;
  /** Told after each batch. */
  onProgress?: (progress: { comments: number }) => void;
};

/** An imported comment's id: a hash of its source key, the same in every run. */
export const importedCommentId = (key: string) =>
  `i_${createHash('sha256').update(`confab-import\0${key}`).digest('base64url').slice(0, 22)}`;

/** A comment as written: the columns, its wanted parent, and a Confab export's votes and reports. */
type CommentRow = Omit<StoredComment, 'parent_id' | 'root_id' | 'votes' | 'reports'> & {
  /** Set by writeBatch: the parent it is written with (null until its parent is there), and its root. */
  parent_id?: string | null;
  root_id?: string;
  wanted_parent: string | null;
  placeholder: boolean;
  votes: StoredVote[];
  reports: StoredReport[];
};
type ThreadRow = {
  id: string;
  title: string | null;
  url: string | null;
  locked: boolean;
  created_at: string;
  last_comment_at: string | null;
  source: string | null;
};
/** A source thread: the id it maps to; its row until a comment of it is written (threads without comments are not created). */
type KnownThread = { id: string; row: ThreadRow | null };

class RolledBack extends Error {}

const isExactThread = (record: ImportedThread): record is ExactThread => 'stored' in record;
const isExactComment = (record: ImportedComment): record is ExactComment => 'stored' in record;

// PostgreSQL text cannot hold U+0000.
const clean = (text: string) => (text.includes('\0') ? text.replaceAll('\0', '') : text);
const shorten = (text: string, max: number) => {
  const chars = [...text];
  return chars.length > max ? chars.slice(0, max).join('') : text;
};
const isHttpUrl = (value: string) => {
  try {
    return value.length <= LIMITS.url && ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
};
const validDate = (date: Date | undefined) => (date instanceof Date && !Number.isNaN(date.getTime()) ? date : undefined);
const INT32 = 2 ** 31 - 1;

/**
 * Imports `records` into `db`.
 * @throws what the reader throws (ImportFormatError), after the batches before it were committed
 */
export async function importRecords(
  db: Database,
  records: AsyncIterable<ImportRecord>,
  options: ImportOptions,
): Promise<ImportSummary> {
  if (!options.dryRun) {
    // A server running on this PostgreSQL hears of the threads that changed; PGlite has no other process.
    const notify = db.kind === 'postgres';
    return withImportLock(db, () => runImport(db, (work) => db.transaction(work), records, options, notify, notify));
  }
  // The same work as a real import, so the same counts, in one transaction that is rolled back.
  let summary: ImportSummary | undefined;
  await db
    .transaction(async (tx) => {
      if (db.kind === 'postgres') await takeImportLock(tx);
      summary = await runImport(tx, (work) => work(tx), records, options, false, false);
      throw new RolledBack();
    })
    .catch((error) => {
      if (!(error instanceof RolledBack)) throw error;
    });
  return summary!;
}

/** On PostgreSQL, a second import at the same time is refused (PGlite: one process anyway). */
async function withImportLock<T>(db: Database, work: () => Promise<T>): Promise<T> {
  if (db.kind !== 'postgres') return work();
  // Held by a transaction of its own, on a connection of its own, until the import ends.
  return db.transaction(async (tx) => {
    await takeImportLock(tx);
    return work();
  });
}

async function takeImportLock(tx: Queryable) {
  const { rows } = await tx.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [IMPORT_LOCK]);
  if (!rows[0]!.locked) throw new Error('Another import is running on this database; run this one when it has finished');
}

async function runImport(
  q: Queryable,
  inTransaction: <T>(work: (tx: Queryable) => Promise<T>) => Promise<T>,
  records: AsyncIterable<ImportRecord>,
  options: ImportOptions,
  notify: boolean,
  postgres: boolean,
): Promise<ImportSummary> {
  const run = newId('run');
  const tally = createTally();
  const summary: ImportSummary = {
    format: options.format,
    dryRun: Boolean(options.dryRun),
    threads: { imported: 0, present: 0 },
    comments: { imported: 0, present: 0, pending: 0, spam: 0, deleted: 0 },
    skipped: [],
    adjusted: [],
  };
  const hashKey = options.hashKey ?? (await commenterKey(q, options.sourceHashKey ?? null, tally));
  const place = threadPlaces({ siteUrl: options.siteUrl, trailingSlash: options.trailingSlash });
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;

  const threadsByKey = new Map<string, KnownThread | null>();
  /** Thread ids met, with the first query string (articles that differ only there are merged). */
  const queryOfId = new Map<string, string>();
  const writtenThreadIds = new Set<string>();
  let batch = new Map<string, CommentRow>();
  let batchThreads: ThreadRow[] = [];
  let read = 0;
  /**
   * Each thread's newest comment in the batches written (placeholders aside), for its
   * last_comment_at: written once, after the last batch (a thread gets its first batch's when it is
   * created). As many entries as threads.
   */
  const activity = new Map<string, { at: string; ms: number }>();
  /** Commenters come back: their hashes, a bounded number of them. */
  const emailHashes = new Map<string, string>();
  const hashEmail = (email: string) => {
    let hash = emailHashes.get(email);
    if (hash === undefined) {
      if (emailHashes.size >= EMAIL_HASHES_KEPT) emailHashes.clear();
      hash = hashCommenter(hashKey, 'email', email);
      emailHashes.set(email, hash);
    }
    return hash;
  };

  function addThread(record: ImportedThread) {
    if (isExactThread(record)) {
      // Restored as it was, with or without comments.
      threadsByKey.set(record.key, { id: record.stored.id, row: null });
      if (!writtenThreadIds.has(record.stored.id)) batchThreads.push({ ...record.stored });
      writtenThreadIds.add(record.stored.id);
      return;
    }
    const title = record.title === undefined ? null : shorten(clean(record.title).trim(), LIMITS.pageTitle) || null;
    let id: string;
    let url: string | null;
    if (record.id !== undefined) {
      id = record.id;
      if (!id || id.length > LIMITS.threadId || id.includes('\0')) {
        threadsByKey.set(record.key, null);
        tally.add('skipped', `threads whose id is not 1 to ${LIMITS.threadId} characters`, record.key);
        return;
      }
      url = record.url ?? null;
    } else {
      const found = record.url ? place(record.url) : { problem: 'threads without a URL' };
      if ('problem' in found) {
        threadsByKey.set(record.key, null);
        tally.add('skipped', found.problem, record.url ? `${record.key} ${record.url}` : record.key);
        return;
      }
      ({ id, url } = found);
      if (found.offSite) tally.add('adjusted', 'thread URLs on another host than --site-url, kept', record.url!);
      const firstQuery = queryOfId.get(id);
      if (firstQuery === undefined) queryOfId.set(id, found.query);
      else if (firstQuery !== found.query) {
        tally.add('adjusted', 'articles whose URLs differ only in the query, merged into one thread', record.url!);
      }
    }
    const row: ThreadRow = {
      id,
      title,
      url: url === null ? null : shorten(clean(url), LIMITS.url),
      locked: Boolean(record.locked),
      created_at: '',
      last_comment_at: null,
      source: record.key,
    };
    threadsByKey.set(record.key, { id, row: writtenThreadIds.has(id) ? null : row });
  }

  function toRow(record: ImportedComment): CommentRow | null {
    const thread = threadsByKey.get(record.threadKey);
    if (thread === undefined) {
      tally.add('skipped', 'comments whose thread is not in the file', record.key);
      return null;
    }
    if (thread === null) {
      tally.add('skipped', 'comments of threads not imported', record.key);
      return null;
    }
    if (isExactComment(record)) {
      const { parent_id, root_id: _, votes, reports, ...stored } = record.stored;
      return { ...stored, thread_id: thread.id, wanted_parent: parent_id, placeholder: false, votes, reports };
    }
    const createdAt = validDate(record.createdAt);
    if (!createdAt) {
      tally.add('skipped', 'comments without a readable date', record.key);
      return null;
    }
    if (record.status === 'spam' && !options.includeSpam) {
      tally.add('skipped', 'spam (--include-spam keeps them, as spam)', record.key);
      return null;
    }
    const deleted = record.status === 'deleted';
    const body = clean(record.body).replace(/\r\n?/g, '\n').trim();
    if (!body && !deleted) {
      tally.add('skipped', 'comments with an empty body', record.key);
      return null;
    }
    let name = clean(record.author.name).trim();
    if ([...name].length > LIMITS.name) {
      name = shorten(name, LIMITS.name);
      tally.add('adjusted', `author names longer than ${LIMITS.name} characters, shortened`, record.key);
    }
    let authorUrl = record.author.url ? clean(record.author.url).trim() : null;
    if (authorUrl && !isHttpUrl(authorUrl)) {
      authorUrl = null;
      tally.add('adjusted', 'author URLs that are not http(s) addresses, left out', record.key);
    }
    const email = record.author.email?.trim();
    const score = Number.isFinite(record.score) ? Math.max(-INT32, Math.min(INT32, Math.trunc(record.score!))) : 0;
    const { status } = record;
    return {
      id: importedCommentId(record.key),
      thread_id: thread.id,
      wanted_parent: record.parentKey ? importedCommentId(record.parentKey) : null,
      // A deleted comment keeps only its place: nothing of what or who.
      author_name: deleted ? '' : name,
      author_url: deleted ? null : authorUrl,
      avatar_url: null,
      author_role: null,
      author_id: null,
      author_verified: false,
      body: deleted ? '' : body,
      status,
      score: deleted ? 0 : score,
      pinned: !deleted && Boolean(record.pinned),
      created_at: createdAt.toISOString(),
      edited_at: deleted ? null : (validDate(record.editedAt)?.toISOString() ?? null),
      email_hash: email && !deleted ? hashEmail(email) : null,
      client_hash: null,
      body_hash: null,
      token_hash: null,
      hold_reason: status === 'pending' || status === 'spam' ? IMPORTED_HOLD : null,
      open_reports: 0,
      // Readers of the source saw published and deleted ones; a deleted one shows as an empty place.
      ever_published: status === 'published' || deleted,
      deleted_by: null,
      source: record.key,
      placeholder: deleted,
      votes: [],
      reports: [],
    };
  }

  function addComment(row: CommentRow) {
    if (batch.has(row.id)) {
      tally.add('skipped', 'comments listed twice (the first kept)', row.source ?? row.id);
      return;
    }
    batch.set(row.id, row);
  }

  // One batch is written while the next is read: on PostgreSQL the two overlap. Batches still
  // commit in order, each after the one before, so a batch's lookups see every earlier parent.
  let writing: Promise<void> = Promise.resolve();
  async function flush() {
    if (batch.size === 0 && batchThreads.length === 0) return;
    const rows = [...batch.values()];
    const threads = batchThreads;
    batch = new Map();
    batchThreads = [];
    await writing;
    writing = write(rows, threads, read);
    // Its failure is thrown by the next flush, or by the end of the import.
    writing.catch(() => {});
  }

  async function write(rows: CommentRow[], threads: ThreadRow[], readSoFar: number) {
    const inserted = await inTransaction((tx) => writeBatch(tx, rows, threads, run, { notify, postgres }));
    // Present rows count too: a run after one that was stopped sets what that one had not.
    for (const [threadId, latest] of latestByThread(rows)) {
      const known = activity.get(threadId);
      if (known === undefined || known.ms < latest.ms) activity.set(threadId, latest);
    }
    summary.threads.imported += inserted.threads;
    summary.threads.present += threads.length - inserted.threads;
    summary.comments.imported += inserted.comments.length;
    summary.comments.present += rows.length - inserted.comments.length;
    const byId = new Map(rows.map((row) => [row.id, row]));
    for (const id of inserted.comments) {
      const status = byId.get(id)!.status;
      if (status === 'pending' || status === 'spam' || status === 'deleted') summary.comments[status] += 1;
    }
    options.onProgress?.({ comments: readSoFar });
  }

  let finished = false;
  try {
    for await (const record of records) {
      if (record.kind === 'note') {
        tally.add(record.skipped ? 'skipped' : 'adjusted', record.reason, record.example);
      } else if (record.kind === 'thread') {
        addThread(record);
      } else {
        read += 1;
        const row = toRow(record);
        if (!row) continue;
        const thread = threadsByKey.get(record.threadKey)!;
        // A thread is created with its first comment, in that comment's batch.
        if (thread.row && !writtenThreadIds.has(thread.id)) {
          batchThreads.push({ ...thread.row, created_at: thread.row.created_at || row.created_at });
          writtenThreadIds.add(thread.id);
        }
        thread.row = null;
        addComment(row);
        if (batch.size >= batchSize) await flush();
      }
    }
    await flush();
    finished = true;
  } finally {
    // A reader's error comes after the batch being written is committed (or has failed), and the
    // threads of the batches written get their activity.
    await writing.catch(() => {});
    if (!finished && activity.size > 0) await inTransaction((tx) => writeActivity(tx, activity)).catch(() => {});
  }
  await writing;

  const unused = new Map<string, string>();
  for (const [key, thread] of threadsByKey) {
    if (thread && !writtenThreadIds.has(thread.id) && !unused.has(thread.id)) unused.set(thread.id, thread.row?.url ?? key);
  }
  for (const example of unused.values()) tally.add('skipped', 'threads without comments (not created)', example);

  const fixed = await inTransaction(async (tx) => {
    await writeActivity(tx, activity);
    return finishImport(tx, run);
  });
  summary.comments.imported -= fixed.prunedOwn;
  summary.comments.present -= fixed.prunedEarlier;
  summary.comments.deleted -= fixed.prunedOwn;
  for (const line of fixed.lines) tally.add(line.kind, line.reason, line.examples, line.count);
  summary.skipped = tally.lines('skipped');
  summary.adjusted = tally.lines('adjusted');
  return summary;
}

/** The database's key of the commenter hashes, made (or taken from the source) if it has none. */
async function commenterKey(q: Queryable, sourceKey: string | null, tally: ReturnType<typeof createTally>) {
  await q.query('INSERT INTO server_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [
    COMMENTER_KEY,
    sourceKey ?? newServerSecret(),
  ]);
  const { rows } = await q.query('SELECT value FROM server_secrets WHERE name = $1', [COMMENTER_KEY]);
  const key = rows[0]!.value as string;
  if (sourceKey !== null && key !== sourceKey) {
    tally.add(
      'adjusted',
      "commenter hashes made with another installation's key (this database had its own): MODERATION=first, bans and sign-ins will not recognise those commenters",
      '',
    );
  }
  return key;
}

/** Writes one batch: its new threads, then its comments (parents in the database or in the batch). */
async function writeBatch(
  tx: Queryable,
  rows: CommentRow[],
  threads: ThreadRow[],
  run: string,
  { notify, postgres }: { notify: boolean; postgres: boolean },
) {
  // PostgreSQL: a batch's commit does not wait for its WAL to reach the disk. A crash of
  // PostgreSQL itself (not of the import) may lose the last batches, whole, which running the
  // import again writes; the last step commits as usual, so an import that said it finished has
  // everything. Not PGlite: its WAL is written by this process, and a kill would lose it.
  if (postgres) await tx.query('SET LOCAL synchronous_commit = off');
  let threadsInserted = 0;
  if (threads.length > 0) {
    const latest = latestByThread(rows);
    for (const thread of threads) thread.last_comment_at ??= latest.get(thread.id)?.at ?? null;
    const column = <K extends keyof ThreadRow>(key: K) => threads.map((thread) => thread[key]);
    const { rows: added } = await tx.query(
      `INSERT INTO threads (id, title, url, locked, created_at, last_comment_at, source)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::boolean[], $5::timestamptz[], $6::timestamptz[], $7::text[])
       ON CONFLICT (id) DO NOTHING RETURNING id`,
      [
        column('id'),
        column('title'),
        column('url'),
        column('locked'),
        column('created_at'),
        column('last_comment_at'),
        column('source'),
      ],
    );
    threadsInserted = added.length;
  }

  // One lookup for the rows already there and the parents of the batch's chains; the rest is known here.
  const tops = batchTops(rows);
  const wanted = rows.filter((row, i) => tops[i] === row.id && row.wanted_parent !== null).map((row) => row.wanted_parent!);
  const { rows: found } = await tx.query('SELECT id, thread_id, root_id FROM comments WHERE id = ANY($1::text[])', [
    [...rows.map((row) => row.id), ...wanted],
  ]);
  const stored = new Map(found.map((row) => [row.id as string, row]));
  const rootOfTop = new Map<string, string>();
  const parentOfTop = new Map<string, string | null>();
  rows.forEach((row, i) => {
    if (tops[i] !== row.id) return;
    const parent = row.wanted_parent === null ? undefined : stored.get(row.wanted_parent);
    const attached = parent !== undefined && parent.thread_id === row.thread_id;
    parentOfTop.set(row.id, attached ? parent.id : null);
    rootOfTop.set(row.id, stored.get(row.id)?.root_id ?? (attached ? parent.root_id : row.id));
  });
  const added: WrittenRow[] = [];
  rows.forEach((row, i) => {
    if (stored.has(row.id)) return;
    const top = tops[i]!;
    row.parent_id = top === row.id ? parentOfTop.get(row.id)! : row.wanted_parent;
    row.root_id = rootOfTop.get(top)!;
    added.push(row as WrittenRow);
  });
  if (added.length > 0) await insertComments(tx, added, run);
  const insertedIds = added.map((row) => row.id);
  await insertVotesAndReports(tx, rows, new Set(insertedIds));

  // A server running on this PostgreSQL drops its cached pages and counts of these threads, as
  // for any change (events.ts); the id names no comment, so event streams send nothing.
  if (notify && insertedIds.length > 0) {
    const byId = new Map(rows.map((row) => [row.id, row.thread_id]));
    const changed = [...new Set(insertedIds.map((id) => byId.get(id)!))];
    await tx.query('SELECT pg_notify($1, payload) FROM unnest($2::text[]) AS payload', [
      EVENTS_CHANNEL,
      changed.map((threadId) => JSON.stringify({ type: 'comment.updated', threadId, id: '' })),
    ]);
  }
  return { threads: threadsInserted, comments: insertedIds };
}

type WrittenRow = CommentRow & { parent_id: string | null; root_id: string };

/** Each thread's newest comment among `rows`, placeholders aside (one says nothing new: it has replies, which count, or it goes). */
function latestByThread(rows: CommentRow[]) {
  const latest = new Map<string, { at: string; ms: number }>();
  for (const row of rows) {
    if (row.placeholder) continue;
    const ms = Date.parse(row.created_at);
    const known = latest.get(row.thread_id);
    if (known === undefined || known.ms < ms) latest.set(row.thread_id, { at: row.created_at, ms });
  }
  return latest;
}

/** Sets the threads' last_comment_at to their newest imported comment where that is newer, a slice at a time. */
async function writeActivity(tx: Queryable, activity: Map<string, { at: string }>) {
  const entries = [...activity];
  for (let start = 0; start < entries.length; start += ACTIVITY_SLICE) {
    const slice = entries.slice(start, start + ACTIVITY_SLICE);
    await tx.query(
      `UPDATE threads t SET last_comment_at = m.at FROM unnest($1::text[], $2::timestamptz[]) AS m (id, at)
       WHERE t.id = m.id AND (t.last_comment_at IS NULL OR t.last_comment_at < m.at)`,
      [slice.map(([id]) => id), slice.map(([, latest]) => latest.at)],
    );
  }
}
const ACTIVITY_SLICE = 10_000;

/** The columns of an imported comment, with their types (for unnest). */
const COMMENT_COLUMNS = [
  ['id', 'text'],
  ['thread_id', 'text'],
  ['parent_id', 'text'],
  ['root_id', 'text'],
  ['author_name', 'text'],
  ['author_url', 'text'],
  ['avatar_url', 'text'],
  ['author_role', 'text'],
  ['author_id', 'text'],
  ['author_verified', 'boolean'],
  ['body', 'text'],
  ['status', 'text'],
  ['score', 'int'],
  ['pinned', 'boolean'],
  ['created_at', 'timestamptz'],
  ['edited_at', 'timestamptz'],
  ['email_hash', 'text'],
  ['client_hash', 'text'],
  ['body_hash', 'text'],
  ['token_hash', 'text'],
  ['hold_reason', 'text'],
  ['open_reports', 'int'],
  ['ever_published', 'boolean'],
  ['deleted_by', 'text'],
  ['source', 'text'],
] as const satisfies ReadonlyArray<readonly [keyof WrittenRow, string]>;
const COMMENT_NAMES = COMMENT_COLUMNS.map(([name]) => name).join(', ');
const INSERT_COMMENTS = `INSERT INTO comments (${COMMENT_NAMES})
  SELECT * FROM unnest(${COMMENT_COLUMNS.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ')})`;
const COPY_COMMENTS = `COPY comments (${COMMENT_NAMES}) FROM '/dev/blob'`;

/** A value in COPY's text format: \N for null, backslash escapes for what would end a field or a row. */
function copyValue(value: string | number | boolean | null | undefined) {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (typeof value === 'number') return String(value);
  return /[\\\t\n\r]/.test(value)
    ? value.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'))
    : value;
}

/** Inserts new comments (parents already there or among them) and their fix-ups. */
async function insertComments(tx: Queryable, rows: WrittenRow[], run: string) {
  // Foreign keys are checked at the end of the statement: a parent may follow its reply here.
  if (tx.copyFrom) {
    // PGlite: COPY reads the rows as text, about half the work of 25 array parameters.
    let data = '';
    for (const row of rows) {
      for (let i = 0; i < COMMENT_COLUMNS.length; i++) {
        data += (i === 0 ? '' : '\t') + copyValue(row[COMMENT_COLUMNS[i]![0]]);
      }
      data += '\n';
    }
    await tx.copyFrom(COPY_COMMENTS, data);
  } else {
    await tx.query(
      INSERT_COMMENTS,
      COMMENT_COLUMNS.map(([name]) => rows.map((row) => row[name])),
    );
  }
  const fixups = rows.filter((row) => (row.parent_id === null && row.wanted_parent !== null) || row.placeholder);
  if (fixups.length > 0) {
    await tx.query(
      `INSERT INTO import_fixups (comment_id, wanted_parent, placeholder, run)
       SELECT id, wanted_parent, placeholder, $4 FROM unnest($1::text[], $2::text[], $3::boolean[]) AS f (id, wanted_parent, placeholder)
       ON CONFLICT (comment_id) DO NOTHING`,
      [
        fixups.map((row) => row.id),
        fixups.map((row) => (row.parent_id === null ? row.wanted_parent : null)),
        fixups.map((row) => row.placeholder),
        run,
      ],
    );
  }
}

/**
 * For each row, the topmost comment of its chain of parents within the batch (itself when its
 * parent is not in the batch); a loop within the batch counts as having no parent here.
 */
function batchTops(rows: CommentRow[]): string[] {
  const inBatch = new Map(rows.map((row) => [row.id, row]));
  const top = new Map<string, string>();
  for (const row of rows) {
    const chain: string[] = [];
    let at: CommentRow = row;
    let result: string | undefined;
    for (;;) {
      const known = top.get(at.id);
      if (known !== undefined) {
        result = known;
        break;
      }
      chain.push(at.id);
      const parent = at.wanted_parent === null ? undefined : inBatch.get(at.wanted_parent);
      if (!parent || parent.thread_id !== at.thread_id) {
        result = at.id;
        break;
      }
      if (chain.includes(parent.id)) {
        // A loop: each of its comments is its own top (the last step makes them top-level).
        for (const id of chain) top.set(id, id);
        break;
      }
      at = parent;
    }
    if (result !== undefined) for (const id of chain) if (!top.has(id)) top.set(id, result);
  }
  return rows.map((row) => top.get(row.id)!);
}

async function insertVotesAndReports(tx: Queryable, rows: CommentRow[], inserted: Set<string>) {
  const votes = rows.filter((row) => inserted.has(row.id)).flatMap((row) => row.votes.map((vote) => [row.id, ...vote]));
  if (votes.length > 0) {
    await tx.query(
      `INSERT INTO votes (comment_id, voter, value) SELECT * FROM unnest($1::text[], $2::text[], $3::smallint[])
       ON CONFLICT DO NOTHING`,
      [votes.map((vote) => vote[0]), votes.map((vote) => vote[1]), votes.map((vote) => vote[2])],
    );
  }
  const reports = rows
    .filter((row) => inserted.has(row.id))
    .flatMap((row) => row.reports.map((report) => ({ id: row.id, ...report })));
  if (reports.length > 0) {
    const column = <K extends keyof (typeof reports)[number]>(key: K) => reports.map((report) => report[key]);
    await tx.query(
      `INSERT INTO reports (comment_id, reporter, client_hash, reason, note, created_at, decided)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::boolean[])
       ON CONFLICT DO NOTHING`,
      [
        column('id'),
        column('reporter'),
        column('client_hash'),
        column('reason'),
        column('note'),
        column('created_at'),
        column('decided'),
      ],
    );
  }
}

export const ORPHANED = 'replies whose parent is missing became top-level';
export const LOOPED = 'replies in a loop of parents became top-level';
export const PRUNED = 'deleted comments without replies';

type FixupLine = { kind: 'skipped' | 'adjusted'; reason: string; count: number; examples: string[] };

/**
 * The last step, for every fix-up listed (this run's, and those of a run killed before it):
 * replies whose parent came later get it, with the right root ids below them; loops of parents
 * become top-level; replies whose parent never came stay top-level; deleted placeholders that no
 * reply needs go.
 */
export async function finishImport(tx: Queryable, run: string) {
  // Each statement works on the whole import at once: no per-statement limit here.
  await tx.query('SET LOCAL statement_timeout = 0');
  // Fresh statistics for the planner: after a bulk insert it would think the tables tiny (PGlite
  // never analyzes on its own) and join them row by row.
  await tx.query('ANALYZE comments');
  await tx.query('ANALYZE import_fixups');
  const lines: FixupLine[] = [];
  const examplesOf = (rows: Row[]) => rows.slice(0, 3).map((row) => row.source ?? row.id);

  await tx.query(
    `UPDATE comments c SET parent_id = f.wanted_parent
     FROM import_fixups f, comments p
     WHERE f.comment_id = c.id AND f.wanted_parent IS NOT NULL AND c.parent_id IS NULL
       AND p.id = f.wanted_parent AND p.thread_id = c.thread_id`,
  );
  const attached = `SELECT c.id, c.parent_id FROM import_fixups f JOIN comments c ON c.id = f.comment_id
    WHERE f.wanted_parent IS NOT NULL AND c.parent_id IS NOT NULL`;
  const { rows: looped } = await tx.query(
    `WITH RECURSIVE up (start, at) AS (
       ${attached}
       UNION ALL
       SELECT up.start, p.parent_id FROM up JOIN comments p ON p.id = up.at WHERE p.parent_id IS NOT NULL
     ) CYCLE at SET in_loop USING path
     UPDATE comments c SET parent_id = NULL
     WHERE c.id IN (SELECT start FROM up WHERE at = start AND NOT in_loop)
     RETURNING c.id, c.source`,
  );
  if (looped.length) {
    lines.push({ kind: 'adjusted', reason: LOOPED, count: looped.length, examples: examplesOf(looped) });
  }
  // Below an attached comment, every root id was the attached comment's own (it was top-level).
  await tx.query(
    `WITH RECURSIVE up (start, at) AS (
       ${attached}
       UNION ALL
       SELECT up.start, p.parent_id FROM up JOIN comments p ON p.id = up.at WHERE p.parent_id IS NOT NULL
     ),
     tops AS (SELECT up.start, up.at AS root FROM up JOIN comments r ON r.id = up.at WHERE r.parent_id IS NULL)
     UPDATE comments c SET root_id = t.root
     FROM tops t JOIN comments s ON s.id = t.start
     WHERE c.thread_id = s.thread_id AND c.root_id = t.start`,
  );
  const { rows: orphans } = await tx.query(
    `SELECT c.id, c.source, count(*) OVER ()::int AS total FROM import_fixups f JOIN comments c ON c.id = f.comment_id
     WHERE f.wanted_parent IS NOT NULL AND c.parent_id IS NULL AND c.id <> ALL($1::text[])
     ORDER BY c.created_at, c.id LIMIT 3`,
    [looped.map((row) => row.id)],
  );
  if (orphans.length) {
    lines.push({ kind: 'adjusted', reason: ORPHANED, count: orphans[0]!.total, examples: examplesOf(orphans) });
  }

  // Placeholders without replies go; a chain of them goes from the bottom up.
  let prunedOwn = 0;
  let prunedEarlier = 0;
  const pruned: Row[] = [];
  for (;;) {
    const { rows } = await tx.query(
      `DELETE FROM comments c USING import_fixups f
       WHERE f.comment_id = c.id AND f.placeholder AND NOT EXISTS (
         SELECT 1 FROM comments r WHERE r.thread_id = c.thread_id AND r.root_id = c.root_id AND r.parent_id = c.id)
       RETURNING c.id, c.source, f.run`,
    );
    if (rows.length === 0) break;
    await tx.query('DELETE FROM import_fixups WHERE comment_id = ANY($1::text[])', [rows.map((row) => row.id)]);
    for (const row of rows) {
      if (row.run === run) prunedOwn += 1;
      else prunedEarlier += 1;
      if (pruned.length < 3) pruned.push({ id: row.id, source: row.source });
    }
  }
  if (pruned.length) {
    lines.push({ kind: 'skipped', reason: PRUNED, count: prunedOwn + prunedEarlier, examples: examplesOf(pruned) });
  }
  await tx.query('DELETE FROM import_fixups');
  return { lines, prunedOwn, prunedEarlier };
}
