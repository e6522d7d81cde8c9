// A list read page by page with a cursor, as every dashboard view reads: the first page replaces
// the list, "Load more" appends what is new to it, and the answer to a request that a newer one
// has overtaken (a search typed over) is dropped.
import { batch, signal } from '@preact/signals';
import type { Signal } from '@preact/signals';
import { messageOf } from './api';
import type { Translate } from './i18n/i18n';

export type Page<T> = { items: T[]; nextCursor: string | null };

/**
 * @param read one page after `cursor` (null: the first)
 * @param error where a failed read says why (the view's error, shared with its actions)
 * @param onReset runs with the first page, in the same batch (e.g. to clear a selection)
 * @param t the dashboard's language, for a failure's message
 */
export function createPagedList<T>(
  read: (cursor: string | null) => Promise<Page<T>>,
  keyOf: (item: T) => string,
  { error, onReset, t }: { error: Signal<string | null>; onReset?: () => void; t: Translate },
) {
  const items = signal<T[]>([]);
  const nextCursor = signal<string | null>(null);
  const loading = signal(false);
  const loaded = signal(false);
  let generation = 0;

  async function fetchPage(reset: boolean) {
    const mine = reset ? ++generation : generation;
    loading.value = true;
    error.value = null;
    try {
      const page = await read(reset ? null : nextCursor.peek());
      if (mine !== generation) return;
      batch(() => {
        if (reset) {
          items.value = page.items;
          onReset?.();
        } else {
          const seen = new Set(items.peek().map(keyOf));
          items.value = [...items.peek(), ...page.items.filter((item) => !seen.has(keyOf(item)))];
        }
        nextCursor.value = page.nextCursor;
        loaded.value = true;
      });
    } catch (failure) {
      if (mine === generation) error.value = messageOf(failure, t);
    } finally {
      if (mine === generation) loading.value = false;
    }
  }

  return { items, nextCursor, loading, loaded, load: () => fetchPage(true), loadMore: () => fetchPage(false) };
}
