import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/preact';
import { ConfabError } from '../../src/errors';
import { commentWith, postOwnComment } from './render-thread';

describe('<EditForm />', () => {
  it('edits an own comment, with its token, and marks it edited', async () => {
    const { user, adapter } = await postOwnComment('Frist');
    await user.click(within(commentWith('Frist')).getByRole('button', { name: 'Edit' }));
    const box = await screen.findByRole('textbox', { name: 'Edit your comment' });
    await user.clear(box);
    await user.type(box, 'First, spelled right');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.getByText('First, spelled right')).toBeTruthy());
    expect(within(commentWith('First, spelled right')).getByText('edited')).toBeTruthy();
    expect(adapter.comments[0]!.body).toBe('First, spelled right');
  });

  it('keeps the edited text and shows the error when saving fails', async () => {
    const { user, adapter } = await postOwnComment('Original');
    await user.click(within(commentWith('Original')).getByRole('button', { name: 'Edit' }));
    const box = await screen.findByRole('textbox', { name: 'Edit your comment' });
    await user.type(box, ' plus more');
    adapter.failNext('edit', new ConfabError('http', 'window closed', { status: 403, serverCode: 'unauthorized' }));
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect((await screen.findByRole('alert')).textContent).toBe('You are not allowed to do that.');
    expect((screen.getByRole('textbox', { name: 'Edit your comment' }) as HTMLTextAreaElement).value).toBe('Original plus more');
  });

  it('puts focus in the text when it opens; Escape closes it with the comment unchanged, and Cancel too', async () => {
    const { user, adapter } = await postOwnComment('Steady');
    await user.click(within(commentWith('Steady')).getByRole('button', { name: 'Edit' }));
    const box = await screen.findByRole('textbox', { name: 'Edit your comment' });
    await waitFor(() => expect(document.activeElement).toBe(box));
    await user.keyboard(' wobbly{Escape}');
    await waitFor(() => expect(screen.queryByRole('textbox', { name: 'Edit your comment' })).toBeNull());
    expect(commentWith('Steady').textContent).not.toContain('wobbly');
    await user.click(within(commentWith('Steady')).getByRole('button', { name: 'Edit' }));
    await user.click(await screen.findByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('textbox', { name: 'Edit your comment' })).toBeNull();
    expect(adapter.comments[0]!.body).toBe('Steady');
  });
});
