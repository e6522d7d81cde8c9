// What the readers share about the file they were given: its bytes as text (gunzipped when it is
// gzip, as Disqus, Commento and Remark42 hand theirs out), what format it looks like (so that the
// wrong --from says which one to use instead of failing somewhere inside), and the errors a
// damaged file gives, with where.
import { createReadStream } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { pipeline } from 'node:stream';
import { gunzipSync, createGunzip } from 'node:zlib';
import { ImportFormatError, type ImportFormat } from '../records.js';

export type SourceFormat = Exclude<ImportFormat, 'confab'>;

const FORMAT_NAMES: Record<SourceFormat, string> = {
  disqus: 'a Disqus export',
  wordpress: 'a WordPress export (WXR)',
  commento: 'a Commento export',
  remark42: 'a Remark42 backup',
  isso: 'an Isso database',
  artalk: 'an Artalk export (Artrans)',
  waline: 'a Waline export',
};

/** The error for a file of another kind than --from says. */
export function notA(format: SourceFormat, why: string, position?: string): ImportFormatError {
  return new ImportFormatError(`this is not ${FORMAT_NAMES[format]}: ${why}`, position);
}

const GZIP_MAGIC = [0x1f, 0x8b];
const SQLITE_MAGIC = 'SQLite format 3\u0000';

export async function isGzip(path: string): Promise<boolean> {
  const head = await readHead(path, 2);
  return head.length === 2 && head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1];
}

export async function readHead(path: string, length: number): Promise<Buffer> {
  const file = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await file.read(buffer, 0, length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}

/** The file's text in chunks, gunzipped on the way when it is gzip; never all of it at once. */
export async function* textChunks(path: string): AsyncGenerator<string> {
  // 64 KiB: larger chunks read no faster, and each record's strings, sliced from its chunk, keep
  // the chunk alive (1 MiB chunks doubled the peak memory of a 1,000,000-post Disqus read).
  const file = createReadStream(path, { highWaterMark: 1 << 16 });
  const source = (await isGzip(path)) ? pipeline(file, createGunzip(), () => {}) : file;
  source.setEncoding('utf8');
  for await (const chunk of source as AsyncIterable<string>) yield chunk;
}

/** The file's first chunk of text (gunzipped), to see what it is before reading it. */
export async function headText(path: string): Promise<string> {
  for await (const chunk of textChunks(path)) return chunk;
  return '';
}

/** The whole file's text (gunzipped when gzip), for the formats that are one JSON document. */
export async function wholeText(path: string, format: SourceFormat): Promise<string> {
  const bytes = await readFile(path);
  if (bytes[0] !== GZIP_MAGIC[0] || bytes[1] !== GZIP_MAGIC[1]) return bytes.toString('utf8');
  try {
    return gunzipSync(bytes).toString('utf8');
  } catch (error) {
    throw gzipError(error, format) ?? error;
  }
}

/** A zlib error as what it says about the file, or undefined for any other error. */
export function gzipError(error: unknown, format: SourceFormat, position?: string): ImportFormatError | undefined {
  const code = (error as { code?: string }).code;
  if (code === 'Z_BUF_ERROR') {
    return new ImportFormatError(`${capitalized(format)}: the gzip file ends early (truncated?)`, position);
  }
  if (code === 'Z_DATA_ERROR') return new ImportFormatError(`${capitalized(format)}: the gzip data is damaged`, position);
  return undefined;
}

export function capitalized(format: SourceFormat): string {
  const name = FORMAT_NAMES[format].replace(/^an? /, '');
  return name[0]!.toUpperCase() + name.slice(1);
}

// ---------------------------------------------------------------------------------------------
// What a file looks like, from its first characters

/** The format a file's start suggests, if any, and a few words on what it is. */
export function recognize(head: string): {
  format?: SourceFormat;
  kind: 'xml' | 'json' | 'sqlite' | 'empty' | 'other';
  what: string;
} {
  // The first few kilobytes say enough, and bound the patterns' work on a hostile file.
  const text = head
    .slice(0, 4096)
    .replace(/^\uFEFF/, '')
    .trimStart();
  if (!text) return { kind: 'empty', what: 'the file is empty' };
  if (text.startsWith(SQLITE_MAGIC.slice(0, 15))) return { format: 'isso', kind: 'sqlite', what: 'it is an SQLite database' };
  if (text.startsWith('<')) {
    const root = /^(?:<\?[\s\S]*?\?>\s*|<!--[\s\S]*?-->\s*|<!DOCTYPE[^>]*>\s*)*<([A-Za-z_][\w.:-]*)/.exec(text)?.[1];
    if (root === 'disqus') return { format: 'disqus', kind: 'xml', what: 'it is XML whose root is <disqus>' };
    if (root === 'rss' && /xmlns:\w+\s*=\s*["']http:\/\/wordpress\.org\/export\//.test(text)) {
      return { format: 'wordpress', kind: 'xml', what: 'it is XML whose root is <rss>, with WordPress export elements' };
    }
    return { kind: 'xml', what: root ? `it is XML whose root is <${root}>` : 'it starts with "<" but is not XML' };
  }
  if (text.startsWith('{') || text.startsWith('[')) return { ...recognizeJson(text), kind: 'json' };
  return { kind: 'other', what: `it is neither XML nor JSON (it starts with ${JSON.stringify(text.slice(0, 20))})` };
}

function recognizeJson(text: string): { format?: SourceFormat; what: string } {
  if (text.startsWith('[')) {
    if (/"page_key"\s*:/.test(text)) return { format: 'artalk', what: 'it is a JSON array of comments with page keys' };
    return { what: 'it is a JSON array' };
  }
  if (/"commenters"\s*:/.test(text) || /^\{\s*"version"\s*:\s*1\s*,\s*"comments"\s*:/.test(text)) {
    return { format: 'commento', what: 'it is JSON with "comments" and "commenters"' };
  }
  if (/"type"\s*:\s*"waline"/.test(text) || /"Comment"\s*:\s*\[/.test(text)) {
    return { format: 'waline', what: 'it is JSON with Waline\'s "Comment" table' };
  }
  const firstLine = text.split('\n', 1)[0]!;
  if (/^\{\s*"version"\s*:/.test(firstLine) && /"(?:users|posts)"\s*:/.test(firstLine)) {
    return { format: 'remark42', what: 'it is JSON lines starting with a Remark42 header' };
  }
  return { what: 'it is JSON' };
}

/**
 * Throws the wrong-format error when the file's start shows it is not `format`: another known
 * format (with the --from to use), or not the kind of file `format` is at all.
 */
export function expectFormat(format: SourceFormat, head: string, kind: 'xml' | 'json' | 'sqlite') {
  const seen = recognize(head);
  if (seen.format === format) return;
  if (seen.format) throw notA(format, `${seen.what}, like ${FORMAT_NAMES[seen.format]} (try --from ${seen.format})`);
  if (seen.kind !== kind) {
    throw notA(format, seen.kind === 'json' || seen.kind === 'xml' ? `${seen.what}, not ${KIND_NAMES[kind]}` : seen.what);
  }
}

const KIND_NAMES = { xml: 'XML', json: 'JSON', sqlite: 'an SQLite database' };

// ---------------------------------------------------------------------------------------------
// JSON documents

/** "line 3, column 14" for an offset in a text. */
export function lineAndColumn(text: string, offset: number): string {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return `line ${line}, column ${offset - lineStart + 1}`;
}

/**
 * Which element of the outermost array an offset is in (1-based), found by walking the JSON up
 * to it: the record a syntax error is in, for a file that is one document.
 */
function recordAt(text: string, offset: number): number | undefined {
  let depth = 0;
  let arrayDepth = -1;
  let record = 0;
  let inString = false;
  for (let i = 0; i < offset && i < text.length; i++) {
    const char = text[i];
    if (inString) {
      if (char === '\\') i++;
      else if (char === '"') inString = false;
    } else if (char === '"') {
      inString = true;
    } else if (char === '[' || char === '{') {
      if (char === '[' && arrayDepth === -1) {
        arrayDepth = depth + 1;
        record = 1;
      }
      depth++;
    } else if (char === ']' || char === '}') {
      depth--;
    } else if (char === ',' && depth === arrayDepth) {
      record++;
    }
  }
  return arrayDepth === -1 ? undefined : record;
}

/** JSON.parse, with a syntax error as an ImportFormatError saying where (record, line, column). */
export function parseJsonDocument(text: string, format: SourceFormat): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const truncated = /end of JSON input|Unterminated/i.test(message);
    const offset = truncated ? text.length : Number(/position (\d+)/.exec(message)?.[1] ?? NaN);
    const where = Number.isNaN(offset) ? undefined : lineAndColumn(text, offset);
    const record = Number.isNaN(offset) ? undefined : recordAt(text, offset);
    const position = [record && `record ${record}`, where].filter(Boolean).join(', ') || undefined;
    const why = truncated
      ? 'the file ends before its JSON does (truncated?)'
      : `the JSON is malformed (${message.split('\n')[0]})`;
    throw new ImportFormatError(`${capitalized(format)}: ${why}`, position);
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A field as a string, whatever JSON type the exporter gave it ("12" and 12 alike). */
export function stringField(record: Record<string, unknown>, name: string): string {
  const value = record[name];
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return '';
}

/** The first words of a text, for a note's example. */
export function excerpt(text: string, length = 40): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > length ? flat.slice(0, length - 1) + '…' : flat;
}

/** Groups records by a key, keeping the order in which each key first appears. */
export function groupInOrder<T>(items: Iterable<T>, keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}
