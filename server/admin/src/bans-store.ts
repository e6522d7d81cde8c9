// The Bans view: the active bans, newest first; Unban.
import { signal } from '@preact/signals';
import { messageOf, type Api } from './api';
import type { Ban } from './types';

export function createBansStore(api: Api) {
  const bans = signal<Ban[]>([]);
  const loading = signal(false);
  const loaded = signal(false);
  const error = signal<string | null>(null);
  const notice = signal<string | null>(null);
  const busy = signal<string | null>(null);

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
    async unban(ban: Ban): Promise<boolean> {
      busy.value = ban.id;
      error.value = null;
      try {
        await api.unban(ban.id);
        bans.value = bans.peek().filter((b) => b.id !== ban.id);
        notice.value = `Unbanned ${ban.authorName || 'the author'}`;
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

export type BansStore = ReturnType<typeof createBansStore>;
