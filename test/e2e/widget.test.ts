// The script-tag bundle in real Chromium against the local protocol server.
import { describe, expect, it } from 'vitest';
import { SEED_COUNT, THREAD, pageWith, useHarness } from './harness';

const h = useHarness();

describe('script tag in Chromium', () => {
  it('renders the whole seed thread on a plain page and reports how long it took', async () => {
    await h.open('/plain.html', pageWith(`data-endpoint="/api" data-thread="${THREAD}"`));
    // performance.now() counts from navigation start: this is navigation → all comments visible.
    const elapsed = await h.page.waitForFunction(
      (count) => {
        const root = document.querySelector('#confab')?.shadowRoot;
        const visible = root ? [...root.querySelectorAll('article')].filter((a) => a.checkVisibility()).length : 0;
        return visible === count ? performance.now() : false;
      },
      SEED_COUNT,
      { polling: 'raf' },
    );
    console.log(
      `seed thread (${SEED_COUNT} comments): navigation → all visible in ${Math.round((await elapsed.jsonValue()) as number)} ms`,
    );
    expect(await h.page.getByRole('heading', { name: `${SEED_COUNT} comments` }).isVisible()).toBe(true);
    expect(await h.page.getByText('Hezbollahwill never make any agreements').isVisible()).toBe(true);
    expect(h.problems).toEqual([]);
  });

  it('posts a reply that appears under its parent and is stored by the server', async () => {
    await h.open('/plain.html', pageWith(`data-endpoint="/api" data-thread="${THREAD}"`));
    const { page } = h;
    const cheryl = page
      .locator('li.confab-item')
      .filter({ has: page.getByText('Hezbollahwill never make any agreements') })
      .first();
    await cheryl.getByRole('button', { name: 'Reply' }).first().click();
    await page.getByRole('textbox', { name: 'Your reply to Cheryl Brandon' }).fill('A reply written in a real browser.');
    await page.getByRole('textbox', { name: 'Name' }).last().fill('E2E Reader');
    await page.getByRole('button', { name: 'Post reply' }).click();
    await cheryl.getByText('A reply written in a real browser.').waitFor();
    await page.getByRole('heading', { name: `${SEED_COUNT + 1} comments` }).waitFor();

    const answer = await fetch(`${h.server.url}/api/threads/${encodeURIComponent(THREAD)}/comments?limit=100`);
    const stored = (await answer.json()).comments.find((c: { body: string }) => c.body === 'A reply written in a real browser.');
    expect(stored.parentId).toBe('c1');
    expect(stored.author.name).toBe('E2E Reader');
    expect(h.problems).toEqual([]);
  });

  it('shows a clear message in place of the thread when the endpoint is unreachable', async () => {
    await h.open('/plain.html', pageWith('data-endpoint="http://127.0.0.1:9/api" data-thread="nowhere"'));
    const alert = h.page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('Could not reach the comment server');
    expect(await h.page.getByRole('button', { name: 'Retry' }).isVisible()).toBe(true);
    expect(h.problems.filter((p) => p.startsWith('page error'))).toEqual([]);
  });

  it('explains a missing endpoint in the widget and once in the console', async () => {
    await h.open('/plain.html', pageWith('data-thread="x"'));
    const message = h.page.locator('.confab-config-error');
    await message.waitFor();
    expect(await message.textContent()).toContain('endpoint');
    expect(h.problems.filter((p) => p.startsWith('console error'))).toHaveLength(1);
    expect(h.problems.filter((p) => p.startsWith('page error'))).toEqual([]);
  });
});

describe('demo article page', () => {
  it('serves the seed article with the live widget', async () => {
    await h.page.goto(`${h.server.url}/`);
    expect(await h.page.getByRole('heading', { level: 1 }).textContent()).toContain('SDF Denies Alleged Agreement');
    await h.page.getByRole('heading', { name: /\d+ comments/ }).waitFor();
    expect(await h.page.locator('article.confab-comment').count()).toBeGreaterThanOrEqual(SEED_COUNT);
    expect(h.problems).toEqual([]);
  });
});
