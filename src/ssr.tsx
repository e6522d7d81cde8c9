// `confab/ssr`: a thread's first page as HTML, for pages that show their comments before any
// script runs (readers without JavaScript, search engines, a first view with nothing to wait for).
//
//   const html = await renderThreadHtml({ thread: '/posts/hello', page: await firstPageJson() });
//   // <div id="confab" data-endpoint="…" data-thread="/posts/hello">${html}</div>
//
// The HTML is a declarative shadow root (<template shadowrootmode="open">) holding the widget's
// styles and the same markup the widget renders, then the page itself as JSON: the script tag's
// widget adopts that markup in place (no second request, no flash) instead of rendering anew.
// Text is escaped by preact-render-to-string; nothing from a comment becomes markup.
import { renderToString } from 'preact-render-to-string';
import { signal } from '@preact/signals';
import { widgetCss as css } from './styles/adopt';
import { createThreadStore } from './store/thread-store';
import { createStorage } from './store/storage';
import { ConfabProvider } from './ui/ConfabProvider';
import { Boundary } from './ui/Boundary';
import { Thread } from './ui/Thread';
import { renderBodiesAsMarkup } from './ui/CommentBody';
import { renderWholePages } from './ui/CommentList';
import { catalogOf, registerLocale } from './i18n/registry';
import { directionOf, messagesFor } from './i18n/messages-and-direction';
import { createTranslator } from './i18n/translate';
import type { Messages } from './i18n/en';
import type { Theme } from './options';
import type { Comment, SortOrder } from './types';
import type { ThreadStore } from './store/thread-store';
import { ConfabError } from './errors';
import { enSsr } from './ssr-strings';

// Every catalog, registered under its tag: the server renders in any reader's language.
const catalogs = import.meta.glob<Messages>('./i18n/locales/*.json', { eager: true, import: 'default' });
for (const [path, messages] of Object.entries(catalogs)) registerLocale(/([^/]+)\.json$/.exec(path)![1]!, messages);
renderBodiesAsMarkup();
renderWholePages();

export interface RenderThreadOptions {
  /** The thread's id, as the widget has it (`data-thread`, or the page's path). */
  thread: string;
  /**
   * The comment server's answer to `GET threads/{thread}/comments?sort=…&limit=…` (the first
   * page), as JSON: checked here as the widget checks it.
   */
  page: unknown;
  /** The widget's options of the same names: the widget adopts the markup only when they match. */
  sort?: SortOrder;
  pageSize?: number;
  maxDepth?: number;
  locale?: string;
  messages?: Messages;
  theme?: Theme;
  /** The time relative dates are counted from (milliseconds); now by default. */
  now?: number;
}

/**
 * The first page of a thread as HTML for the widget's host element: a declarative shadow root
 * with the rendered thread, then schema.org JSON-LD for search engines (in the light DOM).
 * Rejects with a ConfabError ('invalid-response') when `page` is not a comment page.
 */
export async function renderThreadHtml(options: RenderThreadOptions): Promise<string> {
  const sort = options.sort ?? 'oldest';
  const pageSize = options.pageSize ?? 20;
  const locale = options.locale ?? 'en';
  const store = createThreadStore({
    // Every action the widget offers, so that the markup has what the widget will render (the
    // forms, the vote buttons); nothing here is ever called.
    adapter: {
      list: () => Promise.resolve(options.page as never),
      post: unused,
      edit: unused,
      remove: unused,
      vote: unused,
      report: unused,
    },
    threadId: options.thread,
    sort,
    pageSize,
    storage: createStorage('confab:', null),
  });
  await store.load();
  const failure = store.error.peek();
  if (store.status.peek() !== 'ready') throw failure ?? new ConfabError('invalid-response', 'The page could not be read.');
  const t = createTranslator(locale, messagesFor(locale, options.messages));
  const markup = renderToString(
    <ConfabProvider
      store={store}
      locale={locale}
      messages={options.messages}
      maxDepth={options.maxDepth ?? 6}
      now={signal(options.now ?? Date.now())}
    >
      <Boundary onError={() => {}}>
        <Thread />
      </Boundary>
    </ConfabProvider>,
  );
  store.dispose();
  // What the widget adopts: markup made for its options (sort, page size, thread), and the page.
  const madeFor = escapeText(`${sort} ${pageSize} ${options.thread}`);
  return (
    '<template shadowrootmode="open">' +
    `<style data-confab-ssr>${css}</style>` +
    // Only without JavaScript: the form cannot send, so it is hidden and the reason said.
    `<noscript><style>.confab-form{display:none}</style><p class="confab-notice">${escapeText(t('ssr.noscript') || enSsr['ssr.noscript'])}</p></noscript>` +
    `<div class="confab confab--${options.theme ?? 'light'}" lang="${escapeText(locale)}" dir="${directionOf(locale)}" data-confab-ssr="${madeFor}">` +
    markup +
    '</div>' +
    `<script type="application/json" data-confab-ssr>${json(options.page)}</script>` +
    '</template>' +
    `<script type="application/ld+json">${json(structuredData(store, options.thread))}</script>`
  );
}

/** The catalog a locale renders with (`pt` → `pt-BR`, `zh-HK` → `zh-TW`, …; `en` without one). */
export { catalogOf };

function unused(): never {
  throw new Error('not on the server');
}

/** JSON safe inside a <script> element: no `</script>`, no `<!--`. */
function json(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** schema.org: the thread as a DiscussionForumPosting, its comments (and replies) as Comment. */
function structuredData(store: ThreadStore, threadId: string) {
  const info = store.thread.peek()!;
  const comment = (id: string): object | null => {
    const node = store.node(id);
    if (!node) return null;
    const c: Comment = node.comment.peek();
    if (c.status === 'deleted') return null;
    const replies = node.childIds.peek().map(comment).filter(Boolean);
    return {
      '@type': 'Comment',
      '@id': `#comment-${c.id}`,
      text: c.body,
      author: { '@type': 'Person', name: c.author.name },
      ...(c.createdAt !== null && { dateCreated: new Date(c.createdAt).toISOString() }),
      ...(replies.length > 0 && { comment: replies }),
    };
  };
  return {
    '@context': 'https://schema.org',
    '@type': 'DiscussionForumPosting',
    headline: info.title ?? threadId,
    ...(info.url && { url: info.url }),
    commentCount: info.commentCount,
    comment: store.rootIds.peek().map(comment).filter(Boolean),
  };
}
