// Reply notifications by email (issue 16): a commenter who ticks "Email me when someone replies"
// gets a confirmation email first (double opt-in), and after its link is used, one email per
// published direct reply to that comment: not for their own replies, not for held or deleted
// ones. Every email carries its stop links and RFC 8058's one-click List-Unsubscribe. Nothing is
// sent inside a request: the emails are outbox rows (outbox.ts) written with the change, holding
// ids only; the address and the words are read at delivery, so a forgotten address is never
// mailed. The messages and pages are mail-templates.ts's, the links signed-links.ts's.
//
//   const notifications = createNotifications({ db, mailer, publicUrl, now });
//   comment store: subscribeReplies: (tx, request) => enqueue(tx, await notifications.subscribe(tx, request), now())
//   on comment.created: enqueue(tx, await notifications.repliesTo(tx, comment.id), now())
//   outbox deliverers: { email: notifications.deliver }
import { randomBytes } from 'node:crypto';
import type { Database, Queryable } from './database.js';
import { MailRefused, type Mailer } from './mail.js';
import {
  confirmationEmail,
  confirmPage,
  donePage,
  invalidLinkPage,
  replyEmail,
  unsubscribeChoice,
  unsubscribePage,
  type Page,
} from './mail-templates.js';
import type { OutboxEntry, OutboxRow } from './outbox.js';
import { LINK_LIFETIME_MS, expiresIn, signLink, verifyLink, type LinkKind } from './signed-links.js';
import { newServerSecret } from './tokens.js';

/** At most one confirmation email per address a day: the form must not mail anyone's inbox at will. */
const CONFIRM_EVERY_MS = 24 * 60 * 60_000;
const LINK_SECRET_NAME = 'mail-links';

/** An email that must not be retried (the row goes dead at once). */
export class Undeliverable extends Error {
  readonly permanent = true;
}

export function createNotifications({
  db,
  mailer,
  publicUrl,
  now = () => new Date(),
}: {
  db: Database;
  mailer: Mailer;
  /** The server's public base URL: every link in an email starts with it. */
  publicUrl: string;
  now?: () => Date;
}) {
  const base = publicUrl.replace(/\/+$/, '');
  // The links' key: made once, kept by the database (every instance, and a restored backup,
  // signs alike). Replacing it voids every link already sent.
  let linkSecret: Promise<string> | null = null;
  const secret = (): Promise<string> =>
    (linkSecret ??= (async () => {
      await db.query('INSERT INTO server_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [
        LINK_SECRET_NAME,
        newServerSecret(),
      ]);
      const { rows } = await db.query('SELECT value FROM server_secrets WHERE name = $1', [LINK_SECRET_NAME]);
      return rows[0]!.value as string;
    })().catch((error) => {
      linkSecret = null;
      throw error;
    }));

  const linkUrl = async (route: 'confirm' | 'unsubscribe', claims: Parameters<typeof signLink>[0]) =>
    `${base}/mail/${route}/${signLink(claims, await secret())}`;

  async function article(q: Queryable, threadId: string) {
    const { rows } = await q.query('SELECT title, url FROM threads WHERE id = $1', [threadId]);
    return { title: (rows[0]?.title as string | null) ?? null, url: (rows[0]?.url as string | null) ?? null };
  }

  return {
    /**
     * A post that asks for reply emails, in its transaction: the address is kept (one row per
     * address), the comment subscribed, and a confirmation queued when the address is not
     * confirmed yet and none went out in the last day. Returns the outbox entries to queue.
     */
    async subscribe(
      tx: Queryable,
      {
        email,
        emailHash,
        locale,
        commentId,
        threadId,
      }: { email: string; emailHash: string; locale: string | null; commentId: string; threadId: string },
    ): Promise<OutboxEntry[]> {
      const at = now();
      const { rows } = await tx.query(
        `INSERT INTO mail_subscribers (id, email, email_hash, locale, created_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (email_hash) DO UPDATE SET locale = EXCLUDED.locale, email = EXCLUDED.email
         RETURNING id, confirmed_at, confirm_sent_at, stopped_at`,
        [`s_${randomBytes(12).toString('base64url')}`, email.trim(), emailHash, locale ?? 'en', at],
      );
      const subscriber = rows[0]!;
      await tx.query(
        `INSERT INTO reply_subscriptions (comment_id, subscriber_id, thread_id) VALUES ($1, $2, $3)
         ON CONFLICT (comment_id) DO NOTHING`,
        [commentId, subscriber.id, threadId],
      );
      // Asking again after "stop everything" is asking again: it takes a new confirmation.
      if (subscriber.stopped_at) {
        await tx.query('UPDATE mail_subscribers SET stopped_at = NULL, confirmed_at = NULL WHERE id = $1', [subscriber.id]);
        subscriber.confirmed_at = null;
      }
      const recentlyAsked = subscriber.confirm_sent_at && at.getTime() - subscriber.confirm_sent_at.getTime() < CONFIRM_EVERY_MS;
      if (subscriber.confirmed_at || recentlyAsked) return [];
      await tx.query('UPDATE mail_subscribers SET confirm_sent_at = $2 WHERE id = $1', [subscriber.id, at]);
      return [{ channel: 'email', target: subscriber.id, type: 'confirm', payload: { subscriberId: subscriber.id, threadId } }];
    },

    /**
     * A reply that is now published, in the transaction that published it: an email for the
     * confirmed subscriber of the comment it answers, unless the reply is by the same address.
     */
    async repliesTo(tx: Queryable, replyId: string): Promise<OutboxEntry[]> {
      const { rows } = await tx.query(
        `SELECT s.id, c.thread_id FROM comments c
         JOIN reply_subscriptions r ON r.comment_id = c.parent_id
         JOIN mail_subscribers s ON s.id = r.subscriber_id
         WHERE c.id = $1 AND c.status = 'published' AND r.stopped_at IS NULL
           AND s.confirmed_at IS NOT NULL AND s.stopped_at IS NULL
           AND s.email_hash IS DISTINCT FROM c.email_hash`,
        [replyId],
      );
      const subscriber = rows[0];
      if (!subscriber) return [];
      return [
        {
          channel: 'email',
          target: subscriber.id,
          type: 'reply',
          payload: { subscriberId: subscriber.id, replyId, threadId: subscriber.thread_id },
        },
      ];
    },

    /** The outbox's `email` deliverer: reads the address and the words now, and sends. */
    async deliver(row: OutboxRow): Promise<void> {
      const { subscriberId, threadId } = row.payload as { subscriberId: string; threadId: string };
      const { rows } = await db.query('SELECT id, email, locale, confirmed_at, stopped_at FROM mail_subscribers WHERE id = $1', [
        subscriberId,
      ]);
      const subscriber = rows[0];
      // Forgotten or stopped since: nothing to send, and nothing to retry.
      if (!subscriber || subscriber.stopped_at) return;
      const { email: to, locale } = subscriber as { email: string; locale: string };
      let message;
      if (row.type === 'confirm') {
        if (subscriber.confirmed_at) return;
        message = confirmationEmail({
          to,
          locale,
          article: await article(db, threadId),
          confirmUrl: await linkUrl('confirm', {
            kind: 'confirm',
            subject: subscriberId,
            expiresAt: expiresIn(now(), LINK_LIFETIME_MS.confirm),
          }),
        });
      } else if (row.type === 'reply') {
        const { replyId } = row.payload as { replyId: string };
        const { rows: replies } = await db.query(
          `SELECT r.id, r.author_name, r.body, r.status, p.body AS parent_body, s.stopped_at
           FROM comments r JOIN comments p ON p.id = r.parent_id
           JOIN reply_subscriptions s ON s.comment_id = p.id
           WHERE r.id = $1`,
          [replyId],
        );
        const reply = replies[0];
        // Deleted, held again or unsubscribed since it was queued: no email.
        if (!reply || reply.status !== 'published' || reply.stopped_at) return;
        message = replyEmail({
          to,
          locale,
          article: await article(db, threadId),
          reply: { id: reply.id, authorName: reply.author_name, body: reply.body },
          inReplyTo: reply.parent_body,
          links: {
            unsubscribeThread: await linkUrl('unsubscribe', {
              kind: 'unsubscribe-thread',
              subject: subscriberId,
              threadId,
              expiresAt: null,
            }),
            unsubscribeAll: await linkUrl('unsubscribe', { kind: 'unsubscribe-all', subject: subscriberId, expiresAt: null }),
          },
        });
      } else throw new Undeliverable(`unknown email type ${row.type}`);
      try {
        await mailer.send({ ...message, id: row.deliveryId });
      } catch (error) {
        if (!(error instanceof MailRefused) || !error.permanent) throw error;
        // The address's server refuses it for good: no more mail to it.
        if (error.kind === 'recipient')
          await db.query('UPDATE mail_subscribers SET stopped_at = $2 WHERE id = $1', [subscriberId, now()]);
        throw new Undeliverable(error.message);
      }
    },

    /**
     * `/mail/confirm/<token>` and `/mail/unsubscribe/<token>`: GET shows a page with a button
     * (mail scanners open links: a GET never acts), POST acts. `body`: the POST's form fields.
     */
    async page(route: 'confirm' | 'unsubscribe', token: string, method: string, body: string): Promise<Page> {
      const kinds: LinkKind[] = route === 'confirm' ? ['confirm'] : ['unsubscribe-thread', 'unsubscribe-all'];
      const verified = verifyLink(token, await secret(), now(), kinds);
      if (!verified.ok) return invalidLinkPage({ reason: verified.reason });
      const { link } = verified;
      const { rows } = await db.query('SELECT locale FROM mail_subscribers WHERE id = $1', [link.subject]);
      // Forgotten already: the link has nothing left to act on.
      if (!rows[0]) return donePage({ done: 'forgotten' });
      const locale = rows[0].locale as string;
      const threadId = link.kind === 'unsubscribe-thread' ? link.threadId : null;
      if (method !== 'POST') {
        return route === 'confirm'
          ? confirmPage({ locale, article: { title: null, url: null } })
          : unsubscribePage({
              locale,
              scope: threadId === null ? 'all' : 'thread',
              article: threadId === null ? undefined : await article(db, threadId),
            });
      }
      if (route === 'confirm') {
        await db.query('UPDATE mail_subscribers SET confirmed_at = coalesce(confirmed_at, $2) WHERE id = $1', [
          link.subject,
          now(),
        ]);
        return donePage({ locale, done: 'confirmed' });
      }
      if (unsubscribeChoice(body) === 'forget') {
        // The address goes, with its subscriptions and every email still queued for it.
        await db.transaction(async (tx) => {
          await tx.query(`DELETE FROM outbox WHERE channel = 'email' AND target = $1 AND status <> 'delivered'`, [link.subject]);
          await tx.query('DELETE FROM mail_subscribers WHERE id = $1', [link.subject]);
        });
        return donePage({ locale, done: 'forgotten' });
      }
      if (threadId === null) {
        await db.query('UPDATE mail_subscribers SET stopped_at = coalesce(stopped_at, $2) WHERE id = $1', [link.subject, now()]);
        return donePage({ locale, done: 'unsubscribed-all' });
      }
      await db.query(
        'UPDATE reply_subscriptions SET stopped_at = coalesce(stopped_at, $3) WHERE subscriber_id = $1 AND thread_id = $2',
        [link.subject, threadId, now()],
      );
      return donePage({ locale, done: 'unsubscribed-thread' });
    },
  };
}

export type Notifications = ReturnType<typeof createNotifications>;
