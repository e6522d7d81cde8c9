// Pages of comments, kept as the exact JSON bytes that were sent, until their thread changes.
// Reads far outnumber writes, so most reads cost no query and no serialization.
//
//   const cache = createPageCache();
//   const json = await cache.get('t1', 'oldest 20 ', async () => Buffer.from(JSON.stringify(page)));
//   cache.drop('t1'); // after any change in t1, here or on another instance
//
// A page rendered from data read before a change must not be kept after it: each thread's pages
// live in one entry that a change replaces, and a render stores its page only if the entry it
// started with is still the current one.

const MAX_PAGES = 1_000;

/** @typedef {{ pages: Map<string, Buffer>, rendering: Map<string, Promise<Buffer>> }} ThreadEntry */

export function createPageCache({ maxPages = MAX_PAGES } = {}) {
  /** @type {Map<string, ThreadEntry>} oldest first */
  let threads = new Map();
  let pageCount = 0;
  let enabled = true;

  /** @param {string} threadId */
  function drop(threadId) {
    const entry = threads.get(threadId);
    if (!entry) return;
    pageCount -= entry.pages.size;
    threads.delete(threadId);
  }

  /** @param {string} threadId @param {ThreadEntry} entry @param {string} key @param {Buffer} page */
  function keep(threadId, entry, key, page) {
    if (!enabled || threads.get(threadId) !== entry) return;
    entry.pages.set(key, page);
    pageCount += 1;
    for (const oldest of threads.keys()) {
      if (pageCount <= maxPages) break;
      drop(oldest);
    }
  }

  return {
    /**
     * The cached page, or `render()`'s, shared with any request for the same page meanwhile.
     * @param {string} threadId @param {string} key @param {() => Promise<Buffer>} render
     * @returns {Promise<Buffer>}
     */
    get(threadId, key, render) {
      if (!enabled) return render();
      let entry = threads.get(threadId);
      if (!entry) {
        entry = { pages: new Map(), rendering: new Map() };
        threads.set(threadId, entry);
      }
      const cached = entry.pages.get(key) ?? entry.rendering.get(key);
      if (cached) return Promise.resolve(cached);

      const current = entry;
      const page = render().then((body) => {
        keep(threadId, current, key, body);
        return body;
      });
      current.rendering.set(key, page);
      // Settled either way, the render is no longer shared; a failed one is tried afresh.
      page.finally(() => current.rendering.delete(key)).catch(() => {});
      return page;
    },

    drop,

    /**
     * Off while changes may go unheard (a lost LISTEN connection); on again, empty.
     * @param {boolean} on
     */
    setEnabled(on) {
      enabled = on;
      threads = new Map();
      pageCount = 0;
    },
  };
}

/** @typedef {ReturnType<typeof createPageCache>} PageCache */
