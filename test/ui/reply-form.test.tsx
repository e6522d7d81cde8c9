import { describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { ConfabError } from '../../src/errors';
import { createMemoryAdapter } from '../fixtures/memory-adapter';
import { makeComment } from '../fixtures/seed';
import { commentWith, renderThread } from './render-thread';

const topForm = () => screen.getByRole('textbox', { name: 'Your comment' });

describe('<ReplyForm />', () => {
  it('posts a top-level comment that appears at once, marked as posting until confirmed', async () => {
    const adapter = createMemoryAdapter([]);
    const { user } = await renderThread(adapter);
    await user.type(screen.getByRole('textbox', { name: 'Name' }), 'Ann');
    await user.type(topForm(), 'Hello there');
    const release = adapter.hold('post');
    await user.click(screen.getByRole('button', { name: 'Post comment' }));
    const optimistic = commentWith('Hello there');
    expect(within(optimistic).getByText('Posting…')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Posting…' }) as HTMLButtonElement).disabled).toBe(true);
    release();
    await waitFor(() => expect(within(commentWith('Hello there')).queryByText('Posting…')).toBeNull());
    expect(within(commentWith('Hello there')).getByText('Ann')).toBeTruthy();
    expect((topForm() as HTMLTextAreaElement).value).toBe('');
    expect(screen.getByRole('heading', { name: '1 comment' })).toBeTruthy();
    expect(adapter.comments).toHaveLength(1);
  });

  it('replies under the comment answered', async () => {
    const parent = makeComment({ body: 'Parent words', author: { name: 'Bo', url: null, avatarUrl: null } });
    const adapter = createMemoryAdapter([parent]);
    const { user } = await renderThread(adapter);
    await user.click(within(commentWith('Parent words')).getByRole('button', { name: 'Reply' }));
    const box = screen.getByRole('textbox', { name: 'Your reply to Bo' });
    await waitFor(() => expect(document.activeElement).toBe(box));
    await user.type(box, 'Child words');
    await user.click(screen.getByRole('button', { name: 'Post reply' }));
    await waitFor(() => expect(adapter.comments).toHaveLength(2));
    const item = commentWith('Parent words').closest('li')!;
    expect(within(item).getByText('Child words')).toBeTruthy();
    expect(adapter.comments[1]!.parentId).toBe(parent.id);
    expect(screen.queryByRole('textbox', { name: 'Your reply to Bo' })).toBeNull();
  });

  it('keeps the text when posting fails and retries with the same Idempotency-Key', async () => {
    const adapter = createMemoryAdapter([]);
    const { user } = await renderThread(adapter);
    await user.type(topForm(), 'Do not lose me');
    adapter.failNext('post');
    await user.click(screen.getByRole('button', { name: 'Post comment' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Your comment was not posted');
    expect(alert.textContent).toContain('Could not reach the comment server');
    expect((topForm() as HTMLTextAreaElement).value).toBe('Do not lose me');
    expect(screen.queryAllByRole('article')).toHaveLength(0); // the optimistic comment is taken back
    await user.click(within(alert).getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(screen.getAllByRole('article')).toHaveLength(1));
    const keys = adapter.calls.filter((c) => c.op === 'post').map((c) => c.key);
    expect(keys).toHaveLength(2);
    expect(keys[0]).toBe(keys[1]);
    expect(adapter.comments).toHaveLength(1);
  });

  it.each([
    [409, 'duplicate', 'You already posted this comment.'],
    [403, 'banned', 'You cannot comment on this site.'],
  ])('says why a %i %s refusal did not post, and keeps the text', async (status, serverCode, message) => {
    const adapter = createMemoryAdapter([]);
    const { user } = await renderThread(adapter);
    await user.type(topForm(), 'Said once');
    adapter.failNext('post', new ConfabError('http', 'The server said no', { status, serverCode }));
    await user.click(screen.getByRole('button', { name: 'Post comment' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe(`Your comment was not posted. Your text is kept. ${message}Retry`);
    expect((topForm() as HTMLTextAreaElement).value).toBe('Said once');
    expect(screen.queryAllByRole('article')).toHaveLength(0);
  });

  it('shows a comment the server holds to its author as awaiting approval', async () => {
    const adapter = createMemoryAdapter([]);
    const post = adapter.post!.bind(adapter);
    adapter.post = async (...args) => {
      const posted = await post(...args);
      return { ...posted, comment: { ...posted.comment, status: 'pending' } };
    };
    const { user } = await renderThread(adapter);
    await user.type(topForm(), 'Check me first');
    await user.click(screen.getByRole('button', { name: 'Post comment' }));
    await waitFor(() => expect(within(commentWith('Check me first')).getByText('Awaiting approval')).toBeTruthy());
    expect(within(commentWith('Check me first')).queryByText('Posting…')).toBeNull();
    expect(screen.getByRole('heading', { name: '0 comments' })).toBeTruthy(); // not public yet
  });

  it('sends how long the reader took, from the first focus of the form', async () => {
    const adapter = createMemoryAdapter([]);
    const { user } = await renderThread(adapter);
    let now = 1_000_000;
    const clock = vi.spyOn(Date, 'now').mockImplementation(() => now);
    try {
      await user.click(topForm());
      now += 4_000;
      await user.type(topForm(), 'Considered words');
      now += 2_500;
      await user.click(screen.getByRole('button', { name: 'Post comment' }));
      await waitFor(() => expect(adapter.calls.filter((c) => c.op === 'post')).toHaveLength(1));
      expect(adapter.calls.find((c) => c.op === 'post')!.input!.composeMs).toBe(6_500);
    } finally {
      clock.mockRestore();
    }
  });

  it('times a reply from the moment its form opens', async () => {
    const adapter = createMemoryAdapter([makeComment({ body: 'Parent' })]);
    const { user } = await renderThread(adapter);
    let now = 5_000_000;
    const clock = vi.spyOn(Date, 'now').mockImplementation(() => now);
    try {
      await user.click(within(commentWith('Parent')).getByRole('button', { name: 'Reply' }));
      const box = screen.getByRole('textbox', { name: /^Your reply to/ });
      await waitFor(() => expect(document.activeElement).toBe(box));
      now += 12_345;
      await user.type(box, 'Late reply');
      await user.keyboard('{Control>}{Enter}{/Control}');
      await waitFor(() => expect(adapter.calls.filter((c) => c.op === 'post')).toHaveLength(1));
      expect(adapter.calls.find((c) => c.op === 'post')!.input!.composeMs).toBe(12_345);
    } finally {
      clock.mockRestore();
    }
  });

  it('uses a new Idempotency-Key once the text has changed', async () => {
    const adapter = createMemoryAdapter([]);
    const { user } = await renderThread(adapter);
    await user.type(topForm(), 'First try');
    adapter.failNext('post');
    await user.click(screen.getByRole('button', { name: 'Post comment' }));
    await screen.findByRole('alert');
    await user.type(topForm(), ', better');
    await user.click(screen.getByRole('button', { name: 'Post comment' }));
    await waitFor(() => expect(adapter.comments).toHaveLength(1));
    const [first, second] = adapter.calls.filter((c) => c.op === 'post');
    expect(first!.key).not.toBe(second!.key);
  });

  it('reopens a failed reply form with its text', async () => {
    const adapter = createMemoryAdapter([makeComment({ body: 'Parent', author: { name: 'Bo', url: null, avatarUrl: null } })]);
    const { user } = await renderThread(adapter);
    await user.click(screen.getByRole('button', { name: 'Reply' }));
    await user.type(screen.getByRole('textbox', { name: 'Your reply to Bo' }), 'My reply');
    adapter.failNext('post', new ConfabError('http', 'nope', { status: 503 }));
    await user.click(screen.getByRole('button', { name: 'Post reply' }));
    const box = await screen.findByRole('textbox', { name: 'Your reply to Bo' });
    expect((box as HTMLTextAreaElement).value).toBe('My reply');
    expect(screen.getByRole('alert').textContent).toContain('error 503');
  });

  it('shows field messages from the server next to their fields', async () => {
    const adapter = createMemoryAdapter([]);
    const { user } = await renderThread(adapter);
    await user.type(topForm(), 'spam spam');
    adapter.failNext(
      'post',
      new ConfabError('http', 'Invalid', { status: 400, serverCode: 'invalid', fields: { body: 'Links are not allowed here' } }),
    );
    await user.click(screen.getByRole('button', { name: 'Post comment' }));
    await screen.findByText('Links are not allowed here');
    expect(topForm().getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByRole('alert').textContent).toContain('Check the fields above');
  });

  it('refuses an empty comment with a message tied to the field', async () => {
    const adapter = createMemoryAdapter([]);
    const { user } = await renderThread(adapter);
    await user.type(topForm(), '   ');
    await user.click(screen.getByRole('button', { name: 'Post comment' }));
    const box = topForm();
    expect(box.getAttribute('aria-invalid')).toBe('true');
    const message = document.getElementById(box.getAttribute('aria-describedby')!)!;
    expect(message.textContent).toBe('Write something first.');
    expect(adapter.calls.filter((c) => c.op === 'post')).toHaveLength(0);
  });

  it('checks the email address and the name length before sending', async () => {
    const adapter = createMemoryAdapter([]);
    const { user } = await renderThread(adapter);
    await user.type(topForm(), 'Hi');
    await user.type(screen.getByRole('textbox', { name: 'Email (optional, never shown)' }), 'not-an-email');
    fireEvent.input(screen.getByRole('textbox', { name: 'Name' }), { target: { value: 'x'.repeat(81) } });
    await user.click(screen.getByRole('button', { name: 'Post comment' }));
    expect(screen.getByText('This does not look like an email address.')).toBeTruthy();
    expect(screen.getByText('Keep your name under 80 characters.')).toBeTruthy();
    expect(adapter.calls.filter((c) => c.op === 'post')).toHaveLength(0);
  });

  it('lets the name field hold no more than the 80 characters the check allows', async () => {
    await renderThread(createMemoryAdapter([]));
    expect((screen.getByRole('textbox', { name: 'Name' }) as HTMLInputElement).maxLength).toBe(80);
  });

  it('posts on Ctrl+Enter and closes a reply form on Escape', async () => {
    const adapter = createMemoryAdapter([makeComment({ body: 'Parent' })]);
    const { user } = await renderThread(adapter);
    await user.type(topForm(), 'Quick one');
    await user.keyboard('{Control>}{Enter}{/Control}');
    await waitFor(() => expect(adapter.comments).toHaveLength(2));
    await user.click(within(commentWith('Parent')).getByRole('button', { name: 'Reply' }));
    expect(screen.getAllByRole('textbox', { name: /Your reply to/ })).toHaveLength(1);
    // Focus moves into the new form in a later task; Escape is for the reader typing there.
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('textbox', { name: /Your reply to/ })));
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('textbox', { name: /Your reply to/ })).toBeNull());
  });

  it('sends one comment for a double click', async () => {
    const adapter = createMemoryAdapter([]);
    const { user } = await renderThread(adapter);
    await user.type(topForm(), 'Once');
    const release = adapter.hold('post');
    await user.dblClick(screen.getByRole('button', { name: 'Post comment' }));
    release();
    await waitFor(() => expect(screen.queryByText('Posting…')).toBeNull());
    expect(adapter.calls.filter((c) => c.op === 'post')).toHaveLength(1);
    expect(screen.getAllByRole('article')).toHaveLength(1);
  });

  it('remembers the name for the next comment', async () => {
    const adapter = createMemoryAdapter([]);
    const first = await renderThread(adapter);
    await first.user.type(screen.getByRole('textbox', { name: 'Name' }), 'Remembered Reader');
    await first.user.type(topForm(), 'One');
    await first.user.click(screen.getByRole('button', { name: 'Post comment' }));
    await waitFor(() => expect(adapter.comments).toHaveLength(1));
    first.unmount();
    await renderThread(adapter);
    expect((screen.getByRole('textbox', { name: 'Name' }) as HTMLInputElement).value).toBe('Remembered Reader');
  });
});

describe('drafts', () => {
  it('restores a top-level draft after a reload and clears it after posting', async () => {
    const adapter = createMemoryAdapter([]);
    const first = await renderThread(adapter);
    await first.user.type(topForm(), 'Half written');
    first.unmount();
    const second = await renderThread(adapter);
    expect((topForm() as HTMLTextAreaElement).value).toBe('Half written');
    await second.user.click(screen.getByRole('button', { name: 'Post comment' }));
    await waitFor(() => expect(adapter.comments).toHaveLength(1));
    second.unmount();
    await renderThread(adapter);
    expect((topForm() as HTMLTextAreaElement).value).toBe('');
  });

  it('reopens a reply form with its draft after a reload', async () => {
    const adapter = createMemoryAdapter([makeComment({ body: 'Parent', author: { name: 'Bo', url: null, avatarUrl: null } })]);
    const first = await renderThread(adapter);
    await first.user.click(screen.getByRole('button', { name: 'Reply' }));
    await first.user.type(screen.getByRole('textbox', { name: 'Your reply to Bo' }), 'Unsent reply');
    first.unmount();
    await renderThread(adapter);
    expect((screen.getByRole('textbox', { name: 'Your reply to Bo' }) as HTMLTextAreaElement).value).toBe('Unsent reply');
  });

  it('reuses the Idempotency-Key of a failed post after a reload', async () => {
    const adapter = createMemoryAdapter([]);
    const first = await renderThread(adapter);
    await first.user.type(topForm(), 'Maybe sent');
    adapter.failNext('post', new ConfabError('timeout', 'slow'));
    await first.user.click(screen.getByRole('button', { name: 'Post comment' }));
    await screen.findByRole('alert');
    first.unmount();
    const second = await renderThread(adapter);
    await second.user.click(screen.getByRole('button', { name: 'Post comment' }));
    await waitFor(() => expect(adapter.comments).toHaveLength(1));
    const [a, b] = adapter.calls.filter((c) => c.op === 'post');
    expect(a!.key).toBe(b!.key);
  });
});

describe('offline', () => {
  it('says so, sends nothing, keeps the text, and posts only when the reader confirms back online', async () => {
    const adapter = createMemoryAdapter([]);
    const { store, user } = await renderThread(adapter);
    store.online.value = false;
    expect(await screen.findByText('You are offline. You can keep writing and post when you are back.')).toBeTruthy();
    await user.type(topForm(), 'Written on a train');
    await user.click(screen.getByRole('button', { name: 'Post comment' }));
    expect(screen.getByRole('alert').textContent).toBe('You are offline. Your text is kept here.');
    expect(screen.queryByRole('button', { name: 'Post now' })).toBeNull();
    expect(adapter.calls.filter((c) => c.op === 'post')).toHaveLength(0);
    expect(screen.queryAllByRole('article')).toHaveLength(0);

    store.online.value = true;
    expect(await screen.findByText('You are back online.')).toBeTruthy();
    expect(adapter.calls.filter((c) => c.op === 'post')).toHaveLength(0); // not without the reader
    await user.click(screen.getByRole('button', { name: 'Post now' }));
    await waitFor(() => expect(adapter.comments).toHaveLength(1));
    expect(adapter.comments[0]!.body).toBe('Written on a train');
  });

  it('calls a failure offline when the network went away during the request', async () => {
    const adapter = createMemoryAdapter([]);
    const { store, user } = await renderThread(adapter);
    await user.type(topForm(), 'Tunnel ahead');
    const release = adapter.hold('post');
    adapter.failNext('post');
    await user.click(screen.getByRole('button', { name: 'Post comment' }));
    store.online.value = false;
    release();
    expect((await screen.findByRole('alert')).textContent).toBe('You are offline. Your text is kept here.');
    expect((topForm() as HTMLTextAreaElement).value).toBe('Tunnel ahead');
  });
});
