// The words of the emails and of the pages their links open. English is the server's own (mail-en.ts);
// every other language comes from the widget's catalogs (src/i18n/locales/<tag>.json, their
// `mail.*` keys), in the same voice as the widget (Sie, vous, tú, вы), read at start from the
// package's widget/ folder: widget/mail-messages.json, each catalog's `mail.*` strings without the
// prefix, and widget/negotiate.js, the widget's rule for which catalog a tag reads (`pt` → pt-BR,
// `zh-HK` → zh-TW, `de-AT` → de), both written by scripts/copy-widget.mjs at build time. A
// string missing in a language falls back to English; without those files (the sources run
// before a build) every email is in English. {name}, {title} and {count} are filled in by
// mail-templates.ts, which escapes them; none of these strings holds HTML.
import { readFileSync } from 'node:fs';
import { en } from './mail-en.js';

/** Plural forms as Intl.PluralRules names them; `other` is always there. */
export type Plural = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };
export type MailStrings = typeof en;
export type MailStringKey = keyof MailStrings;
/** One language's strings, as its catalog has them (their keys without `mail.`). */
export type MailCatalog = Partial<Record<MailStringKey, string | Plural>>;
/** A catalog's tag: `en`, `de`, `pt-BR`, `zh-TW`… */
export type MailLocale = string;

/** English, the fallback of every other language: the catalogs' `mail.*` keys are these with the prefix. */
export const MAIL_EN: Readonly<Record<MailStringKey, string | Plural>> = en;

interface Negotiation {
  catalogOf(locale: string): string;
  directionOf(locale: string): 'ltr' | 'rtl';
}

/** The package's widget folder (next to src/ and dist/), where copy-widget.mjs writes the two files. */
const WIDGET = new URL('../widget/', import.meta.url);

async function load(): Promise<{ catalogs: Record<string, MailCatalog>; negotiation: Negotiation }> {
  let text: string;
  try {
    text = readFileSync(new URL('mail-messages.json', WIDGET), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    return { catalogs: {}, negotiation: { catalogOf: () => 'en', directionOf: () => 'ltr' } };
  }
  const catalogs = JSON.parse(text) as Record<string, MailCatalog>;
  delete catalogs.en;
  const negotiation = (await import(new URL('negotiate.js', WIDGET).href)) as Negotiation;
  return { catalogs, negotiation };
}

const { catalogs, negotiation } = await load();

/** The catalogs the server has besides English (all of the widget's after a build; none before). */
export const MAIL_LOCALES: readonly MailLocale[] = ['en', ...Object.keys(catalogs)].sort();

/** The catalog a language tag reads, by the widget's rule; English when the server has no such catalog. */
export function catalogFor(tag: string): MailLocale {
  const catalog = negotiation.catalogOf(tag);
  return Object.hasOwn(catalogs, catalog) ? catalog : 'en';
}

/** One catalog's strings: {} for English (MAIL_EN) and for a tag the server has no catalog for. */
export const stringsOf = (locale: MailLocale): MailCatalog => (Object.hasOwn(catalogs, locale) ? catalogs[locale]! : {});

/** Whether a catalog's language is written right to left (the widget's directionOf). */
export const isRtl = (locale: MailLocale): boolean => negotiation.directionOf(locale) === 'rtl';
