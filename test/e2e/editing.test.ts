// Editing an own comment in Chromium, with the script-tag bundle: the edit form's code arrives
// only on the first Edit click (confab-edit.iife.js, next to confab.iife.js, with the script's
// nonce under a strict CSP), focus goes into its text, and a file that does not come says so in
// the comment while a second click tries again.
import { describe, expect, it } from 'vitest';
import { THREAD, pageWith, useHarness } from './harness';

const h = useHarness();
const NONCE = 'e2e-edit';
/** Only scripts with the nonce run: the edit form's file too, or it never registers. */
const CSP = { 'Content-Security-Policy': `script-src 'nonce-${NONCE}'` };

/** Opens the thread and posts `text` as this reader, so that its Edit button is offered. */
async function postOwn(text: string) {
  const { page } = h;
  await h.open('/edit.html', pageWith(`data-endpoint="/api" data-thread="${THREAD}" nonce="${NONCE}"`), CSP);
  await page.getByRole('textbox', { name: 'Your comment' }).first().fill(text);
  await page.getByRole('button', { name: 'Post comment' }).click();
  const posted = page.locator('article').filter({ hasText: text }).first();
  await posted.getByRole('button', { name: 'Edit' }).waitFor();
  // By its id: while the form is open, the comment's text is in a textarea, not the article's text.
  return page.locator(`article#${await posted.getAttribute('id')}`);
}

const editFile = () => h.requests.filter((r) => r.url().endsWith('/confab-edit.iife.js'));
const activeElementId = () => h.page.evaluate(() => document.querySelector('#confab')!.shadowRoot!.activeElement?.id);

describe('posting’s code in Chromium', () => {
  it('is not part of the first load: it comes when the reader first focuses the form, under the strict CSP', async () => {
    const { page } = h;
    const postingFile = () => h.requests.filter((r) => r.url().endsWith('/confab-posting.iife.js'));
    await h.open('/posting.html', pageWith(`data-endpoint="/api" data-thread="${THREAD}" nonce="${NONCE}"`), CSP);
    await page.getByRole('heading', { name: /\d+ comments/ }).waitFor();
    expect(postingFile()).toEqual([]);
    await page.getByRole('textbox', { name: 'Your comment' }).first().focus();
    await expect.poll(() => postingFile().length).toBe(1);
    await page.getByRole('textbox', { name: 'Your comment' }).first().fill('Posted with its code on demand.');
    await page.getByRole('button', { name: 'Post comment' }).click();
    await page
      .locator('article')
      .filter({ hasText: 'Posted with its code on demand.' })
      .getByRole('button', { name: 'Edit' })
      .waitFor();
    expect(postingFile()).toHaveLength(1);
    expect(h.problems).toEqual([]);
  });
});

describe('editing an own comment in Chromium', () => {
  it('loads the form on the first Edit click only, focuses its text and saves the edit', async () => {
    const { page } = h;
    const article = await postOwn('Written in hsate.');
    expect(editFile()).toEqual([]); // not part of the first load, nor of posting

    await article.getByRole('button', { name: 'Edit' }).click();
    const box = article.getByRole('textbox', { name: 'Edit your comment' });
    await box.waitFor();
    expect(editFile()).toHaveLength(1);
    await expect.poll(activeElementId).toMatch(/^confab-edit-/);
    await box.fill('Written in haste.');
    await page.keyboard.press('Control+Enter');
    await article.getByText('edited').waitFor();
    expect(await article.textContent()).toContain('Written in haste.');

    // Again: the code is there already; Escape closes the form and the comment stays as saved.
    await article.getByRole('button', { name: 'Edit' }).click();
    await box.waitFor();
    await expect.poll(activeElementId).toMatch(/^confab-edit-/);
    await page.keyboard.type(' Or not.');
    await page.keyboard.press('Escape');
    await box.waitFor({ state: 'detached' });
    expect(await article.textContent()).not.toContain('Or not.');
    expect(editFile()).toHaveLength(1);
    expect(h.problems).toEqual([]);
  });

  it('says so in the comment when the form cannot be loaded, and a second click tries again', async () => {
    const { page } = h;
    const article = await postOwn('Edited offline, then online.');
    await page.route('**/confab-edit.iife.js', (route) => route.abort());
    await article.getByRole('button', { name: 'Edit' }).click();
    const alert = article.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toBe('Could not reach the comment server.');
    expect(await article.getByRole('textbox').count()).toBe(0);

    await page.unroute('**/confab-edit.iife.js');
    await article.getByRole('button', { name: 'Edit' }).click();
    await article.getByRole('textbox', { name: 'Edit your comment' }).waitFor();
    expect(await alert.count()).toBe(0);
    expect(editFile()).toHaveLength(2);
    // The aborted file is the one console error Chromium writes; nothing threw.
    expect(h.problems.filter((p) => !p.includes('ERR_FAILED'))).toEqual([]);
  });
});
