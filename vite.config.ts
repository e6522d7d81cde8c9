/// <reference types="vitest/config" />
// Library builds (Vite allows one entry per IIFE build): `vite build` writes the ESM package
// (its entry and the server adapters, `confab/adapters/<server>`), `vite build --mode iife` the
// self-contained script-tag bundle, and with CONFAB_ADAPTER=<server> the same bundle with that
// one server's adapter (confab-<server>.iife.js): a page loads only the adapter it uses.
// CONFAB_PART=<part> builds confab-<part>.iife.js, code that script-tag bundles load on first
// use: the report dialog (first Report click), the edit form (first Edit click), the sign-in
// views (pages with the sso option), live updates (pages with live), the comment counts (pages
// with count elements), posting with votes, edits and deletes (a form's first focus, a pointer on
// a comment's actions) and the forms' writing half (a form's first focus), the adoption of the
// server's markup (pages that have it), the fold of a long comment (when one is drawn), what the
// comments' buttons and keys do (once the comments show). A part imports nothing: Preact comes
// from the bundle that opens it (see src/ui/load-part.ts).
import { defineConfig, type Plugin } from 'vite';
import { widgetMessages } from './scripts/build-locales.mjs';

const jsx = { runtime: 'automatic', importSource: 'preact' } as const;
export const ADAPTERS = ['remark42', 'isso', 'artalk', 'waline'] as const;
/** Each part's entry; its file sets globalThis.ConfabParts.<part> (read by src/ui/load-part.ts). */
const PARTS: Record<string, string> = {
  report: 'src/ui/ReportDialog.ts',
  edit: 'src/ui/EditForm.ts',
  signin: 'src/sign-in-part.ts',
  live: 'src/store/live-stream.ts',
  posting: 'src/store/posting.ts',
  write: 'src/ui/WriteForm.ts',
  counts: 'src/count-badges.ts',
  adopt: 'src/ui/adopt.ts',
  fold: 'src/ui/fold.ts',
  events: 'src/ui/comment-events.ts',
};

/**
 * `--mode ssr`: the catalogs src/ssr.tsx imports, as the widget has them (scripts/build-locales.mjs'
 * widgetMessages): without the server's emails' strings (`mail.*`, which confab-server's build reads
 * from the JSON files), 188 kB of a 556 kB dist/ssr.js otherwise, nor the moderation dashboard's
 * (`admin.*`, which the dashboard's own build reads: server/admin/vite.config.ts). Runs before Vite's JSON plugin,
 * so the strings are never in the bundle.
 */
function catalogsWithoutMail(): Plugin {
  return {
    name: 'confab:catalogs-without-mail',
    enforce: 'pre',
    transform: {
      filter: { id: /\/src\/i18n\/locales\/[^/]+\.json$/ },
      handler: (code) => ({ code: JSON.stringify(widgetMessages(JSON.parse(code))), map: null }),
    },
  };
}

export default defineConfig(({ mode }) => {
  const iife = mode === 'iife';
  // `vite build --mode ssr`: dist/ssr.js (`confab/ssr`), the server rendering, one file with
  // everything in it (Preact, signals, preact-render-to-string): the reference server imports it as is.
  const ssr = mode === 'ssr';
  const adapter = process.env.CONFAB_ADAPTER;
  const partName = process.env.CONFAB_PART;
  const part = iife && partName ? PARTS[partName] : undefined;
  if (adapter && !(ADAPTERS as readonly string[]).includes(adapter))
    throw new Error(`CONFAB_ADAPTER must be one of ${ADAPTERS.join(', ')}`);
  if (partName && !PARTS[partName]) throw new Error(`CONFAB_PART must be one of ${Object.keys(PARTS).join(', ')}`);
  return {
    oxc: { jsx },
    plugins: ssr ? [catalogsWithoutMail()] : [],
    build: {
      // Vite's default (Chrome/Edge 107, Firefox 104, Safari 16 and later). es2020 cost 0.8 kB
      // gzip of down-levelled syntax in the script-tag bundle for browsers older than those.
      target: 'baseline-widely-available',
      outDir: 'dist',
      emptyOutDir: !iife && !ssr,
      sourcemap: !ssr,
      lib: ssr
        ? { entry: 'src/ssr.tsx', formats: ['es'], fileName: () => 'ssr.js' }
        : part
          ? { entry: part, name: `ConfabParts.${partName}`, formats: ['iife'], fileName: () => `confab-${partName}.iife.js` }
          : iife
            ? {
                entry: adapter ? `src/embed-${adapter}.ts` : 'src/embed.ts',
                name: 'Confab',
                formats: ['iife'],
                fileName: () => (adapter ? `confab-${adapter}.iife.js` : 'confab.iife.js'),
              }
            : { entry: ['src/index.ts', ...ADAPTERS.map((name) => `src/adapters/${name}.ts`)], formats: ['es'] },
      // The npm build keeps one file per module, so a bundler drops the modules a page does not
      // use (the package says its ESM files have no side effects).
      rolldownOptions: ssr
        ? { output: { inlineDynamicImports: true } }
        : iife
          ? {}
          : {
              external: [/^preact(\/.*)?$/, /^@preact\/signals(-core)?(\/.*)?$/, /^ky$/],
              output: { preserveModules: true, preserveModulesRoot: 'src', entryFileNames: '[name].js' },
            },
    },
    test: {
      // Chromium tests load dist/, built by `npm test` before vitest starts.
      projects: [
        {
          extends: true,
          test: {
            name: 'unit',
            environment: 'happy-dom',
            include: ['test/**/*.test.{ts,tsx}'],
            exclude: ['test/e2e/**', 'test/server/**'],
            setupFiles: ['test/setup.ts', 'test/fixtures/fast-check-seed.ts'],
            testTimeout: 15_000,
            isolate: false,
          },
        },
        {
          extends: true,
          test: {
            // The reference server against PGlite and a throwaway PostgreSQL (globalSetup).
            name: 'server',
            environment: 'node',
            include: ['test/server/**/*.test.ts'],
            globalSetup: ['test/server/global-setup.ts'],
            setupFiles: ['test/fixtures/fast-check-seed.ts'],
            testTimeout: 30_000,
            hookTimeout: 60_000,
          },
        },
        {
          extends: true,
          test: {
            name: 'e2e',
            environment: 'node',
            include: ['test/e2e/**/*.test.ts'],
            testTimeout: 30_000,
            hookTimeout: 60_000,
            fileParallelism: false,
          },
        },
      ],
    },
  };
});
