// The script-tag bundle in real Chromium against the local protocol server.
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startServer } from '../../demo/server/index.mjs';
import { launchBrowser } from '../../scripts/chromium.mjs';

type Browser = Awaited<ReturnType<typeof launchBrowser>>;

const seed = JSON.parse(readFileSync(new URL('../../demo/seed/thread.json', import.meta.url), 'utf8'));
const THREAD = seed.thread.id as string;
const SEED_COUNT = seed.comments.length as number;

let server: Awaited<ReturnType<typeof startServer>>;
let browser: Browser;
let page: Page;
let problems: string[];

/** A bare page, as a site owner would write it: a container and the script tag. */
function plainPage(attributes: string) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Plain page</title></head>
<body><h1>Plain page</h1><div id="confab"></div>
<script src="/confab.iife.js" ${attributes} async></script></body></html>`;
}

async function openPlainPage(attributes: string) {
  await page.route(`${server.url}/plain.html`, (route) =>
    route.fulfill({ status: 200, contentType: 'text/html', body: plainPage(attributes) }),
  );
  await page.goto(`${server.url}/plain.html`);
}

beforeAll(async () => {
  server = await startServer({ seed });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

beforeEach(async () => {
  page = await browser.context.newPage();
  problems = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
});

afterEach(async () => {
  await page.close();
});

describe('script tag in Chromium', () => {
  it('renders the whole seed thread on a plain page and reports how long it took', async () => {
    await openPlainPage(`data-endpoint="/api" data-thread="${THREAD}"`);
    // performance.now() counts from navigation start: this is navigation → all comments visible.
    const elapsed = await page.waitForFunction(
      (count) => {
        const root = document.querySelector('#confab')?.shadowRoot;
        const visible = root ? [...root.querySelectorAll('article')].filter((a) => a.checkVisibility()).length : 0;
        return visible === count ? performance.now() : false;
      },
      SEED_COUNT,
      { polling: 'raf' },
    );
    console.log(`seed thread (${SEED_COUNT} comments): navigation → all visible in ${Math.round(await elapsed.jsonValue() as number)} ms`);
    await expect(page.getByRole('heading', { name: `${SEED_COUNT} comments` }).isVisible()).resolves.toBe(true);
    expect(await page.getByText('Hezbollahwill never make any agreements').isVisible()).toBe(true);
    expect(problems).toEqual([]);
  });

  it('posts a reply that appears under its parent and is stored by the server', async () => {
    await openPlainPage(`data-endpoint="/api" data-thread="${THREAD}"`);
    const cheryl = page.locator('li.confab-item').filter({ has: page.getByText('Hezbollahwill never make any agreements') }).first();
    await cheryl.getByRole('button', { name: 'Reply' }).first().click();
    const box = page.getByRole('textbox', { name: 'Your reply to Cheryl Brandon' });
    await box.fill('A reply written in a real browser.');
    await page.getByRole('textbox', { name: 'Name' }).last().fill('E2E Reader');
    await page.getByRole('button', { name: 'Post reply' }).click();
    await cheryl.getByText('A reply written in a real browser.').waitFor();
    await page.getByRole('heading', { name: `${SEED_COUNT + 1} comments` }).waitFor();

    const answer = await fetch(`${server.url}/api/threads/${encodeURIComponent(THREAD)}/comments?limit=100`);
    const stored = (await answer.json()).comments.find((c: { body: string }) => c.body === 'A reply written in a real browser.');
    expect(stored.parentId).toBe('c1');
    expect(stored.author.name).toBe('E2E Reader');
    expect(problems).toEqual([]);
  });

  it('shows a clear message in place of the thread when the endpoint is unreachable', async () => {
    await openPlainPage('data-endpoint="http://127.0.0.1:9/api" data-thread="nowhere"');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('Could not reach the comment server');
    expect(await page.getByRole('button', { name: 'Retry' }).isVisible()).toBe(true);
    expect(problems.filter((p) => p.startsWith('page error'))).toEqual([]);
  });

  it('explains a missing endpoint in the widget and once in the console', async () => {
    await openPlainPage('data-thread="x"');
    const message = page.locator('.confab-config-error');
    await message.waitFor();
    expect(await message.textContent()).toContain('endpoint');
    expect(problems.filter((p) => p.startsWith('console error'))).toHaveLength(1);
    expect(problems.filter((p) => p.startsWith('page error'))).toEqual([]);
  });
});

describe('demo article page', () => {
  it('serves the seed article with the live widget', async () => {
    await page.goto(`${server.url}/`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('SDF Denies Alleged Agreement');
    await page.getByRole('heading', { name: /\d+ comments/ }).waitFor();
    expect(await page.locator('article.confab-comment').count()).toBeGreaterThanOrEqual(SEED_COUNT);
    expect(problems).toEqual([]);
  });
});
