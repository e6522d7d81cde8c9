// The Bans view: the active bans, newest first; Unban.
import { signal } from '@preact/signals';
import { messageOf, type Api } from './api';
import { createRowActions } from './row-actions';
import type { Ban } from './types';

export function createBansStore(api: Api) {
  const bans = signal<Ban[]>([]);
  const loading = signal(false);
  const loaded = signal(false);
  const { busy, error, notice, run } = createRowActions();

  return {
    bans,
    loading,
    loaded,
    error,
    notice,
    busy,
    async load() {
      loading.value = true;
      error.value = null;
      try {
        bans.value = await api.bans();
        loaded.value = true;
      } catch (failure) {
        error.value = messageOf(failure);
      } finally {
        loading.value = false;
      }
    },
    unban: (ban: Ban): Promise<boolean> =>
      run(ban.id, async () => {
        await api.unban(ban.id);
        bans.value = bans.peek().filter((b) => b.id !== ban.id);
        return `Unbanned ${ban.authorName || 'the author'}`;
      }),
  };
}

export type BansStore = ReturnType<typeof createBansStore>;
