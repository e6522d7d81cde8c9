// `npm start`: builds the widget when it is stale, then serves the seed article with its thread.
// Environment: PORT (default 4173), DATA_DIR (default demo/.data), SKIP_BUILD=1.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
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

buildIfStale();
const seed = JSON.parse(readFileSync(join(root, 'demo', 'seed', 'thread.json'), 'utf8'));
const dataDir = process.env.DATA_DIR ? resolve(process.env.DATA_DIR) : join(root, 'demo', '.data');
mkdirSync(dataDir, { recursive: true });
const port = Number(process.env.PORT || 4173);

try {
  const dataFile = join(dataDir, 'store.json');
  const app = await startServer({ port, seed, dataFile, distDir, log: console.log });
  closeOnSignals(app);
  console.log(`Confab demo running at ${app.url}/`);
} catch (error) {
  const busy = /** @type {NodeJS.ErrnoException} */ (error).code === 'EADDRINUSE';
  console.error(busy ? `Port ${port} is in use; try PORT=<another port> npm start` : error);
  process.exit(1);
}
