// The Threads view: every thread with its counts, latest comment first; Lock and Unlock.
import { signal } from '@preact/signals';
import type { Api } from './api';
import type { Translate } from './i18n/i18n';
import { createRowActions } from './row-actions';
import { createPagedList } from './paged-list';
import type { AdminThread } from './types';

export function createThreadsStore(api: Api, t: Translate) {
  const query = signal('');
  const { busy, error, notice, run } = createRowActions(t);
  const list = createPagedList(
    (cursor) => api.threads(query.peek(), cursor),
    (thread: AdminThread) => thread.id,
    { error, t },
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
    setLocked: (thread: AdminThread, locked: boolean): Promise<boolean> =>
      run(thread.id, async () => {
        const answer = await api.lock(thread.id, locked);
        threads.value = threads.peek().map((t) => (t.id === answer.id ? answer : t));
        return t(answer.locked ? 'done.lock' : 'done.unlock', { title: answer.title || answer.id });
      }),
  };
}

export type ThreadsStore = ReturnType<typeof createThreadsStore>;
