// The bench pages: the same short article, then one widget embedded as its docs say (script
// tag, and the stylesheet link for the peers), with bench/probe.js inlined first in <head>.
import { readFileSync } from 'node:fs';

const PROBES = {
  // The outsider's probe: comment text in the composed tree, whatever the markup (npm run bench).
  text: readFileSync(new URL('./probe.js', import.meta.url), 'utf8'),
  // The probe of the bench before 2026-12-04, which counted each widget's comment elements by
  // class and waited for a box: kept for bench/probe-compare.mjs.
  markup: readFileSync(new URL('./probe-markup.js', import.meta.url), 'utf8'),
};

export const WIDGETS = ['confab', 'confab-ssr', 'vanilla', 'artalk', 'waline'];

/** Where each widget renders, and the class its every comment element has. */
export const TARGETS = {
  confab: { host: 'confab', shadowBase: '.confab', cls: 'confab-comment' },
  'confab-ssr': { host: 'confab', shadowBase: '.confab', cls: 'confab-comment' },
  vanilla: { host: 'confab', shadowBase: '.confab', cls: 'confab-comment' },
  artalk: { host: 'artalk', cls: 'atk-comment' },
  waline: { host: 'waline', cls: 'wl-card-item' },
};

/** Top-level comments on each widget's first page, by default. */
export const DEFAULT_PAGE = { confab: 20, 'confab-ssr': 20, vanilla: 20, artalk: 20, waline: 10 };

function shell({ bench, head = '', host, script, title = 'Benchmark article', probe = 'text', inside = '' }) {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,"><title>${title}</title>
<script>window.__BENCH = ${JSON.stringify(bench)};
${PROBES[probe]}</script>
<style>body { margin: 0; font: 16px/1.5 system-ui, sans-serif; } main { max-width: 760px; margin: 0 auto; padding: 16px; }</style>
${head}</head>
<body><main><h1>${title}</h1>
<p>An article of a few lines stands here, as on any page that carries comments. The widget below loads with the page.</p>
<div id="${host}">${inside}</div></main>
${script}
</body></html>`;
}

/**
 * @param {object} o
 * @param {'confab'|'vanilla'|'artalk'|'waline'} o.widget
 * @param {string} o.origin   the bench server
 * @param {object} o.thread   the thread's `thread` info (id, url, title)
 * @param {'first'|'all'|'more'} o.mode  first: default page size; all: one page with everything;
 *   more (Confab only): pages of 100 top-level comments, "Load more" clicked until done
 * @param {number} o.expectFirst  comments on the widget's first page
 * @param {number} o.total        comments in the thread
 * @param {'text'|'markup'} [o.probe]  which probe times the page (bench/probe-compare.mjs)
 * @param {boolean} [o.handle]  Confab: mounted by hand from the script's onload, so that the
 *   bench holds the handle (its store is how the interactions insert a reply); otherwise by the
 *   script tag's data-* attributes, as a site owner embeds it
 * @param {string} [o.serverHtml]  confab-ssr: the server's rendering of the first page
 *   (confab/ssr), inside the widget's element as a site that renders its pages puts it
 */
export function benchPage({ widget, origin, thread, mode, expectFirst, total, timeoutMs, probe, handle, serverHtml }) {
  const target = TARGETS[widget];
  const bench = {
    ...target,
    expectFirst,
    expectAll: mode === 'first' ? 0 : total,
    clickMore: mode === 'more' ? '.confab-more button' : '',
    timeoutMs,
  };
  const roots = mode === 'first' ? DEFAULT_PAGE[widget] : total;
  if (widget === 'confab' || widget === 'confab-ssr') {
    const endpoint = `${origin}/confab/${mode === 'all' ? 'all' : 'paged'}`;
    const options = { endpoint, thread: thread.id, ...(mode === 'more' ? { pageSize: 100 } : {}) };
    const inside = widget === 'confab-ssr' ? serverHtml : '';
    if (handle)
      return shell({
        bench,
        probe,
        host: target.host,
        inside,
        script: `<script src="/s/confab.iife.js" data-auto-mount="false" async onload='window.__handle = Confab.mount(document.getElementById("confab"), ${JSON.stringify(options)})'></script>`,
      });
    const data = Object.entries(options)
      .map(([key, value]) => ` data-${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}="${value}"`)
      .join('');
    return shell({ bench, probe, host: target.host, inside, script: `<script src="/s/confab.iife.js"${data} async></script>` });
  }
  if (widget === 'vanilla') {
    const endpoint = `${origin}/confab/${mode === 'all' ? 'all' : 'paged'}`;
    return shell({
      bench,
      probe,
      host: target.host,
      script: `<script src="/s/vanilla-floor.js" data-endpoint="${endpoint}" data-thread="${thread.id}" data-page-size="${Math.min(roots, 100)}" async></script>`,
    });
  }
  if (widget === 'artalk') {
    // No third-party requests: no emoticon set from a CDN, avatars from the bench server, the
    // configuration from these options rather than the backend's.
    const options = {
      el: '#artalk',
      server: `${origin}/artalk/${thread.id}`,
      site: 'bench',
      pageKey: thread.url,
      pageTitle: thread.title,
      useBackendConf: false,
      emoticons: false,
      versionCheck: false,
      locale: 'en',
      pagination:
        mode === 'first'
          ? { pageSize: 20, readMore: true, autoLoad: true }
          : { pageSize: roots, readMore: false, autoLoad: false },
    };
    return shell({
      bench,
      probe,
      host: target.host,
      head: '<link rel="stylesheet" href="/s/artalk/Artalk.css">',
      script: `<script src="/s/artalk/Artalk.js" async onload='window.__artalk = Artalk.init(Object.assign(${JSON.stringify(options)}, { avatarURLBuilder: function () { return "${origin}/avatar.svg"; } }))'></script>`,
    });
  }
  if (widget === 'waline') {
    const options = {
      el: '#waline',
      serverURL: `${origin}/waline/${thread.id}`,
      path: thread.url,
      lang: 'en',
      emoji: false,
      search: false,
      reaction: false,
      pageview: false,
      comment: false,
      imageUploader: false,
      pageSize: mode === 'first' ? 10 : roots,
    };
    return shell({
      bench,
      probe,
      host: target.host,
      head: '<link rel="stylesheet" href="/s/waline/waline.css">',
      script: `<script src="/s/waline/waline.umd.js" async onload='window.__waline = Waline.init(${JSON.stringify(options)})'></script>`,
    });
  }
  throw new Error(`unknown widget ${widget}`);
}

/**
 * The bench page of one widget on a generated thread (bench/thread-gen.mjs) added to `server`:
 * the first page by default; `options` overrides benchPage's (mode, probe, handle, timeoutMs…).
 */
export function pageFor(server, generated, widget, options = {}) {
  return benchPage({
    widget,
    origin: server.url,
    thread: generated.thread,
    mode: 'first',
    expectFirst: server.firstPageCount(generated.thread.id, DEFAULT_PAGE[widget]),
    total: generated.comments.length,
    timeoutMs: 30_000,
    ...options,
  });
}

/** A page with the probe and nothing else: the heap and DOM a widget adds are measured above it. */
export function blankPage() {
  return shell({ bench: { host: 'none', cls: 'none', expectFirst: 0, expectAll: 0, timeoutMs: 1 }, host: 'none', script: '' });
}

/** The demo-like page for Lighthouse: the seed article, then Confab by script tag as the README says. */
export function demoPage({ origin, seed }) {
  const paragraphs = seed.article.paragraphs
    .map((p) => `<p>${p.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c])}</p>`)
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,"><title>${seed.article.title}</title>
<style>body { margin: 0; font: 18px/1.6 Georgia, serif; } main { max-width: 720px; margin: 0 auto; padding: 16px; }</style>
</head><body><main><article><h1>${seed.article.title}</h1>
${paragraphs}
</article>
<div id="confab"></div></main>
<script src="/s/confab.iife.js" data-endpoint="${origin}/confab/paged" data-thread="${seed.thread.id}" async></script>
</body></html>`;
}

/**
 * Resolves when the page's probe says it is done: a console message, so nothing is evaluated in
 * the page while it loads. Waiting with waitForFunction would inject Playwright's own script
 * into it mid-load, 15-35 ms of its main thread at whatever moment the first poll comes (seen in
 * bench/trace.mjs's traces): a cost to whichever widget is busy then. Call it before goto.
 */
export function probeDone(page, timeoutMs) {
  return page.waitForEvent('console', { predicate: (message) => message.text() === 'bench:done', timeout: timeoutMs });
}

/**
 * One fresh load of `url` in a new tab: the probe's marks, and when the widget's script arrived
 * and its first data request went out and came back (resource timing), ms from navigation start.
 */
export async function loadProbed(browser, url, timeoutMs = 30_000) {
  const page = await browser.context.newPage();
  try {
    const done = probeDone(page, timeoutMs);
    await page.goto(url, { waitUntil: 'commit' });
    await done;
    return await page.evaluate(() => {
      const entries = performance.getEntriesByType('resource');
      const script = entries.find((e) => /\/s\/.*\.js$/.test(e.name));
      const data = entries.find((e) => /\/confab\/paged\/threads\/|\/api\/comment\?/.test(e.name));
      return {
        ...window.__bench.marks,
        scriptEnd: script?.responseEnd,
        dataStart: data?.startTime,
        dataEnd: data?.responseEnd,
        longestTask: Math.max(0, ...window.__bench.longTasks.map(([, duration]) => duration)),
        // Chromium's coarse figure (no GC first): enough to see a leak, not to compare heaps.
        heapMB: performance.memory ? Math.round(performance.memory.usedJSHeapSize / 1e6) : NaN,
      };
    });
  } finally {
    await page.close();
  }
}
