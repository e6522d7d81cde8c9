// The moderation dashboard (served by confab-server at /admin/): its own app build, never part of
// the widget's bundles. `vite build --config admin/vite.config.ts` (server/package.json's build)
// writes server/dist/admin/index.html and hashed assets. No inline script or style anywhere:
// the server sends a CSP of default-src 'self' without 'unsafe-inline'.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/admin/',
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
