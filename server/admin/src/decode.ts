// The boundary: the server's JSON into the typed values of types.ts. Anything of the wrong shape
// throws a DecodeError naming where it is wrong, which the API client turns into an ApiError;
// nothing past here meets an unchecked value. Optional details a server may leave out (reports,
// holdReason, a thread's title) get their empty value; what the dashboard cannot work without
// (ids, bodies, statuses, dates) must be there.
import { ALERT_CHOICES } from './types';
import type { Actor, AdminComment, AdminThread, AuditEntry, Ban, BanKind, CommentStatus, Counts, Moderator, Page } from './types';

export class DecodeError extends Error {
  constructor(
    readonly path: string,
    expected: string,
  ) {
    super(`${path || 'the answer'}: expected ${expected}`);
    this.name = 'DecodeError';
  }
}

type Json = Record<string, unknown>;

function object(value: unknown, path: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new DecodeError(path, 'an object');
  return value as Json;
}

function string(value: unknown, path: string): string {
  if (typeof value !== 'string') throw new DecodeError(path, 'a string');
  return value;
}

function stringOrNull(value: unknown, path: string): string | null {
  return value === null || value === undefined ? null : string(value, path);
}

/** Ids may come as strings or numbers (database serials); the dashboard keeps them as strings. */
function id(value: unknown, path: string): string {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  const text = string(value, path);
  if (text === '') throw new DecodeError(path, 'a non-empty id');
  return text;
}

function count(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new DecodeError(path, 'a count');
  return value;
}

function number(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new DecodeError(path, 'a number');
  return value;
}

function boolean(value: unknown, path: string): boolean {
  if (typeof value !== 'boolean') throw new DecodeError(path, 'true or false');
  return value;
}

function array<T>(value: unknown, path: string, item: (value: unknown, path: string) => T): T[] {
  if (!Array.isArray(value)) throw new DecodeError(path, 'a list');
  return value.map((entry, at) => item(entry, `${path}[${at}]`));
}

function oneOf<T extends string>(value: unknown, path: string, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) throw new DecodeError(path, `one of ${allowed.join(', ')}`);
  return value as T;
}

function cursor(value: unknown, path: string): string | null {
  return stringOrNull(value, path);
}

const STATUSES: readonly CommentStatus[] = ['published', 'pending', 'spam', 'deleted'];
const BAN_KINDS: readonly BanKind[] = ['email', 'client'];

export function decodeActor(value: unknown, path = 'actor'): Actor {
  const json = object(value, path);
  const kind = oneOf(json.kind, `${path}.kind`, ['moderator', 'token', 'cli', 'sso'] as const);
  if (kind === 'token' || kind === 'cli') return { kind };
  if (kind === 'sso') return { kind, id: id(json.id, `${path}.id`), name: string(json.name, `${path}.name`) };
  return {
    kind,
    id: id(json.id, `${path}.id`),
    email: string(json.email, `${path}.email`),
    name: stringOrNull(json.name, `${path}.name`),
  };
}

export function decodeComment(value: unknown, path = 'comment'): AdminComment {
  const json = object(value, path);
  const thread = json.thread === undefined || json.thread === null ? {} : object(json.thread, `${path}.thread`);
  const author = object(json.author, `${path}.author`);
  const reports = json.reports === undefined || json.reports === null ? {} : object(json.reports, `${path}.reports`);
  const reasons: Record<string, number> = {};
  if (reports.reasons !== undefined && reports.reasons !== null) {
    for (const [reason, n] of Object.entries(object(reports.reasons, `${path}.reports.reasons`))) {
      reasons[reason] = count(n, `${path}.reports.reasons.${reason}`);
    }
  }
  return {
    id: id(json.id, `${path}.id`),
    threadId: id(json.threadId, `${path}.threadId`),
    thread: { title: stringOrNull(thread.title, `${path}.thread.title`), url: stringOrNull(thread.url, `${path}.thread.url`) },
    parentId: json.parentId === null || json.parentId === undefined ? null : id(json.parentId, `${path}.parentId`),
    author: {
      name: stringOrNull(author.name, `${path}.author.name`) ?? '',
      url: stringOrNull(author.url, `${path}.author.url`),
      avatarUrl: stringOrNull(author.avatarUrl, `${path}.author.avatarUrl`),
      role: author.role === 'moderator' ? 'moderator' : null,
    },
    body: string(json.body, `${path}.body`),
    createdAt: string(json.createdAt, `${path}.createdAt`),
    editedAt: stringOrNull(json.editedAt, `${path}.editedAt`),
    status: oneOf(json.status, `${path}.status`, STATUSES),
    pinned: json.pinned === undefined ? false : boolean(json.pinned, `${path}.pinned`),
    score: json.score === undefined ? 0 : number(json.score, `${path}.score`),
    reports: {
      count: reports.count === undefined ? 0 : count(reports.count, `${path}.reports.count`),
      reasons,
      notes: reports.notes === undefined || reports.notes === null ? [] : array(reports.notes, `${path}.reports.notes`, string),
    },
    holdReason: stringOrNull(json.holdReason, `${path}.holdReason`),
    hasEmail: json.hasEmail === undefined ? false : boolean(json.hasEmail, `${path}.hasEmail`),
  };
}

export function decodeCounts(value: unknown, path = 'counts'): Counts {
  const json = object(value, path);
  return {
    pending: count(json.pending, `${path}.pending`),
    reported: count(json.reported, `${path}.reported`),
    spam: count(json.spam, `${path}.spam`),
  };
}

export function decodeThread(value: unknown, path = 'thread'): AdminThread {
  const json = object(value, path);
  return {
    id: id(json.id, `${path}.id`),
    title: stringOrNull(json.title, `${path}.title`),
    url: stringOrNull(json.url, `${path}.url`),
    locked: json.locked === undefined ? false : boolean(json.locked, `${path}.locked`),
    commentCount: count(json.commentCount, `${path}.commentCount`),
    pendingCount: json.pendingCount === undefined ? 0 : count(json.pendingCount, `${path}.pendingCount`),
    lastCommentAt: stringOrNull(json.lastCommentAt, `${path}.lastCommentAt`),
  };
}

export function decodeBan(value: unknown, path = 'ban'): Ban {
  const json = object(value, path);
  return {
    id: id(json.id, `${path}.id`),
    kinds: array(json.kinds, `${path}.kinds`, (kind, at) => oneOf(kind, at, BAN_KINDS)),
    authorName: stringOrNull(json.authorName, `${path}.authorName`),
    note: stringOrNull(json.note, `${path}.note`),
    createdAt: string(json.createdAt, `${path}.createdAt`),
    expiresAt: stringOrNull(json.expiresAt, `${path}.expiresAt`),
    createdBy: json.createdBy === null || json.createdBy === undefined ? null : decodeActor(json.createdBy, `${path}.createdBy`),
  };
}

export function decodeModerator(value: unknown, path = 'moderator'): Moderator {
  const json = object(value, path);
  return {
    id: id(json.id, `${path}.id`),
    email: string(json.email, `${path}.email`),
    name: stringOrNull(json.name, `${path}.name`),
    createdAt: string(json.createdAt, `${path}.createdAt`),
    lastSignInAt: stringOrNull(json.lastSignInAt, `${path}.lastSignInAt`),
    invited: json.invited === undefined ? false : boolean(json.invited, `${path}.invited`),
    // A server from before the choice existed sends none: every alert came at once.
    alerts: json.alerts === undefined ? 'immediate' : oneOf(json.alerts, `${path}.alerts`, ALERT_CHOICES),
  };
}

function changes(value: unknown, path: string): Record<string, unknown> | null {
  return value === null || value === undefined ? null : object(value, path);
}

export function decodeAuditEntry(value: unknown, path = 'entry'): AuditEntry {
  const json = object(value, path);
  return {
    id: id(json.id, `${path}.id`),
    at: string(json.at, `${path}.at`),
    actor: json.actor === null || json.actor === undefined ? null : decodeActor(json.actor, `${path}.actor`),
    action: string(json.action, `${path}.action`),
    threadId: json.threadId === null || json.threadId === undefined ? null : id(json.threadId, `${path}.threadId`),
    commentId: json.commentId === null || json.commentId === undefined ? null : id(json.commentId, `${path}.commentId`),
    before: changes(json.before, `${path}.before`),
    after: changes(json.after, `${path}.after`),
  };
}

/** `{ <key>: [item…], nextCursor }`: one page of a list. */
export function decodePage<T>(value: unknown, key: string, item: (value: unknown, path: string) => T): Page<T> {
  const json = object(value, '');
  return { items: array(json[key], key, item), nextCursor: cursor(json.nextCursor, 'nextCursor') };
}

/** `{ <key>: value }`: one thing in its envelope. */
export function decodeField<T>(value: unknown, key: string, item: (value: unknown, path: string) => T): T {
  return item(object(value, '')[key], key);
}

/** `{ "error": { "code", "reason"?, "message", "fields"? } }`, or null when the answer is not one. */
export function decodeErrorBody(
  value: unknown,
): { code: string; reason: string | null; message: string; fields: Record<string, string> } | null {
  try {
    const error = object(object(value, '').error, 'error');
    const fields: Record<string, string> = {};
    if (error.fields !== undefined && error.fields !== null) {
      for (const [name, text] of Object.entries(object(error.fields, 'error.fields'))) {
        if (typeof text === 'string') fields[name] = text;
      }
    }
    const reason = typeof error.reason === 'string' && error.reason !== '' ? error.reason : null;
    return { code: string(error.code, 'error.code'), reason, message: string(error.message, 'error.message'), fields };
  } catch (error) {
    if (error instanceof DecodeError) return null;
    throw error;
  }
}
