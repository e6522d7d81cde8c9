// The reference server in one call, for `npm start`, the load script and the tests.
//
//   const { url, store, close } = await startServer({ seed }); // PGlite in memory, a random port
//   await fetch(`${url}/api/threads/t1/comments`);
//   await close();
//
// With `dataDir` the data lives in PGlite on disk; with `databaseUrl` in PostgreSQL, where any
// number of instances can share one database.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCommentStore, insertSeedThread } from './comment-store.mjs';
import { DEFAULTS } from './config.mjs';
import { openDatabase } from './database.mjs';
import { createEventHub } from './events.mjs';
import { createProtocolServer } from './http.mjs';
import { migrate } from './migrations.mjs';
import { createOriginPolicy } from './origins.mjs';
import { renderArticlePage } from './page.mjs';
import { createPageCache } from './page-cache.mjs';
import { createRateLimiter } from './rate-limit.mjs';

const DEFAULT_DIST = fileURLToPath(new URL('../../dist/', import.meta.url));
const IDEMPOTENCY_KEY_MAX_AGE_MS = 24 * 60 * 60_000;
const FORGET_KEYS_EVERY_MS = 60 * 60_000;

/**
 * @typedef {import('./comment-store.mjs').SeedThread & {
 *   article?: { title: string, paragraphs: string[] } }} Seed
 */
/**
 * @typedef {{
 *   port?: number, host?: string,
 *   seed?: Seed,
 *   dataDir?: string, databaseUrl?: string,
 *   distDir?: string,
 *   editWindowMs?: number, adminToken?: string, moderation?: 'off' | 'pre',
 *   rateLimit?: { burst: number, perMinute: number },
 *   allowedOrigins?: '*' | string[], trustProxy?: boolean,
 *   now?: () => Date,
 *   log?: (line: string) => void,
 * }} ServerOptions `seed` is written into a new database only, and gives `/` its article page.
 */

/**
 * Opens the database (migrating it, and seeding it when new), then serves the API under /api,
 * the seed's article page at / and the widget bundle at /confab.iife.js. Port 0 picks a free port.
 * @param {ServerOptions} [options]
 */
export async function startServer(options = {}) {
  const { port = 0, host = '127.0.0.1', seed, dataDir, databaseUrl, distDir = DEFAULT_DIST, log } = options;
  const db = await openDatabase({ databaseUrl, dataDir, log });
  try {
    await migrate(db, { seed: seed && ((tx) => insertSeedThread(tx, seed)) });
  } catch (error) {
    await db.close();
    throw error;
  }

  const pages = createPageCache();
  const store = createCommentStore({
    db,
    editWindowMs: options.editWindowMs ?? DEFAULTS.editWindowMinutes * 60_000,
    moderation: options.moderation,
    adminToken: options.adminToken,
    now: options.now,
    // At once, not when the notification comes back: a reader's next request sees their change.
    onChange: pages.drop,
  });
  const events = createEventHub({
    db,
    readVisible: store.readVisible,
    onChange: pages.drop,
    onInterrupted: () => pages.setEnabled(false),
    onRestored: () => pages.setEnabled(true),
    log,
  });
  await events.start();
  const limiter = createRateLimiter(options.rateLimit ?? DEFAULTS.rateLimit);

  const forgetOldKeys = () =>
    store.forgetIdempotencyKeys(IDEMPOTENCY_KEY_MAX_AGE_MS).catch((error) => {
      (log ?? console.error)(`Could not forget old idempotency keys: ${error.message}`);
    });
  await forgetOldKeys();
  const keyForgetter = setInterval(forgetOldKeys, FORGET_KEYS_EVERY_MS);
  keyForgetter.unref();

  let url = '';
  const article = seed?.article;
  const thread = seed?.thread;
  const server = createProtocolServer({
    store,
    pages,
    events,
    limiter,
    origins: createOriginPolicy(options.allowedOrigins ?? []),
    trustProxy: options.trustProxy,
    log,
    staticRoutes: {
      '/confab.iife.js': join(distDir, 'confab.iife.js'),
      '/confab.iife.js.map': join(distDir, 'confab.iife.js.map'),
    },
    // An absolute endpoint, so the widget needs no knowledge of the page's base URL.
    pageHtml:
      article && thread
        ? () => renderArticlePage({ article, thread, scriptSrc: '/confab.iife.js', endpoint: `${url}/api` })
        : undefined,
  });

  try {
    await new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve(undefined);
      });
    });
  } catch (error) {
    limiter.close();
    clearInterval(keyForgetter);
    await db.close();
    throw error;
  }
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;

  /** Stops listening, ends event streams, and closes the database once every connection is closed. */
  const close = async () => {
    await new Promise((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve(undefined)));
    });
    limiter.close();
    clearInterval(keyForgetter);
    await db.close();
  };
  return { url, server, store, db, close };
}
