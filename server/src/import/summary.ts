// What an import did, as `confab-server import` prints it: what was imported or already there,
// and every kind of record skipped or changed on the way, with a count, a reason and examples.
//
//   imported 3 threads, 57 comments
//   skipped 12 spam, e.g. disqus:41, disqus:42, disqus:57
//   3 replies whose parent is missing became top-level, e.g. disqus:7, disqus:9, disqus:12
import type { ImportFormat } from './records.js';

/** Examples kept per kind: enough to find them in the file, not the whole list. */
export const EXAMPLES_KEPT = 3;

export type SummaryLine = { reason: string; count: number; examples: string[] };

export type ImportSummary = {
  format: ImportFormat;
  dryRun: boolean;
  threads: { imported: number; present: number };
  /** `imported` counts every status; `pending`, `spam` and `deleted` say how many of them are so. */
  comments: { imported: number; present: number; pending: number; spam: number; deleted: number };
  /** Records not imported, by reason ("spam", "deleted comments without replies", …). */
  skipped: SummaryLine[];
  /** Records imported with a change ("replies whose parent is missing became top-level", …). */
  adjusted: SummaryLine[];
};

/** Counts by reason, keeping the first examples of each, in the order reasons first came. */
export function createTally() {
  const lines = { skipped: new Map<string, SummaryLine>(), adjusted: new Map<string, SummaryLine>() };
  return {
    add(kind: 'skipped' | 'adjusted', reason: string, example: string | string[], count = 1) {
      const line = lines[kind].get(reason) ?? { reason, count: 0, examples: [] };
      lines[kind].set(reason, line);
      line.count += count;
      for (const one of [example].flat()) if (line.examples.length < EXAMPLES_KEPT && one) line.examples.push(one);
    },
    lines: (kind: 'skipped' | 'adjusted') => [...lines[kind].values()],
  };
}

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;
const examples = (line: SummaryLine) => (line.examples.length ? `, e.g. ${line.examples.join(', ')}` : '');

/** The summary as lines of text. */
export function formatSummary(summary: ImportSummary): string[] {
  const { threads, comments } = summary;
  const what = `${plural(threads.imported, 'thread', 'threads')}, ${plural(comments.imported, 'comment', 'comments')}`;
  const lines = [summary.dryRun ? `dry run, nothing written: would import ${what}` : `imported ${what}`];
  const held = [
    comments.pending ? `${comments.pending} pending` : '',
    comments.spam ? `${comments.spam} as spam` : '',
    comments.deleted ? plural(comments.deleted, 'deleted placeholder', 'deleted placeholders') : '',
  ].filter(Boolean);
  if (held.length) lines.push(`  of these comments: ${held.join(', ')}`);
  if (threads.present || comments.present) {
    lines.push(
      `already there, left as they are: ${plural(threads.present, 'thread', 'threads')}, ${plural(comments.present, 'comment', 'comments')}`,
    );
  }
  for (const line of summary.skipped) lines.push(`skipped ${line.count} ${line.reason}${examples(line)}`);
  for (const line of summary.adjusted) lines.push(`${line.count} ${line.reason}${examples(line)}`);
  return lines;
}
