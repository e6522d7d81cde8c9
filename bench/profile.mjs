// A CPU profile of one bench page load (CDP Profiler, 100 µs sampling), with self time summed
// per function and per source file. Positions inside dist/confab.iife.js are mapped back to
// src/ and node_modules/ through its source map (node:module SourceMap, no dependency), so the
// names are the source's, not the minifier's.
import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { probeDone } from './pages.mjs';

const BUNDLE = '/s/confab.iife.js';

/** The map of the bundle the bench server serves (its snapshot), else the one in dist/. */
function loadMap(text) {
  try {
    return new SourceMap(JSON.parse(text ?? readFileSync(new URL('../dist/confab.iife.js.map', import.meta.url), 'utf8')));
  } catch {
    return null;
  }
}

/** '../../src/ui/Comment.tsx' → 'src/ui/Comment.tsx'; node_modules → the package name. */
function tidy(source) {
  const path = source.replace(/^(\.\.\/)+/, '').replace(/^\/?work\/main\//, '');
  const pkg = path.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  return pkg ? `${pkg[1]} (${path.split('/').pop()})` : path;
}

function packageOf(file) {
  if (file.startsWith('src/')) return 'confab src';
  const pkg = file.split(' ')[0];
  return ['preact', '@preact/signals', '@preact/signals-core', 'ky'].includes(pkg) ? pkg : file;
}

export function summarizeProfile(profile, map) {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const lines = map?.payload?.sourcesContent
    ? map.payload.sources.map((_, i) => (map.payload.sourcesContent[i] ?? '').split('\n'))
    : null;
  const byFunction = new Map();
  const byFile = new Map();
  const byGroup = new Map();
  let total = 0;
  for (const [id, micros] of self) {
    const { callFrame } = nodes.get(id);
    total += micros;
    let name = callFrame.functionName || '(anonymous)';
    let file = callFrame.url ? callFrame.url.replace(/^https?:\/\/[^/]+/, '') : name.startsWith('(') ? name : '(native)';
    let where = file;
    if (callFrame.url.endsWith(BUNDLE) && map) {
      const entry = map.findEntry(callFrame.lineNumber, callFrame.columnNumber);
      if (entry && entry.originalSource) {
        file = tidy(entry.originalSource);
        const sourceIndex = map.payload.sources.indexOf(entry.originalSource);
        const text = lines?.[sourceIndex]?.[entry.originalLine]?.trim().slice(0, 90) ?? '';
        where = `${file}:${entry.originalLine + 1}`;
        name = entry.name || text || name;
      } else {
        file = 'confab.iife.js (unmapped)';
      }
    } else if (callFrame.url.includes('/p/')) {
      file = 'bench page (probe)';
      where = file;
    }
    const key = `${name} @ ${where}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + micros);
    byFile.set(file, (byFile.get(file) ?? 0) + micros);
    const group = callFrame.url.endsWith(BUNDLE) ? packageOf(file) : name.startsWith('(') ? name : file;
    byGroup.set(group, (byGroup.get(group) ?? 0) + micros);
  }
  const top = (m, n) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, v]) => ({ name: k, selfMs: +(v / 1000).toFixed(1) }));
  return {
    sampledMs: +(total / 1000).toFixed(1),
    byGroup: top(byGroup, 12),
    byFile: top(byFile, 15),
    topFunctions: top(byFunction, 20),
  };
}

/**
 * Each sample of a CDP profile as { ts, micros, name }: its time (the trace clock, µs), its
 * weight and the function it was in, named through the bundle's source map.
 */
export function mapProfile(profile, map = loadMap()) {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const names = new Map();
  const nameOf = (id) => {
    if (names.has(id)) return names.get(id);
    const { callFrame } = nodes.get(id);
    let name = `${callFrame.functionName || '(anonymous)'} ${callFrame.url.replace(/^https?:\/\/[^/]+/, '')}`.trim();
    if (callFrame.url.endsWith(BUNDLE) && map) {
      const entry = map.findEntry(callFrame.lineNumber, callFrame.columnNumber);
      if (entry?.originalSource)
        // (A package's one-line dist file: its column too.)
        name = `${entry.name || callFrame.functionName || '?'} @ ${tidy(entry.originalSource)}:${entry.originalLine + 1}${entry.originalLine === 0 ? `:${entry.originalColumn}` : ''}`;
    }
    names.set(id, name);
    return name;
  };
  const samples = [];
  let ts = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    const micros = profile.timeDeltas[i + 1] ?? 0;
    ts += profile.timeDeltas[i] ?? 0;
    samples.push({ ts, micros, name: nameOf(profile.samples[i]) });
  }
  return samples;
}

/** Loads `path` in a fresh tab with the profiler on, until the probe is done. */
export async function profileLoad(browser, server, path, timeoutMs) {
  const page = await browser.context.newPage();
  const cdp = await browser.context.newCDPSession(page);
  try {
    await cdp.send('Performance.enable');
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
    await cdp.send('Profiler.start');
    const done = probeDone(page, timeoutMs + 5_000);
    await page.goto(server.url + path, { waitUntil: 'commit' });
    await done;
    await page.waitForTimeout(300);
    const { profile } = await cdp.send('Profiler.stop');
    const marks = await page.evaluate(() => window.__bench.marks);
    const metrics = Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
    return {
      marks,
      scriptMs: Math.round(metrics.ScriptDuration * 1000),
      styleMs: Math.round(metrics.RecalcStyleDuration * 1000),
      layoutMs: Math.round(metrics.LayoutDuration * 1000),
      taskMs: Math.round(metrics.TaskDuration * 1000),
      ...summarizeProfile(profile, loadMap(server.bundleMap)),
    };
  } catch (error) {
    return { error: String(error.message || error) };
  } finally {
    await page.close();
  }
}

/**
 * Where the live JS heap of one page load was allocated: the CDP sampling heap profiler runs
 * over the load; after GC its profile holds the objects still alive, each with its allocation
 * stack. Each is counted under the innermost frame in src/ on that stack (else its package).
 */
export async function heapLoad(browser, server, path, timeoutMs) {
  const page = await browser.context.newPage();
  const cdp = await browser.context.newCDPSession(page);
  try {
    await cdp.send('HeapProfiler.enable');
    await cdp.send('HeapProfiler.startSampling', { samplingInterval: 8192 });
    const done = probeDone(page, timeoutMs + 5_000);
    await page.goto(server.url + path, { waitUntil: 'commit' });
    await done;
    await page.waitForTimeout(300);
    for (let i = 0; i < 3; i++) await cdp.send('HeapProfiler.collectGarbage');
    const { profile } = await cdp.send('HeapProfiler.stopSampling');
    const heapUsed = (await cdp.send('Runtime.getHeapUsage')).usedSize;
    const map = loadMap(server.bundleMap);
    const lines = map?.payload?.sourcesContent
      ? map.payload.sources.map((_, i) => (map.payload.sourcesContent[i] ?? '').split('\n'))
      : null;
    const label = (callFrame) => {
      if (!callFrame.url.endsWith(BUNDLE) || !map) return { name: callFrame.functionName || '(page)', src: false };
      const entry = map.findEntry(callFrame.lineNumber, callFrame.columnNumber);
      if (!entry?.originalSource) return { name: 'confab.iife.js (unmapped)', src: false };
      const file = tidy(entry.originalSource);
      const text = lines?.[map.payload.sources.indexOf(entry.originalSource)]?.[entry.originalLine]?.trim().slice(0, 60) ?? '';
      return file.startsWith('src/')
        ? { name: `${entry.name || text} @ ${file}:${entry.originalLine + 1}`, src: true }
        : { name: packageOf(file), src: false };
    };
    const bySite = new Map();
    let liveBytes = 0;
    const stack = [[profile.head, null]];
    while (stack.length > 0) {
      const [node, outer] = stack.pop();
      const here = label(node.callFrame);
      const site = here.src ? here.name : outer;
      if (node.selfSize) {
        liveBytes += node.selfSize;
        const key = site ?? here.name;
        bySite.set(key, (bySite.get(key) ?? 0) + node.selfSize);
      }
      for (const child of node.children) stack.push([child, site]);
    }
    return {
      heapUsed,
      liveBytes,
      bySite: [...bySite]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 20)
        .map(([name, bytes]) => ({ name, bytes })),
    };
  } catch (error) {
    return { error: String(error.message || error) };
  } finally {
    await page.close();
  }
}
