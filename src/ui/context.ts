// What every component needs besides its own props: the store, strings, locale and clock.
// WidgetContext is the Preact context; createWidgetContextValue() makes the value it carries.
import { createContext, type ComponentType, type VNode } from 'preact';
import { useContext } from 'preact/hooks';
import { computed, signal, type ReadonlySignal, type Signal } from '@preact/signals';
import type { EditFormProps } from './EditForm';
import type { CommentNode, ThreadStore } from '../store/thread-store';
import { createTranslator, type Translate } from '../i18n/translate';
import { messagesFor } from '../i18n/messages-and-direction';
import type { Messages } from '../i18n/en';
import { timeFormatReady, warmUpTime } from '../format/time';
import { nextTask } from '../scheduler';

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
   * Whether Intl's formatters are built; a render that asks while they are not renders again
   * once they are. The first one of a page costs 25-45 ms in Chromium (ICU's data, once per
   * renderer process), more than the first screen of comments: in a page where none is built
   * yet, the first comments show before it, and their times (and a count only Intl can write,
   * like "1,204 comments") a frame later. On the server, always true.
   */
  intlReady(): boolean;
  /** Builds the formatters once the next frame is painted (once; nothing if they are built). */
  warmIntl(): void;
  /**
   * Widget-wide view state that only a few comments ever need. Kept here, not on every comment,
   * so a 10,000-comment thread does not carry 10,000 copies; a comment reads it only when it
   * concerns it (an avatar URL, its own comment).
   */
  view: WidgetView;
}

export interface WidgetView {
  /** Whether the avatar at this URL failed to load; a comment watches only its own URL. */
  avatarFailed(url: string): Signal<boolean>;
  /** The own comment whose "Delete this comment?" is open. */
  confirmingDelete: Signal<string | null>;
  /** Draws that question and its two buttons in the comment's toolbar: the events part's, set as it opens one. */
  confirmDelete?: (widget: WidgetContextValue, node: CommentNode, tabIndex: () => number) => VNode;
  /** A short message for the status line ("Link copied"); empty when there is none. */
  announcement: Signal<string>;
  /** Says `text` on the status line for a moment (again, if it is already there). */
  announce(text: string): void;
  /**
   * The edit form, once its part has come (the events part loads it on the first Edit click);
   * made once: a new component would lose the typed text.
   */
  editForm?: ComponentType<EditFormProps>;
  /** Text typed into open edit forms, by comment id: kept when a form is rendered anew. */
  editDrafts: Map<string, string>;
  /** The document or shadow root the thread is in, once rendered: where focus is moved. */
  root: Document | ShadowRoot | null;
}

const ANNOUNCED_FOR_MS = 2_000;

export function createWidgetView(): WidgetView {
  const failed = new Map<string, Signal<boolean>>();
  const announcement = signal('');
  let timer: ReturnType<typeof setTimeout> | undefined;
  return {
    avatarFailed(url) {
      let flag = failed.get(url);
      if (!flag) failed.set(url, (flag = signal(false)));
      return flag;
    },
    confirmingDelete: signal(null),
    announcement,
    announce(text) {
      clearTimeout(timer);
      // Emptied first, so the same words said twice are read out twice.
      announcement.value = '';
      timer = setTimeout(() => {
        announcement.value = text;
        timer = setTimeout(() => (announcement.value = ''), ANNOUNCED_FOR_MS);
      }, 50);
    },
    editDrafts: new Map(),
    root: null,
  };
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

export function createWidgetContextValue(options: ProviderOptions): WidgetContextValue {
  const locale = options.locale ?? 'en';
  const now = options.now ?? signal(Date.now());
  const warmed = signal(typeof document === 'undefined' || timeFormatReady(locale));
  const warm = () => {
    warmUpTime(locale);
    warmed.value = true;
  };
  let asked = false;
  // While the page waits for the thread, if it is idle then: usually long before the answer.
  if (!warmed.peek()) globalThis.requestIdleCallback?.(warm);
  return {
    store: options.store,
    locale,
    t: options.t ?? createTranslator(locale, messagesFor(locale, options.messages)),
    maxDepth: options.maxDepth ?? 6,
    now,
    hour: computed(() => Math.floor(now.value / 3_600_000)),
    // Read without subscribing once they are built.
    intlReady: () => warmed.peek() || warmed.value,
    warmIntl() {
      if (asked || warmed.peek()) return;
      asked = true;
      // After the paint, and after the tasks already waiting then (a timer's task).
      nextTask(() => setTimeout(warm), true);
    },
    view: createWidgetView(),
  };
}
