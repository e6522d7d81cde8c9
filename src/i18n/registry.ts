// Languages besides English are registered at run time, so a page pays only for the one it
// uses: a bundled app imports `confab/locales/<tag>`, a script-tag page gets
// `locales/<tag>.iife.js` loaded from next to confab.iife.js. The table is global so that a
// locale file may arrive before or after the widget's own script.
//
// A catalog is one file, src/i18n/locales/<tag>.json, named by its language (`de`) or, where
// one language has several, by language and region (`pt-BR`, `pt-PT`, `zh-TW`). catalogOf()
// picks the catalog for any tag a page gives.
import { en, type Messages } from './en';
import { catalogOf } from './negotiate';

/**
 * A catalog's strings: an object (`registerLocale`, a site's own), or as the script-tag files
 * carry them, a function from the English keys (Object.keys(en)) to that object: the file then
 * holds its strings in that order without the key names, about 600 bytes gzip less
 * (scripts/build-locales.mjs).
 */
type Entry = Messages | ((keys: string[]) => Messages);
type LocaleTable = Record<string, Entry>;

declare global {
  var ConfabLocales: LocaleTable | undefined;
}

/** A plain object is enough: no catalog name (`de`, `pt-BR`: catalogOf) is an Object.prototype name. */
function table(): LocaleTable {
  return (globalThis.ConfabLocales ||= {});
}

/** The catalog a language tag reads (negotiate.ts). */
export { catalogOf };

/** Registers the strings of the catalog `locale` reads (so `registerLocale('de-AT', …)` is German's). */
export function registerLocale(locale: string, messages: Messages): void {
  table()[catalogOf(locale)] = messages;
}

/** The strings for `locale`: {} for English (built in), null while not registered. */
export function registeredMessages(locale: string): Messages | null {
  const catalog = catalogOf(locale);
  if (catalog === 'en') return {};
  const locales = table();
  let entry = locales[catalog];
  if (typeof entry === 'function') locales[catalog] = entry = entry(Object.keys(en));
  return entry ?? null;
}
