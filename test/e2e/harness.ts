// Shared set-up for the Chromium tests: one protocol server with the seed thread, one browser,
// a fresh tab per test that records page errors, console errors and every request.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import type { Page, Request } from 'playwright-core';
import { startServer } from '../../server/src/index.js';
import { launchBrowser } from '../../scripts/chromium.mjs';
import { renderArticlePage } from '../../demo/page.mjs';

export const seed = JSON.parse(readFileSync(new URL('../../demo/seed/thread.json', import.meta.url), 'utf8'));
export const THREAD: string = seed.thread.id;
const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));
export const SEED_COUNT: number = seed.comments.length;

export interface Harness {
  server: Awaited<ReturnType<typeof startServer>>;
  page: Page;
  /** `page error: …` and `console error: …` lines seen in the current test. */
  problems: string[];
  requests: Request[];
  /** Serves `html` (with optional response headers) at `path` on the server's origin and opens it. */
  open(path: string, html: string, headers?: Record<string, string>): Promise<void>;
}

export function useHarness(): Harness {
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  const harness = { problems: [], requests: [] } as unknown as Harness;

  beforeAll(async () => {
    // No rate limit: a test file posts from one address faster than a person would.
    // The widget's files from dist/, served by the server itself (confab.iife.js and its locales).
    harness.server = await startServer({
      seed,
      widgetDir: DIST,
      homePage: ({ url, widgetSrc }) =>
        renderArticlePage({ article: seed.article, thread: seed.thread, scriptSrc: widgetSrc, endpoint: `${url}/api` }),
      rateLimit: { burst: 0, perMinute: 0 },
      // A test types faster than a person: the too-fast rule (spam.test.ts) would hold its comments.
      minComposeSeconds: 0,
    });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await harness.server?.close();
  });
  beforeEach(async () => {
    const page = await browser.context.newPage();
    harness.page = page;
    harness.problems = [];
    harness.requests = [];
    page.on('pageerror', (error) => harness.problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') harness.problems.push(`console error: ${message.text()}`);
    });
    page.on('request', (request) => harness.requests.push(request));
    harness.open = async (path, html, headers = {}) => {
      await page.route(`${harness.server.url}${path}`, (route) =>
        route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', headers, body: html }),
      );
      await page.goto(`${harness.server.url}${path}`);
    };
  });
  afterEach(async () => {
    await harness.page.close();
  });
  return harness;
}

/** A bare page as a site owner would write it: `body` then the script tag with `attributes`. */
export function pageWith(attributes: string, body = '<div id="confab"></div>', head = '') {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,">
<title>Test page</title>${head}</head><body>${body}
<script src="/confab.iife.js" ${attributes} async></script></body></html>`;
}
