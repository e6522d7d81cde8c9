// Failing networks in Chromium: nothing a reader typed is lost, nothing is posted twice.
import { describe, expect, it } from 'vitest';
import type { Request } from 'playwright-core';
import { THREAD, pageWith, useHarness } from './harness';

const h = useHarness();
const script = `data-endpoint="/api" data-thread="${THREAD}"`;
const textarea = () => h.page.getByRole('textbox', { name: 'Your comment' });
const postsOf = (requests: Request[]) => requests.filter((r) => r.method() === 'POST' && r.url().endsWith('/comments'));

async function storedBodies(body: string) {
  const answer = await fetch(`${h.server.url}/api/threads/${encodeURIComponent(THREAD)}/comments?limit=100&sort=newest`);
  return (await answer.json()).comments.filter((c: { body: string }) => c.body === body).length;
}

describe('failing networks', () => {
  it('keeps the text when the endpoint is down, restores it after a reload, and posts once on Retry', async () => {
    let down = true;
    await h.page.route('**/api/threads/*/comments', (route) =>
      route.request().method() === 'POST' && down ? route.abort('connectionrefused') : route.fallback(),
    );
    await h.open('/down.html', pageWith(script));
    await textarea().fill('Written while the server was down');
    await h.page.getByRole('button', { name: 'Post comment' }).click();
    await h.page.getByText('Your comment was not posted').waitFor();
    expect(await textarea().inputValue()).toBe('Written while the server was down');

    await h.page.reload();
    await h.page.getByRole('heading', { name: /comments/ }).waitFor();
    expect(await textarea().inputValue()).toBe('Written while the server was down');

    down = false;
    await h.page.getByRole('button', { name: 'Post comment' }).click();
    await h.page.locator('article', { hasText: 'Written while the server was down' }).waitFor();
    const keys = postsOf(h.requests).map((r) => r.headers()['idempotency-key']);
    expect(keys).toHaveLength(2);
    expect(new Set(keys).size).toBe(1); // the retry after the reload reused the key
    expect(await storedBodies('Written while the server was down')).toBe(1);
    expect(await textarea().inputValue()).toBe('');
  });

  it('tells the site owner in the console why the thread did not load: the endpoint and the likely causes', async () => {
    // A server that is down (or refuses this site: the browser then reports the same network error).
    await h.open('/unreachable.html', pageWith(`data-endpoint="http://127.0.0.1:9/api" data-thread="${THREAD}"`));
    await h.page.getByRole('button', { name: 'Retry' }).waitFor();
    const errors = () => h.problems.filter((line) => line.includes('Confab:'));
    await expect.poll(() => errors().length).toBe(1);
    expect(errors()[0]).toContain('http://127.0.0.1:9/api');
    expect(errors()[0]).toContain('Could not reach the comment server.');
    expect(errors()[0]).toContain('ALLOWED_ORIGINS');
    expect(errors()[0]).toContain(h.server.url); // this site's origin, as the server must list it

    // A wrong path: the server answers, but not as the API.
    h.problems.length = 0;
    await h.open('/wrong-path.html', pageWith(`data-endpoint="/not-the-api" data-thread="${THREAD}"`));
    await h.page.getByRole('button', { name: 'Retry' }).waitFor();
    await expect.poll(() => errors().length).toBe(1);
    expect(errors()[0]).toContain(`${h.server.url}/not-the-api`);
    expect(errors()[0]).toContain("is this its API's address");
  });

  it('shows loading on a 5 s answer and sends one comment for a double click on a slow post', async () => {
    await h.page.route('**/api/threads/*/comments*', async (route) => {
      await new Promise((resolve) => setTimeout(resolve, route.request().method() === 'GET' ? 5_000 : 1_500));
      await route.fallback();
    });
    await h.open('/slow.html', pageWith(script));
    await h.page.getByRole('status').filter({ hasText: 'Loading comments…' }).waitFor();
    await h.page.getByRole('heading', { name: /\d+ comments/ }).waitFor({ timeout: 10_000 });
    await textarea().fill('Patience');
    await h.page.getByRole('button', { name: 'Post comment' }).dblclick();
    await h.page.getByRole('button', { name: 'Posting…' }).waitFor();
    await h.page
      .locator('article', { hasText: 'Patience' })
      .locator('.confab-badge')
      .waitFor({ state: 'detached', timeout: 10_000 });
    expect(postsOf(h.requests)).toHaveLength(1);
    expect(await storedBodies('Patience')).toBe(1);
  }, 30_000);

  it('times out with a clear message and recovers on Retry', async () => {
    let hang = true;
    await h.page.route('**/api/threads/*/comments*', (route) => (hang ? undefined : route.fallback()));
    await h.open('/timeout.html', pageWith(`${script} data-timeout="1000"`));
    const alert = h.page.getByRole('alert');
    await alert.waitFor({ timeout: 10_000 });
    expect(await alert.textContent()).toContain('took too long');
    hang = false;
    await h.page.getByRole('button', { name: 'Retry' }).click();
    await h.page.getByRole('heading', { name: /\d+ comments/ }).waitFor();
  }, 30_000);

  it('says it is offline, keeps the draft, and posts back online only when the reader confirms', async () => {
    await h.open('/offline.html', pageWith(script));
    await h.page.getByRole('heading', { name: /\d+ comments/ }).waitFor();
    await h.page.context().setOffline(true);
    await h.page.getByText('You are offline. You can keep writing').waitFor();
    await textarea().fill('Drafted offline');
    await h.page.getByRole('button', { name: 'Post comment' }).click();
    await h.page.getByText('You are offline. Your text is kept here.').waitFor();
    await h.page.context().setOffline(false);
    await h.page.getByText('You are back online.').waitFor();
    expect(postsOf(h.requests)).toHaveLength(0);
    await h.page.getByRole('button', { name: 'Post now' }).click();
    await h.page.locator('article', { hasText: 'Drafted offline' }).waitFor();
    expect(postsOf(h.requests)).toHaveLength(1);
  });
});
