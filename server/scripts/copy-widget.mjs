// Copies the widget's built files (../dist: the script-tag bundles and their locales, and the
// server rendering ssr.js) into widget/, which the package ships and the server serves, with the
// widget's version in widget/manifest.json for the versioned path /widget/<version>/.
//
// The emails' and their pages' words come from the widget's catalogs too (their `mail.*` keys,
// which the widget's own locale files leave out): widget/mail-messages.json holds them for every
// catalog but English (whose words are the server's, src/mail-messages.ts), keyed by catalog tag
// and without the `mail.` prefix, and widget/negotiate.js is the widget's rule for which catalog
// a tag reads (../src/i18n/negotiate.ts, as built). The server reads both at start
// (src/mail-messages.ts), never the repository's sources. Likewise widget/dashboard-page.json: the
// two `admin.*` strings of the dashboard's page before its script runs (src/dashboard-files.ts).
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const from = join(root, 'dist');
const to = fileURLToPath(new URL('../widget', import.meta.url));
// Not the source maps: megabytes no reader's browser asks for.
const bundle = /^[A-Za-z0-9-]+\.iife\.js$/;

if (!existsSync(join(from, 'confab.iife.js'))) {
  console.error('dist/confab.iife.js is missing: build the widget first (npm run build in the repository root)');
  process.exit(1);
}
rmSync(to, { recursive: true, force: true });
mkdirSync(join(to, 'locales'), { recursive: true });
for (const name of readdirSync(from).filter((n) => bundle.test(n))) cpSync(join(from, name), join(to, name));
for (const name of readdirSync(join(from, 'locales')).filter((n) => bundle.test(n))) {
  cpSync(join(from, 'locales', name), join(to, 'locales', name));
}
// The server rendering (confab/ssr) for GET /api/threads/{thread}/html: imported, never served.
if (existsSync(join(from, 'ssr.js'))) cpSync(join(from, 'ssr.js'), join(to, 'ssr.js'));
// The emails' words, and the widget's negotiation (a module without imports).
const catalogs = join(root, 'src', 'i18n', 'locales');
const mail = {};
for (const name of readdirSync(catalogs)
  .filter((n) => n.endsWith('.json'))
  .sort()) {
  const messages = JSON.parse(readFileSync(join(catalogs, name), 'utf8'));
  mail[name.replace(/\.json$/, '')] = Object.fromEntries(
    Object.entries(messages)
      .filter(([key]) => key.startsWith('mail.'))
      .map(([key, value]) => [key.slice('mail.'.length), value]),
  );
}
writeFileSync(join(to, 'mail-messages.json'), `${JSON.stringify(mail)}\n`);
// The dashboard page's words before any script (its <title> and <noscript> line, in the language
// of the browser's Accept-Language: src/dashboard-files.ts), and none of the dashboard's others.
const PAGE_KEYS = ['app.title', 'page.noscript'];
const page = {};
for (const name of readdirSync(catalogs)
  .filter((n) => n.endsWith('.json'))
  .sort()) {
  const messages = JSON.parse(readFileSync(join(catalogs, name), 'utf8'));
  page[name.replace(/\.json$/, '')] = Object.fromEntries(
    PAGE_KEYS.filter((key) => typeof messages[`admin.${key}`] === 'string').map((key) => [key, messages[`admin.${key}`]]),
  );
}
writeFileSync(join(to, 'dashboard-page.json'), `${JSON.stringify(page)}\n`);
// Without its source map comment: the map stays behind, as the bundles' do.
writeFileSync(
  join(to, 'negotiate.js'),
  readFileSync(join(from, 'i18n', 'negotiate.js'), 'utf8').replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n'),
);
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
writeFileSync(join(to, 'manifest.json'), `${JSON.stringify({ version }, null, 2)}\n`);
console.log(`widget ${version} copied into server/widget/`);
