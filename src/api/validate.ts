// The boundary: turns untrusted JSON from any backend into our types, or says exactly why not.
// Hand-written on purpose: a schema library would cost more bytes than the whole validator.
import type { Author, Comment, CommentPage, CommentStatus, PostedComment, SignedInUser, ThreadInfo } from '../types';
import { isObject, safeHttpUrl } from '../util/values';

/** Thrown by the parsers below; the API client turns it into an `invalid-response` error. */
export class ShapeError extends Error {
  override readonly name = 'ShapeError';
}

const optionalString = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** Ids may come as numbers from some backends; anything else is not an id. */
function idOf(value: unknown): string | null {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

/** ±8.64e15 ms (about 275,000 years) is the range a Date can hold. */
const MAX_TIME = 8.64e15;

function timeOf(value: unknown): number | null {
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  const ms = typeof value === 'number' ? value : Date.parse(value);
  // A number beyond a Date's range is finite but no date: `new Date(ms).toISOString()` throws,
  // which took the whole thread down with it.
  return Number.isFinite(ms) && Math.abs(ms) <= MAX_TIME ? ms : null;
}

const STATUSES: readonly CommentStatus[] = ['published', 'pending', 'deleted'];

// Bidi embeddings, overrides and isolates (LRE…RLO, LRI…PDI). A name is a label: these can
// only make it read as something else ("\u202Enimda" shows as "admin") or, in text that holds
// the name ("Your reply to {name}"), reorder the words after it. <bdi> guards the layout
// around a name; dropping these guards the name itself and every string it is put into.
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;
// C0/C1 controls (NUL, escape, newline, tab…) have no place in a one-line name.
// eslint-disable-next-line no-control-regex -- control characters are what it finds
const CONTROLS = /[\u0000-\u001F\u007F-\u009F]/g;
// Names that draw nothing (zero-width characters, Hangul fillers, the braille blank) would be
// an invisible author: they read as no name, so the widget says "Guest".
const INVISIBLE = /^[\p{Cf}\p{Z}\s\u115F\u1160\u3164\uFFA0\u2800]*$/u;
/** Longer names are cut (at a code point, never inside a surrogate pair) and end with "…". */
export const MAX_NAME_LENGTH = 200;

/** A name with nothing to drop: no controls, no bidi embeddings (most names, checked fast). */
// eslint-disable-next-line no-control-regex -- as CONTROLS
const PLAIN_NAME = /^[^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]*$/;

function nameOf(value: unknown): string {
  if (typeof value !== 'string') return '';
  // The common case, without building a code-point array for every name of a big thread.
  if (value.length <= MAX_NAME_LENGTH && PLAIN_NAME.test(value)) {
    const name = value.trim();
    return INVISIBLE.test(name) ? '' : name;
  }
  // Cut the raw text first, so that a hostile 1 MB name costs no more than a short one. Four
  // UTF-16 units per shown code point leave room for pairs and for the controls dropped below.
  const limited =
    value.length > 4 * MAX_NAME_LENGTH ? value.slice(0, 4 * MAX_NAME_LENGTH).replace(/[\uD800-\uDBFF]$/, '') : value;
  const name = limited.replace(BIDI_CONTROLS, '').replace(CONTROLS, ' ').trim();
  if (INVISIBLE.test(name)) return '';
  const points = Array.from(name);
  if (points.length <= MAX_NAME_LENGTH && limited === value) return name;
  return points.slice(0, MAX_NAME_LENGTH).join('').trimEnd() + '…';
}

function parseAuthor(value: unknown): Author {
  const author = isObject(value) ? value : {};
  const parsed: Author = {
    name: nameOf(author.name),
    url: safeHttpUrl(author.url),
    avatarUrl: safeHttpUrl(author.avatarUrl),
  };
  // The one role the widget shows (a badge); any other value is no role at all.
  if (author.role === 'moderator') parsed.role = 'moderator';
  // A signed-in user's: `verified` only when it is true itself, `id` only as a text.
  if (typeof author.id === 'string' && author.id) parsed.id = author.id;
  if (author.verified === true) parsed.verified = true;
  return parsed;
}

/** `GET /user`'s `user`: the signed-in reader, or null (none, or one without an id). */
export function parseUser(value: unknown): SignedInUser | null {
  if (!isObject(value) || typeof value.id !== 'string' || !value.id) return null;
  const { name, url, avatarUrl, role } = parseAuthor(value);
  return { id: value.id, name, url, avatarUrl, ...(role && { role }) };
}

/** Returns null for a comment that cannot be shown (no id, or a body that is not text). */
export function parseComment(value: unknown): Comment | null {
  if (!isObject(value)) return null;
  const id = idOf(value.id);
  if (id === null) return null;
  const status = STATUSES.find((s) => s === value.status) ?? 'published';
  const body = status === 'deleted' ? '' : (value.body ?? '');
  if (typeof body !== 'string') return null;
  const parentId = idOf(value.parentId);
  const html = status === 'deleted' ? undefined : value.bodyHtml;
  const comment: Comment = {
    id,
    parentId: parentId === id ? null : parentId,
    author: parseAuthor(value.author),
    body,
    createdAt: timeOf(value.createdAt),
    editedAt: timeOf(value.editedAt),
    status,
    score: typeof value.score === 'number' && Number.isFinite(value.score) ? value.score : 0,
  };
  if (typeof html === 'string') comment.bodyHtml = html;
  if (value.pinned === true) comment.pinned = true;
  return comment;
}

function parseThread(value: unknown, fallbackId: string, fallbackCount: number): ThreadInfo {
  const thread = isObject(value) ? value : {};
  const count = thread.commentCount;
  // Only `false` turns a feature off: anything else reads as on.
  const features = isObject(thread.features) ? thread.features : {};
  return {
    id: idOf(thread.id) ?? fallbackId,
    title: optionalString(thread.title),
    url: optionalString(thread.url),
    // Beyond 2^53 a count is no count (and prints as 16+ digits): trust the page instead.
    commentCount: typeof count === 'number' && count >= 0 && count <= Number.MAX_SAFE_INTEGER ? Math.floor(count) : fallbackCount,
    locked: thread.locked === true,
    features: {
      guests: features.guests !== false,
      reports: features.reports !== false,
      ...(typeof features.notify === 'boolean' && { notify: features.notify }),
    },
  };
}

export function parsePage(value: unknown, threadId: string): CommentPage {
  if (!isObject(value)) throw new ShapeError('the answer is not an object');
  if (!Array.isArray(value.comments)) throw new ShapeError('the answer has no "comments" list');
  const comments: Comment[] = [];
  for (const raw of value.comments) {
    const comment = parseComment(raw);
    if (comment) comments.push(comment);
  }
  const published = comments.filter((c) => c.status === 'published').length;
  return {
    thread: parseThread(value.thread, threadId, published),
    comments,
    nextCursor: optionalString(value.nextCursor) || null,
    skipped: value.comments.length - comments.length,
  };
}

/** A comment that must be there (the answer to a post, an edit or a delete). */
export function requireComment(value: unknown): Comment {
  const comment = parseComment(value);
  if (!comment) throw new ShapeError('the answer has no valid "comment"');
  return comment;
}

/** The protocol's `{ comment, editToken }`. */
export function parsePosted(value: unknown): PostedComment {
  const comment = requireComment(isObject(value) ? value.comment : undefined);
  const token = isObject(value) ? optionalString(value.editToken) : null;
  return { comment, editToken: token || null };
}

/** The protocol's `{ comment }` (the answer to an edit or a delete). */
export const parseCommentAnswer = (value: unknown): Comment => requireComment(isObject(value) ? value.comment : undefined);

/** A score that must be a finite number (the answer to a vote). */
export function requireScore(score: unknown): number {
  if (typeof score !== 'number' || !Number.isFinite(score)) throw new ShapeError('the answer has no numeric "score"');
  return score;
}

/** The protocol's `{ score }`. */
export const parseScore = (value: unknown): number => requireScore(isObject(value) ? value.score : undefined);

/** Counts by thread id (`{ threadId: number }`); non-numbers are left out rather than trusted. */
export function parseCounts(counts: unknown): Record<string, number> {
  if (!isObject(counts)) throw new ShapeError('the answer has no "counts" object');
  const result: Record<string, number> = Object.create(null);
  for (const [id, count] of Object.entries(counts)) {
    if (typeof count === 'number' && Number.isFinite(count) && count >= 0) result[id] = Math.floor(count);
  }
  return result;
}

export interface ServerErrorBody {
  code: string | null;
  message: string | null;
  fields: Record<string, string>;
}

/** Reads the protocol's `{ error: { code, message, fields } }`, tolerating anything else. */
export function parseErrorBody(value: unknown): ServerErrorBody {
  const error = isObject(value) && isObject(value.error) ? value.error : {};
  // A null prototype: a hostile `__proto__` key stays an ordinary key.
  const fields: Record<string, string> = Object.create(null);
  if (isObject(error.fields)) {
    for (const [key, message] of Object.entries(error.fields)) {
      if (typeof message === 'string') fields[key] = message;
    }
  }
  return { code: optionalString(error.code), message: optionalString(error.message), fields };
}
