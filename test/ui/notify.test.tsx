// "Email me when someone replies" (issue 16), as the reader sees the form: the email field is
// asked for only where it serves, and a post that asks for reply emails carries the address and
// the widget's language.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, screen, waitFor } from '@testing-library/preact';
import type { NewComment, ThreadFeatures } from '../../src/types';
import { createMemoryAdapter } from '../fixtures/memory-adapter';
import { renderThread } from './render-thread';

afterEach(cleanup);

async function formWith(features: Partial<ThreadFeatures>) {
  const adapter = createMemoryAdapter([], { features: { guests: true, reports: true, ...features } });
  const view = await renderThread(adapter, { locale: 'de' });
  await screen.findByRole('textbox', { name: 'Your comment' });
  const posts = () => adapter.calls.filter((call) => call.op === 'post').map((call) => (call as { input: NewComment }).input);
  return { ...view, adapter, posts };
}

describe('reply emails in the form', () => {
  it('asks for an email as before when the backend does not say whether it sends any', async () => {
    await formWith({});
    expect(screen.getByRole('textbox', { name: 'Email (optional, never shown)' })).toBeTruthy();
    expect(screen.queryByRole('checkbox')).toBeNull();
  });

  it('asks for no email at all when the server sends none', async () => {
    await formWith({ notify: false });
    expect(screen.queryByRole('textbox', { name: /email/i })).toBeNull();
    expect(screen.queryByRole('checkbox')).toBeNull();
  });

  it('offers "Email me when someone replies", and asks for the email only once it is ticked', async () => {
    const { user, posts } = await formWith({ notify: true });
    expect(screen.queryByRole('textbox', { name: /email/i })).toBeNull();
    await user.type(screen.getByRole('textbox', { name: 'Your comment' }), 'Tell me when you answer');
    await user.click(screen.getByRole('checkbox', { name: 'Email me when someone replies' }));
    const email = screen.getByRole('textbox', { name: 'Email for replies (never shown)' });

    // Ticked without an address: nothing is sent, and the field says why.
    await user.click(screen.getByRole('button', { name: 'Post comment' }));
    await screen.findByText('Enter your email to get replies by email.');
    expect(posts()).toEqual([]);
    expect(document.activeElement).toBe(email);

    await user.type(email, 'reader@example.com');
    await user.click(screen.getByRole('button', { name: 'Post comment' }));
    await waitFor(() => expect(posts()).toHaveLength(1));
    expect(posts()[0]).toMatchObject({ notify: true, locale: 'de', author: { email: 'reader@example.com' } });
  });

  it('sends no notify flag, and no remembered address, when the box is left unticked', async () => {
    const { user, posts, store } = await formWith({ notify: true });
    store.form(null).email.value = 'remembered@example.com'; // from an earlier post on this site
    await user.type(screen.getByRole('textbox', { name: 'Your comment' }), 'No emails, thanks');
    await user.click(screen.getByRole('button', { name: 'Post comment' }));
    await waitFor(() => expect(posts()).toHaveLength(1));
    expect(posts()[0]!.notify).toBeUndefined();
    expect(posts()[0]!.author.email).toBeUndefined();
  });
});
