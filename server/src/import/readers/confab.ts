// The reader of Confab's own export (confab-format.ts), for `import --from confab`: streamed line
// by line through gunzip, each line checked before it is yielded. Records carry the stored row
// (`stored`), so the writer restores ids, hashes, statuses, votes and reports as they were.
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import {
  COMMENT_FIELDS,
  CONFAB_FORMAT,
  CONFAB_FORMAT_VERSION,
  THREAD_FIELDS,
  type ExactComment,
  type ExactThread,
  type ExportHeader,
  type StoredComment,
  type StoredThread,
} from '../confab-format.js';
import { ImportFormatError, type ImportReader } from '../records.js';

const GZIP_MAGIC = [0x1f, 0x8b];

/** Each line of the file, numbered from 1; gzip or, for hand-made files, plain text. */
async function* lines(path: string): AsyncGenerator<[number, string]> {
  const handle = await open(path).catch((error: NodeJS.ErrnoException) => {
    throw new ImportFormatError(`Cannot read ${path}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`);
  });
  const start = Buffer.alloc(2);
  await handle.read(start, 0, 2, 0).finally(() => handle.close());
  const file = createReadStream(path);
  const gzipped = start[0] === GZIP_MAGIC[0] && start[1] === GZIP_MAGIC[1];
  const input = gzipped ? file.pipe(createGunzip()) : file;
  if (gzipped) file.on('error', (error) => input.destroy(error));
  const decoder = new StringDecoder('utf8');
  let number = 0;
  let rest = '';
  try {
    for await (const chunk of input) {
      const text = rest + decoder.write(chunk as Buffer);
      const parts = text.split('\n');
      rest = parts.pop()!;
      for (const line of parts) yield [++number, line];
    }
  } catch (error) {
    const message = (error as Error).message;
    throw new ImportFormatError(
      /unexpected end/i.test(message) ? 'The gzip file ends early: it was cut short' : `Cannot read the gzip file: ${message}`,
      `line ${number + 1}`,
    );
  }
  rest += decoder.end();
  if (rest !== '') yield [number + 1, rest];
}

type Check = 'string' | 'string?' | 'boolean' | 'integer' | 'time' | 'time?';
const THREAD_CHECKS: Record<(typeof THREAD_FIELDS)[number], Check> = {
  id: 'string',
  title: 'string?',
  url: 'string?',
  locked: 'boolean',
  created_at: 'time',
  last_comment_at: 'time?',
  source: 'string?',
};
const COMMENT_CHECKS: Record<(typeof COMMENT_FIELDS)[number], Check> = {
  id: 'string',
  thread_id: 'string',
  parent_id: 'string?',
  root_id: 'string',
  author_name: 'string',
  author_url: 'string?',
  avatar_url: 'string?',
  author_role: 'string?',
  author_id: 'string?',
  author_verified: 'boolean',
  body: 'string',
  status: 'string',
  score: 'integer',
  pinned: 'boolean',
  created_at: 'time',
  edited_at: 'time?',
  email_hash: 'string?',
  client_hash: 'string?',
  body_hash: 'string?',
  token_hash: 'string?',
  hold_reason: 'string?',
  open_reports: 'integer',
  ever_published: 'boolean',
  deleted_by: 'string?',
  source: 'string?',
};
const STATUSES = new Set(['published', 'pending', 'deleted', 'spam']);

/** The first problem with a field of `row`, or null. */
function problemIn(row: Record<string, unknown>, checks: Record<string, Check>): string | null {
  for (const [field, check] of Object.entries(checks)) {
    const value = row[field];
    if (value === null && check.endsWith('?')) continue;
    const ok =
      check.startsWith('string') || check.startsWith('time')
        ? typeof value === 'string' && !value.includes('\0') && (!check.startsWith('time') || !Number.isNaN(Date.parse(value)))
        : check === 'boolean'
          ? typeof value === 'boolean'
          : Number.isSafeInteger(value);
    if (!ok) return `"${field}" is not ${check.startsWith('time') ? 'a time' : `a ${check.replace('?', '')}`}`;
  }
  return null;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function parseLine(number: number, line: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new ImportFormatError('Not a JSON line', `line ${number}`);
  }
  if (!isObject(value)) throw new ImportFormatError('Not a JSON object', `line ${number}`);
  return value;
}

function readHeader(number: number, line: string | undefined): ExportHeader {
  const header = line === undefined ? undefined : parseLine(number, line);
  if (header?.kind !== 'header' || header.format !== CONFAB_FORMAT) {
    throw new ImportFormatError('Not a Confab export: it does not start with its header line', 'line 1');
  }
  if (header.version !== CONFAB_FORMAT_VERSION) {
    throw new ImportFormatError(
      `A Confab export of version ${String(header.version)}; this server reads version ${CONFAB_FORMAT_VERSION}`,
      'line 1',
    );
  }
  return header as ExportHeader;
}

/** The export's header line (its commenter key, its thread): read before the records. */
export async function readConfabHeader(path: string): Promise<ExportHeader> {
  for await (const [number, line] of lines(path)) return readHeader(number, line);
  return readHeader(1, undefined);
}

const threadKey = (id: string) => `confab-thread:${id}`;
const commentKey = (id: string) => `confab:${id}`;

function readVotes(value: unknown): StoredComment['votes'] | null {
  if (!Array.isArray(value)) return null;
  const valid = value.every(
    (vote) => Array.isArray(vote) && typeof vote[0] === 'string' && (vote[1] === 1 || vote[1] === -1) && vote.length === 2,
  );
  return valid ? (value as StoredComment['votes']) : null;
}

function readReports(value: unknown): StoredComment['reports'] | null {
  if (!Array.isArray(value)) return null;
  const checks: Record<string, Check> = {
    reporter: 'string',
    client_hash: 'string?',
    reason: 'string',
    note: 'string',
    created_at: 'time',
  };
  const valid = value.every(
    (report) => isObject(report) && problemIn(report, checks) === null && typeof report.decided === 'boolean',
  );
  return valid ? (value as StoredComment['reports']) : null;
}

const pick = <T>(row: Record<string, unknown>, fields: readonly string[]) =>
  Object.fromEntries(fields.map((field) => [field, row[field]])) as T;

export const readConfab: ImportReader = async function* (path) {
  let header: ExportHeader | undefined;
  for await (const [number, line] of lines(path)) {
    if (!header) {
      header = readHeader(number, line);
      continue;
    }
    if (line.trim() === '') continue;
    const at = `line ${number}`;
    const row = parseLine(number, line);
    if (row.kind === 'thread') {
      const problem = problemIn(row, THREAD_CHECKS);
      if (problem) throw new ImportFormatError(`A thread whose ${problem}`, at);
      const stored = pick<StoredThread>(row, THREAD_FIELDS);
      const record: ExactThread = {
        kind: 'thread',
        key: threadKey(stored.id),
        id: stored.id,
        ...(stored.url !== null && { url: stored.url }),
        ...(stored.title !== null && { title: stored.title }),
        locked: stored.locked,
        stored,
      };
      yield record;
    } else if (row.kind === 'comment') {
      const problem = problemIn(row, COMMENT_CHECKS) ?? (STATUSES.has(row.status as string) ? null : '"status" is not known');
      if (problem) throw new ImportFormatError(`A comment whose ${problem}`, at);
      const votes = readVotes(row.votes);
      const reports = readReports(row.reports);
      if (!votes || !reports)
        throw new ImportFormatError(`A comment whose "${votes ? 'reports' : 'votes'}" are not readable`, at);
      const stored = { ...pick<StoredComment>(row, COMMENT_FIELDS), votes, reports };
      const record: ExactComment = {
        kind: 'comment',
        key: commentKey(stored.id),
        threadKey: threadKey(stored.thread_id),
        ...(stored.parent_id !== null && { parentKey: commentKey(stored.parent_id) }),
        author: { name: stored.author_name, ...(stored.author_url !== null && { url: stored.author_url }) },
        body: stored.body,
        createdAt: new Date(stored.created_at),
        ...(stored.edited_at !== null && { editedAt: new Date(stored.edited_at) }),
        status: stored.status,
        score: stored.score,
        pinned: stored.pinned,
        stored,
      };
      yield record;
    } else {
      throw new ImportFormatError('A line that is neither a thread nor a comment', at);
    }
  }
  if (!header) readHeader(1, undefined);
};
