import { afterEach, describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { options } from 'preact';
import { Comment } from '../../src/ui/Comment';
import { createMemoryAdapter } from '../fixtures/memory-adapter';
import { makeComment } from '../fixtures/seed';
import { commentWith, renderThread } from './render-thread';

const author = (name: string, url: string | null = null, avatarUrl: string | null = null) => ({ name, url, avatarUrl });

describe('<Comment />', () => {
  it('shows the author, a Guest for an empty name, and links only http(s) author URLs', async () => {
    await renderThread(
      createMemoryAdapter([
        makeComment({ body: 'linked', author: author('Ann Lee', 'https://ann.example/') }),
        makeComment({ body: 'anonymous', author: author('') }),
      ]),
    );
    const link = within(commentWith('linked')).getByRole('link', { name: 'Ann Lee' });
    expect(link.getAttribute('href')).toBe('https://ann.example/');
    expect(link.getAttribute('rel')).toBe('nofollow ugc noopener noreferrer');
    expect(within(commentWith('linked')).getByText('AL')).toBeTruthy(); // initials avatar
    expect(within(commentWith('anonymous')).getByText('Guest')).toBeTruthy();
    expect(within(commentWith('anonymous')).queryByRole('link', { name: 'Guest' })).toBeNull();
  });

  it('uses the backend avatar when there is one', async () => {
    await renderThread(
      createMemoryAdapter([makeComment({ body: 'pic', author: author('Bo', null, 'https://img.example/bo.png') })]),
    );
    const img = commentWith('pic').querySelector('img')!;
    expect(img.getAttribute('src')).toBe('https://img.example/bo.png');
    expect(img.getAttribute('alt')).toBe('');
  });

  it('shows a relative time with the exact time on hover and marks edits', async () => {
    const createdAt = Date.now() - 3 * 3600_000;
    await renderThread(createMemoryAdapter([makeComment({ body: 'timed', createdAt, editedAt: createdAt + 60_000 })]));
    const time = commentWith('timed').querySelector<HTMLAnchorElement>('a.confab-permalink')!;
    // At once where Intl's formatter is built already, else a frame later (ui/context.ts).
    await waitFor(() => expect(time.textContent).toBe('3 hours ago'));
    expect(time.getAttribute('href')).toBe(`#${commentWith('timed').id}`);
    // The exact time is written when the pointer (or focus) first reaches the link.
    // (The code that writes it may still be on its way: the event waits for it.)
    fireEvent.pointerOver(time);
    await waitFor(() => expect(time.getAttribute('title')).toMatch(/\d{4}/));
    // The edit's too.
    const edited = within(commentWith('timed')).getByText('edited');
    expect(edited.getAttribute('title')).toBeNull();
    fireEvent.pointerOver(edited);
    await waitFor(() => expect(edited.getAttribute('title')).toMatch(/^Edited .*\d{4}/));
  });

  it('formats the body into paragraphs, quotes, code and safe links without interpreting HTML', async () => {
    const body = '> quoted words\n\nSee https://example.com/x. **Bold** and `<b>code</b>`\n<img src=x onerror="alert(1)">';
    await renderThread(createMemoryAdapter([makeComment({ body })]));
    const article = commentWith('quoted words');
    expect(article.querySelector('blockquote')!.textContent).toBe('quoted words');
    expect(within(article).getByRole('link', { name: 'https://example.com/x' }).getAttribute('rel')).toBe(
      'nofollow ugc noopener noreferrer',
    );
    expect(article.querySelector('strong')!.textContent).toBe('Bold');
    expect(article.querySelector('code')!.textContent).toBe('<b>code</b>');
    expect(article.querySelector('img[onerror]')).toBeNull();
    expect(article.textContent).toContain('<img src=x onerror="alert(1)">');
  });

  it('stops indenting past the visual depth and says whom a reply answers', async () => {
    const chain = [makeComment({ body: 'Level 0', author: author('Zero') })];
    for (let level = 1; level <= 4; level++) {
      chain.push(makeComment({ body: `Level ${level}`, parentId: chain[level - 1]!.id, author: author(`Person ${level}`) }));
    }
    await renderThread(createMemoryAdapter(chain), { maxDepth: 2 });
    expect(within(commentWith('Level 2')).queryByText(/Replying to/)).toBeNull();
    expect(within(commentWith('Level 3')).getByText('Replying to Person 2')).toBeTruthy();
    expect(within(commentWith('Level 4')).getByText('Replying to Person 3')).toBeTruthy();
    // Levels 3 and 4 are siblings in one flat list instead of nesting further.
    const flatList = commentWith('Level 3').closest('ul')!;
    expect(flatList.classList.contains('confab-replies--flat')).toBe(true);
    expect(commentWith('Level 4').closest('ul')).toBe(flatList);
  });

  it('renders a 500-deep chain without nesting 500 levels', async () => {
    const chain = [makeComment({ body: 'chain 0' })];
    for (let i = 1; i < 500; i++) chain.push(makeComment({ body: `chain ${i}`, parentId: chain[i - 1]!.id }));
    const { view } = await renderThread(createMemoryAdapter(chain));
    // Selectors rather than role queries: those are slow over hundreds of comments in a simulated DOM.
    const articles = () => view.container.querySelectorAll('article');
    // A branch this long is shown a part at a time (CommentList.tsx), in reading order.
    expect(articles().length).toBeLessThan(500);
    await waitFor(() => expect(articles()).toHaveLength(500), { timeout: 10_000 });
    const last = articles()[499]!;
    let lists = 0;
    for (let el: Element | null = last; el; el = el.parentElement) if (el.tagName === 'UL') lists++;
    expect(lists).toBe(8); // the top-level list, six indented levels, one flat list
    expect(last.textContent).toContain('chain 499');
    expect(last.querySelector('.confab-context')!.textContent).toBe(`↳ Replying to ${chain[498]!.author.name}`);
    // Collapsing inside the flat part hides that comment's whole subtree.
    const toggle = articles()[400]!.querySelector<HTMLButtonElement>('.confab-toggle')!;
    expect(toggle.textContent).toBe('Hide 99 replies');
    fireEvent.click(toggle);
    await waitFor(() => expect(articles()).toHaveLength(401));
  });

  it('marks a reply whose parent is missing and shows it at the top level', async () => {
    const adapter = createMemoryAdapter([]);
    const orphan = makeComment({ body: 'Lost reply', parentId: 'nowhere' });
    adapter.list = async () => ({ thread: adapter.thread, comments: [orphan], nextCursor: null, skipped: 0 });
    await renderThread(adapter);
    expect(within(commentWith('Lost reply')).getByText('Reply to a comment that is not shown')).toBeTruthy();
  });

  it('keeps a deleted comment in place for its replies and drops it without them', async () => {
    const gone = makeComment({ status: 'deleted', body: '' });
    const reply = makeComment({ body: 'Still here', parentId: gone.id });
    const lonely = makeComment({ status: 'deleted', body: '' });
    await renderThread(createMemoryAdapter([gone, reply, lonely]));
    expect(screen.getAllByText('This comment was deleted.')).toHaveLength(1);
    expect(screen.getByText('Still here').closest('ul.confab-replies')).toBeTruthy();
  });

  it('shows a pending comment as awaiting moderation', async () => {
    await renderThread(createMemoryAdapter([makeComment({ body: 'Hold on', status: 'pending' })]));
    expect(within(commentWith('Hold on')).getByText('Awaiting approval')).toBeTruthy();
  });
});

describe('moderation marks', () => {
  it('shows a pinned comment first with a Pinned label', async () => {
    await renderThread(
      createMemoryAdapter([
        makeComment({ body: 'First said' }),
        makeComment({ body: 'Read this first', pinned: true }),
        makeComment({ body: 'Last said' }),
      ]),
    );
    const articles = screen.getAllByRole('article');
    expect(articles[0]).toBe(commentWith('Read this first'));
    expect(within(articles[0]!).getByText('Pinned')).toBeTruthy();
    expect(within(commentWith('First said')).queryByText('Pinned')).toBeNull();
  });

  it("shows a Moderator badge by a moderator's name only", async () => {
    await renderThread(
      createMemoryAdapter([
        makeComment({ body: 'From the team', author: { ...author('Mod Mo'), role: 'moderator' } }),
        makeComment({ body: 'From a reader', author: author('Ann') }),
      ]),
    );
    const badge = within(commentWith('From the team')).getByText('Moderator');
    expect(badge.previousElementSibling?.textContent).toBe('Mod Mo');
    expect(within(commentWith('From a reader')).queryByText('Moderator')).toBeNull();
  });
});

describe('own comments', () => {
  it("offers Edit and Delete only on the reader's own comments", async () => {
    const adapter = createMemoryAdapter([makeComment({ body: 'Someone else' })]);
    await renderThread(adapter);
    expect(within(commentWith('Someone else')).queryByRole('button', { name: 'Edit' })).toBeNull();
    expect(within(commentWith('Someone else')).queryByRole('button', { name: 'Delete' })).toBeNull();
  });
});

describe('rendering cost', () => {
  const originalRender = (options as Record<string, unknown>).__r;
  afterEach(() => {
    (options as Record<string, unknown>).__r = originalRender;
  });

  it('re-renders only the path of a reply that lands in a 1,000-comment thread', async () => {
    // 100 top-level comments, each with a 9-deep chain of replies: 1,000 comments.
    const comments = [];
    for (let top = 0; top < 100; top++) {
      let parent = makeComment({ body: `top ${top}` });
      comments.push(parent);
      for (let depth = 1; depth < 10; depth++) {
        parent = makeComment({ body: `top ${top} depth ${depth}`, parentId: parent.id });
        comments.push(parent);
      }
    }
    const adapter = createMemoryAdapter(comments);
    const { store, view } = await renderThread(adapter, { pageSize: 100 });
    // The first screen at once, the rest in slices a moment later.
    await waitFor(() => expect(view.container.querySelectorAll('article')).toHaveLength(1000), { timeout: 10_000 });

    const rendered: string[] = [];
    (options as Record<string, unknown>).__r = (vnode: { type: unknown; props: { id?: string } }) => {
      if (vnode.type === Comment) rendered.push(vnode.props.id!);
      if (typeof originalRender === 'function') originalRender(vnode);
    };
    const target = comments[55 * 10 + 4]!; // depth 4 in the 56th chain
    store.receive(makeComment({ body: 'A new reply', parentId: target.id }));
    await waitFor(() => expect(screen.getByText('A new reply')).toBeTruthy());
    // The parent (new child list) and the new comment itself; the 4 ancestors' reply counts
    // change in their toggles only, not in the comments around them.
    expect(new Set(rendered).size).toBe(2);
    expect(rendered).toContain(target.id);
    expect(rendered.length).toBeLessThanOrEqual(3);
    expect(within(commentWith('top 55')).getByRole('button', { name: 'Hide 10 replies' })).toBeTruthy();
  });

  it('re-renders none of the comments shown when the next page comes', async () => {
    // 60 top-level comments with a reply each, in pages of 20: "Load more" twice.
    const comments = [];
    for (let top = 0; top < 60; top++) {
      const parent = makeComment({ body: `top ${top}`, createdAt: Date.UTC(2024, 0, 1, 0, top) });
      comments.push(parent, makeComment({ body: `reply ${top}`, parentId: parent.id, createdAt: Date.UTC(2024, 0, 2, 0, top) }));
    }
    const { store, view } = await renderThread(createMemoryAdapter(comments), { pageSize: 20 });
    await waitFor(() => expect(view.container.querySelectorAll('article')).toHaveLength(40), { timeout: 10_000 });
    const rendered: string[] = [];
    (options as Record<string, unknown>).__r = (vnode: { type: unknown; props: { id?: string } }) => {
      if (vnode.type === Comment) rendered.push(vnode.props.id!);
      if (typeof originalRender === 'function') originalRender(vnode);
    };
    await store.loadMore();
    await waitFor(() => expect(view.container.querySelectorAll('article')).toHaveLength(80), { timeout: 10_000 });
    const shownBefore = new Set(comments.slice(0, 40).map((c) => c.id));
    // Only the new page's 40 comments render (each once), not the 40 already there.
    expect(rendered.filter((id) => shownBefore.has(id))).toEqual([]);
    expect(new Set(rendered).size).toBe(40);
  });
});

describe('a failed avatar', () => {
  it('falls back to the initials when the backend avatar fails to load', async () => {
    await renderThread(
      createMemoryAdapter([makeComment({ body: 'pic', author: author('Bo Li', null, 'https://img.example/gone.png') })]),
    );
    fireEvent.error(commentWith('pic').querySelector('img')!);
    await waitFor(() => expect(within(commentWith('pic')).getByText('BL')).toBeTruthy());
    expect(commentWith('pic').querySelector('img')).toBeNull();
  });

  it('re-renders only the comments with that picture', async () => {
    const comments = Array.from({ length: 40 }, (_, i) =>
      makeComment({ body: `Pictured ${i}`, author: author(`R ${i}`, null, `https://img.example/${i % 2 ? 'odd' : i}.png`) }),
    );
    const { store } = await renderThread(createMemoryAdapter(comments), { pageSize: 100 });
    await waitFor(() => expect(screen.getAllByRole('article')).toHaveLength(40));
    const rendered: string[] = [];
    const originalRender = (options as Record<string, unknown>).__r;
    (options as Record<string, unknown>).__r = (vnode: { type: unknown; props: { id?: string } }) => {
      if (vnode.type === Comment) rendered.push(vnode.props.id!);
      if (typeof originalRender === 'function') originalRender(vnode);
    };
    try {
      fireEvent.error(commentWith('Pictured 1').querySelector('img')!); // odd.png: 20 comments use it
      await waitFor(() => expect(commentWith('Pictured 1').querySelector('img')).toBeNull());
      expect(commentWith('Pictured 3').querySelector('img')).toBeNull();
      expect(commentWith('Pictured 2').querySelector('img')).not.toBeNull();
      expect(new Set(rendered).size).toBe(20);
      expect(store.size()).toBe(40);
    } finally {
      (options as Record<string, unknown>).__r = originalRender;
    }
  });
});
