// `node server/bench/cpu-per-read.mjs`: the server's own CPU time per cached read, a steadier
// figure than requests per second on a shared machine. The server (load.mjs's child: the
// 1,000-comment thread, logging as in production) runs pinned to core 0, autocannon to core 1;
// the server process's user+system time is read from /proc before and after 100,000 reads of
// the first page. Linux with taskset only.
//
//   node server/bench/cpu-per-read.mjs                       # this build
//   LOG_REQUESTS=off node server/bench/cpu-per-read.mjs      # without request lines
//   LOAD_SERVER=/other/checkout/demo/server/index.mjs node server/bench/cpu-per-read.mjs
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const READS = Number(process.env.CPU_READS || 100_000);
const WARM_UP_READS = 20_000;
const TICKS_PER_SECOND = 100; // USER_HZ on Linux

if (!process.env.PINNED) {
  // Run again on core 1, leaving core 0 to the server.
  const again = spawn('taskset', ['-c', '1', process.execPath, fileURLToPath(import.meta.url)], {
    stdio: 'inherit',
    env: { ...process.env, PINNED: '1' },
  });
  again.on('exit', (code) => process.exit(code ?? 1));
} else {
  const logDir = mkdtempSync(join(tmpdir(), 'confab-cpu-'));
  const loadScript = fileURLToPath(new URL('load.mjs', import.meta.url));
  const child = spawn('taskset', ['-c', '0', process.execPath, loadScript, 'serve'], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, LOAD_LOG_DIR: logDir },
  });
  try {
    const { url, readThread } = await new Promise((resolve, reject) => {
      child.once('message', resolve);
      child.once('exit', () => reject(new Error('the server did not start')));
    });
    const { default: autocannon } = await import('autocannon');
    const target = `${url}/api/threads/${encodeURIComponent(readThread)}/comments?limit=20`;
    const read = (amount) => autocannon({ url: target, connections: 50, amount });
    await read(WARM_UP_READS);
    // The server's pid is taskset's: taskset execs node in place.
    const ticks = () =>
      readFileSync(`/proc/${child.pid}/stat`, 'utf8')
        .split(') ')[1]
        .split(' ')
        .slice(11, 13)
        .map(Number)
        .reduce((a, b) => a + b);
    const before = ticks();
    const result = await read(READS);
    const micros = ((ticks() - before) / TICKS_PER_SECOND / READS) * 1e6;
    console.log(
      `${micros.toFixed(0)} µs of server CPU per cached read (${READS} reads, ${Math.round(result.requests.average)} req/s, ${result.non2xx} not 2xx)`,
    );
  } finally {
    child.kill('SIGINT');
    rmSync(logDir, { recursive: true, force: true });
  }
}
