// `node scripts/screenshots.mjs [prefix]`: screenshots of the seed thread in Chromium, for the
// README and for comparing a change before and after. Needs `npm run build` first (the widget
// from dist/, the server from server/dist/). Writes docs/screenshots/<prefix>-<scheme>-<width>.png
// (prefix default `after`): light and dark, 375 and 900 px wide, on a page with no dark styles of
// its own and the widget's `data-theme="auto"` (the reader's system setting picks the scheme);
// and docs/screenshot.png, the demo article's widget as the README shows it. With pngquant on
// the PATH (`apt-get install pngquant`) each file is quantized to about a third of its size.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { launchBrowser } from './chromium.mjs';
import { createLogger, startServer } from '../server/dist/index.js';
import { renderArticlePage } from '../demo/page.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const prefix = process.argv[2] ?? 'after';
const seed = JSON.parse(readFileSync(new URL('../demo/seed/thread.json', import.meta.url), 'utf8'));
const out = `${root}docs/screenshots/`;
mkdirSync(out, { recursive: true });

// A light-only page: white, no color-scheme, no dark styles.
const plainPage = (endpoint) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,">
<title>Seed thread</title><style>body { margin: 0; background: #fff; font-family: Georgia, serif; } main { max-width: 860px; margin: 0 auto; padding: 16px; }</style>
</head><body><main><div id="confab"></div></main>
<script src="/confab.iife.js" data-endpoint="${endpoint}" data-thread="${seed.thread.id}" data-theme="auto" async></script></body></html>`;

const server = await startServer({
  seed,
  widgetDir: `${root}dist`,
  homePage: ({ url, widgetSrc }) =>
    renderArticlePage({ article: seed.article, thread: seed.thread, scriptSrc: widgetSrc, endpoint: `${url}/api` }),
  rateLimit: { burst: 0, perMinute: 0 },
  logger: createLogger({ level: 'error' }),
});
const browser = await launchBrowser();
try {
  const page = await browser.context.newPage();
  await page.route(`${server.url}/plain.html`, (route) =>
    route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: plainPage(`${server.url}/api`) }),
  );
  const shoot = async (path, file, height) => {
    await page.goto(`${server.url}${path}`);
    const host = page.locator('#confab');
    await page.waitForFunction(
      () => (document.querySelector('#confab')?.shadowRoot?.querySelectorAll('article').length ?? 0) > 50,
    );
    await page.evaluate(() => document.fonts.ready);
    await host.scrollIntoViewIfNeeded();
    const box = await host.boundingBox();
    const scroll = await page.evaluate(() => window.scrollY);
    await page.screenshot({
      path: file,
      clip: { x: 0, y: box.y + scroll - 8, width: page.viewportSize().width, height },
      fullPage: true,
    });
    spawnSync('pngquant', ['--quality', '60-85', '--speed', '1', '--force', '--output', file, file]);
    console.log(file.replace(root, ''));
  };
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const width of [375, 900]) {
      await page.setViewportSize({ width, height: 900 });
      await shoot('/plain.html', `${out}${prefix}-${scheme}-${width}.png`, width === 375 ? 1400 : 1100);
    }
  }
  if (prefix === 'after') {
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 900, height: 900 });
    await shoot('/', `${root}docs/screenshot.png`, 1100);
  }
} finally {
  await browser.close();
  await server.close();
}
