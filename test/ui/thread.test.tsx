import { afterEach, describe, expect, it } from 'vitest';
import { act, screen, waitFor, within } from '@testing-library/preact';
import { options } from 'preact';
import { Comment } from '../../src/ui/Comment';
import { ConfabError } from '../../src/errors';
import { createMemoryAdapter } from '../fixtures/memory-adapter';
import { makeComment, seedComments } from '../fixtures/seed';
import { commentWith, renderThread } from './render-thread';

describe('<Thread />', () => {
  it('shows the seed thread with its count, every comment and the nesting', async () => {
    await renderThread(createMemoryAdapter(seedComments), { pageSize: 100 });
    expect(screen.getByRole('heading', { level: 2, name: '57 comments' })).toBeTruthy();
    await waitFor(() => expect(screen.getAllByRole('article')).toHaveLength(57)); // the first screen, then the rest
    // Jacek Wolski's answer sits inside Cheryl Brandon's replies.
    const cheryl = commentWith(/Hezbollahwill never make any agreements/).closest('li')!;
    expect(within(cheryl).getByText(/Look what happened in Chechnya/)).toBeTruthy();
    expect(screen.getAllByText('Guest').length).toBeGreaterThan(10);
  });

  it('says it is loading, then shows the comments', async () => {
    const adapter = createMemoryAdapter([makeComment({ body: 'First!' })]);
    const release = adapter.hold('list');
    const pending = renderThread(adapter);
    expect((await screen.findByText('Loading comments…')).getAttribute('role')).toBe('status');
    release();
    await pending;
    expect(screen.getByText('First!')).toBeTruthy();
    expect(screen.queryByText('Loading comments…')).toBeNull();
  });

  it('invites the first comment on an empty thread', async () => {
    await renderThread(createMemoryAdapter([]));
    expect(screen.getByText('No comments yet. Start the conversation.')).toBeTruthy();
    expect(screen.getByRole('heading', { name: '0 comments' })).toBeTruthy();
  });

  it('explains a failed load and recovers on Retry', async () => {
    const adapter = createMemoryAdapter([makeComment({ body: 'Back again' })]);
    adapter.failNext('list', new ConfabError('timeout', 'slow'));
    const { user } = await renderThread(adapter);
    expect(screen.getByRole('alert').textContent).toContain('The comment server took too long to answer.');
    // No form while the thread is not there: a comment typed now would have nowhere to go.
    expect(screen.queryByRole('textbox', { name: 'Your comment' })).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByText('Back again')).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.getByRole('textbox', { name: 'Your comment' })).toBeTruthy();
  });

  it('says the comment server could not be reached, not that the reader’s connection is bad', async () => {
    const adapter = createMemoryAdapter([]);
    adapter.failNext('list', new ConfabError('network', 'Failed to fetch'));
    await renderThread(adapter);
    expect(screen.getByRole('alert').textContent).toBe('Could not reach the comment server.Retry');
  });

  it('loads more comments while there is a next page', async () => {
    const comments = Array.from({ length: 5 }, (_, i) => makeComment({ body: `Top ${i + 1}` }));
    const { user } = await renderThread(createMemoryAdapter(comments), { pageSize: 2 });
    expect(screen.getAllByRole('article')).toHaveLength(2);
    await user.click(screen.getByRole('button', { name: 'Load more comments' }));
    await waitFor(() => expect(screen.getAllByRole('article')).toHaveLength(4));
    await user.click(screen.getByRole('button', { name: 'Load more comments' }));
    await waitFor(() => expect(screen.getAllByRole('article')).toHaveLength(5));
    expect(screen.queryByRole('button', { name: 'Load more comments' })).toBeNull();
  });

  it('keeps the loaded comments and offers Retry when loading more fails', async () => {
    const comments = Array.from({ length: 3 }, (_, i) => makeComment({ body: `Top ${i + 1}` }));
    const adapter = createMemoryAdapter(comments);
    const { user } = await renderThread(adapter, { pageSize: 2 });
    adapter.failNext('list');
    await user.click(screen.getByRole('button', { name: 'Load more comments' }));
    expect(await screen.findByRole('alert')).toBeTruthy();
    expect(screen.getAllByRole('article')).toHaveLength(2);
    await user.click(screen.getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(screen.getAllByRole('article')).toHaveLength(3));
  });

  it('switches the order of top-level comments', async () => {
    const old = makeComment({ body: 'Older', score: 1, createdAt: Date.UTC(2024, 0, 1) });
    const young = makeComment({ body: 'Younger', score: 0, createdAt: Date.UTC(2024, 0, 2) });
    const best = makeComment({ body: 'Best', score: 9, createdAt: Date.UTC(2024, 0, 3) });
    const { user } = await renderThread(createMemoryAdapter([old, young, best]));
    const order = () => screen.getAllByRole('article').map((a) => a.querySelector('.confab-body')!.textContent);
    expect(order()).toEqual(['Older', 'Younger', 'Best']);
    await user.click(screen.getByRole('button', { name: 'Newest' }));
    await waitFor(() => expect(order()).toEqual(['Best', 'Younger', 'Older']));
    expect(screen.getByRole('button', { name: 'Newest' }).getAttribute('aria-pressed')).toBe('true');
    await user.click(screen.getByRole('button', { name: 'Top' }));
    await waitFor(() => expect(order()).toEqual(['Best', 'Older', 'Younger']));
  });

  it('says a locked thread takes no new comments and hides every form', async () => {
    await renderThread(createMemoryAdapter([makeComment()], { locked: true }));
    expect(screen.getByText('Comments are closed.')).toBeTruthy();
    expect(screen.queryByRole('textbox')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Reply' })).toBeNull();
  });

  it('keeps the text in the form, with the reason, when the thread closed before the reader posted', async () => {
    const adapter = createMemoryAdapter([makeComment({ body: 'Earlier' })]);
    const { user } = await renderThread(adapter);
    const box = screen.getByRole('textbox', { name: 'Your comment' }) as HTMLTextAreaElement;
    await user.type(box, 'Words worth keeping');
    adapter.failNext('post', new ConfabError('http', 'Closed', { status: 403, serverCode: 'locked' }));
    await user.click(screen.getByRole('button', { name: 'Post comment' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Your comment was not posted. Your text is kept. This thread is closed.');
    expect((screen.getByRole('textbox', { name: 'Your comment' }) as HTMLTextAreaElement).value).toBe('Words worth keeping');
    expect(adapter.comments).toHaveLength(1);
  });

  it('keeps open replies, read-only and without Post, when a reload finds the thread closed', async () => {
    const adapter = createMemoryAdapter([makeComment({ body: 'First' }), makeComment({ body: 'Second' })]);
    const { user, store } = await renderThread(adapter);
    await user.type(screen.getByRole('textbox', { name: 'Your comment' }), 'A new thought');
    await user.click(within(commentWith('First')).getByRole('button', { name: 'Reply' }));
    await user.type(screen.getAllByRole('textbox', { name: /^Your reply to/ })[0]!, 'Half a thought');
    adapter.thread.locked = true;
    await act(() => store.load());
    const boxes = screen.getAllByRole('textbox') as HTMLTextAreaElement[];
    expect(boxes.map((box) => [box.value, box.readOnly])).toEqual([
      ['A new thought', true],
      ['Half a thought', true],
    ]);
    expect(screen.getAllByText('Comments are closed.')).toHaveLength(2);
    expect(screen.queryByRole('button', { name: /^Post/ })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Reply' })).toBeNull();
    // The kept reply still closes; its text stays in the draft.
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.getAllByRole('textbox')).toHaveLength(1);
    expect(store.form(commentWith('First').id.replace(/^comment-/, '')).body.value).toBe('Half a thought');
  });

  it('tells the reader when some comments could not be shown', async () => {
    const adapter = createMemoryAdapter([makeComment({ body: 'Fine' })]);
    const list = adapter.list.bind(adapter);
    adapter.list = async (...args) => ({ ...(await list(...args)), skipped: 2 });
    await renderThread(adapter);
    expect(screen.getByText('2 comments could not be shown.')).toBeTruthy();
    expect(screen.getByText('Fine')).toBeTruthy();
  });
});

describe('a misbehaving adapter', () => {
  it('stops offering more pages when the backend hands out a cursor again', async () => {
    const adapter = createMemoryAdapter([makeComment({ body: 'Only one' })]);
    const list = adapter.list.bind(adapter);
    adapter.list = async (...args) => ({ ...(await list(...args)), nextCursor: 'again' });
    const { user } = await renderThread(adapter);
    await user.click(screen.getByRole('button', { name: 'Load more comments' }));
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Load more comments' })).toBeNull());
    expect(screen.getAllByText('Only one')).toHaveLength(1);
  });

  it("validates what a site's own adapter returns, like any server answer", async () => {
    const adapter = createMemoryAdapter([]);
    adapter.list = async () => ({
      thread: adapter.thread,
      comments: [
        makeComment({ body: 'Usable', author: { name: 'Eve', url: 'javascript:alert(1)', avatarUrl: null } }),
        { id: 42 } as unknown as ReturnType<typeof makeComment>, // numeric id, no body: kept, empty
        { body: 'no id' } as unknown as ReturnType<typeof makeComment>,
      ],
      nextCursor: null,
      skipped: 0,
    });
    adapter.post = async () => ({ comment: { nonsense: true } as unknown as ReturnType<typeof makeComment>, editToken: null });
    const { user } = await renderThread(adapter);
    expect(screen.getByText('1 comment could not be shown.')).toBeTruthy();
    expect(within(commentWith('Usable')).queryByRole('link', { name: 'Eve' })).toBeNull();
    await user.type(screen.getByRole('textbox', { name: 'Your comment' }), 'Hello');
    await user.click(screen.getByRole('button', { name: 'Post comment' }));
    expect((await screen.findByRole('alert')).textContent).toContain('could not read');
  });
});

describe('after a reload or a new sort', () => {
  it('keeps every comment working: reply, collapse and updates reach the page', async () => {
    const root = makeComment({ body: 'Root', createdAt: Date.UTC(2024, 0, 1) });
    const child = makeComment({ body: 'Child', parentId: root.id, createdAt: Date.UTC(2024, 0, 2) });
    const other = makeComment({ body: 'Other', createdAt: Date.UTC(2024, 0, 3) });
    const adapter = createMemoryAdapter([root, child, other]);
    const { store, user } = await renderThread(adapter);
    await user.click(within(commentWith('Root')).getByRole('button', { name: 'Hide 1 reply' }));
    await user.click(screen.getByRole('button', { name: 'Newest' }));
    await waitFor(() =>
      expect(screen.getAllByRole('article').map((a) => a.querySelector('.confab-body')!.textContent)).toEqual(['Other', 'Root']),
    );
    // The collapsed branch stayed collapsed, and opens again.
    await user.click(within(commentWith('Root')).getByRole('button', { name: 'Show 1 reply' }));
    expect(screen.getByText('Child')).toBeTruthy();
    await user.click(within(commentWith('Other')).getByRole('button', { name: 'Reply' }));
    expect(screen.getByRole('textbox', { name: /Your reply to/ })).toBeTruthy();
    await store.load();
    store.receive({ ...other, body: 'Other, edited' });
    expect(await screen.findByText('Other, edited')).toBeTruthy();
  });
});

describe('sorting', () => {
  const threeComments = () => [
    makeComment({ body: 'Old', createdAt: Date.UTC(2024, 0, 1), score: 1 }),
    makeComment({ body: 'Middle', createdAt: Date.UTC(2024, 0, 2), score: 9 }),
    makeComment({ body: 'New', createdAt: Date.UTC(2024, 0, 3), score: 5 }),
  ];
  const order = () => screen.getAllByRole('article').map((a) => a.querySelector('.confab-body')!.textContent);

  it('re-sorts without a request when every comment is already loaded', async () => {
    const adapter = createMemoryAdapter(threeComments());
    const { user } = await renderThread(adapter);
    const lists = () => adapter.calls.filter((call) => call.op === 'list').length;
    expect(lists()).toBe(1);
    await user.click(screen.getByRole('button', { name: 'Top' }));
    expect(order()).toEqual(['Middle', 'New', 'Old']);
    await user.click(screen.getByRole('button', { name: 'Newest' }));
    expect(order()).toEqual(['New', 'Middle', 'Old']);
    expect(screen.getByRole('button', { name: 'Newest' }).getAttribute('aria-pressed')).toBe('true');
    expect(lists()).toBe(1);
  });

  it('asks the backend for the new order when pages are left', async () => {
    const adapter = createMemoryAdapter(threeComments());
    const { user } = await renderThread(adapter, { pageSize: 2 });
    await user.click(screen.getByRole('button', { name: 'Top' }));
    await waitFor(() => expect(order()).toEqual(['Middle', 'New']));
    expect(adapter.calls.filter((call) => call.op === 'list').at(-1)!.query!.sort).toBe('top');
  });
});

describe('a long thread', () => {
  const longThread = (count: number) =>
    Array.from({ length: count }, (_, i) => makeComment({ body: `Comment number ${i}`, createdAt: Date.UTC(2024, 0, 1, 0, i) }));

  it('shows the first screen at once and every comment a moment later, in order', async () => {
    const comments = longThread(400);
    const { view } = await renderThread(createMemoryAdapter(comments), { pageSize: 400 });
    const first = view.container.querySelectorAll('article').length;
    expect(screen.getByText('Comment number 0')).toBeTruthy();
    // A window's height of comments if each took one line (64 px): the first screen is whole.
    expect(first).toBeGreaterThanOrEqual(Math.ceil(window.innerHeight / 64));
    expect(first).toBeLessThan(400); // the rest comes in later slices
    await waitFor(() => expect(view.container.querySelectorAll('article')).toHaveLength(400), { timeout: 10_000 });
    const bodies = [...view.container.querySelectorAll('.confab-body')].map((body) => body.textContent);
    expect(bodies).toEqual(comments.map((c) => c.body));
  });

  it('offers "Load more" only below the last slice, so it is never pushed down', async () => {
    const comments = longThread(450);
    const { view } = await renderThread(createMemoryAdapter(comments), { pageSize: 400 });
    expect(view.container.querySelectorAll('article').length).toBeLessThan(400);
    expect(screen.queryByRole('button', { name: 'Load more comments' })).toBeNull();
    await waitFor(() => expect(view.container.querySelectorAll('article')).toHaveLength(400), { timeout: 10_000 });
    expect(await screen.findByRole('button', { name: 'Load more comments' })).toBeTruthy();
  });

  it('shows a permalinked comment far down at once, before the slices reach it', async () => {
    const comments = longThread(400);
    const { store } = await renderThread(createMemoryAdapter(comments), { pageSize: 400 });
    expect(screen.queryByText('Comment number 390')).toBeNull();
    expect(await store.reveal(comments[390]!.id)).toBe(true);
    await waitFor(() => expect(commentWith('Comment number 390').classList.contains('confab-comment--highlighted')).toBe(true));
  });

  it('starts again from the top after a new sort, newest first', async () => {
    const comments = longThread(400);
    const { view, user } = await renderThread(createMemoryAdapter(comments), { pageSize: 400 });
    await waitFor(() => expect(view.container.querySelectorAll('article')).toHaveLength(400), { timeout: 10_000 });
    await user.click(screen.getByRole('button', { name: 'Newest' }));
    await waitFor(() => expect(view.container.querySelector('.confab-body')!.textContent).toBe('Comment number 399'));
    // The list in the old order is out of reach at once and gone a few tasks later.
    expect(screen.getAllByRole('article').length).toBeLessThan(400);
    await waitFor(() => expect(view.container.querySelector('.confab-list--leaving')).toBeNull(), { timeout: 10_000 });
    await waitFor(() => expect(view.container.querySelectorAll('article')).toHaveLength(400), { timeout: 10_000 });
    const bodies = [...view.container.querySelectorAll('.confab-body')].map((body) => body.textContent);
    expect(bodies).toEqual(comments.map((c) => c.body).reverse());
  });
});

describe('a long branch', () => {
  // A top-level comment with 300 replies (30 answers, 9 replies to each), then five short ones.
  // makeComment's times rise in this order: the oldest-first order is the reading order.
  const branchy = () => {
    const comments = [makeComment({ body: 'Big 0' })];
    for (let a = 0; a < 30; a++) {
      const answer = makeComment({ body: `Big 0 answer ${a}`, parentId: comments[0]!.id });
      comments.push(answer);
      for (let r = 0; r < 9; r++) comments.push(makeComment({ body: `Big 0 answer ${a} reply ${r}`, parentId: answer.id }));
    }
    for (let top = 1; top <= 5; top++) comments.push(makeComment({ body: `Small ${top}` }));
    return comments;
  };
  const bodies = () => [...document.querySelectorAll('.confab-body')].map((body) => body.textContent);
  const originalRender = (options as Record<string, unknown>).__r;
  afterEach(() => void ((options as Record<string, unknown>).__r = originalRender));

  it('shows a part at a time, in reading order, each part rendering only what it adds', async () => {
    const comments = branchy();
    const rendered: string[] = [];
    (options as Record<string, unknown>).__r = (vnode: { type: unknown; props: { id?: string } }) => {
      if (vnode.type === Comment) rendered.push(vnode.props.id!);
      if (typeof originalRender === 'function') originalRender(vnode);
    };
    await renderThread(createMemoryAdapter(comments), { pageSize: 3 });
    // The first paint holds the top of the branch, not all 301 of its comments.
    const first = bodies();
    expect(first[0]).toBe('Big 0');
    expect(first.length).toBeLessThan(60);
    expect(screen.queryByRole('button', { name: 'Load more comments' })).toBeNull();
    await waitFor(() => expect(bodies()).toHaveLength(303), { timeout: 10_000 });
    expect(bodies()).toEqual(comments.slice(0, 303).map((c) => c.body));
    // Each part renders its new comments and the few it continues (the branch's top, the answer
    // it stopped in), never the whole branch again.
    expect(rendered.length).toBeLessThan(303 * 1.3);
    expect(within(commentWith('Big 0')).getByRole('button', { name: 'Hide 300 replies' })).toBeTruthy();
    // "Load more" comes once the branch is whole, below it.
    expect(await screen.findByRole('button', { name: 'Load more comments' })).toBeTruthy();
  });

  it('shows a reply far down the branch at once when it is asked for', async () => {
    const comments = branchy();
    const { store } = await renderThread(createMemoryAdapter(comments), { pageSize: 6 });
    const far = comments[298]!; // answer 29, reply 6
    expect(screen.queryByText(far.body)).toBeNull();
    await act(async () => void (await store.reveal(far.id)));
    await waitFor(() => expect(commentWith(far.body).classList.contains('confab-comment--highlighted')).toBe(true));
    await waitFor(() => expect(bodies()).toEqual(comments.map((c) => c.body)), { timeout: 10_000 });
  });
});

describe('a long thread, after a permalink or a new sort', () => {
  const longThread = (count: number) =>
    Array.from({ length: count }, (_, i) => makeComment({ body: `Top ${i}`, createdAt: Date.UTC(2024, 0, 1, 0, i) }));
  const shown = () => document.querySelectorAll('.confab-list:not(.confab-list--leaving) article').length;

  it('honours a focus request once: a later new order still starts with one slice', async () => {
    const comments = longThread(400);
    const { store } = await renderThread(createMemoryAdapter(comments), { pageSize: 400 });
    await waitFor(() => expect(shown()).toBe(400), { timeout: 10_000 });
    act(() => store.setSort('newest'));
    const oneSlice = shown();
    expect(oneSlice).toBeLessThan(400);
    await waitFor(() => expect(shown()).toBe(400), { timeout: 10_000 });
    await act(async () => void (await store.reveal(comments[399]!.id)));
    act(() => store.setSort('oldest'));
    expect(shown()).toBe(oneSlice);
  });

  it('empties the list in the old order while the new one fills, never holding both in full', async () => {
    const comments = longThread(600);
    const { store } = await renderThread(createMemoryAdapter(comments), { pageSize: 600 });
    await waitFor(() => expect(shown()).toBe(600), { timeout: 10_000 });
    act(() => store.setSort('newest'));
    let most = 0;
    await waitFor(
      () => {
        const leaving = document.querySelectorAll('.confab-list--leaving article').length;
        most = Math.max(most, leaving + shown());
        expect(leaving === 0 && shown() === 600).toBe(true);
      },
      { timeout: 10_000, interval: 1 },
    );
    expect(most).toBeLessThan(1000);
  });

  it('keeps an edit in progress through a new sort', async () => {
    const adapter = createMemoryAdapter([makeComment({ body: 'Older one', createdAt: Date.UTC(2020, 0, 1) })]);
    const { user } = await renderThread(adapter);
    await user.type(screen.getByRole('textbox', { name: 'Your comment' }), 'Mine');
    await user.click(screen.getByRole('button', { name: 'Post comment' }));
    await waitFor(() => expect(within(commentWith('Mine')).queryByText('Posting…')).toBeNull());
    await user.click(within(commentWith('Mine')).getByRole('button', { name: 'Edit' }));
    await user.type(await screen.findByRole('textbox', { name: 'Edit your comment' }), ' and more typed');
    await user.click(screen.getByRole('button', { name: 'Newest' }));
    await waitFor(() => expect(document.querySelector('.confab-list--leaving')).toBeNull());
    expect((screen.getByRole('textbox', { name: 'Edit your comment' }) as HTMLTextAreaElement).value).toBe('Mine and more typed');
    // Cancel, then Edit again: a new edit starts from the comment as it is.
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    await user.click(within(commentWith('Mine')).getByRole('button', { name: 'Edit' }));
    expect(((await screen.findByRole('textbox', { name: 'Edit your comment' })) as HTMLTextAreaElement).value).toBe('Mine');
  });
});
