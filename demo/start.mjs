// `npm start`: builds the widget when it is stale, then serves the seed article with its thread.
// Settings come from the environment (see demo/server/README.md): PORT (default 4173), HOST
// (127.0.0.1), DATA_DIR (demo/.data), DATABASE_URL, ADMIN_TOKEN, MODERATION, EDIT_WINDOW_MINUTES,
// RATE_LIMIT_BURST, RATE_LIMIT_PER_MINUTE, ALLOWED_ORIGINS, TRUST_PROXY, DEMO, SKIP_BUILD=1.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readConfig } from './server/config.mjs';
import { startServer } from './server/index.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const distDir = join(root, 'dist');
const SHUTDOWN_GRACE_MS = 3_000;

/** True when the bundle is missing or older than any file under src/. */
function bundleIsStale() {
  const bundle = join(distDir, 'confab.iife.js');
  if (!existsSync(bundle)) return true;
  const builtAt = statSync(bundle).mtimeMs;
  const src = join(root, 'src');
  return readdirSync(src, { recursive: true }).some(
    (name) => statSync(join(src, String(name))).mtimeMs > builtAt,
  );
}

function buildIfStale() {
  if (process.env.SKIP_BUILD === '1' || !bundleIsStale()) return;
  console.log('Building the widget (npm run build)…');
  // npm is npm.cmd on Windows, which only a shell can start.
  const shell = process.platform === 'win32';
  const result = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit', shell });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

/** @param {ReturnType<typeof startServer> extends Promise<infer T> ? T : never} app */
function closeOnSignals(app) {
  for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
    process.once(signal, () => {
      console.log(`\n${signal}: closing the demo server`);
      // Should a connection refuse to close, exit anyway.
      setTimeout(() => process.exit(1), SHUTDOWN_GRACE_MS).unref();
      app.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
  }
}

/** @returns {import('./server/config.mjs').Config} */
function configOrExit() {
  try {
    return readConfig(process.env, { defaultDataDir: join(root, 'demo', '.data') });
  } catch (error) {
    console.error(/** @type {Error} */ (error).message);
    process.exit(1);
  }
}

const config = configOrExit();
buildIfStale();
const seed = config.demo ? JSON.parse(readFileSync(join(root, 'demo', 'seed', 'thread.json'), 'utf8')) : undefined;
const pgliteDir = join(config.dataDir, 'pgdata');
if (config.databaseUrl) console.log('Using PostgreSQL from DATABASE_URL');
else if (!existsSync(join(pgliteDir, 'PG_VERSION'))) {
  console.log(`Creating the database in ${pgliteDir} (the first start takes a few seconds)…`);
}

try {
  const app = await startServer({
    ...config,
    dataDir: config.databaseUrl ? undefined : pgliteDir,
    seed,
    distDir,
    log: console.log,
  });
  closeOnSignals(app);
  console.log(`Confab ${config.demo ? 'demo ' : ''}running at ${app.url}/`);
} catch (error) {
  const busy = /** @type {NodeJS.ErrnoException} */ (error).code === 'EADDRINUSE';
  const message = busy
    ? `Port ${config.port} is in use; try PORT=<another port> npm start`
    : `Could not start the server: ${/** @type {Error} */ (error).message}`;
  console.error(message);
  process.exit(1);
}
