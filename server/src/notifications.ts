// Reply notifications by email (issue 16): a commenter who ticks "Email me when someone replies"
// gets a confirmation email first (double opt-in), and after its link is used, one email per
// published direct reply to that comment: not for their own replies, not for held or deleted
// ones. Every email carries its stop links and RFC 8058's one-click List-Unsubscribe. Nothing is
// sent inside a request: the emails are outbox rows (outbox.ts) written with the change, holding
// ids only; the address and the words are read at delivery, so a forgotten address is never
// mailed. The messages and pages are mail-templates.ts's, the links signed-links.ts's.
//
//   const notifications = createNotifications({ db, mailer, publicUrl, moderate, enqueue: outbox.enqueue, now });
//   comment store: subscribeReplies: (tx, request) => enqueue(tx, await notifications.subscribe(tx, request), now())
//   on a reply shown: await notifications.repliesTo(tx, reply.id)   (queues its email itself)
//   on comment.pending/reported: enqueue(tx, await notifications.alertModerators(tx, event), now())
//   outbox deliverers: { email: notifications.deliver }
import { randomBytes } from 'node:crypto';
import type { Database, Queryable } from './database.js';
import { MailRefused, type Mailer } from './mail.js';
import {
  confirmationEmail,
  confirmPage,
  donePage,
  invalidLinkPage,
  moderationPage,
  moderatorAlertEmail,
  moderatorDigestEmail,
  replyDigestEmail,
  replyEmail,
  unsubscribeChoice,
  unsubscribePage,
  type Page,
} from './mail-templates.js';
import type { Actor } from './actors.js';
import type { ChangeEvent } from './comment-store.js';
import { PermanentFailure, enqueue, type OutboxEntry, type OutboxRow } from './outbox.js';
import {
  LINK_LIFETIME_MS,
  MODERATE_ACTIONS,
  expiresIn,
  signLink,
  verifyLink,
  type LinkKind,
  type ModerateAction,
} from './signed-links.js';
import { newServerSecret } from './tokens.js';

/** At most one confirmation email per address a day: the form must not mail anyone's inbox at will. */
const CONFIRM_EVERY_MS = 24 * 60 * 60_000;
const LINK_SECRET_NAME = 'mail-links';
/** Reply emails to one address in an hour; the rest wait for one digest. */
const REPLIES_PER_HOUR = 10;
const HOUR_MS = 60 * 60_000;

/** A comment a moderator is alerted to, as an alert's or a digest's payload holds it. */
type AlertItem = { threadId: string; commentId: string; why: 'comment.pending' | 'comment.reported' };

const DONE: Record<ModerateAction, 'approved' | 'spammed' | 'deleted'> = {
  approve: 'approved',
  spam: 'spammed',
  delete: 'deleted',
};

export function createNotifications({
  db,
  mailer,
  publicUrl,
  moderate,
  enqueue: queue = enqueue,
  now = () => new Date(),
}: {
  db: Database;
  mailer: Mailer;
  /** The server's public base URL: every link in an email starts with it. */
  publicUrl: string;
  /** A moderator's action from an alert's link (moderation.ts act: audited as that moderator). */
  moderate: (actor: Actor, threadId: string, commentId: string, action: ModerateAction) => Promise<unknown>;
  /** How its emails are queued (outbox.ts enqueue, or the instance's worker's own). */
  enqueue?: typeof enqueue;
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

  const linkUrl = async (route: 'confirm' | 'unsubscribe' | 'moderate', claims: Parameters<typeof signLink>[0]) =>
    `${base}/mail/${route}/${signLink(claims, await secret())}`;

  async function article(q: Queryable, threadId: string) {
    const { rows } = await q.query('SELECT title, url FROM threads WHERE id = $1', [threadId]);
    return { title: (rows[0]?.title as string | null) ?? null, url: (rows[0]?.url as string | null) ?? null };
  }

  /** A moderator's signed Approve, Spam and Delete for one comment; one id: using one spends them all. */
  async function actionLinks(moderatorId: string, threadId: string, commentId: string) {
    const id = randomBytes(12).toString('base64url');
    const expiresAt = expiresIn(now(), LINK_LIFETIME_MS.moderate);
    const links = {} as Record<ModerateAction, string>;
    for (const action of MODERATE_ACTIONS) {
      links[action] = await linkUrl('moderate', {
        kind: 'moderate',
        subject: moderatorId,
        action,
        threadId,
        commentId,
        expiresAt,
        id,
      });
    }
    return links;
  }

  /**
   * The alerted comments still waiting for a moderator (held, or with open reports), in the
   * order they came, once each; and the moderator's address, or null when they are gone or
   * have turned alerts off since.
   */
  async function stillWaiting(moderatorId: string, items: AlertItem[]) {
    const { rows: found } = await db.query(
      `SELECT email FROM moderators WHERE id = $1 AND password_hash IS NOT NULL AND alerts <> 'off'`,
      [moderatorId],
    );
    if (!found[0]) return null;
    const { rows } = await db.query(
      `SELECT c.id, c.thread_id, c.author_name, c.body, c.status, c.open_reports, t.title, t.url
       FROM comments c JOIN threads t ON t.id = c.thread_id WHERE c.id = ANY($1)`,
      [items.map((item) => item.commentId)],
    );
    const byId = new Map(rows.map((row) => [row.id as string, row]));
    const seen = new Set<string>();
    const waiting = [];
    for (const { threadId, commentId, why } of items) {
      const comment = byId.get(commentId);
      if (!comment || comment.thread_id !== threadId || seen.has(commentId)) continue;
      // Decided already: nothing to ask.
      if (why === 'comment.pending' ? comment.status !== 'pending' : comment.open_reports === 0) continue;
      seen.add(commentId);
      waiting.push({
        article: { title: comment.title as string | null, url: comment.url as string | null },
        comment: { id: commentId, authorName: comment.author_name as string, body: comment.body as string },
        reason:
          why === 'comment.pending'
            ? ({ why: 'pending' } as const)
            : ({ why: 'reported', reports: comment.open_reports as number } as const),
        links: await actionLinks(moderatorId, threadId, commentId),
      });
    }
    return { to: found[0].email as string, waiting };
  }

  /** A moderator's alert: the comment, still waiting, with its one-click Approve, Spam and Delete. */
  async function deliverAlert(row: OutboxRow) {
    const { moderatorId, ...item } = row.payload as AlertItem & { moderatorId: string };
    const found = await stillWaiting(moderatorId, [item]);
    if (!found || found.waiting.length === 0) return;
    const message = moderatorAlertEmail({ to: found.to, ...found.waiting[0]!, dashboardUrl: `${base}/admin/` });
    await mailer.send({ ...message, id: row.deliveryId });
  }

  /** A moderator's hourly digest: every alerted comment still waiting, each with its links. */
  async function deliverModeratorDigest(row: OutboxRow) {
    const { moderatorId, items } = row.payload as { moderatorId: string; items: AlertItem[] };
    const found = await stillWaiting(moderatorId, items);
    if (!found || found.waiting.length === 0) return;
    const message = moderatorDigestEmail({ to: found.to, items: found.waiting, dashboardUrl: `${base}/admin/` });
    await mailer.send({ ...message, id: row.deliveryId });
  }

  /**
   * Adds `value` to the list `field` of the digest waiting for `target` (one a worker has taken
   * already is left alone); false when there is none.
   */
  async function joinDigest(tx: Queryable, target: string, type: string, field: string, value: unknown) {
    const added = await tx.query(
      `UPDATE outbox SET payload = jsonb_set(payload, $3, (payload #> $3) || jsonb_build_array($4::jsonb))
       WHERE id = (SELECT id FROM outbox WHERE channel = 'email' AND target = $1 AND type = $2
                     AND status = 'pending' AND lease_until IS NULL ORDER BY id LIMIT 1 FOR UPDATE)
       RETURNING id`,
      [target, type, [field], JSON.stringify(value)],
    );
    return added.rows.length > 0;
  }

  /** `/mail/moderate/<token>`: GET shows the comment and a button, POST acts once, as that moderator. */
  async function moderationLink(token: string, method: string): Promise<Page> {
    const verified = verifyLink(token, await secret(), now(), 'moderate');
    if (!verified.ok) return invalidLinkPage({ reason: verified.reason });
    const { link } = verified;
    if (link.kind !== 'moderate') return invalidLinkPage({ reason: 'wrong-kind' });
    const { rows: used } = await db.query('SELECT 1 FROM used_links WHERE id = $1', [link.id]);
    if (used[0]) return invalidLinkPage({ reason: 'used' });
    const { rows } = await db.query(
      `SELECT m.id, m.email, m.name FROM moderators m WHERE m.id = $1 AND m.password_hash IS NOT NULL`,
      [link.subject],
    );
    const moderator = rows[0];
    // A moderator removed since: their links no longer act.
    if (!moderator) return invalidLinkPage({ reason: 'forged' });
    if (method !== 'POST') {
      const { rows: comments } = await db.query('SELECT author_name, body FROM comments WHERE id = $1 AND thread_id = $2', [
        link.commentId,
        link.threadId,
      ]);
      if (!comments[0]) return invalidLinkPage({ reason: 'used' });
      return moderationPage({
        action: link.action,
        article: await article(db, link.threadId),
        comment: { id: link.commentId, authorName: comments[0].author_name, body: comments[0].body },
      });
    }
    const spent = await db.query('INSERT INTO used_links (id, expires_at) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING id', [
      link.id,
      link.expiresAt ?? now(),
    ]);
    if (spent.rows.length === 0) return invalidLinkPage({ reason: 'used' });
    try {
      const actor: Actor = { kind: 'moderator', id: moderator.id, email: moderator.email, name: moderator.name };
      await moderate(actor, link.threadId, link.commentId, link.action);
    } catch (error) {
      // Not done: the link may be used again.
      await db.query('DELETE FROM used_links WHERE id = $1', [link.id]);
      throw error;
    }
    return donePage({ done: DONE[link.action] });
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
     * confirmed subscriber of the comment it answers, unless the reply is by the same address;
     * past 10 in an hour to that address, the reply goes into one digest instead.
     */
    async repliesTo(tx: Queryable, replyId: string): Promise<void> {
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
      if (!subscriber) return;
      const at = now();
      const { rows: lastHour } = await tx.query(
        `SELECT count(*)::int AS sent, min(created_at) AS first FROM outbox
         WHERE channel = 'email' AND target = $1 AND type = 'reply' AND created_at > $2`,
        [subscriber.id, new Date(at.getTime() - HOUR_MS)],
      );
      const { sent, first } = lastHour[0]!;
      if (sent < REPLIES_PER_HOUR) {
        const payload = { subscriberId: subscriber.id, replyId, threadId: subscriber.thread_id };
        await queue(tx, [{ channel: 'email', target: subscriber.id, type: 'reply', payload }], at);
        return;
      }
      // Over the hour's allowance: the reply joins the one digest that waits for this address
      // (a digest a worker has taken already is left alone: a new one starts).
      if (await joinDigest(tx, subscriber.id, 'reply-digest', 'replyIds', replyId)) return;
      // Due when the hour's first email leaves the window.
      const due = new Date(Math.max(at.getTime(), (first as Date).getTime() + HOUR_MS));
      const payload = { subscriberId: subscriber.id, replyIds: [replyId] };
      await queue(tx, [{ channel: 'email', target: subscriber.id, type: 'reply-digest', payload }], due);
    },

    /**
     * A comment newly held or reported, in its transaction: for each moderator with an account
     * (a password set), an alert now, or a line in their hourly digest, or nothing, as they chose.
     * Returns the alerts to send now; the digests are queued here.
     */
    async alertModerators(tx: Queryable, event: ChangeEvent): Promise<OutboxEntry[]> {
      if (event.type !== 'comment.pending' && event.type !== 'comment.reported') return [];
      const { rows } = await tx.query(
        `SELECT id, alerts FROM moderators WHERE password_hash IS NOT NULL AND alerts <> 'off' ORDER BY created_at`,
      );
      const item: AlertItem = { threadId: event.thread.id, commentId: event.comment.id, why: event.type };
      const alertsNow: OutboxEntry[] = [];
      for (const moderator of rows) {
        const target = `moderator:${moderator.id}`;
        if (moderator.alerts === 'immediate') {
          alertsNow.push({ channel: 'email', target, type: 'moderator-alert', payload: { moderatorId: moderator.id, ...item } });
        } else if (!(await joinDigest(tx, target, 'moderator-digest', 'items', item))) {
          // The first of the hour: the digest goes out an hour from now with whatever joined it.
          const payload = { moderatorId: moderator.id, items: [item] };
          await queue(tx, [{ channel: 'email', target, type: 'moderator-digest', payload }], new Date(now().getTime() + HOUR_MS));
        }
      }
      return alertsNow;
    },

    /** The outbox's `email` deliverer: reads the address and the words now, and sends. */
    async deliver(row: OutboxRow): Promise<void> {
      if (row.type === 'moderator-alert') return deliverAlert(row);
      if (row.type === 'moderator-digest') return deliverModeratorDigest(row);
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
      } else if (row.type === 'reply-digest') {
        const { replyIds } = row.payload as { replyIds: string[] };
        const { rows: replies } = await db.query(
          `SELECT r.id, r.author_name, r.body, r.thread_id, t.title, t.url FROM comments r
           JOIN reply_subscriptions s ON s.comment_id = r.parent_id
           JOIN threads t ON t.id = r.thread_id
           WHERE r.id = ANY($1) AND r.status = 'published' AND s.stopped_at IS NULL
           ORDER BY r.created_at, r.id`,
          [replyIds],
        );
        // Every one deleted, held or unsubscribed since: no email.
        if (replies.length === 0) return;
        message = replyDigestEmail({
          to,
          locale,
          replies: await Promise.all(
            replies.map(async (reply) => ({
              article: { title: reply.title, url: reply.url },
              reply: { id: reply.id, authorName: reply.author_name, body: reply.body },
              unsubscribeThread: await linkUrl('unsubscribe', {
                kind: 'unsubscribe-thread',
                subject: subscriberId,
                threadId: reply.thread_id,
                expiresAt: null,
              }),
            })),
          ),
          unsubscribeAll: await linkUrl('unsubscribe', { kind: 'unsubscribe-all', subject: subscriberId, expiresAt: null }),
        });
      } else throw new PermanentFailure(`unknown email type ${row.type}`);
      try {
        await mailer.send({ ...message, id: row.deliveryId });
      } catch (error) {
        if (!(error instanceof MailRefused) || !error.permanent) throw error;
        // The address's server refuses it for good: no more mail to it.
        if (error.kind === 'recipient')
          await db.query('UPDATE mail_subscribers SET stopped_at = $2 WHERE id = $1', [subscriberId, now()]);
        throw new PermanentFailure(error.message);
      }
    },

    /**
     * `/mail/confirm/<token>` and `/mail/unsubscribe/<token>`: GET shows a page with a button
     * (mail scanners open links: a GET never acts), POST acts. `body`: the POST's form fields.
     */
    async page(route: 'confirm' | 'unsubscribe' | 'moderate', token: string, method: string, body: string): Promise<Page> {
      if (route === 'moderate') return moderationLink(token, method);
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
