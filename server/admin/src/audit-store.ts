// The Audit log view: who did what, when, with the fields before and after; newest first.
import { batch, signal } from '@preact/signals';
import { messageOf, type Api } from './api';
import type { AuditEntry } from './types';

export function createAuditStore(api: Api) {
  const entries = signal<AuditEntry[]>([]);
  const nextCursor = signal<string | null>(null);
  const loading = signal(false);
  const loaded = signal(false);
  const error = signal<string | null>(null);
  let generation = 0;

  async function fetchPage(reset: boolean) {
    const mine = reset ? ++generation : generation;
    loading.value = true;
    error.value = null;
    try {
      const page = await api.audit(reset ? null : nextCursor.peek());
      if (mine !== generation) return;
      batch(() => {
        entries.value = reset
          ? page.items
          : [...entries.peek(), ...page.items.filter((e) => !entries.peek().some((f) => f.id === e.id))];
        nextCursor.value = page.nextCursor;
        loaded.value = true;
      });
    } catch (failure) {
      if (mine === generation) error.value = messageOf(failure);
    } finally {
      if (mine === generation) loading.value = false;
    }
  }

  return { entries, nextCursor, loading, loaded, error, load: () => fetchPage(true), loadMore: () => fetchPage(false) };
}

export type AuditStore = ReturnType<typeof createAuditStore>;
