// The dashboard's language: English built in (./en.ts), every other language loaded on demand
// from the widget's catalogs (src/i18n/locales/<tag>.json, their `admin.*` keys), one small chunk
// per language (the build keeps only the `admin.*` keys of each file: admin/vite.config.ts). The
// browser's languages pick it, by the widget's rule (catalogOf: region, then language, then
// English): the first of navigator.languages with a catalog, English when none has one, and
// English asks for nothing. Dates, numbers and plurals go through Intl in that language.
import { createContext, type ComponentChild } from 'preact';
import { useContext } from 'preact/hooks';
import { catalogOf, directionOf } from '../../../../src/i18n/negotiate';
import { en } from './en';

/** Plural forms as Intl.PluralRules names them; `other` is always there. */
export type Plural = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };
export type AdminKey = keyof typeof en;
/** One language's strings: its catalog's `admin.*` keys without the prefix. */
export type AdminCatalog = Partial<Record<AdminKey, string | Plural>>;
export type Translate = (key: AdminKey, values?: Record<string, string | number>) => string;

export interface I18n {
  /** The tag dates and numbers are written in: the browser's own (`de-AT`), or `en`. */
  readonly locale: string;
  /** The catalog the strings come from (`de`, `pt-BR`, `en`). */
  readonly catalog: string;
  readonly dir: 'ltr' | 'rtl';
  readonly t: Translate;
  /** A string with elements for some placeholders (a link, a <time>): its pieces in order. */
  parts(key: AdminKey, values: Record<string, ComponentChild>): ComponentChild[];
  date(iso: string): string;
  number(n: number): string;
  /** "a, b" in the language's own way (a short list of units: "abuse 2, off-topic 1"). */
  list(items: string[]): string;
}

/** Each catalog's loader (its `admin.*` strings); a language is fetched only when it is picked. */
const CATALOGS = import.meta.glob<Record<string, unknown>>('../../../../src/i18n/locales/*.json', { import: 'default' });
const LOADERS: Record<string, () => Promise<Record<string, unknown>>> = Object.fromEntries(
  Object.entries(CATALOGS).map(([path, load]) => [path.replace(/^.*\/|\.json$/g, ''), load]),
);

/** The catalogs there are besides English. */
export const LANGUAGES: readonly string[] = Object.keys(LOADERS).sort();

/** A catalog's dashboard strings: its `admin.*` keys, without the prefix. */
export function adminStrings(messages: Record<string, unknown>): AdminCatalog {
  return Object.fromEntries(
    Object.entries(messages)
      .filter(([key]) => key.startsWith('admin.'))
      .map(([key, value]) => [key.slice('admin.'.length), value]),
  ) as AdminCatalog;
}

/**
 * The catalog and the locale for the browser's languages: the first with a catalog here (`de-AT`
 * reads `de`, `pt` reads `pt-BR`); English for an English tag, or when none has a catalog.
 */
export function pickLanguage(languages: readonly string[], has: (catalog: string) => boolean = (c) => c in LOADERS) {
  for (const tag of languages) {
    let locale: string;
    try {
      locale = Intl.getCanonicalLocales(tag)[0]!;
    } catch {
      continue;
    }
    const catalog = catalogOf(locale);
    if (catalog === 'en' || has(catalog)) return { catalog, locale };
  }
  return { catalog: 'en', locale: 'en' };
}

export function createI18n(locale: string, catalog: string, messages: AdminCatalog = {}): I18n {
  let plural: Intl.PluralRules | undefined;
  let numbers: Intl.NumberFormat | undefined;
  let dates: Intl.DateTimeFormat | undefined;
  let lists: Intl.ListFormat | undefined;
  const number = (n: number) => (numbers ??= new Intl.NumberFormat(locale)).format(n);
  const template = (key: AdminKey, count: unknown): string => {
    const entry = messages[key] ?? en[key];
    if (typeof entry === 'string') return entry;
    const forms = entry as Plural;
    return forms[(plural ??= new Intl.PluralRules(catalog)).select(Number(count ?? 0))] ?? forms.other;
  };
  function parts(key: AdminKey, values: Record<string, ComponentChild>): ComponentChild[] {
    // Alternately text and a placeholder's name.
    return template(key, values.count)
      .split(/\{(\w+)\}/)
      .map((piece, at) => {
        if (at % 2 === 0) return piece;
        const value = values[piece];
        return value === undefined ? `{${piece}}` : typeof value === 'number' ? number(value) : value;
      })
      .filter((piece) => piece !== '');
  }
  return {
    locale,
    catalog,
    dir: directionOf(catalog),
    t: (key, values = {}) => parts(key, values).join(''),
    parts,
    date(iso) {
      const date = new Date(iso);
      if (Number.isNaN(date.getTime())) return iso;
      return (dates ??= new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' })).format(date);
    },
    number,
    list: (items) => (lists ??= new Intl.ListFormat(locale, { type: 'unit', style: 'short' })).format(items),
  };
}

/** English: built in, nothing to load. */
export const ENGLISH: I18n = createI18n('en', 'en');

/**
 * The dashboard's language for the browser's `languages`: English at once (no request) when it
 * is English or none has a catalog; else that catalog's strings, fetched once. A catalog that
 * fails to load leaves the dashboard in English (in that locale's dates and numbers).
 */
export async function loadI18n(
  languages: readonly string[],
  load: (catalog: string) => Promise<Record<string, unknown>> = (catalog) => LOADERS[catalog]!(),
): Promise<I18n> {
  const { catalog, locale } = pickLanguage(languages);
  if (catalog === 'en') return locale === 'en' ? ENGLISH : createI18n(locale, 'en');
  try {
    return createI18n(locale, catalog, adminStrings(await load(catalog)));
  } catch {
    return createI18n(locale, 'en');
  }
}

/** A screen's lang and dir attributes: rtl for ar, he, fa and ur (the styles are logical: start, end). */
export const attributesOf = (i18n: I18n) => ({ lang: i18n.locale, dir: i18n.dir });

export const I18nContext = createContext<I18n>(ENGLISH);

/** The dashboard's language, in a component. */
export const useI18n = (): I18n => useContext(I18nContext);
