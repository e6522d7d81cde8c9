// User options → normalized options, refusing bad input early with one clear ConfabError ('config').
import { ConfabError } from './errors';
import type { Adapter, Comment, SortOrder } from './types';
import type { Messages } from './i18n/en';

export type Theme = 'light' | 'dark' | 'auto';

/** Sign-in from the host site (docs/protocol.md, "Sign-in"). */
export interface SsoOptions {
  /** The reader's JWT from the site's back end, or a function that reads the current one (null: signed out). */
  token: string | null | (() => Promise<string | null> | string | null);
  /** Where "Sign in to comment" leads; `returnTo=<this page>` is added. */
  loginUrl?: string;
  /** Where "Sign out" leads; without it there is no Sign out link. */
  logoutUrl?: string;
}

export interface ConfabOptions {
  /** Base URL of a Confab protocol server. Required unless `adapter` is given. */
  endpoint?: string;
  /** The thread to show; defaults to the page's canonical URL path. */
  thread?: string;
  adapter?: Adapter;
  sort?: SortOrder;
  pageSize?: number;
  /** Replies deeper than this stop indenting (default 6). */
  maxDepth?: number;
  locale?: string;
  /** Replaces any of the widget's strings, e.g. `{ 'form.submit': 'Send' }`, or gives a whole
   *  language: `import de from 'confab/locales/de'` → `{ locale: 'de', messages: de }`. */
  messages?: Messages;
  /** Folder of the `<lang>.iife.js` locale files; the script tag sets it to its own folder. */
  localeUrl?: string;
  /** For browsers without constructable stylesheets, which need a <style> element: the CSP
   *  nonce to put on it (and on locale scripts). */
  nonce?: string;
  /** `light` (default), `dark`, or `auto` to follow the reader's system setting. */
  theme?: Theme;
  /** Milliseconds per request attempt (default 10,000). */
  timeout?: number;
  /** `eager` (default) loads at once; `lazy` waits until the reader scrolls near the widget. */
  loading?: 'eager' | 'lazy';
  /** Show new comments from others as they arrive (the backend's `events` stream). */
  live?: boolean;
  /** Render into an open shadow root (default) so page CSS and widget CSS cannot meet. */
  shadow?: boolean;
  /** The page's title and URL, sent along with new comments. */
  title?: string;
  url?: string;
  /** Sign-in from the host site: the reader comments as the site's user (Confab server only). */
  sso?: SsoOptions;
  onError?: (error: ConfabError) => void;
  onPosted?: (comment: Comment) => void;
}

export interface NormalizedOptions extends Required<
  Pick<ConfabOptions, 'sort' | 'pageSize' | 'maxDepth' | 'locale' | 'timeout' | 'shadow' | 'theme' | 'messages'>
> {
  endpoint: string | null;
  thread: string;
  adapter: Adapter | null;
  title: string | null;
  url: string | null;
  localeUrl: string | null;
  nonce: string | undefined;
  live: boolean;
  loading: 'eager' | 'lazy';
  /** Checked by the sign-in part (ui/SignIn.ts), loaded only with it. */
  sso: SsoOptions | null;
  onError: ConfabOptions['onError'];
  onPosted: ConfabOptions['onPosted'];
}

const SORTS: readonly SortOrder[] = ['oldest', 'newest', 'top'];
const THEMES: readonly Theme[] = ['light', 'dark', 'auto'];

const fail = (message: string) => new ConfabError('config', `Confab: ${message}`);

function integer(value: unknown, name: string, min: number, max: number, fallback: number): number {
  if (value === undefined || value === null || value === '') return fallback;
  const number = typeof value === 'string' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number) || number < min || number > max) {
    const attribute = name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    throw fail(`"${name}" (data-${attribute}) must be a whole number from ${min} to ${max}, got ${JSON.stringify(value)}.`);
  }
  return number;
}

/** The canonical URL's path, else the page's own path: the same post read at two URLs is one thread. */
export function defaultThreadId(doc: Document = document): string {
  const canonical = doc.querySelector<HTMLLinkElement>('link[rel="canonical"]')?.href;
  try {
    return new URL(canonical || doc.location.href).pathname;
  } catch {
    return doc.location.pathname;
  }
}

/** A locale the host passed must be valid; one guessed from the page falls back to English. */
function normalizeLocale(requested: string | undefined): string {
  const canonical = (tag: string) => {
    try {
      return Intl.getCanonicalLocales(tag)[0] ?? null;
    } catch {
      return null;
    }
  };
  if (requested !== undefined) {
    const locale = canonical(requested);
    if (!locale) throw fail(`"locale" is not a language tag: ${JSON.stringify(requested)}.`);
    return locale;
  }
  const guess = document.documentElement.lang || navigator.language || 'en';
  return canonical(guess) ?? canonical(guess.replace(/_/g, '-')) ?? 'en';
}

export function normalizeOptions(options: ConfabOptions): NormalizedOptions {
  if (typeof options !== 'object' || options === null) throw fail('options must be an object.');
  const { adapter } = options;
  let endpoint: string | null = null;
  // The script tag's data-adapter, when it could not become an adapter, says why (embed.ts).
  if ((adapter as unknown) instanceof ConfabError) throw adapter;
  if (adapter) {
    if (typeof adapter.list !== 'function') throw fail('the adapter has no "list" function.');
    for (const op of ['post', 'edit', 'remove', 'vote', 'report', 'counts'] as const) {
      if (adapter[op] !== undefined && typeof adapter[op] !== 'function') throw fail(`the adapter's "${op}" is not a function.`);
    }
  } else {
    if (typeof options.endpoint !== 'string' || options.endpoint.trim() === '') {
      throw fail('set "endpoint" (data-endpoint on the script tag) to the URL of your comment server.');
    }
    try {
      const url = new URL(options.endpoint.trim(), document.baseURI);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(url.protocol);
      endpoint = url.href;
    } catch {
      throw fail(`"endpoint" must be an http(s) URL, got ${JSON.stringify(options.endpoint)}.`);
    }
  }
  const sort = options.sort ?? 'oldest';
  if (!SORTS.includes(sort)) throw fail(`"sort" must be one of ${SORTS.join(', ')}, got ${JSON.stringify(sort)}.`);
  const loading = options.loading ?? 'eager';
  if (loading !== 'eager' && loading !== 'lazy') throw fail(`"loading" must be eager or lazy, got ${JSON.stringify(loading)}.`);
  const theme = options.theme ?? 'light';
  if (!THEMES.includes(theme)) throw fail(`"theme" must be one of ${THEMES.join(', ')}, got ${JSON.stringify(theme)}.`);
  const thread = options.thread ?? defaultThreadId();
  // "." and ".." would be resolved away in the URL path, reading another thread.
  if (typeof thread !== 'string' || thread === '' || thread.length > 200 || thread === '.' || thread === '..') {
    throw fail('"thread" must be a text of 1 to 200 characters (and not "." or "..").');
  }
  const locale = normalizeLocale(options.locale);
  return {
    endpoint,
    adapter: adapter ?? null,
    thread,
    sort,
    pageSize: integer(options.pageSize, 'pageSize', 1, 100, 20),
    maxDepth: integer(options.maxDepth, 'maxDepth', 1, 50, 6),
    timeout: integer(options.timeout, 'timeout', 1000, 120_000, 10_000),
    locale,
    messages: options.messages ?? {},
    theme,
    shadow: options.shadow !== false,
    title: options.title ?? null,
    url: options.url ?? null,
    localeUrl: options.localeUrl ?? null,
    loading,
    live: options.live === true || (options.live as unknown) === 'true' || (options.live as unknown) === '',
    nonce: options.nonce,
    sso: options.sso ?? null,
    onError: options.onError,
    onPosted: options.onPosted,
  };
}
