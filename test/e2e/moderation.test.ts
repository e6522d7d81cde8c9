// Moderation as a reader meets it in Chromium, with the script-tag bundle: the report dialog's
// code arrives only on the first Report click (confab-report.iife.js, next to confab.iife.js),
// runs on the page's one Preact, and sends the report as this reader.
import { describe, expect, it } from 'vitest';
import { THREAD, pageWith, useHarness } from './harness';

const h = useHarness();

describe('reporting a comment in Chromium', () => {
  it('loads the dialog on demand, sends the reason and note with X-Voter, and thanks the reader', async () => {
    const { page } = h;
    // Watched on their way to the reference server, which stores them.
    const reports: { body: unknown; voter: string | undefined; url: string }[] = [];
    await page.route('**/reports', async (route) => {
      const request = route.request();
      reports.push({ body: request.postDataJSON(), voter: request.headers()['x-voter'], url: request.url() });
      await route.continue();
    });
    await h.open('/plain.html', pageWith(`data-endpoint="/api" data-thread="${THREAD}"`));
    const cheryl = page.locator('article').filter({ hasText: 'Hezbollahwill never make any agreements' }).first();
    await cheryl.waitFor();
    const reportFile = () => h.requests.filter((r) => r.url().endsWith('/confab-report.iife.js'));
    expect(reportFile()).toEqual([]); // not part of the first load

    // Report waits in the comment's "More actions" menu.
    const menu = cheryl.getByRole('button', { name: 'More actions' });
    const button = cheryl.getByRole('button', { name: 'Report' });
    await menu.click();
    await button.click();
    const dialog = page.getByRole('dialog', { name: 'Report this comment' });
    await dialog.waitFor();
    expect(reportFile()).toHaveLength(1);
    // A modal dialog: focus is inside it, on the first reason.
    expect(await page.evaluate(() => document.querySelector('#confab')!.shadowRoot!.activeElement?.getAttribute('value'))).toBe(
      'spam',
    );
    await dialog.getByRole('radio', { name: 'Spam' }).check();
    await dialog.getByRole('textbox', { name: 'Note for the moderators (optional)' }).fill('Same link in every comment');
    await dialog.getByRole('button', { name: 'Send report' }).click();
    await dialog.getByText('Thanks, a moderator will look at it.').waitFor();
    expect(reports).toHaveLength(1);
    expect(reports[0]!.body).toEqual({ reason: 'spam', note: 'Same link in every comment' });
    expect(reports[0]!.url).toMatch(new RegExp(`/api/threads/${encodeURIComponent(THREAD)}/comments/[^/]+/reports$`));
    expect(reports[0]!.voter).toMatch(/^.{16,}$/);

    // Escape closes it (the browser's own modal dialog) and focus is back on the menu's button.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(
      await page.evaluate(() => document.querySelector('#confab')!.shadowRoot!.activeElement?.getAttribute('aria-label')),
    ).toBe('More actions');

    // Again: the code is there already, and the server's 200 (reported before) reads as done.
    await menu.click();
    await button.click();
    await dialog.getByRole('radio', { name: 'Other' }).check();
    await dialog.getByRole('button', { name: 'Send report' }).click();
    await dialog.getByText('Thanks, a moderator will look at it.').waitFor();
    expect(reportFile()).toHaveLength(1);
    expect(reports[1]!.voter).toBe(reports[0]!.voter);
    // One reader, one report: the first one stays as sent.
    const commentId = /\/comments\/([^/]+)\/reports$/.exec(reports[0]!.url)![1]!;
    const { rows } = await h.server.db.query('SELECT reason, note FROM reports WHERE comment_id = $1', [
      decodeURIComponent(commentId),
    ]);
    expect(rows).toEqual([{ reason: 'spam', note: 'Same link in every comment' }]);
    expect(h.problems).toEqual([]);
  });
});
