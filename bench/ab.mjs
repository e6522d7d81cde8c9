// Two builds of the widget side by side, as npm run bench measures them (the outsider's probe,
// the script-tag embed, the first page), loads interleaved so that drift in the machine touches
// both alike; Waline and the vanilla floor in the same rounds for scale.
//
//   cp -r dist /tmp/dist-before      (the build to compare against)
//   … change, npm run build …
//   AB_OTHER=/tmp/dist-before node bench/ab.mjs      (several: a comma-separated list)
//
// AB_SIZES (default 100,1000), AB_RUNS (default 9), AB_WIDGETS (default other0…,this,vanilla,waline).
// Prints medians, ms from navigation start: the first comment's text, the frame painted after
// it, the first page's text, and when the data's answer was complete.
import { launchBrowser } from '../scripts/chromium.mjs';
import { startMockServer } from './mock-server.mjs';
import { generateThread } from './thread-gen.mjs';
import { loadProbed, pageFor } from './pages.mjs';

const OTHERS = (process.env.AB_OTHER || '').split(',').filter(Boolean);
const SIZES = (process.env.AB_SIZES || '100,1000').split(',').map(Number);
const RUNS = Number(process.env.AB_RUNS || 9);
// first: the default first page; more (Confab only): pages of 100, "Load more" clicked until done.
const MODE = process.env.AB_MODE || 'first';
const WIDGETS = (process.env.AB_WIDGETS || [...OTHERS.map((_, i) => `other${i}`), 'this', 'vanilla', 'waline'].join(',')).split(
  ',',
);

const median = (values) => {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

const server = await startMockServer({ otherBuilds: OTHERS });
const browser = await launchBrowser();
try {
  for (const size of SIZES) {
    const thread = generateThread(size);
    server.addThread(thread);
    const urls = {};
    for (const name of WIDGETS) {
      const other = name.match(/^other(\d+)$/);
      const widget = other || name === 'this' ? 'confab' : name;
      let html = pageFor(server, thread, widget, { mode: MODE });
      if (other) html = html.replace('/s/confab.iife.js', `/b${other[1]}/confab.iife.js`);
      server.setPage(`/p/ab-${name}-${size}.html`, html);
      urls[name] = `${server.url}/p/ab-${name}-${size}.html`;
    }
    const results = Object.fromEntries(WIDGETS.map((name) => [name, []]));
    for (let run = 0; run < RUNS; run++) for (const name of WIDGETS) results[name].push(await loadProbed(browser, urls[name]));
    console.log(`\n${size} comments, medians of ${RUNS} (ms from navigation start)`);
    console.log('widget      first  painted  first view  data received     all  longest task  heap MB');
    for (const name of WIDGETS) {
      const runs = results[name];
      const m = (key) =>
        median(runs.map((r) => r[key]))
          .toFixed(0)
          .padStart(6);
      console.log(
        `${name.padEnd(10)} ${m('first')}  ${m('firstPainted')}  ${m('firstView').padStart(9)}  ${m('dataEnd').padStart(12)}  ${m('all')}  ${m('longestTask').padStart(12)}  ${m('heapMB').padStart(7)}`,
      );
    }
  }
} finally {
  await browser.close();
  await server.close();
}
