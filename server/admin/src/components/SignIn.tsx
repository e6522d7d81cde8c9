// The sign-in screen (a moderator's email and password, or the admin token) and the screen an
// invitation link opens to set a password.
import { useState } from 'preact/hooks';
import type { App } from '../app-store';
import { attributesOf, useI18n } from '../i18n/i18n';
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
  const { t } = useI18n();
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
    <main class="adm-signin" aria-labelledby="signin-title" {...attributesOf(app.i18n)}>
      <h1 id="signin-title">{t('app.title')}</h1>
      {app.session.notice.value && !error ? <p class="adm-note">{app.session.notice.value}</p> : null}
      <section class="adm-card" aria-labelledby="signin-account">
        <h2 id="signin-account">{t('signIn.title')}</h2>
        <form onSubmit={(event) => void submit('account', event)}>
          <Field id="signin-email" label={t('email')} type="email" value={email} onInput={setEmail} autocomplete="username" />
          <Field
            id="signin-password"
            label={t('signIn.password')}
            type="password"
            value={password}
            onInput={setPassword}
            autocomplete="current-password"
          />
          {error?.form === 'account' ? <Alert message={error.message} /> : null}
          <button type="submit" class="adm-button adm-button--primary" disabled={busy !== null}>
            {busy === 'account' ? t('signIn.busy') : t('signIn.title')}
          </button>
        </form>
      </section>
      <section class="adm-card" aria-labelledby="signin-token">
        <h2 id="signin-token">{t('signIn.tokenTitle')}</h2>
        <form onSubmit={(event) => void submit('token', event)}>
          <Field
            id="signin-admin-token"
            label={t('signIn.token')}
            type="password"
            value={token}
            onInput={setToken}
            autocomplete="off"
            hint={t('signIn.tokenHint')}
          />
          {error?.form === 'token' ? <Alert message={error.message} /> : null}
          <button type="submit" class="adm-button" disabled={busy !== null}>
            {busy === 'token' ? t('signIn.busy') : t('signIn.withToken')}
          </button>
        </form>
      </section>
    </main>
  );
}

export function SetPassword({ app, link }: { app: App; link: string }) {
  const { t } = useI18n();
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
      setError(t('password.tooShort'));
      return setFields({ password: t('password.tooShortField') });
    }
    if (password !== repeat) {
      setError(t('password.differ'));
      return setFields({ repeat: t('password.differField') });
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
    <main class="adm-signin" aria-labelledby="password-title" {...attributesOf(app.i18n)}>
      <h1 id="password-title">{t('password.title')}</h1>
      <div class="adm-card">
        <p>{t('password.text')}</p>
        <form onSubmit={(event) => void submit(event)}>
          <Field
            id="new-password"
            label={t('password.new')}
            type="password"
            value={password}
            onInput={setPassword}
            autocomplete="new-password"
            hint={t('password.hint')}
            error={fields.password}
          />
          <Field
            id="repeat-password"
            label={t('password.repeat')}
            type="password"
            value={repeat}
            onInput={setRepeat}
            autocomplete="new-password"
            error={fields.repeat}
          />
          <Alert message={error} />
          <button type="submit" class="adm-button adm-button--primary" disabled={busy}>
            {busy ? t('saving') : t('password.set')}
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
            {t('password.signIn')}
          </a>
        </p>
      </div>
    </main>
  );
}
