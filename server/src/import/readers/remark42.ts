// Remark42's backup (`remark42 backup`, or the automatic daily ones): gzip of JSON lines, the first
// a header (`{"version":1,"users":[…],"posts":[{"url","read_only"}]}`), then one comment a line,
// grouped by post. Streamed line by line. A post has no record of its own: its thread is yielded
// at its first comment, locked when the header says the post is read-only.
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { htmlToText, markdownToText } from '../html-to-text.js';
import { ImportFormatError, type ImportedComment, type ImportNote, type ImportReader, type ImportRecord } from '../records.js';
import { CommentDates, parseTimestamp } from './dates.js';
import { expectFormat, gzipError, headText, isObject, notA, recognize, stringField, textChunks } from './source-file.js';

/** The file's lines, gunzipped as they are read. */
async function* lines(path: string): AsyncGenerator<string> {
  const input = Readable.from(textChunks(path));
  let failure: unknown;
  input.on('error', (error) => (failure = error));
  const reader = createInterface({ input, crlfDelay: Infinity });
  for await (const line of reader) yield line;
  // readline ends quietly when its input fails: the failure is the file's.
  if (failure) throw failure;
}

export const readRemark42: ImportReader = async function* (path) {
  let record = 0;
  const readOnly = new Set<string>();
  const threads = new Set<string>();
  const dates = new CommentDates();
  try {
    expectFormat('remark42', await headText(path), 'json');
    for await (const line of lines(path)) {
      record++;
      if (record === 1) {
        header(line, readOnly);
        continue;
      }
      if (!line.trim()) continue;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (error) {
        throw new ImportFormatError(`Remark42 backup: a line is not JSON (${(error as Error).message})`, `record ${record}`);
      }
      yield* comment(value, record, threads, readOnly, dates);
    }
  } catch (error) {
    throw gzipError(error, 'remark42', `record ${record + 1}`) ?? error;
  }
  if (record === 0) throw notA('remark42', 'the file is empty');
};

function header(line: string, readOnly: Set<string>) {
  let meta: unknown;
  try {
    meta = JSON.parse(line);
  } catch {
    throw notA('remark42', `${recognize(line).what}, but its first line is not the backup's header`, 'record 1');
  }
  if (!isObject(meta) || typeof meta.version !== 'number' || 'comments' in meta || 'id' in meta) {
    throw notA('remark42', 'its first line is not a backup header ({"version":…,"users":…,"posts":…})', 'record 1');
  }
  for (const post of Array.isArray(meta.posts) ? meta.posts : []) {
    if (isObject(post) && post.read_only === true && typeof post.url === 'string') readOnly.add(post.url);
  }
}

function* comment(
  value: unknown,
  record: number,
  threads: Set<string>,
  readOnly: Set<string>,
  dates: CommentDates,
): Generator<ImportRecord> {
  if (!isObject(value)) throw new ImportFormatError('Remark42 backup: a line is not a JSON object', `record ${record}`);
  const id = stringField(value, 'id');
  const locator = isObject(value.locator) ? value.locator : {};
  const url = stringField(locator, 'url');
  const text = stringField(value, 'text');
  if (!id || !url) {
    const note: ImportNote = {
      kind: 'note',
      skipped: true,
      reason: 'records without an id or a post URL',
      example: `record ${record}`,
    };
    return yield note;
  }
  const threadKey = `remark42:${url}`;
  if (!threads.has(url)) {
    threads.add(url);
    const title = stringField(value, 'title').trim();
    yield { kind: 'thread', key: threadKey, url, ...(title ? { title } : {}), locked: readOnly.has(url) };
  }
  const key = `remark42:${id}`;
  const notes: ImportNote[] = [];
  const createdAt = dates.resolve(parseTimestamp(stringField(value, 'time')), `${key} (record ${record})`, null, notes);
  const user = isObject(value.user) ? value.user : {};
  const edit = isObject(value.edit) ? parseTimestamp(stringField(value.edit, 'time')) : null;
  const parent = stringField(value, 'pid');
  const score = typeof value.score === 'number' ? value.score : undefined;
  // `text` is the HTML Remark42 shows; `orig`, the Markdown typed, serves when the HTML is gone.
  const orig = stringField(value, 'orig');
  const comment: ImportedComment = {
    kind: 'comment',
    key,
    threadKey,
    author: { name: stringField(user, 'name') },
    body: text ? htmlToText(text) : markdownToText(orig),
    createdAt,
    status: value.delete === true ? 'deleted' : 'published',
  };
  if (parent) comment.parentKey = `remark42:${parent}`;
  if (edit) comment.editedAt = edit;
  if (score !== undefined) comment.score = score;
  if (value.pin === true) comment.pinned = true;
  yield* notes;
  yield comment;
}
