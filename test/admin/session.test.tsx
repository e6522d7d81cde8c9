import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/preact';
import { renderApp } from './render-app';
import { ACCOUNT, ADMIN_TOKEN, INVITATION } from './fake-server';

describe('signing in and out', () => {
  it('shows the sign-in screen when there is no session, and signs in with email and password', async () => {
    const { user, server, title } = renderApp({ signedIn: null });
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeTruthy();
    expect(title()).toBe('Sign in · Confab moderation');
    await user.type(screen.getByLabelText('Email'), ACCOUNT.email);
    await user.type(screen.getByLabelText('Password'), 'wrong password');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Wrong email or password.');
    expect((screen.getByLabelText('Password') as HTMLInputElement).value).toBe('wrong password');
    await user.clear(screen.getByLabelText('Password'));
    await user.type(screen.getByLabelText('Password'), ACCOUNT.password);
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Pending' })).toBeTruthy();
    expect(screen.getByText('Signed in as Moderator Mo (mo@example.com)')).toBeTruthy();
    expect(server.requests.find((r) => r.method === 'POST' && r.path === '/session')!.body).toEqual({
      email: ACCOUNT.email,
      password: 'wrong password',
    });
    await waitFor(() => expect(title()).toBe('(3) Confab moderation'));
  });

  it('signs in with the admin token from its own form', async () => {
    const { user } = renderApp({ signedIn: null });
    await user.type(await screen.findByLabelText('Admin token'), 'not it');
    await user.click(screen.getByRole('button', { name: 'Sign in with token' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Wrong admin token.');
    await user.clear(screen.getByLabelText('Admin token'));
    await user.type(screen.getByLabelText('Admin token'), ADMIN_TOKEN);
    await user.click(screen.getByRole('button', { name: 'Sign in with token' }));
    expect(await screen.findByText('Signed in as Admin token')).toBeTruthy();
  });

  it('sets a password from an invitation link, then is signed in without the link in the address', async () => {
    const { user, router } = renderApp({ signedIn: null, hash: `#set-password=${INVITATION}` });
    expect(await screen.findByRole('heading', { name: 'Set your password' })).toBeTruthy();
    await user.type(screen.getByLabelText('New password'), 'short');
    await user.type(screen.getByLabelText('Repeat the password'), 'short');
    await user.click(screen.getByRole('button', { name: 'Set password' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/too short/);
    expect(screen.getByLabelText('New password').getAttribute('aria-invalid')).toBe('true');
    await user.clear(screen.getByLabelText('New password'));
    await user.clear(screen.getByLabelText('Repeat the password'));
    await user.type(screen.getByLabelText('New password'), 'a long enough password');
    await user.type(screen.getByLabelText('Repeat the password'), 'a long enough password');
    await user.click(screen.getByRole('button', { name: 'Set password' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Pending' })).toBeTruthy();
    expect(router.hash.value).toBe('#/pending');
  });

  it('says so when the invitation link is used or expired', async () => {
    const { user } = renderApp({ signedIn: null, hash: '#set-password=old-link' });
    await user.type(await screen.findByLabelText('New password'), 'a long enough password');
    await user.type(screen.getByLabelText('Repeat the password'), 'a long enough password');
    await user.click(screen.getByRole('button', { name: 'Set password' }));
    expect((await screen.findByRole('alert')).textContent).toBe('This link is unknown, used or expired. Ask for a new one.');
  });

  it('signs out: the session is deleted on the server and the sign-in screen shows', async () => {
    const { user, server } = renderApp();
    await user.click(await screen.findByRole('button', { name: 'Sign out' }));
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeTruthy();
    expect(server.requests.some((r) => r.method === 'DELETE' && r.path === '/session')).toBe(true);
    expect(server.state.session).toBeNull();
    expect(server.stream).toBeUndefined();
  });

  it('goes back to sign-in when the session ends (a 401 on any action)', async () => {
    const { user, server } = renderApp();
    const ann = await screen.findByRole('article', { name: /^Ann/ });
    server.state.session = null;
    await user.click(within(ann).getByRole('button', { name: 'Approve' }));
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeTruthy();
    expect(screen.getByText('Your session has ended. Please sign in again.')).toBeTruthy();
  });
});
