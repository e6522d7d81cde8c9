// Sign-in from the host site (the `sso` option), as the reader sees it.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { screen, waitFor, within } from '@testing-library/preact';
import userEvent from '@testing-library/user-event';
import { mount, type ConfabHandle } from '../../src/mount';
import { ConfabError } from '../../src/errors';
import type { ConfabOptions } from '../../src/options';
import type { SignedInUser, ThreadInfo } from '../../src/types';
import { createMemoryAdapter, type MemoryAdapter } from '../fixtures/memory-adapter';
import { makeComment } from '../fixtures/seed';
import { commentWith, renderThread } from './render-thread';

const handles: ConfabHandle[] = [];
afterEach(() => {
  for (const handle of handles.splice(0)) handle.unmount();
  document.body.innerHTML = '';
  vi.restoreAllMocks();
});

const ADA: SignedInUser = { id: 'u-ada', name: 'Ada', url: null, avatarUrl: null };

/** mount() on a memory adapter whose server knows `user` for any token. */
async function mountWith(
  options: Partial<ConfabOptions>,
  {
    seed = [],
    thread = {},
    user = ADA,
  }: { seed?: ReturnType<typeof makeComment>[]; thread?: Partial<ThreadInfo>; user?: SignedInUser | null } = {},
) {
  const adapter = createMemoryAdapter(seed, thread) as MemoryAdapter & { user?: () => Promise<unknown> };
  const userCalls = vi.fn(async () => user);
  adapter.user = userCalls;
  const element = document.createElement('div');
  document.body.append(element);
  const handle = mount(element, { adapter, thread: 't', shadow: false, ...options });
  handles.push(handle);
  await waitFor(() => expect(handle.store!.status.value).toBe('ready'));
  await waitFor(() => expect(handle.store!.signIn.value).toBeDefined());
  await screen.findByRole('heading');
  return { adapter, handle, userCalls, store: handle.store! };
}

describe('sign-in from the host site', () => {
  it('shows a Verified badge next to a verified author only', async () => {
    const verified = makeComment({
      body: 'Signed in words',
      author: { name: 'Ada', url: null, avatarUrl: null, id: 'u1', verified: true },
    });
    const guest = makeComment({ body: 'Guest words' });
    await renderThread(createMemoryAdapter([verified, guest]));
    expect(within(commentWith('Signed in words')).getByText('Verified')).toBeTruthy();
    expect(within(commentWith('Guest words')).queryByText('Verified')).toBeNull();
  });

  it('shows a signed-in reader their name and a Sign out link instead of the name and email fields', async () => {
    const { userCalls } = await mountWith({ sso: { token: async () => 'jwt', logoutUrl: 'https://site.example/logout' } });
    const form = screen.getByRole('textbox', { name: 'Your comment' }).closest('form')!;
    await waitFor(() => expect(within(form).getByText('Commenting as Ada')).toBeTruthy());
    expect(within(form).queryByRole('textbox', { name: 'Name' })).toBeNull();
    expect(within(form).queryByRole('textbox', { name: /email/i })).toBeNull();
    expect(within(form).getByRole('link', { name: 'Sign out' }).getAttribute('href')).toBe('https://site.example/logout');
    expect(userCalls).toHaveBeenCalledTimes(1);
  });

  it('has no Sign out link without a logoutUrl, and asks who is signed in only with a token', async () => {
    const { userCalls } = await mountWith({ sso: { token: async () => null } });
    expect(userCalls).not.toHaveBeenCalled();
    expect(screen.getByRole('textbox', { name: 'Name' })).toBeTruthy();
    expect(screen.queryByRole('link', { name: 'Sign out' })).toBeNull();
  });

  it('offers "Sign in to comment" with a returnTo of this page when the server takes no guests', async () => {
    await mountWith(
      { sso: { token: async () => null, loginUrl: 'https://site.example/login?from=blog' } },
      { thread: { features: { guests: false, reports: true } } },
    );
    const link = await screen.findByRole('link', { name: 'Sign in to comment' });
    const href = new URL(link.getAttribute('href')!);
    expect(href.origin + href.pathname).toBe('https://site.example/login');
    expect(href.searchParams.get('from')).toBe('blog');
    expect(href.searchParams.get('returnTo')).toBe(location.href);
    expect(screen.queryByRole('textbox', { name: 'Your comment' })).toBeNull();
  });

  it('keeps the form for a signed-in reader when the server takes no guests', async () => {
    await mountWith(
      { sso: { token: 'jwt', loginUrl: 'https://site.example/login' } },
      { thread: { features: { guests: false, reports: true } } },
    );
    expect(screen.getByRole('textbox', { name: 'Your comment' })).toBeTruthy();
    expect(screen.queryByRole('link', { name: 'Sign in to comment' })).toBeNull();
  });

  it('says "Please sign in again" when the sign-in expired for good, keeping the text', async () => {
    const { adapter } = await mountWith({ sso: { token: 'jwt' } });
    const user = userEvent.setup();
    await user.type(screen.getByRole('textbox', { name: 'Your comment' }), 'Keep these words');
    adapter.failNext('post', new ConfabError('http', 'Your sign-in has expired.', { status: 401, serverCode: 'sso_expired' }));
    await user.click(screen.getByRole('button', { name: 'Post comment' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Please sign in again.');
    expect((screen.getByRole('textbox', { name: 'Your comment' }) as HTMLTextAreaElement).value).toBe('Keep these words');
  });

  it('offers Report only when the server takes reports', async () => {
    const seed = [makeComment({ body: 'Someone said' })];
    await renderThread(createMemoryAdapter(seed, { features: { guests: true, reports: false } }));
    expect(within(commentWith('Someone said')).queryByRole('button', { name: 'Report' })).toBeNull();
    document.body.innerHTML = '';
    await renderThread(createMemoryAdapter(seed));
    expect(within(commentWith('Someone said')).getByRole('button', { name: 'Report' })).toBeTruthy();
  });

  it('offers Edit and Delete on a signed-in reader’s own comments, however old, and not on others', async () => {
    const mine = makeComment({
      body: 'An old comment of mine',
      createdAt: Date.UTC(2020, 0, 1),
      author: { ...ADA, verified: true },
    });
    const theirs = makeComment({
      body: 'Not mine',
      author: { name: 'Bo', url: null, avatarUrl: null, id: 'u-bo', verified: true },
    });
    await mountWith({ sso: { token: 'jwt' } }, { seed: [mine, theirs] });
    await waitFor(() => expect(within(commentWith('An old comment of mine')).getByRole('button', { name: 'Edit' })).toBeTruthy());
    expect(within(commentWith('An old comment of mine')).getByRole('button', { name: 'Delete' })).toBeTruthy();
    expect(within(commentWith('Not mine')).queryByRole('button', { name: 'Edit' })).toBeNull();
    expect(within(commentWith('Not mine')).queryByRole('button', { name: 'Delete' })).toBeNull();
  });
});
