// Isso's SQLite database (comments.db), read with sql.js (SQLite in WebAssembly: no native build).
// `threads` (id, uri, title) and `comments` (tid, id, parent, created and modified as Unix seconds,
// mode 1 accepted, 2 pending, 4 deleted, text in Markdown, author, email, website, likes,
// dislikes). sql.js holds the database in memory, as SQLite files of comments are small; rows are
// stepped through one at a time, by thread, so each thread comes right before its comments.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import initSqlJs, { type Database, type SqlJsStatic } from 'sql.js';
import { markdownToText } from '../html-to-text.js';
import { ImportFormatError, type ImportedComment, type ImportNote, type ImportReader, type ImportRecord } from '../records.js';
import { CommentDates, fromUnixSeconds } from './dates.js';
import { expectFormat, notA } from './source-file.js';

const MODES: Record<number, ImportedComment['status']> = { 1: 'published', 2: 'pending', 4: 'deleted' };

let sqlJs: Promise<SqlJsStatic> | undefined;
function loadSqlJs(): Promise<SqlJsStatic> {
  const wasm = createRequire(import.meta.url).resolve('sql.js/dist/sql-wasm.wasm');
  sqlJs ??= initSqlJs({ locateFile: () => wasm });
  return sqlJs;
}

export const readIsso: ImportReader = async function* (path) {
  const bytes = await readFile(path);
  expectFormat('isso', bytes.subarray(0, 512).toString('latin1'), 'sqlite');
  const SQL = await loadSqlJs();
  let database: Database;
  try {
    database = new SQL.Database(bytes);
  } catch (error) {
    throw notA('isso', `SQLite cannot open it (${(error as Error).message})`);
  }
  try {
    yield* rows(database);
  } finally {
    database.close();
  }
};

function tables(database: Database): Set<string> {
  try {
    const result = database.exec("SELECT name FROM sqlite_master WHERE type = 'table'");
    return new Set((result[0]?.values ?? []).map(([name]) => String(name)));
  } catch (error) {
    throw notA('isso', `it is not a readable SQLite database (${(error as Error).message})`);
  }
}

function* rows(database: Database): Generator<ImportRecord> {
  const names = tables(database);
  if (!names.has('comments') || !names.has('threads')) {
    const found = [...names].join(', ') || 'none';
    throw notA('isso', `the database has no ${names.has('comments') ? 'threads' : 'comments'} table (its tables: ${found})`);
  }
  const threads = new Map<number, { uri: string; title: string | null }>();
  let row = 0;
  let statement;
  try {
    for (const [id, uri, title] of database.exec('SELECT id, uri, title FROM threads')[0]?.values ?? []) {
      threads.set(Number(id), { uri: String(uri ?? ''), title: title === null ? null : String(title) });
    }
    statement = database.prepare(
      'SELECT tid, id, parent, created, modified, mode, text, author, email, website, likes, dislikes FROM comments ORDER BY tid, id',
    );
  } catch (error) {
    throw new ImportFormatError(`Isso database: SQLite cannot read it (${(error as Error).message})`);
  }
  const dates = new CommentDates();
  let currentThread: number | null = null;
  let threadKnown = false;
  try {
    while (true) {
      let values;
      try {
        if (!statement.step()) break;
        values = statement.get();
      } catch (error) {
        throw new ImportFormatError(`Isso database: SQLite cannot read it (${(error as Error).message})`, `row ${row + 1}`);
      }
      row++;
      const [tid, id, parent, created, modified, mode, text, author, email, website, likes, dislikes] = values;
      const threadId = Number(tid);
      if (threadId !== currentThread) {
        currentThread = threadId;
        const thread = threads.get(threadId);
        threadKnown = thread !== undefined;
        if (thread) {
          yield { kind: 'thread', key: `isso:${threadId}`, url: thread.uri, ...(thread.title ? { title: thread.title } : {}) };
        }
      }
      const key = `isso:${String(id)}`;
      const where = `${key} (row ${row})`;
      if (!threadKnown) {
        yield { kind: 'note', skipped: true, reason: 'comments whose thread is not in the database', example: where };
        continue;
      }
      const notes: ImportNote[] = [];
      const createdAt = dates.resolve(fromUnixSeconds(created), where, null, notes);
      let status = MODES[Number(mode)];
      if (!status) {
        notes.push({
          kind: 'note',
          skipped: false,
          reason: 'modes unknown, read as pending',
          example: `${where} (mode ${String(mode)})`,
        });
        status = 'pending';
      }
      const comment: ImportedComment = {
        kind: 'comment',
        key,
        threadKey: `isso:${threadId}`,
        author: {
          name: typeof author === 'string' ? author : '',
          ...(typeof website === 'string' && website ? { url: website } : {}),
          ...(typeof email === 'string' && email ? { email } : {}),
        },
        body: markdownToText(typeof text === 'string' ? text : ''),
        createdAt,
        status,
      };
      if (parent !== null && parent !== undefined) comment.parentKey = `isso:${String(parent)}`;
      const edited = fromUnixSeconds(modified);
      if (edited) comment.editedAt = edited;
      const score = Number(likes ?? 0) - Number(dislikes ?? 0);
      if (Number.isFinite(score) && score !== 0) comment.score = score;
      yield* notes;
      yield comment;
    }
  } finally {
    statement.free();
  }
}
