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
// server/scripts/copy-widget.mjs) are left out of both: no browser uses them.
//
// The writing half's keys (src/ui/WriteForm.ts' enWrite: posting's errors, the counter, the
// formatting help) are left out of <tag>.iife.js too: they go to <tag>-write.iife.js, which the
// script tag loads with that part, on a form's first focus (src/ui/load-part.ts, loadPartWords).
// A reader who never writes does not download them. The ESM <tag>.js keeps every key.
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

/** A catalog's strings for the widget: all but the server's (`mail.*`). */
export function widgetMessages(messages) {
  return Object.fromEntries(Object.entries(messages).filter(([key]) => !key.startsWith('mail.')));
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

/** A part's words in one catalog, `<tag>-<part>.iife.js`: registered as `ConfabLocales['<tag>-<part>']`. */
export function partWordsScript(tag, part, words) {
  return (
    `(function(){var t=globalThis.ConfabLocales||(globalThis.ConfabLocales={});` +
    `t[${JSON.stringify(`${tag}-${part}`)}]=${JSON.stringify(words)}})();\n`
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
  const { enWrite } = await import(new URL('../dist/ui/WriteForm.js', import.meta.url).href);
  const keys = Object.keys(en);
  mkdirSync(target, { recursive: true });
  for (const tag of catalogTags()) {
    const parsed = widgetMessages(JSON.parse(readFileSync(new URL(`${tag}.json`, source), 'utf8')));
    const [first, writing] = splitMessages(parsed, Object.keys(enWrite));
    const iife = localeScript(tag, first, keys);
    const words = partWordsScript(tag, 'write', writing);
    writeFileSync(new URL(`${tag}-write.iife.js`, target), words);
    writeFileSync(new URL(`${tag}.js`, target), `export default ${JSON.stringify(parsed)};\n`);
    writeFileSync(
      new URL(`${tag}.d.ts`, target),
      `declare const messages: import('../types/i18n/en').Messages;\nexport default messages;\n`,
    );
    writeFileSync(new URL(`${tag}.iife.js`, target), iife);
    console.log(`dist/locales/${tag}.iife.js  ${Buffer.byteLength(iife)} B, ${gzipSync(iife, { level: 9 }).length} B gzip`);
    console.log(
      `dist/locales/${tag}-write.iife.js  ${Buffer.byteLength(words)} B, ${gzipSync(words, { level: 9 }).length} B gzip`,
    );
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
