// The npm package as a consumer sees it: exports resolve, types exist, and tree-shaking works.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { build } from 'vite';

const root = fileURLToPath(new URL('../..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/** Runs an ES module in a plain Node process inside the package, importing it by its name. */
function runModule(source: string): string {
  return execFileSync(process.execPath, ['--input-type=module', '-e', source], { cwd: root, encoding: 'utf8' });
}

describe('the npm package', () => {
  it('resolves "confab" and "confab/locales/*" through its exports, with types', () => {
    const out = runModule(`
      const confab = await import('confab');
      const de = (await import('confab/locales/de')).default;
      console.log(JSON.stringify({ exports: Object.keys(confab).sort(), heading: de['thread.heading'] }));`);
    const { exports, heading } = JSON.parse(out);
    // The exact runtime surface of the package entry, sorted (types are pinned by tsc).
    expect(exports).toEqual([
      'Comment',
      'ConfabError',
      'ConfabProvider',
      'ReplyForm',
      'Thread',
      'adoptStyles',
      'createHttpAdapter',
      'createStaticJsonAdapter',
      'createThreadStore',
      'fillCounts',
      'isConfabError',
      'mount',
      'registerLocale',
    ]);
    expect(heading).toEqual({ one: '{count} Kommentar', other: '{count} Kommentare' });
    for (const file of [
      pkg.exports['.'].types,
      pkg.exports['.'].import,
      pkg.exports['./confab.iife.js'],
      './dist/locales/de.d.ts',
    ]) {
      expect(existsSync(join(root, file)), file).toBe(true);
    }
  });

  it('exposes exactly these subpath modules, each with exactly these runtime exports', () => {
    // Every module in dist/adapters/ and dist/locales/ by its "confab/…" name, and what each
    // exports (or that the package keeps it internal). A new subpath or export is a change to the public API: update here.
    const subpaths = [
      ...readdirSync(join(root, 'dist/adapters'))
        .filter((f) => f.endsWith('.js'))
        .map((f) => `confab/adapters/${f.slice(0, -3)}`),
      ...readdirSync(join(root, 'dist/locales'))
        .filter((f) => f.endsWith('.js') && !f.endsWith('.iife.js'))
        .map((f) => `confab/locales/${f.slice(0, -3)}`),
      'confab/ssr',
    ].sort();
    const out = runModule(`
      const names = ${JSON.stringify(subpaths)};
      const surface = {};
      for (const name of names) {
        try {
          surface[name] = Object.keys(await import(name)).sort();
        } catch (error) {
          if (error.code !== 'ERR_PACKAGE_PATH_NOT_EXPORTED') throw error;
          surface[name] = 'not exported';
        }
      }
      console.log(JSON.stringify(surface));`);
    const locale = ['default'];
    expect(JSON.parse(out)).toEqual({
      'confab/adapters/artalk': ['createArtalkAdapter'],
      'confab/adapters/isso': ['createIssoAdapter'],
      'confab/adapters/remark42': ['createRemark42Adapter'],
      // The server adapters' shared transport: in dist/adapters/, but not the package's API.
      'confab/adapters/server-client': 'not exported',
      'confab/adapters/static-json': ['createStaticJsonAdapter'],
      'confab/adapters/waline': ['createWalineAdapter'],
      'confab/locales/ar': locale,
      'confab/locales/bg': locale,
      'confab/locales/bn': locale,
      'confab/locales/ca': locale,
      'confab/locales/cs': locale,
      'confab/locales/da': locale,
      'confab/locales/de': locale,
      'confab/locales/el': locale,
      'confab/locales/es': locale,
      'confab/locales/et': locale,
      'confab/locales/fa': locale,
      'confab/locales/fi': locale,
      'confab/locales/fr': locale,
      'confab/locales/he': locale,
      'confab/locales/hi': locale,
      'confab/locales/hr': locale,
      'confab/locales/hu': locale,
      'confab/locales/id': locale,
      'confab/locales/it': locale,
      'confab/locales/ja': locale,
      'confab/locales/ko': locale,
      'confab/locales/lt': locale,
      'confab/locales/lv': locale,
      'confab/locales/ms': locale,
      'confab/locales/nb': locale,
      'confab/locales/nl': locale,
      'confab/locales/pl': locale,
      'confab/locales/pt-BR': locale,
      'confab/locales/pt-PT': locale,
      'confab/locales/ro': locale,
      'confab/locales/ru': locale,
      'confab/locales/sk': locale,
      'confab/locales/sl': locale,
      'confab/locales/sr': locale,
      'confab/locales/sv': locale,
      'confab/locales/th': locale,
      'confab/locales/tr': locale,
      'confab/locales/uk': locale,
      'confab/locales/ur': locale,
      'confab/locales/vi': locale,
      'confab/locales/zh': locale,
      'confab/locales/zh-TW': locale,
      // The server rendering of a thread's first page (Node, not the browser).
      'confab/ssr': ['catalogOf', 'renderThreadHtml'],
    });
    // The script-tag bundles (no exports: they set window.Confab).
    expect(
      readdirSync(join(root, 'dist'))
        .filter((f) => f.endsWith('.iife.js'))
        .sort(),
    ).toEqual([
      // Not a server bundle: reads the server's rendering of the first view, loaded by the others on pages that have it.
      'confab-adopt.iife.js',
      'confab-artalk.iife.js',
      // Not a server bundle: the comment counts, loaded by the others on pages with count elements.
      'confab-counts.iife.js',
      // Not a server bundle: the edit form, loaded by the others on the first Edit click.
      'confab-edit.iife.js',
      // Not a server bundle: what the comments' buttons and keys do, loaded once the comments show.
      'confab-events.iife.js',
      // Not a server bundle: a long comment's fold, loaded by the others when one is drawn.
      'confab-fold.iife.js',
      'confab-isso.iife.js',
      // Not a server bundle: live updates (connection and store side), loaded by the others on pages with `live`.
      'confab-live.iife.js',
      // Not a server bundle: posting, edit, delete, vote and report, loaded by the others when a reader first focuses a form or points at a comment's actions.
      'confab-posting.iife.js',
      'confab-remark42.iife.js',
      // Not a server bundle: the report dialog, loaded by the others on the first Report click.
      'confab-report.iife.js',
      // Not a server bundle: the sign-in views and token, loaded by the others on pages with `sso`.
      'confab-signin.iife.js',
      'confab-waline.iife.js',
      // Not a server bundle: the forms' writing half, loaded by the others when a reader first focuses a form.
      'confab-write.iife.js',
      'confab.iife.js',
    ]);
  });

  it('ships the widget only: no server code, and only preact, signals and ky as dependencies', () => {
    const [info] = JSON.parse(
      execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' }),
    );
    const paths: string[] = info.files.map((file: { path: string }) => file.path);
    expect(paths.filter((path) => !path.startsWith('dist/') && !['package.json', 'README.md', 'LICENSE'].includes(path))).toEqual(
      [],
    );
    expect(paths.filter((path) => /pglite|migrations|comment-store|confab-server|cli\.js/i.test(path))).toEqual([]);
    expect(paths).toContain('LICENSE');
    // The script-tag bundles' source maps (about 2 MB) are for the CDN copy, not for npm users.
    expect(paths.filter((path) => path.endsWith('.iife.js.map'))).toEqual([]);
    expect(Object.keys(pkg.dependencies).sort()).toEqual(['@preact/signals', '@preact/signals-core', 'ky', 'preact']);
  });

  it('carries none of the emails’ or the dashboard’s strings (the catalogs’ mail.* and admin.* keys), confab/ssr included', () => {
    const scripts = readdirSync(join(root, 'dist'), { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.js'));
    expect(scripts).toContain('ssr.js');
    expect(scripts.filter((file) => /["'](?:mail|admin)\./.test(readFileSync(join(root, 'dist', file), 'utf8')))).toEqual([]);
  });

  it('lets a bundler drop everything a page does not import', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'confab-shake-'));
    try {
      // A consumer project with confab installed (linked): resolved by name, exports and all.
      mkdirSync(join(dir, 'node_modules'));
      symlinkSync(root, join(dir, 'node_modules', 'confab'), 'dir');
      writeFileSync(join(dir, 'entry.js'), `import { isConfabError } from 'confab';\nwindow.check = isConfabError;\n`);
      const output = await build({
        root: dir,
        logLevel: 'silent',
        configFile: false,
        build: { write: false, minify: true, lib: { entry: join(dir, 'entry.js'), formats: ['es'], fileName: 'out' } },
      });
      const chunk = (Array.isArray(output) ? output[0]! : (output as { output: { code?: string }[] })).output[0]!;
      const code = (chunk as { code: string }).code;
      expect(code).toContain('ConfabError');
      expect(code).not.toContain('Idempotency-Key'); // the HTTP client
      expect(code).not.toContain('confab-comment'); // the components and their CSS
      expect(code.length).toBeLessThan(1_000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
