// What every component needs besides its own props: the store, strings, locale and clock.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { signal, type ReadonlySignal } from '@preact/signals';
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
  return {
    store: options.store,
    locale,
    t: options.t ?? createTranslator(locale, messagesFor(locale, options.messages)),
    maxDepth: options.maxDepth ?? 6,
    now: options.now ?? signal(Date.now()),
  };
}
