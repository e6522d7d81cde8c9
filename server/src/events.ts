// Live events. A change is announced with pg_notify in the transaction that stores it; every
// server instance LISTENs on one channel and passes the events of a thread to the event streams
// open on that thread. On PGlite the one instance hears itself the same way.
//
//   const hub = createEventHub({ db, readVisible: store.readVisible, onChange: (t) => cache.drop(t) });
//   await hub.start();
//   const unsubscribe = hub.subscribe('t1', { send: (chunk) => res.write(chunk), end: () => res.end() });

import type { Comment } from './comment-store.js';
import type { Database } from './database.js';

export type EventType = 'comment.created' | 'comment.updated' | 'comment.deleted';
export type Subscriber = { send: (chunk: string) => void; end: () => void };
/** `id` instead of `comment` when the comment would not fit in a notification. */
export type Notification = { type: EventType; threadId: string; comment?: Comment; id?: string };

export const EVENTS_CHANNEL = 'confab_events';

// PostgreSQL refuses notification payloads of 8000 bytes or more.
const MAX_PAYLOAD_BYTES = 7_900;

const EVENT_TYPES = new Set(['comment.created', 'comment.updated', 'comment.deleted']);

export function eventPayload(type: EventType, threadId: string, comment: Comment) {
  const whole = JSON.stringify({ type, threadId, comment });
  if (Buffer.byteLength(whole) < MAX_PAYLOAD_BYTES) return whole;
  return JSON.stringify({ type, threadId, id: comment.id });
}

/**
 * @param options `onChange` hears of every change in any thread, from any instance;
 *   `onInterrupted`: events may have been missed until `onRestored`.
 */
export function createEventHub({
  db,
  readVisible,
  onChange = () => {},
  onInterrupted = () => {},
  onRestored = () => {},
  log = () => {},
}: {
  db: Database;
  readVisible: (threadId: string, id: string) => Promise<Comment | null>;
  onChange?: (threadId: string) => void;
  onInterrupted?: () => void;
  onRestored?: () => void;
  log?: (line: string) => void;
}) {
  const subscribers = new Map<string, Set<Subscriber>>();
  // One at a time, so events reach subscribers in the order they were committed even when
  // one of them needs a database read first.
  let queue = Promise.resolve();

  async function deliver(payload: string) {
    const event = parseNotification(payload);
    if (!event) {
      log(`Ignored a malformed notification on ${EVENTS_CHANNEL}`);
      return;
    }
    onChange(event.threadId);
    const audience = subscribers.get(event.threadId);
    if (!audience?.size) return;
    const comment = event.comment ?? (await readVisible(event.threadId, event.id!));
    if (!comment) return;
    // Serialized once for every subscriber.
    const chunk = `event: ${event.type}\ndata: ${JSON.stringify(comment)}\n\n`;
    for (const subscriber of audience) subscriber.send(chunk);
  }

  return {
    async start() {
      await db.listen(EVENTS_CHANNEL, {
        onNotification(payload) {
          queue = queue
            .then(() => deliver(payload))
            .catch((error) => {
              log(`Could not deliver an event: ${error instanceof Error ? error.message : error}`);
            });
        },
        // Streams that may have missed events are ended: clients reconnect and read again.
        onInterrupted() {
          onInterrupted();
          for (const subscriber of [...subscribers.values()].flatMap((audience) => [...audience])) subscriber.end();
        },
        onRestored,
      });
    },

    /** @returns unsubscribe */
    subscribe(threadId: string, subscriber: Subscriber): () => void {
      const audience = subscribers.get(threadId) ?? new Set();
      subscribers.set(threadId, audience.add(subscriber));
      return () => {
        audience.delete(subscriber);
        if (audience.size === 0 && subscribers.get(threadId) === audience) subscribers.delete(threadId);
      };
    },
  };
}

export type EventHub = ReturnType<typeof createEventHub>;

function parseNotification(payload: string): Notification | null {
  let data;
  try {
    data = JSON.parse(payload);
  } catch {
    return null;
  }
  const valid =
    EVENT_TYPES.has(data?.type) &&
    typeof data.threadId === 'string' &&
    (typeof data.comment?.id === 'string' || typeof data.id === 'string');
  return valid ? data : null;
}
