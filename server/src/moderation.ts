// What moderators do, from the dashboard or a script (docs/admin-api.md): the views over every
// thread, decisions on comments, pins, locks, bans, and the audit log that records each of them.
// Every change commits with its audit entry and its events, so none is ever half done.
//
//   const moderation = createModeration({ db, store, now, onChange });
//   const page = await moderation.comments({ view: 'pending' });
//   await moderation.act(actor, 't1', 'c_1', 'approve');
import type { Actor } from './actors.js';
import { COMMENT_COLUMNS, announcer, commenterOf, notifyModerators, threadOf, toComment } from './comment-store.js';
import type { CommentStore, HoldReason, QueueEvent } from './comment-store.js';
import type { Database, Queryable, Row } from './database.js';
import { ProtocolError, invalid, notFound } from './errors.js';
import { newEditToken, newId, hashSecret } from './tokens.js';
import { LIMITS, isObject, readEditBody, readThreadId } from './validate.js';

export const VIEWS = ['pending', 'reported', 'spam', 'all'] as const;
export type View = (typeof VIEWS)[number];
export const ACTIONS = ['approve', 'spam', 'delete', 'restore', 'pin', 'unpin'] as const;
export type Action = (typeof ACTIONS)[number];
export const BULK_ACTIONS = ['approve', 'spam', 'delete'] as const;
export const MAX_BULK = 100;
const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 100;
const MAX_NOTE = 500;
const MAX_SEARCH = 200;
const NO_ACTIVITY = new Date('0001-01-01T00:00:00Z');

export type AdminComment = {
  id: string;
  threadId: string;
  thread: { title: string | null; url: string | null };
  parentId: string | null;
  author: { name: string; url: string | null; avatarUrl: string | null; role?: 'moderator'; id?: string; verified?: true };
  body: string;
  createdAt: string;
  editedAt: string | null;
  status: 'published' | 'pending' | 'spam' | 'deleted';
  pinned: boolean;
  score: number;
  reports: { count: number; reasons: Record<string, number>; notes: string[] };
  holdReason: HoldReason | null;
  hasEmail: boolean;
};
export type AdminThread = {
  id: string;
  title: string | null;
  url: string | null;
  locked: boolean;
  commentCount: number;
  pendingCount: number;
  lastCommentAt: string | null;
};
export type Counts = { pending: number; reported: number; spam: number };

const ADMIN_COLUMNS = `${COMMENT_COLUMNS}, c.thread_id, c.hold_reason, c.email_hash IS NOT NULL AS has_email,
  t.title AS thread_title, t.url AS thread_url`;

const VIEW_FILTERS: Record<View, string> = {
  pending: "c.status = 'pending'",
  reported: 'c.open_reports > 0',
  spam: "c.status = 'spam'",
  all: 'true',
};

function toAdminComment(row: Row, reports: Map<string, AdminComment['reports']>): AdminComment {
  const comment = toComment(row);
  return {
    ...comment,
    threadId: row.thread_id,
    thread: { title: row.thread_title, url: row.thread_url },
    status: row.status,
    pinned: Boolean(row.pinned),
    reports: reports.get(row.id) ?? { count: 0, reasons: {}, notes: [] },
    holdReason: row.hold_reason,
    hasEmail: row.has_email,
  };
}

/** A position in a newest-first list: (time, id), opaque to clients. */
const encodeCursor = (time: Date, id: string) => Buffer.from(JSON.stringify([time.toISOString(), id])).toString('base64url');

function decodeCursor(cursor: string | null | undefined): { time: Date; id: string } | null {
  if (cursor == null || cursor === '') return null;
  let data;
  try {
    data = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    data = null;
  }
  const [time, id] = Array.isArray(data) ? data : [];
  const date = typeof time === 'string' ? new Date(time) : null;
  const year = date?.getUTCFullYear() ?? NaN;
  if (!date || !(year >= 1 && year <= 9999) || typeof id !== 'string' || !id || id.length > LIMITS.id || id.includes('\0')) {
    throw invalid('The cursor is not valid', { cursor: 'Not valid' });
  }
  return { time: date, id };
}

function readLimit(value: string | null | undefined) {
  if (value == null || value === '') return DEFAULT_LIMIT;
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw invalid(`The limit must be a whole number from 1 to ${MAX_LIMIT}`, { limit: 'Not valid' });
  }
  return limit;
}

function readSearch(value: string | null | undefined, name: string) {
  if (value == null) return null;
  const text = value.trim();
  if (text.length > MAX_SEARCH || text.includes('\0')) {
    throw invalid(`The ${name} search is too long`, { [name]: 'Too long' }, 'search-too-long');
  }
  return text === '' ? null : text;
}

/** `%`, `_` and `\` stand for themselves in a search. */
const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

const readCommentId = (id: unknown) => {
  if (typeof id !== 'string' || id.length === 0 || id.length > LIMITS.id || id.includes('\0')) {
    throw notFound('No such comment', 'comment-gone');
  }
  return id;
};

/** An edit's or a reply's text (validate.ts' readEditBody), its problem named for the dashboard. */
function readModeratorBody(body: unknown) {
  try {
    return readEditBody(body);
  } catch (error) {
    if (!(error instanceof ProtocolError)) throw error;
    const problem = error.fields?.body ?? '';
    throw error.because(
      problem === 'Required' ? 'body-required' : problem.startsWith('Too long') ? 'body-too-long' : 'body-invalid',
    );
  }
}

/** `onChange(threadId)`: a thread's public pages changed (drop them from the cache). */
/** Writes one audit entry; `actor` null: a rule did it (reports). */
export async function recordAudit(
  q: Queryable,
  at: Date,
  actor: Actor | null,
  action: string,
  where: { threadId: string | null; commentId: string | null },
  before: object | null,
  after: object | null,
) {
  await q.query(
    `INSERT INTO audit_log (at, actor, action, thread_id, comment_id, before, after) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [at, actor, action, where.threadId, where.commentId, before, after],
  );
}

export function createModeration({
  db,
  store,
  now = () => new Date(),
  onChange = () => {},
  queueEvent,
}: {
  db: Database;
  store: CommentStore;
  now?: () => Date;
  onChange?: (threadId: string) => void;
  /** Where changes readers see are queued for receivers outside (webhooks); unset: nowhere. */
  queueEvent?: QueueEvent;
}) {
  const announce = announcer(queueEvent);
  const audit = (
    tx: Queryable,
    actor: Actor | null,
    action: string,
    where: { threadId: string | null; commentId: string | null },
    before: object | null,
    after: object | null,
  ) => recordAudit(tx, now(), actor, action, where, before, after);

  /** The undecided reports of these comments, summed per comment. */
  async function reportsOf(q: Queryable, ids: string[]) {
    const summary = new Map<string, AdminComment['reports']>();
    if (ids.length === 0) return summary;
    const { rows } = await q.query(
      `SELECT comment_id, reason, note FROM reports WHERE comment_id = ANY($1::text[]) AND NOT decided ORDER BY created_at`,
      [ids],
    );
    for (const row of rows) {
      const entry = summary.get(row.comment_id) ?? { count: 0, reasons: {}, notes: [] };
      entry.count += 1;
      entry.reasons[row.reason] = (entry.reasons[row.reason] ?? 0) + 1;
      if (row.note) entry.notes.push(row.note);
      summary.set(row.comment_id, entry);
    }
    return summary;
  }

  async function readAdminComments(q: Queryable, where: string, params: unknown[]) {
    const { rows } = await q.query(
      `SELECT ${ADMIN_COLUMNS} FROM comments c JOIN threads t ON t.id = c.thread_id WHERE ${where}`,
      params,
    );
    const reports = await reportsOf(
      q,
      rows.map((row) => row.id),
    );
    return rows.map((row) => toAdminComment(row, reports));
  }

  async function adminComment(q: Queryable, threadId: string, id: string) {
    const [comment] = await readAdminComments(q, 'c.id = $1 AND c.thread_id = $2', [id, threadId]);
    return comment ?? null;
  }

  /**
   * Runs `work` on the comment row, locked until commit; 404 unless the comment is in that thread.
   * Afterwards the thread's pages are dropped and the dashboards hear of it.
   */
  async function onComment<T>(threadId: unknown, id: unknown, work: (tx: Queryable, row: Row) => Promise<T>) {
    const thread = readThreadId(threadId);
    const commentId = readCommentId(id);
    const result = await db.transaction(async (tx) => {
      const { rows } = await tx.query(
        `SELECT ${COMMENT_COLUMNS}, c.thread_id, c.parent_id, c.email_hash, c.client_hash, c.hold_reason, c.open_reports,
           c.deleted_by, t.title AS thread_title, t.url AS thread_url
         FROM comments c JOIN threads t ON t.id = c.thread_id WHERE c.id = $1 AND c.thread_id = $2 FOR UPDATE OF c`,
        [commentId, thread],
      );
      if (!rows[0]) throw notFound('No such comment in this thread', 'comment-gone');
      const value = await work(tx, rows[0]);
      await notifyModerators(tx, thread, commentId);
      return value;
    });
    onChange(thread);
    return result;
  }

  /** Reports on the comment are decided: it leaves the Reported view. */
  async function settleReports(tx: Queryable, id: string) {
    await tx.query('UPDATE reports SET decided = true WHERE comment_id = $1 AND NOT decided', [id]);
    await tx.query('UPDATE comments SET open_reports = 0 WHERE id = $1', [id]);
  }

  /** The status change and what readers must hear of it: a comment that appears, or goes. */
  async function setStatus(tx: Queryable, row: Row, status: 'published' | 'spam', extra = '') {
    const { rows } = await tx.query(
      `UPDATE comments c SET status = $2, open_reports = 0, ever_published = ever_published OR $2 = 'published' ${extra}
       WHERE c.id = $1 RETURNING ${COMMENT_COLUMNS}`,
      [row.id, status],
    );
    const comment = toComment(rows[0]!);
    if (status === 'published' && row.status !== 'published') await announce(tx, 'comment.created', threadOf(row), comment);
    if (status !== 'published' && row.status === 'published') {
      await announce(tx, 'comment.deleted', threadOf(row), { ...comment, status: 'deleted', body: '' });
    }
  }

  const ACTS: Record<Action, (tx: Queryable, row: Row, actor: Actor) => Promise<void>> = {
    async approve(tx, row, actor) {
      if (row.status === 'deleted') throw notFound('This comment was deleted; Restore brings it back', 'comment-deleted');
      const commenter = commenterOf(row.email_hash, row.client_hash);
      if (commenter !== null) {
        await tx.query('INSERT INTO approved_commenters (commenter, approved_at) VALUES ($1, $2) ON CONFLICT DO NOTHING', [
          commenter,
          now(),
        ]);
      }
      await setStatus(tx, row, 'published', ', hold_reason = NULL');
      await settleReports(tx, row.id);
      await audit(tx, actor, 'approve', where(row), { status: row.status }, { status: 'published' });
    },
    async spam(tx, row, actor) {
      if (row.status === 'deleted') throw notFound('This comment was deleted', 'comment-deleted');
      await setStatus(tx, row, 'spam', ', pinned = false');
      await settleReports(tx, row.id);
      await audit(tx, actor, 'spam', where(row), { status: row.status }, { status: 'spam' });
    },
    async delete(tx, row, actor) {
      if (row.status === 'deleted') {
        await settleReports(tx, row.id);
        return;
      }
      // A comment readers never saw leaves no empty place for them (ever_published stays false).
      const { rows } = await tx.query(
        `UPDATE comments c SET status = 'deleted', body = '', pinned = false, open_reports = 0, deleted_by = 'moderator'
         WHERE c.id = $1 RETURNING ${COMMENT_COLUMNS}`,
        [row.id],
      );
      if (row.status === 'published') await announce(tx, 'comment.deleted', threadOf(row), toComment(rows[0]!));
      await settleReports(tx, row.id);
      // The body lives on in the audit log: Restore reads it back from there.
      await audit(tx, actor, 'delete', where(row), { status: row.status, body: row.body }, { status: 'deleted' });
    },
    async restore(tx, row, actor) {
      if (row.status === 'published' || row.status === 'pending') return;
      let body = row.body;
      if (row.status === 'deleted') {
        // The text of the latest deletion, which a moderator made (an author's deletion is final).
        const { rows } = await tx.query(
          `SELECT before->>'body' AS body FROM audit_log WHERE comment_id = $1 AND action = 'delete' ORDER BY id DESC LIMIT 1`,
          [row.id],
        );
        if (row.deleted_by !== 'moderator' || typeof rows[0]?.body !== 'string') {
          throw invalid('Its author deleted this comment; there is no text to restore', undefined, 'restore-author-deleted');
        }
        body = rows[0].body;
      }
      const { rows } = await tx.query(
        `UPDATE comments c SET status = 'published', body = $2, hold_reason = NULL, deleted_by = NULL, ever_published = true
         WHERE c.id = $1 RETURNING ${COMMENT_COLUMNS}`,
        [row.id, body],
      );
      // Readers of the thread hold a deleted comment's empty place, but no spam comment at all.
      await announce(tx, row.status === 'deleted' ? 'comment.updated' : 'comment.created', threadOf(row), toComment(rows[0]!));
      await audit(tx, actor, 'restore', where(row), { status: row.status }, { status: 'published' });
    },
    async pin(tx, row, actor) {
      await setPinned(tx, row, actor, true);
    },
    async unpin(tx, row, actor) {
      await setPinned(tx, row, actor, false);
    },
  };

  async function setPinned(tx: Queryable, row: Row, actor: Actor, pinned: boolean) {
    if (pinned && (row.parent_id !== null || row.status !== 'published')) {
      throw invalid('Only a published top-level comment can be pinned', undefined, 'pin-not-allowed');
    }
    if (Boolean(row.pinned) === pinned) return;
    const { rows } = await tx.query(`UPDATE comments c SET pinned = $2 WHERE c.id = $1 RETURNING ${COMMENT_COLUMNS}`, [
      row.id,
      pinned,
    ]);
    if (row.status === 'published') await announce(tx, 'comment.updated', threadOf(row), toComment(rows[0]!));
    await audit(tx, actor, pinned ? 'pin' : 'unpin', where(row), { pinned: !pinned }, { pinned });
  }

  const where = (row: Row) => ({ threadId: row.thread_id as string, commentId: row.id as string });

  async function act(actor: Actor, threadId: unknown, id: unknown, action: unknown): Promise<AdminComment> {
    if (!ACTIONS.includes(action as Action)) throw notFound('No such action');
    return onComment(threadId, id, async (tx, row) => {
      await ACTS[action as Action](tx, row, actor);
      return (await adminComment(tx, row.thread_id, row.id))!;
    });
  }

  async function threadRows(where: string, params: unknown[]) {
    const { rows } = await db.query(
      `SELECT t.id, t.title, t.url, t.locked, t.last_comment_at,
         (SELECT count(*)::int FROM comments c WHERE c.thread_id = t.id AND c.status = 'published') AS comment_count,
         (SELECT count(*)::int FROM comments c WHERE c.thread_id = t.id AND c.status = 'pending') AS pending_count
       FROM threads t WHERE ${where}`,
      params,
    );
    return rows;
  }

  const toAdminThread = (row: Row): AdminThread => ({
    id: row.id,
    title: row.title,
    url: row.url,
    locked: row.locked,
    commentCount: row.comment_count,
    pendingCount: row.pending_count,
    lastCommentAt: row.last_comment_at ? row.last_comment_at.toISOString() : null,
  });

  return {
    /**
     * One view's page, newest first. Filters: `q` the text, `author` the name (substrings, any
     * case), `email` (compared by its keyed hash), `thread` (exact id).
     */
    async comments(query: {
      view?: string | null;
      limit?: string | null;
      cursor?: string | null;
      q?: string | null;
      author?: string | null;
      email?: string | null;
      thread?: string | null;
    }): Promise<{ comments: AdminComment[]; nextCursor: string | null }> {
      const view = (query.view ?? 'all') as View;
      if (!VIEWS.includes(view)) throw invalid(`The view must be one of ${VIEWS.join(', ')}`, { view: 'Not valid' });
      const limit = readLimit(query.limit);
      const after = decodeCursor(query.cursor);
      const conditions = [VIEW_FILTERS[view]];
      const params: unknown[] = [];
      const param = (value: unknown) => `$${params.push(value)}`;
      const text = readSearch(query.q, 'q');
      if (text) conditions.push(`c.body ILIKE ${param(likePattern(text))}`);
      const author = readSearch(query.author, 'author');
      if (author) conditions.push(`c.author_name ILIKE ${param(likePattern(author))}`);
      const email = readSearch(query.email, 'email');
      if (email) conditions.push(`c.email_hash = ${param(await store.commenterHash('email', email))}`);
      const thread = readSearch(query.thread, 'thread');
      if (thread) conditions.push(`c.thread_id = ${param(thread)}`);
      if (after) conditions.push(`(c.created_at, c.id) < (${param(after.time)}::timestamptz, ${param(after.id)}::text)`);
      const comments = await readAdminComments(
        db,
        `${conditions.join(' AND ')} ORDER BY c.created_at DESC, c.id DESC LIMIT ${param(limit + 1)}`,
        params,
      );
      const page = comments.slice(0, limit);
      const last = page.at(-1);
      return {
        comments: page,
        nextCursor: comments.length > limit && last ? encodeCursor(new Date(last.createdAt), last.id) : null,
      };
    },

    /** How many comments each queue holds: three partial-index counts. */
    async counts(): Promise<Counts> {
      const { rows } = await db.query(
        `SELECT (SELECT count(*)::int FROM comments WHERE status = 'pending') AS pending,
           (SELECT count(*)::int FROM comments WHERE open_reports > 0) AS reported,
           (SELECT count(*)::int FROM comments WHERE status = 'spam') AS spam`,
      );
      return rows[0] as Counts;
    },

    /** One comment as the dashboard shows it, or null (for the live updates). */
    comment: (threadId: string, id: string) => adminComment(db, threadId, id),

    act,

    /** Up to MAX_BULK decisions in one request, each in its own transaction; missing comments are skipped. */
    async bulk(actor: Actor, input: unknown): Promise<AdminComment[]> {
      const { action, comments } = isObject(input) ? input : {};
      if (!(BULK_ACTIONS as readonly unknown[]).includes(action)) {
        throw invalid(`The action must be one of ${BULK_ACTIONS.join(', ')}`, { action: 'Not valid' }, 'bulk-invalid');
      }
      if (!Array.isArray(comments) || comments.length === 0 || comments.length > MAX_BULK) {
        throw invalid(`Give from 1 to ${MAX_BULK} comments`, { comments: `From 1 to ${MAX_BULK}` }, 'bulk-limit');
      }
      // Every item is checked before the first is acted on: a bad one changes nothing.
      const items = comments.map((item) => (isObject(item) ? item : {}));
      if (items.some(({ threadId, id }) => typeof threadId !== 'string' || typeof id !== 'string')) {
        throw invalid('Each comment is { threadId, id }', { comments: 'Each one needs a threadId and an id' }, 'bulk-invalid');
      }
      items.forEach(({ threadId }) => readThreadId(threadId));
      const done: AdminComment[] = [];
      for (const { threadId, id } of items) {
        try {
          done.push(await act(actor, threadId, id, action));
        } catch (error) {
          if (!(error instanceof Error && 'code' in error && error.code === 'not_found')) throw error;
        }
      }
      return done;
    },

    /** Changes the body; the earlier one is kept in the audit log. */
    edit(actor: Actor, threadId: unknown, id: unknown, body: unknown): Promise<AdminComment> {
      const text = readModeratorBody(body);
      return onComment(threadId, id, async (tx, row) => {
        if (row.status === 'deleted') throw notFound('This comment was deleted', 'comment-deleted');
        const { rows } = await tx.query(
          `UPDATE comments c SET body = $2, edited_at = $3 WHERE c.id = $1 RETURNING ${COMMENT_COLUMNS}`,
          [row.id, text, now()],
        );
        if (row.status === 'published') await announce(tx, 'comment.updated', threadOf(row), toComment(rows[0]!));
        await audit(tx, actor, 'edit', where(row), { body: row.body }, { body: text });
        return (await adminComment(tx, row.thread_id, row.id))!;
      });
    },

    /** A published reply with the moderator badge. `name` is for the admin token, which has none. */
    reply(actor: Actor, threadId: unknown, id: unknown, input: unknown): Promise<AdminComment> {
      const { body, name } = isObject(input) ? input : {};
      const text = readModeratorBody(body);
      const authorName =
        actor.kind === 'moderator' || actor.kind === 'sso'
          ? actor.name || 'Moderator'
          : typeof name === 'string' && name.trim()
            ? name.trim().slice(0, LIMITS.name)
            : 'Moderator';
      return onComment(threadId, id, async (tx, row) => {
        // Under a held comment a reply would be public under a comment nobody sees.
        if (row.status !== 'published')
          throw invalid('Approve the comment before replying to it', undefined, 'reply-not-published');
        const replyId = newId('c');
        const createdAt = now();
        const { rows } = await tx.query(
          `INSERT INTO comments AS c (id, thread_id, parent_id, root_id, author_name, author_role, body, status, token_hash,
             created_at, author_id, author_verified)
           SELECT $1, thread_id, id, root_id, $3, 'moderator', $4, 'published', $5, $6, $7::text, $7::text IS NOT NULL
           FROM comments WHERE id = $2
           RETURNING ${COMMENT_COLUMNS}`,
          [replyId, row.id, authorName, text, hashSecret(newEditToken()), createdAt, actor.kind === 'sso' ? actor.id : null],
        );
        await tx.query('UPDATE threads SET last_comment_at = $2 WHERE id = $1', [row.thread_id, createdAt]);
        await announce(tx, 'comment.created', threadOf(row), toComment(rows[0]!));
        await audit(tx, actor, 'reply', { threadId: row.thread_id, commentId: replyId }, null, { body: text, parentId: row.id });
        return (await adminComment(tx, row.thread_id, replyId))!;
      });
    },

    /** Threads by their latest comment, newest first; `q` searches the id and the title. */
    async threads(query: { limit?: string | null; cursor?: string | null; q?: string | null }) {
      const limit = readLimit(query.limit);
      const after = decodeCursor(query.cursor);
      const params: unknown[] = [];
      const param = (value: unknown) => `$${params.push(value)}`;
      const conditions = ['true'];
      const text = readSearch(query.q, 'q');
      if (text) conditions.push(`(t.id ILIKE ${param(likePattern(text))} OR t.title ILIKE $${params.length})`);
      // Threads without a comment sort last, as of the year 1 (a time a cursor can hold).
      const activity = `coalesce(t.last_comment_at, '${NO_ACTIVITY.toISOString()}'::timestamptz)`;
      if (after) conditions.push(`(${activity}, t.id) < (${param(after.time)}::timestamptz, ${param(after.id)}::text)`);
      const rows = await threadRows(
        `${conditions.join(' AND ')} ORDER BY ${activity} DESC, t.id DESC LIMIT ${param(limit + 1)}`,
        params,
      );
      const page = rows.slice(0, limit).map(toAdminThread);
      const last = rows[limit - 1];
      return {
        threads: page,
        nextCursor: rows.length > limit && last ? encodeCursor(last.last_comment_at ?? NO_ACTIVITY, last.id) : null,
      };
    },

    /** Locks or unlocks a thread: readers see its forms go, or come back. */
    async setLocked(actor: Actor, threadId: unknown, lockedNow: boolean): Promise<AdminThread> {
      const thread = readThreadId(threadId);
      await db.transaction(async (tx) => {
        const { rows } = await tx.query('SELECT locked FROM threads WHERE id = $1 FOR UPDATE', [thread]);
        if (!rows[0]) throw notFound('No such thread', 'thread-gone');
        if (rows[0].locked === lockedNow) return;
        await tx.query('UPDATE threads SET locked = $2 WHERE id = $1', [thread, lockedNow]);
        await audit(
          tx,
          actor,
          lockedNow ? 'lock' : 'unlock',
          { threadId: thread, commentId: null },
          { locked: !lockedNow },
          {
            locked: lockedNow,
          },
        );
      });
      onChange(thread);
      return toAdminThread((await threadRows('t.id = $1', [thread]))[0]!);
    },

    /** Active bans, newest first. */
    async bans() {
      const { rows } = await db.query(
        `SELECT id, email_hash IS NOT NULL AS by_email, client_hash IS NOT NULL AS by_client, author_name, note,
           created_at, expires_at, created_by
         FROM bans WHERE lifted_at IS NULL AND (expires_at IS NULL OR expires_at > $1) ORDER BY created_at DESC, id DESC`,
        [now()],
      );
      return rows.map(toBan);
    },

    /**
     * Bans the author of a comment by their email's hash and/or their client address prefix,
     * for `days` or for ever (null).
     */
    async ban(actor: Actor, input: unknown) {
      const { threadId, commentId, kinds, days, note } = isObject(input) ? input : {};
      const fields: Record<string, string> = {};
      const wanted = Array.isArray(kinds) ? kinds : [];
      if (wanted.length === 0 || wanted.some((kind) => kind !== 'email' && kind !== 'client')) {
        fields.kinds = 'Give "email", "client" or both';
      }
      if (days !== null && !(typeof days === 'number' && Number.isFinite(days) && days > 0 && days <= 36_500)) {
        fields.days = 'A number of days from 1 to 36500, or null for ever';
      }
      if (note != null && (typeof note !== 'string' || note.length > MAX_NOTE))
        fields.note = `Text of at most ${MAX_NOTE} characters`;
      // The first problem names the reason (the dashboard's form lets only the note's length through).
      const problem = fields.kinds ? 'ban-kinds' : fields.days ? 'ban-days' : 'ban-note';
      if (Object.keys(fields).length > 0) throw invalid('The ban is not valid', fields, problem);
      const ban = await onComment(threadId, commentId, async (tx, row) => {
        const emailHash = wanted.includes('email') ? row.email_hash : null;
        const clientHash = wanted.includes('client') ? row.client_hash : null;
        if (emailHash === null && clientHash === null) {
          throw invalid(
            'This comment has no email or address to ban (an imported or seeded comment)',
            { kinds: 'Unknown' },
            'ban-no-address',
          );
        }
        const at = now();
        const expiresAt = days === null ? null : new Date(at.getTime() + (days as number) * 86_400_000);
        const { rows } = await tx.query(
          `INSERT INTO bans (id, email_hash, client_hash, author_name, note, created_at, expires_at, created_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
           RETURNING id, email_hash IS NOT NULL AS by_email, client_hash IS NOT NULL AS by_client, author_name, note,
             created_at, expires_at, created_by`,
          [newId('b'), emailHash, clientHash, row.author_name, typeof note === 'string' ? note.trim() : '', at, expiresAt, actor],
        );
        await audit(tx, actor, 'ban', where(row), null, { kinds: wanted, expiresAt, note: note ?? '' });
        return toBan(rows[0]!);
      });
      return ban;
    },

    async unban(actor: Actor, id: unknown) {
      if (typeof id !== 'string' || id.length > LIMITS.id) throw notFound('No such ban', 'ban-gone');
      await db.transaction(async (tx) => {
        const { rows } = await tx.query(
          'UPDATE bans SET lifted_at = $2 WHERE id = $1 AND lifted_at IS NULL RETURNING author_name, note',
          [id, now()],
        );
        if (!rows[0]) throw notFound('No such ban', 'ban-gone');
        await audit(tx, actor, 'unban', { threadId: null, commentId: null }, { ban: id, authorName: rows[0].author_name }, null);
      });
    },

    /** For actions outside this module (moderators added or removed). */
    record: (actor: Actor, action: string, before: object | null, after: object | null) =>
      db.transaction((tx) => audit(tx, actor, action, { threadId: null, commentId: null }, before, after)),

    /** The audit log, newest first. */
    async auditLog(query: { limit?: string | null; cursor?: string | null }) {
      const limit = readLimit(query.limit);
      const cursor = query.cursor;
      let afterId: number | null = null;
      if (cursor != null && cursor !== '') {
        afterId = Number(cursor);
        if (!Number.isSafeInteger(afterId) || afterId < 1) throw invalid('The cursor is not valid', { cursor: 'Not valid' });
      }
      const { rows } = await db.query(
        `SELECT id, at, actor, action, thread_id, comment_id, before, after FROM audit_log
         ${afterId === null ? '' : 'WHERE id < $2'} ORDER BY id DESC LIMIT $1`,
        afterId === null ? [limit + 1] : [limit + 1, afterId],
      );
      const entries = rows.slice(0, limit).map((row) => ({
        id: String(row.id),
        at: row.at.toISOString(),
        actor: row.actor,
        action: row.action,
        threadId: row.thread_id,
        commentId: row.comment_id,
        before: row.before,
        after: row.after,
      }));
      return { entries, nextCursor: rows.length > limit ? entries.at(-1)!.id : null };
    },
  };
}

function toBan(row: Row) {
  return {
    id: row.id as string,
    kinds: [...(row.by_email ? ['email'] : []), ...(row.by_client ? ['client'] : [])],
    authorName: row.author_name as string,
    note: row.note as string,
    createdAt: row.created_at.toISOString() as string,
    expiresAt: row.expires_at ? (row.expires_at.toISOString() as string) : null,
    createdBy: row.created_by as Actor | null,
  };
}

export type Moderation = ReturnType<typeof createModeration>;
