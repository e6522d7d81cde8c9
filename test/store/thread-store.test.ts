// The thread store on its own, no UI: a real store with real signals over the in-memory backend.
import { describe, expect, it, vi } from 'vitest';
import { ConfabError } from '../../src/errors';
import { startLive } from '../../src/store/live-stream';
import { createStorage } from '../../src/store/storage';
import { createStore, createThreadStore, type ThreadStoreOptions } from '../../src/store/thread-store';
import * as liveCode from '../../src/store/live';
import type { Adapter, Comment } from '../../src/types';
import { createMemoryAdapter, type MemoryAdapter } from '../fixtures/memory-adapter';
import { makeComment } from '../fixtures/seed';

const at = (minute: number) => Date.UTC(2024, 0, 1) + minute * 60_000;

/** Three top-level comments a, b, c (oldest first) and a reply a1 under a. */
function threadOf(): Comment[] {
  return [
    makeComment({ id: 'a', createdAt: at(1), score: 1 }),
    makeComment({ id: 'a1', parentId: 'a', createdAt: at(2) }),
    makeComment({ id: 'b', createdAt: at(3), score: 5 }),
    makeComment({ id: 'c', createdAt: at(4), score: 3 }),
  ];
}

function setup(options: Partial<ThreadStoreOptions> = {}, adapter: MemoryAdapter = createMemoryAdapter(threadOf())) {
  const onError = vi.fn();
  const onPosted = vi.fn();
  const storage = options.storage ?? createStorage('confab:', null);
  const store = createThreadStore({ adapter, threadId: 't', storage, onError, onPosted, ...options });
  return { adapter, store, storage, onError, onPosted };
}

const body = (store: ReturnType<typeof setup>['store'], id: string) => store.node(id)?.comment.value.body;
const listCalls = (adapter: MemoryAdapter) => adapter.calls.filter((call) => call.op === 'list');

describe('loading', () => {
  it('loads the first page into nodes, top level and replies', async () => {
    const { store } = setup();
    expect(store.status.value).toBe('idle');
    const loading = store.load();
    expect(store.status.value).toBe('loading');
    await loading;
    expect(store.status.value).toBe('ready');
    expect(store.rootIds.value).toEqual(['a', 'b', 'c']);
    expect(store.node('a')!.childIds.value).toEqual(['a1']);
    expect(store.node('a')!.replyCount.value).toBe(1);
    expect([...store.ancestors('a1')]).toEqual(['a']);
    expect(store.thread.value?.commentCount).toBe(4);
    expect(store.size()).toBe(4);
  });

  it('reports a failed load, and loads on a retry', async () => {
    const { adapter, store, onError } = setup();
    adapter.failNext('list');
    await store.load();
    expect(store.status.value).toBe('error');
    expect(store.error.value?.code).toBe('network');
    expect(onError).toHaveBeenCalledWith(store.error.value);
    await store.load();
    expect(store.status.value).toBe('ready');
    expect(store.error.value).toBeNull();
  });

  it('keeps working when the host page’s onError throws', async () => {
    const adapter = createMemoryAdapter(threadOf());
    adapter.failNext('list');
    const store = createThreadStore({
      adapter,
      threadId: 't',
      storage: createStorage('confab:', null),
      onError: () => {
        throw new Error('host bug');
      },
    });
    await expect(store.load()).resolves.toBeUndefined();
    expect(store.status.value).toBe('error');
  });

  it('ignores answers once disposed', async () => {
    const { adapter, store } = setup();
    const release = adapter.hold('list');
    const loading = store.load();
    store.dispose();
    release();
    await loading;
    expect(store.status.value).toBe('loading');
    expect(store.size()).toBe(0);
  });
});

describe('paging', () => {
  it('loads further pages until there are none', async () => {
    const { adapter, store } = setup({ pageSize: 2 });
    await store.load();
    expect(store.rootIds.value).toEqual(['a', 'b']);
    expect(store.nextCursor.value).toBe('2');
    await store.loadMore();
    expect(store.rootIds.value).toEqual(['a', 'b', 'c']);
    expect(store.nextCursor.value).toBeNull();
    await store.loadMore(); // nothing left: no request
    expect(listCalls(adapter)).toHaveLength(2);
  });

  it('keeps what it has when a further page fails, and says so', async () => {
    const { adapter, store, onError } = setup({ pageSize: 2 });
    await store.load();
    adapter.failNext('list');
    await store.loadMore();
    expect(store.loadMoreError.value?.code).toBe('network');
    expect(store.loadingMore.value).toBe(false);
    expect(store.rootIds.value).toEqual(['a', 'b']);
    expect(onError).toHaveBeenCalledOnce();
    await store.loadMore();
    expect(store.loadMoreError.value).toBeNull();
    expect(store.rootIds.value).toEqual(['a', 'b', 'c']);
  });

  it('reveals a comment on a later page, opening its branch and asking for focus', async () => {
    const { store } = setup({ pageSize: 1 });
    await store.load();
    expect(await store.reveal('c')).toBe(true);
    expect(store.node('c')!.highlighted.value).toBe(true);
    expect(store.focusRequest.value).toEqual({ id: 'c' });
    expect(await store.reveal('missing')).toBe(false);
  });
});

describe('sort', () => {
  it('reorders the top level without a request when every page is here', async () => {
    const { adapter, store } = setup();
    await store.load();
    store.setSort('newest');
    expect(store.rootIds.value).toEqual(['c', 'b', 'a']);
    store.setSort('top');
    expect(store.rootIds.value).toEqual(['b', 'c', 'a']);
    expect(store.node('a')!.childIds.value).toEqual(['a1']);
    expect(listCalls(adapter)).toHaveLength(1);
  });

  it('reloads in the new order while pages are left', async () => {
    const { adapter, store } = setup({ pageSize: 2 });
    await store.load();
    store.setSort('newest');
    await vi.waitFor(() => expect(store.status.value).toBe('ready'));
    expect(listCalls(adapter).at(-1)?.query?.sort).toBe('newest');
    expect(store.rootIds.value).toEqual(['c', 'b']);
  });
});

describe('pinned comments', () => {
  /** a, b, c as before, c pinned; d, e on a later page (pageSize 2), e pinned too. */
  function pinnedThread(): Comment[] {
    return [
      makeComment({ id: 'a', createdAt: at(1), score: 1 }),
      makeComment({ id: 'b', createdAt: at(3), score: 5 }),
      makeComment({ id: 'c', createdAt: at(4), score: 3, pinned: true }),
      makeComment({ id: 'd', createdAt: at(5), score: 9 }),
      makeComment({ id: 'e', createdAt: at(6), score: 0, pinned: true }),
    ];
  }

  it('keeps pinned comments first across pages, sort changes and new comments', async () => {
    const { store } = setup({ pageSize: 2 }, createMemoryAdapter(pinnedThread()));
    await store.load();
    expect(store.rootIds.value).toEqual(['c', 'e']); // the server sends the pinned ones first
    await store.loadMore();
    await store.loadMore();
    expect(store.rootIds.value).toEqual(['c', 'e', 'a', 'b', 'd']);
    store.setSort('newest');
    expect(store.rootIds.value).toEqual(['e', 'c', 'd', 'b', 'a']);
    store.setSort('top');
    expect(store.rootIds.value).toEqual(['c', 'e', 'd', 'b', 'a']);
    store.receiveLive('comment.created', makeComment({ id: 'f', createdAt: at(9), score: 99 }), false);
    expect(store.rootIds.value).toEqual(['c', 'e', 'f', 'd', 'b', 'a']);
  });

  it('moves a comment up when it is pinned and back when it is unpinned', async () => {
    const { store } = setup();
    await store.load();
    const c = store.node('c')!.comment.value;
    store.receiveLive('comment.updated', { ...c, pinned: true }, true);
    expect(store.rootIds.value).toEqual(['c', 'a', 'b']);
    expect(store.node('c')!.comment.value.pinned).toBe(true);
    store.receiveLive('comment.updated', { ...c, pinned: false }, true);
    expect(store.rootIds.value).toEqual(['a', 'b', 'c']);
  });
});

describe('submit', () => {
  it('keeps the text and says why when posting’s code cannot load, and loads it again on the next submit', async () => {
    let loads = 0;
    const { store, adapter, onError } = setup({
      loadPosting: () =>
        ++loads === 1 ? Promise.reject(new Error('confab-posting.iife.js did not load')) : import('../../src/store/posting'),
    });
    await store.load();
    const form = store.form(null);
    form.body.value = 'Words worth keeping';
    expect(await store.submit(null)).toBe(false);
    expect(form.status.value).toBe('error');
    expect(form.error.value?.code).toBe('network');
    expect(form.body.value).toBe('Words worth keeping');
    expect(adapter.calls.filter((call) => call.op === 'post')).toHaveLength(0);
    expect(onError).toHaveBeenCalledTimes(1);

    expect(await store.submit(null)).toBe(true);
    expect(loads).toBe(2);
    expect(adapter.comments.at(-1)!.body).toBe('Words worth keeping');
  });

  it('shows the comment at once, then the server’s copy', async () => {
    const { adapter, store, onPosted } = setup();
    await store.load();
    // Posting's code is here (a form's focus loads it): the comment then shows at once.
    await store.preparePosting();
    const form = store.form('a');
    form.name.value = 'Ann';
    form.body.value = '  A reply  ';
    const release = adapter.hold('post');
    const posting = store.submit('a');

    const sendingId = store.node('a')!.childIds.value[1]!;
    expect(store.node(sendingId)!.sending).toBe(true);
    expect(body(store, sendingId)).toBe('A reply');
    expect(form.status.value).toBe('posting');
    expect(await Promise.race([posting, Promise.resolve('waiting')])).toBe('waiting');

    release();
    expect(await posting).toBe(true);
    const posted = adapter.comments.at(-1)!;
    expect(store.node(sendingId)).toBeUndefined();
    expect(store.node('a')!.childIds.value).toEqual(['a1', posted.id]);
    expect(store.thread.value?.commentCount).toBe(5);
    expect(store.isOwn(posted.id)).toBe(true);
    expect(store.focusRequest.value).toEqual({ id: posted.id });
    expect(form.body.value).toBe('');
    expect(form.status.value).toBe('idle');
    expect(onPosted).toHaveBeenCalledWith(expect.objectContaining({ id: posted.id, body: 'A reply' }));
  });

  it('keeps the typed text when posting fails, and retries with the same key', async () => {
    const { adapter, store, storage, onError } = setup();
    await store.load();
    const form = store.form(null);
    form.body.value = 'Do not lose me';
    adapter.failNext('post');
    expect(await store.submit(null)).toBe(false);

    expect(store.rootIds.value).toEqual(['a', 'b', 'c']); // the sending comment is taken back
    expect(form.body.value).toBe('Do not lose me');
    expect(form.status.value).toBe('error');
    expect(form.error.value?.code).toBe('network');
    expect(onError).toHaveBeenCalledWith(form.error.value);
    // A reload finds the draft in storage.
    const reloaded = createThreadStore({ adapter, threadId: 't', storage });
    expect(reloaded.form(null).body.value).toBe('Do not lose me');

    expect(await store.submit(null)).toBe(true);
    const keys = adapter.calls.filter((call) => call.op === 'post').map((call) => call.key);
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
  });

  it('sends composeMs from the form’s first focus, and keeps the key on a retry that took longer', async () => {
    const { adapter, store } = setup();
    await store.load();
    const form = store.form(null);
    form.body.value = 'Untimed';
    await store.submit(null);
    expect(adapter.calls.at(-1)!.input).not.toHaveProperty('composeMs'); // never focused: no figure at all
    let now = 10_000;
    const clock = vi.spyOn(Date, 'now').mockImplementation(() => now);
    try {
      form.openedAt = now;
      form.body.value = 'Timed';
      now += 1_500;
      adapter.failNext('post');
      await store.submit(null);
      now += 3_000;
      await store.submit(null);
      const [first, retry] = adapter.calls.filter((c) => c.op === 'post').slice(-2);
      expect([first!.input!.composeMs, retry!.input!.composeMs]).toEqual([1_500, 4_500]);
      expect(retry!.key).toBe(first!.key);
      expect(form.openedAt).toBeNull(); // the next comment counts from its own first focus
    } finally {
      clock.mockRestore();
    }
  });

  it('puts the server’s field errors on the form', async () => {
    const { adapter, store } = setup();
    await store.load();
    store.form(null).body.value = 'Hi';
    adapter.failNext('post', new ConfabError('http', 'Bad name', { status: 422, fields: { 'author.name': 'Taken' } }));
    expect(await store.submit(null)).toBe(false);
    expect(store.form(null).fieldErrors.value).toEqual({ name: 'Taken' });
  });

  it('sends nothing that fails our own checks, or while offline', async () => {
    const { adapter, store } = setup();
    await store.load();
    expect(await store.submit(null)).toBe(false);
    expect(store.form(null).fieldErrors.value).toEqual({ body: 'form.error.bodyEmpty' });

    store.form(null).body.value = 'Hello';
    store.online.value = false;
    expect(await store.submit(null)).toBe(false);
    expect(store.form(null).error.value?.code).toBe('offline');
    expect(store.form(null).body.value).toBe('Hello');
    expect(adapter.calls.some((call) => call.op === 'post')).toBe(false);
  });
});

describe('edit, delete and vote', () => {
  it('come with posting’s code: when it cannot load, the comment says why and nothing changes; the next try loads it', async () => {
    let loads = 0;
    const { store, adapter, onError } = setup({
      loadPosting: () =>
        ++loads <= 2 ? Promise.reject(new Error('confab-posting.iife.js did not load')) : import('../../src/store/posting'),
    });
    await store.load();
    expect(await store.vote('b', 1)).toBe(false);
    expect(store.node('b')!.error.value?.code).toBe('network');
    expect(store.node('b')!.myVote.value).toBe(0);
    expect(store.node('b')!.comment.value.score).toBe(5);
    expect(adapter.calls.filter((call) => call.op === 'vote')).toHaveLength(0);
    expect(onError).toHaveBeenCalledOnce();
    await expect(store.report('b', { reason: 'spam' })).rejects.toMatchObject({ code: 'network' });

    expect(await store.vote('b', 1)).toBe(true);
    expect(store.node('b')!.comment.value.score).toBe(6);
    expect(loads).toBe(3);
  });

  async function withOwnComment() {
    const context = setup();
    await context.store.load();
    context.store.form(null).body.value = 'Mine';
    await context.store.submit(null);
    return { ...context, id: context.adapter.comments.at(-1)!.id };
  }

  it('edits and deletes one’s own comment', async () => {
    const { store, id } = await withOwnComment();
    store.setEditing(id, true);
    expect(await store.saveEdit(id, ' Mine, edited ')).toBe(true);
    expect(body(store, id)).toBe('Mine, edited');
    expect(store.node(id)!.editing.value).toBe(false);

    expect(await store.remove(id)).toBe(true);
    expect(store.node(id)!.comment.value.status).toBe('deleted');
    expect(store.thread.value?.commentCount).toBe(4);
  });

  it('does not edit or delete someone else’s comment', async () => {
    const { adapter, store } = setup();
    await store.load();
    expect(await store.saveEdit('a', 'Not mine')).toBe(false);
    expect(await store.remove('a')).toBe(false);
    expect(adapter.calls.filter((call) => call.op === 'edit' || call.op === 'remove')).toEqual([]);
  });

  it('votes at once and takes the vote back when the server refuses', async () => {
    const { adapter, store, onError } = setup();
    await store.load();
    expect(await store.vote('b', 1)).toBe(true);
    expect(store.node('b')!.comment.value.score).toBe(6);
    expect(store.node('b')!.myVote.value).toBe(1);

    adapter.failNext('vote');
    const voting = store.vote('c', -1);
    expect(store.node('c')!.comment.value.score).toBe(2);
    expect(store.node('c')!.busy.value).toBe('voting');
    expect(await voting).toBe(false);
    expect(store.node('c')!.comment.value.score).toBe(3);
    expect(store.node('c')!.myVote.value).toBe(0);
    expect(store.node('c')!.error.value?.code).toBe('network');
    expect(onError).toHaveBeenCalledOnce();
  });
});

describe('live events', () => {
  it('without the live code built in, loads it on the first event and applies events in the order they came', async () => {
    const adapter = createMemoryAdapter(threadOf());
    let arrive!: () => void;
    const loadLive = vi.fn(() => new Promise<typeof liveCode>((resolve) => (arrive = () => resolve(liveCode))));
    const store = createStore({ adapter, threadId: 't', storage: createStorage('confab:', null), loadLive });
    await store.load();
    expect(loadLive).not.toHaveBeenCalled(); // a page without live events never loads it
    const b = store.node('b')!.comment.value;
    store.receiveLive('comment.updated', { ...b, body: 'First edit' }, true);
    store.receiveLive('comment.updated', { ...b, body: 'Second edit' }, true);
    store.receiveLive('comment.created', makeComment({ id: 'b1', parentId: 'b' }), true);
    expect(loadLive).toHaveBeenCalledOnce();
    expect(body(store, 'b')).toBe(b.body); // not yet
    arrive();
    await vi.waitFor(() => expect(store.node('b')!.childIds.value).toEqual(['b1']));
    expect(body(store, 'b')).toBe('Second edit');
    // Once here, at once.
    store.receiveLive('comment.updated', { ...b, body: 'Third edit' }, true);
    expect(body(store, 'b')).toBe('Third edit');
    store.dispose();
  });

  it('without live code that can come, drops the events and keeps the thread as it is', async () => {
    const adapter = createMemoryAdapter(threadOf());
    const store = createStore({
      adapter,
      threadId: 't',
      storage: createStorage('confab:', null),
      loadLive: () => Promise.reject(new Error('blocked')),
    });
    await store.load();
    store.receiveLive('comment.created', makeComment({ id: 'd', createdAt: at(9) }), false);
    await store.catchUp(() => true);
    expect(store.rootIds.value).toEqual(['a', 'b', 'c']);
    store.showHeld(); // nothing held, nothing thrown
    store.dispose();
  });

  it('puts a reply in its branch and counts it', async () => {
    const { store } = setup();
    await store.load();
    store.receiveLive('comment.created', makeComment({ id: 'b1', parentId: 'b' }), true);
    expect(store.node('b')!.childIds.value).toEqual(['b1']);
    expect(store.thread.value?.commentCount).toBe(5);
  });

  it('holds a new top-level comment while the reader is inside, and shows it on request', async () => {
    const { store } = setup();
    await store.load();
    const fresh = makeComment({ id: 'd', createdAt: at(9) });
    store.receiveLive('comment.created', fresh, true);
    store.receiveLive('comment.created', fresh, true); // the same event twice is one comment
    expect(store.held.value).toEqual([fresh]);
    expect(store.rootIds.value).toEqual(['a', 'b', 'c']);
    expect(store.thread.value?.commentCount).toBe(5);

    store.showHeld();
    expect(store.held.value).toEqual([]);
    expect(store.rootIds.value).toEqual(['a', 'b', 'c', 'd']);
    expect(store.focusRequest.value).toEqual({ id: 'd' });
  });

  it('puts a new top-level comment in at once while the reader is elsewhere', async () => {
    const { store } = setup();
    await store.load();
    store.receiveLive('comment.created', makeComment({ id: 'd', createdAt: at(9) }), false);
    expect(store.rootIds.value).toEqual(['a', 'b', 'c', 'd']);
  });

  it('updates and deletes known comments, counting what stops being published', async () => {
    const { store } = setup();
    await store.load();
    const b = store.node('b')!.comment.value;
    store.receiveLive('comment.updated', { ...b, body: 'Edited elsewhere' }, true);
    expect(body(store, 'b')).toBe('Edited elsewhere');
    store.receiveLive('comment.deleted', b, true);
    expect(store.node('b')!.comment.value).toMatchObject({ status: 'deleted', body: '' });
    expect(store.thread.value?.commentCount).toBe(3);
  });

  it('catches up after the stream was down: what is new comes in, counted by the server', async () => {
    const { adapter, store } = setup();
    await store.load();
    adapter.comments.push(
      makeComment({ id: 'a2', parentId: 'a', createdAt: at(10) }),
      makeComment({ id: 'd', createdAt: at(11) }),
    );
    await store.catchUp(() => true);
    expect(store.node('a')!.childIds.value).toEqual(['a1', 'a2']);
    expect(store.held.value.map((c) => c.id)).toEqual(['d']);
    expect(store.thread.value?.commentCount).toBe(6);
  });

  it('counts its own post once when the stream brought it first', async () => {
    const { adapter, store } = setup();
    await store.load();
    store.form(null).body.value = 'Echoed';
    const release = adapter.hold('post');
    const posting = store.submit(null);
    await vi.waitFor(() => expect(adapter.calls.some((call) => call.op === 'post')).toBe(true));
    release();
    await vi.waitFor(() => expect(adapter.comments).toHaveLength(5));
    store.receiveLive('comment.created', { ...adapter.comments.at(-1)! }, true); // held: the reader is inside
    expect(await posting).toBe(true);
    expect(store.held.value).toEqual([]);
    expect(store.rootIds.value).toContain(adapter.comments.at(-1)!.id);
    expect(store.thread.value?.commentCount).toBe(5);
  });

  it('startLive reads back on every (re)connect and passes events on', async () => {
    let handlers!: Parameters<NonNullable<Adapter['subscribe']>>[1];
    const subscribe = vi.fn((_thread: string, given: typeof handlers) => {
      handlers = given;
      return () => {};
    });
    // The stream goes through the store's checked adapter, as every other call does.
    const { adapter, store } = setup({}, Object.assign(createMemoryAdapter(threadOf()), { subscribe }));
    await store.load();
    const listed = listCalls(adapter).length;
    const session = startLive(store, { readerInside: () => false, delay: () => 0 });
    expect(session.status()).toBe('connecting');
    handlers.onOpen();
    expect(session.status()).toBe('open');
    await vi.waitFor(() => expect(listCalls(adapter).length).toBe(listed + 1));

    handlers.onEvent('comment.created', makeComment({ id: 'e', createdAt: at(12) }));
    expect(store.rootIds.value).toContain('e');

    handlers.onError();
    expect(session.status()).toBe('reconnecting');
    await vi.waitFor(() => expect(subscribe).toHaveBeenCalledTimes(2));
    session.stop();
    expect(session.status()).toBe('stopped');
  });
});
