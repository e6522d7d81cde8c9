// Where the time of one page load goes, from a Chromium trace: every task of the page's main
// thread from navigation start to the first comment's text (bench/probe.js), with what ran in
// it (script evaluation, function calls and their source, timers, frames, style, layout,
// paint, GC), and the network events of the widget's files and requests.
//
//   node bench/trace.mjs                       Confab, 1,000 comments, first page, 3 loads
//   TRACE_WIDGET=vanilla TRACE_SIZE=100 TRACE_RUNS=5 node bench/trace.mjs
//   TRACE_MODE=all node bench/trace.mjs        until all 1,000 are in (one answer with every comment)
//   TRACE_FILE=/tmp/t.json node bench/trace.mjs   also writes the last trace (chrome://tracing, Perfetto)
//
// Times are ms from navigation start. A task is printed when it lasts at least TRACE_MIN_MS
// (default 1) or holds one of the marks; inside it, the events that last at least 0.5 ms.
import { writeFileSync } from 'node:fs';
import { launchBrowser } from '../scripts/chromium.mjs';
import { startMockServer } from './mock-server.mjs';
import { generateThread } from './thread-gen.mjs';
import { pageFor, probeDone } from './pages.mjs';
import { mapProfile } from './profile.mjs';

const WIDGET = process.env.TRACE_WIDGET || 'confab';
const SIZE = Number(process.env.TRACE_SIZE || 1000);
const RUNS = Number(process.env.TRACE_RUNS || 3);
// TRACE_MODE=all: one answer with the whole thread, traced until every comment's text is in;
// TRACE_MODE=more: pages of 100, "Load more" clicked until done.
const MODE = process.env.TRACE_MODE || 'first';
const MIN_MS = Number(process.env.TRACE_MIN_MS || 1);
// TRACE_PROFILE=1: a CPU profile too (100 µs samples), its self time per function inside each task.
const PROFILE = process.env.TRACE_PROFILE === '1';
const CATEGORIES = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'disabled-by-default-devtools.timeline.frame',
  'v8',
  'v8.execute',
  'blink.user_timing',
  'loading',
  'netlog',
  'toplevel',
];

async function traceLoad(browser, url) {
  const page = await browser.context.newPage();
  const cdp = await browser.context.newCDPSession(page);
  const events = [];
  cdp.on('Tracing.dataCollected', ({ value }) => events.push(...value));
  const finished = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.start', { traceConfig: { includedCategories: CATEGORIES }, transferMode: 'ReportEvents' });
  if (PROFILE) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
    await cdp.send('Profiler.start');
  }
  const done = probeDone(page, 30_000);
  await page.goto(url, { waitUntil: 'commit' });
  await done;
  const probe = await page.evaluate(() => ({ marks: window.__bench.marks, origin: performance.timeOrigin }));
  const profile = PROFILE ? (await cdp.send('Profiler.stop')).profile : null;
  await cdp.send('Tracing.end');
  await finished;
  await page.close();
  return { events, probe, profile };
}

const ms = (us) => (us / 1000).toFixed(1);

function describeEvent(e) {
  const d = e.args?.data ?? {};
  const beginData = e.args?.beginData ?? {};
  const url = (d.url || d.scriptName || beginData.url || '').replace(/^https?:\/\/[^/]+/, '');
  if (e.name === 'FunctionCall') return `FunctionCall ${d.functionName || '(anon)'} ${url}:${d.lineNumber ?? ''}`;
  if (e.name === 'EvaluateScript' || e.name === 'v8.compile' || e.name === 'v8.compileModule') return `${e.name} ${url}`;
  if (e.name === 'EventDispatch') return `EventDispatch ${d.type}`;
  if (e.name === 'TimerFire') return `TimerFire ${d.timerId}`;
  if (e.name === 'ResourceReceivedData' || e.name === 'ResourceFinish' || e.name === 'ResourceReceiveResponse')
    return `${e.name} ${d.requestId}`;
  if (e.name === 'ParseHTML') return `ParseHTML ${beginData.startLine ?? ''}`;
  if (e.name === 'UpdateLayoutTree') return `UpdateLayoutTree ${e.args?.elementCount ?? d.elementCount ?? ''}`;
  if (e.name === 'Layout') return `Layout ${beginData.dirtyObjects ?? ''}/${beginData.totalObjects ?? ''}`;
  return e.name;
}

const INTERESTING = new Set([
  'EvaluateScript',
  'v8.compile',
  'v8.parseOnBackground',
  'FunctionCall',
  'EventDispatch',
  'TimerFire',
  'FireAnimationFrame',
  'RunMicrotasks',
  'V8.GCScavenger',
  'MajorGC',
  'MinorGC',
  'V8.GC_MARK_COMPACTOR',
  'ParseHTML',
  'ParseAuthorStyleSheet',
  'UpdateLayoutTree',
  'Layout',
  'PrePaint',
  'Paint',
  'Commit',
  'HitTest',
  'ResourceReceivedData',
  'ResourceFinish',
  'ResourceReceiveResponse',
  'XHRReadyStateChange',
  'v8.produceCache',
  'v8.deserializeOnBackground',
]);

function report({ events, probe, profile }) {
  const samples = profile ? mapProfile(profile) : null;
  const navStart = events.find((e) => e.name === 'navigationStart' && e.args?.data?.isLoadingMainFrame);
  const origin = navStart ? navStart.ts : null;
  // The renderer's main thread: the thread whose ParseHTML parsed the bench page.
  const parse = events.find((e) => e.name === 'ParseHTML');
  if (!parse || origin === null) return console.log('no ParseHTML or navigationStart in the trace');
  const main = events.filter((e) => e.pid === parse.pid && e.tid === parse.tid);
  // The mark the report runs to: the first comment, or with TRACE_MODE=all every comment.
  const firstAt = origin + (probe.marks[MODE === 'first' ? 'first' : 'all'] ?? probe.marks.first) * 1000;
  const end = firstAt + 5_000;
  // One name per task: the scheduler's (a RunTask holds one of these).
  const taskName = main.some((e) => e.name === 'ThreadControllerImpl::RunTask') ? 'ThreadControllerImpl::RunTask' : 'RunTask';
  const tasks = main
    .filter((e) => e.ph === 'X' && e.name === taskName && e.ts >= origin - 20_000 && e.ts <= end)
    .sort((a, b) => a.ts - b.ts);
  // Network: sends and finishes, by request id, for the whole renderer.
  const sends = new Map();
  for (const e of events) {
    if (e.name === 'ResourceSendRequest') sends.set(e.args.data.requestId, e.args.data.url.replace(/^https?:\/\/[^/]+/, ''));
  }
  const net = events
    .filter((e) => ['ResourceSendRequest', 'ResourceReceiveResponse', 'ResourceFinish'].includes(e.name))
    .map((e) => ({
      t: e.ts,
      text: `${e.name.replace('Resource', '')} ${sends.get(e.args.data.requestId) ?? e.args.data.requestId}`,
    }));
  const lines = [];
  for (const n of net) if (n.t <= end) lines.push([n.t, `  net  ${n.text}`]);
  for (const task of tasks) {
    const dur = task.dur ?? 0;
    const holdsMark = Object.values(probe.marks).some((m) => {
      const t = origin + m * 1000;
      return t >= task.ts && t <= task.ts + dur;
    });
    if (dur < MIN_MS * 1000 && !holdsMark) continue;
    const inside = main
      .filter(
        (e) =>
          e !== task &&
          e.ph === 'X' &&
          e.ts >= task.ts &&
          e.ts + (e.dur ?? 0) <= task.ts + dur &&
          INTERESTING.has(e.name) &&
          (e.dur ?? 0) >= 500,
      )
      .sort((a, b) => a.ts - b.ts)
      .map((e) => `${describeEvent(e)} @${ms(e.ts - origin)} ${ms(e.dur)}ms`);
    if (samples && dur >= 3000) {
      const self = new Map();
      for (const sample of samples) {
        if (sample.ts < task.ts || sample.ts > task.ts + dur) continue;
        self.set(sample.name, (self.get(sample.name) ?? 0) + sample.micros);
      }
      for (const [name, micros] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 8))
        if (micros >= 500) inside.push(`  self ${ms(micros)}ms ${name}`);
    }
    lines.push([
      task.ts,
      `task @${ms(task.ts - origin)} ${ms(dur)} ms${inside.length ? `\n        ${inside.join('\n        ')}` : ''}`,
    ]);
  }
  // The profile's self time between the data's arrival and the first comment, whatever task it ran in.
  if (samples) {
    const dataDone = net.filter((n) => /\/(comments|threads)\b/.test(n.text) && n.text.startsWith('Finish')).map((n) => n.t)[0];
    if (dataDone) {
      const self = new Map();
      let total = 0;
      for (const sample of samples) {
        if (sample.ts < dataDone || sample.ts > firstAt) continue;
        self.set(sample.name, (self.get(sample.name) ?? 0) + sample.micros);
        total += sample.micros;
      }
      const top = [...self]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 25)
        .map(([name, micros]) => `    ${ms(micros)}ms ${name}`);
      lines.push([
        firstAt - 1,
        `  PROFILE data received → ${MODE === 'first' ? 'first comment' : 'all comments'} (${ms(firstAt - dataDone)} ms, ${ms(total)} sampled):\n${top.join('\n')}`,
      ]);
    }
  }
  for (const [name, t] of Object.entries(probe.marks)) lines.push([origin + t * 1000, `  MARK ${name} ${t.toFixed(1)}`]);
  lines.sort((a, b) => a[0] - b[0]);
  for (const [t, text] of lines) if (t <= firstAt + 400_000) console.log(text);
}

const server = await startMockServer();
const thread = generateThread(SIZE);
server.addThread(thread);
const widget = WIDGET;
server.setPage('/p/trace.html', pageFor(server, thread, widget, { mode: MODE }));
const browser = await launchBrowser();
try {
  let last;
  for (let i = 0; i < RUNS; i++) {
    last = await traceLoad(browser, `${server.url}/p/trace.html`);
    console.log(
      `\n=== ${widget} ${SIZE}, load ${i + 1}: ${JSON.stringify(Object.fromEntries(Object.entries(last.probe.marks).map(([k, v]) => [k, Math.round(v)])))}`,
    );
    report(last);
  }
  if (process.env.TRACE_FILE) writeFileSync(process.env.TRACE_FILE, JSON.stringify({ traceEvents: last.events }));
} finally {
  await browser.close();
  await server.close();
}
