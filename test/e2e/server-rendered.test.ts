// The server-rendered first view (GET /api/threads/{thread}/html, made by confab/ssr) in Chromium,
// read with JavaScript off. (Adopting it in place is on branch wip-ssr-adopt: issue 19.)
import { describe, expect, it } from 'vitest';
import { launchBrowser } from '../../scripts/chromium.mjs';
import { SEED_COUNT, THREAD, seed, useHarness } from './harness';

const h = useHarness();

/** The first page of 5 top-level comments (and their replies), so that there is more to load. */
async function serverHtml(): Promise<string> {
  const response = await fetch(`${h.server.url}/api/threads/${encodeURIComponent(THREAD)}/html?limit=5`);
  expect(response.status).toBe(200);
  return response.text();
}

const article = (html: string, script = '') => `<!doctype html><html lang="en"><head><meta charset="utf-8">
<link rel="icon" href="data:,"><title>Article</title></head><body><main><h1>${seed.thread.title}</h1>
<div id="confab" data-endpoint="/api" data-thread="${THREAD}" data-page-size="5">${html}</div></main>${script}</body></html>`;

const firstText = 'Hezbollahwill never make any agreements';

describe('the server-rendered first view', () => {
  it('shows the thread with JavaScript off, says that replying needs it, and hides the form', async () => {
    const browser = await launchBrowser({ javaScriptEnabled: false });
    // (This test runs its own Chromium, with JavaScript off; the harness's has it on.)
    try {
      const page = await browser.context.newPage();
      const requests: string[] = [];
      page.on('request', (request) => requests.push(request.url()));
      const html = article(await serverHtml(), '<script src="/confab.iife.js" async></script>');
      await page.route(`${h.server.url}/ssr-nojs.html`, (route) =>
        route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }),
      );
      await page.goto(`${h.server.url}/ssr-nojs.html`);
      expect(await page.getByText(firstText).first().isVisible()).toBe(true);
      expect(await page.getByRole('heading', { name: `${SEED_COUNT} comments` }).isVisible()).toBe(true);
      // The note and the rule that hides the form are in a <noscript>: a browser with JavaScript
      // off shows it. (Headless Chromium shows no <noscript> even with scripts off, not even one
      // outside a shadow root, so its content is checked here, not its rendering.)
      const noscript = await page
        .locator('#confab')
        .evaluate((host) => [...host.shadowRoot!.children].find((child) => child.localName === 'noscript')?.innerHTML ?? null);
      expect(noscript).toBe('<style>.confab-form{display:none}</style><p class="confab-notice">Replying needs JavaScript.</p>');
      // The first page as the widget shows it: 5 top-level comments, their replies under them.
      expect(await page.locator('#confab article').count()).toBeGreaterThan(5);
      expect(requests.filter((url) => url.includes('/comments'))).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
