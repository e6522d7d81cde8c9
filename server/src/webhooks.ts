// Signed webhooks: for each comment event, one outbox row per WEBHOOK_URL, delivered by the
// outbox's worker as a POST of JSON signed with WEBHOOK_SECRET:
//
//   Confab-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">
//   { "id": <delivery id>, "type": "comment.created", "createdAt": "…", "data": { "thread", "comment" } }
//
//   const webhooks = createWebhooks({ urls, secret, userAgent: 'confab-server/0.1.0' });
//   await enqueue(tx, webhooks.entries(event), now());            // in the change's transaction
//   createOutbox({ db, deliverers: { webhook: webhooks.deliver } }); // after the commit
import { createHmac } from 'node:crypto';
import type { ChangeEvent } from './comment-store.js';
import type { Deliverer, OutboxEntry } from './outbox.js';

export const WEBHOOK_EVENTS = [
  'comment.created',
  'comment.updated',
  'comment.deleted',
  'comment.pending',
  'comment.reported',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];
export const DEFAULT_WEBHOOK_TIMEOUT_MS = 10_000;

/** The header's value for `body` sent at `t` (unix seconds). */
export function webhookSignature(secret: string, t: number, body: string) {
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
}

/**
 * `timeoutMs`: a receiver that has not answered by then has failed this attempt. `now` dates the
 * events and the signatures.
 */
export function createWebhooks({
  urls,
  secret,
  userAgent,
  timeoutMs = DEFAULT_WEBHOOK_TIMEOUT_MS,
  now = () => new Date(),
}: {
  urls: string[];
  secret: string;
  userAgent: string;
  timeoutMs?: number;
  now?: () => Date;
}) {
  return {
    /**
     * The outbox rows of one event, one per URL. The comment is its public shape (what readers
     * see: no email, no hash, no address); a report adds its reason.
     */
    entries({ type, thread, comment, report }: ChangeEvent): OutboxEntry[] {
      const payload = {
        type,
        createdAt: now().toISOString(),
        data: { thread: { id: thread.id, title: thread.title, url: thread.url }, comment, ...(report ? { report } : {}) },
      };
      return urls.map((target) => ({ channel: 'webhook', target, type, payload }));
    },

    /** One POST; any 2xx is delivered, anything else (a redirect included) throws. */
    deliver: (async (row, signal) => {
      const body = JSON.stringify({ id: row.deliveryId, ...row.payload });
      const t = Math.floor(now().getTime() / 1000);
      const timeout = new AbortController();
      const timer = setTimeout(() => timeout.abort(), timeoutMs);
      const stop = () => timeout.abort();
      signal.addEventListener('abort', stop, { once: true });
      let status: number;
      let statusText: string;
      try {
        const response = await fetch(row.target, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            'User-Agent': userAgent,
            'Confab-Signature': webhookSignature(secret, t, body),
          },
          body,
          redirect: 'manual',
          signal: timeout.signal,
        });
        ({ status, statusText } = response);
        await response.body?.cancel().catch(() => {});
      } catch (error) {
        const reason = signal.aborted
          ? 'abandoned: the server is shutting down'
          : timeout.signal.aborted
            ? `no answer within ${timeoutMs / 1000} s`
            : // fetch's own message is "fetch failed"; why is in its cause (ECONNREFUSED …).
              [error, (error as Error).cause]
                .filter((e) => e instanceof Error)
                .map((e) => (e as Error).message)
                .join(': ');
        throw new Error(reason || String(error), { cause: error });
      } finally {
        clearTimeout(timer);
        signal.removeEventListener('abort', stop);
      }
      if (status >= 300 && status < 400) {
        throw new Error(`HTTP ${status}: redirects are not followed; set WEBHOOK_URL to where it leads`);
      }
      if (status < 200 || status >= 300) throw new Error(`HTTP ${status}${statusText ? ` ${statusText}` : ''}`);
    }) satisfies Deliverer,
  };
}

export type Webhooks = ReturnType<typeof createWebhooks>;
