import { afterEach, describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/preact';
import { mount, type ConfabHandle } from '../../src/mount';
import { startLive } from '../../src/store/live-stream';
import type { Comment, LiveHandlers } from '../../src/types';
import { createMemoryAdapter, type MemoryAdapter } from '../fixtures/memory-adapter';
import { makeComment } from '../fixtures/seed';
import { commentWith, renderThread } from './render-thread';

interface Connection {
  handlers: LiveHandlers;
  closed: boolean;
}

/** Gives the memory adapter a controllable live stream: one entry per subscribe call. */
function withStream(adapter: MemoryAdapter): Connection[] {
  const connections: Connection[] = [];
  adapter.subscribe = (_threadId, handlers) => {
    const connection = { handlers, closed: false };
    connections.push(connection);
    return () => {
      connection.closed = true;
    };
  };
  return connections;
}

/** What another reader's post looks like: stored by the backend, announced on the stream. */
function postedElsewhere(adapter: MemoryAdapter, fields: Partial<Comment>): Comment {
  const comment = makeComment(fields);
  adapter.comments.push(comment);
  return comment;
}

const handles: ConfabHandle[] = [];
afterEach(() => {
  handles.splice(0).forEach((h) => h.unmount());
  document.body.replaceChildren();
});

describe('live updates', () => {
  it('puts a reply from someone else in its branch without a reload', async () => {
    const parent = makeComment({ body: 'Parent' });
    const adapter = createMemoryAdapter([parent, makeComment({ body: 'Other top' })]);
    const connections = withStream(adapter);
    const { store } = await renderThread(adapter);
    const live = startLive(store, { readerInside: () => false });
    connections[0]!.handlers.onOpen();
    const reply = postedElsewhere(adapter, { body: 'Live reply', parentId: parent.id });
    connections[0]!.handlers.onEvent('comment.created', reply);
    await waitFor(() => expect(within(commentWith('Parent').closest('li')!).getByText('Live reply')).toBeTruthy());
    expect(screen.getByRole('heading', { name: '3 comments' })).toBeTruthy();
    live.stop();
    expect(connections[0]!.closed).toBe(true);
  });

  it('holds new top-level comments behind a button while the reader is inside the thread', async () => {
    const adapter = createMemoryAdapter([makeComment({ body: 'Old one' })]);
    const connections = withStream(adapter);
    const { store, user } = await renderThread(adapter, { sort: 'newest' });
    startLive(store, { readerInside: () => true });
    const fresh = postedElsewhere(adapter, { body: 'Brand new', createdAt: Date.now() });
    connections[0]!.handlers.onEvent('comment.created', fresh);
    const button = await screen.findByRole('button', { name: 'Show 1 new comment' });
    expect(screen.queryByText('Brand new')).toBeNull();
    expect(screen.getByRole('heading', { name: '2 comments' })).toBeTruthy();
    await user.click(button);
    await waitFor(() => expect(document.activeElement).toBe(commentWith('Brand new')));
    expect(screen.queryByRole('button', { name: /new comment/ })).toBeNull();
  });

  it('inserts new top-level comments at once while the reader is above the thread', async () => {
    const adapter = createMemoryAdapter([makeComment({ body: 'Old one' })]);
    const connections = withStream(adapter);
    const { store } = await renderThread(adapter);
    startLive(store, { readerInside: () => false });
    connections[0]!.handlers.onEvent('comment.created', postedElsewhere(adapter, { body: 'Straight in' }));
    expect(await screen.findByText('Straight in')).toBeTruthy();
  });

  it('reconnects after a drop and catches up on what it missed, without duplicates', async () => {
    const adapter = createMemoryAdapter([makeComment({ body: 'Before' })]);
    const connections = withStream(adapter);
    const { store, view } = await renderThread(adapter);
    const delays: number[] = [];
    const live = startLive(store, { readerInside: () => false, delay: (n) => (delays.push(n), 5) });
    connections[0]!.handlers.onOpen();
    connections[0]!.handlers.onError(); // the stream drops…
    expect(live.status()).toBe('reconnecting');
    postedElsewhere(adapter, { body: 'Posted while we were away' }); // …and this event is never sent
    await waitFor(() => expect(connections).toHaveLength(2));
    connections[1]!.handlers.onOpen();
    expect(await screen.findByText('Posted while we were away')).toBeTruthy();
    expect(live.status()).toBe('open');
    expect(view.container.querySelectorAll('article')).toHaveLength(2);
    expect(screen.getAllByText('Before')).toHaveLength(1);
    // A second drop backs off from the start again: attempts are counted per outage.
    connections[1]!.handlers.onError();
    await waitFor(() => expect(connections).toHaveLength(3));
    expect(delays).toEqual([0, 0]);
    live.stop();
  });

  it("shows the reader's own comment once when its live event beats the answer to the post", async () => {
    const adapter = createMemoryAdapter([]);
    const connections = withStream(adapter);
    const { store, user } = await renderThread(adapter);
    startLive(store, { readerInside: () => false });
    await user.type(screen.getByRole('textbox', { name: 'Your comment' }), 'Mine');
    const release = adapter.hold('post');
    await user.click(screen.getByRole('button', { name: 'Post comment' }));
    release();
    await waitFor(() => expect(adapter.comments).toHaveLength(1));
    connections[0]!.handlers.onEvent('comment.created', { ...adapter.comments[0]! });
    await waitFor(() => expect(screen.queryByText('Posting…')).toBeNull());
    expect(screen.getAllByText('Mine')).toHaveLength(1);
    expect(screen.getByRole('heading', { name: '1 comment' })).toBeTruthy();
  });

  it('applies edits and deletions from others in place', async () => {
    const target = makeComment({ body: 'Original words' });
    const child = makeComment({ body: 'A reply', parentId: target.id });
    const adapter = createMemoryAdapter([target, child]);
    const connections = withStream(adapter);
    const { store } = await renderThread(adapter);
    startLive(store, { readerInside: () => false });
    connections[0]!.handlers.onEvent('comment.updated', { ...target, body: 'Edited words', editedAt: Date.now() });
    expect(await screen.findByText('Edited words')).toBeTruthy();
    connections[0]!.handlers.onEvent('comment.deleted', { ...target, body: '', status: 'deleted' });
    expect(await screen.findByText('This comment was deleted.')).toBeTruthy();
    expect(screen.getByRole('heading', { name: '1 comment' })).toBeTruthy();
  });

  it('subscribes after mount with live on and closes the stream on unmount', async () => {
    const adapter = createMemoryAdapter([makeComment()]);
    const connections = withStream(adapter);
    const element = document.createElement('div');
    document.body.append(element);
    const handle = mount(element, { adapter, thread: 't', live: true });
    await waitFor(() => expect(connections).toHaveLength(1));
    handle.unmount();
    expect(connections[0]!.closed).toBe(true);
  });

  it('does not subscribe without live', async () => {
    const adapter = createMemoryAdapter([makeComment()]);
    const connections = withStream(adapter);
    const element = document.createElement('div');
    document.body.append(element);
    handles.push(mount(element, { adapter, thread: 't' }));
    await waitFor(() => expect(element.shadowRoot!.querySelector('article')).toBeTruthy());
    expect(connections).toHaveLength(0);
  });
});
