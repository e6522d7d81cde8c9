// The dashboard in the browser's language: the catalogs' `admin.*` strings, loaded on demand, with
// plurals, dates and numbers of that language, right to left for Arabic, and English (asking for
// nothing) when no catalog fits.
import { describe, expect, it, vi } from 'vitest';
import { screen, waitFor, within } from '@testing-library/preact';
import { createApi } from '../../server/admin/src/api';
import { ENGLISH, LANGUAGES, loadI18n, pickLanguage } from '../../server/admin/src/i18n/i18n';
import { ACCOUNT, INVITATION } from './fake-server';
import { renderApp } from './render-app';

describe('the dashboard’s language', () => {
  it('picks the first of the browser’s languages with a catalog, by the widget’s rule', () => {
    expect(LANGUAGES).toContain('de');
    expect(LANGUAGES).not.toContain('en');
    expect(pickLanguage(['de-AT', 'en'])).toEqual({ catalog: 'de', locale: 'de-AT' });
    expect(pickLanguage(['xx', 'not a tag', 'pt'])).toEqual({ catalog: 'pt-BR', locale: 'pt' });
    expect(pickLanguage(['zh-HK'])).toEqual({ catalog: 'zh-TW', locale: 'zh-HK' });
    expect(pickLanguage(['en-GB', 'de'])).toEqual({ catalog: 'en', locale: 'en-GB' });
    expect(pickLanguage([])).toEqual({ catalog: 'en', locale: 'en' });
  });

  it('shows German labels, plurals, dates and the title in German', async () => {
    const i18n = await loadI18n(['de-DE', 'en']);
    expect(i18n.catalog).toBe('de');
    const { user, title } = renderApp({ i18n });
    const shell = (await screen.findByRole('heading', { level: 1, name: 'Ausstehend' })).closest('.adm-shell')!;
    expect(shell.getAttribute('lang')).toBe('de-DE');
    expect(shell.getAttribute('dir')).toBe('ltr');
    expect(screen.getByRole('link', { name: 'Alle Kommentare' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Abmelden' })).toBeTruthy();
    await waitFor(() => expect(title()).toBe('(3) Confab-Moderation'));
    const ann = await screen.findByRole('article', { name: /^Ann/ });
    expect(within(ann).getByRole('button', { name: 'Freigeben' })).toBeTruthy();
    expect(within(ann).getByText('Zurückgehalten: zu viele Links')).toBeTruthy();
    // 14 March 2026 in German: 14.03.2026.
    expect(within(ann).getByText(/^14\.03\.2026/)).toBeTruthy();

    await user.click(screen.getByRole('checkbox', { name: 'Kommentar von Ann auswählen' }));
    await user.click(screen.getByRole('button', { name: 'Auswahl löschen' }));
    expect(await screen.findByRole('alertdialog', { name: /^1 Kommentar löschen\?/ })).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Abbrechen' }));
    await user.click(screen.getByRole('checkbox', { name: 'Kommentar von Bo auswählen' }));
    await user.click(screen.getByRole('button', { name: 'Auswahl löschen' }));
    expect(await screen.findByRole('alertdialog', { name: /^2 Kommentare löschen\?/ })).toBeTruthy();
  });

  it('words the reports and the keyboard help in German', async () => {
    const { user } = renderApp({ i18n: await loadI18n(['de']), hash: '#/reported' });
    const dana = await screen.findByRole('article', { name: /^Dana/ });
    expect(within(dana).getByText('3-mal gemeldet: Beleidigung 2, themenfremd 1')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Tastenkürzel' }));
    const help = screen.getByRole('dialog', { name: 'Tastenkürzel' });
    expect(within(help).getByText('Kommentar freigeben')).toBeTruthy();
  });

  it('lays out Arabic right to left', async () => {
    const i18n = await loadI18n(['ar-EG']);
    expect(i18n.dir).toBe('rtl');
    renderApp({ i18n });
    const shell = (await screen.findByRole('navigation')).closest('.adm-shell')!;
    expect(shell.getAttribute('dir')).toBe('rtl');
    expect(shell.getAttribute('lang')).toBe('ar-EG');
    // The sign-in screen too.
    renderApp({ i18n: await loadI18n(['ar']), signedIn: null });
    const main = await screen.findByRole('main', { name: i18n.t('app.title') });
    expect(main.getAttribute('dir')).toBe('rtl');
  });

  it('falls back to English without a request for a language without a catalog', async () => {
    const load = vi.fn(async () => ({}));
    const i18n = await loadI18n(['tlh', 'xx-YY'], load);
    expect(load).not.toHaveBeenCalled();
    expect(i18n.catalog).toBe('en');
    expect(await loadI18n(['en-GB', 'de'], load)).toMatchObject({ catalog: 'en', locale: 'en-GB', dir: 'ltr' });
    expect(await loadI18n([], load)).toBe(ENGLISH);
    expect(load).not.toHaveBeenCalled();
    const { server } = renderApp({ i18n });
    expect(await screen.findByRole('heading', { level: 1, name: 'Pending' })).toBeTruthy();
    // Only the API was asked for anything.
    expect(server.requests.every((request) => !/locales|\.json/.test(request.path))).toBe(true);
  });

  it("words the server's refusal by its reason in German: a moderator who exists", async () => {
    const i18n = await loadI18n(['de']);
    const { user } = renderApp({ i18n, hash: '#/moderators' });
    await user.type(await screen.findByLabelText('E-Mail'), 'mo@example.com');
    await user.click(screen.getByRole('button', { name: 'Hinzufügen' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Es gibt schon einen Moderator mit dieser E-Mail-Adresse.');
  });

  it('words a rate-limited sign-in in German', async () => {
    const { user, server } = renderApp({ i18n: await loadI18n(['de']), signedIn: null });
    server.failNext(/POST \/session/, {
      status: 429,
      body: { error: { code: 'rate_limited', reason: 'sign-in-limit', message: 'Too many failed sign-ins; try again later' } },
    });
    await user.type(await screen.findByLabelText('E-Mail'), ACCOUNT.email);
    await user.type(screen.getByLabelText('Passwort'), ACCOUNT.password);
    await user.click(screen.getByRole('button', { name: 'Anmelden' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'Zu viele fehlgeschlagene Anmeldungen. Warten Sie ein paar Minuten und versuchen Sie es dann noch einmal.',
    );
  });

  it("shows a known reason's words next to the field too, with the language's numbers", async () => {
    const i18n = await loadI18n(['de']);
    const { user, server } = renderApp({ i18n, signedIn: null, hash: `#set-password=${INVITATION}` });
    server.failNext(/POST \/password/, {
      status: 400,
      body: {
        error: {
          code: 'invalid',
          reason: 'password-length',
          message: 'The password must be 10 to 200 characters long',
          fields: { password: 'The password must be 10 to 200 characters long' },
        },
      },
    });
    await user.type(await screen.findByLabelText('Neues Passwort'), 'a long enough password');
    await user.type(screen.getByLabelText('Passwort wiederholen'), 'a long enough password');
    await user.click(screen.getByRole('button', { name: 'Passwort festlegen' }));
    const german = 'Das Passwort muss 10 bis 200 Zeichen lang sein.';
    expect((await screen.findByRole('alert')).textContent).toBe(german);
    expect(screen.getByLabelText('Neues Passwort').getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById('new-password-error')!.textContent).toBe(german);
    // 10000 is written as German writes it.
    const api = createApi({
      t: i18n.t,
      fetch: async () =>
        new Response(
          JSON.stringify({ error: { code: 'invalid', reason: 'body-too-long', message: 'Some fields are not valid' } }),
          {
            status: 400,
          },
        ),
    });
    await expect(api.counts()).rejects.toMatchObject({ message: 'Der Text ist zu lang: höchstens 10.000 Zeichen.' });
  });

  it("falls back to the server's English message for a reason it does not know", async () => {
    const i18n = await loadI18n(['de']);
    const answer = (error: object) => async () => new Response(JSON.stringify({ error }), { status: 409 });
    const unknown = createApi({
      t: i18n.t,
      fetch: answer({
        code: 'conflict',
        reason: 'a-reason-from-a-newer-server',
        message: 'A newer refusal',
        fields: { x: 'Bad x' },
      }),
    });
    await expect(unknown.counts()).rejects.toMatchObject({
      status: 409,
      code: 'conflict',
      reason: 'a-reason-from-a-newer-server',
      message: 'A newer refusal',
      fields: { x: 'Bad x' },
    });
    // No reason at all: the message as sent; no message: the status's words, in German.
    await expect(createApi({ t: i18n.t, fetch: answer({ code: 'conflict', message: 'Plain' }) }).counts()).rejects.toMatchObject({
      message: 'Plain',
    });
    await expect(createApi({ t: i18n.t, fetch: async () => new Response('', { status: 409 }) }).counts()).rejects.toMatchObject({
      message: i18n.t('error.409'),
    });
    expect(i18n.t('error.409')).not.toBe(ENGLISH.t('error.409'));
  });

  it('stays in English when its catalog cannot be loaded', async () => {
    const i18n = await loadI18n(['de'], async () => Promise.reject(new TypeError('Failed to fetch')));
    expect(i18n).toMatchObject({ catalog: 'en', locale: 'de', dir: 'ltr' });
    expect(i18n.t('view.pending')).toBe('Pending');
  });
});
