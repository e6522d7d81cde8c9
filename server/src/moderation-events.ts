// The dashboards' live updates. Every change a moderator should hear of (a comment held, reported
// or decided, on any instance) is a pg_notify on MODERATION_CHANNEL; each open dashboard gets the
// new counts and, for a comment now waiting in a queue, the comment itself.
//
//   const hub = createModerationEvents({ db, moderation, log });
//   await hub.start();
//   const stop = hub.subscribe({ send: (chunk) => res.write(chunk), end: () => res.end() });
import { MODERATION_CHANNEL } from './comment-store.js';
import type { Database } from './database.js';
import type { Subscriber } from './events.js';
import type { Moderation } from './moderation.js';

// A burst of changes (a bulk action of 100) is told in one counts event.
const COALESCE_MS = 50;

export function createModerationEvents({
  db,
  moderation,
  log = () => {},
}: {
  db: Database;
  moderation: Moderation;
  log?: (line: string) => void;
}) {
  const subscribers = new Set<Subscriber>();
  const changed = new Map<string, { threadId: string; id: string }>();
  let timer: NodeJS.Timeout | undefined;

  const broadcast = (chunk: string) => {
    for (const subscriber of subscribers) subscriber.send(chunk);
  };

  async function flush() {
    timer = undefined;
    const comments = [...changed.values()];
    changed.clear();
    if (subscribers.size === 0) return;
    for (const { threadId, id } of comments) {
      const comment = await moderation.comment(threadId, id);
      if (comment && (comment.status === 'pending' || comment.reports.count > 0)) {
        broadcast(`event: comment\ndata: ${JSON.stringify({ comment })}\n\n`);
      }
    }
    broadcast(`event: counts\ndata: ${JSON.stringify(await moderation.counts())}\n\n`);
  }

  function heard(payload: string) {
    let data;
    try {
      data = JSON.parse(payload);
    } catch {
      data = null;
    }
    if (typeof data?.threadId !== 'string' || typeof data?.id !== 'string') {
      log(`Ignored a malformed notification on ${MODERATION_CHANNEL}`);
      return;
    }
    changed.set(`${data.threadId}\0${data.id}`, { threadId: data.threadId, id: data.id });
    timer ??= setTimeout(() => {
      flush().catch((error) => log(`Could not send the dashboards' update: ${error instanceof Error ? error.message : error}`));
    }, COALESCE_MS);
  }

  return {
    async start() {
      await db.listen(MODERATION_CHANNEL, {
        onNotification: heard,
        // A dashboard that may have missed changes reconnects and reads again.
        onInterrupted: () => {
          for (const subscriber of [...subscribers]) subscriber.end();
        },
        onRestored: () => {},
      });
    },

    /** Sends the counts at once, then every change. @returns unsubscribe */
    async subscribe(subscriber: Subscriber): Promise<() => void> {
      // Counted first: a failure here leaves nothing subscribed.
      subscriber.send(`event: counts\ndata: ${JSON.stringify(await moderation.counts())}\n\n`);
      subscribers.add(subscriber);
      return () => subscribers.delete(subscriber);
    },

    stop() {
      clearTimeout(timer);
    },
  };
}

export type ModerationEvents = ReturnType<typeof createModerationEvents>;
