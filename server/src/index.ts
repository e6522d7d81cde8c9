// The Confab server in one call, for the command line, the demo, the load script and the tests.
//
//   const app = await startServer({ seed }); // PGlite in memory, a random port
//   await fetch(`${app.url}/api/threads/t1/comments`);
//   await app.shutdown(); // requests in flight finish, event streams end, the database closes
//
// With `dataDir` the data lives in PGlite on disk; with `databaseUrl` in PostgreSQL, where any
// number of instances can share one database.
import { performance } from 'node:perf_hooks';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createAkismet } from './akismet.js';
import { createCommentStore, insertSeedThread } from './comment-store.js';
import { openDashboardFiles } from './dashboard-files.js';
import type { QueueEvent, SeedThread } from './comment-store.js';
import { openDatabase } from './database.js';
import type { Database, Queryable } from './database.js';
import { createEventHub } from './events.js';
import { createProtocolServer, sendMetrics, type ProtocolServer } from './http.js';
import { errorsToStderr } from './logger.js';
import type { Logger } from './logger.js';
import { watchBlocklist } from './blocklist.js';
import { createMetrics } from './metrics.js';
import { createModeration } from './moderation.js';
import { createModerationEvents } from './moderation-events.js';
import { createModerators } from './moderators.js';
import { MIGRATIONS, migrate } from './migrations.js';
import { createOriginPolicy } from './origins.js';
import { OUTBOX_DEFAULTS, createOutbox, enqueue, outboxBacklog, type Outbox } from './outbox.js';
import type { Deliverer } from './outbox.js';
import { createPageCache } from './page-cache.js';
import { createRateLimiter } from './rate-limit.js';
import { DEFAULTS } from './settings.js';
import type { Moderation } from './settings.js';
import { createSso } from './sso.js';
import { createWebhooks } from './webhooks.js';
import { createMailer } from './mail.js';
import { createNotifications } from './notifications.js';
import { openWidgetFiles } from './widget-files.js';

export { bufferedDestination, createLogger } from './logger.js';
export type { Logger } from './logger.js';
export { readSettings, riskySettings, SETTINGS } from './settings.js';
export type { Settings } from './settings.js';
export type { Comment, SeedThread } from './comment-store.js';

/** This package's own folder (dist/ or src/ sit one level below it). */
const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));
/** The widget shipped with this package (copied in when the package is built). */
export const BUNDLED_WIDGET_DIR = fileURLToPath(new URL('../widget/', import.meta.url));
/** The moderation dashboard, built by Vite from admin/ when the package is built. */
export const DASHBOARD_DIR = `${PACKAGE_DIR}dist/admin`;
export const VERSION: string = JSON.parse(readFileSync(`${PACKAGE_DIR}package.json`, 'utf8')).version;

const IDEMPOTENCY_KEY_MAX_AGE_MS = 24 * 60 * 60_000;
const FORGET_KEYS_EVERY_MS = 60 * 60_000;
/** What the process is given to stop; shutdown() keeps a margin below it for the database. */
export const SHUTDOWN_LIMIT_MS = 10_000;
/**
 * When the server counts as busy, so that notifications are delivered two at a time and wait
 * rather than readers. Sampled every quarter of a second: the event loop more than 85% used while
 * answering at least 100 requests a second (PGlite: its queries run in this thread), or at least
 * 16 requests waiting on the database at the moment (PostgreSQL). The worker alone, draining a
 * queue, is not busy.
 */
const LOAD_SAMPLE_MS = 250;
const BUSY_UTILIZATION = 0.85;
const BUSY_REQUESTS_PER_SAMPLE = 25;
const BUSY_REQUESTS_AT_ONCE = 16;
const DRAIN_GRACE_MS = 8_000;

export interface ServerOptions {
  /** 0 (the default here) picks a free port. */
  port?: number;
  host?: string;
  /** Written into a new database only. */
  seed?: SeedThread;
  /** PGlite's data folder; neither this nor `databaseUrl`: PGlite in memory. */
  dataDir?: string;
  databaseUrl?: string;
  /** Folder of the dashboard's built files; default: the one built into this package. */
  dashboardDir?: string;
  /** Folder of the widget's built files; default: the copy shipped in this package. */
  widgetDir?: string;
  /** The HTML page at `/`, given the server's URL and the widget's versioned path; default: a short text. */
  homePage?: (where: { url: string; widgetSrc: string }) => string;
  /**
   * The host site's own pages beside the server's (the demo's sign-in pages): asked about every
   * request outside /api that the server does not answer itself, any method, before `homePage`.
   * Answers on `res` and returns true, or returns false for the server to go on (`/`, else 404).
   * `path` is the request's path as sent, without its query.
   */
  hostPages?: (
    req: IncomingMessage,
    res: ServerResponse,
    where: { path: string; url: string; widgetSrc: string },
  ) => boolean | Promise<boolean>;
  editWindowMs?: number;
  adminToken?: string;
  moderation?: Moderation;
  /** A body with more http(s) URLs than this is held as pending; default 2. */
  maxLinks?: number;
  /** Path of the blocklist file (see blocklist.ts), read again when it changes. */
  blocklist?: string;
  /** How often the blocklist file is checked for changes; default 2 s. */
  blocklistPollMs?: number;
  /** The same body from the same client in a thread within this time answers 409; default 10 minutes, 0: off. */
  duplicateWindowMs?: number;
  /** A comment sent sooner than this many seconds after its form opened is held; default 3, 0: off. */
  minComposeSeconds?: number;
  /** With a key, every new comment is checked with Akismet. */
  akismetKey?: string;
  /** Akismet's address (a local fake in tests); default the public service. */
  akismetUrl?: string;
  /** Distinct readers whose reports send a comment back to pending; default 3, 0: never. */
  reportsToHold?: number;
  /** The server's public address: invitation links, Secure cookies, the dashboard's origin check. */
  publicUrl?: string;
  rateLimit?: { burst: number; perMinute: number };
  allowedOrigins?: '*' | string[];
  trustProxy?: boolean;
  /** Open event streams per client address; 0: no cap. */
  maxStreamsPerClient?: number;
  /** A second port serving only /metrics, without the admin token. */
  metricsPort?: number;
  /** The secret (at least 32 bytes) the host site signs Confab-User tokens with; unset: no sign-in. */
  ssoSecret?: string;
  /** The secret before a rotation: readers' tokens signed with it pass, moderators' do not. */
  ssoSecretPrevious?: string;
  /** false: only signed-in users may post (401 sso_required); default true. */
  guests?: boolean;
  /** Each comment event is POSTed, signed with `webhookSecret`, to each of these (webhooks.ts). */
  webhookUrls?: string[];
  webhookSecret?: string;
  /** A webhook receiver that has not answered within this time has failed the attempt; default 10 s. */
  webhookTimeoutMs?: number;
  /** The outbox worker's timing (outbox.ts: lease, poll, backoff, concurrency), for tests and tuning. */
  outbox?: Partial<typeof OUTBOX_DEFAULTS>;
  /** The mail server for reply emails (mail.ts); needs `mailFrom` and `publicUrl`. Unset: no email. */
  smtpUrl?: string;
  mailFrom?: string;
  now?: () => Date;
  /** Default: errors only, to stderr. */
  logger?: Logger;
  /** A line per request when the logger is at info; default true. */
  logRequests?: boolean;
}

/**
 * Opens the database (migrating it, and seeding it when new), then serves the API under /api,
 * the widget's files, /healthz, /readyz, /metrics, the host's pages and a page at /.
 */
export async function startServer(options: ServerOptions = {}) {
  const { port = 0, host = '127.0.0.1', seed, dataDir, databaseUrl } = options;
  const logger = options.logger ?? errorsToStderr();
  const webhookUrls = options.webhookUrls ?? [];
  if (webhookUrls.length > 0 && !options.webhookSecret) throw new Error('webhookSecret is required with webhookUrls');
  // Before the database: a bad folder fails the start with nothing to undo.
  const widgetDir = options.widgetDir ?? BUNDLED_WIDGET_DIR;
  const widget = openWidgetFiles(widgetDir);
  if (!widget.names.includes('confab.iife.js')) {
    logger.warn({ widgetDir }, 'no confab.iife.js found: the widget is not served');
  }
  const widgetSrc = `/widget/${widget.version}/confab.iife.js`;
  // Also before the database: a blocklist that was asked for but cannot be read fails the start.
  const blocklist =
    options.blocklist === undefined ? undefined : watchBlocklist(options.blocklist, logger, options.blocklistPollMs);
  const metrics = createMetrics();
  const log = (line: string) => logger.warn(line);
  const db = countingErrors(await openDatabase({ databaseUrl, dataDir, log }), () => metrics.databaseErrors.inc());
  try {
    const { applied } = await migrate(db, { seed: seed && ((tx: Queryable) => insertSeedThread(tx, seed)) });
    if (applied.length > 0) logger.info({ applied }, 'database migrated');
  } catch (error) {
    blocklist?.close();
    await db.close();
    throw error;
  }

  const pages = createPageCache();
  const now = options.now ?? (() => new Date());
  const webhooks =
    webhookUrls.length > 0
      ? createWebhooks({
          urls: webhookUrls,
          secret: options.webhookSecret!,
          userAgent: `confab-server/${VERSION} (webhooks; +https://www.npmjs.com/package/confab-server)`,
          timeoutMs: options.webhookTimeoutMs,
          now,
        })
      : null;
  if (options.smtpUrl && !(options.mailFrom && options.publicUrl)) throw new Error('smtpUrl needs mailFrom and publicUrl');
  const mailer = options.smtpUrl ? createMailer({ smtpUrl: options.smtpUrl, from: options.mailFrom!, logger }) : null;
  // Through this instance's worker once it exists: it takes what it queues without a claim.
  let outboxRef: Outbox | null = null;
  const queue: typeof enqueue = (tx, entries, at, alsoNotify) => (outboxRef?.enqueue ?? enqueue)(tx, entries, at, alsoNotify);
  const notifications = mailer
    ? createNotifications({
        db,
        mailer,
        publicUrl: options.publicUrl!,
        // (moderation is made below; an alert's link is followed long after the start)
        moderate: (actor, threadId, commentId, action) => moderation.act(actor, threadId, commentId, action),
        enqueue: queue,
        now,
      })
    : null;
  const deliverers: { webhook?: Deliverer; email?: Deliverer } = {
    ...(webhooks && { webhook: webhooks.deliver }),
    ...(notifications && { email: notifications.deliver }),
  };
  // Written with the change, in its transaction; delivered by the outbox's worker after it commits.
  const queueEvent: QueueEvent | undefined =
    webhooks || notifications
      ? async (tx, event, live) => {
          const entries = webhooks ? webhooks.entries(event) : [];
          if (notifications) {
            // A reply newly shown to readers: its parent's subscriber may be emailed.
            if (event.type === 'comment.created' && event.comment.parentId !== null) {
              await notifications.repliesTo(tx, event.comment.id);
            }
            // Held or reported: the moderators who want it are told by email.
            entries.push(...(await notifications.alertModerators(tx, event)));
          }
          await queue(tx, entries, now(), live);
        }
      : undefined;
  const store = createCommentStore({
    db,
    editWindowMs: options.editWindowMs ?? DEFAULTS.editWindowMinutes * 60_000,
    moderation: options.moderation,
    maxLinks: options.maxLinks ?? DEFAULTS.maxLinks,
    blocklist: blocklist?.check,
    duplicateWindowMs: options.duplicateWindowMs,
    minComposeMs: (options.minComposeSeconds ?? DEFAULTS.minComposeSeconds) * 1000,
    akismet:
      options.akismetKey === undefined
        ? undefined
        : createAkismet({
            key: options.akismetKey,
            url: options.akismetUrl,
            onError: (reason) => logger.warn(`${reason}; the comment is held for a moderator`),
          }),
    publicUrl: options.publicUrl,
    reportsToHold: options.reportsToHold ?? DEFAULTS.reportsToHold,
    adminToken: options.adminToken,
    features: {
      sso: options.ssoSecret !== undefined,
      guests: options.guests ?? true,
      reports: true,
      // Without mail, unsaid: the form's email still serves (MODERATION=first, bans by email, Akismet).
      ...(notifications && { notify: true }),
    },
    now: options.now,
    // At once, not when the notification comes back: a reader's next request sees their change.
    onChange: pages.drop,
    queueEvent,
    subscribeReplies: notifications
      ? async (tx, request) => queue(tx, await notifications.subscribe(tx, request), now())
      : undefined,
  });
  const events = createEventHub({
    db,
    readVisible: store.readVisible,
    onChange: pages.drop,
    onInterrupted: () => pages.setEnabled(false),
    onRestored: () => pages.setEnabled(true),
    log,
  });
  const moderation = createModeration({ db, store, now: options.now, onChange: pages.drop, queueEvent });
  const moderators = createModerators({ db, now: options.now, adminToken: options.adminToken });
  const moderationEvents = createModerationEvents({ db, moderation, log });
  // Made below; the outbox asks how busy it is.
  let httpServer: ProtocolServer | undefined;
  const load = watchLoad(() => httpServer ?? { handled: 0, handling: 0 });
  // Only where something is to be delivered: an instance without webhooks leaves rows to others.
  const outbox =
    Object.keys(deliverers).length > 0
      ? createOutbox({
          db,
          deliverers,
          now,
          log: (level, fields, message) => logger[level](fields, message),
          observe: metrics.observeDelivery,
          // Busy: more requests being handled at once than a quiet server ever has.
          busy: () => load.busy,
          ...options.outbox,
        })
      : null;
  outboxRef = outbox;
  if (outbox) metrics.watchOutbox(() => outboxBacklog(db), Object.keys(deliverers));
  try {
    await events.start();
    await moderationEvents.start();
    await outbox?.start();
  } catch (error) {
    await db.close();
    throw error;
  }
  const limiter = createRateLimiter(options.rateLimit ?? DEFAULTS.rateLimit);
  const sso = createSso({
    secret: options.ssoSecret,
    previousSecret: options.ssoSecretPrevious,
    guests: options.guests,
    userId: store.userId,
    now: options.now,
  });

  const forgetOldKeys = () =>
    Promise.all([store.forgetIdempotencyKeys(IDEMPOTENCY_KEY_MAX_AGE_MS), moderators.forgetExpired()]).catch((error) => {
      logger.error({ err: error }, 'could not forget old idempotency keys and sessions');
    });
  await forgetOldKeys();
  const keyForgetter = setInterval(forgetOldKeys, FORGET_KEYS_EVERY_MS);
  keyForgetter.unref();

  let shuttingDown = false;
  let url = '';
  const server = (httpServer = createProtocolServer({
    store,
    pages,
    events,
    limiter,
    sso,
    logger,
    metrics,
    widget,
    dashboard: openDashboardFiles(options.dashboardDir ?? DASHBOARD_DIR) ?? undefined,
    admin: { moderation, moderators, moderationEvents, publicUrl: options.publicUrl },
    origins: createOriginPolicy(options.allowedOrigins ?? []),
    trustProxy: options.trustProxy,
    logRequests: options.logRequests,
    maxStreamsPerClient: options.maxStreamsPerClient ?? DEFAULTS.maxStreamsPerClient,
    readiness: () => (shuttingDown ? Promise.resolve('shutting down') : readiness(db, logger)),
    homePage: options.homePage && (() => options.homePage!({ url, widgetSrc })),
    hostPages: options.hostPages && ((req, res, path) => options.hostPages!(req, res, { path, url, widgetSrc })),
    mailPages: notifications?.page,
  }));

  const stopTimers = () => {
    load.stop();
    blocklist?.close();
    moderationEvents.stop();
    limiter.close();
    clearInterval(keyForgetter);
  };
  let metricsServer: http.Server | undefined;
  try {
    await listen(server, port, host);
    if (options.metricsPort !== undefined) {
      metricsServer = http.createServer((req, res) => {
        const path = (req.url ?? '/').split('?')[0];
        if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) res.writeHead(404).end();
        else sendMetrics(res, metrics, req.method === 'HEAD').catch(() => res.destroy());
      });
      await listen(metricsServer, options.metricsPort, host);
    }
  } catch (error) {
    await server.drain(0);
    stopTimers();
    await outbox?.stop();
    mailer?.close();
    await db.close();
    throw error;
  }
  url = urlOf(server);
  const metricsUrl = metricsServer && urlOf(metricsServer);
  const webhookCount = webhookUrls.length || undefined;
  logger.info(
    { url, pid: process.pid, database: db.kind, widget: widgetSrc, metrics: metricsUrl, webhooks: webhookCount },
    'listening',
  );

  let stopped: Promise<void> | undefined;
  /**
   * Stops accepting connections, lets requests in flight finish (cut after 8 s), ends event
   * streams with a reconnect hint, and closes the database. Calling it again waits for the first.
   */
  const shutdown = () => {
    stopped ??= (async () => {
      shuttingDown = true;
      // Deliveries in flight finish meanwhile, or are given back for later (outbox.ts).
      const outboxStopped = outbox?.stop();
      await server.drain(DRAIN_GRACE_MS);
      metricsServer?.closeAllConnections();
      metricsServer?.close();
      stopTimers();
      await outboxStopped;
      // Its pooled SMTP connections would keep the process alive until the mail server hangs up.
      mailer?.close();
      await db.close();
      logger.info('stopped');
    })();
    return stopped;
  };
  return { url, metricsUrl, server, store, moderation, moderators, db, metrics, widget, outbox, shutdown, close: shutdown };
}

export type App = Awaited<ReturnType<typeof startServer>>;

/**
 * Null when the database answers and has every migration of this version; else why not. The
 * database's own error goes to the log, not to whoever asks (it may name hosts and users).
 */
async function readiness(db: Database, logger: Logger): Promise<string | null> {
  try {
    const { rows } = await db.query('SELECT max(version) AS version FROM schema_migrations');
    const newest = Math.max(...MIGRATIONS.map((migration) => migration.version));
    const version = Number(rows[0]?.version ?? 0);
    return version >= newest ? null : `database schema at version ${version}, this server needs ${newest}`;
  } catch (error) {
    logger.warn({ err: error }, 'readiness check: the database did not answer');
    return 'database unreachable';
  }
}

/** The same database, counting every query that fails (for the metrics). */
/** Samples the event loop's use and the requests answered and waiting; `busy` says whether they were high. */
function watchLoad(requests: () => { handled: number; handling: number }) {
  let utilization = performance.eventLoopUtilization();
  let answered = requests().handled;
  const state = { busy: false, stop: () => clearInterval(timer) };
  const timer = setInterval(() => {
    const now = performance.eventLoopUtilization();
    const used = performance.eventLoopUtilization(now, utilization).utilization;
    const { handled, handling } = requests();
    state.busy = (used > BUSY_UTILIZATION && handled - answered >= BUSY_REQUESTS_PER_SAMPLE) || handling >= BUSY_REQUESTS_AT_ONCE;
    utilization = now;
    answered = handled;
  }, LOAD_SAMPLE_MS);
  timer.unref();
  return state;
}

function countingErrors(db: Database, onError: () => void): Database {
  const watch = <T>(result: Promise<T>) =>
    result.catch((error: unknown) => {
      onError();
      throw error;
    });
  const counted = (queryable: Queryable): Queryable => ({
    query: (sql, params) => watch(queryable.query(sql, params)),
    exec: (sql) => watch(queryable.exec(sql)),
    ...(queryable.afterCommit && { afterCommit: queryable.afterCommit }),
  });
  return { ...db, ...counted(db), transaction: (work) => db.transaction((tx) => work(counted(tx))) };
}

function listen(server: http.Server, port: number, host: string) {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function urlOf(server: http.Server) {
  const address = server.address() as AddressInfo;
  return `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
}

export { migrate, MIGRATIONS } from './migrations.js';
export { openDatabase } from './database.js';
export { insertSeedThread } from './comment-store.js';
