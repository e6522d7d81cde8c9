// The Moderators view: the accounts; add one (the answer's one-time link is shown once, to
// copy and send), remove one.
import { signal } from '@preact/signals';
import { messageOf, type Api } from './api';
import type { AdminKey, Translate } from './i18n/i18n';
import { createRowActions } from './row-actions';
import type { AlertChoice, Moderator } from './types';

/** How the dashboard names each choice of alert emails. */
export const ALERT_LABELS: Record<AlertChoice, AdminKey> = {
  immediate: 'alerts.immediate',
  digest: 'alerts.digest',
  off: 'alerts.off',
};

export function createModeratorsStore(api: Api, t: Translate) {
  const moderators = signal<Moderator[]>([]);
  const loading = signal(false);
  const loaded = signal(false);
  const { busy, error, notice, run } = createRowActions(t);
  /** The last added moderator and their one-time link: shown until the view is left. */
  const invitation = signal<{ moderator: Moderator; link: string } | null>(null);

  return {
    moderators,
    loading,
    loaded,
    error,
    notice,
    busy,
    invitation,
    async load() {
      loading.value = true;
      error.value = null;
      try {
        moderators.value = await api.moderators();
        loaded.value = true;
      } catch (failure) {
        error.value = messageOf(failure, t);
      } finally {
        loading.value = false;
      }
    },
    /** Answers the error for the form (which keeps what was typed), or null. */
    async add(email: string, name: string): Promise<{ error: string; fields: Record<string, string> } | null> {
      try {
        const added = await api.addModerator(email, name);
        moderators.value = [added.moderator, ...moderators.peek().filter((m) => m.id !== added.moderator.id)];
        invitation.value = added;
        return null;
      } catch (failure) {
        return { error: messageOf(failure, t), fields: (failure as { fields?: Record<string, string> }).fields ?? {} };
      }
    },
    setAlerts: (moderator: Moderator, alerts: AlertChoice): Promise<boolean> =>
      run(moderator.id, async () => {
        const changed = await api.setModeratorAlerts(moderator.id, alerts);
        moderators.value = moderators.peek().map((m) => (m.id === changed.id ? changed : m));
        return t('done.alerts', { email: changed.email, choice: t(ALERT_LABELS[changed.alerts]) });
      }),
    remove: (moderator: Moderator): Promise<boolean> =>
      run(moderator.id, async () => {
        await api.removeModerator(moderator.id);
        moderators.value = moderators.peek().filter((m) => m.id !== moderator.id);
        if (invitation.peek()?.moderator.id === moderator.id) invitation.value = null;
        return t('done.remove', { email: moderator.email });
      }),
  };
}

export type ModeratorsStore = ReturnType<typeof createModeratorsStore>;
