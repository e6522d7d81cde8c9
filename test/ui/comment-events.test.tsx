// The one listener behind every comment's buttons (src/ui/comment-events.ts).
import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { createThreadStore } from '../../src/store/thread-store';
import { ConfabProvider } from '../../src/ui/ConfabProvider';
import { Thread } from '../../src/ui/Thread';
import { Comment } from '../../src/ui/Comment';
import { ConfabError } from '../../src/errors';
import { createMemoryAdapter } from '../fixtures/memory-adapter';
import { makeComment } from '../fixtures/seed';
import { commentWith, postOwnComment, renderThread } from './render-thread';

describe('voting', () => {
  it('moves the score at once and keeps the server score', async () => {
    const adapter = createMemoryAdapter([makeComment({ body: 'Vote me', score: 4 })]);
    const { user } = await renderThread(adapter);
    const up = within(commentWith('Vote me')).getByRole('button', { name: 'Upvote' });
    await user.click(up);
    await waitFor(() => expect(up.getAttribute('aria-pressed')).toBe('true'));
    // The number shown between the arrows is drawn from data-score.
    expect(within(commentWith('Vote me')).getByRole('group', { name: '5 points' }).dataset.score).toBe('5');
    await user.click(within(commentWith('Vote me')).getByRole('button', { name: 'Downvote' }));
    await waitFor(() => expect(within(commentWith('Vote me')).getByRole('group', { name: '3 points' })).toBeTruthy());
    expect(adapter.comments[0]!.score).toBe(3);
  });

  it('puts the score back and says why when the vote fails', async () => {
    const adapter = createMemoryAdapter([makeComment({ body: 'Vote me', score: 4 })]);
    const { user } = await renderThread(adapter);
    adapter.failNext('vote', new ConfabError('http', 'slow down', { status: 429, serverCode: 'rate_limited', retryAfter: 30 }));
    await user.click(within(commentWith('Vote me')).getByRole('button', { name: 'Upvote' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Too many requests. Try again in 30 s.');
    expect(within(commentWith('Vote me')).getByRole('group', { name: '4 points' })).toBeTruthy();
    expect(within(commentWith('Vote me')).getByRole('button', { name: 'Upvote' }).getAttribute('aria-pressed')).toBe('false');
  });
});

describe('deleting an own comment', () => {
  it('deletes an own comment after confirmation', async () => {
    const { user, adapter } = await postOwnComment('Regret this');
    await user.click(within(commentWith('Regret this')).getByRole('button', { name: 'Delete' }));
    const confirm = screen.getByRole('group', { name: 'Delete this comment?' });
    await user.click(within(confirm).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(screen.queryByText('Regret this')).toBeNull());
    expect(adapter.comments[0]!.status).toBe('deleted');
    expect(screen.getByRole('heading', { name: '0 comments' })).toBeTruthy();
  });
});

describe('a <Comment> outside <Thread>', () => {
  it('has working buttons and its own status line, next to a thread or alone', async () => {
    const writeText = vi.spyOn(navigator.clipboard, 'writeText').mockResolvedValue(undefined);
    const featured = makeComment({ body: 'Featured', score: 2 });
    const adapter = createMemoryAdapter([featured, makeComment({ body: 'Other' })]);
    const store = createThreadStore({ adapter, threadId: 't' });
    await store.load();
    render(
      <ConfabProvider store={store}>
        <Thread />
        <ul class="featured">
          <Comment id={featured.id} depth={0} />
        </ul>
      </ConfabProvider>,
    );
    const alone = document.querySelector<HTMLElement>('.featured article')!;
    fireEvent.click(within(alone).getByRole('button', { name: 'Upvote' }));
    await waitFor(() => expect(adapter.calls.some((call) => call.op === 'vote')).toBe(true));
    fireEvent.click(within(alone).getByRole('button', { name: 'Copy link' }));
    expect(writeText).toHaveBeenCalled();
    expect((await screen.findByText('Link copied')).getAttribute('role')).toBe('status');
  });
});

describe('"Link copied"', () => {
  it('is said by each widget on its own, and again for a second copy', async () => {
    vi.spyOn(navigator.clipboard, 'writeText').mockResolvedValue(undefined);
    const widget = async (body: string) => {
      const store = createThreadStore({ adapter: createMemoryAdapter([makeComment({ body })]), threadId: 't' });
      const view = render(
        <ConfabProvider store={store}>
          <Thread />
        </ConfabProvider>,
      );
      await store.load();
      return view.container as HTMLElement;
    };
    const first = await widget('In the first');
    const second = await widget('In the second');
    const toast = (container: HTMLElement) => container.querySelector('.confab-toast')!.textContent;
    fireEvent.click(within(first).getByRole('button', { name: 'Copy link' }));
    await waitFor(() => expect(toast(first)).toBe('Link copied'));
    fireEvent.click(within(second).getByRole('button', { name: 'Copy link' }));
    await waitFor(() => expect(toast(second)).toBe('Link copied'));
    // Each clears itself; the second widget's copy did not take over the first's timer.
    await waitFor(() => expect(toast(first)).toBe(''), { timeout: 4_000 });
    await waitFor(() => expect(toast(second)).toBe(''), { timeout: 4_000 });
    // A second copy empties the line first, so a screen reader hears it again.
    fireEvent.click(within(first).getByRole('button', { name: 'Copy link' }));
    await waitFor(() => expect(toast(first)).toBe('Link copied'));
    fireEvent.click(within(first).getByRole('button', { name: 'Copy link' }));
    await waitFor(() => expect(toast(first)).toBe(''));
    await waitFor(() => expect(toast(first)).toBe('Link copied'));
  });
});
