import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/preact';
import { isTyping, shortcutOf } from '../../server/admin/src/keyboard';
import { renderApp } from './render-app';

const articles = () => screen.getAllByRole('article');
const focusedName = () =>
  (document.activeElement as HTMLElement).getAttribute('aria-labelledby') &&
  document.activeElement!.querySelector('h2')!.textContent;

describe('keyboard shortcuts', () => {
  it('j and k move the focus between comments', async () => {
    const { user } = renderApp();
    await screen.findByRole('article', { name: /^Ann/ });
    await user.keyboard('j');
    expect(document.activeElement).toBe(articles()[0]);
    await user.keyboard('j');
    expect(focusedName()).toBe('Bo');
    await user.keyboard('jj');
    expect(focusedName()).toBe('Chidi');
    await user.keyboard('k');
    expect(focusedName()).toBe('Bo');
  });

  it('a approves the focused comment and the focus moves to the next one', async () => {
    const { user, server } = renderApp();
    await screen.findByRole('article', { name: /^Ann/ });
    await user.keyboard('ja');
    await waitFor(() => expect(articles()).toHaveLength(2));
    expect(server.state.comments.find((c) => c.id === 'p1')!.status).toBe('published');
    await waitFor(() => expect(focusedName()).toBe('Bo'));
    await user.keyboard('s');
    await waitFor(() => expect(server.state.comments.find((c) => c.id === 'p2')!.status).toBe('spam'));
    await waitFor(() => expect(focusedName()).toBe('Chidi'));
    await user.keyboard('d');
    await waitFor(() => expect(server.state.comments.find((c) => c.id === 'p3')!.status).toBe('deleted'));
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('heading', { level: 1, name: 'Pending' })));
  });

  it('x selects the focused comment for the bulk actions', async () => {
    const { user } = renderApp();
    await screen.findByRole('article', { name: /^Ann/ });
    await user.keyboard('jjx');
    expect((screen.getByRole('checkbox', { name: 'Select comment by Bo' }) as HTMLInputElement).checked).toBe(true);
    expect(screen.getByText('1 selected')).toBeTruthy();
    await user.keyboard('x');
    expect(screen.getByText('None selected')).toBeTruthy();
  });

  it('does nothing while typing in a field', async () => {
    const { user, server } = renderApp();
    await user.click(within(await screen.findByRole('article', { name: /^Ann/ })).getByRole('button', { name: 'Edit' }));
    const box = screen.getByRole('textbox', { name: 'Edit the comment by Ann' });
    await user.clear(box);
    await user.type(box, 'jkasdx?');
    expect((box as HTMLTextAreaElement).value).toBe('jkasdx?');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(server.requests.filter((r) => r.method !== 'GET')).toEqual([]);
    expect(screen.getByText('None selected')).toBeTruthy();
  });

  it('says so when a shortcut does not apply to the comment', async () => {
    const { user, server } = renderApp({ hash: '#/spam' });
    await screen.findByRole('article', { name: /^Best Deals/ });
    await user.keyboard('ja');
    expect(screen.getByRole('status').textContent).toBe('Approve is not available for this comment');
    expect(server.requests.filter((r) => r.method === 'POST')).toEqual([]);
  });

  it('? opens the help listing the shortcuts; Escape closes it and the focus returns', async () => {
    const { user } = renderApp();
    await screen.findByRole('article', { name: /^Ann/ });
    await user.keyboard('j');
    const before = document.activeElement;
    await user.keyboard('?');
    const help = screen.getByRole('dialog', { name: 'Keyboard shortcuts' });
    expect(help.getAttribute('aria-modal')).toBe('true');
    expect(within(help).getByText('Next comment')).toBeTruthy();
    expect(within(help).getByText('Approve the comment')).toBeTruthy();
    expect(document.activeElement).toBe(within(help).getByRole('button', { name: 'Close' }));
    await user.keyboard('a');
    expect(articles()).toHaveLength(3);
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(before);
    await user.click(screen.getByRole('button', { name: 'Shortcuts' }));
    await user.click(screen.getByRole('button', { name: 'Close' }));
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('ignores modifiers and text fields, but not checkboxes', () => {
    const input = document.createElement('input');
    const checkbox = Object.assign(document.createElement('input'), { type: 'checkbox' });
    const area = document.createElement('textarea');
    expect([input, checkbox, area, document.body].map(isTyping)).toEqual([true, false, true, false]);
    expect(shortcutOf(new KeyboardEvent('keydown', { key: 'a', ctrlKey: true }))).toBeNull();
    expect(shortcutOf(new KeyboardEvent('keydown', { key: 'j' }))).toBe('next');
  });
});
