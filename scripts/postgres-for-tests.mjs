// A throwaway PostgreSQL cluster for the server tests, built from Debian's `postgresql` binaries:
// a fresh data folder under the temp dir, listening on 127.0.0.1 on a free port, trusted
// logins, removed again on stop.
//
//   node scripts/postgres-for-tests.mjs   # prints CONFAB_TEST_DATABASE_URL=…; Ctrl+C stops it
//
//   const cluster = await startThrowawayPostgres(); // { url, stop }
//   await startThrowawayPostgres({ durable: true });  // fsync on, as in production (benchmarks)
//
// PostgreSQL refuses to run as root, so as root the cluster belongs to the `postgres` user and
// every command runs through `runuser -u postgres --`.
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN_ROOT = '/usr/lib/postgresql';
const USER = 'confab';
export const INSTALL_HINT =
  'PostgreSQL server binaries not found in /usr/lib/postgresql/*/bin. Install them with: apt-get install -y postgresql';

/** The bin folder of the newest installed major version, or null. */
export function findPostgresBin() {
  if (!existsSync(BIN_ROOT)) return null;
  const versions = readdirSync(BIN_ROOT)
    .filter((name) => existsSync(join(BIN_ROOT, name, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length > 0 ? join(BIN_ROOT, /** @type {string} */ (versions[0]), 'bin') : null;
}

/** @returns {Promise<number>} */
function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (probe.address());
      probe.close(() => resolve(port));
    });
  });
}

/** Runs a PostgreSQL tool, as the `postgres` user when we are root. @param {string} file @param {string[]} args */
function runTool(file, args) {
  const asRoot = process.getuid?.() === 0;
  const [command, commandArgs] = asRoot ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, args];
  const result = spawnSync(command, commandArgs, { encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`${file} ${args.join(' ')} failed:\n${result.stderr || result.stdout || result.error}`);
  }
}

/**
 * @param {{ durable?: boolean, settings?: string[] }} [options] `durable`: fsync as in production; tests need
 *   not wait for disks. `settings`: more `name=value` settings for the server.
 * @returns {Promise<{ url: string, dataDir: string, stop: () => void }>}
 */
export async function startThrowawayPostgres({ durable = false, settings: more = [] } = {}) {
  const bin = findPostgresBin();
  if (!bin) throw new Error(INSTALL_HINT);

  const dir = mkdtempSync(join(tmpdir(), 'confab-postgres-'));
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
    chownSync(dir, uid, gid);
  }
  const data = join(dir, 'data');
  const port = await freePort();
  try {
    runTool(join(bin, 'initdb'), ['-D', data, '-U', USER, '--auth=trust', '-E', 'UTF8', '--no-sync']);
    // The socket lives in the temp folder, where the postgres user may write.
    const settings = ['listen_addresses=127.0.0.1', 'max_connections=200', ...(durable ? [] : ['fsync=off']), ...more];
    const options = `-p ${port} -k ${dir} ${settings.map((setting) => `-c ${setting}`).join(' ')}`;
    runTool(join(bin, 'pg_ctl'), ['-D', data, '-o', options, '-l', join(dir, 'log'), '-w', 'start']);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }

  let stopped = false;
  return {
    url: `postgres://${USER}@127.0.0.1:${port}/postgres`,
    dataDir: data,
    stop() {
      if (stopped) return;
      stopped = true;
      try {
        runTool(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    const cluster = await startThrowawayPostgres();
    console.log(`CONFAB_TEST_DATABASE_URL=${cluster.url}`);
    for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
      process.once(signal, () => {
        cluster.stop();
        process.exit(0);
      });
    }
    // Stay alive until stopped; the cluster is removed on the way out.
    setInterval(() => {}, 1 << 30);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
