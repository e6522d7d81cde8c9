// The server-rendered first view (GET /api/threads/{thread}/html, made by confab/ssr) in Chromium:
// read with JavaScript off, then adopted in place by the script-tag widget: the same nodes, no
// layout shift, no second request for the page it already has, and working buttons.
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

  it('is adopted by the widget in place: the same nodes, no layout shift, no second request', async () => {
    const { page } = h;
    await h.open('/ssr.html', article(await serverHtml()));
    await page.getByText(firstText).first().waitFor();
    const before = await page.evaluate(() => {
      const root = document.querySelector('#confab')!.shadowRoot!;
      const w = window as unknown as { first: Element; shifts: number; ready: boolean };
      w.first = root.querySelector('article')!;
      w.shifts = 0;
      w.ready = false;
      // The times the server wrote stay as they are: the widget's first render writes the same.
      const times = () => [...root.querySelectorAll('.confab-permalink')].map((link) => link.textContent);
      (w as unknown as { times: string[] }).times = times();
      new MutationObserver(() => {
        if (times().some((text) => !text)) (w as unknown as { emptied: boolean }).emptied = true;
      }).observe(root, { childList: true, subtree: true, characterData: true });
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) w.shifts += (entry as unknown as { value: number }).value;
      }).observe({ type: 'layout-shift' });
      document.querySelector('#confab')!.addEventListener('confab:ready', () => (w.ready = true));
      return root.querySelectorAll('article').length;
    });
    // The script arrives after the page has shown its comments.
    await page.evaluate(() => {
      const script = document.createElement('script');
      script.src = '/confab.iife.js';
      document.body.append(script);
    });
    await page.waitForFunction(() => (window as unknown as { ready: boolean }).ready);
    await page.waitForTimeout(300); // slices, styles, fonts: anything that would shift comes now
    const after = await page.evaluate(() => {
      const root = document.querySelector('#confab')!.shadowRoot!;
      const w = window as unknown as { first: Element; shifts: number; times: string[]; emptied?: boolean };
      return {
        same: root.querySelector('article') === w.first && w.first.isConnected,
        articles: root.querySelectorAll('article').length,
        containers: root.querySelectorAll('.confab').length,
        shifts: w.shifts,
        timesKept: w.times.length > 0 && w.times.every(Boolean) && !w.emptied,
      };
    });
    expect(after).toEqual({ same: true, articles: before, containers: 1, shifts: 0, timesKept: true });
    expect(h.requests.filter((r) => r.url().includes('/comments'))).toEqual([]);
    // The code that reads the server's markup came as a part, for this page only.
    expect(h.requests.filter((r) => r.url().endsWith('/confab-adopt.iife.js'))).toHaveLength(1);

    // Adopted, not just left there: its buttons work.
    const first = page.locator('article').filter({ hasText: firstText }).first();
    await first.getByRole('button', { name: 'Reply' }).click();
    await page.getByRole('textbox', { name: /^Your reply to / }).waitFor();
    // And the rest of the thread is a click away, from the server (the first request for comments).
    await page.getByRole('button', { name: 'Load more comments' }).click();
    await expect.poll(() => page.locator('#confab article').count()).toBeGreaterThan(before);
    expect(h.requests.filter((r) => r.url().includes('/comments'))).toHaveLength(1);
    expect(h.requests.find((r) => r.url().includes('/comments'))!.url()).toContain('cursor=');
    expect(h.problems).toEqual([]);
  });
  it('shows what this reader left there (a draft, a vote) in the adopted view', async () => {
    const { page } = h;
    const html = article(await serverHtml());
    const adopt = async () => {
      await h.open('/ssr-mine.html', html);
      await page.getByText(firstText).first().waitFor();
      await page.evaluate(() => {
        const w = window as unknown as { first: Element; ready: boolean };
        w.first = document.querySelector('#confab')!.shadowRoot!.querySelector('article')!;
        document.querySelector('#confab')!.addEventListener('confab:ready', () => (w.ready = true));
        const script = document.createElement('script');
        script.src = '/confab.iife.js';
        document.body.append(script);
      });
      await page.waitForFunction(() => (window as unknown as { ready: boolean }).ready);
    };
    await adopt();
    const first = page.locator('article').filter({ hasText: firstText }).first();
    await page.getByRole('textbox', { name: 'Your comment' }).fill('Half a thought, kept');
    await first.getByRole('button', { name: 'Upvote' }).click();
    await expect.poll(() => first.getByRole('button', { name: 'Upvote' }).getAttribute('aria-pressed')).toBe('true');

    // The same server HTML again (it knows nothing of this reader): adopted, it shows both.
    await adopt();
    await expect.poll(() => page.getByRole('textbox', { name: 'Your comment' }).inputValue()).toBe('Half a thought, kept');
    expect(await first.getByRole('button', { name: 'Upvote' }).getAttribute('aria-pressed')).toBe('true');
    expect(
      await page.evaluate(() => {
        const w = window as unknown as { first: Element };
        return document.querySelector('#confab')!.shadowRoot!.querySelector('article') === w.first;
      }),
    ).toBe(true);
    expect(h.problems).toEqual([]);
  });
});
