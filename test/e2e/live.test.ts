// Live updates in Chromium against the reference server's event stream.
import { describe, expect, it } from 'vitest';
import { SEED_COUNT, THREAD, pageWith, useHarness } from './harness';

const h = useHarness();

async function postThroughApi(body: string, parentId: string | null = null) {
  const answer = await fetch(`${h.server.url}/api/threads/${encodeURIComponent(THREAD)}/comments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': `live-${body}` },
    body: JSON.stringify({ parentId, author: { name: 'Someone Else' }, body }),
  });
  expect(answer.status).toBe(201);
}

const countOf = (text: string) =>
  h.page.evaluate(
    (needle) =>
      [...document.querySelector('#confab')!.shadowRoot!.querySelectorAll('.confab-body')].filter((b) => b.textContent === needle)
        .length,
    text,
  );

describe('live updates in Chromium', () => {
  it('shows a comment posted elsewhere without a reload', async () => {
    await h.open('/live.html', pageWith(`data-endpoint="/api" data-thread="${THREAD}" data-live="true"`));
    await h.page.getByRole('heading', { name: /comments/ }).waitFor();
    await h.page.waitForFunction(() => document.querySelector('#confab')!.shadowRoot!.querySelectorAll('article').length > 0);
    // Give the stream a moment to open, then post from "another reader".
    await h.page.waitForTimeout(300);
    await postThroughApi('Hello from another tab', 'c1');
    await h.page.getByText('Hello from another tab').waitFor({ timeout: 5_000 });
    expect(await countOf('Hello from another tab')).toBe(1);
    expect(h.problems).toEqual([]);
  });

  it('reconnects after the stream drops and catches up exactly once', async () => {
    let streams = 0;
    let posted = false;
    await h.page.route('**/events', async (route) => {
      // The first stream is cut at once; the next waits until the comment exists, so only the
      // catch-up read after reconnecting can bring it.
      if (++streams === 1) return route.abort('connectionreset');
      while (!posted) await new Promise((resolve) => setTimeout(resolve, 50));
      await route.continue();
    });
    await h.open('/live-drop.html', pageWith(`data-endpoint="/api" data-thread="${THREAD}" data-live="true"`));
    await h.page.waitForFunction(
      (count) => document.querySelector('#confab')!.shadowRoot!.querySelectorAll('article').length >= count,
      SEED_COUNT,
    );
    await postThroughApi('Posted during the outage');
    posted = true;
    await h.page.getByText('Posted during the outage').waitFor({ timeout: 10_000 });
    expect(streams).toBeGreaterThanOrEqual(2);
    expect(await countOf('Posted during the outage')).toBe(1);
    expect(h.problems.filter((p) => p.startsWith('page error'))).toEqual([]);
  });
});
