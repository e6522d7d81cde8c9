// Writing in Chromium, with the script-tag bundle: the forms' writing half (confab-write.iife.js)
// is not in the first load; a reader who types before it has come keeps every character, in the
// same field, and nothing on the page moves when it arrives.
import { describe, expect, it } from 'vitest';
import { THREAD, pageWith, useHarness } from './harness';

const h = useHarness();
const NONCE = 'e2e-write';
/** Only scripts with the nonce run: the part's file too, or it never registers. */
const CSP = { 'Content-Security-Policy': `script-src 'nonce-${NONCE}'` };
const writeFile = () => h.requests.filter((r) => r.url().endsWith('/confab-write.iife.js'));

async function storedBody(body: string) {
  const answer = await fetch(`${h.server.url}/api/threads/${encodeURIComponent(THREAD)}/comments?limit=100&sort=newest`);
  return (await answer.json()).comments.find((c: { body: string }) => c.body === body);
}

describe('the writing half of the form in Chromium', () => {
  it('keeps every character typed before its code has come, moves nothing when it comes, and posts', async () => {
    const { page } = h;
    // The part's file is held back until the reader has typed.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/confab-write.iife.js', async (route) => {
      await released;
      await route.fallback();
    });
    await h.open('/write.html', pageWith(`data-endpoint="/api" data-thread="${THREAD}" nonce="${NONCE}"`), CSP);
    await page.getByRole('heading', { name: /\d+ comments/ }).waitFor();
    expect(writeFile()).toEqual([]); // not in the first load

    const box = page.getByRole('textbox', { name: 'Your comment' });
    const name = page.getByRole('textbox', { name: 'Name' });
    const text = 'Typed at once: äöü, «quotes», emoji 🙂 and a\nsecond line, every character kept.';
    const before = await box.elementHandle();
    const layout = () =>
      page.evaluate(() => {
        const root = document.querySelector('#confab')!.shadowRoot!;
        const rect = (selector: string) => {
          const { x, y, width, height } = root.querySelector(selector)!.getBoundingClientRect();
          return { x, y, width, height };
        };
        return { form: rect('form'), button: rect('button[type="submit"]'), first: rect('article') };
      });
    const shape = await layout();

    await box.click();
    await page.keyboard.type(text, { delay: 5 });
    // Tab goes to the name field as it always did, the part or not.
    await page.keyboard.press('Tab');
    await page.keyboard.type('Quick Typist');
    expect(writeFile()).toHaveLength(1); // asked for on focus, still on its way
    expect(await page.evaluate(() => Boolean((globalThis as { ConfabParts?: { write?: unknown } }).ConfabParts?.write))).toBe(
      false,
    );
    expect(await box.inputValue()).toBe(text);

    release();
    await page.waitForFunction(() => Boolean((globalThis as { ConfabParts?: { write?: unknown } }).ConfabParts?.write));
    // The same elements, the same text, the focus where it was, and nothing moved.
    expect(await box.evaluate((element, old) => element === old, before)).toBe(true);
    expect(await box.inputValue()).toBe(text);
    expect(await name.inputValue()).toBe('Quick Typist');
    expect(await page.evaluate(() => document.querySelector('#confab')!.shadowRoot!.activeElement?.getAttribute('name'))).toBe(
      'name',
    );
    expect(await layout()).toEqual(shape);

    await page.keyboard.press('Control+Enter');
    await page.locator('article').filter({ hasText: 'every character kept.' }).getByRole('button', { name: 'Edit' }).waitFor();
    const stored = await storedBody(text);
    expect(stored?.author.name).toBe('Quick Typist');
    expect(await box.inputValue()).toBe('');
    expect(writeFile()).toHaveLength(1);
    expect(h.problems).toEqual([]);
  });

  it('posts what was typed when the reader presses Post before the code has come', async () => {
    const { page } = h;
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/confab-write.iife.js', async (route) => {
      await released;
      await route.fallback();
    });
    await h.open('/write-early.html', pageWith(`data-endpoint="/api" data-thread="${THREAD}" nonce="${NONCE}"`), CSP);
    await page.getByRole('heading', { name: /\d+ comments/ }).waitFor();
    await page.getByRole('textbox', { name: 'Your comment' }).pressSequentially('Posted before the part came.');
    await page.getByRole('button', { name: 'Post comment' }).click();
    // Post waits for the code, then posts: nothing is sent twice, nothing lost.
    release();
    await page
      .locator('article')
      .filter({ hasText: 'Posted before the part came.' })
      .getByRole('button', { name: 'Edit' })
      .waitFor();
    expect(await storedBody('Posted before the part came.')).toBeTruthy();
    expect(h.requests.filter((r) => r.method() === 'POST' && r.url().endsWith('/comments'))).toHaveLength(1);
    expect(h.problems).toEqual([]);
  });
});
