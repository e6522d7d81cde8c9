// Live events. A change is announced with pg_notify in the transaction that stores it; every
// server instance LISTENs on one channel and passes the events of a thread to the event streams
// open on that thread. On PGlite the one instance hears itself the same way.
//
//   const hub = createEventHub({ db, readVisible: store.readVisible, onChange: (t) => cache.drop(t) });
//   await hub.start();
//   const unsubscribe = hub.subscribe('t1', { send: (chunk) => res.write(chunk), end: () => res.end() });

/** @typedef {'comment.created' | 'comment.updated' | 'comment.deleted'} EventType */
/** @typedef {import('./comment-store.mjs').Comment} Comment */
/** @typedef {{ send: (chunk: string) => void, end: () => void }} Subscriber */
/**
 * @typedef {{ type: EventType, threadId: string, comment?: Comment, id?: string }} Notification
 *   `id` instead of `comment` when the comment would not fit in a notification.
 */

export const EVENTS_CHANNEL = 'confab_events';

// PostgreSQL refuses notification payloads of 8000 bytes or more.
const MAX_PAYLOAD_BYTES = 7_900;

const EVENT_TYPES = new Set(['comment.created', 'comment.updated', 'comment.deleted']);

/** @param {EventType} type @param {string} threadId @param {Comment} comment */
export function eventPayload(type, threadId, comment) {
  const whole = JSON.stringify({ type, threadId, comment });
  if (Buffer.byteLength(whole) < MAX_PAYLOAD_BYTES) return whole;
  return JSON.stringify({ type, threadId, id: comment.id });
}

/**
 * @param {{
 *   db: import('./database.mjs').Database,
 *   readVisible: (threadId: string, id: string) => Promise<Comment | null>,
 *   onChange?: (threadId: string) => void,
 *   onInterrupted?: () => void,
 *   onRestored?: () => void,
 *   log?: (line: string) => void,
 * }} options `onChange` hears of every change in any thread, from any instance;
 *   `onInterrupted`: events may have been missed until `onRestored`.
 */
export function createEventHub({
  db,
  readVisible,
  onChange = () => {},
  onInterrupted = () => {},
  onRestored = () => {},
  log = () => {},
}) {
  /** @type {Map<string, Set<Subscriber>>} */
  const subscribers = new Map();
  // One at a time, so events reach subscribers in the order they were committed even when
  // one of them needs a database read first.
  let queue = Promise.resolve();

  /** @param {string} payload */
  async function deliver(payload) {
    const event = parseNotification(payload);
    if (!event) {
      log(`Ignored a malformed notification on ${EVENTS_CHANNEL}`);
      return;
    }
    onChange(event.threadId);
    const audience = subscribers.get(event.threadId);
    if (!audience?.size) return;
    const comment = event.comment ?? (await readVisible(event.threadId, /** @type {string} */ (event.id)));
    if (!comment) return;
    // Serialized once for every subscriber.
    const chunk = `event: ${event.type}\ndata: ${JSON.stringify(comment)}\n\n`;
    for (const subscriber of audience) subscriber.send(chunk);
  }

  return {
    async start() {
      await db.listen(EVENTS_CHANNEL, {
        onNotification(payload) {
          queue = queue.then(() => deliver(payload)).catch((error) => {
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

    /**
     * @param {string} threadId @param {Subscriber} subscriber
     * @returns {() => void} unsubscribe
     */
    subscribe(threadId, subscriber) {
      const audience = subscribers.get(threadId) ?? new Set();
      subscribers.set(threadId, audience.add(subscriber));
      return () => {
        audience.delete(subscriber);
        if (audience.size === 0 && subscribers.get(threadId) === audience) subscribers.delete(threadId);
      };
    },
  };
}

/** @typedef {ReturnType<typeof createEventHub>} EventHub */

/** @param {string} payload @returns {Notification | null} */
function parseNotification(payload) {
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
