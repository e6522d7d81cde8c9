// What every story shares: a thread store over the in-memory adapter (no network), made in a
// loader so a story opens on a loaded (or failed, or still loading) thread; and the frame that
// renders it as mount() does: a `.confab confab--<theme>` container with the locale's lang and
// direction and <ConfabProvider> inside, under a page element that carries the theme tokens the
// way a site's host element does.
import type { ComponentChildren } from 'preact';
import type { ArgTypes, Decorator, Loader, StoryContext } from '@storybook/preact';
import { ConfabProvider } from '../../src/ui/ConfabProvider';
import { createThreadStore, type ThreadStore } from '../../src/store/thread-store';
import { createStorage } from '../../src/store/storage';
import type { Adapter, Comment, LiveEventType, ThreadInfo } from '../../src/types';
import type { WireLiveHandlers } from '../../src/api/wire';
import { startLive } from '../../src/store/live-stream';
import { loadWriting } from '../../src/ui/load-write';
import type { Theme } from '../../src/options';
import type { Messages } from '../../src/i18n/en';
import { directionOf } from '../../src/i18n/messages-and-direction';
import { catalogOf } from '../../src/i18n/registry';
import { createMemoryAdapter, type MemoryAdapter } from '../../test/fixtures/memory-adapter';
import { tokenArgTypes, tokenStyle, type TokenArgs } from './theme';

export interface WidgetArgs extends TokenArgs {
  theme: Theme;
  locale: string;
  /** Unset: the locale's direction, as mount() sets it. */
  dir?: 'ltr' | 'rtl';
  maxDepth: number;
  /** Per-string overrides, as the `messages` option. */
  messages?: Messages;
  /** Milliseconds the fake server takes per request. */
  latency: number;
  /** The page behind the widget (a site's own background); unset: the theme's. */
  page?: string;
  /** The widget's width in px (a phone's column); unset: the frame's. */
  width?: number;
}

/** Tests want answers at once; people looking at a story want to see "Posting…" for a moment. */
export const DEFAULT_LATENCY = import.meta.env.MODE === 'test' ? 0 : 500;

export const widgetArgs: WidgetArgs = { theme: 'light', locale: 'en', maxDepth: 6, latency: DEFAULT_LATENCY };

/**
 * The bundled catalogs' strings by tag (`de`, `pt-BR`), passed as the `messages` option the way
 * an npm user passes a language (`{ locale: 'de', messages: de }`); English is built in. A new
 * src/i18n/locales/<tag>.json shows up in the locale control by itself.
 */
const LANGUAGES: Record<string, Messages> = Object.fromEntries(
  Object.entries(import.meta.glob<Messages>('../../src/i18n/locales/*.json', { eager: true, import: 'default' })).map(
    ([path, messages]) => [
      path
        .split('/')
        .pop()!
        .replace(/\.json$/, ''),
      messages,
    ],
  ),
);

/** Every catalog, then tags that read one of them (negotiation: src/i18n/registry.ts, catalogOf). */
const LOCALES = ['en', ...Object.keys(LANGUAGES).sort(), 'pt', 'pt-AO', 'zh-HK', 'de-AT', 'eo'];
/** "pt-BR · português (Brasil)": each tag with its name in its own language. */
const LOCALE_LABELS = Object.fromEntries(
  LOCALES.map((tag) => [tag, `${tag} · ${new Intl.DisplayNames([tag], { type: 'language' }).of(tag) ?? tag}`]),
);

/** The page behind the widget: the widget itself has no background unless a site gives it one. */
const PAGE_BACKGROUND: Record<Theme, string> = { light: '#ffffff', dark: '#0d1117', auto: 'light-dark(#ffffff, #0d1117)' };

export const widgetArgTypes: ArgTypes = {
  theme: {
    description:
      'The `theme` option (data-theme): light, dark, or auto to follow the system. Token values you set win over both.',
    control: { type: 'inline-radio' },
    options: ['light', 'dark', 'auto'],
    table: { category: 'Widget' },
  },
  locale: {
    description:
      'The `locale` option (data-locale): strings, dates, numbers, plurals and direction. Every catalog is listed, then a few tags that read one (pt → pt-BR, pt-AO → pt-PT, zh-HK → zh-TW, de-AT → de) and one without strings of its own (eo: English).',
    control: { type: 'select', labels: LOCALE_LABELS },
    options: LOCALES,
    table: { category: 'Widget' },
  },
  dir: {
    description: 'Text direction; unset follows the locale, as mount() does.',
    control: { type: 'inline-radio' },
    options: ['ltr', 'rtl'],
    table: { category: 'Widget' },
  },
  maxDepth: {
    description: 'Replies deeper than this stop indenting and say whom they answer (data-max-depth).',
    control: { type: 'range', min: 1, max: 12, step: 1 },
    table: { category: 'Widget' },
  },
  messages: {
    description: 'The `messages` option: replace any string, e.g. { "form.submit": "Send" }.',
    control: { type: 'object' },
    table: { category: 'Widget' },
  },
  latency: {
    description: 'How long the fake server takes per request, in milliseconds.',
    control: { type: 'range', min: 0, max: 5000, step: 100 },
    table: { category: 'Fake server' },
  },
  ...tokenArgTypes(),
};

export interface LoadedWidget {
  adapter: MemoryAdapter;
  store: ThreadStore;
  /** The comment a Comment story shows. */
  focus: string | null;
}

export interface WidgetSetup {
  comments?: Comment[] | (() => Comment[]);
  thread?: Partial<ThreadInfo>;
  pageSize?: number;
  /** A read-only backend: only `list`, so no forms, votes, Edit or Delete. */
  readOnly?: boolean;
  /** 'await' (default): the first page is in before the story renders. 'start': still loading. */
  load?: 'await' | 'start';
  /** Before the first load: fail or hold the server's answers. */
  before?: (adapter: MemoryAdapter) => void;
  /** The backend has a live stream (see openLiveStream). */
  live?: boolean;
  /** After the first load: post, submit, collapse... Returns the comment a Comment story shows. */
  prepare?: (widget: { adapter: MemoryAdapter; store: ThreadStore }) => string | void | Promise<string | void>;
}

export const THREAD_ID = 'storybook';

/** A `prepare` step: a top-level comment sent to a server that never answers ("Posting…"). */
export async function startPosting({
  adapter,
  store,
}: {
  adapter: MemoryAdapter;
  store: ThreadStore;
}): Promise<string | undefined> {
  await store.preparePosting();
  adapter.hold('post');
  const form = store.form(null);
  form.name.value = 'Mei Lin';
  form.body.value = 'This is on its way to the server.';
  void store.submit(null);
  return store.rootIds.peek().find((id) => id.startsWith('sending:'));
}

/**
 * A loader that gives the story `loaded.confab`: a fresh adapter and store each time the story
 * loads. Storage is memory only, so drafts, names and edit tokens never leak between stories or
 * into the designer's localStorage.
 */
export function widgetLoader(setup: WidgetSetup = {}): Loader {
  return async (context) => {
    const comments = typeof setup.comments === 'function' ? setup.comments() : (setup.comments ?? []);
    const adapter = createMemoryAdapter(comments, { id: THREAD_ID, title: 'A story', ...setup.thread });
    // Before the store: it checks once what the backend can do.
    if (setup.live) addLiveStream(adapter);
    const store = createThreadStore({
      adapter: setup.readOnly ? ({ list: adapter.list } satisfies Adapter) : adapter,
      threadId: THREAD_ID,
      pageSize: setup.pageSize ?? 20,
      storage: createStorage('confab-story:', null),
    });
    setup.before?.(adapter);
    if ((setup.load ?? 'await') === 'await') await store.load();
    else void store.load();
    const focus = (await setup.prepare?.({ adapter, store })) ?? null;
    // The forms' writing half, as a reader who has focused a form has it (the idle form looks the same without it).
    await loadWriting('en');
    // Set up at full speed; from here on the server answers as slowly as the control says.
    adapter.latency = (context.args as Partial<WidgetArgs>).latency ?? DEFAULT_LATENCY;
    const confab: LoadedWidget = { adapter, store, focus };
    return { confab };
  };
}

const streams = new WeakMap<MemoryAdapter, { handlers: WireLiveHandlers | null }>();

/** Gives the in-memory adapter a live stream that `openLiveStream` then drives. */
function addLiveStream(adapter: MemoryAdapter) {
  const stream: { handlers: WireLiveHandlers | null } = { handlers: null };
  streams.set(adapter, stream);
  adapter.subscribe = (_threadId, given) => {
    stream.handlers = given;
    return () => void (stream.handlers = null);
  };
}

/**
 * Live updates over the in-memory adapter of a `live: true` loader: the widget's own live loop
 * (src/store/live-stream.ts) on a stream that is open at once, and `emit` to announce a comment as the
 * backend's events would.
 */
export function openLiveStream(adapter: MemoryAdapter, store: ThreadStore, readerInside: () => boolean) {
  const stream = streams.get(adapter);
  if (!stream) throw new Error('openLiveStream needs widgetLoader({ live: true })');
  const live = startLive(store, { readerInside });
  stream.handlers!.onOpen();
  return {
    live,
    /** Another reader's comment: stored by the backend, then announced on the stream. */
    emit(type: LiveEventType, comment: Comment) {
      if (type === 'comment.created') adapter.comments.push(comment);
      stream.handlers?.onEvent(type, comment);
    },
  };
}

export function loadedWidget(context: Pick<StoryContext, 'loaded'>): LoadedWidget | null {
  const confab = (context.loaded as { confab?: LoadedWidget }).confab;
  return confab ?? null;
}

/** The comment a Comment story shows: its `prepare` result, else `fallback`. */
export function focusOf(context: Pick<StoryContext, 'loaded'>, fallback: string): string {
  return loadedWidget(context)?.focus ?? fallback;
}

function Frame({ args, children }: { args: WidgetArgs; children: ComponentChildren }) {
  const { theme, locale } = args;
  const page = {
    ...tokenStyle(args),
    background: args.background?.trim() || args.page || PAGE_BACKGROUND[theme],
    colorScheme: theme === 'auto' ? 'light dark' : theme,
    padding: '24px',
    minHeight: '100vh',
    boxSizing: 'border-box',
  };
  return (
    <div class="confab-story" style={page}>
      <div
        class={`confab confab--${theme}`}
        lang={locale}
        dir={args.dir ?? directionOf(locale)}
        style={args.width ? { maxInlineSize: `${args.width}px` } : undefined}
      >
        {children}
      </div>
    </div>
  );
}

/** Same object while locale and overrides stay the same: the provider rebuilds its strings on change. */
const messageCache = new WeakMap<Messages, Map<string, Messages>>();
const NO_OVERRIDES: Messages = {};
function messagesOf({ locale, messages = NO_OVERRIDES }: WidgetArgs): Messages {
  let byLanguage = messageCache.get(messages);
  if (!byLanguage) messageCache.set(messages, (byLanguage = new Map()));
  const catalog = catalogOf(locale);
  let merged = byLanguage.get(catalog);
  if (!merged) byLanguage.set(catalog, (merged = { ...LANGUAGES[catalog], ...messages }));
  return merged;
}

/** Project decorator: the themed frame, and the provider when the story loaded a widget. */
export const withWidget: Decorator = (Story, context) => {
  const args = { ...widgetArgs, ...(context.args as Partial<WidgetArgs>) };
  const confab = loadedWidget(context);
  if (confab) confab.adapter.latency = args.latency;
  return (
    <Frame args={args}>
      {confab ? (
        <ConfabProvider store={confab.store} locale={args.locale} messages={messagesOf(args)} maxDepth={args.maxDepth}>
          <Story />
        </ConfabProvider>
      ) : (
        <Story />
      )}
    </Frame>
  );
};
