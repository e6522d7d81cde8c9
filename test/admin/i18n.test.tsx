// The dashboard in the browser's language: the catalogs' `admin.*` strings, loaded on demand, with
// plurals, dates and numbers of that language, right to left for Arabic, and English (asking for
// nothing) when no catalog fits.
import { describe, expect, it, vi } from 'vitest';
import { screen, waitFor, within } from '@testing-library/preact';
import { ENGLISH, LANGUAGES, loadI18n, pickLanguage } from '../../server/admin/src/i18n/i18n';
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

  it('stays in English when its catalog cannot be loaded', async () => {
    const i18n = await loadI18n(['de'], async () => Promise.reject(new TypeError('Failed to fetch')));
    expect(i18n).toMatchObject({ catalog: 'en', locale: 'de', dir: 'ltr' });
    expect(i18n.t('view.pending')).toBe('Pending');
  });
});
