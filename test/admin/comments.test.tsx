import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/preact';
import { renderApp } from './render-app';
import { wireComment } from './fixtures';

const article = (name: string) => screen.getByRole('article', { name: new RegExp(`^${name}`) });
const findArticle = (name: string) => screen.findByRole('article', { name: new RegExp(`^${name}`) });
const buttonNames = (element: HTMLElement) =>
  within(element)
    .getAllByRole('button')
    .map((b) => b.textContent);

describe('the comment views', () => {
  it('shows the pending queue: one article per comment with its text, thread, author, hold reason and buttons', async () => {
    renderApp();
    expect(await screen.findByRole('heading', { level: 1, name: 'Pending' })).toBeTruthy();
    const ann = await findArticle('Ann');
    expect(within(ann).getByText(/Check out my shop/)).toBeTruthy();
    expect(within(ann).getByRole('link', { name: 'Why we moved to a four-day week' }).getAttribute('href')).toBe(
      'https://blog.example/why-we-moved',
    );
    expect(within(ann).getByText('Held: too many links')).toBeTruthy();
    expect(buttonNames(ann)).toEqual(['Approve', 'Spam', 'Delete', 'Edit', 'Ban author']);
    expect(screen.getAllByRole('article')).toHaveLength(3);
    expect(screen.getByRole('link', { name: /Pending/ }).getAttribute('aria-current')).toBe('page');
    expect(screen.getByRole('navigation', { name: 'Moderation views' })).toBeTruthy();
    expect(screen.getByRole('main')).toBeTruthy();
  });

  it('renders comment text as text, never as HTML, and links only http(s) addresses', async () => {
    renderApp({
      comments: [
        wireComment({
          status: 'pending',
          author: { name: 'Mallory', url: 'javascript:alert(1)' },
          body: '<img src=x onerror=alert(1)><b>bold</b>',
          thread: { title: 'Evil', url: 'javascript:alert(2)' },
        }),
      ],
    });
    const mallory = await findArticle('Mallory');
    expect(within(mallory).getByText('<img src=x onerror=alert(1)><b>bold</b>')).toBeTruthy();
    expect(mallory.querySelector('img, b')).toBeNull();
    expect(within(mallory).queryByRole('link')).toBeNull();
  });

  it('approves a comment: it leaves the queue, the counts are asked again, a status says so', async () => {
    const { user, server } = renderApp();
    await user.click(within(await findArticle('Ann')).getByRole('button', { name: 'Approve' }));
    await waitFor(() => expect(screen.queryByRole('article', { name: /^Ann/ })).toBeNull());
    expect(server.state.comments.find((c) => c.id === 'p1')!.status).toBe('published');
    expect(screen.getByRole('status').textContent).toBe('Approved: comment by Ann');
    await waitFor(() => expect(within(screen.getByRole('link', { name: /Pending/ })).getByText('2')).toBeTruthy());
  });

  it('shows a failed action in an alert and keeps the comment', async () => {
    const { user, server } = renderApp();
    server.failNext(/POST .*\/spam$/, { status: 500, body: { error: { code: 'internal', message: 'The database is down' } } });
    await user.click(within(await findArticle('Bo')).getByRole('button', { name: 'Spam' }));
    // A server failure in the dashboard's own words (in the moderator's language), not the server's.
    expect((await screen.findByRole('alert')).textContent).toBe('The server failed (500). Try again in a moment.');
    expect(article('Bo')).toBeTruthy();
  });

  it('shows reports with their reasons and notes in the Reported view, with Approve to keep the comment', async () => {
    renderApp({ hash: '#/reported' });
    const dana = await findArticle('Dana');
    expect(within(dana).getByText('Reported 3 times: abuse 2, off-topic 1')).toBeTruthy();
    expect(within(within(dana).getByRole('list', { name: "Reporters' notes" })).getAllByRole('listitem')).toHaveLength(2);
    expect(buttonNames(dana)).toEqual(['Approve', 'Spam', 'Delete', 'Edit', 'Pin', 'Reply', 'Ban author']);
  });

  it('offers Restore for spam, Pin/Unpin only for published top-level comments', async () => {
    const { user } = renderApp({ hash: '#/spam' });
    expect(buttonNames(await findArticle('Best Deals'))).toEqual(['Restore', 'Delete', 'Ban author']);
    await user.click(screen.getByRole('link', { name: 'All comments' }));
    expect(buttonNames(await findArticle('Eun-ji'))).toContain('Unpin');
    expect(buttonNames(article('Moderator Mo'))).not.toContain('Pin');
    expect(within(article('Moderator Mo')).getByText('Moderator')).toBeTruthy();
    await user.click(within(article('Eun-ji')).getByRole('button', { name: 'Unpin' }));
    await waitFor(() => expect(buttonNames(article('Eun-ji'))).toContain('Pin'));
  });

  it('edits in place; on an error the typed text stays in the box', async () => {
    const { user, server } = renderApp();
    await user.click(within(await findArticle('Bo')).getByRole('button', { name: 'Edit' }));
    const box = screen.getByRole('textbox', { name: 'Edit the comment by Bo' });
    await waitFor(() => expect(document.activeElement).toBe(box));
    await user.clear(box);
    await user.type(box, 'Tidied text');
    server.failNext(/PATCH/, 'network');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect((await within(article('Bo')).findByRole('alert')).textContent).toMatch(/Could not reach the server/);
    expect((screen.getByRole('textbox', { name: 'Edit the comment by Bo' }) as HTMLTextAreaElement).value).toBe('Tidied text');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.queryByRole('textbox', { name: 'Edit the comment by Bo' })).toBeNull());
    expect(within(article('Bo')).getByText('Tidied text')).toBeTruthy();
    expect(server.state.comments.find((c) => c.id === 'p2')!.body).toBe('Tidied text');
  });

  it('replies as a moderator; Cancel closes the form', async () => {
    const { user, server } = renderApp({ hash: '#/all' });
    await user.click(within(await findArticle('Eun-ji')).getByRole('button', { name: 'Reply' }));
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('textbox', { name: 'Reply to Eun-ji' })).toBeNull();
    await user.click(within(article('Eun-ji')).getByRole('button', { name: 'Reply' }));
    await user.type(screen.getByRole('textbox', { name: 'Reply to Eun-ji' }), 'Thank you!');
    await user.click(screen.getByRole('button', { name: 'Send' }));
    await waitFor(() =>
      expect(server.requests.some((r) => r.path.endsWith('/replies') && r.body.body === 'Thank you!')).toBe(true),
    );
    expect(await screen.findByText('Thank you!')).toBeTruthy();
    expect(screen.getByRole('status').textContent).toBe('Reply sent to Eun-ji');
  });

  it('bans an author from a small dialog: by email and/or address, for a chosen time, with a note', async () => {
    const { user, server } = renderApp();
    await user.click(within(await findArticle('Ann')).getByRole('button', { name: 'Ban author' }));
    const dialog = screen.getByRole('dialog', { name: 'Ban Ann' });
    expect((within(dialog).getByRole('checkbox', { name: 'By email' }) as HTMLInputElement).checked).toBe(true);
    await user.click(within(dialog).getByRole('checkbox', { name: 'By address' }));
    await user.selectOptions(within(dialog).getByRole('combobox', { name: 'Duration' }), 'Forever');
    await user.type(within(dialog).getByRole('textbox', { name: /Note/ }), 'Shop links again');
    await user.click(within(dialog).getByRole('button', { name: 'Ban' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(server.requests.find((r) => r.path === '/bans' && r.method === 'POST')!.body).toEqual({
      threadId: 'why-we-moved',
      commentId: 'p1',
      kinds: ['email'],
      days: null,
      note: 'Shop links again',
    });
    expect(screen.getByRole('status').textContent).toBe('Banned Ann for ever');
  });

  it('cannot ban by email when the comment has none, and asks for one kind at least', async () => {
    const { user, server } = renderApp();
    await user.click(within(await findArticle('Chidi')).getByRole('button', { name: 'Ban author' }));
    const dialog = screen.getByRole('dialog', { name: 'Ban Chidi' });
    expect((within(dialog).getByRole('checkbox', { name: /By email/ }) as HTMLInputElement).disabled).toBe(true);
    await user.click(within(dialog).getByRole('checkbox', { name: 'By address' }));
    await user.click(within(dialog).getByRole('button', { name: 'Ban' }));
    expect(within(dialog).getByRole('alert').textContent).toMatch(/at least one/);
    expect(server.requests.some((r) => r.path === '/bans')).toBe(false);
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(within(article('Chidi')).getByRole('button', { name: 'Ban author' }));
  });

  it('selects rows for bulk Approve with Select all, in one request', async () => {
    const { user, server } = renderApp();
    await findArticle('Ann');
    await user.click(screen.getByRole('checkbox', { name: 'Select comment by Bo' }));
    expect(screen.getByText('1 selected')).toBeTruthy();
    await user.click(screen.getByRole('checkbox', { name: 'Select all' }));
    expect(screen.getByText('3 selected')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Approve selected' }));
    await waitFor(() => expect(screen.queryAllByRole('article')).toHaveLength(0));
    const bulk = server.requests.filter((r) => r.path === '/bulk');
    expect(bulk).toHaveLength(1);
    expect(bulk[0]!.body).toEqual({
      action: 'approve',
      comments: [
        { threadId: 'why-we-moved', id: 'p1' },
        { threadId: 'why-we-moved', id: 'p2' },
        { threadId: 'release-notes', id: 'p3' },
      ],
    });
    expect(screen.getByRole('status').textContent).toBe('3 comments approved');
    expect(screen.getByText('Nothing is waiting for approval.')).toBeTruthy();
  });

  it('asks before a bulk delete, and sends 100 comments a request', async () => {
    const many = Array.from({ length: 120 }, (_, at) =>
      wireComment({ id: `m${at}`, status: 'pending', author: { name: `Reader ${at}` } }),
    );
    const { user, server } = renderApp({ comments: many });
    await findArticle('Reader 0');
    await user.click(screen.getByRole('button', { name: 'Load more' }));
    await waitFor(() => expect(screen.getAllByRole('article')).toHaveLength(100));
    await user.click(screen.getByRole('button', { name: 'Load more' }));
    await waitFor(() => expect(screen.getAllByRole('article')).toHaveLength(120));
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
    await user.click(screen.getByRole('checkbox', { name: 'Select all' }));
    await user.click(screen.getByRole('button', { name: 'Delete selected' }));
    const confirm = screen.getByRole('alertdialog', { name: 'Delete 120 comments? This cannot be undone.' });
    await user.click(within(confirm).getByRole('button', { name: 'Cancel' }));
    expect(server.requests.some((r) => r.path === '/bulk')).toBe(false);
    await user.click(screen.getByRole('button', { name: 'Delete selected' }));
    await user.click(screen.getByRole('button', { name: 'Delete 120 comments' }));
    await waitFor(() => expect(screen.queryAllByRole('article')).toHaveLength(0));
    expect(server.requests.filter((r) => r.path === '/bulk').map((r) => r.body.comments.length)).toEqual([100, 20]);
  });

  it('searches all comments by text, author, email and thread, and pages with Load more', async () => {
    const { user, server } = renderApp({ hash: '#/all', pageSize: 3 });
    await findArticle('Ann');
    expect(screen.getAllByRole('article')).toHaveLength(3);
    await user.click(screen.getByRole('button', { name: 'Load more' }));
    await waitFor(() => expect(screen.getAllByRole('article')).toHaveLength(6));
    expect(server.requests.at(-1)!.query.get('cursor')).toBe('3');

    await user.type(screen.getByRole('searchbox', { name: 'Author' }), 'dana');
    await user.click(screen.getByRole('button', { name: 'Search' }));
    await waitFor(() => expect(screen.getAllByRole('article')).toHaveLength(1));
    expect(article('Dana')).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Clear search' }));
    await waitFor(() => expect(screen.getAllByRole('article')).toHaveLength(3));
    expect((screen.getByRole('searchbox', { name: 'Author' }) as HTMLInputElement).value).toBe('');
    await user.type(screen.getByRole('textbox', { name: 'Email' }), 'bo@example.com');
    await user.click(screen.getByRole('button', { name: 'Search' }));
    await waitFor(() =>
      expect(screen.getAllByRole('article').map((a) => a.getAttribute('data-comment-key'))).toEqual(['why-we-moved\np2']),
    );

    await user.click(screen.getByRole('button', { name: 'Clear search' }));
    await user.type(screen.getByRole('searchbox', { name: 'Thread id' }), 'release-notes');
    await user.type(screen.getByRole('searchbox', { name: 'Text' }), 'export');
    await user.click(screen.getByRole('button', { name: 'Search' }));
    await waitFor(() => expect(screen.getAllByRole('article')).toHaveLength(1));
    const last = server.requests.at(-1)!;
    expect(Object.fromEntries(last.query)).toEqual({ view: 'all', limit: '50', q: 'export', thread: 'release-notes' });

    server.state.comments = [];
    await user.click(screen.getByRole('button', { name: 'Search' }));
    expect(await screen.findByText('No comment matches the search.')).toBeTruthy();
  });
});
