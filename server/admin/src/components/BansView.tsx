// The Bans view: who is banned, how, until when and why; Unban.
import { useEffect } from 'preact/hooks';
import type { BansStore } from '../bans-store';
import { actorName } from '../session-store';
import { Alert, Status, Time, ViewHeading } from './common';

export function BansView({ store }: { store: BansStore }) {
  useEffect(() => void store.load(), [store]);
  const bans = store.bans.value;
  return (
    <>
      <ViewHeading>Bans</ViewHeading>
      <Status message={store.notice.value} />
      <Alert message={store.error.value} />
      <ul class="adm-cards" aria-label="Bans">
        {bans.map((ban) => (
          <li key={ban.id} class="adm-card">
            <h2 class="adm-card-title">{ban.authorName || 'Unnamed author'}</h2>
            <p class="adm-meta">
              <span>By {ban.kinds.map((kind) => (kind === 'email' ? 'email' : 'address')).join(' and ')}</span>
              <span>
                {ban.expiresAt ? (
                  <>
                    Until <Time iso={ban.expiresAt} />
                  </>
                ) : (
                  'For ever'
                )}
              </span>
            </p>
            {ban.note ? <p class="adm-note-text">Note: {ban.note}</p> : null}
            <p class="adm-meta">
              <span>
                Banned <Time iso={ban.createdAt} /> by {actorName(ban.createdBy)}
              </span>
            </p>
            <p class="adm-row">
              <button
                type="button"
                class="adm-button adm-button--small"
                disabled={store.busy.value === ban.id}
                onClick={() => void store.unban(ban)}
              >
                Unban
              </button>
            </p>
          </li>
        ))}
      </ul>
      {store.loaded.value && bans.length === 0 ? <p class="adm-empty">No one is banned.</p> : null}
      {!store.loaded.value && store.loading.value ? <p class="adm-empty">Loading…</p> : null}
    </>
  );
}
