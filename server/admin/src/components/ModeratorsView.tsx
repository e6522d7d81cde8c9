// The Moderators view: the accounts; Add shows the one-time link to send (once); Remove; each
// moderator's choice of alert emails (theirs to make, or the admin token's).
import { useEffect, useRef, useState } from 'preact/hooks';
import { ALERT_LABELS, type ModeratorsStore } from '../moderators-store';
import { ALERT_CHOICES, type Actor, type AlertChoice, type Moderator } from '../types';
import { Alert, Status, Time, ViewHeading } from './common';

export function ModeratorsView({ store, actor }: { store: ModeratorsStore; actor: Actor | null }) {
  useEffect(() => {
    void store.load();
    return () => void (store.invitation.value = null);
  }, [store]);
  const moderators = store.moderators.value;
  return (
    <>
      <ViewHeading>Moderators</ViewHeading>
      <Status message={store.notice.value} />
      <Alert message={store.error.value} />
      <AddModerator store={store} />
      <Invitation store={store} />
      <ul class="adm-cards" aria-label="Moderators">
        {moderators.map((moderator) => (
          <li key={moderator.id} class="adm-card">
            <h2 class="adm-card-title">{moderator.name ? `${moderator.name} (${moderator.email})` : moderator.email}</h2>
            <p class="adm-meta">
              <span>
                Added <Time iso={moderator.createdAt} />
              </span>
              {moderator.invited ? (
                <span>Invited: no password set yet</span>
              ) : moderator.lastSignInAt ? (
                <span>
                  Last signed in <Time iso={moderator.lastSignInAt} />
                </span>
              ) : (
                <span>Never signed in</span>
              )}
              {mayChoose(actor, moderator) ? null : <span>Alerts: {ALERT_LABELS[moderator.alerts].toLowerCase()}</span>}
            </p>
            {mayChoose(actor, moderator) ? <AlertsChoice store={store} moderator={moderator} /> : null}
            <p class="adm-row">
              <button
                type="button"
                class="adm-button adm-button--small adm-button--danger"
                disabled={store.busy.value === moderator.id}
                onClick={() => void store.remove(moderator)}
              >
                Remove
              </button>
            </p>
          </li>
        ))}
      </ul>
      {store.loaded.value && moderators.length === 0 ? <p class="adm-empty">No moderator accounts yet.</p> : null}
    </>
  );
}

const mayChoose = (actor: Actor | null, moderator: Moderator) =>
  actor?.kind === 'token' || (actor?.kind === 'moderator' && actor.id === moderator.id);

/** Emails about held and reported comments: one each, an hourly digest, or none. */
function AlertsChoice({ store, moderator }: { store: ModeratorsStore; moderator: Moderator }) {
  const id = `alerts-${moderator.id}`;
  return (
    <p class="adm-field">
      <label for={id}>Emails about held and reported comments</label>
      <select
        id={id}
        value={moderator.alerts}
        disabled={store.busy.value === moderator.id}
        onChange={(event) => void store.setAlerts(moderator, event.currentTarget.value as AlertChoice)}
      >
        {ALERT_CHOICES.map((choice) => (
          <option key={choice} value={choice}>
            {ALERT_LABELS[choice]}
          </option>
        ))}
      </select>
    </p>
  );
}

function AddModerator({ store }: { store: ModeratorsStore }) {
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
    if (failure) return setError(failure.fields.email ? `${failure.error} ${failure.fields.email}` : failure.error);
    setEmail('');
    setName('');
  }

  return (
    <section class="adm-card" aria-labelledby="add-moderator">
      <h2 id="add-moderator" class="adm-card-title">
        Add a moderator
      </h2>
      <form onSubmit={(event) => void submit(event)}>
        <p class="adm-field">
          <label for="moderator-email">Email</label>
          <input
            id="moderator-email"
            type="email"
            required
            value={email}
            onInput={(event) => setEmail(event.currentTarget.value)}
          />
        </p>
        <p class="adm-field">
          <label for="moderator-name">Name (optional)</label>
          <input id="moderator-name" value={name} onInput={(event) => setName(event.currentTarget.value)} />
        </p>
        <Alert message={error} />
        <button type="submit" class="adm-button adm-button--primary" disabled={busy}>
          {busy ? 'Adding…' : 'Add moderator'}
        </button>
      </form>
    </section>
  );
}

function Invitation({ store }: { store: ModeratorsStore }) {
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
      setCopied('Copied.');
    } catch {
      field.current?.select();
      setCopied('Copying is not allowed here: the link is selected, copy it with the keyboard.');
    }
  }

  return (
    <section class="adm-card adm-invitation" aria-labelledby="invitation-title">
      <h2 id="invitation-title" class="adm-card-title">
        Invitation for {invitation.moderator.email}
      </h2>
      <p>Send them this link to set their password. It works once, for 24 hours, and is not shown again.</p>
      <p class="adm-field">
        <label for="invitation-link">One-time link</label>
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
          Copy link
        </button>
        <span role="status">{copied ?? ''}</span>
      </p>
    </section>
  );
}
