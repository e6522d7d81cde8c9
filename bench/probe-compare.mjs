// `node bench/probe-compare.mjs` (after `npm run build`): why the bench before 2026-12-04 said
// Confab showed its first comment in 0.64-0.80x Waline's time while an outside measurement
// found it level. Each factor the two differed in, one at a time, on the same pages, with
// interleaved fresh loads:
//   probe    markup: the old probe (each widget's comment elements by class, a box, the frame
//            painted after); text: the outsider's (the comment's text in the composed tree)
//   mount    handle: Confab mounted from the script's onload (the old bench); auto: by the
//            script tag's data-* attributes, as a site owner embeds it
//   browser  warm: one browser for every load (its HTTP and code caches warm after the first);
//            cold: a new browser profile for each load
// Prints medians (ms from navigation start) and each Confab figure over Waline's.
// COMPARE_RUNS (5), COMPARE_SIZES (100,1000).
import { launchBrowser } from '../scripts/chromium.mjs';
import { startMockServer } from './mock-server.mjs';
import { generateThread } from './thread-gen.mjs';
import { loadProbed, pageFor } from './pages.mjs';

const RUNS = Number(process.env.COMPARE_RUNS || 5);
const SIZES = (process.env.COMPARE_SIZES || '100,1000').split(',').map(Number);
const median = (values) => {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length === 0 ? NaN : sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

const VARIANTS = [
  // [label, widget, probe, handle]
  ['confab, markup probe, onload mount', 'confab', 'markup', true],
  ['confab, text probe, onload mount', 'confab', 'text', true],
  ['confab, text probe, auto mount', 'confab', 'text', false],
  ['waline, markup probe', 'waline', 'markup', false],
  ['waline, text probe', 'waline', 'text', false],
];

async function loadOnce(browser, url) {
  const m = await loadProbed(browser, url);
  // The markup probe's marks are firstVisible…, the text probe's first….
  return { ...m, first: m.first ?? m.firstVisible, firstPainted: m.firstPainted ?? m.firstVisiblePainted };
}

const server = await startMockServer();
for (const size of SIZES) {
  const thread = generateThread(size);
  server.addThread(thread);
  for (const [label, widget, probe, handle] of VARIANTS) {
    server.setPage(
      `/p/${size}-${label.replace(/\W+/g, '-')}.html`,
      pageFor(server, thread, widget, { timeoutMs: 20_000, probe, handle }),
    );
  }
}

const results = {};
for (const browserMode of ['warm', 'cold']) {
  const warm = browserMode === 'warm' ? await launchBrowser() : null;
  for (let run = 0; run < RUNS; run++) {
    for (const size of SIZES) {
      for (const [label] of VARIANTS) {
        const browser = warm ?? (await launchBrowser());
        try {
          const r = await loadOnce(browser, `${server.url}/p/${size}-${label.replace(/\W+/g, '-')}.html`);
          ((results[`${browserMode} ${size}`] ??= {})[label] ??= []).push(r);
        } finally {
          if (!warm) await browser.close();
        }
      }
    }
  }
  await warm?.close();
}
await server.close();

for (const [key, byLabel] of Object.entries(results)) {
  console.log(`\n${key} comments (browser ${key.split(' ')[0]}), medians of ${RUNS}, ms from navigation start`);
  console.log('variant'.padEnd(38), 'script in', 'data asked', 'data in', 'first', 'first painted');
  const rows = {};
  for (const [label, runs] of Object.entries(byLabel)) {
    const pick = (f) => median(runs.map(f));
    rows[label] = {
      script: pick((r) => r.scriptEnd),
      asked: pick((r) => r.dataStart),
      data: pick((r) => r.dataEnd),
      first: pick((r) => r.first),
      painted: pick((r) => r.firstPainted),
    };
    const r = rows[label];
    console.log(
      label.padEnd(38),
      ...[r.script, r.asked, r.data, r.first, r.painted].map((v) => String(Math.round(v)).padStart(9)),
    );
  }
  const ratio = (a, b) => (a / b).toFixed(2);
  console.log(
    `confab ÷ waline: markup probe + onload (the old bench) ${ratio(rows['confab, markup probe, onload mount'].painted, rows['waline, markup probe'].painted)}x painted;`,
    `text probe + onload ${ratio(rows['confab, text probe, onload mount'].first, rows['waline, text probe'].first)}x;`,
    `text probe + auto mount (the outsider's page) ${ratio(rows['confab, text probe, auto mount'].first, rows['waline, text probe'].first)}x`,
  );
}
