// Writes each src/i18n/locales/<lang>.json as dist/locales/<lang>.js (ESM, for bundlers:
// `import de from 'confab/locales/de'`), <lang>.d.ts, and <lang>.iife.js (for script-tag pages,
// loaded on demand by confab.iife.js from its own folder).
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const source = new URL('../src/i18n/locales/', import.meta.url);
const target = new URL('../dist/locales/', import.meta.url);
mkdirSync(target, { recursive: true });

for (const file of readdirSync(source)
  .filter((name) => name.endsWith('.json'))
  .sort()) {
  const language = file.replace(/\.json$/, '');
  const messages = JSON.stringify(JSON.parse(readFileSync(new URL(file, source), 'utf8')));
  const iife = `(function(){var t=globalThis.ConfabLocales||(globalThis.ConfabLocales={});t[${JSON.stringify(language)}]=${messages}})();\n`;
  writeFileSync(new URL(`${language}.js`, target), `export default ${messages};\n`);
  writeFileSync(
    new URL(`${language}.d.ts`, target),
    `declare const messages: import('../types/i18n/en').Messages;\nexport default messages;\n`,
  );
  writeFileSync(new URL(`${language}.iife.js`, target), iife);
  console.log(`dist/locales/${language}.iife.js  ${iife.length} B, ${gzipSync(iife, { level: 9 }).length} B gzip`);
}
