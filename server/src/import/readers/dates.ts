// Timestamps as the exporters write them, and what a reader does when one cannot be read: the
// comment is kept with a date borrowed from its thread or from the comment before it, and a
// note says so.
import type { ImportNote } from '../records.js';

// ISO 8601 with a T or a space ("2013-04-01T15:47:50Z", WordPress's "2014-03-01 10:00:00"), and
// Go's time.String() ("2021-05-01 10:00:00.123 +0800 CST m=+0.01", Artalk's older exports).
const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|UTC|[+-]\d{2}(?::?\d{2})?)?(?:\s+[A-Z]{2,5})?(?:\s+m=[+-][\d.]+)?$/i;

const CANONICAL = /^[1-9]\d{3}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\dZ$/;

/** A timestamp's instant; one with no zone is read as UTC. Null when it is not a real date. */
export function parseTimestamp(value: string): Date | null {
  if (CANONICAL.test(value)) {
    // The common case (Disqus's every date), read without the general pattern below.
    const day = Number(value.slice(8, 10));
    const date = new Date(
      Date.UTC(
        Number(value.slice(0, 4)),
        Number(value.slice(5, 7)) - 1,
        day,
        Number(value.slice(11, 13)),
        Number(value.slice(14, 16)),
        Number(value.slice(17, 19)),
      ),
    );
    // 31 February rolls over into March: not a date the exporter meant.
    return date.getUTCDate() === day ? date : null;
  }
  const match = TIMESTAMP.exec(value.trim());
  if (!match) return null;
  const [, year, month, day, hour = '0', minute = '0', second = '0', fraction = '', zone = 'Z'] = match;
  const parts = [year, month, day, hour, minute, second].map(Number) as [number, number, number, number, number, number];
  const [y, mo, d, h, mi, s] = parts;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60 || y < 1) return null;
  const local = Date.UTC(y, mo - 1, d, h, mi, s, Number((fraction + '000').slice(0, 3)));
  // 31 February rolls over into March: not a date the exporter meant.
  if (new Date(local).getUTCDate() !== d) return null;
  return new Date(local - zoneOffsetMs(zone));
}

function zoneOffsetMs(zone: string): number {
  if (/^(?:Z|UTC)$/i.test(zone)) return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || 0)) * 60_000;
}

/** Seconds since 1970 (Isso's floats) as a date, or null for what is not a time. */
export function fromUnixSeconds(value: unknown): Date | null {
  const seconds = typeof value === 'number' ? value : typeof value === 'string' && value.trim() ? Number(value) : NaN;
  if (!Number.isFinite(seconds) || seconds < 0) return null;
  return new Date(Math.round(seconds * 1000));
}

/**
 * The dates of one file's comments in file order: a comment whose date cannot be read gets its
 * thread's date or, failing that, the previous comment's, and a note.
 */
export class CommentDates {
  private previous: Date | null = null;

  /** The comment's date; `notes` receives the note when it had to be borrowed. */
  resolve(date: Date | null, where: string, threadDate: Date | null | undefined, notes: ImportNote[]): Date {
    if (!date) {
      if (threadDate) {
        date = threadDate;
        notes.push({ kind: 'note', skipped: false, reason: "dates unreadable, the thread's used", example: where });
      } else if (this.previous) {
        date = this.previous;
        notes.push({ kind: 'note', skipped: false, reason: "dates unreadable, the previous comment's used", example: where });
      } else {
        date = new Date(0);
        notes.push({
          kind: 'note',
          skipped: false,
          reason: 'dates unreadable and none to borrow, 1970-01-01 used',
          example: where,
        });
      }
    }
    this.previous = date;
    return date;
  }
}
