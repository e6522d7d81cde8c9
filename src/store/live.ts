// Live updates, the store's side: events put into the thread, new top-level comments held while
// the reader reads, a catch-up read after the stream was down. The connection (subscribe,
// reconnect, backoff) is live-stream.ts, loaded only on pages with the `live` option. The
// script-tag bundle leaves this out too: live-stream.ts re-exports it, so it comes with the
// connection (thread-store.ts), and it imports nothing at run time (the signals' batch and the
// tree's order come from the store).
import type { batch as Batch, ReadonlySignal, Signal } from '@preact/signals-core';
import type { Comment, LiveEventType, SortOrder, ThreadInfo, ValidatedAdapter } from '../types';
import type { CommentNodes, parentsFirst as ParentsFirst } from './comment-nodes';
import type { FocusRequest, LoadStatus } from './thread-store';

/** The store's side of live updates; `isStale(generation)`: a newer load started, drop the answer. */
export function createLiveUpdates(
  batch: typeof Batch,
  parentsFirst: typeof ParentsFirst,
  /** New top-level comments from others, held behind "N new comments" while the reader reads. */
  held: Signal<readonly Comment[]>,
  nodes: CommentNodes,
  setCommentCount: (delta: number) => void,
  thread: Signal<ThreadInfo | null>,
  status: ReadonlySignal<LoadStatus>,
  sort: ReadonlySignal<SortOrder>,
  nextCursor: ReadonlySignal<string | null>,
  focusRequest: Signal<FocusRequest | null>,
  readPage: (cursor: string | null) => ReturnType<ValidatedAdapter['list']>,
  isStale: (generation: number) => boolean,
) {
  const { upsert } = nodes;
  const isHeld = (id: string) => held.peek().some((c) => c.id === id);

  /**
   * A comment from the live stream. Replies land in their branch at once; a new top-level
   * comment waits behind "N new comments" while the reader is inside the thread, so the page
   * does not shift under them. `countIt` is false during a catch-up, whose count is the server's.
   */
  function receiveLive(type: LiveEventType, comment: Comment, readerInside: boolean, countIt = true) {
    const known = nodes.node(comment.id);
    batch(() => {
      if (known) {
        const wasPublished = known.comment.peek().status === 'published';
        upsert(type === 'comment.deleted' ? { ...comment, status: 'deleted', body: '' } : comment);
        const isPublished = known.comment.peek().status === 'published';
        if (countIt && wasPublished !== isPublished) setCommentCount(isPublished ? 1 : -1);
        return;
      }
      if (type !== 'comment.created' || comment.status !== 'published' || isHeld(comment.id)) return;
      if (countIt) setCommentCount(1);
      if (comment.parentId !== null) {
        // A reply to a comment on a page not read yet comes with that page.
        if (nodes.has(comment.parentId)) upsert(comment);
        return;
      }
      // Oldest first with pages left: the new comment belongs after them, not here.
      if (sort.peek() === 'oldest' && nextCursor.peek()) return;
      if (readerInside) held.value = [...held.peek(), comment];
      else upsert(comment);
    });
  }

  return {
    receiveLive,
    /** Takes a comment out of the held ones (our own post came back); true when it was there. */
    unhold(id: string) {
      const was = isHeld(id);
      if (was) held.value = held.peek().filter((c) => c.id !== id);
      return was;
    },
    /** Puts the held comments in the thread and focuses the first of them. */
    showHeld() {
      const comments = held.peek();
      if (comments.length === 0) return;
      batch(() => {
        held.value = [];
        for (const comment of comments) upsert(comment);
        focusRequest.value = { id: comments[0]!.id };
      });
    },
    /** After the live stream was down: re-read the `pages()` the reader has, keep what is new. */
    async catchUp(readerInside: () => boolean, pages: () => number, generation: number) {
      if (status.peek() !== 'ready') return;
      let cursor: string | null = null;
      try {
        for (let page = 0; page < Math.max(1, pages()); page++) {
          const answer = await readPage(cursor);
          if (isStale(generation)) return;
          const inside = readerInside();
          batch(() => {
            for (const comment of parentsFirst(answer.comments)) receiveLive('comment.created', comment, inside, false);
            thread.value = answer.thread;
          });
          cursor = answer.nextCursor;
          if (!cursor) break;
        }
      } catch {
        // The next reconnect tries again; the thread on screen stays as it is.
      }
    },
  };
}

export type LiveUpdates = ReturnType<typeof createLiveUpdates>;
