// Checks and normalizes client input; field problems are collected into one 400 answer.
import { invalid } from './errors.js';

export const LIMITS = {
  threadId: 200,
  id: 200,
  name: 80,
  body: 10_000,
  url: 2_000,
  pageTitle: 300,
  pageSize: 100,
  countsThreads: 100,
};
export const DEFAULT_PAGE_SIZE = 20;

/**
 * A post field that the widget keeps empty and hidden from people; form-filling bots fill it.
 * A post with it filled is refused like any invalid post, so a person whose browser autofilled
 * it is told why instead of losing their comment silently.
 */
export const HONEYPOT_FIELD = 'website';
export const SORTS = ['oldest', 'newest', 'top'] as const;

export type Sort = (typeof SORTS)[number];
export type NewComment = {
  parentId: string | null;
  author: { name: string; url: string | null };
  /** Only ever hashed (hashCommenter), never stored or logged; null when none was given. */
  email: string | null;
  body: string;
  page: { title: string | null; url: string | null };
  /** Milliseconds from the form opening to sending, as the widget measured it; null when not sent. */
  composeMs: number | null;
  /** Email the author when someone replies (the widget's "Email me when someone replies"). */
  notify: boolean;
  /** The widget's language, for those emails: a BCP 47 tag, or null. */
  locale: string | null;
};

export const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

// Limits are in characters as people count them, not UTF-16 units (an emoji is one).
const charCount = (text: string) => [...text].length;

// PostgreSQL text cannot hold U+0000, and no person types it.
const hasNul = (text: string) => text.includes('\0');
const NUL_MESSAGE = 'Must not contain NUL characters';

const tooLong = (max: number) => `Too long (at most ${max} characters)`;

const isHttpUrl = (value: unknown) => {
  if (typeof value !== 'string' || value.length > LIMITS.url || hasNul(value)) return false;
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
};

/** A short opaque id (thread id, comment id, idempotency key, voter id). */
export function readId(value: unknown, what: string, max = LIMITS.id) {
  if (typeof value !== 'string' || value.length === 0 || value.length > max || hasNul(value)) {
    throw invalid(`${what} must be 1 to ${max} characters`);
  }
  return value;
}

export const readThreadId = (threadId: unknown) => readId(threadId, 'Thread id', LIMITS.threadId);

/** Returns the body trimmed, with line endings normalized; a problem goes into `fields.body`. */
function readBody(value: unknown, fields: Record<string, string>) {
  if (typeof value !== 'string') {
    fields.body = 'Required';
    return '';
  }
  const body = value.replace(/\r\n?/g, '\n').trim();
  if (!body) fields.body = 'Required';
  else if (hasNul(body)) fields.body = NUL_MESSAGE;
  else if (charCount(body) > LIMITS.body) fields.body = tooLong(LIMITS.body);
  return body;
}

function failOnFields(fields: Record<string, string>) {
  if (Object.keys(fields).length > 0) throw invalid('Some fields are not valid', fields);
}

export function readEditBody(value: unknown) {
  const fields: Record<string, string> = {};
  const body = readBody(value, fields);
  failOnFields(fields);
  return body;
}

/**
 * The post body: `{ parentId, author: { name, email, url }, body, page: { title, url } }`.
 * Only a hash of the email is kept (to know a commenter again); unknown fields are ignored.
 */
export function readNewComment(input: unknown): NewComment {
  if (!isObject(input)) throw invalid('Expected a JSON object');
  const fields: Record<string, string> = {};
  const author = readAuthor(input.author, fields);
  const parentId = readParentId(input.parentId, fields);
  const body = readBody(input.body, fields);
  const honeypot = input[HONEYPOT_FIELD];
  if (honeypot != null && honeypot !== '') fields[HONEYPOT_FIELD] = 'Must be left empty';
  if (input.notify != null && typeof input.notify !== 'boolean') fields.notify = 'Must be true or false';
  failOnFields(fields);
  return {
    parentId,
    author,
    email: readEmail(input.author),
    body,
    page: readPage(input.page),
    composeMs: readComposeMs(input.composeMs),
    notify: input.notify === true,
    // Only a language tag's shape: the mail picks the nearest language it has, else English.
    locale:
      typeof input.locale === 'string' && /^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8}){0,4}$/.test(input.locale) ? input.locale : null,
  };
}

// A hint for a spam rule, not data: a value that is not a non-negative number counts as not sent.
function readComposeMs(value: unknown) {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : null;
}

export const REPORT_REASONS = ['spam', 'abuse', 'off-topic', 'other'] as const;
export type ReportReason = (typeof REPORT_REASONS)[number];
export const REPORT_NOTE_MAX = 500;

/** A reader's report: `{ reason, note? }`. */
export function readReport(input: unknown): { reason: ReportReason; note: string } {
  if (!isObject(input)) throw invalid('Expected a JSON object');
  const fields: Record<string, string> = {};
  const { reason, note } = input;
  if (!REPORT_REASONS.includes(reason as ReportReason)) fields.reason = `Must be one of ${REPORT_REASONS.join(', ')}`;
  const text = typeof note === 'string' ? note.trim() : '';
  if (note != null && typeof note !== 'string') fields.note = 'Must be text';
  else if (charCount(text) > REPORT_NOTE_MAX) fields.note = tooLong(REPORT_NOTE_MAX);
  else if (hasNul(text)) fields.note = NUL_MESSAGE;
  failOnFields(fields);
  return { reason: reason as ReportReason, note: text };
}

function readAuthor(value: unknown, fields: Record<string, string>) {
  if (value != null && !isObject(value)) fields.author = 'Must be an object';
  const { name, url } = isObject(value) ? value : {};

  if (name != null && typeof name !== 'string') fields['author.name'] = 'Must be text';
  const trimmedName = typeof name === 'string' ? name.trim() : '';
  if (charCount(trimmedName) > LIMITS.name) fields['author.name'] = tooLong(LIMITS.name);
  else if (hasNul(trimmedName)) fields['author.name'] = NUL_MESSAGE;

  const trimmedUrl = typeof url === 'string' ? url.trim() : url;
  const hasUrl = trimmedUrl != null && trimmedUrl !== '';
  if (hasUrl && !isHttpUrl(trimmedUrl)) fields['author.url'] = 'Must be an http:// or https:// URL';
  return { name: trimmedName, url: hasUrl ? (trimmedUrl as string) : null };
}

// An email is optional and never shown, so a doubtful one is not refused: it is only hashed.
function readEmail(author: unknown) {
  const email = isObject(author) ? author.email : undefined;
  return typeof email === 'string' && email.trim() !== '' ? email : null;
}

function readParentId(value: unknown, fields: Record<string, string>): string | null {
  if (value == null) return null;
  if (typeof value === 'string' && value.length > 0 && value.length <= LIMITS.id && !hasNul(value)) return value;
  fields.parentId = 'Must be a comment id';
  return null;
}

// The page only names a thread on its first post, so doubtful values are dropped, not refused.
function readPage(page: unknown) {
  const { title, url } = isObject(page) ? page : {};
  const cleanTitle = typeof title === 'string' ? title.replaceAll('\0', '').trim() : '';
  return {
    title: cleanTitle ? cleanTitle.slice(0, LIMITS.pageTitle) : null,
    url: isHttpUrl(url) ? (url as string) : null,
  };
}

export function readVote(value: unknown): -1 | 0 | 1 {
  if (value !== 1 && value !== 0 && value !== -1) {
    throw invalid('Vote with 1, 0 or -1', { value: 'Must be 1, 0 or -1' });
  }
  return value;
}

/** List options as they come from a query string (strings) or from code (numbers). */
export function readListOptions({ sort, limit }: { sort?: string | null; limit?: string | number | null }): {
  sort: Sort;
  limit: number;
} {
  const chosenSort = sort ?? 'oldest';
  if (!SORTS.includes(chosenSort as Sort)) {
    throw invalid('Unknown sort', { sort: `One of ${SORTS.join(', ')}` });
  }
  const size = limit == null || limit === '' ? DEFAULT_PAGE_SIZE : Number(limit);
  if (!Number.isInteger(size) || size < 1) {
    throw invalid('Limit must be a positive integer', { limit: 'Must be a positive integer' });
  }
  return { sort: chosenSort as Sort, limit: Math.min(size, LIMITS.pageSize) };
}
