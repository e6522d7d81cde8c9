// Writes each src/i18n/locales/<tag>.json (`de`, `pt-BR`) as dist/locales/<tag>.js (ESM, for
// bundlers: `import ptBR from 'confab/locales/pt-BR'`), <tag>.d.ts, and <tag>.iife.js (for
// script-tag pages, loaded on demand by confab.iife.js from its own folder).
//
// The .iife.js file holds the strings of the English keys (src/i18n/en.ts) in their order, the
// other keys' (the parts': report dialog, edit form, sign-in) by name, and registers a function
// that the widget calls with its keys (src/i18n/registry.ts): without the key names a file is
// about 600 bytes gzip smaller. A widget of another version (another number of keys) gets only
// the named strings, never one in the wrong place. Needs dist/i18n/en.js, written by `vite build`
// before this runs.
//
// The `mail.*` keys (the server's emails and the pages their links open, read by confab-server:
// server/scripts/copy-widget.mjs) and the `admin.*` keys (the moderation dashboard's, which its
// own build reads: server/admin/vite.config.ts) are left out of both: no reader's browser uses them.
//
// The keys of the parts loaded on demand (the writing half, the report dialog, the edit form,
// the sign-in views: their en* objects in src/ui/) are left out of <tag>.iife.js too: each part's
// go to <tag>-<part>.iife.js, which the script tag loads with that part (src/ui/load-part.ts,
// loadPartWords). A reader who never opens a part does not download its words. The ESM <tag>.js
// keeps every key.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const source = new URL('../src/i18n/locales/', import.meta.url);
const target = new URL('../dist/locales/', import.meta.url);

/** The catalogs' tags, from the file names. */
export function catalogTags() {
  return readdirSync(source)
    .filter((name) => name.endsWith('.json'))
    .map((name) => name.replace(/\.json$/, ''))
    .sort();
}

/** The key prefixes of the catalogs' strings that are not the widget's: the emails', the dashboard's. */
const NOT_THE_WIDGETS = ['mail.', 'admin.'];

/** A catalog's strings for the widget: all but the server's (`mail.*`) and the dashboard's (`admin.*`). */
export function widgetMessages(messages) {
  return Object.fromEntries(
    Object.entries(messages).filter(([key]) => !NOT_THE_WIDGETS.some((prefix) => key.startsWith(prefix))),
  );
}

/** A catalog's strings for the moderation dashboard: only its `admin.*` keys. */
export function dashboardMessages(messages) {
  return Object.fromEntries(Object.entries(messages).filter(([key]) => key.startsWith('admin.')));
}

/** The script-tag file of one catalog: `keys` are the English keys in their order (Object.keys(en)). */
export function localeScript(tag, catalog, keys) {
  const messages = widgetMessages(catalog);
  const rest = Object.fromEntries(Object.entries(messages).filter(([key]) => !keys.includes(key)));
  const values = JSON.stringify(keys.map((key) => messages[key] ?? null));
  return (
    `(function(){var t=globalThis.ConfabLocales||(globalThis.ConfabLocales={}),v=${values},r=${JSON.stringify(rest)};` +
    `t[${JSON.stringify(tag)}]=function(k){var m={},i;if(k.length===v.length)for(i=0;i<k.length;i++)if(v[i]!==null)m[k[i]]=v[i];` +
    `for(i in r)m[i]=r[i];return m}})();\n`
  );
}

/** The parts whose words load with them, and the module (in dist/) that holds their English. */
export const PART_WORDS = [
  ['write', 'ui/WriteForm.js', 'enWrite'],
  ['report', 'ui/ReportDialog.js', 'enReport'],
  ['edit', 'ui/EditForm.js', 'enEdit'],
  ['signin', 'ui/SignIn.js', 'enSignIn'],
];

/**
 * A part's words in one catalog, `<tag>-<part>.iife.js`: added to `ConfabLocales['<tag>-parts']`,
 * where the widget's translator looks for a key its catalog does not have (src/i18n/translate.ts).
 */
export function partWordsScript(tag, words) {
  return (
    `(function(){var t=globalThis.ConfabLocales||(globalThis.ConfabLocales={}),k=${JSON.stringify(`${tag}-parts`)};` +
    `Object.assign(t[k]||(t[k]={}),${JSON.stringify(words)})})();\n`
  );
}

/** `messages` split by `keys`: [those without them, those of them]. */
export function splitMessages(messages, keys) {
  const entries = Object.entries(messages);
  return [
    Object.fromEntries(entries.filter(([key]) => !keys.includes(key))),
    Object.fromEntries(entries.filter(([key]) => keys.includes(key))),
  ];
}

async function main() {
  const { en } = await import(new URL('../dist/i18n/en.js', import.meta.url).href);
  const parts = [];
  for (const [part, file, name] of PART_WORDS) {
    const module = await import(new URL(`../dist/${file}`, import.meta.url).href);
    parts.push([part, Object.keys(module[name])]);
  }
  const keys = Object.keys(en);
  mkdirSync(target, { recursive: true });
  for (const tag of catalogTags()) {
    const parsed = widgetMessages(JSON.parse(readFileSync(new URL(`${tag}.json`, source), 'utf8')));
    let first = parsed;
    for (const [part, partKeys] of parts) {
      const [rest, words] = splitMessages(first, partKeys);
      first = rest;
      const script = partWordsScript(tag, words);
      writeFileSync(new URL(`${tag}-${part}.iife.js`, target), script);
      console.log(
        `dist/locales/${tag}-${part}.iife.js  ${Buffer.byteLength(script)} B, ${gzipSync(script, { level: 9 }).length} B gzip`,
      );
    }
    const iife = localeScript(tag, first, keys);
    writeFileSync(new URL(`${tag}.js`, target), `export default ${JSON.stringify(parsed)};\n`);
    writeFileSync(
      new URL(`${tag}.d.ts`, target),
      `declare const messages: import('../types/i18n/en').Messages;\nexport default messages;\n`,
    );
    writeFileSync(new URL(`${tag}.iife.js`, target), iife);
    console.log(`dist/locales/${tag}.iife.js  ${Buffer.byteLength(iife)} B, ${gzipSync(iife, { level: 9 }).length} B gzip`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
