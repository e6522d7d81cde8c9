// The Bans view: the active bans, newest first; Unban.
import { signal } from '@preact/signals';
import { messageOf, type Api } from './api';
import type { Translate } from './i18n/i18n';
import { createRowActions } from './row-actions';
import type { Ban } from './types';

export function createBansStore(api: Api, t: Translate) {
  const bans = signal<Ban[]>([]);
  const loading = signal(false);
  const loaded = signal(false);
  const { busy, error, notice, run } = createRowActions(t);

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
        error.value = messageOf(failure, t);
      } finally {
        loading.value = false;
      }
    },
    unban: (ban: Ban): Promise<boolean> =>
      run(ban.id, async () => {
        await api.unban(ban.id);
        bans.value = bans.peek().filter((b) => b.id !== ban.id);
        return t('done.unban', { name: ban.authorName || t('bans.unnamed') });
      }),
  };
}

export type BansStore = ReturnType<typeof createBansStore>;
