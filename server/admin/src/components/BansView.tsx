// The Bans view: who is banned, how, until when and why; Unban.
import { useEffect } from 'preact/hooks';
import type { BansStore } from '../bans-store';
import { useI18n } from '../i18n/i18n';
import { actorName } from '../session-store';
import { Alert, Status, Time, ViewHeading } from './common';

export function BansView({ store }: { store: BansStore }) {
  const { t, parts } = useI18n();
  useEffect(() => void store.load(), [store]);
  const bans = store.bans.value;
  return (
    <>
      <ViewHeading>{t('view.bans')}</ViewHeading>
      <Status message={store.notice.value} />
      <Alert message={store.error.value} />
      <ul class="adm-cards" aria-label={t('view.bans')}>
        {bans.map((ban) => (
          <li key={ban.id} class="adm-card">
            <h2 class="adm-card-title">{ban.authorName || t('bans.unnamed')}</h2>
            <p class="adm-meta">
              <span>
                {t(
                  ban.kinds.includes('email') && ban.kinds.includes('client')
                    ? 'bans.both'
                    : ban.kinds.includes('email')
                      ? 'ban.email'
                      : 'ban.client',
                )}
              </span>
              <span>{ban.expiresAt ? parts('bans.until', { time: <Time iso={ban.expiresAt} /> }) : t('ban.forever')}</span>
            </p>
            {ban.note ? <p class="adm-note-text">{t('bans.note', { note: ban.note })}</p> : null}
            <p class="adm-meta">
              <span>{parts('bans.banned', { time: <Time iso={ban.createdAt} />, actor: actorName(ban.createdBy, t) })}</span>
            </p>
            <p class="adm-row">
              <button
                type="button"
                class="adm-button adm-button--small"
                disabled={store.busy.value === ban.id}
                onClick={() => void store.unban(ban)}
              >
                {t('bans.unban')}
              </button>
            </p>
          </li>
        ))}
      </ul>
      {store.loaded.value && bans.length === 0 ? <p class="adm-empty">{t('bans.empty')}</p> : null}
      {!store.loaded.value && store.loading.value ? <p class="adm-empty">{t('loading')}</p> : null}
    </>
  );
}
