// `npm run size`: raw, gzip and brotli bytes of everything that ships, and the size budget of
// issue 8. Builds first when dist/ is missing or older than the sources.
//
//   dist/confab.iife.js       the script-tag bundle (JS, CSS, English strings)   budget 22 kB gzip
//   ESM mount()               `import { mount } from 'confab'` with preact, @preact/signals and
//                             ky inlined, minified (bundled here with Vite's build API)
//                                                                               budget 21 kB gzip
//   dist/locales/*.iife.js    the language files the script tag loads on demand  ceiling 2 kB gzip each
//                             (<tag>.iife.js with the first load, <tag>-<part>.iife.js with a part)
//   dist/confab-report.iife.js  the report dialog the script tag loads on the first Report click
//                             (reported; it uses the bundle's own Preact)
//   dist/confab-edit.iife.js  the edit form the script tag loads on the first Edit click (reported;
//                             the same)
//   dist/confab-signin.iife.js  the sign-in part the script tag loads on pages with the sso option
//                             (reported; the same)
//   dist/confab-live.iife.js  the live connection the script tag loads on pages with the live option
//                             (reported; the same)
//   dist/confab-posting.iife.js  posting, loaded when a reader first focuses a form (reported; the
//                             same)
//   dist/confab-write.iife.js  the forms' writing half (posting's errors, the fields' messages,
//                             preview, formatting help, counter), loaded with posting (reported;
//                             the same); its words in dist/locales/<tag>-write.iife.js
//   dist/confab-counts.iife.js  the comment counts the script tag loads on pages with count elements
//                             (reported; it uses the bundle's API client and translator)
//   ESM report dialog, ESM edit form  the chunks a bundler splits off for their `import()` (reported)
//
// Two limits per budgeted output. The ceiling is what CI enforces today: `npm run size` exits 1
// when an output grows past it, so nothing gets bigger unnoticed (raising it is a decision in a
// commit). The budget is issue 8's target, not met yet: reported on every run, and enforced
// only with --budget (exit 1 when over it). SIZE_REPORT_ONLY=1 (or --report-only) never fails.
// --json prints the figures as JSON as well. kB here are 1,000 bytes, as in the issue.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
export const BUDGETS = { iife: 22_000, esmMount: 21_000 };
/**
 * Today's sizes plus about 2%: set on 2026-11-26 at 34.8 kB (IIFE) and 34.3 kB (ESM mount).
 * ESM mount raised to 35.5 kB on 2026-12-03 (issue 15): the report dialog and the edit form
 * became import()s, and an app bundled with Vite then carries Vite's own preload helper
 * (`__vitePreload`, about 1 kB gzip), once for all its lazy chunks. Confab's own code in that
 * bundle is smaller than before; the script-tag bundle has no such helper and kept its ceiling.
 * ESM mount raised to 35.75 kB on 2026-12-03 (issue 18): sign-in from the host site needs its
 * hooks in the first load (the Confab-User transport, the form's and a comment's slots, own
 * comments by author id, author.id/verified and thread.features at the boundary: about 0.3 kB);
 * the script tag made room for them by loading the live connection and the comment counts on
 * demand, which in an app's bundle saves less (each lazy chunk costs its preload wrapper).
 * Both lowered the same day: posting (store/posting.ts) loads on a form's first focus, 0.6 kB
 * off the first load (the script tag 35.46 → 34.92 kB, the ESM mount 35.66 → 35.12 kB).
 * Both raised on 2026-12-04 (issue 19, which sets the script tag's enforced ceiling at 35.5 kB
 * for this milestone): adopting the server's rendering of the first view needs its hooks in the
 * first load (finding the markup, rendering into it, the first page without a request: 0.14 kB;
 * reading and checking the markup is a part, confab-adopt.iife.js), after issue 21's region-aware
 * locales (0.07 kB). The script tag 35.25 → 35.38 kB, the ESM mount 35.47 → 35.62 kB.
 * Both lowered on 2026-12-04 (issue 19's stretch, room for issue 20's writing items): the forms'
 * writing half (posting's errors and Retry, the fields' messages and their English, "Posting…")
 * is a part loaded with posting on a form's first focus (confab-write.iife.js); the first load
 * keeps the form as it first shows, so nothing moves when the part comes. The script tag 35.38 →
 * 35.23 kB, the ESM mount 35.63 → 35.46 kB. Then issue 20's writing items: the honeypot and the
 * Preview and Formatting buttons are in the first render (bots never focus a form; the buttons
 * hold their place), their behaviour, the counter and the formatting help in the part (1.63 kB
 * gzip, its words in locales/<tag>-write.iife.js), and what only a submit does to the forms' state
 * (the Idempotency-Key, the remembered name, clearing) moved to posting (store/submits.ts): the
 * script tag 35.32 kB, the ESM mount 35.53 kB. Each ceiling is that plus 0.1 kB. Then every
 * part's words left the first load's locale files (each part loads locales/<tag>-<part>.iife.js
 * with its code, and the translator looks there): each locale file 0.3-0.4 kB smaller (Greek, the
 * longest, 1.81 → 1.40 kB), for 0.06 kB more in both bundles (35.38 and 35.59 kB), within them.
 * Back to issue 19's 35.5 kB (and 35.75 kB) the same day: issue 20's reading pass (24 px targets,
 * 44 px on touch screens, focus rings no longer clipped by content-visibility, theme auto's own
 * surface in dark mode) is CSS that must be there when the comments first show: 35.49 and 35.68 kB.
 * The rest of that pass (skip link, one tab stop per comment, narrow screens, folding, the look:
 * 0.97 kB more) came on 2026-12-04 with room made for it, the ceilings unchanged: what the
 * comments' buttons and keys do is a part loaded once the comments show (confab-events.iife.js,
 * 1.18 kB; a click before it is carried out when it comes), votes, edits and deletes come with
 * posting, and live updates' store side with the live connection (pages with `live`): the script
 * tag 36.46 → 35.44 kB, the ESM mount 36.71 → 35.69 kB. Then the report dialog's opener went into
 * that part, and the stylesheet's <style> fallback (no browser the bundle runs in lacks constructable
 * stylesheets; the minifier had copied the 10.6 kB CSS string into the ESM build twice) left:
 * room for issue 20's console message naming the endpoint and the likely causes: 35.42 and 35.46 kB.
 * Then issue 19's first render without Intl (0.3 kB in both: the cold-time path, small numbers
 * without a formatter, the catalog read without maximize()): the script tag paid for it with a
 * terser pass after Vite's minifier (scripts/terser-pass.mjs), 35.76 → 35.38 kB, within its
 * ceiling; an app's bundler runs its own minifier on the npm build, so the ESM mount (35.47 →
 * 35.78 kB) has its ceiling raised by 0.1 kB to 35.85 kB, on 2026-12-04.
 * Then issue 19's long branch shown a part at a time (no first paint of 150 replies in one task:
 * about 0.26 kB in both): the script tag made room by moving the delete confirmation and the edit
 * form's opener into the events part and sharing the thread's listeners with a lone comment, 35.44
 * → 35.49 kB, within its ceiling; the ESM mount 35.83 → 35.94 kB (0.03 kB of it Vite's list of the
 * chunk the events and sign-in parts now share, confirm-delete.ts), its ceiling raised 0.1 kB to 35.95.
 */
export const CEILINGS = { iife: 35_500, esmMount: 35_950 };
/**
 * Each locale file, dist/locales/<tag>.iife.js, and each part's words, <tag>-<part>.iife.js (issue 21:
 * every one under 2 kB gzip as the catalogs grow).
 */
export const LOCALE_CEILING = 2_000;
/**
 * The parts loaded on demand (src/ui/load-part.ts): the script tag's file, and the module whose
 * chunk a bundler splits off for the npm build's `import()`.
 */
const PARTS = [
  ['confab-report.iife.js', 'ReportDialog', 'report dialog'],
  ['confab-edit.iife.js', 'EditForm', 'edit form'],
  ['confab-signin.iife.js', 'sign-in-part', 'sign-in part'],
  ['confab-live.iife.js', 'live-stream', 'live updates (connection and store side)'],
  ['confab-posting.iife.js', 'posting', 'posting'],
  ['confab-write.iife.js', 'WriteForm', 'writing half'],
  ['confab-adopt.iife.js', 'adopt', 'server view adoption'],
  ['confab-fold.iife.js', 'fold', 'long comment fold'],
  ['confab-events.iife.js', 'comment-events', "comments' buttons and keys"],
  // No chunk in the npm build: an app imports fillCounts itself.
  ['confab-counts.iife.js', null, 'comment counts'],
];

/** True when an output is missing or older than a file it is built from. */
function isStale() {
  const outputs = ['confab.iife.js', ...PARTS.map(([file]) => file), 'index.js', 'mount.js'].map((file) => join(dist, file));
  if (outputs.some((file) => !existsSync(file)) || !existsSync(join(dist, 'locales', 'de.iife.js'))) return true;
  const builtAt = Math.min(...outputs.map((file) => statSync(file).mtimeMs));
  const sources = [
    ...readdirSync(join(root, 'src'), { recursive: true }).map((name) => join(root, 'src', String(name))),
    join(root, 'vite.config.ts'),
    join(root, 'scripts', 'build-locales.mjs'),
  ];
  return sources.some((file) => existsSync(file) && statSync(file).mtimeMs > builtAt);
}

/** `npm run build` when dist/ is stale (SKIP_BUILD=1 skips the check). */
export function buildIfStale() {
  if (process.env.SKIP_BUILD === '1' || !isStale()) return;
  console.log('dist/ is missing or older than src/: npm run build');
  const result = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.status !== 0) {
    console.error('npm run build failed');
    process.exit(result.status ?? 1);
  }
}

/** raw, gzip (level 9) and brotli (quality 11) bytes. */
export function measure(bytes) {
  const buffer = Buffer.from(bytes);
  return {
    raw: buffer.length,
    gzip: gzipSync(buffer, { level: 9 }).length,
    brotli: brotliCompressSync(buffer, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: buffer.length },
    }).length,
  };
}

/**
 * `code` (an ES module importing from this repository) bundled, minified, dependencies inlined:
 * the first load's code. What it loads on demand (`import()`) is split off as a bundler does,
 * in `bundle.lazy` (each chunk's code by its module's name, `ReportDialog`) when asked for with
 * `{ lazy: true }`.
 */
export async function bundle(code, { lazy = false } = {}) {
  const { build } = await import('vite');
  // A throwaway entry file inside the repository, so that bare imports resolve from its
  // node_modules; removed right after.
  const cache = join(root, 'node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  const folder = mkdtempSync(join(cache, 'confab-size-'));
  const entry = join(folder, 'entry.js');
  writeFileSync(entry, code);
  let result;
  try {
    result = await build({
      configFile: false,
      root,
      logLevel: 'silent',
      resolve: { alias: { confab: join(dist, 'index.js') } },
      build: {
        write: false,
        minify: true,
        // What a site's own Vite build targets by default (es2020 would add ~0.4 kB of helpers).
        target: 'baseline-widely-available',
        sourcemap: false,
        copyPublicDir: false,
        // Not lib mode: Vite keeps whitespace in lib-mode ES output, which is not what a site ships.
        rolldownOptions: {
          input: entry,
          preserveEntrySignatures: 'strict',
          output: { format: 'es', entryFileNames: 'bundle.js' },
        },
      },
    });
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  const outputs = (Array.isArray(result) ? result : [result]).flatMap((r) => r.output);
  const chunks = outputs.filter((o) => o.type === 'chunk');
  const assets = outputs.filter((o) => o.type === 'asset');
  // The first load: the entry and any chunk it shares with what loads on demand (preact's JSX
  // runtime, when a dialog is split off); the rest loads on demand.
  const first = chunks.filter((c) => c.isEntry || !c.isDynamicEntry);
  const others = chunks.filter((c) => !c.isEntry && c.isDynamicEntry);
  if (chunks.filter((c) => c.isEntry).length !== 1 || assets.length !== 0) {
    throw new Error(`expected one JS entry chunk, got ${chunks.map((c) => c.fileName)} and ${assets.map((a) => a.fileName)}`);
  }
  const out = first.map((c) => c.code).join('\n');
  for (const chunk of chunks) {
    if (/\bfrom\s*["'](preact|@preact\/signals|ky)["']/.test(chunk.code)) throw new Error('a dependency was not inlined');
  }
  return lazy ? { code: out, lazy: Object.fromEntries(others.map((c) => [c.name, c.code])) } : out;
}

/** `import { mount } from 'confab'` (the built dist/index.js) with preact, signals and ky inlined. */
export const bundleEsmMount = () => bundle("export { mount } from 'confab';\n");

/** For reference, not budgeted: what the budget is made of. */
const REFERENCE = [
  [
    'reference: preact + preact/hooks + @preact/signals + ky alone (the floor)',
    "export * from 'preact';\nexport * from 'preact/hooks';\nexport * from '@preact/signals';\nexport { default as ky } from 'ky';\n",
  ],
  ['reference: ky alone', "export { default as ky } from 'ky';\n"],
  [
    'reference: preact + preact/hooks + @preact/signals alone',
    "export * from 'preact';\nexport * from 'preact/hooks';\nexport * from '@preact/signals';\n",
  ],
];

const PEERS = [
  ['peer: Artalk 2.9.1 (Artalk.js + Artalk.css)', ['artalk/dist/Artalk.js', 'artalk/dist/Artalk.css']],
  ['peer: Artalk 2.9.1 Lite (ArtalkLite.js + .css)', ['artalk/dist/ArtalkLite.js', 'artalk/dist/ArtalkLite.css']],
  ['peer: Waline 3.15.2 (waline.umd.js + waline.css)', ['@waline/client/dist/waline.umd.js', '@waline/client/dist/waline.css']],
];
const sum = (parts, key) => parts.reduce((total, part) => total + part[key], 0);

export async function sizes({ withReference = false } = {}) {
  const rows = [];
  rows.push({
    name: 'dist/confab.iife.js',
    budget: BUDGETS.iife,
    ceiling: CEILINGS.iife,
    ...measure(readFileSync(join(dist, 'confab.iife.js'))),
  });
  const esm = await bundle("export { mount } from 'confab';\n", { lazy: true });
  rows.push({
    name: 'ESM mount, deps inlined, minified',
    budget: BUDGETS.esmMount,
    ceiling: CEILINGS.esmMount,
    ...measure(esm.code),
  });
  // Loaded on first use (a Report or Edit click), not part of the first load.
  for (const [file, module, what] of PARTS) {
    rows.push({ name: `dist/${file}`, budget: null, ...measure(readFileSync(join(dist, file))) });
    if (module === null) continue;
    if (esm.lazy[module] === undefined) throw new Error(`no chunk split off for ${module}: is it still imported on demand?`);
    rows.push({ name: `ESM ${what} chunk (on demand)`, budget: null, ...measure(esm.lazy[module]) });
  }
  if (withReference) {
    for (const [name, code] of REFERENCE) rows.push({ name, budget: null, reference: true, ...measure(await bundle(code)) });
    const css = (await import(`${new URL('../dist/styles/widget.js', import.meta.url).href}?t=${Date.now()}`)).default;
    rows.push({ name: 'reference: the widget CSS alone (inside both bundles)', budget: null, reference: true, ...measure(css) });
  }
  if (withReference) {
    // The peers' script-tag builds, JS + CSS, each file compressed on its own.
    for (const [name, files] of PEERS) {
      const parts = files.map((f) => measure(readFileSync(join(root, 'node_modules', f))));
      rows.push({
        name,
        budget: null,
        peer: true,
        raw: sum(parts, 'raw'),
        gzip: sum(parts, 'gzip'),
        brotli: sum(parts, 'brotli'),
      });
    }
  }
  const locales = join(dist, 'locales');
  for (const file of readdirSync(locales)
    .filter((name) => name.endsWith('.iife.js'))
    .sort()) {
    rows.push({
      name: relative(root, join(locales, file)).split('\\').join('/'),
      budget: null,
      ceiling: LOCALE_CEILING,
      ...measure(readFileSync(join(locales, file))),
    });
  }
  return rows;
}

const kB = (bytes) => `${(bytes / 1000).toFixed(2)} kB`;
const kB1 = (bytes) => `${(bytes / 1000).toFixed(1)} kB`;

/** The "Size" section of docs/benchmarks.md, from sizes({ withReference: true }). */
export function sizeSection(rows, { command, date }) {
  const line = (row) => {
    const status = row.budget === null ? '' : row.gzip > row.budget ? `**over by ${kB1(row.gzip - row.budget)}**` : 'met';
    return `| ${row.name} | ${kB1(row.raw)} | **${kB1(row.gzip)}** | ${kB1(row.brotli)} | ${row.ceiling ? kB1(row.ceiling) : ''} | ${row.budget === null ? '' : kB1(row.budget)} | ${status} |`;
  };
  const budgeted = rows.filter((r) => r.budget !== null);
  const reference = rows.filter((r) => r.reference);
  const peers = rows.filter((r) => r.peer);
  const locales = rows.filter((r) => r.budget === null && !r.reference && !r.peer);
  const over = budgeted.filter((r) => r.gzip > r.budget);
  return [
    `Figures from scripts/size.mjs, written by \`${command}\` on ${date}; kB = 1,000 bytes; gzip level 9,`,
    'brotli quality 11. `npm run size` builds when dist/ is stale, prints these figures and exits 1',
    "when an output is over its ceiling (what CI enforces: today's size plus about 2%, so that",
    "nothing grows unnoticed); `npm run size -- --budget` also exits 1 over issue 8's budget;",
    '`npm run size -- --write` rewrites this section.',
    '',
    '| output | raw | gzip | brotli | ceiling, CI (gzip) | budget, issue 8 (gzip) | |',
    '|---|---:|---:|---:|---:|---:|---|',
    ...budgeted.map(line),
    ...locales.map(line),
    '',
    "The ESM figure is `export { mount } from 'confab'` (dist/index.js) bundled by Vite 8 with",
    "preact, @preact/signals and ky inlined, minified, for Vite's default browser target. The",
    'IIFE is dist/confab.iife.js as built (JS, its CSS and the English strings inside).',
    '',
    "What the budget is made of, and the peers' script-tag builds (JS + CSS, each compressed alone):",
    '',
    '| reference | raw | gzip | brotli |',
    '|---|---:|---:|---:|',
    ...[...reference, ...peers].map(
      (r) => `| ${r.name.replace(/^(reference|peer): /, '')} | ${kB1(r.raw)} | ${kB1(r.gzip)} | ${kB1(r.brotli)} |`,
    ),
    '',
    over.length === 0
      ? 'Both budgets are met.'
      : `Today ${over.map((r) => `${r.name.startsWith('dist') ? 'the IIFE' : 'the ESM mount bundle'} is ${kB1(r.gzip)} gzip against a budget of ${kB1(r.budget)}`).join(', and ')}. CI runs \`npm run size\`, which fails past the ceilings; the budgets are not within reach of the widget as it is (why: "Top causes of cost" below).`,
  ].join('\n');
}

async function main() {
  const reportOnly = process.env.SIZE_REPORT_ONLY === '1' || process.argv.includes('--report-only');
  const enforceBudget = process.argv.includes('--budget');
  buildIfStale();
  const rows = await sizes({ withReference: true });
  const width = Math.max(...rows.map((r) => r.name.length));
  console.log(
    `${'output'.padEnd(width)}  ${'raw'.padStart(9)}  ${'gzip'.padStart(9)}  ${'brotli'.padStart(9)}  ceiling (CI) · budget (issue 8), gzip`,
  );
  const overCeiling = rows.filter((row) => row.ceiling && row.gzip > row.ceiling);
  const overBudget = rows.filter((row) => row.budget !== null && row.gzip > row.budget);
  for (const row of rows) {
    const verdict =
      row.budget === null
        ? row.ceiling
          ? `${kB(row.ceiling)}: ${row.gzip > row.ceiling ? `OVER by ${kB(row.gzip - row.ceiling)}` : 'ok'}`
          : ''
        : `${kB(row.ceiling)}: ${row.gzip > row.ceiling ? `OVER by ${kB(row.gzip - row.ceiling)}` : 'ok'} · ${kB(row.budget)}: ${row.gzip > row.budget ? `over by ${kB(row.gzip - row.budget)}` : 'met'}`;
    console.log(
      `${row.name.padEnd(width)}  ${kB(row.raw).padStart(9)}  ${kB(row.gzip).padStart(9)}  ${kB(row.brotli).padStart(9)}  ${verdict}`,
    );
  }
  if (process.argv.includes('--json')) console.log(JSON.stringify(rows, null, 2));
  if (process.argv.includes('--write')) {
    const { updateSections } = await import('../bench/docs-sections.mjs');
    updateSections({
      Size: sizeSection(rows, { command: 'npm run size -- --write', date: new Date().toISOString().slice(0, 10) }),
    });
    console.log('wrote the "Size" section of docs/benchmarks.md');
  }
  console.log('');
  const failures = [
    ...overCeiling.map((r) => `${r.name} is over its ceiling`),
    ...(enforceBudget ? overBudget.map((r) => `${r.name} is over its budget`) : []),
  ];
  if (overBudget.length === 0) console.log('size budgets met');
  else
    console.log(`${overBudget.length} of issue 8's size budgets not met yet${enforceBudget ? '' : ' (enforced with --budget)'}`);
  if (overCeiling.length === 0) console.log('every output under its ceiling');
  if (failures.length === 0) return;
  if (reportOnly) console.log(`${failures.join('; ')}; SIZE_REPORT_ONLY=1: reported, not failed`);
  else {
    // A ceiling is raised in CEILINGS above, on purpose and in its own commit, never to make CI pass quietly.
    console.error(`${failures.join('; ')}: failing`);
    process.exitCode = 1;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
