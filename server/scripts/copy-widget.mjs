// Copies the widget's built files (../dist: the script-tag bundles and their locales, and the
// server rendering ssr.js) into widget/, which the package ships and the server serves, with the
// widget's version in widget/manifest.json for the versioned path /widget/<version>/.
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
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
writeFileSync(join(to, 'manifest.json'), `${JSON.stringify({ version }, null, 2)}\n`);
console.log(`widget ${version} copied into server/widget/`);
