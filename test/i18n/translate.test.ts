// Messages: plural forms, placeholders, and English for what a locale lacks.
import { describe, expect, it } from 'vitest';
import { createTranslator } from '../../src/i18n/translate';
import { enReport } from '../../src/ui/ReportDialog';
import { enEdit } from '../../src/ui/EditForm';
import { enSignIn } from '../../src/ui/SignIn';

describe('createTranslator', () => {
  const t = createTranslator('en');

  it('picks the English plural form by count', () => {
    expect(t('thread.heading', { count: 1 })).toBe('1 comment');
    expect(t('thread.heading', { count: 2 })).toBe('2 comments');
    expect(t('thread.heading', { count: 0 })).toBe('0 comments');
  });

  it('formats numbers for the locale', () => {
    expect(t('thread.heading', { count: 1234 })).toBe('1,234 comments');
  });

  // Small whole numbers are written without an Intl formatter in the languages whose digits are
  // ASCII everywhere (translate.ts): they must read exactly as Intl writes them, in every
  // catalog's language and in every region of it, and not where Intl writes other digits.
  it('writes every number as Intl.NumberFormat does, in every catalog language and region', () => {
    const catalogs = Object.keys(import.meta.glob('../../src/i18n/locales/*.json')).map((path) =>
      path.replace(/^.*\/|\.json$/g, ''),
    );
    expect(catalogs.length).toBeGreaterThan(40);
    const names = new Intl.DisplayNames(['en'], { type: 'region' });
    const regions: string[] = [];
    for (let a = 65; a < 91; a++)
      for (let b = 65; b < 91; b++) {
        const code = String.fromCharCode(a, b);
        if (names.of(code) !== code) regions.push(code);
      }
    expect(regions.length).toBeGreaterThan(200);
    const numbers = [0, 1, 7, 42, 999, 1000, 12345, -3, 2.5];
    const differ: string[] = [];
    let nonAscii = 0;
    for (const language of new Set(['en', ...catalogs.map((tag) => tag.split('-')[0]!)])) {
      for (const tag of [language, ...regions.map((region) => `${language}-${region}`), `${language}-u-nu-arab`]) {
        const written = createTranslator(tag, { 'thread.label': '{count}' } as never);
        const intl = new Intl.NumberFormat(tag);
        for (const count of numbers) {
          const text = written('thread.label', { count });
          if (text !== intl.format(count)) differ.push(`${tag} ${count}: ${text} vs ${intl.format(count)}`);
          if (!/^[\d,.\s-]*$/.test(intl.format(count))) nonAscii++;
        }
      }
    }
    expect(differ).toEqual([]);
    // The check means something: some of these tags write other digits (Persian, Bengali, -u-nu-arab…).
    expect(nonAscii).toBeGreaterThan(1000);
  });

  it('fills placeholders', () => {
    expect(t('comment.byline', { name: 'Ann' })).toBe('Comment by Ann');
    expect(t('error.http', { status: 502 })).toBe('The comment server had a problem (error 502).');
  });

  it('leaves a placeholder without a value as it is', () => {
    expect(t('comment.byline')).toBe('Comment by {name}');
  });

  it('does not read placeholders inside values', () => {
    expect(t('comment.byline', { name: '{name} <b>' })).toBe('Comment by {name} <b>');
  });

  it('uses the locale messages and falls back to English for a missing key', () => {
    const fr = createTranslator('fr', {
      'thread.label': 'Commentaires',
      'thread.heading': { one: '{count} commentaire', other: '{count} commentaires' },
    });
    expect(fr('thread.label')).toBe('Commentaires');
    expect(fr('thread.sort')).toBe('Sort comments');
    expect(fr('thread.heading', { count: 0 })).toBe('0 commentaire');
    expect(fr('thread.heading', { count: 2 })).toBe('2 commentaires');
  });

  it('uses plural rules of the locale, with "other" for forms the messages lack', () => {
    const pl = createTranslator('pl', {
      'thread.heading': { one: '{count} komentarz', few: '{count} komentarze', other: '{count} komentarzy' },
      'comment.score': { one: '{count} punkt', other: '{count} punktów' },
    });
    expect(pl('thread.heading', { count: 1 })).toBe('1 komentarz');
    expect(pl('thread.heading', { count: 3 })).toBe('3 komentarze');
    expect(pl('thread.heading', { count: 5 })).toBe('5 komentarzy');
    expect(pl('comment.score', { count: 3 })).toBe('3 punktów');
  });
});

describe('the moderation strings (issue 15)', () => {
  const locales = import.meta.glob<Record<string, unknown>>('../../src/i18n/locales/*.json', { eager: true, import: 'default' });
  const keys = [
    'comment.report',
    'comment.pinned',
    'comment.moderator',
    'thread.locked',
    'error.duplicate',
    'error.banned',
    ...Object.keys(enReport),
  ];

  it('are translated in every locale', () => {
    expect(Object.keys(locales).length).toBeGreaterThanOrEqual(6);
    for (const [file, messages] of Object.entries(locales)) {
      for (const key of keys) expect(typeof messages[key], `${file}: ${key}`).toBe('string');
    }
  });

  it('read a report key as empty without a translation, its English coming with the dialog', () => {
    expect(createTranslator('en')('report.title')).toBe('');
    expect(createTranslator('de', { 'report.title': 'Diesen Kommentar melden' })('report.title')).toBe('Diesen Kommentar melden');
  });
});

describe('the edit form strings', () => {
  const locales = import.meta.glob<Record<string, unknown>>('../../src/i18n/locales/*.json', { eager: true, import: 'default' });

  it('are translated in every locale, their English coming with the form (loaded on demand)', () => {
    expect(Object.keys(locales).length).toBeGreaterThanOrEqual(6);
    for (const [file, messages] of Object.entries(locales)) {
      for (const key of Object.keys(enEdit)) expect(typeof messages[key], `${file}: ${key}`).toBe('string');
    }
    expect(createTranslator('en')('comment.save')).toBe('');
    expect(createTranslator('en', { 'comment.save': 'Update' })('comment.save')).toBe('Update');
  });
});

describe('the sign-in strings', () => {
  const locales = import.meta.glob<Record<string, unknown>>('../../src/i18n/locales/*.json', { eager: true, import: 'default' });

  it('are translated in every locale, the views English coming with their part', () => {
    for (const [file, messages] of Object.entries(locales)) {
      for (const key of ['comment.verified', 'error.sso_expired', ...Object.keys(enSignIn)]) {
        expect(typeof messages[key], `${file}: ${key}`).toBe('string');
      }
      expect(messages['sso.signedInAs'], file).toContain('{name}');
    }
    expect(createTranslator('en')('sso.signIn')).toBe('');
  });

  it('finds a part’s words where its file put them, after the catalog and English', () => {
    const table = (globalThis.ConfabLocales ??= {});
    table['de-parts'] = {
      'report.title': 'Diesen Kommentar melden',
      'form.charsLeft': { one: 'Noch {count} Zeichen', other: 'Noch {count} Zeichen' },
    };
    try {
      const de = createTranslator('de-AT', { 'thread.label': 'Kommentare' });
      expect(de('report.title')).toBe('Diesen Kommentar melden');
      expect(de('form.charsLeft', { count: 3 })).toBe('Noch 3 Zeichen');
      expect(de('thread.label')).toBe('Kommentare');
      // A site's own words win; English keys are never looked up there.
      expect(createTranslator('de', { 'report.title': 'Melden!' })('report.title')).toBe('Melden!');
      expect(createTranslator('fr')('report.title')).toBe('');
    } finally {
      delete table['de-parts'];
    }
  });
});
