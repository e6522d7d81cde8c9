// The sign-in screen (a moderator's email and password, or the admin token) and the screen an
// invitation link opens to set a password.
import { useState } from 'preact/hooks';
import type { App } from '../app-store';
import { Alert } from './common';

function Field({
  id,
  label,
  type = 'text',
  value,
  onInput,
  autocomplete,
  error,
  hint,
}: {
  id: string;
  label: string;
  type?: string;
  value: string;
  onInput: (value: string) => void;
  autocomplete: string;
  error?: string | undefined;
  hint?: string;
}) {
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <p class="adm-field">
      <label for={id}>{label}</label>
      {hint ? (
        <span id={`${id}-hint`} class="adm-hint">
          {hint}
        </span>
      ) : null}
      <input
        id={id}
        type={type}
        value={value}
        required
        autocomplete={autocomplete}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={described}
        onInput={(event) => onInput(event.currentTarget.value)}
      />
      {error ? (
        <span id={`${id}-error`} class="adm-field-error">
          {error}
        </span>
      ) : null}
    </p>
  );
}

export function SignIn({ app }: { app: App }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState<'account' | 'token' | null>(null);
  const [error, setError] = useState<{ form: 'account' | 'token'; message: string } | null>(null);

  async function submit(form: 'account' | 'token', event: Event) {
    event.preventDefault();
    setBusy(form);
    setError(null);
    const result = await app.session.signIn(form === 'account' ? { email: email.trim(), password } : { token: token.trim() });
    setBusy(null);
    if (result.error) setError({ form, message: result.error });
  }

  return (
    <main class="adm-signin" aria-labelledby="signin-title">
      <h1 id="signin-title">Confab moderation</h1>
      {app.session.notice.value && !error ? <p class="adm-note">{app.session.notice.value}</p> : null}
      <section class="adm-card" aria-labelledby="signin-account">
        <h2 id="signin-account">Sign in</h2>
        <form onSubmit={(event) => void submit('account', event)}>
          <Field id="signin-email" label="Email" type="email" value={email} onInput={setEmail} autocomplete="username" />
          <Field
            id="signin-password"
            label="Password"
            type="password"
            value={password}
            onInput={setPassword}
            autocomplete="current-password"
          />
          {error?.form === 'account' ? <Alert message={error.message} /> : null}
          <button type="submit" class="adm-button adm-button--primary" disabled={busy !== null}>
            {busy === 'account' ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
      </section>
      <section class="adm-card" aria-labelledby="signin-token">
        <h2 id="signin-token">Sign in with the admin token</h2>
        <form onSubmit={(event) => void submit('token', event)}>
          <Field
            id="signin-admin-token"
            label="Admin token"
            type="password"
            value={token}
            onInput={setToken}
            autocomplete="off"
            hint="The server's ADMIN_TOKEN: for a first start, before there is a moderator account."
          />
          {error?.form === 'token' ? <Alert message={error.message} /> : null}
          <button type="submit" class="adm-button" disabled={busy !== null}>
            {busy === 'token' ? 'Signing in…' : 'Sign in with token'}
          </button>
        </form>
      </section>
    </main>
  );
}

export function SetPassword({ app, link }: { app: App; link: string }) {
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});

  async function submit(event: Event) {
    event.preventDefault();
    setError(null);
    setFields({});
    if (password.length < 10) {
      setError('The password is too short: use at least 10 characters.');
      return setFields({ password: 'Use at least 10 characters.' });
    }
    if (password !== repeat) {
      setError('The two passwords differ.');
      return setFields({ repeat: 'Type the same password again.' });
    }
    setBusy(true);
    const result = await app.session.setPassword(link, password);
    setBusy(false);
    if (result.error) {
      setError(result.error);
      setFields(result.fields);
      return;
    }
    app.router.replace('#/pending');
  }

  return (
    <main class="adm-signin" aria-labelledby="password-title">
      <h1 id="password-title">Set your password</h1>
      <div class="adm-card">
        <p>Choose the password for your moderator account. The link you followed works once, for 24 hours.</p>
        <form onSubmit={(event) => void submit(event)}>
          <Field
            id="new-password"
            label="New password"
            type="password"
            value={password}
            onInput={setPassword}
            autocomplete="new-password"
            hint="At least 10 characters."
            error={fields.password}
          />
          <Field
            id="repeat-password"
            label="Repeat the password"
            type="password"
            value={repeat}
            onInput={setRepeat}
            autocomplete="new-password"
            error={fields.repeat}
          />
          <Alert message={error} />
          <button type="submit" class="adm-button adm-button--primary" disabled={busy}>
            {busy ? 'Saving…' : 'Set password'}
          </button>
        </form>
        <p>
          <a
            href="#/pending"
            onClick={(event) => {
              event.preventDefault();
              app.router.replace('#/pending');
            }}
          >
            Sign in instead
          </a>
        </p>
      </div>
    </main>
  );
}
