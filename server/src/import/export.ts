// `confab-server export [--thread T] FILE`: every thread and comment, as stored, in Confab's own
// format (confab-format.ts), read in keyset pages and written through gzip as they come, so
// that neither the tables nor the file are ever held in memory.
//
//   const { threads, comments } = await exportToFile(db, 'backup.jsonl.gz', { threadId: null });
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { Queryable, Row } from '../database.js';
import {
  COMMENT_FIELDS,
  CONFAB_FORMAT,
  CONFAB_FORMAT_VERSION,
  THREAD_FIELDS,
  isoText,
  type ExportHeader,
} from './confab-format.js';

/** Rows per query: a page of comments with their votes and reports. */
const PAGE_SIZE = 1_000;
const TIMESTAMPS = new Set(['created_at', 'last_comment_at', 'edited_at']);

const columns = (fields: readonly string[], alias: string) =>
  fields.map((field) => (TIMESTAMPS.has(field) ? `${isoText(`${alias}.${field}`)} AS ${field}` : `${alias}.${field}`)).join(', ');

export type ExportCounts = { threads: number; comments: number };

/**
 * The export's lines (each without its newline), header first; `counts` grows as they are read.
 * @param threadId one thread only, or null for all
 */
export async function* exportLines(
  db: Queryable,
  { threadId, counts, pageSize = PAGE_SIZE }: { threadId: string | null; counts: ExportCounts; pageSize?: number },
): AsyncGenerator<string> {
  const { rows: secrets } = await db.query("SELECT value FROM server_secrets WHERE name = 'commenter-hash'");
  const header: ExportHeader = {
    kind: 'header',
    format: CONFAB_FORMAT,
    version: CONFAB_FORMAT_VERSION,
    exportedAt: new Date().toISOString(),
    thread: threadId,
    commenterKey: (secrets[0]?.value as string | undefined) ?? null,
  };
  yield JSON.stringify(header);

  let lastThread: string | null = null;
  for (;;) {
    const params: unknown[] = [pageSize];
    const where = ['true'];
    if (threadId !== null) where.push(`t.id = $${params.push(threadId)}`);
    if (lastThread !== null) where.push(`t.id > $${params.push(lastThread)}`);
    const { rows } = await db.query(
      `SELECT ${columns(THREAD_FIELDS, 't')} FROM threads t WHERE ${where.join(' AND ')} ORDER BY t.id LIMIT $1`,
      params,
    );
    for (const row of rows) {
      counts.threads += 1;
      yield JSON.stringify({ kind: 'thread', ...row });
    }
    if (rows.length < pageSize) break;
    lastThread = rows.at(-1)!.id;
  }

  // Oldest first (comments_by_time, or comments_by_thread_time for one thread): parents come
  // before their replies, so an import of the file rarely has a reply to attach later.
  let after: Row | null = null;
  for (;;) {
    // Conditions written out rather than "$n IS NULL OR …", so that each query has its index.
    const params: unknown[] = [pageSize];
    const where = ['true'];
    if (threadId !== null) where.push(`c.thread_id = $${params.push(threadId)}`);
    if (after !== null) {
      where.push(`(c.created_at, c.id) > ($${params.push(after.created_at)}::timestamptz, $${params.push(after.id)}::text)`);
    }
    const { rows }: { rows: Row[] } = await db.query(
      `SELECT ${columns(COMMENT_FIELDS, 'c')} FROM comments c WHERE ${where.join(' AND ')}
       ORDER BY c.created_at, c.id LIMIT $1`,
      params,
    );
    if (rows.length === 0) break;
    const ids = rows.map((row) => row.id as string);
    const votes = await grouped(
      db,
      'SELECT comment_id, voter, value FROM votes WHERE comment_id = ANY($1::text[]) ORDER BY comment_id, voter',
      ids,
      (row) => [row.voter, row.value],
    );
    const reports = await grouped(
      db,
      `SELECT comment_id, reporter, client_hash, reason, note, ${isoText('created_at')} AS created_at, decided
       FROM reports WHERE comment_id = ANY($1::text[]) ORDER BY comment_id, reporter`,
      ids,
      ({ comment_id: _, ...report }) => report,
    );
    for (const row of rows) {
      counts.comments += 1;
      yield JSON.stringify({ kind: 'comment', ...row, votes: votes.get(row.id) ?? [], reports: reports.get(row.id) ?? [] });
    }
    if (rows.length < pageSize) break;
    after = rows.at(-1)!;
  }
}

/** The rows of `sql` for the comment ids, by comment id. */
async function grouped(db: Queryable, sql: string, ids: string[], shape: (row: Row) => unknown) {
  const { rows } = await db.query(sql, [ids]);
  const byComment = new Map<string, unknown[]>();
  for (const row of rows) {
    const list = byComment.get(row.comment_id) ?? [];
    byComment.set(row.comment_id, list);
    list.push(shape(row));
  }
  return byComment;
}

/**
 * Writes the export to `file`, gzipped. It is written under a temporary name and renamed when
 * complete: a failed export leaves no file that looks whole.
 */
export async function exportToFile(db: Queryable, file: string, { threadId }: { threadId: string | null }) {
  const counts: ExportCounts = { threads: 0, comments: 0 };
  const partial = `${file}.partial`;
  const withNewlines = async function* () {
    for await (const line of exportLines(db, { threadId, counts })) yield `${line}\n`;
  };
  try {
    await pipeline(Readable.from(withNewlines()), createGzip(), createWriteStream(partial));
    await rename(partial, file);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
  return counts;
}
