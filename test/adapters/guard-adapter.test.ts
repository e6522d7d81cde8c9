// guardAdapter is the one validator: whatever an adapter hands over (a site's own, the HTTP
// client's, the static file's) is checked there, in every operation and in live events; counts
// too, on the listing pages' path (fillCounts). No adapter can mark itself as checked.
import { describe, expect, it, vi } from 'vitest';
import { guardAdapter } from '../../src/api/guard-adapter';
import { createHttpAdapter } from '../../src/api/http-adapter';
import { createStaticJsonAdapter } from '../../src/adapters/static-json';
import { fillCounts } from '../../src/counts';
import type { Adapter, Comment, LiveEventType } from '../../src/types';
import type { WireComment, WireLiveHandlers } from '../../src/api/wire';
import { makeComment } from '../fixtures/seed';
import { failure, fakeFetch, json } from './fake-fetch';

const query = { sort: 'oldest' as const, limit: 10, cursor: null };
const input = { parentId: null, author: { name: 'Ann' }, body: 'Hi' };
/** A comment no widget can show: no id, and a body that is no text. */
const MALFORMED = { id: null, body: { html: '<img src=x onerror=alert(1)>' } } as unknown as Comment;

/** A site's adapter written against the checked types, handing over `malformed` everywhere. */
function siteAdapter(malformed: unknown): Adapter {
  return {
    list: async () => ({ comments: [malformed as WireComment, makeComment({ id: 'ok' })] }),
    post: async () => ({ comment: malformed as WireComment, editToken: 't' }),
    edit: async () => malformed as Comment,
    remove: async () => malformed as Comment,
    vote: async () => malformed,
    counts: async () => ({ a: malformed, b: 3 }),
  };
}

describe('guardAdapter: a site adapter', () => {
  it('leaves a malformed comment of a page out and counts it as skipped', async () => {
    const page = await guardAdapter(siteAdapter(MALFORMED)).list('t', query);
    expect(page.comments.map((c) => c.id)).toEqual(['ok']);
    expect(page.skipped).toBe(1);
  });

  it.each([
    ['post', (a: ReturnType<typeof guardAdapter>) => a.post!('t', input, 'k')],
    ['edit', (a: ReturnType<typeof guardAdapter>) => a.edit!('t', 'c', 'x', 'tok')],
    ['remove', (a: ReturnType<typeof guardAdapter>) => a.remove!('t', 'c', 'tok')],
  ])('refuses a malformed comment from %s, naming the operation', async (operation, run) => {
    const error = await failure(run(guardAdapter(siteAdapter(MALFORMED))));
    expect(error).toMatchObject({
      code: 'invalid-response',
      message: `The adapter's ${operation} gave a comment we cannot use.`,
    });
  });

  it('refuses a vote without a numeric score', async () => {
    const error = await failure(guardAdapter(siteAdapter('7')).vote!('t', 'c', 1, 'v'));
    expect(error).toMatchObject({ code: 'invalid-response', message: "The adapter's vote gave no score." });
  });

  it('cleans counts: only whole numbers ≥ 0 get through', async () => {
    const counts = await guardAdapter(siteAdapter('<b>12</b>')).counts!(['a', 'b']);
    expect({ ...counts }).toEqual({ b: 3 });
    const odd = await guardAdapter({ list: vi.fn(), counts: async () => ({ a: -1, b: 2.7, c: Number.NaN, d: Infinity, e: 4 }) })
      .counts!(['a']);
    expect({ ...odd }).toEqual({ b: 2, e: 4 });
  });

  it('refuses counts that are no object', async () => {
    const error = await failure(
      guardAdapter({ list: vi.fn(), counts: async () => 'many' as unknown as Record<string, number> }).counts!(['a']),
    );
    expect(error).toMatchObject({ code: 'invalid-response', message: "The adapter's counts gave no counts." });
  });

  it('drops malformed live events and hands on checked comments', () => {
    let stream: WireLiveHandlers | null = null;
    const adapter = guardAdapter({ list: vi.fn(), subscribe: (_t, handlers) => ((stream = handlers), () => {}) });
    const events: [LiveEventType, Comment][] = [];
    adapter.subscribe!('t', { onOpen() {}, onError() {}, onEvent: (type, comment) => events.push([type, comment]) });
    stream!.onEvent('comment.created', MALFORMED);
    stream!.onEvent('comment.created', 'not a comment');
    stream!.onEvent('comment.updated', { id: 7, body: 'hi', author: { name: 'Ann', url: 'javascript:alert(1)' } });
    expect(events).toHaveLength(1);
    expect(events[0]![0]).toBe('comment.updated');
    expect(events[0]![1]).toMatchObject({ id: '7', body: 'hi', author: { name: 'Ann', url: null } });
  });

  it('wraps what an adapter throws into a ConfabError', async () => {
    const error = await failure(
      guardAdapter({
        list: async () => {
          throw new Error('down');
        },
      }).list('t', query),
    );
    expect(error).toMatchObject({ code: 'network', message: 'down' });
  });

  it('changes nothing when an adapter is guarded twice', async () => {
    const once = guardAdapter(siteAdapter(MALFORMED));
    const twice = guardAdapter(once);
    const page = await twice.list('t', query);
    expect(page.comments.map((c) => c.id)).toEqual(['ok']);
    expect(page.skipped).toBe(1);
    expect({ ...(await twice.counts!(['a', 'b'])) }).toEqual({ b: 3 });
  });

  it('takes no flag from the adapter itself for checked answers', async () => {
    const sly = Object.assign(siteAdapter(MALFORMED), { [Symbol.for('confab.validated')]: true });
    await failure(guardAdapter(sly).edit!('t', 'c', 'x', 'tok'));
  });
});

describe('guardAdapter: our own adapters go through it too', () => {
  it("checks the HTTP client's answers, in the words of the comment server", async () => {
    const { fetch } = fakeFetch(() => json({ comment: MALFORMED }));
    const raw = createHttpAdapter({ endpoint: 'https://c.example/api', fetch, retries: 0 });
    // The client itself hands on what the server sent.
    expect(await raw.edit('t', 'c', 'x', 'tok')).toEqual(MALFORMED);
    const error = await failure(guardAdapter(raw).edit('t', 'c', 'x', 'tok'));
    expect(error).toMatchObject({
      code: 'invalid-response',
      message: 'The comment server sent data we cannot use: the answer has no valid "comment".',
    });
  });

  it("checks the HTTP client's counts", async () => {
    const { fetch } = fakeFetch(() => json({ counts: { a: 2, b: '5', c: -1 } }));
    const counts = await guardAdapter(createHttpAdapter({ endpoint: 'https://c.example/api', fetch })).counts(['a', 'b', 'c']);
    expect({ ...counts }).toEqual({ a: 2 });
  });

  it("checks the static file's comments", async () => {
    const file = { thread: { id: 't', commentCount: 2 }, comments: [MALFORMED, makeComment({ id: 'ok' })], nextCursor: 'x' };
    const adapter = createStaticJsonAdapter({ url: 'https://c.example/t.json' });
    vi.spyOn(globalThis, 'fetch').mockImplementation(async () => json(file));
    try {
      const page = await guardAdapter(adapter).list('t', query);
      expect(page.comments.map((c) => c.id)).toEqual(['ok']);
      expect(page).toMatchObject({ skipped: 1, nextCursor: null });
    } finally {
      vi.restoreAllMocks();
    }
  });
});

describe('fillCounts with a site adapter', () => {
  it('shows only the counts that pass the validator', async () => {
    document.body.innerHTML = '<span data-confab-count="a">A</span> <span data-confab-count="b">B</span>';
    const counts = await fillCounts({ adapter: siteAdapter('<img src=x onerror=alert(1)>'), locale: 'en' });
    expect({ ...counts }).toEqual({ b: 3 });
    expect([...document.querySelectorAll('[data-confab-count]')].map((el) => el.textContent)).toEqual(['A', '3 comments']);
    document.body.replaceChildren();
  });

  it('reports a hostile counts answer instead of showing it', async () => {
    document.body.innerHTML = '<span data-confab-count="a">A</span>';
    const onError = vi.fn();
    await fillCounts({ adapter: { list: vi.fn(), counts: async () => null as unknown as Record<string, number> }, onError });
    expect(document.querySelector('[data-confab-count]')!.textContent).toBe('A');
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code: 'invalid-response' }));
    document.body.replaceChildren();
  });
});
