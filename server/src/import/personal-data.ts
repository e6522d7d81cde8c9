// Data-protection requests about one email address: `confab-server export --email` (everything
// written under it) and `confab-server forget --email` (comments keep their place, words and
// replies, without name, URL, address or any hash that finds them again; subscriptions gone).
// Comments know an address only by its keyed hash (comments.email_hash), so both start there.
import type { Database, Queryable } from '../database.js';
import { EVENTS_CHANNEL } from '../events.js';
import { recordAudit } from '../moderation.js';
import { hashCommenter } from '../tokens.js';
import { isoText } from './confab-format.js';

/** The address's commenter hash, or null when the database has no key yet (nothing was ever hashed). */
async function emailHashOf(db: Queryable, email: string): Promise<string | null> {
  const { rows } = await db.query("SELECT value FROM server_secrets WHERE name = 'commenter-hash'");
  return rows[0] ? hashCommenter(rows[0].value as string, 'email', email) : null;
}

/** Everything kept under the address, as one JSON document. */
export async function exportByEmail(db: Database, email: string) {
  const emailHash = await emailHashOf(db, email);
  const found = async (sql: string) => (emailHash === null ? [] : (await db.query(sql, [emailHash])).rows);
  const comments = await found(
    `SELECT c.id, c.thread_id, t.title AS thread_title, t.url AS thread_url, c.parent_id, c.author_name, c.author_url,
       c.avatar_url, c.body, c.status, c.score, c.pinned, ${isoText('c.created_at')} AS created_at,
       ${isoText('c.edited_at')} AS edited_at
     FROM comments c JOIN threads t ON t.id = c.thread_id WHERE c.email_hash = $1 ORDER BY c.created_at, c.id`,
  );
  const subscribers = await found(
    `SELECT id, email, locale, ${isoText('created_at')} AS created_at, ${isoText('confirmed_at')} AS confirmed_at,
       ${isoText('stopped_at')} AS stopped_at
     FROM mail_subscribers WHERE email_hash = $1`,
  );
  const subscriptions = await found(
    `SELECT r.comment_id, r.thread_id, ${isoText('r.stopped_at')} AS stopped_at
     FROM reply_subscriptions r JOIN mail_subscribers s ON s.id = r.subscriber_id WHERE s.email_hash = $1
     ORDER BY r.thread_id, r.comment_id`,
  );
  const bans = await found(
    `SELECT id, author_name, note, ${isoText('created_at')} AS created_at, ${isoText('expires_at')} AS expires_at,
       ${isoText('lifted_at')} AS lifted_at
     FROM bans WHERE email_hash = $1 ORDER BY created_at`,
  );
  const { id: _, ...subscriber } = subscribers[0] ?? { id: null };
  return {
    email,
    exportedAt: new Date().toISOString(),
    comments: comments.map((row) => ({
      id: row.id,
      thread: { id: row.thread_id, title: row.thread_title, url: row.thread_url },
      parentId: row.parent_id,
      author: { name: row.author_name, url: row.author_url, avatarUrl: row.avatar_url },
      body: row.body,
      status: row.status,
      score: row.score,
      pinned: row.pinned,
      createdAt: row.created_at,
      editedAt: row.edited_at,
    })),
    replyEmails: subscribers[0]
      ? {
          ...subscriber,
          subscriptions: subscriptions.map((row) => ({
            commentId: row.comment_id,
            threadId: row.thread_id,
            stoppedAt: row.stopped_at,
          })),
        }
      : null,
    bans: bans.map((row) => ({
      id: row.id,
      authorName: row.author_name,
      note: row.note,
      createdAt: row.created_at,
      expiresAt: row.expires_at,
      liftedAt: row.lifted_at,
    })),
  };
}

/** Comments made anonymous, reply subscriptions ended, kept addresses deleted (0 or 1). */
export type ForgetResult = { comments: number; subscriptions: number; addresses: number };

/**
 * Forgets the address: its comments lose author name, URL, picture and every hash that would
 * find them again (email, client, signed-in id); its reply emails and their subscriptions, and
 * the emails still queued for it, go; queued webhooks lose the author. Bans stay: they protect
 * the site, and hold only a hash. Audited as the command line, without the address.
 */
export async function forgetEmail(db: Database, email: string, now = new Date()): Promise<ForgetResult> {
  const emailHash = await emailHashOf(db, email);
  if (emailHash === null) return { comments: 0, subscriptions: 0, addresses: 0 };
  const result = await db.transaction(async (tx) => {
    const { rows: comments } = await tx.query(
      `UPDATE comments SET author_name = '', author_url = NULL, avatar_url = NULL, email_hash = NULL,
         client_hash = NULL, author_id = NULL, author_verified = false
       WHERE email_hash = $1 RETURNING id, thread_id`,
      [emailHash],
    );
    const ids = comments.map((row) => row.id as string);
    await tx.query(
      `UPDATE outbox SET payload = jsonb_set(payload, '{comment,author}', '{"name": "", "url": null, "avatarUrl": null}')
       WHERE status <> 'delivered' AND payload #>> '{comment,id}' = ANY($1::text[])`,
      [ids],
    );
    const { rows: subscribers } = await tx.query('SELECT id FROM mail_subscribers WHERE email_hash = $1', [emailHash]);
    const subscriberIds = subscribers.map((row) => row.id as string);
    const { rows: subscriptions } = await tx.query(
      'DELETE FROM reply_subscriptions WHERE subscriber_id = ANY($1::text[]) OR comment_id = ANY($2::text[]) RETURNING 1',
      [subscriberIds, ids],
    );
    await tx.query(`DELETE FROM outbox WHERE channel = 'email' AND target = ANY($1::text[]) AND status <> 'delivered'`, [
      subscriberIds,
    ]);
    await tx.query('DELETE FROM mail_subscribers WHERE id = ANY($1::text[])', [subscriberIds]);
    await tx.query('DELETE FROM approved_commenters WHERE commenter = $1', [`email:${emailHash}`]);
    const outcome = { comments: ids.length, subscriptions: subscriptions.length, addresses: subscriberIds.length };
    await recordAudit(tx, now, { kind: 'cli' }, 'commenter.forget', { threadId: null, commentId: null }, null, outcome);
    // Servers on this database drop their cached pages of these threads (see events.ts).
    const threads = [...new Set(comments.map((row) => row.thread_id as string))];
    await tx.query('SELECT pg_notify($1, payload) FROM unnest($2::text[]) AS payload', [
      EVENTS_CHANNEL,
      threads.map((threadId) => JSON.stringify({ type: 'comment.updated', threadId, id: '' })),
    ]);
    return outcome;
  });
  return result;
}
