// The Threads view: every thread with its counts, latest comment first; Lock and Unlock.
import { batch, signal } from '@preact/signals';
import { messageOf, type Api } from './api';
import type { AdminThread } from './types';

export function createThreadsStore(api: Api) {
  const threads = signal<AdminThread[]>([]);
  const nextCursor = signal<string | null>(null);
  const query = signal('');
  const loading = signal(false);
  const loaded = signal(false);
  const error = signal<string | null>(null);
  const notice = signal<string | null>(null);
  const busy = signal<string | null>(null);
  let generation = 0;

  async function fetchPage(reset: boolean) {
    const mine = reset ? ++generation : generation;
    loading.value = true;
    error.value = null;
    try {
      const page = await api.threads(query.peek(), reset ? null : nextCursor.peek());
      if (mine !== generation) return;
      batch(() => {
        threads.value = reset
          ? page.items
          : [...threads.peek(), ...page.items.filter((t) => !threads.peek().some((s) => s.id === t.id))];
        nextCursor.value = page.nextCursor;
        loaded.value = true;
      });
    } catch (failure) {
      if (mine === generation) error.value = messageOf(failure);
    } finally {
      if (mine === generation) loading.value = false;
    }
  }

  return {
    threads,
    nextCursor,
    query,
    loading,
    loaded,
    error,
    notice,
    busy,
    load: () => fetchPage(true),
    loadMore: () => fetchPage(false),
    search(q: string) {
      query.value = q;
      return fetchPage(true);
    },
    async setLocked(thread: AdminThread, locked: boolean): Promise<boolean> {
      busy.value = thread.id;
      error.value = null;
      try {
        const answer = await api.lock(thread.id, locked);
        threads.value = threads.peek().map((t) => (t.id === answer.id ? answer : t));
        notice.value = `${answer.locked ? 'Locked' : 'Unlocked'}: ${answer.title || answer.id}`;
        return true;
      } catch (failure) {
        error.value = messageOf(failure);
        return false;
      } finally {
        busy.value = null;
      }
    },
  };
}

export type ThreadsStore = ReturnType<typeof createThreadsStore>;
