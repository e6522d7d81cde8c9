// `npm start`: the demo. Builds the widget and the server when their output is missing or older
// than their sources, then starts confab-server with the demo content: the seed article at /
// with its thread, and the widget from dist/.
//
// Settings are the server's (confab-server start --help): PORT (default 4173), HOST, DATA_DIR
// (here demo/.data), DATABASE_URL, ADMIN_TOKEN, MODERATION, … ; LOG_LEVEL defaults to warn
// here, so the terminal shows problems, not every request. SKIP_BUILD=1 skips the build check.
// SSO_SECRET, for the page's "Sign in as …" switch (host.mjs), is made for the run when not set.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { demoSite } from './host.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

/** True when `output` is missing or older than any file under the `sources` folders. */
function isStale(output, sources) {
  if (!existsSync(output)) return true;
  const builtAt = statSync(output).mtimeMs;
  return sources.some((dir) =>
    readdirSync(dir, { recursive: true }).some((name) => statSync(join(dir, String(name))).mtimeMs > builtAt),
  );
}

function buildIfStale() {
  if (process.env.SKIP_BUILD === '1') return;
  const widgetStale = isStale(join(root, 'dist', 'confab.iife.js'), [join(root, 'src')]);
  const serverStale =
    isStale(join(root, 'server', 'dist', 'index.js'), [join(root, 'server', 'src')]) ||
    isStale(join(root, 'server', 'dist', 'admin', 'index.html'), [join(root, 'server', 'admin', 'src')]);
  if (!widgetStale && !serverStale) return;
  console.log('Building the widget and the server (npm run build)…');
  // npm is npm.cmd on Windows, which only a shell can start.
  const result = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

buildIfStale();
// Imported after the build: on a fresh clone the server's dist/ did not exist before it.
const { SHUTDOWN_LIMIT_MS, createLogger, readSettings, startServer } = await import('confab-server');

// The demo plays the host site, which signs its users' sign-in tokens with the secret it shares
// with the server: without SSO_SECRET the demo makes one for this run (GUESTS=off works then too).
const madeSsoSecret = process.env.SSO_SECRET ? undefined : randomBytes(32).toString('hex');
let settings;
try {
  const env = { LOG_LEVEL: 'warn', ...process.env, ...(madeSsoSecret && { SSO_SECRET: madeSsoSecret }) };
  settings = readSettings(env, { defaultDataDir: join(root, 'demo', '.data') });
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
// The moderation dashboard needs an admin token or an account: without ADMIN_TOKEN the demo makes
// one for this run and prints it.
const madeToken = !settings.adminToken;
if (madeToken) settings.adminToken = randomBytes(24).toString('hex');
const logger = createLogger({ level: settings.logLevel });
const seed = JSON.parse(readFileSync(join(root, 'demo', 'seed', 'thread.json'), 'utf8'));
const pgliteDir = join(settings.dataDir, 'pgdata');
if (settings.databaseUrl) console.log('Using PostgreSQL from DATABASE_URL');
else if (!existsSync(join(pgliteDir, 'PG_VERSION'))) {
  console.log(`Creating the database in ${pgliteDir} (the first start takes a few seconds)…`);
}

let app;
try {
  app = await startServer({
    ...settings,
    dataDir: settings.databaseUrl ? undefined : pgliteDir,
    ...demoSite({ seed, ssoSecret: settings.ssoSecret }),
    widgetDir: join(root, 'dist'),
    logger,
  });
} catch (error) {
  const message =
    error.code === 'EADDRINUSE'
      ? `Port ${settings.port} is in use; try PORT=<another port> npm start`
      : `Could not start the server: ${error.message}`;
  console.error(message);
  process.exit(1);
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    console.log(`\n${signal}: closing the demo server`);
    // Should a connection refuse to close, exit anyway.
    setTimeout(() => process.exit(1), SHUTDOWN_LIMIT_MS).unref();
    app.shutdown().then(
      () => {
        logger.flush();
        process.exit(0);
      },
      () => process.exit(1),
    );
  });
}
console.log(`Confab demo running at ${app.url}/ (sign in as someone from its header)`);
console.log(`Moderation dashboard: ${app.url}/admin/${madeToken ? ` (admin token for this run: ${settings.adminToken})` : ''}`);
