// docs/benchmarks.md: the "Size" and "Widget in the browser" sections, from the figures that
// bench/run.mjs collected (also in docs/benchmarks.json). Other sections of the file are kept.
// A "### Top causes of cost" subsection written by hand under "Widget in the browser" is
// carried over from the previous file, since it is analysis rather than a measurement.
import { existsSync, readFileSync } from 'node:fs';
import { sizeSection } from '../scripts/size.mjs';
import { BENCHMARKS_MD, updateSections } from './docs-sections.mjs';

const CAUSES_HEADING = '### Top causes of cost';
const NAMES = {
  confab: 'Confab',
  'confab-ssr': "Confab, server's first view",
  vanilla: 'vanilla floor',
  artalk: 'Artalk 2.9.1',
  waline: 'Waline 3.15.2',
};
const PEERS = ['artalk', 'waline'];

const ms = (v) => (v === null || v === undefined ? '–' : `${Math.round(v).toLocaleString('en-US')} ms`);
const mb = (v) => (v === null || v === undefined ? '–' : `${(v / 1e6).toFixed(1)} MB`);
const x = (a, b) => (a === null || b === null || a === undefined || b === undefined || b === 0 ? '–' : `${(a / b).toFixed(2)}×`);
const num = (v, digits = 1) => (v === null || v === undefined ? '–' : v.toFixed(digits));

function carriedCauses() {
  if (!existsSync(BENCHMARKS_MD)) return null;
  const text = readFileSync(BENCHMARKS_MD, 'utf8');
  const start = text.indexOf(CAUSES_HEADING);
  if (start < 0) return null;
  const rest = text.slice(start);
  const end = rest.slice(CAUSES_HEADING.length).search(/\n##+ /);
  return (end < 0 ? rest : rest.slice(0, CAUSES_HEADING.length + end)).trim();
}

/** The fastest peer (lowest value) for a figure, as [name, value]. */
function bestPeer(bySize, pick) {
  let best = null;
  for (const peer of PEERS) {
    const value = bySize[peer] ? pick(bySize[peer]) : null;
    if (value !== null && value !== undefined && (best === null || value < best[1])) best = [peer, value];
  }
  return best;
}

function sizeTable(size, r, data) {
  const threads = data.threads[size];
  const rows = [];
  rows.push(
    `#### ${size.toLocaleString('en-US')} comments (${threads.topLevel.toLocaleString('en-US')} top level, depth histogram ${threads.depthHistogram.join('/')})`,
  );
  rows.push('');
  rows.push(
    '| widget | first comment: text in page / painted | first view (comments) | all rendered | longest task: first view / all | heap after GC, all shown | DOM nodes / comment (elements) | listeners, all shown | layout shift, first view |',
  );
  rows.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const widget of ['confab', 'confab-ssr', 'vanilla', ...PEERS]) {
    const w = r[widget];
    if (!w) continue;
    const f = w.first ?? {};
    const a = w.all ?? {};
    const over = !w.all
      ? ''
      : a.failures?.length && a.completed === 0
        ? `> ${Math.round(data.settings.loadTimeoutMs / 1000)} s`
        : `${ms(a.all)}${a.runs < data.settings.runs ? ` (${a.runs} run)` : ''}`;
    rows.push(
      `| ${NAMES[widget]} | ${ms(f.first)} / ${ms(f.firstPainted)} | ${ms(f.firstView)} (${f.commentsInDom ?? '–'}) | ${over} | ${ms(f.longestTask)} / ${w.all ? ms(a.longestTask) : ''} | ${w.all ? `${mb(a.heapUsed)} (+${mb(a.heapUsed - data.blankPage.heapUsed)})` : ''} | ${w.all ? `${num(a.nodesPerComment)} (${num(a.elementsPerComment)})` : ''} | ${a.listeners ?? ''} | ${num(f.layoutShift, 3)} |`,
    );
  }
  if (r.confab?.more) {
    const m = r.confab.more;
    rows.push(
      `| Confab, "Load more" until done (pages of 100) | ${ms(m.first)} / ${ms(m.firstPainted)} | | ${ms(m.all)} (${m.clicks} clicks) | – / ${ms(m.longestTask)} | ${mb(m.heapUsed)} | ${num(m.nodesPerComment)} | ${m.listeners ?? '–'} | |`,
    );
  }
  rows.push('');
  // Ratios.
  const c = r.confab;
  if (c) {
    const bf = bestPeer(r, (w) => w.first?.first);
    const bv = bestPeer(r, (w) => w.first?.firstView);
    const ba = bestPeer(r, (w) => w.all?.all);
    const bh = bestPeer(r, (w) => w.all?.heapUsed);
    const bn = bestPeer(r, (w) => w.all?.nodesPerComment);
    const ssr = r['confab-ssr']?.first;
    rows.push(
      "| Confab ÷ | first comment | first view | all rendered | heap, all shown | DOM nodes / comment | first comment, server's first view |",
    );
    rows.push('|---|---:|---:|---:|---:|---:|---:|');
    for (const other of ['vanilla', ...PEERS]) {
      const o = r[other];
      if (!o) continue;
      rows.push(
        `| ${NAMES[other]} | ${x(c.first?.first, o.first?.first)} | ${x(c.first?.firstView, o.first?.firstView)} | ${x(c.all?.all, o.all?.all)} | ${x(c.all?.heapUsed, o.all?.heapUsed)} | ${x(c.all?.nodesPerComment, o.all?.nodesPerComment)} | ${x(ssr?.first, o.first?.first)} |`,
      );
    }
    rows.push(
      `| best peer of each column | ${bf ? `${x(c.first?.first, bf[1])} (${NAMES[bf[0]]})` : '–'} | ${bv ? `${x(c.first?.firstView, bv[1])} (${NAMES[bv[0]]})` : '–'} | ${ba ? `${x(c.all?.all, ba[1])} (${NAMES[ba[0]]})` : '–'} | ${bh ? `${x(c.all?.heapUsed, bh[1])} (${NAMES[bh[0]]})` : '–'} | ${bn ? `${x(c.all?.nodesPerComment, bn[1])} (${NAMES[bn[0]]})` : '–'} | ${bf && ssr ? `${x(ssr.first, bf[1])} (${NAMES[bf[0]]})` : '–'} |`,
    );
    rows.push('');
    rows.push(
      `First view, where the time goes (medians; Resource Timing): ${['confab', 'confab-ssr', 'vanilla', ...PEERS]
        .filter((w) => r[w]?.first)
        .map(
          (w) =>
            `${NAMES[w]}: page's HTML in ${ms(r[w].first.pageLoaded)}, script in ${ms(r[w].first.scriptLoaded)}, data asked ${ms(r[w].first.dataRequested)}, data in ${ms(r[w].first.dataReceived)}, first comment's text ${ms(r[w].first.first)}`,
        )
        .join('; ')}. Style / layout of the all-shown load (CDP metrics): ${['confab', 'vanilla', ...PEERS]
        .filter((w) => r[w]?.all)
        .map((w) => `${NAMES[w]} ${ms(r[w].all.style)} / ${ms(r[w].all.layout)}`)
        .join(', ')}.`,
    );
    rows.push('');
  }
  return rows.join('\n');
}

/** Each target of issue 8 with today's figure and a verdict. */
export function targets(data) {
  const out = [];
  const r = data.results;
  const sizes = Object.keys(r)
    .map(Number)
    .sort((a, b) => a - b);
  const add = (target, figure, met) => out.push({ target, figure, met });
  // Issue 19's targets, in the outsider's measurement.
  for (const size of sizes.filter((n) => n <= 1000)) {
    const best = bestPeer(r[size], (w) => w.first?.first);
    const c = r[size].confab?.first?.first;
    if (best && c != null)
      add(
        `first comment ≤ 0.6× fastest peer (${size.toLocaleString('en-US')} comments)`,
        `${ms(c)} vs ${NAMES[best[0]]} ${ms(best[1])}: ${x(c, best[1])}`,
        c <= best[1] * 0.6,
      );
    const ssr = r[size]['confab-ssr']?.first?.first;
    if (best && ssr != null)
      add(
        `first comment with the server's first view ≤ 0.25× fastest peer (${size.toLocaleString('en-US')} comments)`,
        `${ms(ssr)} vs ${NAMES[best[0]]} ${ms(best[1])}: ${x(ssr, best[1])}; the page's own HTML had arrived at ${ms(r[size]['confab-ssr'].first.pageLoaded)} and was being parsed at ${ms(r[size]['confab-ssr'].first.parsed)} (${x(r[size]['confab-ssr'].first.parsed, best[1])}), the floor under any text in it`,
        ssr <= best[1] * 0.25,
      );
  }
  const k = r[1000];
  if (k?.confab?.all?.all != null) {
    if (k.vanilla?.all?.all != null)
      add(
        '1,000 all rendered ≤ 1.5× the vanilla floor',
        `${ms(k.confab.all.all)} vs ${ms(k.vanilla.all.all)}: ${x(k.confab.all.all, k.vanilla.all.all)}`,
        k.confab.all.all <= 1.5 * k.vanilla.all.all,
      );
    const best = bestPeer(k, (w) => w.all?.all);
    if (best)
      add(
        '1,000 all rendered ≤ 0.4× fastest peer',
        `${ms(k.confab.all.all)} vs ${NAMES[best[0]]} ${ms(best[1])}: ${x(k.confab.all.all, best[1])}`,
        k.confab.all.all <= best[1] * 0.4,
      );
  }
  const big = r[10000];
  if (big?.confab?.all)
    add(
      '10,000 all rendered with no long task over 100 ms',
      `longest task ${ms(big.confab.all.longestTask)} (${big.confab.all.longTasksOver100} tasks over 100 ms)`,
      big.confab.all.longestTask <= 100,
    );
  const i = data.interactions;
  if (i && !i.error) {
    add(
      'insert one reply into 10,000: < 2 ms of script (the first insert on the page)',
      `${num(i.insert.scriptMs, 2)} ms (to next paint ${ms(i.insert.paintedMs)})`,
      i.insert.scriptMs < 2,
    );
    add('… the same, warm (median of the next five inserts)', `${num(i.insert.warmScriptMs, 2)} ms`, i.insert.warmScriptMs < 2);
    add(
      `insert one reply: ≤ depth + 3 component renders (reply at depth ${i.insert.replyDepth}: ≤ ${i.insert.replyDepth + 3}), counting every component`,
      `${i.insert.renders} renders`,
      i.insert.renders <= i.insert.replyDepth + 3,
    );
    add(
      '… counting Comment and FlatReplies renders only (what test/ui/comment.test.tsx counts)',
      `${i.insert.commentRenders} renders`,
      i.insert.commentRenders <= i.insert.replyDepth + 3,
    );
    add('switch sort in 10,000: < 100 ms', ms(i.sort.paintedMs), i.sort.paintedMs < 100);
  } else if (i?.error) add('interactions in 10,000', i.error, false);
  for (const size of sizes) {
    const n = r[size].confab?.all?.nodesPerComment;
    if (n != null) add(`DOM nodes per comment ≤ 25 (${size.toLocaleString('en-US')})`, num(n), n <= 25);
  }
  if (big?.confab?.all?.heapUsed != null) {
    const best = bestPeer(big, (w) => w.all?.heapUsed);
    if (best)
      add(
        'heap for 10,000 ≤ ½ best peer',
        `${mb(big.confab.all.heapUsed)} vs ${NAMES[best[0]]} ${mb(best[1])}: ${x(big.confab.all.heapUsed, best[1])}`,
        big.confab.all.heapUsed <= best[1] / 2,
      );
  }
  const lh = data.lighthouse?.mobile;
  if (lh && lh.tbt !== null) {
    add('Lighthouse TBT < 50 ms (demo page, mobile)', ms(lh.tbt), lh.tbt < 50);
    add('Lighthouse CLS < 0.01 (demo page, mobile)', num(lh.cls, 3), lh.cls < 0.01);
  }
  for (const row of data.size.filter((s) => s.budget !== null)) {
    add(
      `${row.name.startsWith('dist') ? 'dist/confab.iife.js' : 'ESM mount'} ≤ ${row.budget / 1000} kB gzip`,
      `${(row.gzip / 1000).toFixed(1)} kB`,
      row.gzip <= row.budget,
    );
  }
  return out;
}

export function browserSection(data) {
  const date = data.generated.slice(0, 10);
  const m = data.machine;
  const lines = [];
  lines.push(
    `\`npm run bench\` on ${date}: ${m.cpus} cores (${m.cpuModel}), ${m.memoryGB} GB, Node ${m.node}, ${m.chromium}, headless, viewport ${m.viewport}; load average ${m.loadAverage?.start ?? '–'} at the start, ${m.loadAverage?.end ?? '–'} at the end; ${data.settings.runs} fresh page loads per figure, median; the whole run took ${Math.round(data.durationSeconds / 60)} min. Code: commit ${data.code?.commit ?? '?'}${data.code?.uncommittedChanges ? ' with uncommitted changes in src/' : ''}, dist/confab.iife.js sha256 ${data.code?.bundleSha256 ?? '?'}…. Raw figures: docs/benchmarks.json.`,
  );
  lines.push('');
  lines.push(
    "How (bench/): seeded threads from bench/thread-gen.mjs (about 30% top level, depth up to 8, 1-4 sentence bodies; the same every run). One server on 127.0.0.1 (bench/mock-server.mjs) serves the scripts and answers at once, from memory, each widget in its own API: the Confab protocol, Artalk 2.9's `/api/v2/conf` and `/api/v2/comments`, Waline 3's `/api/comment`. No request leaves 127.0.0.1 (the bench counts any that would: " +
      (data.offHostRequests ?? '?') +
      ' in this run; page errors: ' +
      (data.pageErrors?.length ? data.pageErrors.join('; ') : 'none') +
      "). Every page is the same short article with one widget embedded as its docs say (script tag, plus the stylesheet link for the peers; Confab by its script tag's data-* attributes, as a site owner embeds it). *Confab, server's first view*: the same page with confab/ssr's rendering of the thread's first page (dist/ssr.js, from the mock's own answer) inside the widget's element, as a site that renders its pages would serve it; the script then adopts it. The vanilla floor (bench/vanilla-floor.js) builds Confab's exact markup (byte-identical list) with plain DOM calls in a shadow root with Confab's CSS, with no interactivity.",
  );
  lines.push('');
  lines.push(
    "- *first comment*: navigation start → the first comment's text exists in the document or in a shadow root, as an outside observer who knows nothing of the widget's markup sees it (bench/probe.js: every generated comment ends with a token of its own, `Zq<n>q`; MutationObservers on the document and on every shadow root, `attachShadow` wrapped before any widget runs, declarative roots picked up with their hosts; text in `<script>`, `<style>`, `<template>`, `<noscript>` and `<textarea>` does not count). *painted*: the time of a message posted from the next animation frame's callback, after that frame's paint.",
  );
  lines.push(
    "- *first view*: → the text of every comment of the widget's default first page exists (Confab and the floor 20 top-level comments, Artalk 20, Waline 10, each with all replies: the count of comment elements is in brackets).",
  );
  lines.push(
    '- *all rendered*: → the text of every comment of the thread exists. "All" means: each widget is given a page size that covers the whole thread and its mock answers it in one response (Confab: an endpoint that returns every comment, since `data-page-size` stops at 100; Artalk `pagination.pageSize` and Waline `pageSize` = all). Confab\'s own reader path on a paging server, pages of 100 and "Load more" clicked as soon as it is enabled, is the extra Confab row.',
  );
  lines.push(
    '- *longest task*: PerformanceObserver `longtask` (buffered) until the count of comment texts has been stable for 400 ms; tasks under 50 ms are not reported, so "–" or 0 means none over 50 ms.',
  );
  lines.push(
    '- *heap*: CDP `HeapProfiler.collectGarbage` ×3, then `Runtime.getHeapUsage` (used), with all comments shown; in brackets above a page with the probe and no widget (' +
      mb(data.blankPage.heapUsed) +
      ').',
  );
  lines.push(
    '- *DOM nodes / comment*: every node (elements, text, comments) under the host element including its shadow root, divided by the comment elements in it, all comments shown; elements alone in brackets. *listeners*: CDP `Memory.getDOMCounters`.',
  );
  lines.push('');
  const sizes = Object.keys(data.results)
    .map(Number)
    .sort((a, b) => a - b);
  for (const size of sizes) lines.push(sizeTable(size, data.results[size], data));
  const failures = [];
  for (const size of sizes)
    for (const [widget, modes] of Object.entries(data.results[size]))
      for (const [mode, s] of Object.entries(modes))
        if (s.failures?.length)
          failures.push(
            `${NAMES[widget]} ${size} ${mode}: ${s.failures.length}/${s.runs} runs did not finish (${[...new Set(s.failures)].join('; ')})`,
          );
  if (failures.length)
    lines.push(
      `Runs that did not finish within ${Math.round(data.settings.loadTimeoutMs / 1000)} s are left out of the medians: ${failures.join('. ')}.`,
      '',
    );

  const i = data.interactions;
  lines.push(`### Confab in the ${Math.max(...sizes).toLocaleString('en-US')}-comment thread (all shown)`);
  lines.push('');
  if (!i || i.error) lines.push(`Not measured: ${i?.error ?? 'no run'}.`);
  else {
    const names = (byName) =>
      Object.entries(byName)
        .sort((a, b) => b[1] - a[1])
        .map(([n, c]) => `${n} ${c}`)
        .join(', ');
    lines.push(
      'Median of ' +
        i.runs +
        " page loads (bench/interactions.js). *Script* is the time from the call (or click) until Preact's render, a microtask, has run (two microtask hops after the change; a message would also wait out any frame the browser renders first); *to paint* adds the next frame's style, layout and paint. Renders are counted by wrapping every component instance's `render` (Preact keeps the root vnode on the container as `__k`), plus one for each new instance; nothing is exposed from the bundle for it.",
    );
    lines.push('');
    lines.push('| action | script | to paint | component renders | which (first run) |');
    lines.push('|---|---:|---:|---:|---|');
    lines.push(
      `| insert one reply at depth ${i.insert.replyDepth} (\`handle.store.receive\`), the first on the page | ${num(i.insert.scriptMs, 2)} ms | ${ms(i.insert.paintedMs)} | ${i.insert.renders} (Comment + FlatReplies: ${i.insert.commentRenders}) | ${names(i.insert.byName)} |`,
    );
    lines.push(`| … five more replies to the same parent, median | ${num(i.insert.warmScriptMs, 2)} ms | | | |`);
    lines.push(
      `| collapse the largest top-level subtree (click) | ${num(i.collapse.scriptMs, 2)} ms | ${ms(i.collapse.paintedMs)} | ${i.collapse.renders} | ${names(i.collapse.byName)} |`,
    );
    lines.push(
      `| switch sort to Newest (click → new order painted; every comment is loaded, so the widget re-sorts without a request) | | ${ms(i.sort.paintedMs)} (longest task ${ms(i.sort.longestTaskMs)}) | ${i.sort.renders} | ${names(i.sort.byName)} |`,
    );
    lines.push('');
  }

  lines.push('### Lighthouse');
  lines.push('');
  const lh = data.lighthouse;
  if (!lh || !lh.mobile || lh.mobile.runs === 0) lines.push('Not run (BENCH_LIGHTHOUSE_RUNS=0).');
  else {
    lines.push(
      "Lighthouse 12.2.3 against `/usr/bin/chromium` (`--headless=new --no-sandbox --disable-gpu`), performance category only, on a demo-like page: the seed article (demo/seed/thread.json) with Confab below it by script tag (auto mount, default options) and its 57 comments from the bench's Confab mock. Median of the runs; mobile is Lighthouse's default (simulated slow 4G, 4× CPU slowdown), desktop is `--preset=desktop`.",
    );
    lines.push('');
    lines.push('| form factor | runs | Total Blocking Time | CLS | FCP | LCP | TTI | score |');
    lines.push('|---|---:|---:|---:|---:|---:|---:|---:|');
    for (const [preset, s] of Object.entries(lh)) {
      lines.push(
        `| ${preset} | ${s.runs - s.errors.length} of ${s.runs} | ${ms(s.tbt)} | ${num(s.cls, 3)} | ${ms(s.fcp)} | ${ms(s.lcp)} | ${ms(s.tti)} | ${s.score === null ? '–' : Math.round(s.score * 100)} |`,
      );
    }
    const errors = Object.values(lh).flatMap((s) => s.errors);
    if (errors.length) lines.push('', `Errors: ${[...new Set(errors)].join('; ')}`);
    lines.push('');
  }

  lines.push('### Targets (issues 8 and 19), today');
  lines.push('');
  lines.push('| target | figure | |');
  lines.push('|---|---|---|');
  for (const t of targets(data)) lines.push(`| ${t.target} | ${t.figure} | ${t.met ? 'met' : '**missed**'} |`);
  lines.push('');
  lines.push(
    "Not a number but checked: off-screen top-level comments have `content-visibility: auto` with `contain-intrinsic-size: auto 160px` (src/styles/widget.css); every rendered comment's text is in the DOM (the all-shown counts above equal the thread sizes), so find-in-page finds it; there is no virtualization.",
  );
  lines.push('');

  if (data.profile) {
    lines.push('### CPU profile of Confab');
    lines.push('');
    for (const [label, p] of Object.entries(data.profile)) {
      if (p.error) {
        lines.push(`${label}: ${p.error}`, '');
        continue;
      }
      if (label === 'heap') {
        lines.push(
          `Where the JS heap of the ${p.size.toLocaleString('en-US')}-comment page (all shown) was allocated: CDP sampling heap profiler over the load, objects still alive after GC, attributed to the innermost frame in src/ on their allocation stack (else the package). ${mb(p.liveBytes)} sampled live of ${mb(p.heapUsed)} used.`,
        );
        lines.push('');
        lines.push('| allocated under | live |');
        lines.push('|---|---:|');
        for (const f of p.bySite.slice(0, 12))
          lines.push(`| \`${f.name.replace(/\|/g, '\\|').replace(/`/g, "'")}\` | ${mb(f.bytes)} |`);
        lines.push('');
        continue;
      }
      lines.push(
        `One load, ${p.size.toLocaleString('en-US')} comments, ${label === 'all' ? 'all shown' : 'first view'}: CDP Profiler at 100 µs, self time, positions in the IIFE mapped to the sources through dist/confab.iife.js.map (Preact's own dist is minified, hence its one-letter names; "(program)" is mostly the browser's own work: parsing, style, layout, paint; the probe's MutationObserver callback is its scan of the added text). Style ${p.styleMs} ms, layout ${p.layoutMs} ms (CDP metrics); marks of this (slower, profiled) load: first comment ${ms(p.marks?.first)}, all ${ms(p.marks?.all ?? p.marks?.firstView)}.`,
      );
      lines.push('');
      lines.push(`By package: ${p.byGroup.map((g) => `${g.name} ${g.selfMs} ms`).join(', ')}.`);
      lines.push('');
      lines.push('| function (source) | self |');
      lines.push('|---|---:|');
      for (const f of p.topFunctions.filter((f) => !/^\((idle|program)\)/.test(f.name)).slice(0, 12))
        lines.push(`| \`${f.name.replace(/\|/g, '\\|').replace(/`/g, "'")}\` | ${f.selfMs} ms |`);
      lines.push('');
    }
  }
  const causes = carriedCauses();
  if (causes) lines.push(causes, '');
  return lines.join('\n');
}

export function writeReport(data) {
  updateSections({
    Size: sizeSection(data.size, { command: 'npm run bench', date: data.generated.slice(0, 10) }),
    'Widget in the browser': browserSection(data),
  });
}
