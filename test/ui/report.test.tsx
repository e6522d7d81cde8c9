// The Report action: a button in the "More actions" menu of others' comments, a dialog loaded on
// first use, a reason and a note sent as this reader, thanks after, errors in the dialog with the
// note kept, and focus back on the menu's button (the menu closed) whichever way the dialog closes.
import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/preact';
import { ConfabError } from '../../src/errors';
import { createMemoryAdapter } from '../fixtures/memory-adapter';
import { makeComment } from '../fixtures/seed';
import { commentWith, postOwnComment, renderThread } from './render-thread';

async function openReport(text: string) {
  const adapter = createMemoryAdapter([makeComment({ body: text })]);
  const view = await renderThread(adapter);
  const menu = within(commentWith(text)).getByRole('button', { name: 'More actions' });
  const button = within(commentWith(text)).getByRole('button', { name: 'Report' });
  await view.user.click(menu);
  await view.user.click(button);
  const dialog = await screen.findByRole('dialog', { name: 'Report this comment' });
  return { ...view, adapter, button, menu, dialog };
}

describe('Report', () => {
  it("is offered on other readers' comments, not on one's own, and only when the backend takes reports", async () => {
    const own = await postOwnComment('Mine');
    expect(within(commentWith('Mine')).queryByRole('button', { name: 'Report' })).toBeNull();
    own.unmount();
    const { report: _report, ...noReports } = createMemoryAdapter([makeComment({ body: 'Unreportable' })]);
    await renderThread(noReports as ReturnType<typeof createMemoryAdapter>);
    expect(within(commentWith('Unreportable')).queryByRole('button', { name: 'Report' })).toBeNull();
  });

  it('sends the chosen reason and the note as this reader, then thanks them', async () => {
    const { user, adapter, dialog, menu } = await openReport('Buy cheap pills');
    expect(dialog.contains(document.activeElement)).toBe(true);
    const reasons = within(dialog).getAllByRole('radio');
    expect(reasons.map((radio) => radio.getAttribute('value'))).toEqual(['spam', 'abuse', 'off-topic', 'other']);
    expect(within(dialog).getByRole('group', { name: 'Reason' })).toBeTruthy();
    await user.click(within(dialog).getByRole('radio', { name: 'Spam' }));
    await user.type(within(dialog).getByRole('textbox', { name: 'Note for the moderators (optional)' }), '  Links to a shop  ');
    await user.click(within(dialog).getByRole('button', { name: 'Send report' }));
    await waitFor(() => expect(within(dialog).getByRole('status').textContent).toBe('Thanks, a moderator will look at it.'));
    const call = adapter.calls.find((c) => c.op === 'report')!;
    expect(call.report).toEqual({ reason: 'spam', note: 'Links to a shop' });
    expect(call.voter).toMatch(/^.{16,}$/);
    // The same voter id as votes: one reader, one report.
    await waitFor(() => expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Close' })));
    await user.click(within(dialog).getByRole('button', { name: 'Close' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(menu);
  });

  it('sends no note when there is none', async () => {
    const { user, adapter, dialog } = await openReport('Wrong thread');
    await user.click(within(dialog).getByRole('radio', { name: 'Off-topic' }));
    await user.click(within(dialog).getByRole('button', { name: 'Send report' }));
    await waitFor(() => expect(adapter.calls.find((c) => c.op === 'report')?.report).toEqual({ reason: 'off-topic' }));
  });

  it('says why a report failed, keeps the note, and sends on a second try', async () => {
    const { user, adapter, dialog } = await openReport('Rude words');
    adapter.failNext('report', new ConfabError('http', 'Too many', { status: 429, serverCode: 'rate_limited', retryAfter: 30 }));
    await user.click(within(dialog).getByRole('radio', { name: 'Abuse' }));
    const note = within(dialog).getByRole('textbox', { name: 'Note for the moderators (optional)' }) as HTMLTextAreaElement;
    await user.type(note, 'Insults another reader');
    await user.click(within(dialog).getByRole('button', { name: 'Send report' }));
    const alert = await within(dialog).findByRole('alert');
    expect(alert.textContent).toBe('Your report was not sent. Too many requests. Try again in 30 s.');
    expect(note.value).toBe('Insults another reader');
    expect((within(dialog).getByRole('radio', { name: 'Abuse' }) as HTMLInputElement).checked).toBe(true);
    await user.click(within(dialog).getByRole('button', { name: 'Send report' }));
    await within(dialog).findByText('Thanks, a moderator will look at it.');
    expect(adapter.reports.size).toBe(1);
  });

  it('keeps a note within the 500 characters the server takes', async () => {
    const { dialog } = await openReport('Long story');
    expect(within(dialog).getByRole('textbox').getAttribute('maxlength')).toBe('500');
  });

  it('closes on Escape and on Cancel, sending nothing, and gives focus back to the menu', async () => {
    const { user, adapter, button, menu } = await openReport('Borderline');
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(document.activeElement).toBe(menu);
    await user.click(menu);
    await user.click(button);
    const again = await screen.findByRole('dialog', { name: 'Report this comment' });
    await user.click(within(again).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(menu);
    expect(adapter.calls.filter((c) => c.op === 'report')).toHaveLength(0);
  });
});
