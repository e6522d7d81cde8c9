// The reference server in one call, for `npm start` and for end-to-end tests.
//
//   const { url, store, close } = await startServer({ seed }); // url: http://127.0.0.1:<random port>
//   await fetch(`${url}/api/threads/t1/comments`);
//   await close();
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createProtocolServer } from './http.mjs';
import { renderArticlePage } from './page.mjs';
import { createStore } from './protocol-store.mjs';

export { createProtocolServer } from './http.mjs';
export { renderArticlePage } from './page.mjs';
export { createStore } from './protocol-store.mjs';

const DEFAULT_DIST = fileURLToPath(new URL('../../dist/', import.meta.url));

/**
 * @typedef {{ thread: import('./protocol-store.mjs').ThreadInfo,
 *   article?: { title: string, paragraphs: string[] },
 *   comments?: Array<Partial<import('./protocol-store.mjs').Comment>> }} Seed
 */

/**
 * Starts a store, the API under /api, the seed's article page at / and the widget bundle at
 * /confab.iife.js. Port 0 picks a free port.
 * @param {{ port?: number, host?: string, seed?: Seed, dataFile?: string, distDir?: string,
 *   log?: (line: string) => void }} [options]
 */
export async function startServer(options = {}) {
  const { port = 0, host = '127.0.0.1', seed, dataFile, distDir = DEFAULT_DIST, log } = options;
  const threads = seed ? [{ thread: seed.thread, comments: seed.comments ?? [] }] : [];
  const store = createStore({ threads, dataFile });
  let url = '';
  const article = seed?.article;
  const thread = seed?.thread;
  const server = createProtocolServer({
    store,
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

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(undefined);
    });
  });
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;

  /** Stops listening and ends event streams; resolves once every connection is closed. */
  const close = () =>
    new Promise((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve(undefined)));
    });
  return { url, server, store, close };
}
