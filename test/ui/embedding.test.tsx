import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { mount, type ConfabHandle } from '../../src/mount';
import { fillCounts } from '../../src/counts';
import { createStaticJsonAdapter } from '../../src/adapters/static-json';
import { createThreadStore } from '../../src/store/thread-store';
import { ConfabProvider } from '../../src/ui/ConfabProvider';
import { Thread } from '../../src/ui/Thread';
import type { Adapter } from '../../src/types';
import { createMemoryAdapter } from '../fixtures/memory-adapter';
import { makeComment } from '../fixtures/seed';
import { registerLocale } from '../../src/i18n/registry';
import ar from '../../src/i18n/locales/ar.json';
import ru from '../../src/i18n/locales/ru.json';
import { createTranslator } from '../../src/i18n/translate';
import { messagesFor } from '../../src/i18n/messages-and-direction';
import de from '../../src/i18n/locales/de.json';
import fr from '../../src/i18n/locales/fr.json';
import ptPT from '../../src/i18n/locales/pt-PT.json';
import zhTW from '../../src/i18n/locales/zh-TW.json';

registerLocale('ar', ar);
registerLocale('de', de);
registerLocale('fr', fr);
registerLocale('ru', ru);
registerLocale('pt-PT', ptPT);
registerLocale('zh-TW', zhTW);
import { commentWith, renderThread } from './render-thread';

const handles: ConfabHandle[] = [];
afterEach(() => {
  handles.splice(0).forEach((h) => h.unmount());
  document.body.replaceChildren();
  history.replaceState(null, '', '/');
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

function mountInto(options: Parameters<typeof mount>[1]) {
  const element = document.createElement('div');
  document.body.append(element);
  const handle = mount(element, options);
  handles.push(handle);
  return { element, handle, shadow: element.shadowRoot as unknown as HTMLElement };
}

describe('languages', () => {
  it('speaks German with German plurals', async () => {
    const adapter = createMemoryAdapter([makeComment({ body: 'Hallo' }), makeComment({ body: 'Welt' })]);
    const store = createThreadStore({ adapter, threadId: 't' });
    render(
      <ConfabProvider store={store} locale="de">
        <Thread />
      </ConfabProvider>,
    );
    await store.load();
    expect(screen.getByRole('heading', { name: '2 Kommentare' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Kommentar senden' })).toBeTruthy();
    expect(screen.getAllByRole('button', { name: 'Antworten' })).toHaveLength(2);
  });

  it('renders Arabic right to left', async () => {
    const { shadow } = mountInto({ adapter: createMemoryAdapter([makeComment({ body: 'مرحبا' })]), thread: 't', locale: 'ar' });
    await waitFor(() => expect(within(shadow).getByRole('heading', { name: 'تعليق واحد' })).toBeTruthy());
    const container = shadow.querySelector('.confab')!;
    expect(container.getAttribute('dir')).toBe('rtl');
    expect(container.getAttribute('lang')).toBe('ar');
  });

  it('picks Russian plural forms for 1, 3, 5 and 21', () => {
    const t = createTranslator('ru', messagesFor('ru'));
    expect([1, 3, 5, 21].map((count) => t('thread.heading', { count }))).toEqual([
      '1 комментарий',
      '3 комментария',
      '5 комментариев',
      '21 комментарий',
    ]);
  });

  it("reads the page's lang when there is no locale option, region first: zh-HK in Traditional Chinese", async () => {
    document.documentElement.lang = 'zh-HK';
    try {
      const { shadow } = mountInto({ adapter: createMemoryAdapter([makeComment(), makeComment()]), thread: 't' });
      await waitFor(() => expect(within(shadow).getByRole('heading', { name: '2 則留言' })).toBeTruthy());
      // Dates and numbers in the page's own locale.
      expect(shadow.querySelector('.confab')!.getAttribute('lang')).toBe('zh-HK');
    } finally {
      document.documentElement.lang = '';
    }
  });

  it('gives a Portuguese region without a catalog of its own European Portuguese', async () => {
    const { shadow } = mountInto({ adapter: createMemoryAdapter([]), thread: 't', locale: 'pt-AO' });
    await waitFor(() => expect(within(shadow).getByRole('button', { name: 'Publicar comentário' })).toBeTruthy());
    expect(within(shadow).getByText('Ainda não há comentários. Comece a conversa.')).toBeTruthy();
  });

  it('lets the site replace single strings', async () => {
    const { shadow } = mountInto({ adapter: createMemoryAdapter([]), thread: 't', messages: { 'form.submit': 'Send it' } });
    await waitFor(() => expect(within(shadow).getByRole('button', { name: 'Send it' })).toBeTruthy());
  });
});

describe('themes', () => {
  it('marks the widget with its theme so the CSS picks the colour scheme', () => {
    expect(mountInto({ adapter: createMemoryAdapter([]), thread: 't' }).shadow.querySelector('.confab--light')).toBeTruthy();
    expect(
      mountInto({ adapter: createMemoryAdapter([]), thread: 't', theme: 'dark' }).shadow.querySelector('.confab--dark'),
    ).toBeTruthy();
    expect(
      mountInto({ adapter: createMemoryAdapter([]), thread: 't', theme: 'auto' }).shadow.querySelector('.confab--auto'),
    ).toBeTruthy();
  });

  it('refuses an unknown theme with a clear message', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const { handle } = mountInto({ adapter: createMemoryAdapter([]), thread: 't', theme: 'pink' as 'dark' });
    expect(handle.error?.message).toContain('"theme" must be one of light, dark, auto');
  });
});

describe('adapters', () => {
  it('hides forms, votes and Reply for a read-only backend', async () => {
    const memory = createMemoryAdapter([makeComment({ body: 'Archived' })]);
    const readOnly: Adapter = { list: memory.list.bind(memory) };
    const store = createThreadStore({ adapter: readOnly, threadId: 't' });
    render(
      <ConfabProvider store={store}>
        <Thread />
      </ConfabProvider>,
    );
    await store.load();
    expect(screen.getByText('Archived')).toBeTruthy();
    expect(screen.queryByRole('textbox')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Reply' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Upvote' })).toBeNull();
  });

  it('reads a whole thread from a static JSON file', async () => {
    const file = {
      thread: { id: 'old', commentCount: 2 },
      comments: [
        { id: 'a', parentId: null, author: { name: 'Ann' }, body: 'From the archive', createdAt: '2015-01-01T00:00:00Z' },
        { id: 'b', parentId: 'a', author: { name: 'Bo' }, body: 'A reply from then', createdAt: '2015-01-02T00:00:00Z' },
      ],
    };
    const fetch = vi.fn(async () => new Response(JSON.stringify(file), { headers: { 'content-type': 'application/json' } }));
    vi.stubGlobal('fetch', fetch);
    const { shadow } = mountInto({ adapter: createStaticJsonAdapter({ url: 'https://example.com/old.json' }), thread: 'old' });
    await waitFor(() => expect(within(shadow).getByText('A reply from then')).toBeTruthy());
    expect(within(shadow).getByRole('heading', { name: '2 comments' })).toBeTruthy();
    expect(within(shadow).queryByRole('textbox')).toBeNull();
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('says so when the static file is not JSON, and fetches again on Retry', async () => {
    let answers = 0;
    vi.stubGlobal(
      'fetch',
      vi.fn(async () =>
        ++answers === 1
          ? new Response('<html>Not found</html>', { status: 200 })
          : new Response(JSON.stringify({ comments: [{ id: 'x', body: 'Second time lucky' }] })),
      ),
    );
    const { shadow } = mountInto({ adapter: createStaticJsonAdapter({ url: 'https://example.com/x.json' }), thread: 'x' });
    const alert = await waitFor(() => within(shadow).getByRole('alert'));
    expect(alert.textContent).toContain('could not read');
    fireEvent.click(within(shadow).getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(within(shadow).getByText('Second time lucky')).toBeTruthy());
  });
});

describe('focus', () => {
  it('returns focus to Reply when the reply form is cancelled with Escape', async () => {
    const { user } = await renderThread(createMemoryAdapter([makeComment({ body: 'Parent' })]));
    const reply = within(commentWith('Parent')).getByRole('button', { name: 'Reply' });
    await user.click(reply);
    await waitFor(() => expect(document.activeElement?.tagName).toBe('TEXTAREA'));
    await user.keyboard('{Escape}');
    expect(document.activeElement).toBe(reply);
  });

  it('moves focus to a comment once it is posted', async () => {
    const adapter = createMemoryAdapter([]);
    const { user } = await renderThread(adapter);
    await user.type(screen.getByRole('textbox', { name: 'Your comment' }), 'Focus me');
    await user.click(screen.getByRole('button', { name: 'Post comment' }));
    await waitFor(() => expect(document.activeElement).toBe(commentWith('Focus me')));
    expect(document.activeElement!.id).toBe(`comment-${adapter.comments[0]!.id}`);
  });
});

describe('permalinks', () => {
  it('loads pages until the linked comment is there, opens its branch, marks and focuses it', async () => {
    const roots = Array.from({ length: 6 }, (_, i) => makeComment({ body: `Top ${i}` }));
    const target = makeComment({ body: 'The linked reply', parentId: roots[5]!.id });
    const adapter = createMemoryAdapter([...roots, target]);
    const { store } = await renderThread(adapter, { pageSize: 2 });
    expect(screen.queryByText('The linked reply')).toBeNull();
    expect(await store.reveal(target.id)).toBe(true);
    const article = commentWith('The linked reply');
    expect(article.classList.contains('confab-comment--highlighted')).toBe(true);
    await waitFor(() => expect(document.activeElement).toBe(article));
    expect(adapter.calls.filter((c) => c.op === 'list')).toHaveLength(3);
  });

  it('expands a collapsed ancestor to show the linked comment', async () => {
    const root = makeComment({ body: 'Root' });
    const child = makeComment({ body: 'Hidden child', parentId: root.id });
    const { store } = await renderThread(createMemoryAdapter([root, child]));
    store.toggleCollapsed(root.id);
    await waitFor(() => expect(screen.queryByText('Hidden child')).toBeNull());
    await store.reveal(child.id);
    await waitFor(() => expect(screen.getByText('Hidden child')).toBeTruthy());
  });

  it('answers false for a comment the thread does not have', async () => {
    const { store } = await renderThread(createMemoryAdapter([makeComment()]));
    expect(await store.reveal('missing')).toBe(false);
  });

  it('follows #comment-<id> in the page address on mount', async () => {
    const target = makeComment({ body: 'Linked from outside' });
    history.replaceState(null, '', `/post#comment-${encodeURIComponent(target.id)}`);
    const { shadow } = mountInto({ adapter: createMemoryAdapter([makeComment(), target]), thread: 't' });
    await waitFor(() =>
      expect(
        within(shadow).getByText('Linked from outside').closest('article')!.classList.contains('confab-comment--highlighted'),
      ).toBe(true),
    );
  });

  it('copies a comment link and says so', async () => {
    const writeText = vi.spyOn(navigator.clipboard, 'writeText').mockResolvedValue(undefined);
    const comment = makeComment({ body: 'Share me' });
    const { user } = await renderThread(createMemoryAdapter([comment]));
    await user.click(within(commentWith('Share me')).getByRole('button', { name: 'Copy link' }));
    expect(writeText).toHaveBeenCalledWith(`${location.href.split('#')[0]}#comment-${comment.id}`);
    // One status line for the thread says it (and is read out).
    expect((await screen.findByText('Link copied')).getAttribute('role')).toBe('status');
  });
});

describe('fillCounts()', () => {
  it('fills every count element from one request, localized', async () => {
    document.body.innerHTML =
      '<p><span data-confab-count="a">…</span> <span data-confab-count="b">…</span> <span data-confab-count="a">…</span></p>';
    const counts = vi.fn(async (ids: string[]) => Object.fromEntries(ids.map((id) => [id, id === 'a' ? 12 : 1])));
    await fillCounts({ adapter: { list: vi.fn(), counts }, locale: 'fr' });
    expect(counts).toHaveBeenCalledTimes(1);
    expect(counts).toHaveBeenCalledWith(['a', 'b']);
    expect([...document.querySelectorAll('[data-confab-count]')].map((el) => el.textContent)).toEqual([
      '12 commentaires',
      '1 commentaire',
      '12 commentaires',
    ]);
  });

  it('leaves the page text alone when counts cannot be read', async () => {
    document.body.innerHTML = '<span data-confab-count="a">Comments</span>';
    const onError = vi.fn();
    await fillCounts({
      adapter: {
        list: vi.fn(),
        counts: async () => {
          throw new Error('down');
        },
      },
      onError,
    });
    expect(document.querySelector('[data-confab-count]')!.textContent).toBe('Comments');
    expect(onError).toHaveBeenCalledTimes(1);
  });
});

describe('unmount()', () => {
  it('removes every listener and timer it added', async () => {
    const added = vi.spyOn(window, 'addEventListener');
    const removed = vi.spyOn(window, 'removeEventListener');
    const intervals = vi.spyOn(window, 'setInterval');
    const cleared = vi.spyOn(window, 'clearInterval');
    const { handle, element } = mountInto({ adapter: createMemoryAdapter([makeComment({ body: 'x' })]), thread: 't' });
    await waitFor(() => expect(element.shadowRoot!.querySelector('article')).toBeTruthy());
    handle.unmount();
    for (const [type, listener] of added.mock.calls.map((c) => [c[0], c[1]] as const)) {
      expect(removed.mock.calls.some((c) => c[0] === type && c[1] === listener)).toBe(true);
    }
    const timerIds = intervals.mock.results.map((r) => r.value);
    expect(timerIds.length).toBeGreaterThan(0);
    for (const id of timerIds) expect(cleared.mock.calls.some((c) => c[0] === id)).toBe(true);
    expect(element.shadowRoot!.childNodes).toHaveLength(0);
  });
});
