// Every catalog (src/i18n/locales/<tag>.json) against English: the same keys (the first load's,
// those of the parts loaded on demand, the server's emails' `mail.*` and the moderation
// dashboard's `admin.*`), the plural categories
// its language uses, the same {placeholders}; and negotiation: which catalog a page's tag reads.
import { describe, expect, it } from 'vitest';
import { en } from '../../src/i18n/en';
import { catalogOf, registeredMessages, registerLocale } from '../../src/i18n/registry';
import { directionOf } from '../../src/i18n/messages-and-direction';
import { createTranslator } from '../../src/i18n/translate';
import { enReport } from '../../src/ui/ReportDialog';
import { enEdit } from '../../src/ui/EditForm';
import { enWrite } from '../../src/ui/WriteForm';
import { enFold } from '../../src/ui/fold';
import { enSignIn } from '../../src/ui/SignIn';
import { enSsr } from '../../src/ssr-strings';
import { dashboardMessages, localeScript, widgetMessages } from '../../scripts/build-locales.mjs';
import { en as mailEn } from '../../server/src/mail-en';
import { en as adminEn } from '../../server/admin/src/i18n/en';

type Entry = string | Record<string, string>;
const files = import.meta.glob<Record<string, Entry>>('../../src/i18n/locales/*.json', { eager: true, import: 'default' });
const catalogs = Object.entries(files)
  .map(
    ([path, messages]) =>
      [
        path
          .split('/')
          .pop()!
          .replace(/\.json$/, ''),
        messages,
      ] as const,
  )
  .sort(([a], [b]) => (a < b ? -1 : 1));
/** The server's English for its emails and their pages, under the catalogs' keys (`mail.confirm.subject`). */
const enMail = Object.fromEntries(Object.entries(mailEn).map(([key, value]) => [`mail.${key}`, value as Entry]));
/** The dashboard's English, under the catalogs' keys (`admin.nav.label`). */
const enAdmin = Object.fromEntries(Object.entries(adminEn).map(([key, value]) => [`admin.${key}`, value as Entry]));
/** All of English: the first load's strings, those that come with the parts, the emails' and the dashboard's. */
const english: Record<string, Entry> = {
  ...en,
  ...enReport,
  ...enEdit,
  ...enWrite,
  ...enFold,
  ...enSignIn,
  ...enSsr,
  ...enMail,
  ...enAdmin,
};

/** Counts that may be negative: their plural forms always show the number. */
const SIGNED = ['comment.score'];
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!).sort();
const unique = (names: string[]) => [...new Set(names)].sort();
/** The whole numbers (of 0-1,000 and some large ones) a plural category stands for in `tag`. */
function numbersOf(tag: string, category: string): number[] {
  const rules = new Intl.PluralRules(tag);
  const numbers = [...Array(1001).keys(), 10_000, 100_000, 1_000_000, 2_000_000, 1_000_000_000];
  return numbers.filter((n) => rules.select(n) === category);
}

describe('the catalogs', () => {
  it('are the languages of issue 21 so far, each file named by its canonical tag', () => {
    const tags = catalogs.map(([tag]) => tag);
    expect(tags).toEqual(
      expect.arrayContaining([
        'ar',
        'de',
        'es',
        'fr',
        'ru',
        'zh',
        'ja',
        'ko',
        'it',
        'nl',
        'pt-BR',
        'pt-PT',
        'pl',
        'uk',
        'tr',
        'zh-TW',
      ]),
    );
    for (const tag of tags) {
      expect(Intl.getCanonicalLocales(tag)[0], `${tag}.json`).toBe(tag);
      // A catalog no tag would read is a file nobody gets.
      expect(catalogOf(tag), `${tag}.json`).toBe(tag);
    }
  });

  describe.each(catalogs)('%s', (tag, messages) => {
    it('has exactly the English keys, those of the parts loaded on demand included', () => {
      const keys = Object.keys(messages).sort();
      const expected = Object.keys(english).sort();
      expect(
        keys.filter((key) => !(key in english)),
        'keys English does not have',
      ).toEqual([]);
      expect(
        expected.filter((key) => !(key in messages)),
        'English keys missing',
      ).toEqual([]);
    });

    it('has a string where English has one and plural forms where English has them', () => {
      for (const [key, value] of Object.entries(messages)) {
        if (!(key in english)) continue;
        expect(typeof value, key).toBe(typeof english[key]);
        const texts = typeof value === 'string' ? [value] : Object.values(value);
        for (const text of texts) expect(typeof text === 'string' && text.trim() !== '', `${key}: empty`).toBe(true);
      }
    });

    it(`has every plural category of its language (Intl.PluralRules('${tag}')), and no other`, () => {
      const categories = [...new Intl.PluralRules(tag).resolvedOptions().pluralCategories].sort();
      for (const [key, value] of Object.entries(messages)) {
        if (typeof value === 'object') expect(Object.keys(value).sort(), key).toEqual(categories);
      }
    });

    it('has the {placeholders} of English, no more and no fewer', () => {
      for (const [key, value] of Object.entries(messages)) {
        const source = english[key];
        if (source === undefined) continue;
        const wanted = unique(typeof source === 'string' ? placeholders(source) : Object.values(source).flatMap(placeholders));
        if (typeof value === 'string') {
          expect(placeholders(value), key).toEqual(wanted);
          continue;
        }
        for (const [category, text] of Object.entries(value)) {
          // "تعليق واحد" (one comment) needs no number: only where the form stands for one number,
          // and not for a score, which may be below zero (-1 is "one" too).
          const optional = numbersOf(tag, category).length === 1 && !SIGNED.includes(key) ? ['count'] : [];
          const found = placeholders(text);
          expect(unique(found), `${key}.${category}: placeholders English does not have`).toEqual(
            unique(found.filter((name) => wanted.includes(name))),
          );
          expect(
            wanted.filter((name) => !found.includes(name) && !optional.includes(name)),
            `${key}.${category}: placeholders missing`,
          ).toEqual([]);
        }
      }
    });

    it('reads the same through its script-tag file (strings by position, no key names), without the emails’ and the dashboard’s strings', () => {
      const table = (globalThis.ConfabLocales ||= Object.create(null) as NonNullable<typeof globalThis.ConfabLocales>);
      const saved = table[tag];
      const widget = widgetMessages(messages) as Record<string, Entry>;
      const server = (key: string) => key.startsWith('mail.') || key.startsWith('admin.');
      expect(Object.keys(widget).some(server)).toBe(false);
      expect(Object.keys(widget)).toHaveLength(Object.keys(messages).filter((key) => !server(key)).length);
      expect(localeScript(tag, messages, Object.keys(en))).not.toMatch(/"(?:mail|admin)\./);
      // The dashboard's build keeps only its own (server/admin/vite.config.ts).
      expect(Object.keys(dashboardMessages(messages)).every((key) => key.startsWith('admin.'))).toBe(true);
      try {
        new Function(localeScript(tag, messages, Object.keys(en)))();
        expect(registeredMessages(tag)).toEqual(widget);
        // A widget of another version (other keys) gets only the strings named in the file.
        new Function(localeScript(tag, messages, Object.keys(en)))();
        const other = (table[tag] as (keys: string[]) => Record<string, Entry>)(Object.keys(en).slice(1));
        expect(Object.keys(other).sort()).toEqual(
          Object.keys(widget)
            .filter((key) => !(key in en))
            .sort(),
        );
      } finally {
        if (saved) table[tag] = saved;
        else delete table[tag];
      }
    });
  });
});

describe('negotiation: the catalog a tag reads', () => {
  it.each([
    ['de', 'de'],
    ['de-AT', 'de'],
    ['fr-CA', 'fr'],
    ['pt-BR', 'pt-BR'],
    ['pt', 'pt-BR'],
    ['pt-PT', 'pt-PT'],
    ['pt-AO', 'pt-PT'],
    ['pt-MZ', 'pt-PT'],
    ['zh', 'zh'],
    ['zh-CN', 'zh'],
    ['zh-SG', 'zh'],
    ['zh-Hans', 'zh'],
    ['zh-Hans-TW', 'zh'],
    ['zh-TW', 'zh-TW'],
    ['zh-Hant', 'zh-TW'],
    ['zh-HK', 'zh-TW'],
    ['zh-MO', 'zh-TW'],
    ['zh-Hant-HK', 'zh-TW'],
    ['iw', 'he'],
    ['in', 'id'],
    ['cmn', 'zh'],
    ['sr-Latn', 'sr'],
    ['und', 'en'],
    ['und-Hant', 'zh-TW'],
    ['und-BR', 'pt-BR'],
    ['und-IL', 'he'],
    ['EN-us', 'en'],
    ['en', 'en'],
    ['', 'en'],
    ['not a tag', 'en'],
    ['en_US', 'en'],
    ['zh-US', 'zh-TW'],
    ['pt-Latn', 'pt-BR'],
    ['de-u-nu-arab', 'de'],
  ])('%s → %s', (tag, catalog) => {
    expect(catalogOf(tag)).toBe(catalog);
  });

  // catalogOf() maximizes only Chinese and `und` tags (the rest read the tag as written, much
  // cheaper in a browser): the same answer as making every tag explicit, for every language
  // Intl knows in every region of the catalogs' languages.
  it('reads every tag as its made-explicit form would', () => {
    const explicit = (tag: string) => {
      const { language, script, region } = new Intl.Locale(tag).maximize();
      return language === 'zh' && script === 'Hant'
        ? 'zh-TW'
        : language === 'pt'
          ? `pt-${region === 'BR' ? 'BR' : 'PT'}`
          : language;
    };
    const regions = [
      'US',
      'GB',
      'BR',
      'PT',
      'AO',
      'TW',
      'HK',
      'MO',
      'CN',
      'SG',
      'MY',
      'IN',
      'IL',
      'IR',
      'AF',
      'CA',
      'CH',
      'RS',
      'BA',
    ];
    const languages = [
      ...new Set([
        ...Intl.DateTimeFormat.supportedLocalesOf(
          Intl.getCanonicalLocales([
            'ar',
            'bg',
            'bn',
            'ca',
            'cs',
            'da',
            'de',
            'el',
            'en',
            'es',
            'et',
            'eu',
            'fa',
            'fi',
            'fil',
            'fr',
            'gl',
            'he',
            'hi',
            'hr',
            'hu',
            'id',
            'it',
            'ja',
            'ko',
            'lt',
            'lv',
            'mr',
            'ms',
            'nb',
            'nl',
            'pl',
            'pt',
            'ro',
            'ru',
            'sk',
            'sl',
            'sr',
            'sv',
            'sw',
            'ta',
            'th',
            'tr',
            'uk',
            'ur',
            'vi',
            'zh',
            'yue',
            'cmn',
            'iw',
            'in',
            'no',
            'tl',
            'mo',
            'sh',
          ]),
        ),
      ]),
    ];
    const valid = (tag: string) => {
      try {
        return !!new Intl.Locale(tag).maximize();
      } catch {
        return false;
      }
    };
    const tags = languages
      .flatMap((language) => [
        language,
        `${language}-Latn`,
        `${language}-Hant`,
        ...regions.map((region) => `${language}-${region}`),
      ])
      .filter(valid);
    expect(tags.length).toBeGreaterThan(1_000);
    const differ = tags
      .filter((tag) => catalogOf(tag) !== explicit(tag))
      .map((tag) => `${tag}: ${catalogOf(tag)} vs ${explicit(tag)}`);
    expect(differ).toEqual([]);
  });

  it('registers a catalog under the tag it is read by, and falls back to English while none is', () => {
    expect(registeredMessages('sv-SE')).toBeNull();
    registerLocale('sv-FI', { 'thread.label': 'Kommentarer' });
    try {
      expect(registeredMessages('sv')).toEqual({ 'thread.label': 'Kommentarer' });
      expect(createTranslator('sv-SE', registeredMessages('sv-SE')!)('thread.label')).toBe('Kommentarer');
    } finally {
      delete globalThis.ConfabLocales!.sv;
    }
    expect(registeredMessages('en-GB')).toEqual({});
    expect(createTranslator('sv', registeredMessages('sv') ?? {})('thread.label')).toBe('Comments');
  });

  it('lays out Arabic, Hebrew, Persian and Urdu right to left', () => {
    for (const tag of ['ar', 'ar-EG', 'he', 'iw', 'fa', 'fa-AF', 'ur', 'ur-IN']) expect(directionOf(tag), tag).toBe('rtl');
    for (const tag of ['en', 'de', 'zh-TW', 'pt-BR', 'ja', 'tr', '']) expect(directionOf(tag), tag).toBe('ltr');
  });
});
