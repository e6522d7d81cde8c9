// Checks and normalizes client input; field problems are collected into one 400 answer.
import { invalid } from './errors.mjs';

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
export const SORTS = /** @type {const} */ (['oldest', 'newest', 'top']);

/** @typedef {(typeof SORTS)[number]} Sort */
/**
 * @typedef {{ parentId: string | null, author: { name: string, url: string | null }, body: string,
 *   page: { title: string | null, url: string | null } }} NewComment
 */

/** @param {unknown} value @returns {value is Record<string, unknown>} */
export const isObject = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);

// Limits are in characters as people count them, not UTF-16 units (an emoji is one).
/** @param {string} text */
const charCount = (text) => [...text].length;

// PostgreSQL text cannot hold U+0000, and no person types it.
/** @param {string} text */
const hasNul = (text) => text.includes('\0');
const NUL_MESSAGE = 'Must not contain NUL characters';

/** @param {number} max */
const tooLong = (max) => `Too long (at most ${max} characters)`;

/** @param {unknown} value */
const isHttpUrl = (value) => {
  if (typeof value !== 'string' || value.length > LIMITS.url || hasNul(value)) return false;
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
};

/**
 * A short opaque id (thread id, comment id, idempotency key, voter id).
 * @param {unknown} value @param {string} what @param {number} [max]
 */
export function readId(value, what, max = LIMITS.id) {
  if (typeof value !== 'string' || value.length === 0 || value.length > max || hasNul(value)) {
    throw invalid(`${what} must be 1 to ${max} characters`);
  }
  return value;
}

/** @param {unknown} threadId */
export const readThreadId = (threadId) => readId(threadId, 'Thread id', LIMITS.threadId);

/**
 * Returns the body trimmed, with line endings normalized; a problem goes into `fields.body`.
 * @param {unknown} value @param {Record<string, string>} fields
 */
function readBody(value, fields) {
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

/** @param {Record<string, string>} fields */
function failOnFields(fields) {
  if (Object.keys(fields).length > 0) throw invalid('Some fields are not valid', fields);
}

/** @param {unknown} value */
export function readEditBody(value) {
  /** @type {Record<string, string>} */
  const fields = {};
  const body = readBody(value, fields);
  failOnFields(fields);
  return body;
}

/**
 * The post body: `{ parentId, author: { name, email, url }, body, page: { title, url } }`.
 * The email is not needed by this server and is dropped; unknown fields are ignored.
 * @param {unknown} input @returns {NewComment}
 */
export function readNewComment(input) {
  if (!isObject(input)) throw invalid('Expected a JSON object');
  /** @type {Record<string, string>} */
  const fields = {};
  const author = readAuthor(input.author, fields);
  const parentId = readParentId(input.parentId, fields);
  const body = readBody(input.body, fields);
  const honeypot = input[HONEYPOT_FIELD];
  if (honeypot != null && honeypot !== '') fields[HONEYPOT_FIELD] = 'Must be left empty';
  failOnFields(fields);
  return { parentId, author, body, page: readPage(input.page) };
}

/** @param {unknown} value @param {Record<string, string>} fields */
function readAuthor(value, fields) {
  if (value != null && !isObject(value)) fields.author = 'Must be an object';
  const { name, url } = isObject(value) ? value : {};

  if (name != null && typeof name !== 'string') fields['author.name'] = 'Must be text';
  const trimmedName = typeof name === 'string' ? name.trim() : '';
  if (charCount(trimmedName) > LIMITS.name) fields['author.name'] = tooLong(LIMITS.name);
  else if (hasNul(trimmedName)) fields['author.name'] = NUL_MESSAGE;

  const trimmedUrl = typeof url === 'string' ? url.trim() : url;
  const hasUrl = trimmedUrl != null && trimmedUrl !== '';
  if (hasUrl && !isHttpUrl(trimmedUrl)) fields['author.url'] = 'Must be an http:// or https:// URL';
  return { name: trimmedName, url: hasUrl ? /** @type {string} */ (trimmedUrl) : null };
}

/** @param {unknown} value @param {Record<string, string>} fields @returns {string | null} */
function readParentId(value, fields) {
  if (value == null) return null;
  if (typeof value === 'string' && value.length > 0 && value.length <= LIMITS.id && !hasNul(value)) return value;
  fields.parentId = 'Must be a comment id';
  return null;
}

// The page only names a thread on its first post, so doubtful values are dropped, not refused.
/** @param {unknown} page */
function readPage(page) {
  const { title, url } = isObject(page) ? page : {};
  const cleanTitle = typeof title === 'string' ? title.replaceAll('\0', '').trim() : '';
  return {
    title: cleanTitle ? cleanTitle.slice(0, LIMITS.pageTitle) : null,
    url: isHttpUrl(url) ? /** @type {string} */ (url) : null,
  };
}

/** @param {unknown} value @returns {-1 | 0 | 1} */
export function readVote(value) {
  if (value !== 1 && value !== 0 && value !== -1) {
    throw invalid('Vote with 1, 0 or -1', { value: 'Must be 1, 0 or -1' });
  }
  return value;
}

/**
 * List options as they come from a query string (strings) or from code (numbers).
 * @param {{ sort?: string | null, limit?: string | number | null }} options
 * @returns {{ sort: Sort, limit: number }}
 */
export function readListOptions({ sort, limit }) {
  const chosenSort = sort ?? 'oldest';
  if (!SORTS.includes(/** @type {Sort} */ (chosenSort))) {
    throw invalid('Unknown sort', { sort: `One of ${SORTS.join(', ')}` });
  }
  const size = limit == null || limit === '' ? DEFAULT_PAGE_SIZE : Number(limit);
  if (!Number.isInteger(size) || size < 1) {
    throw invalid('Limit must be a positive integer', { limit: 'Must be a positive integer' });
  }
  return { sort: /** @type {Sort} */ (chosenSort), limit: Math.min(size, LIMITS.pageSize) };
}
