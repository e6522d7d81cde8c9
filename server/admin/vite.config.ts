// The moderation dashboard (served by confab-server at /admin/): its own app build, never part of
// the widget's bundles. `vite build --config admin/vite.config.ts` (server/package.json's build)
// writes server/dist/admin/index.html and hashed assets. No inline script or style anywhere:
// the server sends a CSP of default-src 'self' without 'unsafe-inline'.
//
// Its words in other languages are the widget's catalogs' `admin.*` keys (server/admin/src/i18n/i18n.ts
// imports each catalog on demand): a pre plugin gives Vite each catalog with only those keys
// (scripts/build-locales.mjs' dashboardMessages), so each language is one small chunk of its own,
// fetched from /admin/assets/ ('self' in the CSP) only by a browser in that language.
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { dashboardMessages } from '../../scripts/build-locales.mjs';

function dashboardCatalogs(): Plugin {
  return {
    name: 'confab:dashboard-catalogs',
    enforce: 'pre',
    transform: {
      filter: { id: /\/src\/i18n\/locales\/[^/]+\.json$/ },
      handler: (code) => ({ code: JSON.stringify(dashboardMessages(JSON.parse(code))), map: null }),
    },
  };
}

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/admin/',
  plugins: [dashboardCatalogs()],
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: fileURLToPath(new URL('../dist/admin', import.meta.url)),
    emptyOutDir: true,
    target: 'baseline-widely-available',
    // The polyfill would be an inline script in older Vite versions; modern browsers need none.
    modulePreload: { polyfill: false },
    // Vite never inlines scripts, but it inlines small assets as data: URLs; keep every asset a file.
    assetsInlineLimit: 0,
    // No source maps in the package, as for the widget's files the server ships (copy-widget.mjs).
    sourcemap: false,
  },
});
