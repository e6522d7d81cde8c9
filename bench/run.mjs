// `npm run bench` (after `npm run build`): Confab in headless Chromium against a vanilla DOM
// floor and two peers, Artalk 2.9.1 and Waline 3.15.2, each fed the same generated threads by a
// mock of its own API on 127.0.0.1 (bench/mock-server.mjs), each timed the same way, as an
// outside observer would: when the comment's text exists in the page (bench/probe.js, which
// knows nothing of any widget's markup). Writes docs/benchmarks.json and the "Size" and
// "Widget in the browser" sections of docs/benchmarks.md (bench/report.mjs).
//
// For each thread size (100, 1,000, 10,000 comments), widget, and mode, RUNS fresh page loads:
//   first  each widget's own first page (Confab 20 top-level comments and their replies,
//          Artalk 20, Waline 10; the floor like Confab): first comment's text, whole first
//          view, longest task, heap after GC, DOM nodes per comment; also Confab with the
//          server's rendering of its first page in the page (confab-ssr, confab/ssr)
//   all    every comment on one page: the mocks answer the whole thread to a page size that
//          covers it (Confab's /confab/all endpoint; Artalk and Waline asked for pageSize = all)
//   more   Confab only: pages of 100 top-level comments, "Load more" clicked until done: what
//          a reader asking for everything does on a server that pages
// Then, in the largest thread, RUNS more loads of Confab mounted by hand (the handle's store
// inserts a reply deep in the tree), where it collapses a subtree and switches sort
// (bench/interactions.js); one CPU profile of Confab (mapped to src/ through the IIFE's source
// map), and Lighthouse on a demo-like page. Why the figures before 2026-12-04 differed from an
// outside measurement: bench/probe-compare.mjs and docs/benchmarks.md.
//
// Environment: BENCH_RUNS (5), BENCH_SIZES (100,1000,10000), BENCH_WIDGETS
// (confab,confab-ssr,vanilla,artalk,waline), BENCH_LIGHTHOUSE_RUNS (3; 0 skips), BENCH_NO_WRITE=1 (print
// only), BENCH_LOAD_TIMEOUT_MS (120000: a load slower than this counts as "over"),
// BENCH_SINGLE_RUN_MS (20000: a load slower than this is not repeated; Artalk's 10,000 is).
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { launchBrowser, CHROMIUM } from '../scripts/chromium.mjs';
import { sizes as sizeFigures } from '../scripts/size.mjs';
import { startMockServer } from './mock-server.mjs';
import { generateThread, describe } from './thread-gen.mjs';
import { benchPage, blankPage, demoPage, DEFAULT_PAGE, probeDone, TARGETS, WIDGETS } from './pages.mjs';
import { heapLoad, profileLoad } from './profile.mjs';
import { writeReport } from './report.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const RUNS = Number(process.env.BENCH_RUNS || 5);
const SIZES = (process.env.BENCH_SIZES || '100,1000,10000').split(',').map(Number);
const WIDGET_LIST = (process.env.BENCH_WIDGETS || WIDGETS.join(',')).split(',');
const LIGHTHOUSE_RUNS = Number(process.env.BENCH_LIGHTHOUSE_RUNS ?? 3);
const LOAD_TIMEOUT_MS = Number(process.env.BENCH_LOAD_TIMEOUT_MS || 120_000);
const SETTLE_MS = 400;
const SINGLE_RUN_MS = Number(process.env.BENCH_SINGLE_RUN_MS || 20_000);
const INTERACTIONS = readFileSync(new URL('./interactions.js', import.meta.url), 'utf8');
const startedAt = Date.now();
const loadAtStart = loadavg().map((l) => +l.toFixed(2));
const log = (...args) => console.log(`[${((Date.now() - startedAt) / 1000).toFixed(0).padStart(4)} s]`, ...args);

export const median = (values) => {
  const sorted = values.filter((v) => typeof v === 'number' && Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** Which widget runs which modes: "more" is Confab's own paging; its server rendering is a first view. */
const measured = (widget, mode) => (mode === 'more' ? widget === 'confab' : widget !== 'confab-ssr' || mode === 'first');

/** The server's rendering of a thread's first page (dist/ssr.js), from the mock's own answer to the widget's request. */
async function renderFirstPage(server, threadId) {
  const { renderThreadHtml } = await import(new URL('../dist/ssr.js', import.meta.url).href);
  const page = await fetch(
    `${server.url}/confab/paged/threads/${encodeURIComponent(threadId)}/comments?sort=oldest&limit=20`,
  ).then((response) => response.json());
  return renderThreadHtml({ thread: threadId, page });
}

/** Nodes (any type) and elements under the widget's host, shadow roots included. */
function domCount({ host: hostId, cls }) {
  const host = document.getElementById(hostId);
  let nodes = 0;
  let elements = 0;
  const stack = host ? [host.shadowRoot ?? null, ...host.childNodes].filter(Boolean) : [];
  while (stack.length > 0) {
    const node = stack.pop();
    nodes++;
    if (node.nodeType === 1) {
      elements++;
      if (node.shadowRoot) stack.push(node.shadowRoot);
    }
    for (let child = node.firstChild; child; child = child.nextSibling) stack.push(child);
  }
  const scope = host?.shadowRoot ?? host;
  const comments = scope ? scope.querySelectorAll(`.${cls}`).length : 0;
  return { nodes, elements, comments };
}

async function gcAndHeap(cdp) {
  for (let i = 0; i < 3; i++) await cdp.send('HeapProfiler.collectGarbage');
  const heap = await cdp.send('Runtime.getHeapUsage');
  let counters = null;
  try {
    counters = await cdp.send('Memory.getDOMCounters');
  } catch {
    // Not every Chromium build has it; the figures stay null.
  }
  return {
    heapUsed: heap.usedSize,
    documents: counters?.documents ?? null,
    domNodes: counters?.nodes ?? null,
    listeners: counters?.jsEventListeners ?? null,
  };
}

const metricsOf = async (cdp) =>
  Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));

/** One fresh tab: load `path`, wait for the probe, settle, measure; `after` runs extra steps. */
async function load(browser, server, path, { target, after } = {}) {
  const page = await browser.context.newPage();
  const cdp = await browser.context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const offHost = [];
  const errors = [];
  page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith('http://127.0.0.1') && !url.startsWith('data:')) offHost.push(url);
  });
  page.on('pageerror', (error) => errors.push(error.message));
  try {
    const done = probeDone(page, LOAD_TIMEOUT_MS + 5_000);
    await page.goto(server.url + path, { waitUntil: 'commit' });
    await done;
    // Settle: the comment count stays put for SETTLE_MS (bounded).
    let last = -1;
    for (let i = 0; i < 20; i++) {
      const count = await page.evaluate(() => window.__bench.count());
      if (count === last) break;
      last = count;
      await page.waitForTimeout(SETTLE_MS);
    }
    const probe = await page.evaluate(() => ({
      marks: window.__bench.marks,
      longTasks: window.__bench.longTasks,
      layoutShift: window.__bench.layoutShift,
      timedOut: !!window.__bench.timedOut,
      clicks: window.__bench.clicks,
    }));
    // When the widget's script arrived, and when its first data request went out and came back.
    // And when the page's own HTML had arrived: the floor under every widget's first comment.
    const resources = await page.evaluate(() =>
      [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')].map((e) => ({
        name: e.name,
        start: e.startTime,
        end: e.responseEnd,
      })),
    );
    const script = resources.find((e) => /\/s\/.*\.js$/.test(e.name));
    const data = resources.find((e) => /\/confab\/(paged|all)\/threads\/|\/api\/v2\/comments|\/api\/comment\?/.test(e.name));
    const timeline = {
      pageLoaded: resources[0]?.end ?? null,
      scriptLoaded: script?.end ?? null,
      dataRequested: data?.start ?? null,
      dataReceived: data?.end ?? null,
    };
    const metrics = await metricsOf(cdp);
    const dom = target ? await page.evaluate(domCount, target) : null;
    const memory = await gcAndHeap(cdp);
    const extra = after ? await after(page) : undefined;
    return {
      ...probe,
      dom,
      ...memory,
      script: Math.round(metrics.ScriptDuration * 1000),
      style: Math.round(metrics.RecalcStyleDuration * 1000),
      layout: Math.round(metrics.LayoutDuration * 1000),
      task: Math.round(metrics.TaskDuration * 1000),
      longestTask: probe.longTasks.reduce((max, [, d]) => Math.max(max, d), 0),
      timeline,
      offHost,
      errors,
      extra,
    };
  } catch (error) {
    return { failed: String(error.message || error).split('\n')[0], offHost, errors };
  } finally {
    await page.close();
  }
}

function summarize(runs, mode) {
  const ok = runs.filter((r) => !r.failed && !r.timedOut);
  const pick = (f) => median(ok.map(f));
  const perComment = (r) => (r.dom && r.dom.comments ? r.dom.nodes / r.dom.comments : null);
  return {
    runs: runs.length,
    completed: ok.length,
    // The outsider's figures: the comment's text in the page (bench/probe.js), and the frame
    // painted after it.
    first: pick((r) => r.marks.first),
    firstPainted: pick((r) => r.marks.firstPainted),
    firstView: pick((r) => r.marks.firstView),
    firstViewPainted: pick((r) => r.marks.firstViewPainted),
    all: mode === 'first' ? null : pick((r) => r.marks.all),
    allPainted: mode === 'first' ? null : pick((r) => r.marks.allPainted),
    longestTask: pick((r) => r.longestTask),
    longTasksOver100: pick((r) => r.longTasks.filter(([, d]) => d > 100).length),
    layoutShift: pick((r) => r.layoutShift),
    heapUsed: pick((r) => r.heapUsed),
    commentsInDom: pick((r) => r.dom?.comments),
    nodesPerComment: pick(perComment),
    elementsPerComment: pick((r) => (r.dom && r.dom.comments ? r.dom.elements / r.dom.comments : null)),
    listeners: pick((r) => r.listeners),
    script: pick((r) => r.script),
    style: pick((r) => r.style),
    layout: pick((r) => r.layout),
    clicks: mode === 'more' ? pick((r) => r.clicks) : undefined,
    pageLoaded: pick((r) => r.timeline?.pageLoaded),
    parsed: pick((r) => r.marks?.parsed),
    scriptLoaded: pick((r) => r.timeline?.scriptLoaded),
    dataRequested: pick((r) => r.timeline?.dataRequested),
    dataReceived: pick((r) => r.timeline?.dataReceived),
    failures: runs.filter((r) => r.failed || r.timedOut).map((r) => r.failed || 'timed out'),
  };
}

function chromiumVersion() {
  return new Promise((resolve) => {
    const child = spawn(CHROMIUM, ['--version'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('exit', () => resolve(out.trim()));
    child.on('error', () => resolve('unknown'));
  });
}

/** Lighthouse 12 on the demo-like page, with Debian's Chromium in its own process. */
function lighthouse(url, preset) {
  return new Promise((resolve) => {
    const output = `/tmp/confab-lighthouse-${process.pid}-${Date.now()}.json`;
    const args = [
      url,
      '--quiet',
      '--only-categories=performance',
      '--output=json',
      `--output-path=${output}`,
      `--chrome-path=${CHROMIUM}`,
      '--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage',
      ...(preset ? [`--preset=${preset}`] : []),
    ];
    const child = spawn(`${root}node_modules/.bin/lighthouse`, args, {
      env: { ...process.env, CHROME_PATH: CHROMIUM },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      try {
        const report = JSON.parse(readFileSync(output, 'utf8'));
        rmSync(output, { force: true });
        const audit = (id) => report.audits[id]?.numericValue ?? null;
        resolve({
          tbt: audit('total-blocking-time'),
          cls: audit('cumulative-layout-shift'),
          fcp: audit('first-contentful-paint'),
          lcp: audit('largest-contentful-paint'),
          tti: audit('interactive'),
          score: report.categories.performance.score,
          formFactor: report.configSettings.formFactor,
          throttling: report.configSettings.throttlingMethod,
          runtimeError: report.runtimeError?.message ?? null,
        });
      } catch (error) {
        resolve({
          error: `lighthouse exited ${code}: ${stderr.split('\n').filter(Boolean).slice(-3).join(' | ') || error.message}`,
        });
      }
    });
    child.on('error', (error) => resolve({ error: String(error) }));
  });
}

/** Which code was measured: the commit, whether the tree had changes, the bundle's hash. */
function provenance(bundle) {
  const git = (args) => {
    try {
      return execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      return null;
    }
  };
  return {
    commit: git(['rev-parse', '--short', 'HEAD']),
    uncommittedChanges: (git(['--no-optional-locks', 'diff', '--name-only', 'HEAD', '--', 'src']) ?? '') !== '',
    bundleSha256: createHash('sha256').update(bundle).digest('hex').slice(0, 16),
  };
}

async function main() {
  const server = await startMockServer();
  // Sizes now, from the same dist/ the server has just snapshotted.
  const sizeRows = await sizeFigures({ withReference: true });
  const code = provenance(server.bundle);
  const threads = new Map(SIZES.map((size) => [size, generateThread(size)]));
  for (const thread of threads.values()) server.addThread(thread);
  const seed = JSON.parse(readFileSync(new URL('../demo/seed/thread.json', import.meta.url), 'utf8'));
  server.addThread({ thread: { ...seed.thread, commentCount: seed.comments.length }, comments: seed.comments });

  const browser = await launchBrowser();
  const results = {};
  const raw = {};
  let blankHeap;
  let interactions = [];
  let profile = null;
  let offHostTotal = 0;
  const pageErrors = [];
  try {
    // The heap and DOM listeners of a page with the probe and no widget.
    server.setPage('/p/blank.html', blankPage());
    const blanks = [];
    for (let i = 0; i < 3; i++) blanks.push(await load(browser, server, '/p/blank.html'));
    blankHeap = { heapUsed: median(blanks.map((b) => b.heapUsed)), listeners: median(blanks.map((b) => b.listeners)) };
    log(`blank page: heap ${(blankHeap.heapUsed / 1e6).toFixed(2)} MB, ${blankHeap.listeners} listeners`);

    const largest = Math.max(...SIZES);
    for (const size of SIZES) {
      const thread = threads.get(size);
      const modes = ['first', 'all', ...(size >= 1000 ? ['more'] : [])];
      results[size] = {};
      raw[size] = {};
      // The deepest comment (its reply lands at depth 8 + 1), the top-level comment with the
      // most replies, and the newest top-level comment.
      const deepest = [...thread.depth].reduce((best, entry) => (entry[1] > best[1] ? entry : best));
      // Replies below each comment (children come after parents, so walk backwards).
      const replies = new Map();
      for (const c of [...thread.comments].reverse()) {
        if (c.parentId) replies.set(c.parentId, (replies.get(c.parentId) ?? 0) + (replies.get(c.id) ?? 0) + 1);
      }
      const roots = thread.comments.filter((c) => c.parentId === null);
      const collapseId = roots.reduce((best, c) => ((replies.get(c.id) ?? 0) > (replies.get(best.id) ?? 0) ? c : best)).id;
      const newestFirstId = roots.reduce((best, c) => (Date.parse(c.createdAt) > Date.parse(best.createdAt) ? c : best)).id;

      // The server's rendering of the first page (confab/ssr), as a site would put it in its page.
      const serverHtml = WIDGET_LIST.includes('confab-ssr') ? await renderFirstPage(server, thread.thread.id) : '';
      const pageOf = (widget, mode, handle = false) =>
        benchPage({
          widget,
          origin: server.url,
          thread: thread.thread,
          mode,
          expectFirst: server.firstPageCount(thread.thread.id, DEFAULT_PAGE[widget]),
          total: size,
          timeoutMs: LOAD_TIMEOUT_MS,
          handle,
          serverHtml,
        });
      for (const widget of WIDGET_LIST) {
        for (const mode of modes) {
          if (!measured(widget, mode)) continue;
          server.setPage(`/p/${widget}-${size}-${mode}.html`, pageOf(widget, mode));
        }
      }
      // The interactions need the mount's handle: their own page, loads not counted above.
      if (size === largest && WIDGET_LIST.includes('confab'))
        server.setPage(`/p/confab-${size}-all-handle.html`, pageOf('confab', 'all', true));
      // Runs interleaved across widgets, so that drift in the machine touches all alike.
      const skip = new Set();
      for (let run = 0; run < RUNS; run++) {
        for (const widget of WIDGET_LIST) {
          for (const mode of modes) {
            if (!measured(widget, mode)) continue;
            const key = `${widget}/${mode}`;
            raw[size][key] ??= [];
            if (skip.has(key)) continue;
            const result = await load(browser, server, `/p/${widget}-${size}-${mode}.html`, { target: TARGETS[widget] });
            offHostTotal += result.offHost?.length ?? 0;
            pageErrors.push(...(result.errors ?? []).map((e) => `${widget} ${size} ${mode}: ${e}`));
            const { extra: _extra, offHost, errors, ...kept } = result;
            raw[size][key].push({ ...kept, ...(offHost?.length ? { offHost } : {}), ...(errors?.length ? { errors } : {}) });
            const m = result.marks ?? {};
            log(
              `${String(size).padStart(5)} ${widget.padEnd(7)} ${mode.padEnd(5)} run ${run + 1}: ${result.failed ? `FAILED ${result.failed}` : `first ${m.first?.toFixed(0)} ms (painted ${m.firstPainted?.toFixed(0)}), view ${m.firstView?.toFixed(0)} ms${m.all ? `, all ${m.all.toFixed(0)} ms` : ''}${result.timedOut ? ' (timed out)' : ''}, longest task ${result.longestTask} ms, ${result.dom?.comments} comments, heap ${(result.heapUsed / 1e6).toFixed(1)} MB`}${result.offHost?.length ? `, OFF-HOST ${result.offHost.length}` : ''}${result.errors?.length ? `, errors: ${result.errors.slice(0, 2).join(' | ')}` : ''}`,
            );
            // A load that timed out will not be faster next time: one is enough to say "over".
            // A load slower than SINGLE_RUN_MS is measured once, to keep the bench near 10 min.
            if (result.failed || result.timedOut || (result.marks?.allPainted ?? 0) > SINGLE_RUN_MS) skip.add(key);
          }
        }
      }
      if (size === largest && WIDGET_LIST.includes('confab')) {
        for (let run = 0; run < RUNS; run++) {
          const result = await load(browser, server, `/p/confab-${size}-all-handle.html`, {
            after: (page) =>
              page.evaluate(
                `(${INTERACTIONS.replace(/^[\s\S]*?(async function confabInteractions)/, '$1')})(${JSON.stringify({
                  deepParentId: deepest[0],
                  deepDepth: deepest[1],
                  collapseId,
                  newestFirstId,
                  total: size,
                })})`,
              ),
          });
          if (result.extra) interactions.push(result.extra);
          log(
            `${String(size).padStart(5)} confab interactions run ${run + 1}${result.failed ? `: FAILED ${result.failed}` : ''}`,
          );
        }
      }
      for (const [key, runs] of Object.entries(raw[size])) {
        const [widget, mode] = key.split('/');
        results[size][widget] ??= {};
        results[size][widget][mode] = summarize(runs, mode);
      }
    }

    // A CPU profile of Confab's heaviest load, for the causes of its cost.
    if (WIDGET_LIST.includes('confab')) {
      const size = Math.max(...SIZES);
      log(`CPU profile: Confab, ${size} comments, all`);
      profile = await profileLoad(browser, server, `/p/confab-${size}-all.html`, LOAD_TIMEOUT_MS);
      const firstSize = SIZES.includes(1000) ? 1000 : size;
      log(`CPU profile: Confab, ${firstSize} comments, first view`);
      const first = await profileLoad(browser, server, `/p/confab-${firstSize}-first.html`, LOAD_TIMEOUT_MS);
      log(`heap allocation sites: Confab, ${size} comments, all`);
      const heap = await heapLoad(browser, server, `/p/confab-${size}-all.html`, LOAD_TIMEOUT_MS);
      profile = { all: { size, ...profile }, first: { size: firstSize, ...first }, heap: { size, ...heap } };
    }
  } finally {
    await browser.close();
  }

  // Lighthouse on the demo-like page: the seed article, then the widget by script tag.
  const lighthouseRuns = { mobile: [], desktop: [] };
  if (LIGHTHOUSE_RUNS > 0) {
    server.setPage('/demo.html', demoPage({ origin: server.url, seed }));
    for (let i = 0; i < LIGHTHOUSE_RUNS; i++) {
      for (const preset of ['mobile', 'desktop']) {
        const result = await lighthouse(`${server.url}/demo.html`, preset === 'desktop' ? 'desktop' : null);
        lighthouseRuns[preset].push(result);
        log(
          `lighthouse ${preset} run ${i + 1}: ${result.error ?? `TBT ${result.tbt} ms, CLS ${result.cls}, FCP ${result.fcp?.toFixed(0)} ms, LCP ${result.lcp?.toFixed(0)} ms`}`,
        );
      }
    }
  }
  const requestCounts = server.requestCounts();
  await server.close();

  const lighthouseSummary = Object.fromEntries(
    Object.entries(lighthouseRuns).map(([preset, runs]) => {
      const ok = runs.filter((r) => !r.error);
      return [
        preset,
        {
          runs: runs.length,
          tbt: median(ok.map((r) => r.tbt)),
          cls: median(ok.map((r) => r.cls)),
          fcp: median(ok.map((r) => r.fcp)),
          lcp: median(ok.map((r) => r.lcp)),
          tti: median(ok.map((r) => r.tti)),
          score: median(ok.map((r) => r.score)),
          throttling: ok[0]?.throttling ?? null,
          errors: runs.filter((r) => r.error).map((r) => r.error),
        },
      ];
    }),
  );

  const interactionSummary =
    interactions.length === 0 || interactions.some((i) => i.error)
      ? { error: interactions.find((i) => i.error)?.error ?? 'not run' }
      : {
          runs: interactions.length,
          insert: {
            scriptMs: median(interactions.map((i) => i.insert.scriptMs)),
            warmScriptMs: median(interactions.map((i) => i.insert.warmScriptMs)),
            paintedMs: median(interactions.map((i) => i.insert.paintedMs)),
            renders: median(interactions.map((i) => i.insert.renders)),
            commentRenders: median(
              interactions.map(
                (i) =>
                  (i.insert.byName.Comment ?? 0) + (i.insert.byName['Comment (new)'] ?? 0) + (i.insert.byName.FlatReplies ?? 0),
              ),
            ),
            replyDepth: interactions[0].insert.replyDepth,
            byName: interactions[0].insert.byName,
            inDomAfterMicrotasks: interactions.every((i) => i.insert.inDomAfterMicrotasks),
          },
          collapse: {
            scriptMs: median(interactions.map((i) => i.collapse.scriptMs)),
            paintedMs: median(interactions.map((i) => i.collapse.paintedMs)),
            renders: median(interactions.map((i) => i.collapse.renders)),
            byName: interactions[0].collapse.byName,
            commentsLeft: interactions[0].collapse.commentsLeft,
          },
          sort: {
            paintedMs: median(interactions.map((i) => i.sort.paintedMs)),
            renders: median(interactions.map((i) => i.sort.renders)),
            longestTaskMs: median(interactions.map((i) => i.sort.longestTaskMs)),
            commentsShown: interactions[0].sort.commentsShown,
            byName: interactions[0].sort.byName,
          },
        };

  const data = {
    generated: new Date().toISOString(),
    command: 'npm run bench',
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      memoryGB: +(totalmem() / 1e9).toFixed(1),
      node: process.version,
      chromium: await chromiumVersion(),
      headless: true,
      viewport: '1000x900',
      // Other work on the machine skews figures; the 1-minute load average at start and end.
      loadAverage: { start: loadAtStart[0], end: +loadavg()[0].toFixed(2) },
    },
    settings: {
      runs: RUNS,
      sizes: SIZES,
      widgets: WIDGET_LIST,
      loadTimeoutMs: LOAD_TIMEOUT_MS,
      versions: { artalk: '2.9.1', waline: '3.15.2' },
    },
    threads: Object.fromEntries([...threads].map(([size, thread]) => [size, describe(thread)])),
    blankPage: blankHeap,
    results,
    interactions: interactionSummary,
    interactionRuns: interactions,
    profile,
    lighthouse: lighthouseSummary,
    lighthouseRuns,
    size: sizeRows,
    code,
    requestCounts,
    offHostRequests: offHostTotal,
    pageErrors: [...new Set(pageErrors)].slice(0, 20),
    raw,
    durationSeconds: Math.round((Date.now() - startedAt) / 1000),
  };
  if (process.env.BENCH_NO_WRITE === '1') {
    console.log(JSON.stringify({ results, interactions: interactionSummary, lighthouse: lighthouseSummary }, null, 2));
  } else {
    writeFileSync(new URL('../docs/benchmarks.json', import.meta.url), `${JSON.stringify(data, null, 2)}\n`);
    writeReport(data);
    log('wrote docs/benchmarks.json and docs/benchmarks.md');
  }
  log(`done in ${data.durationSeconds} s`);
}

await main();
