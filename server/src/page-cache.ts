// Pages of comments, kept as the exact JSON bytes that were sent, and comment counts, until their
// thread changes. Reads far outnumber writes, so most reads cost no query and no serialization.
//
//   const cache = createPageCache();
//   const json = await cache.get('t1', 'oldest 20 ', async () => Buffer.from(JSON.stringify(page)));
//   const counts = await cache.counts(['t1', 't2'], (missing) => store.counts(missing));
//   cache.drop('t1'); // after any change in t1, here or on another instance
//
// A page or count read before a change must not be kept after it: each thread's pages and count
// live in one entry that a change replaces, and a render stores its result only if the entry it
// started with is still the current one.

/** Pages and counts kept at most, together. */
const MAX_PAGES = 1_000;

export type ThreadEntry = {
  /** Tells this entry from the thread's earlier and later ones without holding on to them. */
  serial: number;
  pages: Map<string, Buffer>;
  rendering: Map<string, Promise<Buffer>>;
  /** When each page with a `maxAgeMs` was kept. */
  keptAt?: Map<string, number>;
  count?: number;
};

export function createPageCache({ maxPages = MAX_PAGES } = {}) {
  /** oldest first */
  let threads = new Map<string, ThreadEntry>();
  let pageCount = 0;
  let enabled = true;
  // Counts answers name the entries they were made from by serial: an answer must not keep a
  // dropped entry, with its pages, alive.
  const answers = new Map<string, { body: Buffer; entries: Array<[string, number]> }>();
  let serials = 0;

  function drop(threadId: string) {
    const entry = threads.get(threadId);
    if (!entry) return;
    pageCount -= entry.pages.size + (entry.count === undefined ? 0 : 1);
    threads.delete(threadId);
  }

  function entryOf(threadId: string): ThreadEntry {
    let entry = threads.get(threadId);
    if (!entry) {
      entry = { serial: ++serials, pages: new Map(), rendering: new Map() };
      threads.set(threadId, entry);
    }
    return entry;
  }

  /** Counts one more item kept, dropping the oldest threads past the limit. */
  function added() {
    pageCount += 1;
    for (const oldest of threads.keys()) {
      if (pageCount <= maxPages) break;
      drop(oldest);
    }
  }

  function keep(threadId: string, entry: ThreadEntry, key: string, page: Buffer) {
    if (!enabled || threads.get(threadId) !== entry) return;
    entry.pages.set(key, page);
    added();
  }

  return {
    /**
     * The cached page, or `render()`'s, shared with any request for the same page meanwhile;
     * with `maxAgeMs`, rendered again once older than that (HTML that says "3 minutes ago").
     */
    get(threadId: string, key: string, render: () => Promise<Buffer>, maxAgeMs?: number): Promise<Buffer> {
      if (!enabled) return render();
      const entry = entryOf(threadId);
      if (maxAgeMs !== undefined && entry.pages.has(key) && Date.now() - (entry.keptAt?.get(key) ?? 0) > maxAgeMs) {
        entry.pages.delete(key);
        pageCount -= 1;
      }
      const cached = entry.pages.get(key) ?? entry.rendering.get(key);
      if (cached) return Promise.resolve(cached);

      const current = entry;
      const page = render().then((body) => {
        keep(threadId, current, key, body);
        if (maxAgeMs !== undefined) (current.keptAt ??= new Map()).set(key, Date.now());
        return body;
      });
      current.rendering.set(key, page);
      // Settled either way, the render is no longer shared; a failed one is tried afresh.
      page.finally(() => current.rendering.delete(key)).catch(() => {});
      return page;
    },

    /**
     * Published comments per thread: the cached counts, and the others from one `load` call for
     * all of them, kept until their thread changes. Keys in the order of `threadIds`.
     */
    async counts(
      threadIds: string[],
      load: (missing: string[]) => Promise<Record<string, number>>,
    ): Promise<Record<string, number>> {
      if (!enabled) return load(threadIds);
      const known = new Map<string, number>();
      const missing = new Map<string, ThreadEntry>();
      for (const id of threadIds) {
        const entry = entryOf(id);
        if (entry.count === undefined) missing.set(id, entry);
        else known.set(id, entry.count);
      }
      if (missing.size > 0) {
        const loaded = await load([...missing.keys()]);
        for (const [id, entry] of missing) {
          const count = loaded[id] ?? 0;
          known.set(id, count);
          if (enabled && threads.get(id) === entry && entry.count === undefined) {
            entry.count = count;
            added();
          }
        }
      }
      // fromEntries, unlike assignment, keeps an id such as "__proto__" an ordinary key.
      return Object.fromEntries(threadIds.map((id) => [id, known.get(id) ?? 0]));
    },

    /**
     * The JSON answer of a counts request, kept by `key` (its query string) while every thread in
     * it keeps its cached count: a listing page asks the same question again and again, and then
     * nothing is parsed, checked or serialized. `readIds` checks the request (and may throw).
     */
    async countsAnswer(
      key: string,
      readIds: () => string[],
      load: (missing: string[]) => Promise<Record<string, number>>,
    ): Promise<Buffer> {
      const kept = enabled ? answers.get(key) : undefined;
      if (kept?.entries.every(([id, serial]) => threads.get(id)?.serial === serial)) return kept.body;
      const ids = readIds();
      // The entries the answer is made from; if any is replaced meanwhile, the answer may hold
      // a count from before the change, and is not kept.
      const serialsBefore = ids.map((id) => entryOf(id).serial);
      const body = Buffer.from(JSON.stringify({ counts: await this.counts(ids, load) }));
      const unchanged = ids.every((id, i) => {
        const entry = threads.get(id);
        return entry !== undefined && entry.serial === serialsBefore[i] && entry.count !== undefined;
      });
      if (enabled && unchanged) {
        if (answers.size >= MAX_PAGES) answers.clear();
        answers.set(key, { body, entries: ids.map((id, i) => [id, serialsBefore[i]!]) });
      }
      return body;
    },

    drop,

    /** Off while changes may go unheard (a lost LISTEN connection); on again, empty. */
    setEnabled(on: boolean) {
      enabled = on;
      threads = new Map();
      answers.clear();
      pageCount = 0;
    },
  };
}

export type PageCache = ReturnType<typeof createPageCache>;
