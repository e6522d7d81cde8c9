// Pages of top-level comments: the request as the store and the page cache see it, and the
// opaque cursor, which names the last top-level comment of the previous page (keyset paging, so
// comments posted meanwhile neither repeat nor go missing in time order).
//
//   const request = readPageRequest('t1', { sort: 'top', limit: '20', cursor: null });
//   encodeCursor('top', { id: 'c9', createdAt: new Date(), score: 3 });
import { invalid } from './errors.js';
import { LIMITS, readListOptions, readThreadId } from './validate.js';
import type { Sort } from './validate.js';

export type Position = { id: string; createdAt: Date; score: number };
/** `cacheKey` tells pages of one thread apart. */
export type PageRequest = {
  threadId: string;
  sort: Sort;
  limit: number;
  after: Position | null;
  cacheKey: string;
};

// A score is a PostgreSQL integer.
const MIN_SCORE = -(2 ** 31);
const MAX_SCORE = 2 ** 31 - 1;

export function readPageRequest(
  threadId: unknown,
  { sort, limit, cursor }: { sort?: string | null; limit?: string | number | null; cursor?: string | null },
): PageRequest {
  const id = readThreadId(threadId);
  const options = readListOptions({ sort, limit });
  const after = cursor == null || cursor === '' ? null : decodeCursor(cursor, options.sort);
  return { threadId: id, ...options, after, cacheKey: `${options.sort} ${options.limit} ${cursor ?? ''}` };
}

export const encodeCursor = (sort: Sort, last: Position) =>
  Buffer.from(JSON.stringify([sort, last.createdAt.toISOString(), last.id, last.score])).toString('base64url');

/** A cursor belongs to one sort: paging on with another sort would skip or repeat comments. */
function decodeCursor(cursor: string, sort: Sort): Position {
  let data;
  try {
    data = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    data = null;
  }
  const [cursorSort, createdAt, id, score] = Array.isArray(data) ? data : [];
  const time = typeof createdAt === 'string' ? new Date(createdAt) : null;
  const valid =
    cursorSort === sort &&
    time !== null &&
    // Within the years PostgreSQL and ISO 8601 share, so the database never sees a bad value.
    time.getUTCFullYear() >= 1 &&
    time.getUTCFullYear() <= 9999 &&
    typeof id === 'string' &&
    id.length > 0 &&
    id.length <= LIMITS.id &&
    !id.includes('\0') &&
    // Beyond them the database would refuse the query: a 500 instead of a bad cursor's 400.
    Number.isInteger(score) &&
    score >= MIN_SCORE &&
    score <= MAX_SCORE;
  if (!valid) throw invalid('The cursor is not valid for this sort', { cursor: 'Not valid' });
  return { id, createdAt: time, score };
}
