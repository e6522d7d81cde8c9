// What a list's row actions share (Bans, Moderators, Threads): which row is busy, the last
// error and the last notice, and one way to run an action that sets them.
import { signal } from '@preact/signals';
import { messageOf } from './api';
import type { Translate } from './i18n/i18n';

export function createRowActions(t: Translate) {
  const busy = signal<string | null>(null);
  const error = signal<string | null>(null);
  const notice = signal<string | null>(null);

  /**
   * Runs `work` for the row `id`: busy while it runs; after, its notice (what `work` resolves
   * with) or its error. Resolves true when it worked.
   */
  async function run(id: string, work: () => Promise<string>): Promise<boolean> {
    busy.value = id;
    error.value = null;
    try {
      notice.value = await work();
      return true;
    } catch (failure) {
      error.value = messageOf(failure, t);
      return false;
    } finally {
      busy.value = null;
    }
  }

  return { busy, error, notice, run };
}
