// The protocol's rules on top of SQL: who may change what, and when. Every change commits
// together with its event (pg_notify), so an event is sent exactly when its change is stored.
//
//   const store = createCommentStore({ db, editWindowMs: 15 * 60_000, moderation: 'off' });
//   const { comment, editToken } = await store.post('t1', { body: 'Hi' }, idempotencyKey, clientKey(address));
import type { BlocklistVerdict } from './blocklist.js';
import type { Database, Queryable, Row } from './database.js';
import type { Akismet } from './akismet.js';
import { ProtocolError, banned, duplicate, forbidden, invalid, locked, notFound, unauthorized } from './errors.js';
import { EVENTS_CHANNEL, eventPayload } from './events.js';
import type { EventType } from './events.js';
import { encodeCursor } from './paging.js';
import type { PageRequest, Position } from './paging.js';
import type { Moderation } from './settings.js';
import type { Actor } from './actors.js';
import type { SsoUser } from './sso.js';
import {
  hashBody,
  hashCommenter,
  hashIdempotencyKey,
  hashSecret,
  newEditToken,
  newId,
  newServerSecret,
  openReplay,
  sealForReplay,
  secretMatches,
  userIdOf,
} from './tokens.js';
import { LIMITS, readEditBody, readId, readNewComment, readReport, readThreadId, readVote } from './validate.js';
import type { NewComment, Sort } from './validate.js';

/** `id` and `verified` only for a signed-in (Confab-User) author; `role` only for a moderator. */
export type Author = {
  name: string;
  url: string | null;
  avatarUrl: string | null;
  role?: 'moderator';
  id?: string;
  verified?: true;
};
/** As readers see it: a comment held as spam is `pending` to its author and absent for others. */
export type Comment = {
  id: string;
  parentId: string | null;
  author: Author;
  body: string;
  createdAt: string;
  editedAt: string | null;
  status: 'published' | 'pending' | 'deleted';
  score: number;
  /** Only when true: pinned top-level comments come first in their thread. */
  pinned?: true;
};
/** Why a comment waits for a moderator (or went to Spam); shown in the dashboard. */
export type HoldReason =
  'pre-moderation' | 'first-comment' | 'links' | 'blocklist' | 'too-fast' | 'akismet' | 'akismet-error' | 'reports';
/** What the HTTP layer knows of the poster, for Akismet; `user` when signed in on the host site. */
export type PostContext = { client: string; ip?: string; userAgent?: string; referrer?: string; user?: SsoUser | null };
export type ThreadInfo = { id: string; title: string | null; url: string | null; locked: boolean };
export type ThreadRef = { id: string; title: string | null; url: string | null };
/**
 * A change told to receivers outside the server (webhooks; later mail), queued in the change's
 * transaction. `comment` is its public shape: what readers see, never an email or a hash.
 */
export type ChangeEvent = {
  type: 'comment.created' | 'comment.updated' | 'comment.deleted' | 'comment.pending' | 'comment.reported';
  thread: ThreadRef;
  comment: Comment;
  /** comment.reported: the new report's reason. */
  report?: { reason: string };
};
/**
 * Queues a change's outside deliveries with its transaction (outbox.ts), and with `live` the
 * change's live event in the same statement; none by default.
 */
export type QueueEvent = (tx: Queryable, event: ChangeEvent, live?: { channel: string; payload: string }) => Promise<void>;
/** Keeps a commenter's request for reply emails, with the post's transaction. */
export type SubscribeReplies = (
  tx: Queryable,
  request: { email: string; emailHash: string; locale: string | null; commentId: string; threadId: string },
) => Promise<void>;
/** What this server offers, so that the widget shows only what works. */
export type Features = { sso: boolean; guests: boolean; reports: boolean; notify?: boolean };
export type Thread = ThreadInfo & { commentCount: number; features: Features };
export type SeedThread = { thread: ThreadInfo; comments: Array<Partial<Comment>> };

// Always read from `comments c`: other tables have columns of the same names.
export const COMMENT_COLUMNS = `c.id, c.parent_id, c.author_name, c.author_url, c.avatar_url, c.body, c.created_at,
  c.edited_at, c.status, c.score, c.pinned, c.author_role, c.author_id, c.author_verified`;

/**
 * What readers may see: published comments, and deleted ones they once saw (so that replies keep
 * their place). `alias` names the comments table in the query.
 */
export const visibleTo = (alias: string) =>
  `(${alias}.status = 'published' OR (${alias}.status = 'deleted' AND ${alias}.ever_published))`;
export const VISIBLE = visibleTo('c');

export const toComment = (row: Row): Comment => {
  const author: Author = { name: row.author_name, url: row.author_url, avatarUrl: row.avatar_url };
  if (row.author_role === 'moderator') author.role = 'moderator';
  if (row.author_verified && row.author_id) {
    author.id = row.author_id;
    author.verified = true;
  }
  const comment: Comment = {
    id: row.id,
    parentId: row.parent_id,
    author,
    body: row.body,
    createdAt: row.created_at.toISOString(),
    editedAt: row.edited_at ? row.edited_at.toISOString() : null,
    status: row.status === 'spam' ? 'pending' : row.status,
    score: row.score,
  };
  if (row.pinned) comment.pinned = true;
  return comment;
};

/** Another request with the same Idempotency-Key committed first; its answer is the answer. */
class KeyAlreadyUsed extends Error {}

/** By default, the same body from the same client in the same thread within this time is a duplicate. */
export const DUPLICATE_WINDOW_MS = 10 * 60_000;
export const DEFAULT_REPORTS_TO_HOLD = 3;
/** Pinned comments shown ahead of the first page; a site pins a few, not a thread's worth. */
const MAX_PINNED_SHOWN = 10;
/** The pg_notify channel of the dashboards' live updates. */
export const MODERATION_CHANNEL = 'confab_moderation';

// A link is "http://" or "https://" (any case) and everything after it up to the next
// whitespace. Simple on purpose: a Markdown [text](https://…) counts once, two URLs glued
// together count once, and a miscount can only hold a comment for approval, never lose it.
const LINK = /https?:\/\/\S+/gi;

/** How many http(s) URLs a body holds, as MAX_LINKS counts them. */
export const countLinks = (body: string) => body.match(LINK)?.length ?? 0;

/**
 * Who wrote a comment, as MODERATION=first knows them again: their email's hash, or, when
 * they gave no email, their client key's hash; null when neither is known.
 */
export const commenterOf = (emailHash: string | null, clientHash: string | null) =>
  emailHash ? `email:${emailHash}` : clientHash ? `client:${clientHash}` : null;

/** `onChange` hears of every committed change in a thread (to drop cached pages at once). */
export function createCommentStore({
  db,
  editWindowMs,
  moderation = 'off',
  maxLinks = Number.POSITIVE_INFINITY,
  duplicateWindowMs = DUPLICATE_WINDOW_MS,
  blocklist = () => null,
  minComposeMs = 0,
  akismet,
  publicUrl,
  reportsToHold = DEFAULT_REPORTS_TO_HOLD,
  adminToken,
  features = { sso: false, guests: true, reports: true },
  now = () => new Date(),
  onChange = () => {},
  queueEvent,
  subscribeReplies,
}: {
  db: Database;
  editWindowMs: number;
  moderation?: Moderation;
  /** A body with more http(s) URLs than this is held as pending; default: no limit. */
  maxLinks?: number;
  /** The same body from the same client in a thread within this time answers 409; 0: no such rule. */
  duplicateWindowMs?: number;
  /** The site owner's blocklist: a body it holds waits for approval, one it refuses is not stored. */
  blocklist?: (body: string) => BlocklistVerdict;
  /** A comment sent sooner than this after its form opened (as the widget says) is held; 0: no such rule. */
  minComposeMs?: number;
  /** Asked about every new comment when set: spam goes to Spam, a failed check holds the comment. */
  akismet?: Akismet;
  /** The site's address for Akismet; default: the commented page's origin. */
  publicUrl?: string;
  /** Distinct readers whose reports send a published comment back to pending; 0: reports never do. */
  reportsToHold?: number;
  adminToken?: string;
  /** Told to readers with each thread. */
  features?: Features;
  now?: () => Date;
  onChange?: (threadId: string) => void;
  /** Where changes are queued for receivers outside (webhooks); unset: nowhere. */
  queueEvent?: QueueEvent;
  /**
   * A post that asks for reply emails, in its transaction (notifications.ts); unset: the server
   * sends no email, and `notify` is ignored.
   */
  subscribeReplies?: SubscribeReplies;
}) {
  const announce = announcer(queueEvent);
  const adminTokenHash = adminToken ? hashSecret(adminToken) : null;
  // The key of the commenter hashes: made by the first post, kept by the database (so every
  // instance, and a restored backup, hashes alike).
  let commenterSecret: Promise<string> | null = null;
  const secret = (): Promise<string> =>
    (commenterSecret ??= (async () => {
      await db.query('INSERT INTO server_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [
        'commenter-hash',
        newServerSecret(),
      ]);
      const { rows } = await db.query('SELECT value FROM server_secrets WHERE name = $1', ['commenter-hash']);
      return rows[0]!.value as string;
    })().catch((error) => {
      commenterSecret = null; // a database hiccup: try again on the next post
      throw error;
    }));

  const isAdmin = (token: unknown) => secretMatches(token, adminTokenHash);

  /**
   * Who may change the comment: an admin (the admin token) or a moderator signed in on the site,
   * at any time and audited; its signed-in author at any time; a guest author with their edit
   * token within the edit window.
   * @returns the actor to audit, or null for the comment's own author
   */
  function authorizeChange(row: Row, token: unknown, user: SsoUser | null | undefined): Actor | null {
    if (isAdmin(token)) return { kind: 'token' };
    if (user && row.author_verified && row.author_id === user.id) return null;
    if (user?.moderator) return { kind: 'sso', id: user.id, name: user.name };
    if (!secretMatches(token, row.token_hash)) {
      if (user) throw forbidden('Only its author or a moderator may change this comment');
      throw unauthorized();
    }
    if (now().getTime() - row.created_at.getTime() > editWindowMs) {
      throw forbidden('The time to change this comment has passed');
    }
    return null;
  }

  /**
   * Runs `work` on the comment row, locked until commit; 404 when there is no such comment.
   */
  async function changeComment<T>(threadId: unknown, id: unknown, work: (tx: Queryable, row: Row) => Promise<T>) {
    const thread = readThreadId(threadId);
    if (typeof id !== 'string' || id.length > LIMITS.id || id.includes('\0')) throw notFound('No such comment');
    const result = await db.transaction(async (tx) => {
      const { rows } = await tx.query(
        `SELECT ${COMMENT_COLUMNS}, c.thread_id, c.token_hash, c.email_hash, c.client_hash, c.open_reports, t.locked,
           t.title AS thread_title, t.url AS thread_url
         FROM comments c JOIN threads t ON t.id = c.thread_id
         WHERE c.id = $1 AND c.thread_id = $2 FOR UPDATE OF c`,
        [id, thread],
      );
      if (!rows[0]) throw notFound('No such comment');
      return work(tx, rows[0]);
    });
    onChange(thread);
    return result;
  }

  /** @param values parameters from $2 on */
  async function updateComment(tx: Queryable, id: string, assignments: string, values: unknown[]) {
    const { rows } = await tx.query(`UPDATE comments c SET ${assignments} WHERE c.id = $1 RETURNING ${COMMENT_COLUMNS}`, [
      id,
      ...values,
    ]);
    return toComment(rows[0]!);
  }

  async function findReplay(threadId: string, key: string) {
    const { rows } = await db.query(
      `SELECT ${COMMENT_COLUMNS}, k.sealed_token
       FROM idempotency_keys k JOIN comments c ON c.id = k.comment_id
       WHERE k.thread_id = $1 AND k.key_hash = $2`,
      [threadId, hashIdempotencyKey(key)],
    );
    const row = rows[0];
    return row ? { comment: toComment(row), editToken: openReplay(row.sealed_token, key) } : null;
  }

  /**
   * Why a new comment waits for approval, or null: with more links than MAX_LINKS; sent sooner
   * than `minComposeMs` after its form opened; always with MODERATION=pre; with MODERATION=first
   * until one of the commenter's comments has been approved.
   */
  async function holdReason(
    tx: Queryable,
    data: NewComment,
    commenter: string | null,
    verified: boolean,
  ): Promise<HoldReason | null> {
    if (countLinks(data.body) > maxLinks) return 'links';
    if (data.composeMs !== null && data.composeMs < minComposeMs) return 'too-fast';
    if (moderation === 'pre') return 'pre-moderation';
    // A user the site vouches for is known to it: an approved commenter from the start.
    if (moderation !== 'first' || verified) return null;
    if (commenter !== null) {
      const { rows } = await tx.query('SELECT 1 FROM approved_commenters WHERE commenter = $1', [commenter]);
      if (rows.length > 0) return null;
    }
    return 'first-comment';
  }

  /** 403 `banned` when a ban (not lifted, not expired) names the commenter's email or client. */
  async function refuseBanned(emailHash: string | null, clientHash: string | null) {
    if (emailHash === null && clientHash === null) return;
    const { rows } = await db.query(
      `SELECT 1 FROM bans WHERE lifted_at IS NULL AND (expires_at IS NULL OR expires_at > $3)
         AND (email_hash = $1 OR client_hash = $2) LIMIT 1`,
      [emailHash, clientHash, now()],
    );
    if (rows.length > 0) throw banned();
  }

  /** Akismet's verdict on a new comment; null without Akismet. */
  async function askAkismet(data: NewComment, context: PostContext | undefined) {
    if (!akismet) return null;
    const pageUrl = data.page.url;
    return akismet
      .check({
        blog: publicUrl ?? (pageUrl ? new URL(pageUrl).origin : ''),
        userIp: context?.ip ?? '',
        userAgent: context?.userAgent,
        referrer: context?.referrer,
        permalink: pageUrl,
        type: data.parentId === null ? 'comment' : 'reply',
        authorName: data.author.name,
        authorEmail: data.email,
        authorUrl: data.author.url,
        content: data.body,
      })
      .then(
        (verdict) => (verdict === 'ham' ? null : verdict === 'spam' ? 'akismet' : 'akismet-error'),
        () => 'akismet-error' as const,
      );
  }

  /**
   * Refuses (409) the same body from the same client in this thread within `duplicateWindowMs`.
   * The lock makes two such posts sent at once wait for each other, so that one of them is refused.
   */
  async function refuseDuplicate(tx: Queryable, thread: string, clientHash: string, bodyHash: string) {
    await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
      JSON.stringify(['duplicate', thread, clientHash, bodyHash]),
    ]);
    const { rows } = await tx.query(
      `SELECT 1 FROM comments
       WHERE thread_id = $1 AND body_hash = $2 AND created_at > $3 AND client_hash = $4 LIMIT 1`,
      [thread, bodyHash, new Date(now().getTime() - duplicateWindowMs), clientHash],
    );
    if (rows.length > 0) throw duplicate();
  }

  /** Changes by the admin token or a moderator through the protocol's own endpoints are moderation too. */
  async function audit(tx: Queryable, actor: Actor, action: string, row: Row, before: object, after: object) {
    await tx.query(
      `INSERT INTO audit_log (at, actor, action, thread_id, comment_id, before, after) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [now(), actor, action, row.thread_id, row.id, before, after],
    );
  }

  return {
    isAdmin,

    /** A signed-in user's public id (`author.id`) for the site's `sub`: stable, opaque, keyed. */
    async userId(sub: string) {
      return userIdOf(await secret(), sub);
    },

    /** The keyed hash of a commenter's email or client key, as stored on their comments. */
    async commenterHash(kind: 'email' | 'client', value: string) {
      return hashCommenter(await secret(), kind, value);
    },

    /**
     * One page: `limit` top-level comments in `sort` order plus all of their replies, each
     * top-level comment followed by its replies depth first. Pending comments are left out:
     * only their author may see them, and this server cannot tell who that is.
     */
    async list({ threadId, sort, limit, after }: PageRequest): Promise<{
      thread: Thread;
      comments: Comment[];
      nextCursor: string | null;
    }> {
      const { rows: threads } = await db.query(
        `SELECT id, title, url, locked,
           (SELECT count(*)::int FROM comments c WHERE c.thread_id = t.id AND c.status = 'published')
             AS comment_count
         FROM threads t WHERE t.id = $1`,
        [threadId],
      );
      const threadRow = threads[0];
      if (!threadRow) {
        const thread = { id: threadId, title: null, url: null, locked: false, commentCount: 0, features };
        return { thread, comments: [], nextCursor: null };
      }
      const roots = await db.query(...rootsQuery(threadId, sort, limit + 1, after));
      const pageRoots = roots.rows.slice(0, limit);
      // Pinned comments head the first page, whatever the sort, and are left out of every page's sort order.
      const pinned = after
        ? []
        : (
            await db.query(
              `SELECT c.id FROM comments c WHERE c.thread_id = $1 AND c.pinned AND c.parent_id IS NULL AND ${VISIBLE}
               ORDER BY c.created_at, c.id LIMIT $2`,
              [threadId, MAX_PINNED_SHOWN],
            )
          ).rows;
      const rootIds = [...pinned, ...pageRoots].map((root) => root.id);
      const { rows } = await db.query(
        `SELECT ${COMMENT_COLUMNS}, ${VISIBLE} AS visible FROM comments c
         WHERE c.thread_id = $1 AND c.root_id = ANY($2::text[])
         ORDER BY c.created_at, c.id`,
        [threadId, rootIds],
      );
      const last = pageRoots.at(-1);
      return {
        thread: {
          id: threadRow.id,
          title: threadRow.title,
          url: threadRow.url,
          locked: threadRow.locked,
          commentCount: threadRow.comment_count,
          features,
        },
        comments: depthFirst(rootIds, forReaders(rows)),
        nextCursor:
          roots.rows.length > limit && last
            ? encodeCursor(sort, { id: last.id, createdAt: last.created_at, score: last.score })
            : null,
      };
    },

    /**
     * Posts a comment, creating the thread on its first comment. The same Idempotency-Key
     * answers with the first result again, edit token included, and creates nothing.
     * `client` is the poster's rate-limit key (clientKey): with it, the same body again within
     * `duplicateWindowMs` answers 409 `duplicate`. Without it (imports, scripts) that rule is off.
     */
    async post(
      threadId: unknown,
      input: unknown,
      idempotencyKey?: string,
      context?: PostContext,
    ): Promise<{ comment: Comment; editToken: string | null }> {
      const client = context?.client;
      const thread = readThreadId(threadId);
      const key = idempotencyKey === undefined ? undefined : readId(idempotencyKey, 'Idempotency-Key');
      const replay = key === undefined ? null : await findReplay(thread, key);
      if (replay) return replay;

      const user = context?.user ?? null;
      const given = readNewComment(input);
      // A signed-in author is who the site says: the body's author fields are ignored.
      const data: NewComment = user ? { ...given, author: { name: user.name, url: user.url }, email: user.email } : given;
      const listed = blocklist(data.body);
      if (listed === 'refuse') {
        throw invalid('This site does not accept this comment', { body: 'Contains words this site does not accept' });
      }
      const id = newId('c');
      const editToken = newEditToken();
      const hashKey = await secret();
      const clientHash = client === undefined ? null : hashCommenter(hashKey, 'client', client);
      const emailHash = data.email === null ? null : hashCommenter(hashKey, 'email', data.email);
      const bodyHash = hashBody(data.body);
      await refuseBanned(emailHash, clientHash);
      // A moderator's own comments wait for nobody (they would approve them themselves).
      const akismetReason = user?.moderator ? null : await askAkismet(data, context);
      try {
        const comment = await db.transaction(async (tx) => {
          await tx.query('INSERT INTO threads (id, title, url) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING', [
            thread,
            data.page.title,
            data.page.url,
          ]);
          // Before the thread's lock: every post to the thread waits for it, so each round trip
          // made while holding it costs all of them (the advisory lock orders duplicates by itself).
          if (clientHash !== null && duplicateWindowMs > 0) await refuseDuplicate(tx, thread, clientHash, bodyHash);
          const { rows: threads } = await tx.query('SELECT locked, title, url FROM threads WHERE id = $1 FOR UPDATE', [thread]);
          if (threads[0]?.locked) throw locked();
          let rootId = id;
          if (data.parentId !== null) {
            const { rows: parents } = await tx.query(
              `SELECT root_id FROM comments c WHERE c.id = $1 AND c.thread_id = $2 AND ${VISIBLE}`,
              [data.parentId, thread],
            );
            if (!parents[0]) {
              throw invalid('The comment replied to does not exist', { parentId: 'Not found in this thread' });
            }
            rootId = parents[0].root_id;
          }
          const reason: HoldReason | null = user?.moderator
            ? null
            : akismetReason === 'akismet'
              ? 'akismet'
              : listed === 'hold'
                ? 'blocklist'
                : ((await holdReason(tx, data, commenterOf(emailHash, clientHash), user !== null)) ?? akismetReason);
          const status = reason === 'akismet' ? 'spam' : reason ? 'pending' : 'published';
          const createdAt = now();
          // The thread's activity, the comment and its Idempotency-Key in one statement (one
          // round trip under the thread's lock); a key used meanwhile leaves `claimed` false.
          const keyed = key !== undefined;
          const { rows } = await tx.query(
            `WITH activity AS (UPDATE threads SET last_comment_at = $10 WHERE id = $2),
             c AS (
               INSERT INTO comments AS c (id, thread_id, parent_id, root_id, author_name, author_url, body, status,
                 token_hash, created_at, email_hash, client_hash, body_hash, hold_reason, ever_published,
                 avatar_url, author_id, author_verified, author_role)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $8 = 'published', $15, $16, $17, $18)
               RETURNING ${COMMENT_COLUMNS})
             ${
               keyed
                 ? `, claimed AS (
                      INSERT INTO idempotency_keys (thread_id, key_hash, comment_id, sealed_token)
                      VALUES ($2, $19, $1, $20) ON CONFLICT DO NOTHING RETURNING comment_id)
                    SELECT c.*, EXISTS (SELECT 1 FROM claimed) AS claimed FROM c`
                 : 'SELECT c.*, true AS claimed FROM c'
             }`,
            [
              id,
              thread,
              data.parentId,
              rootId,
              data.author.name,
              data.author.url,
              data.body,
              status,
              hashSecret(editToken),
              createdAt,
              emailHash,
              clientHash,
              bodyHash,
              reason,
              user?.avatarUrl ?? null,
              user?.id ?? null,
              user !== null,
              user?.moderator ? 'moderator' : null,
              ...(keyed ? [hashIdempotencyKey(key), sealForReplay(editToken, key)] : []),
            ],
          );
          if (!rows[0]!.claimed) throw new KeyAlreadyUsed();
          const created = toComment(rows[0]!);
          // Reply emails, asked for with an address (the form's, or the signed-in user's).
          if (data.notify && data.email !== null && emailHash !== null) {
            await subscribeReplies?.(tx, { email: data.email, emailHash, locale: data.locale, commentId: id, threadId: thread });
          }
          const threadRef = { id: thread, title: threads[0]!.title, url: threads[0]!.url };
          if (status === 'published') await announce(tx, 'comment.created', threadRef, created);
          else {
            await notifyModerators(tx, thread, id);
            if (status === 'pending') await queueEvent?.(tx, { type: 'comment.pending', thread: threadRef, comment: created });
          }
          return created;
        });
        onChange(thread);
        return { comment, editToken };
      } catch (error) {
        // A retry of a post that committed meanwhile answers that post's result, not 409.
        const isRetry =
          key !== undefined &&
          (error instanceof KeyAlreadyUsed || (error instanceof ProtocolError && error.code === 'duplicate'));
        const first = isRetry ? await findReplay(thread, key) : null;
        if (first) return first;
        throw error;
      }
    },

    /** `user`: who the Confab-User header says is asking (sso.ts), if anyone. */
    edit(threadId: unknown, id: unknown, token: unknown, body: unknown, user?: SsoUser | null) {
      return changeComment(threadId, id, async (tx, row) => {
        const moderator = authorizeChange(row, token, user);
        if (row.status === 'deleted') throw notFound('This comment was deleted');
        if (row.locked && !moderator) throw locked();
        const comment = await updateComment(tx, row.id, 'body = $2, edited_at = $3', [readEditBody(body), now()]);
        if (moderator) await audit(tx, moderator, 'edit', row, { body: row.body }, { body: comment.body });
        if (comment.status === 'published') await announce(tx, 'comment.updated', threadOf(row), comment);
        return comment;
      });
    },

    /**
     * Empties the comment but keeps it, so its replies stay in place. Repeating it is harmless.
     */
    remove(threadId: unknown, id: unknown, token: unknown, user?: SsoUser | null) {
      return changeComment(threadId, id, async (tx, row) => {
        const moderator = authorizeChange(row, token, user);
        if (row.status === 'deleted') return toComment(row);
        // Unpinned, and out of the Reported view: nothing is left to decide.
        const comment = await updateComment(
          tx,
          row.id,
          "status = 'deleted', body = '', pinned = false, open_reports = 0, deleted_by = $2",
          [moderator ? 'moderator' : 'author'],
        );
        await tx.query('UPDATE reports SET decided = true WHERE comment_id = $1 AND NOT decided', [row.id]);
        if (moderator) await audit(tx, moderator, 'delete', row, { status: row.status, body: row.body }, { status: 'deleted' });
        if (row.status === 'published') await announce(tx, 'comment.deleted', threadOf(row), comment);
        if (row.status !== 'published' || row.open_reports > 0) await notifyModerators(tx, row.thread_id, row.id);
        return comment;
      });
    },

    /**
     * Sets one voter's vote on a comment, replacing their previous one; 0 takes it back.
     * @returns the new score
     */
    vote(threadId: unknown, id: unknown, voterId: unknown, value: unknown): Promise<number> {
      const voter = readId(voterId, 'X-Voter');
      const vote = readVote(value);
      return changeComment(threadId, id, async (tx, row) => {
        if (row.status !== 'published') throw notFound('This comment cannot be voted on');
        if (row.locked) throw locked();
        const { rows } = await tx.query('SELECT value FROM votes WHERE comment_id = $1 AND voter = $2', [row.id, voter]);
        const previous = rows[0]?.value ?? 0;
        if (vote === previous) return row.score;
        if (vote === 0) {
          await tx.query('DELETE FROM votes WHERE comment_id = $1 AND voter = $2', [row.id, voter]);
        } else {
          await tx.query(
            `INSERT INTO votes (comment_id, voter, value) VALUES ($1, $2, $3)
             ON CONFLICT (comment_id, voter) DO UPDATE SET value = excluded.value`,
            [row.id, voter, vote],
          );
        }
        const comment = await updateComment(tx, row.id, 'score = score + $2', [vote - previous]);
        // Readers see the score move; receivers outside are not told of every vote.
        await notify(tx, 'comment.updated', row.thread_id, comment);
        return comment.score;
      });
    },

    /**
     * A reader's report (X-Voter `reporterId`), once per reader: a second one changes nothing.
     * When `reportsToHold` distinct readers have reported a published comment, it goes back to
     * pending (readers see it leave, as if deleted) until a moderator decides.
     * @returns whether this report was new
     */
    async report(threadId: unknown, id: unknown, reporterId: unknown, input: unknown, client?: string): Promise<boolean> {
      const reporter = readId(reporterId, 'X-Voter');
      const { reason, note } = readReport(input);
      const clientHash = client === undefined ? null : hashCommenter(await secret(), 'client', client);
      return changeComment(threadId, id, async (tx, row) => {
        if (row.status !== 'published') throw notFound('This comment cannot be reported');
        const { rows } = await tx.query(
          `INSERT INTO reports (comment_id, reporter, client_hash, reason, note, created_at) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (comment_id, reporter) DO NOTHING RETURNING 1`,
          [row.id, reporter, clientHash, reason, note, now()],
        );
        if (rows.length === 0) return false;
        await tx.query('UPDATE comments SET open_reports = open_reports + 1 WHERE id = $1', [row.id]);
        // Readers are counted by address as well: one client inventing reader ids counts once.
        const { rows: counted } = await tx.query(
          `SELECT count(DISTINCT coalesce(client_hash, 'voter:' || reporter))::int AS readers
           FROM reports WHERE comment_id = $1 AND NOT decided`,
          [row.id],
        );
        let comment = toComment(row);
        if (reportsToHold > 0 && counted[0]!.readers >= reportsToHold) {
          const held = await updateComment(tx, row.id, "status = 'pending', hold_reason = 'reports'", []);
          comment = held;
          await tx.query(
            `INSERT INTO audit_log (at, actor, action, thread_id, comment_id, before, after)
             VALUES ($1, NULL, 'reports.hold', $2, $3, $4, $5)`,
            [now(), row.thread_id, row.id, { status: 'published' }, { status: 'pending' }],
          );
          await announce(tx, 'comment.deleted', threadOf(row), { ...held, status: 'deleted', body: '' });
        }
        await notifyModerators(tx, row.thread_id, row.id);
        await queueEvent?.(tx, { type: 'comment.reported', thread: threadOf(row), comment, report: { reason } });
        return true;
      });
    },

    /**
     * Published comments per thread; unknown threads count 0.
     */
    async counts(threadIds: unknown[]): Promise<Record<string, number>> {
      if (threadIds.length > LIMITS.countsThreads) {
        throw invalid(`At most ${LIMITS.countsThreads} threads at once`, { thread: 'Too many' });
      }
      const ids = threadIds.map(readThreadId);
      const { rows } = await db.query(
        `SELECT thread_id, count(*)::int AS count FROM comments
         WHERE thread_id = ANY($1::text[]) AND status = 'published' GROUP BY thread_id`,
        [ids],
      );
      const found = new Map(rows.map((row) => [row.thread_id, row.count]));
      // fromEntries, unlike assignment, keeps an id such as "__proto__" an ordinary key.
      return Object.fromEntries(ids.map((id) => [id, found.get(id) ?? 0]));
    },

    /**
     * The comment as readers may see it now, or null (gone, or pending).
     */
    async readVisible(threadId: string, id: string): Promise<Comment | null> {
      const { rows } = await db.query(
        `SELECT ${COMMENT_COLUMNS} FROM comments c WHERE c.id = $1 AND c.thread_id = $2 AND ${VISIBLE}`,
        [id, threadId],
      );
      return rows[0] ? toComment(rows[0]) : null;
    },

    /**
     * Forgets Idempotency-Keys older than `maxAgeMs`: a retry comes within seconds, not days.
     */
    async forgetIdempotencyKeys(maxAgeMs: number) {
      await db.query('DELETE FROM idempotency_keys WHERE created_at < $1', [new Date(now().getTime() - maxAgeMs)]);
    },
  };
}

export type CommentStore = ReturnType<typeof createCommentStore>;

/**
 * Queues the event with the transaction; PostgreSQL delivers it to every listening instance,
 * this one included, only if the transaction commits.
 */
export async function notify(tx: Queryable, type: EventType, threadId: string, comment: Comment) {
  await tx.query('SELECT pg_notify($1, $2)', [EVENTS_CHANNEL, eventPayload(type, threadId, comment)]);
}

/**
 * Announces a change readers see: the live event, and with `queueEvent` the same change for
 * receivers outside, both in the transaction.
 */
export function announcer(queueEvent: QueueEvent | undefined) {
  return async (tx: Queryable, type: EventType, thread: ThreadRef, comment: Comment) => {
    if (!queueEvent) return notify(tx, type, thread.id, comment);
    await queueEvent(tx, { type, thread, comment }, { channel: EVENTS_CHANNEL, payload: eventPayload(type, thread.id, comment) });
  };
}

/** The thread of a comment row read with `t.title AS thread_title, t.url AS thread_url`. */
export const threadOf = (row: Row): ThreadRef => ({ id: row.thread_id, title: row.thread_title, url: row.thread_url });

/** Tells the dashboards (on every instance, at commit) that a comment was held, reported or decided. */
export async function notifyModerators(tx: Queryable, threadId: string, id: string) {
  await tx.query('SELECT pg_notify($1, $2)', [MODERATION_CHANNEL, JSON.stringify({ threadId, id })]);
}

/**
 * Top-level comments of a page, one more than asked for to tell whether another page follows.
 */
function rootsQuery(threadId: string, sort: Sort, count: number, after: Position | null): [string, unknown[]] {
  // A hidden top-level comment with replies readers may see stays, as an empty place for them.
  const select = `SELECT id, created_at, score FROM comments c
    WHERE thread_id = $1 AND parent_id IS NULL AND NOT pinned AND (${VISIBLE} OR EXISTS (
      SELECT 1 FROM comments r WHERE r.thread_id = c.thread_id AND r.root_id = c.id AND r.id <> c.id AND ${visibleTo('r')}))`;
  const params = [threadId, count];
  if (sort === 'oldest' || sort === 'newest') {
    const [direction, comparison] = sort === 'oldest' ? ['ASC', '>'] : ['DESC', '<'];
    const order = `ORDER BY created_at ${direction}, id ${direction} LIMIT $2`;
    if (!after) return [`${select} ${order}`, params];
    return [
      `${select} AND (created_at, id) ${comparison} ($3::timestamptz, $4::text) ${order}`,
      [...params, after.createdAt, after.id],
    ];
  }
  const order = 'ORDER BY score DESC, created_at ASC, id ASC LIMIT $2';
  if (!after) return [`${select} ${order}`, params];
  return [
    `${select} AND (score < $3 OR (score = $3 AND (created_at, id) > ($4::timestamptz, $5::text))) ${order}`,
    [...params, after.score, after.createdAt, after.id],
  ];
}

/**
 * The comments of a page as readers see them: visible ones as they are; a hidden one (held,
 * spam, or deleted before anyone saw it) only when a visible reply hangs below it, and then as
 * an empty deleted place without its author; other hidden ones not at all.
 * @param rows oldest first, with `visible`
 */
function forReaders(rows: Row[]): Comment[] {
  const parentOf = new Map(rows.map((row) => [row.id as string, row.parent_id as string | null]));
  const holdsVisible = new Set<string>();
  for (const row of rows) {
    if (!row.visible) continue;
    for (let parent = row.parent_id; parent != null && !holdsVisible.has(parent); parent = parentOf.get(parent) ?? null) {
      holdsVisible.add(parent);
    }
  }
  const result: Comment[] = [];
  for (const row of rows) {
    if (row.visible) result.push(toComment(row));
    else if (holdsVisible.has(row.id)) {
      result.push({
        id: row.id,
        parentId: row.parent_id,
        author: { name: '', url: null, avatarUrl: null },
        body: '',
        createdAt: row.created_at.toISOString(),
        editedAt: null,
        status: 'deleted',
        score: 0,
      });
    }
  }
  return result;
}

/**
 * Each top-level comment followed by its replies, depth first, replies oldest first. A loop,
 * not recursion, so that a very deep reply chain cannot overflow the stack.
 * @param rootIds in page order
 * @param comments oldest first
 */
function depthFirst(rootIds: string[], comments: Comment[]) {
  const byId = new Map(comments.map((comment) => [comment.id, comment]));
  const children: Map<string, Comment[]> = new Map();
  for (const comment of comments) {
    if (comment.parentId === null) continue;
    const siblings = children.get(comment.parentId) ?? [];
    children.set(comment.parentId, siblings);
    siblings.push(comment);
  }
  const result = [];
  const stack = rootIds
    .map((id) => byId.get(id))
    .filter((c) => c !== undefined)
    .reverse();
  for (let comment = stack.pop(); comment; comment = stack.pop()) {
    result.push(comment);
    const replies = children.get(comment.id) ?? [];
    for (let i = replies.length - 1; i >= 0; i--) stack.push(replies[i]!);
  }
  return result;
}

/**
 * Writes a seed thread: all comments in one statement, parents before replies. Seed comments
 * have no edit token, so only an admin can change them; their scores are kept as they are.
 */
export async function insertSeedThread(tx: Queryable, { thread, comments }: SeedThread) {
  await tx.query('INSERT INTO threads (id, title, url, locked) VALUES ($1, $2, $3, $4)', [
    thread.id,
    thread.title ?? null,
    thread.url ?? null,
    Boolean(thread.locked),
  ]);
  const parentOf = new Map(comments.map((c) => [String(c.id), c.parentId ?? null]));
  const ancestry = (id: string) => {
    const chain = [id];
    for (let parent = parentOf.get(id); parent != null; parent = parentOf.get(parent)) {
      if (chain.includes(parent)) throw new Error(`Seed comment ${id} is its own ancestor`);
      chain.push(parent);
    }
    return chain;
  };
  const rows = comments.map((c) => ({ c, chain: ancestry(String(c.id)) })).sort((a, b) => a.chain.length - b.chain.length);
  const column = (pick: (c: Partial<Comment>, chain: string[]) => unknown) => rows.map(({ c, chain }) => pick(c, chain));
  await tx.query(
    `INSERT INTO comments (id, thread_id, parent_id, root_id, author_name, author_url, avatar_url, body,
       created_at, edited_at, status, score, ever_published)
     SELECT id, $1, parent_id, root_id, author_name, author_url, avatar_url, body, created_at, edited_at,
       status, score, status <> 'pending'
     FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
       $9::timestamptz[], $10::timestamptz[], $11::text[], $12::int[])
       AS seed (id, parent_id, root_id, author_name, author_url, avatar_url, body, created_at, edited_at,
         status, score)`,
    [
      thread.id,
      column((c) => String(c.id)),
      column((c) => c.parentId ?? null),
      column((_, chain) => chain.at(-1)),
      column((c) => c.author?.name ?? ''),
      column((c) => c.author?.url ?? null),
      column((c) => c.author?.avatarUrl ?? null),
      column((c) => c.body ?? ''),
      column((c) => c.createdAt),
      column((c) => c.editedAt ?? null),
      column((c) => c.status ?? 'published'),
      column((c) => c.score ?? 0),
    ],
  );
  await tx.query(
    'UPDATE threads SET last_comment_at = (SELECT max(created_at) FROM comments WHERE thread_id = $1) WHERE id = $1',
    [thread.id],
  );
}
