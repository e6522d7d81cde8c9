import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/preact';
import { renderApp } from './render-app';

const card = (list: string, text: RegExp) =>
  within(screen.getByRole('list', { name: list }))
    .getAllByRole('listitem')
    .find((item) => text.test(item.textContent ?? ''))!;

describe('the other views', () => {
  it('navigates with aria-current and the focus on the new heading', async () => {
    const { user } = renderApp();
    await screen.findByRole('article', { name: /^Ann/ });
    await user.click(screen.getByRole('link', { name: 'Threads' }));
    const heading = await screen.findByRole('heading', { level: 1, name: 'Threads' });
    expect(screen.getByRole('link', { name: 'Threads' }).getAttribute('aria-current')).toBe('page');
    expect(screen.getByRole('link', { name: /Pending/ }).getAttribute('aria-current')).toBeNull();
    await waitFor(() => expect(document.activeElement).toBe(heading));
  });

  it('lists threads with their counts; Lock/Unlock; a link to their comments', async () => {
    const { user, server } = renderApp({ hash: '#/threads' });
    await screen.findByRole('heading', { name: /Why we moved/ });
    const moved = card('Threads', /Why we moved/);
    expect(within(moved).getByText('42 comments, 2 pending')).toBeTruthy();
    await user.click(within(moved).getByRole('button', { name: 'Lock' }));
    await waitFor(() => expect(within(card('Threads', /Why we moved/)).getByRole('button', { name: 'Unlock' })).toBeTruthy());
    expect(server.requests.at(-1)).toMatchObject({ method: 'POST', path: '/threads/why-we-moved/lock' });
    expect(within(card('Threads', /Release notes/)).getByText('Locked')).toBeTruthy();
    await user.click(within(card('Threads', /Release notes/)).getByRole('link', { name: 'Show its comments' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'All comments' })).toBeTruthy();
    await waitFor(() => expect(screen.getAllByRole('article')).toHaveLength(2));
    await waitFor(() =>
      expect((screen.getByRole('searchbox', { name: 'Thread id' }) as HTMLInputElement).value).toBe('release-notes'),
    );
  });

  it('lists bans and unbans', async () => {
    const { user, server } = renderApp({ hash: '#/bans' });
    await screen.findByRole('heading', { name: 'Spam King' });
    const king = card('Bans', /Spam King/);
    expect(within(king).getByText('By email and address')).toBeTruthy();
    expect(within(king).getByText('Forever')).toBeTruthy();
    expect(within(king).getByText('Note: Posted the same link in every thread')).toBeTruthy();
    expect(within(card('Bans', /Heated Harry/)).getByText(/by Admin token/)).toBeTruthy();
    await user.click(within(king).getByRole('button', { name: 'Unban' }));
    await waitFor(() => expect(screen.queryByRole('heading', { name: 'Spam King' })).toBeNull());
    expect(server.state.bans.map((b) => b.id)).toEqual(['b2']);
    expect(screen.getByRole('status').textContent).toBe('Unbanned Spam King');
  });

  it('adds a moderator and shows the one-time link to copy; removes one', async () => {
    const { user, server } = renderApp({ hash: '#/moderators' });
    await screen.findByRole('heading', { name: 'Moderator Mo (mo@example.com)' });
    expect(within(card('Moderators', /new@example.com/)).getByText('Invited: no password set yet')).toBeTruthy();
    await user.type(screen.getByLabelText('Email'), 'kim@example.com');
    await user.type(screen.getByLabelText('Name (optional)'), 'Kim');
    await user.click(screen.getByRole('button', { name: 'Add moderator' }));
    const link = (await screen.findByRole('textbox', { name: 'One-time link' })) as HTMLInputElement;
    expect(link.value).toMatch(/^https:\/\/comments\.example\/admin\/#set-password=tok\d+$/);
    expect(link.readOnly).toBe(true);
    await user.click(screen.getByRole('button', { name: 'Copy link' }));
    expect(await screen.findByText('Copied.')).toBeTruthy();
    expect(await navigator.clipboard.readText()).toBe(link.value);
    expect(server.requests.find((r) => r.method === 'POST')!.body).toEqual({ email: 'kim@example.com', name: 'Kim' });

    await user.click(within(card('Moderators', /new@example.com/)).getByRole('button', { name: 'Remove' }));
    await waitFor(() => expect(screen.queryByRole('heading', { name: 'new@example.com' })).toBeNull());
    expect(server.requests.at(-1)).toMatchObject({ method: 'DELETE', path: '/moderators/m2' });
  });

  it("lets the signed-in moderator choose their own alert emails, and shows the others' choice", async () => {
    const { user, server } = renderApp({ hash: '#/moderators' });
    await screen.findByRole('heading', { name: 'Moderator Mo (mo@example.com)' });
    const mine = within(card('Moderators', /mo@example.com/));
    const choice = mine.getByRole('combobox', { name: 'Emails about held and reported comments' }) as HTMLSelectElement;
    expect(choice.value).toBe('immediate');
    await user.selectOptions(choice, 'One email an hour');
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('Alerts for mo@example.com: One email an hour'));
    expect(server.requests.at(-1)).toMatchObject({ method: 'PUT', path: '/moderators/m1/alerts', body: { alerts: 'digest' } });
    expect(server.state.moderators.find((m) => m.id === 'm1')!.alerts).toBe('digest');
    // Someone else's choice is theirs: shown, not offered.
    const theirs = within(card('Moderators', /new@example.com/));
    expect(theirs.queryByRole('combobox')).toBeNull();
    expect(theirs.getByText('Alerts: One email an hour')).toBeTruthy();
  });

  it('keeps the typed email when adding a moderator fails', async () => {
    const { user } = renderApp({ hash: '#/moderators' });
    await user.type(await screen.findByLabelText('Email'), 'mo@example.com');
    await user.click(screen.getByRole('button', { name: 'Add moderator' }));
    expect((await screen.findByRole('alert')).textContent).toBe('A moderator with this email exists already.');
    expect((screen.getByLabelText('Email') as HTMLInputElement).value).toBe('mo@example.com');
  });

  it('shows the audit log: who, what, when, before and after', async () => {
    renderApp({ hash: '#/audit' });
    const list = await screen.findByRole('list', { name: 'Audit log entries' });
    const [edit, hold, lock] = await within(list).findAllByRole('listitem');
    expect(edit!.textContent).toMatch(/^Moderator Mo \(mo@example.com\) edited a comment/);
    expect(within(edit!).getByText('body')).toBeTruthy();
    expect(within(edit!).getByText('We did the same last year, productivity went up.')).toBeTruthy();
    expect(hold!.textContent).toMatch(/^Reports rule held a comment after reports/);
    expect(within(hold!).getByText('published')).toBeTruthy();
    expect(lock!.textContent).toMatch(/^Admin token locked a thread/);
    expect(lock!.querySelector('time')!.getAttribute('datetime')).toBe('2026-03-14T10:30:00.000Z');
  });

  it('shows a load failure in an alert', async () => {
    const { server } = renderApp({ hash: '#/bans' });
    server.failNext(/GET \/bans/, 'not-json');
    expect((await screen.findByRole('alert')).textContent).toMatch(/cannot read/);
  });
});
