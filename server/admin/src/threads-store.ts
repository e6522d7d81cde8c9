// The Threads view: every thread with its counts, latest comment first; Lock and Unlock.
import { signal } from '@preact/signals';
import { messageOf, type Api } from './api';
import { createPagedList } from './paged-list';
import type { AdminThread } from './types';

export function createThreadsStore(api: Api) {
  const query = signal('');
  const error = signal<string | null>(null);
  const notice = signal<string | null>(null);
  const busy = signal<string | null>(null);
  const list = createPagedList(
    (cursor) => api.threads(query.peek(), cursor),
    (thread: AdminThread) => thread.id,
    { error },
  );
  const { items: threads, nextCursor, loading, loaded, load } = list;

  return {
    threads,
    nextCursor,
    query,
    loading,
    loaded,
    error,
    notice,
    busy,
    load,
    loadMore: list.loadMore,
    search(q: string) {
      query.value = q;
      return load();
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
