// Every format `confab-server import --from` knows, with its reader: the other systems' readers
// (readers/index.ts) and Confab's own export (readers/confab.ts).
import type { ImportFormat, ImportReader } from './records.js';
import { readConfab } from './readers/confab.js';
import { READERS } from './readers/index.js';

/** Every format, in the order the usage lists them. */
export const FORMATS: readonly ImportFormat[] = [
  'disqus',
  'wordpress',
  'commento',
  'remark42',
  'isso',
  'artalk',
  'waline',
  'confab',
];

export const isImportFormat = (name: string): name is ImportFormat => (FORMATS as readonly string[]).includes(name);

/** The reader of `format`; undefined for a format this build has no reader for. */
export function readerFor(format: ImportFormat): ImportReader | undefined {
  if (format === 'confab') return readConfab;
  // Looked up, not indexed: a build without some reader says so instead of failing later.
  return Object.hasOwn(READERS, format) ? READERS[format] : undefined;
}
