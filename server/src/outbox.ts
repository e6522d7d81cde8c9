// The durable outbox: every notification (a webhook, later an email) is a row written in the
// transaction of the change that causes it, and a worker in each server instance delivers it
// after the commit, outside any request. At least once, never lost: a row is claimed with a
// lease, delivered outside any transaction, then marked delivered, retried with backoff, or given
// up (dead). A worker that dies mid-delivery (SIGKILL) leaves its lease to lapse, and the row is
// delivered again; each row carries a stable delivery id so that a receiver can drop the repeat.
//
//   await enqueue(tx, [{ channel: 'webhook', target: url, type: 'comment.created', payload }], now());
//   const outbox = createOutbox({ db, deliverers: { webhook: webhooks.deliver }, now, log });
//   await outbox.start(); // LISTENs for new rows, polls every second
//   await outbox.stop();  // lets deliveries in flight finish for a moment, then abandons them
import { randomUUID } from 'node:crypto';
import type { Database, Queryable, Row } from './database.js';

export const OUTBOX_CHANNEL = 'confab_outbox';
export type Channel = 'webhook' | 'email';
export type OutboxEntry = { channel: Channel; target: string; type: string; payload: object };
export type OutboxRow = {
  id: string;
  deliveryId: string;
  channel: Channel;
  target: string;
  type: string;
  // The payload as enqueued (its JSON, read back).
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  payload: any;
  /** This attempt's number, from 1. */
  attempts: number;
  createdAt: Date;
};
/**
 * Delivers one row; resolves when the receiver took it, throws (with the reason) when not: the
 * row is tried again later, or at once made dead when the error is a PermanentFailure.
 */
export type Deliverer = (row: OutboxRow, signal: AbortSignal) => Promise<void>;

/** A refusal that trying again cannot change (an address that does not exist): the row is dead at once. */
export class PermanentFailure extends Error {}

export const OUTBOX_DEFAULTS = {
  /** How long a claimed row is left to its worker before another may take it. */
  leaseMs: 60_000,
  /** How often due rows are looked for (besides at once when a row is enqueued here). */
  pollMs: 1_000,
  /** The first retry's delay, doubled at each failure. */
  baseDelayMs: 60_000,
  /** A row whose next delay would exceed this is dead. */
  maxDelayMs: 24 * 60 * 60_000,
  /** Deliveries in flight in one instance, and to one target. */
  concurrency: 16,
  perTarget: 8,
  /** While the server is busy answering requests, deliveries in flight and started per second: readers come first. */
  busyConcurrency: 2,
  busyPerSecond: 20,
  /** Wake-ups within this time make one look for due rows; deliveries within it, one write. */
  batchMs: 5,
  /** After a look found only rows of targets at their limit, the next such look waits this long. */
  fruitlessWaitMs: 100,
  /**
   * Other instances are woken (pg_notify) at most this often by one instance's new rows: a woken
   * worker claims until nothing is due, and each notification costs every listener a wake-up.
   */
  wakeEveryMs: 100,
  /** On stop, deliveries in flight get this long to finish before they are abandoned. */
  stopGraceMs: 3_000,
  /** Delivered rows are kept this long (then deleted), dead ones this long. */
  keepDeliveredMs: 7 * 24 * 60 * 60_000,
  keepDeadMs: 30 * 24 * 60 * 60_000,
};
const CLEAN_UP_EVERY_MS = 60 * 60_000;
const MAX_ERROR_LENGTH = 500;

/**
 * Queues deliveries with the transaction `tx`: they exist only if it commits, and at its commit
 * every instance's worker is woken (pg_notify). One statement, whatever the number of entries,
 * and with `alsoNotify` (the change's live event) in it too: each statement costs a post
 * (PGlite runs in the server's own thread).
 */
export async function enqueue(
  tx: Queryable,
  entries: OutboxEntry[],
  at: Date,
  alsoNotify?: { channel: string; payload: string },
  { wakeWorkers = true }: { wakeWorkers?: boolean } = {},
) {
  if (entries.length === 0) {
    if (alsoNotify) await tx.query('SELECT pg_notify($1, $2)', [alsoNotify.channel, alsoNotify.payload]);
    return;
  }
  const { sql, params } = insertRows(entries, at, null);
  const live = alsoNotify ? [alsoNotify.channel, alsoNotify.payload] : [];
  if (!wakeWorkers) {
    const notify = alsoNotify ? `pg_notify($${params.length + 1}, $${params.length + 2})` : '1';
    await tx.query(`WITH queued AS (${sql}) SELECT ${notify}`, [...params, ...live]);
    return;
  }
  const notify = alsoNotify ? `, pg_notify($${params.length + 2}, $${params.length + 3})` : '';
  await tx.query(
    `WITH queued AS (${sql} RETURNING 1) SELECT (SELECT pg_notify($${params.length + 1}, '') FROM queued LIMIT 1)${notify}`,
    [...params, OUTBOX_CHANNEL, ...live],
  );
}

const COLUMNS_PER_ROW = 5;

/**
 * The INSERT of `entries` as one multi-row VALUES (cheaper than unnest for the usual one or two
 * rows), with delivery ids made here; leased to the inserting worker until `leaseUntil` if given.
 */
function insertRows(entries: OutboxEntry[], at: Date, leaseUntil: Date | null) {
  const params: unknown[] = [at, leaseUntil, leaseUntil ? 1 : 0];
  const deliveryIds: string[] = [];
  const values = entries.map((entry) => {
    const first = params.length + 1;
    const deliveryId = randomUUID();
    const payload = JSON.stringify(entry.payload);
    deliveryIds.push(deliveryId);
    params.push(deliveryId, entry.channel, entry.target, entry.type, payload);
    const [id, channel, target, type, json] = Array.from({ length: COLUMNS_PER_ROW }, (_, i) => `$${first + i}`);
    return `(${id}, ${channel}, ${target}, ${type}, ${json}::jsonb, $1::timestamptz, $1::timestamptz, $2::timestamptz, $3::int)`;
  });
  const sql = `INSERT INTO outbox (delivery_id, channel, target, type, payload, next_attempt_at, created_at, lease_until, attempts)
     VALUES ${values.join(', ')}`;
  return { sql, params, deliveryIds };
}

/**
 * The nominal delay before attempt `attempts + 1`, after `attempts` failed ones: the base delay
 * doubled at each failure; null when it would exceed `maxDelayMs` (the row is then dead).
 */
export function retryDelay(attempts: number, { baseDelayMs, maxDelayMs }: { baseDelayMs: number; maxDelayMs: number }) {
  const delay = baseDelayMs * 2 ** Math.max(0, attempts - 1);
  return delay > maxDelayMs ? null : delay;
}

const toRow = (row: Row): OutboxRow => ({
  id: String(row.id),
  deliveryId: row.delivery_id,
  channel: row.channel,
  target: row.target,
  type: row.type,
  payload: row.payload,
  attempts: row.attempts,
  createdAt: row.created_at,
});

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error)).slice(0, MAX_ERROR_LENGTH);

/**
 * The worker. `deliverers` names the channels this instance delivers: rows of other channels
 * stay pending for an instance that does. `log(level, fields, message)` reports failures.
 */
export function createOutbox({
  db,
  deliverers,
  now = () => new Date(),
  log = () => {},
  observe = () => {},
  busy = () => false,
  random = Math.random,
  ...options
}: {
  db: Database;
  deliverers: Partial<Record<Channel, Deliverer>>;
  now?: () => Date;
  log?: (level: 'info' | 'warn' | 'error', fields: object, message: string) => void;
  /** Each attempt's outcome and duration in seconds (the metrics). */
  observe?: (channel: Channel, outcome: 'delivered' | 'retry' | 'dead', seconds: number) => void;
  /**
   * Whether the server is busy with requests now: deliveries then go on at `busyConcurrency`, so
   * that at saturation a notification waits rather than a reader (none is ever dropped).
   */
  busy?: () => boolean;
  random?: () => number;
} & Partial<typeof OUTBOX_DEFAULTS>) {
  const settings = { ...OUTBOX_DEFAULTS, ...options };
  const channels = Object.keys(deliverers);
  /** Deliveries in flight, by row id. */
  const inFlight = new Map<string, { target: string; controller: AbortController }>();
  /** Deliveries not finished yet: in flight, or their outcome not yet written. */
  const unfinished = new Set<Promise<void>>();
  let stopping = false;
  let running: Promise<void> | null = null;
  let again = false;
  let poller: NodeJS.Timeout | undefined;
  let cleaner: NodeJS.Timeout | undefined;
  /**
   * Rows this instance queued and leased to itself in the same statement (`enqueue` below):
   * handed over at commit and delivered without a claim, the costliest statement of a delivery.
   */
  const handed: Array<{ row: OutboxRow; leaseUntil: number }> = [];
  /** Whether the table may hold due rows nobody has leased: a claim is worth its statement. */
  let mayHaveDue = true;
  /** The last look that found nothing but the rows of targets at their limit. */
  let fruitless: { busyKey: string; until: number } | null = null;
  let retryTimer: NodeJS.Timeout | undefined;
  /** When this instance last woke the others' workers for rows it could not take itself. */
  let lastWakeSent = -Infinity;
  let othersWaking: NodeJS.Timeout | undefined;
  /** Rows were queued without a notification: the others are woken at the end of the window. */
  function wakeOthersSoon() {
    othersWaking ??= setTimeout(() => void wakeOthersNow(), Math.max(0, lastWakeSent + settings.wakeEveryMs - performance.now()));
  }
  async function wakeOthersNow() {
    clearTimeout(othersWaking);
    othersWaking = undefined;
    lastWakeSent = performance.now();
    await db
      .query('SELECT pg_notify($1, $2)', [OUTBOX_CHANNEL, ''])
      .catch((error) => log('warn', { error: describe(error) }, 'could not wake the other workers'));
  }

  /**
   * Due rows for free slots, leased to this worker: none of a target that has all its slots, and
   * never more in one claim than the fullest other target has left (so no target goes over).
   */
  async function claim(): Promise<OutboxRow[]> {
    const perTarget = new Map<string, number>();
    for (const { target } of inFlight.values()) perTarget.set(target, (perTarget.get(target) ?? 0) + 1);
    const busy = [...perTarget].filter(([, count]) => count >= settings.perTarget).map(([target]) => target);
    const fullest = Math.max(0, ...[...perTarget.values()].filter((count) => count < settings.perTarget));
    const limit = Math.min(slots() - inFlight.size, settings.perTarget - fullest);
    // Skipping a busy target's rows walks all of them: with a backlog for one URL, a look for
    // others that found none is not repeated at each commit, only once its slot frees or a moment later.
    const busyKey = busy.sort().join('\n');
    if (busy.length > 0 && fruitless?.busyKey === busyKey && performance.now() < fruitless.until) {
      retryTimer ??= setTimeout(
        () => {
          retryTimer = undefined;
          mayHaveDue = true;
          wake();
        },
        Math.ceil(fruitless.until - performance.now()),
      );
      return [];
    }
    fruitless = null;
    const at = now();
    const { rows } = await db.query(
      `UPDATE outbox o SET lease_until = $2, attempts = o.attempts + 1
       WHERE o.id IN (
         SELECT id FROM outbox
         WHERE status = 'pending' AND next_attempt_at <= $1 AND (lease_until IS NULL OR lease_until < $1)
           AND channel = ANY($4::text[]) AND NOT (target = ANY($5::text[]))
         ORDER BY next_attempt_at, id LIMIT $3
         FOR UPDATE SKIP LOCKED)
       RETURNING o.id, o.delivery_id, o.channel, o.target, o.type, o.payload, o.attempts, o.created_at`,
      [at, new Date(at.getTime() + settings.leaseMs), limit, channels, busy],
    );
    if (rows.length === 0 && busy.length > 0) fruitless = { busyKey, until: performance.now() + settings.fruitlessWaitMs };
    // Fewer than asked of every target: nothing else is due now, until a notification or a poll
    // says otherwise. (With a target at its limit, its own due rows wait for a free slot.)
    if (rows.length < limit && busy.length === 0) mayHaveDue = false;
    return rows.map(toRow).sort((a, b) => Number(a.id) - Number(b.id));
  }

  /**
   * Gives rows back untried (on stop): due at once, for any worker, the attempt not counted. Like
   * every change to a claimed row, only while it is still this attempt's (`attempts` unchanged):
   * a lease that lapsed meanwhile belongs to another worker.
   */
  async function release(rows: OutboxRow[]) {
    await db.query(
      `UPDATE outbox o SET lease_until = NULL, attempts = o.attempts - 1
       FROM unnest($1::bigint[], $2::int[]) AS mine (id, attempts)
       WHERE o.id = mine.id AND o.attempts = mine.attempts AND o.status = 'pending'`,
      [rows.map((row) => row.id), rows.map((row) => row.attempts)],
    );
  }

  /**
   * Marks the row delivered together with the others delivered meanwhile: one statement for
   * many, since each costs the database (PGlite runs in this very thread).
   */
  let delivered: { ids: string[]; written: Promise<void> } | null = null;
  function markDelivered(row: OutboxRow) {
    if (!delivered) {
      const batch = { ids: [] as string[], written: Promise.resolve() };
      batch.written = new Promise<void>((resolve) => setTimeout(resolve, settings.batchMs)).then(async () => {
        delivered = null;
        await db.query(
          `UPDATE outbox SET status = 'delivered', delivered_at = $2, lease_until = NULL, last_error = NULL
           WHERE id = ANY($1::bigint[]) AND status = 'pending'`,
          [batch.ids, now()],
        );
      });
      delivered = batch;
    }
    delivered.ids.push(row.id);
    return delivered.written;
  }

  async function settle(row: OutboxRow, error: string | null, permanent: boolean, seconds: number) {
    const at = now();
    if (error === null) {
      observe(row.channel, 'delivered', seconds);
      return markDelivered(row);
    }
    const delay = permanent ? null : retryDelay(row.attempts, settings);
    const where = { delivery: row.deliveryId, channel: row.channel, target: safeTarget(row.target), attempts: row.attempts };
    // Jitter: up to a quarter more, so that rows that failed together do not come back together.
    const next = delay === null ? null : new Date(at.getTime() + Math.round(delay * (1 + random() / 4)));
    const { rows } = await db.query(
      `UPDATE outbox SET status = $3, next_attempt_at = coalesce($4, next_attempt_at), lease_until = NULL, last_error = $5
       WHERE id = $1 AND attempts = $2 AND status = 'pending' RETURNING 1`,
      [row.id, row.attempts, next ? 'pending' : 'dead', next, error],
    );
    if (rows.length === 0) return; // another worker's attempt now
    observe(row.channel, next ? 'retry' : 'dead', seconds);
    if (next) log('warn', { ...where, error, nextAttemptAt: next.toISOString() }, 'delivery failed: retrying later');
    else {
      const why = permanent ? 'refused for good' : 'failed for the last time';
      log('error', { ...where, error }, `delivery ${why}: the row is dead (confab-server outbox retry)`);
    }
  }

  function deliver(row: OutboxRow) {
    const controller = new AbortController();
    const deliverer = deliverers[row.channel]!;
    nextBusyStart = performance.now() + 1000 / settings.busyPerSecond;
    inFlight.set(row.id, { target: row.target, controller });
    const done = (async () => {
      let error: string | null = null;
      let permanent = false;
      const started = performance.now();
      try {
        await deliverer(row, controller.signal);
      } catch (failure) {
        error = describe(failure);
        permanent = failure instanceof PermanentFailure;
      } finally {
        // The slot is free once the receiver has answered; the row stays leased until recorded.
        inFlight.delete(row.id);
      }
      if (!stopping) wake();
      try {
        // Cut short by stop(): not the receiver's failure, so not counted against it.
        if (error !== null && controller.signal.aborted && stopping) await release([row]);
        else await settle(row, error, permanent, (performance.now() - started) / 1000);
      } catch (failure) {
        // The database is gone (shutting down) or failing: the lease lapses and the row comes back.
        log('warn', { delivery: row.deliveryId, error: describe(failure) }, 'could not record a delivery');
      }
    })();
    unfinished.add(done);
    void done.finally(() => unfinished.delete(done));
  }

  /** Busy: one delivery started at a time, every 1/busyPerSecond s, at most busyConcurrency at once. */
  let nextBusyStart = 0;
  let busyTimer: NodeJS.Timeout | undefined;
  function slots() {
    if (!busy()) return settings.concurrency;
    const wait = nextBusyStart - performance.now();
    if (wait <= 0) return Math.min(inFlight.size + 1, settings.busyConcurrency, settings.concurrency);
    busyTimer ??= setTimeout(() => {
      busyTimer = undefined;
      wake();
    }, Math.ceil(wait));
    return 0;
  }

  /** Handed-over rows for the free slots, within each target's limit, while their lease lasts. */
  function takeHanded(): OutboxRow[] {
    const perTarget = new Map<string, number>();
    for (const { target } of inFlight.values()) perTarget.set(target, (perTarget.get(target) ?? 0) + 1);
    const taken: OutboxRow[] = [];
    const soon = performance.now() + settings.leaseMs / 6;
    const free = slots();
    for (let i = 0; i < handed.length && inFlight.size + taken.length < free;) {
      const { row, leaseUntil } = handed[i]!;
      const count = perTarget.get(row.target) ?? 0;
      if (leaseUntil < soon) {
        // Too late to start it under this lease: left to lapse, then claimed like any row.
        handed.splice(i, 1);
      } else if (count < settings.perTarget) {
        perTarget.set(row.target, count + 1);
        taken.push(row);
        handed.splice(i, 1);
      } else i++;
    }
    return taken;
  }

  async function run() {
    do {
      again = false;
      while (!stopping && inFlight.size < slots()) {
        for (const row of takeHanded()) deliver(row);
        if (!mayHaveDue || inFlight.size >= slots()) break;
        const rows = await claim();
        for (const row of rows) deliver(row);
        if (rows.length === 0) break;
      }
    } while (again && !stopping);
  }

  /**
   * Looks for due rows after `delayMs` (again, once the current look is over, if one is under
   * way). The delay gathers the wake-ups of many commits, or of many deliveries ending, into one look.
   */
  let waking: NodeJS.Timeout | undefined;
  function wake(delayMs = settings.batchMs) {
    if (stopping) return;
    if (running) {
      again = true;
      return;
    }
    const look = () => {
      clearTimeout(waking);
      waking = undefined;
      if (stopping || running) return;
      running = run()
        .catch((error) => log('warn', { error: describe(error) }, 'could not claim outbox rows'))
        .finally(() => {
          running = null;
        });
    };
    if (delayMs === 0) look();
    else waking ??= setTimeout(look, delayMs);
  }

  async function cleanUp() {
    const at = now().getTime();
    await db
      .query(`DELETE FROM outbox WHERE (status = 'delivered' AND delivered_at < $1) OR (status = 'dead' AND created_at < $2)`, [
        new Date(at - settings.keepDeliveredMs),
        new Date(at - settings.keepDeadMs),
      ])
      .catch((error) => log('warn', { error: describe(error) }, 'could not delete old outbox rows'));
  }

  return {
    async start() {
      const due = () => {
        mayHaveDue = true;
        wake();
      };
      await db.listen(OUTBOX_CHANNEL, { onNotification: due, onInterrupted: () => {}, onRestored: due });
      // Retries come due, and leases lapse, without a notification.
      poller = setInterval(due, settings.pollMs);
      poller.unref();
      cleaner = setInterval(cleanUp, CLEAN_UP_EVERY_MS);
      cleaner.unref();
      void cleanUp();
      wake();
    },

    /** Looks for due rows now (tests that move the clock). */
    wake: () => {
      mayHaveDue = true;
      wake(0);
    },

    /**
     * `enqueue` (above), but rows this instance delivers and that are due now are leased to it in
     * the same statement and handed to it at commit: no claim, and no other instance woken. Past
     * a few dozen waiting here, or while stopping, rows are queued for whichever worker comes first.
     */
    async enqueue(tx: Queryable, entries: OutboxEntry[], at: Date, alsoNotify?: { channel: string; payload: string }) {
      const forMe =
        !stopping &&
        entries.length > 0 &&
        at.getTime() <= now().getTime() &&
        handed.length + entries.length <= settings.concurrency * 4 &&
        entries.every((entry) => entry.channel in deliverers);
      if (!forMe) {
        if (entries.length === 0 || at.getTime() > now().getTime()) return enqueue(tx, entries, at, alsoNotify);
        // PGlite has no other instance to wake, and on PostgreSQL one notification in
        // `wakeEveryMs` is enough (they come each time a post in a burst must wait here);
        // this worker is told at commit, without a notification.
        const wakeNow = db.kind !== 'pglite' && performance.now() - lastWakeSent >= settings.wakeEveryMs;
        if (wakeNow) lastWakeSent = performance.now();
        await enqueue(tx, entries, at, alsoNotify, { wakeWorkers: wakeNow });
        const due = () => {
          mayHaveDue = true;
          wake();
          if (db.kind !== 'pglite' && !wakeNow) wakeOthersSoon();
        };
        if (tx.afterCommit) tx.afterCommit(due);
        else due();
        return;
      }
      const { sql, params, deliveryIds } = insertRows(entries, at, new Date(at.getTime() + settings.leaseMs));
      const notify = alsoNotify ? `, (SELECT pg_notify($${params.length + 1}, $${params.length + 2}))` : '';
      const { rows } = await tx.query(`WITH queued AS (${sql} RETURNING id, delivery_id) SELECT q.*${notify} FROM queued q`, [
        ...params,
        ...(alsoNotify ? [alsoNotify.channel, alsoNotify.payload] : []),
      ]);
      const idOf = new Map(rows.map((row) => [row.delivery_id as string, String(row.id)]));
      // The rows as a claim would read them, made from what was just written.
      const mine = entries.map((entry, i): OutboxRow => ({
        id: idOf.get(deliveryIds[i]!)!,
        deliveryId: deliveryIds[i]!,
        channel: entry.channel,
        target: entry.target,
        type: entry.type,
        payload: entry.payload,
        attempts: 1,
        createdAt: at,
      }));
      const leaseUntil = performance.now() + settings.leaseMs;
      const handOver = () => {
        // Stopped meanwhile: the lease lapses and any worker takes them.
        if (stopping) return;
        for (const row of mine) handed.push({ row, leaseUntil });
        wake();
      };
      if (tx.afterCommit) tx.afterCommit(handOver);
      else handOver(); // not in a transaction: committed already
    },

    /** How many deliveries are in flight in this instance now. */
    get inFlight() {
      return inFlight.size;
    },

    /**
     * Claims nothing more; deliveries in flight get `stopGraceMs` to finish, then are abandoned:
     * given back untried, due at once for any instance (their receivers may see them again).
     */
    async stop() {
      stopping = true;
      clearInterval(poller);
      clearInterval(cleaner);
      clearTimeout(waking);
      clearTimeout(retryTimer);
      clearTimeout(busyTimer);
      await running;
      // Handed over but not started: given back, due at once for any instance.
      const waiting = handed.splice(0).map(({ row }) => row);
      if (waiting.length > 0) await release(waiting).catch(() => {});
      // The rows given back, and any queued since the last notification, are the others' now.
      if (db.kind !== 'pglite' && (waiting.length > 0 || othersWaking)) await wakeOthersNow();
      const within = async (ms: number) => {
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(false), ms);
        });
        const finished = await Promise.race([Promise.all(unfinished).then(() => true), late]);
        clearTimeout(timer);
        return finished;
      };
      if (await within(settings.stopGraceMs)) return;
      for (const entry of inFlight.values()) entry.controller.abort(new Error('the server is shutting down'));
      // A delivery that does not heed the abort is left behind: its lease lapses, and the row comes back.
      if (!(await within(1_000))) log('warn', { deliveries: inFlight.size }, 'deliveries did not stop: left to their leases');
    },
  };
}

export type Outbox = ReturnType<typeof createOutbox>;

/** A target as logs show it: a URL's origin only (its path and query may hold a secret). */
export function safeTarget(target: string) {
  try {
    const url = new URL(target);
    return url.pathname === '/' && !url.search ? url.origin : `${url.origin}/…`;
  } catch {
    return target;
  }
}

export type OutboxListing = {
  id: string;
  deliveryId: string;
  channel: Channel;
  target: string;
  type: string;
  status: 'pending' | 'dead';
  attempts: number;
  nextAttemptAt: Date;
  lastError: string | null;
  createdAt: Date;
};

/** The rows not delivered, for the metrics, by channel and status: one read over their partial indexes. */
export async function outboxBacklog(db: Queryable) {
  const { rows } = await db.query(
    `SELECT channel, status, count(*)::int AS rows,
       min(next_attempt_at) FILTER (WHERE status = 'pending' AND next_attempt_at <= now()) AS oldest_due
     FROM outbox WHERE status IN ('pending', 'dead') GROUP BY channel, status`,
  );
  return rows.map((row) => ({
    channel: row.channel as string,
    status: row.status as 'pending' | 'dead',
    rows: row.rows as number,
    oldestDue: (row.oldest_due as Date | null) ?? null,
  }));
}

/** Pending and dead rows, oldest first (at most `limit`), and how many there are in all. */
export async function listOutbox(db: Queryable, limit = 200): Promise<{ rows: OutboxListing[]; total: number }> {
  const { rows } = await db.query(
    `SELECT id, delivery_id, channel, target, type, status, attempts, next_attempt_at, last_error, created_at,
       count(*) OVER ()::int AS total
     FROM outbox WHERE status IN ('pending', 'dead') ORDER BY created_at, id LIMIT $1`,
    [limit],
  );
  return {
    total: rows[0]?.total ?? 0,
    rows: rows.map((row) => ({
      id: String(row.id),
      deliveryId: row.delivery_id,
      channel: row.channel,
      target: row.target,
      type: row.type,
      status: row.status,
      attempts: row.attempts,
      nextAttemptAt: row.next_attempt_at,
      lastError: row.last_error,
      createdAt: row.created_at,
    })),
  };
}

/**
 * Makes a pending or dead row (by its id or delivery id) due now, with a fresh backoff, and wakes
 * the workers. A row a worker is delivering right now is left to it.
 */
export async function retryOutbox(db: Database, idOrDeliveryId: string): Promise<'due' | 'in-flight' | 'not-found'> {
  return db.transaction(async (tx) => {
    const where = /^\d{1,18}$/.test(idOrDeliveryId) ? 'id = $1::bigint' : 'delivery_id = $1';
    const { rows } = await tx.query(
      `SELECT status, lease_until > now() AS leased FROM outbox WHERE ${where} AND status IN ('pending', 'dead') FOR UPDATE`,
      [idOrDeliveryId],
    );
    if (!rows[0]) return 'not-found';
    if (rows[0].leased) return 'in-flight';
    await tx.query(
      `UPDATE outbox SET status = 'pending', next_attempt_at = now(), lease_until = NULL, attempts = 0 WHERE ${where}`,
      [idOrDeliveryId],
    );
    await tx.query('SELECT pg_notify($1, $2)', [OUTBOX_CHANNEL, '']);
    return 'due';
  });
}
