// ESLint (flat config): the recommended JavaScript and TypeScript rules, and the layer rules of
// src/ with ESLint's own `no-restricted-imports` (no plugin). Prettier does the formatting, so no
// formatting rule is on here. test/lint/layers.test.ts shows each layer rule failing.
import js from '@eslint/js';
import globals from 'globals';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

// ---------------------------------------------------------------------------------------------
// The layers of src/. A folder's *public modules* are the only ones another folder (or a
// top-level file such as mount.tsx) may import; everything else in the folder is its internals,
// free to change without looking outside. Inside a folder, any module may import any other.
// To make a module public, add it here (and say why in the review).
const PUBLIC = {
  // sign-in, moderation: the network side of the sign-in part, joined with its views in
  // src/sign-in-part.ts.
  api: ['http-adapter', 'guard-adapter', 'validate', 'wire', 'sign-in', 'moderation'],
  adapters: ['artalk', 'isso', 'remark42', 'waline', 'static-json', 'server-client'],
  // storage: the server rendering (ssr.tsx) makes a store that keeps nothing.
  store: ['thread-store', 'forms', 'live', 'storage'],
  // load-part: mount() loads the sign-in part as it mounts; SignIn, ModeratorTools: that part's views.
  // Boundary, CommentBody, CommentList: mount() and the server rendering (ssr.tsx) render the same tree.
  ui: [
    'Thread',
    'Comment',
    'ReplyForm',
    'ConfabProvider',
    'context',
    'permalink',
    'load-part',
    'SignIn',
    'ModeratorTools',
    'Boundary',
    'CommentBody',
    'CommentList',
    'adopt',
  ],
  format: ['avatar', 'exact-time', 'format-body', 'sanitize-html', 'time'],
  i18n: ['en', 'messages-and-direction', 'load-locale', 'registry', 'translate'],
  styles: ['adopt'],
  util: ['values'],
};
const FOLDERS = Object.keys(PUBLIC);
// What a folder must never import, beyond other folders' internals.
const LAYER_RULES = {
  // The components and the formatter see comments only through the store and the types; the
  // network is api/'s and adapters/' business.
  ui: { folders: ['api', 'adapters'], packages: [] },
  format: { folders: ['api', 'adapters'], packages: [] },
  // The thread store runs without Preact: @preact/signals-core, not @preact/signals.
  store: { folders: [], packages: ['preact', '@preact/signals'] },
  // Leaf helpers every layer may import: they import nothing from src/ (util/values may import
  // util/other, nothing above).
  util: { folders: 'all', packages: [] },
};

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const anyExt = '(?:\\.(?:ts|tsx|js|jsx))?';
// From a file inside a folder, other folders are `../name/…` (deeper files: `../../name/…`);
// from a top-level file, `./name/…`.
const up = (inFolder) => (inFolder ? '(?:\\.\\./)+' : '\\./');

function internalsPatterns(self) {
  return FOLDERS.filter((f) => f !== self).map((f) => ({
    regex: `^${up(self !== null)}${f}/(?!(?:${PUBLIC[f].map(escape).join('|')})${anyExt}$)`,
    message: `Import only ${f}/'s public modules (${PUBLIC[f].join(', ')}); the rest is its internals. The list is PUBLIC in eslint.config.js.`,
  }));
}

function layerPatterns(self) {
  const rule = LAYER_RULES[self];
  if (!rule) return [];
  const patterns = [];
  if (rule.folders === 'all') {
    patterns.push({
      regex: '^\\.\\./',
      message: `${self}/ is the leaf layer: it imports nothing from the rest of src/.`,
    });
  } else {
    for (const f of rule.folders)
      patterns.push({
        regex: `^${up(true)}${f}(?:/|$)`,
        message: `${self}/ never imports ${f}/ (layers: see eslint.config.js).`,
      });
  }
  for (const p of rule.packages)
    patterns.push({
      regex: `^${escape(p)}(?:/.*)?$`,
      message:
        p === '@preact/signals'
          ? `${self}/ runs without Preact: use @preact/signals-core.`
          : `${self}/ never imports ${p} (layers: see eslint.config.js).`,
    });
  return patterns;
}

const layerBlocks = [
  // Top-level entry files (index.ts, mount.tsx, embed*.ts, counts.ts, options.ts, …).
  {
    name: 'confab/layers/top-level',
    files: ['src/*.{ts,tsx}'],
    rules: { 'no-restricted-imports': ['error', { patterns: internalsPatterns(null) }] },
  },
  // One block per folder: ESLint replaces (does not merge) a rule's options when two blocks match
  // the same file, so each folder's block carries all of its patterns.
  ...FOLDERS.map((self) => ({
    name: `confab/layers/${self}`,
    files: [`src/${self}/**/*.{ts,tsx}`],
    rules: {
      'no-restricted-imports': ['error', { patterns: [...layerPatterns(self), ...internalsPatterns(self)] }],
    },
  })),
];

// The moderation dashboard (server/admin/src): a Preact + signals app of its own, in the browser.
// It talks to the server over HTTP only (never importing the server's code or the widget's), only
// its API client (api.ts) touches the network, and comment text stays text: no HTML sinks.
const ADMIN_NETWORK = ['fetch', 'EventSource', 'XMLHttpRequest', 'WebSocket'].map((name) => ({
  name,
  message: 'Only server/admin/src/api.ts talks to the server: go through its Api.',
}));
const ADMIN_NO_HTML = [
  { selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']", message: 'Comment text is untrusted: render it as text.' },
  {
    selector: 'MemberExpression[property.name=/^(innerHTML|outerHTML)$/]',
    message: 'Comment text is untrusted: render it as text.',
  },
  {
    selector: "CallExpression[callee.property.name='insertAdjacentHTML']",
    message: 'Comment text is untrusted: render it as text.',
  },
];
const adminBlocks = [
  {
    name: 'confab/admin',
    files: ['server/admin/src/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              // But for the widget's rule of which catalog a language tag reads (a pure function of
              // Intl), so that the dashboard picks its language as the widget and the emails do.
              regex: '^(?:\\.\\./){2,}src(?:/(?!i18n/negotiate$)|$)',
              message: "The dashboard never imports the server's or the widget's code: it speaks the API (docs/admin-api.md).",
            },
          ],
        },
      ],
      'no-restricted-globals': ['error', ...ADMIN_NETWORK],
      'no-restricted-syntax': ['error', ...ADMIN_NO_HTML],
    },
  },
  {
    name: 'confab/admin/api-client',
    files: ['server/admin/src/api.ts'],
    rules: { 'no-restricted-globals': 'off' },
  },
];

export default defineConfig(
  {
    name: 'confab/ignores',
    ignores: [
      '**/dist/**',
      'storybook-static/**',
      'coverage/**',
      'test-results/**',
      'server/widget/**',
      '**/.prof/**',
      'demo/.data/**',
      'confab-data/**',
      '**/node_modules/**',
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    name: 'confab/defaults',
    languageOptions: { ecmaVersion: 2024, sourceType: 'module' },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // Unused names are errors, except `_`-prefixed ones (a deliberate "not needed here").
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
    },
  },
  // Where the code runs.
  {
    name: 'confab/browser',
    files: ['src/**', 'stories/**', '.storybook/**/*.{ts,tsx}', 'bench/*.js'],
    languageOptions: { globals: globals.browser },
  },
  // Scripts injected into bench pages (not modules; vanilla-floor.js gets CONFAB_CSS prepended).
  {
    name: 'confab/bench-page-scripts',
    files: ['bench/*.js'],
    languageOptions: { sourceType: 'script', globals: { CONFAB_CSS: 'readonly' } },
  },
  // Node: tests, scripts, the demo, the bench runner, the server, configs. Tests run components
  // in happy-dom, and the Chromium tests, the bench and the Storybook check hand functions to
  // the page (page.evaluate), so these see the browser's globals too.
  {
    name: 'confab/node',
    files: ['test/**', 'scripts/**', 'demo/**', 'bench/**/*.mjs', 'server/**', '.storybook/**/*.mjs', '*.{js,mjs,ts}'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    name: 'confab/node-driving-a-page',
    files: ['test/**', 'bench/**/*.mjs', '.storybook/**/*.mjs', 'scripts/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // Tests and stories read answers of any shape on purpose (hostile servers, fuzzed bodies):
    // the code under test is what must not use any.
    name: 'confab/tests-may-read-any-json',
    files: ['test/**', 'stories/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  ...layerBlocks,
  ...adminBlocks,
);
