// What a reader who only reads never waits for, in Chromium with the script-tag bundle: what the
// comments' buttons and keys do (confab-events.iife.js) comes after the comments show; votes,
// edits and deletes come with posting (confab-posting.iife.js); live updates' store side with the
// live connection (confab-live.iife.js), only on pages with the `live` option. A click that comes
// before its code is carried out once the code is here, or says why not.
import { describe, expect, it } from 'vitest';
import { THREAD, pageWith, useHarness } from './harness';

const h = useHarness();
const requested = (file: string) => h.requests.filter((r) => r.url().endsWith(`/${file}`));

/** Holds a file back until the returned function is called. */
async function holdBack(file: string): Promise<() => void> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  await h.page.route(`**/${file}`, async (route) => {
    await released;
    await route.fallback();
  });
  return release;
}

describe('code the first load leaves out, in Chromium', () => {
  it('asks for the buttons’ code only after the comments show, and carries out a vote clicked before it came', async () => {
    const { page } = h;
    const releaseEvents = await holdBack('confab-events.iife.js');
    const releasePosting = await holdBack('confab-posting.iife.js');
    await h.open('/early-vote.html', pageWith(`data-endpoint="/api" data-thread="${THREAD}"`));
    const first = page.locator('article').first();
    await first.waitFor();
    // Asked for once the first comments are painted: after the thread's answer, never before.
    await expect.poll(() => requested('confab-events.iife.js').length).toBe(1);
    const order = h.requests.map((r) => r.url());
    const threadRead = order.findIndex((url) => url.includes('/comments'));
    expect(threadRead).toBeGreaterThanOrEqual(0);
    expect(order.findIndex((url) => url.endsWith('/confab-events.iife.js'))).toBeGreaterThan(threadRead);
    expect(requested('confab-posting.iife.js')).toEqual([]);

    const up = first.getByRole('button', { name: 'Upvote' });
    const votes = () => h.requests.filter((r) => r.method() === 'POST' && r.url().includes('/votes'));
    await up.click();
    expect(await up.getAttribute('aria-pressed')).toBe('false'); // nothing can happen yet
    releaseEvents();
    // The handler came and took the click; voting's code (with posting's) is asked for then.
    await expect.poll(() => requested('confab-posting.iife.js').length).toBe(1);
    expect(votes()).toEqual([]);
    releasePosting();
    await expect.poll(() => up.getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => votes().length).toBe(1);
    expect(h.problems).toEqual([]);
  });

  it('says so when a click’s code cannot come, and a later click tries again', async () => {
    const { page } = h;
    let refuse = true;
    await page.route('**/confab-events.iife.js', (route) => (refuse ? route.abort() : route.fallback()));
    await h.open('/no-events.html', pageWith(`data-endpoint="/api" data-thread="${THREAD}"`));
    const first = page.locator('article').first();
    await first.waitFor();
    await first.getByRole('button', { name: 'Reply' }).click();
    const announced = () =>
      page.evaluate(() => document.querySelector('#confab')!.shadowRoot!.querySelector('.confab-toast')?.textContent ?? '');
    await expect.poll(announced).toContain('Could not reach the comment server.');
    expect(await page.getByRole('textbox', { name: /Your reply to/ }).count()).toBe(0);

    refuse = false;
    await first.getByRole('button', { name: 'Reply' }).click();
    await page.getByRole('textbox', { name: /Your reply to/ }).waitFor();
  });

  it('loads no live code on a page without the live option', async () => {
    const { page } = h;
    await h.open('/not-live.html', pageWith(`data-endpoint="/api" data-thread="${THREAD}"`));
    await page.locator('article').first().waitFor();
    await expect.poll(() => requested('confab-events.iife.js').length).toBe(1);
    expect(requested('confab-live.iife.js')).toEqual([]);
    // The first load itself has not the buttons' handler (its toolbar keys, its menu closing).
    const bundle = await (await fetch(`${h.server.url}/confab.iife.js`)).text();
    for (const text of ['ArrowLeft', 'hidePopover']) expect(bundle).not.toContain(text);
  });
  // Intl's first formatter costs 25-45 ms in a fresh page (ICU's data). The widget builds it while
  // the page is idle waiting for the thread; an answer that comes first is shown first, and the
  // times a frame later, moving nothing.
  /** Before the widget: how the first comment and its time looked when it first showed, and layout shifts. */
  const watchFirstComment = (noIdle: boolean) => `<script>
    ${noIdle ? 'window.requestIdleCallback = undefined;' : ''}
    window.seen = null; window.shifts = 0;
    new PerformanceObserver((list) => { for (const e of list.getEntries()) window.shifts += e.value; }).observe({ type: 'layout-shift', buffered: true });
    const attach = Element.prototype.attachShadow;
    Element.prototype.attachShadow = function (init) {
      const root = attach.call(this, init);
      new MutationObserver(() => {
        const article = root.querySelector('article');
        if (article && !window.seen) {
          window.seen = {
            text: article.querySelector('.confab-body').textContent,
            time: article.querySelector('.confab-permalink').textContent,
          };
          // Whether the comments of that first render reach past the window's bottom, once
          // painted (content-visibility: auto sizes them at the frame, not before).
          const shown = [...root.querySelectorAll('article')];
          requestAnimationFrame(() =>
            requestAnimationFrame(() => (window.seen.filled = shown.at(-1).getBoundingClientRect().bottom >= innerHeight)),
          );
        }
      }).observe(root, { childList: true, subtree: true });
      return root;
    };
  </script>`;
  const firstSeen = () =>
    h.page.evaluate(() => (window as unknown as { seen: { text: string; time: string; filled: boolean } }).seen);
  const allTimesShown = async () => {
    const times = h.page.locator('article .confab-permalink');
    await expect
      .poll(async () => (await times.allTextContents()).every((text) => /ago|yesterday|last|now/.test(text)))
      .toBe(true);
    expect(await times.count()).toBeGreaterThan(10);
    await h.page.waitForTimeout(300);
    expect(await h.page.evaluate(() => (window as unknown as { shifts: number }).shifts)).toBe(0);
  };

  it('shows comments that come before the page was idle at once, and their times a frame later, moving nothing', async () => {
    // No idle time at all (as in a browser without requestIdleCallback): the formatter can only
    // come after the comments.
    await h.open(
      '/first-paint.html',
      pageWith(`data-endpoint="/api" data-thread="${THREAD}"`, '<div id="confab"></div>', watchFirstComment(true)),
    );
    await h.page.locator('article').first().waitFor();
    await h.page.waitForFunction(() => (window as unknown as { seen: { filled?: boolean } }).seen?.filled !== undefined);
    const seen = await firstSeen();
    expect(seen.text.length).toBeGreaterThan(0);
    expect(seen.time).toBe('');
    // The first render holds the whole first screen (and only about that: CommentList.tsx).
    expect(seen.filled).toBe(true);
    await allTimesShown();
    expect(h.problems).toEqual([]);
  });

  it('builds the time formatter while waiting for a slow thread: the comments come with their times', async () => {
    const release = await holdBack('comments?*');
    await h.open(
      '/slow-thread.html',
      pageWith(`data-endpoint="/api" data-thread="${THREAD}"`, '<div id="confab"></div>', watchFirstComment(false)),
    );
    await h.page.waitForTimeout(500);
    expect(await h.page.locator('article').count()).toBe(0); // the thread is still on its way
    release();
    await h.page.locator('article').first().waitFor();
    const seen = await firstSeen();
    expect(seen.time).toMatch(/ago|yesterday|last|now/);
    await allTimesShown();
    expect(h.problems).toEqual([]);
  });
});
