// How long the seed thread takes in Chromium, from navigation start to every comment visible:
// the median of fresh page loads of a plain page with the script tag. Run: npm run bench
import { readFileSync } from 'node:fs';
import { startServer } from '../demo/server/index.mjs';
import { launchBrowser } from '../scripts/chromium.mjs';

const RUNS = Number(process.env.RUNS || 7);
const seed = JSON.parse(readFileSync(new URL('../demo/seed/thread.json', import.meta.url), 'utf8'));
const page = `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>bench</title></head>
<body><div id="confab"></div><script src="/confab.iife.js" data-endpoint="/api" data-thread="${seed.thread.id}" data-page-size="100"></script></body></html>`;

const server = await startServer({ seed });
const browser = await launchBrowser();
const times = [];
try {
  for (let run = 0; run < RUNS; run++) {
    const tab = await browser.context.newPage();
    await tab.route(`${server.url}/bench.html`, (route) => route.fulfill({ contentType: 'text/html', body: page }));
    await tab.goto(`${server.url}/bench.html`);
    const handle = await tab.waitForFunction((count) => {
      const root = document.querySelector('#confab')?.shadowRoot;
      const visible = root ? [...root.querySelectorAll('article')].filter((a) => a.checkVisibility()).length : 0;
      return visible === count ? performance.now() : false;
    }, seed.comments.length, { polling: 'raf' });
    times.push(Math.round(await handle.jsonValue()));
    await tab.close();
  }
} finally {
  await browser.close();
  await server.close();
}
const sorted = [...times].sort((a, b) => a - b);
console.log(`seed thread, ${seed.comments.length} comments, navigation → all visible (ms): ${times.join(', ')}`);
console.log(`median ${sorted[Math.floor(sorted.length / 2)]} ms over ${RUNS} loads (first load includes browser warm-up)`);
