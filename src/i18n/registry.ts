// Languages besides English are registered at run time, so a page pays only for the one it
// uses: a bundled app imports `confab/locales/<lang>`, a script-tag page gets
// `locales/<lang>.iife.js` loaded from next to confab.iife.js. The table is global so that a
// locale file may arrive before or after the widget's own script.
import type { Messages } from './en';

type LocaleTable = Record<string, Messages>;

declare global {
  var ConfabLocales: LocaleTable | undefined;
}

function table(): LocaleTable {
  return (globalThis.ConfabLocales ||= Object.create(null) as LocaleTable);
}

export const languageOf = (locale: string) => locale.toLowerCase().split('-')[0] || 'en';

export function registerLocale(language: string, messages: Messages): void {
  table()[languageOf(language)] = messages;
}

/** The strings for `locale`: {} for English (built in), null while not registered. */
export function registeredMessages(locale: string): Messages | null {
  const language = languageOf(locale);
  if (language === 'en') return {};
  const locales = table();
  return Object.hasOwn(locales, language) ? (locales[language] ?? null) : null;
}
