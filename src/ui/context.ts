// What every component needs besides its own props: the store, strings, locale and clock.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { computed, signal, type ReadonlySignal, type Signal } from '@preact/signals';
import type { ThreadStore } from '../store/thread-store';
import { createTranslator, type Translate } from '../i18n/translate';
import { messagesFor } from '../i18n/locales';
import type { Messages } from '../i18n/en';

export interface WidgetContextValue {
  store: ThreadStore;
  t: Translate;
  locale: string;
  /** Replies deeper than this stop indenting and say whom they answer. */
  maxDepth: number;
  /** Ticks every minute so relative times stay true without re-rendering comments. */
  now: ReadonlySignal<number>;
  /** The hour of `now`: changes once an hour, for texts like "3 days ago". */
  hour: ReadonlySignal<number>;
  /**
   * Widget-wide view state that only a few comments ever need. Kept here, not on every comment,
   * so a 10,000-comment thread does not carry 10,000 copies; a comment reads it only when it
   * concerns it (an avatar URL, its own comment).
   */
  view: WidgetView;
}

export interface WidgetView {
  /** Avatar URLs that failed to load: those comments show initials instead. */
  brokenAvatars: Signal<ReadonlySet<string>>;
  /** The own comment whose "Delete this comment?" is open. */
  confirmingDelete: Signal<string | null>;
  /** A short message for the status line ("Link copied"); empty when there is none. */
  announcement: Signal<string>;
  /** The document or shadow root the thread is in, once rendered: where focus is moved. */
  root: Document | ShadowRoot | null;
  /** True when <Thread> listens for its comments' buttons; a lone <Comment> listens itself. */
  delegated: boolean;
}

export function createWidgetView(): WidgetView {
  return { brokenAvatars: signal(new Set()), confirmingDelete: signal(null), announcement: signal(''), root: null, delegated: false };
}

export const WidgetContext = createContext<WidgetContextValue | null>(null);

export function useWidget(): WidgetContextValue {
  const value = useContext(WidgetContext);
  if (!value) throw new Error('Confab components must be rendered inside <ConfabProvider>.');
  return value;
}

export interface ProviderOptions {
  store: ThreadStore;
  locale?: string;
  /** Per-string overrides on top of the locale's strings. */
  messages?: Messages;
  t?: Translate;
  maxDepth?: number;
  now?: ReadonlySignal<number>;
}

export function widgetContext(options: ProviderOptions): WidgetContextValue {
  const locale = options.locale ?? 'en';
  const now = options.now ?? signal(Date.now());
  return {
    store: options.store,
    locale,
    t: options.t ?? createTranslator(locale, messagesFor(locale, options.messages)),
    maxDepth: options.maxDepth ?? 6,
    now,
    hour: computed(() => Math.floor(now.value / 3_600_000)),
    view: createWidgetView(),
  };
}
