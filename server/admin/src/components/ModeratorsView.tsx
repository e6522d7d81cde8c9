// The Moderators view: the accounts; Add shows the one-time link to send (once); Remove; each
// moderator's choice of alert emails (theirs to make, or the admin token's).
import { useEffect, useRef, useState } from 'preact/hooks';
import { useI18n } from '../i18n/i18n';
import { ALERT_LABELS, type ModeratorsStore } from '../moderators-store';
import { ALERT_CHOICES, type Actor, type AlertChoice, type Moderator } from '../types';
import { Alert, Status, Time, ViewHeading } from './common';

export function ModeratorsView({ store, actor }: { store: ModeratorsStore; actor: Actor | null }) {
  const { t, parts } = useI18n();
  useEffect(() => {
    void store.load();
    return () => void (store.invitation.value = null);
  }, [store]);
  const moderators = store.moderators.value;
  return (
    <>
      <ViewHeading>{t('view.moderators')}</ViewHeading>
      <Status message={store.notice.value} />
      <Alert message={store.error.value} />
      <AddModerator store={store} />
      <Invitation store={store} />
      <ul class="adm-cards" aria-label={t('view.moderators')}>
        {moderators.map((moderator) => (
          <li key={moderator.id} class="adm-card">
            <h2 class="adm-card-title">{moderator.name ? `${moderator.name} (${moderator.email})` : moderator.email}</h2>
            <p class="adm-meta">
              <span>{parts('mods.added', { time: <Time iso={moderator.createdAt} /> })}</span>
              {moderator.invited ? (
                <span>{t('mods.invited')}</span>
              ) : moderator.lastSignInAt ? (
                <span>{parts('mods.lastSignIn', { time: <Time iso={moderator.lastSignInAt} /> })}</span>
              ) : (
                <span>{t('mods.never')}</span>
              )}
              {mayChoose(actor, moderator) ? null : (
                <span>{t('mods.alerts', { choice: t(ALERT_LABELS[moderator.alerts]) })}</span>
              )}
            </p>
            {mayChoose(actor, moderator) ? <AlertsChoice store={store} moderator={moderator} /> : null}
            <p class="adm-row">
              <button
                type="button"
                class="adm-button adm-button--small adm-button--danger"
                disabled={store.busy.value === moderator.id}
                onClick={() => void store.remove(moderator)}
              >
                {t('mods.remove')}
              </button>
            </p>
          </li>
        ))}
      </ul>
      {store.loaded.value && moderators.length === 0 ? <p class="adm-empty">{t('mods.empty')}</p> : null}
    </>
  );
}

const mayChoose = (actor: Actor | null, moderator: Moderator) =>
  actor?.kind === 'token' || (actor?.kind === 'moderator' && actor.id === moderator.id);

/** Emails about held and reported comments: one each, an hourly digest, or none. */
function AlertsChoice({ store, moderator }: { store: ModeratorsStore; moderator: Moderator }) {
  const { t } = useI18n();
  const id = `alerts-${moderator.id}`;
  return (
    <p class="adm-field">
      <label for={id}>{t('mods.alertsLabel')}</label>
      <select
        id={id}
        value={moderator.alerts}
        disabled={store.busy.value === moderator.id}
        onChange={(event) => void store.setAlerts(moderator, event.currentTarget.value as AlertChoice)}
      >
        {ALERT_CHOICES.map((choice) => (
          <option key={choice} value={choice}>
            {t(ALERT_LABELS[choice])}
          </option>
        ))}
      </select>
    </p>
  );
}

function AddModerator({ store }: { store: ModeratorsStore }) {
  const { t } = useI18n();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const failure = await store.add(email, name);
    setBusy(false);
    // A field's words of the server's own, after its message; a known reason's are the message itself.
    const field = failure?.fields.email;
    if (failure) return setError(field && field !== failure.error ? `${failure.error} ${field}` : failure.error);
    setEmail('');
    setName('');
  }

  return (
    <section class="adm-card" aria-labelledby="add-moderator">
      <h2 id="add-moderator" class="adm-card-title">
        {t('mods.add')}
      </h2>
      <form onSubmit={(event) => void submit(event)}>
        <p class="adm-field">
          <label for="moderator-email">{t('email')}</label>
          <input
            id="moderator-email"
            type="email"
            required
            value={email}
            onInput={(event) => setEmail(event.currentTarget.value)}
          />
        </p>
        <p class="adm-field">
          <label for="moderator-name">{t('mods.name')}</label>
          <input id="moderator-name" value={name} onInput={(event) => setName(event.currentTarget.value)} />
        </p>
        <Alert message={error} />
        <button type="submit" class="adm-button adm-button--primary" disabled={busy}>
          {busy ? t('mods.adding') : t('mods.addButton')}
        </button>
      </form>
    </section>
  );
}

function Invitation({ store }: { store: ModeratorsStore }) {
  const { t } = useI18n();
  const invitation = store.invitation.value;
  const [copied, setCopied] = useState<string | null>(null);
  const field = useRef<HTMLInputElement>(null);
  useEffect(() => {
    setCopied(null);
    if (invitation) field.current?.focus();
  }, [invitation]);
  if (!invitation) return null;

  async function copy() {
    try {
      await navigator.clipboard.writeText(invitation!.link);
      setCopied(t('mods.copied'));
    } catch {
      field.current?.select();
      setCopied(t('mods.copyFailed'));
    }
  }

  return (
    <section class="adm-card adm-invitation" aria-labelledby="invitation-title">
      <h2 id="invitation-title" class="adm-card-title">
        {t('mods.invitation', { email: invitation.moderator.email })}
      </h2>
      <p>{t('mods.invitationText')}</p>
      <p class="adm-field">
        <label for="invitation-link">{t('mods.link')}</label>
        <input
          id="invitation-link"
          ref={field}
          readOnly
          value={invitation.link}
          onFocus={(event) => event.currentTarget.select()}
        />
      </p>
      <p class="adm-row">
        <button type="button" class="adm-button" onClick={() => void copy()}>
          {t('mods.copy')}
        </button>
        <span role="status">{copied ?? ''}</span>
      </p>
    </section>
  );
}
