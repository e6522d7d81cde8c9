// `npm run bench:import`: a generated Disqus export (disqus-export.mjs) imported by
// `confab-server import` as a site owner runs it, on PGlite and on PostgreSQL: comments per second
// and the process's peak memory (GNU time's maximum resident set size).
//
//   npm run bench:import                                  # 1,000,000 comments
//   IMPORT_COMMENTS=100000 node server/bench/import.mjs   # fewer (server/dist: npm run build -w confab-server)
//   IMPORT_PGLITE_ONLY=1 …                                # PGlite only
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeDisqusExport } from './disqus-export.mjs';
import { onEachDatabase } from './drain.mjs';

const COMMENTS = Number(process.env.IMPORT_COMMENTS || 1_000_000);
const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const TIME = '/usr/bin/time';

if (!existsSync(CLI)) throw new Error('Build the server first: npm run build -w confab-server');
if (!existsSync(TIME)) throw new Error('GNU time (/usr/bin/time) measures the peak memory: apt-get install -y time');

const work = mkdtempSync(join(tmpdir(), 'confab-import-bench-'));
try {
  const file = join(work, 'disqus.xml');
  const started = performance.now();
  await writeDisqusExport({ comments: COMMENTS, out: file });
  const cpu = cpus();
  console.log(`${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${cpu.length} × ${cpu[0]?.model ?? 'CPU'}`);
  console.log(
    `a Disqus export of ${COMMENTS.toLocaleString('en')} comments, ${(statSync(file).size / 1e6).toFixed(0)} MB, made in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
  );
  console.log('| database | imported | seconds | comments/s | peak memory |');
  console.log('|---|---:|---:|---:|---:|');
  await onEachDatabase(
    async (name, { dataDir, databaseUrl }) => {
      const env = { ...process.env, DATABASE_URL: databaseUrl ?? '', DATA_DIR: dataDir ?? '', LOG_LEVEL: 'warn' };
      const args = [
        '-f',
        '%e %M',
        process.execPath,
        CLI,
        'import',
        '--from',
        'disqus',
        file,
        '--site-url',
        'https://blog.example.com',
      ];
      const run = spawnSync(TIME, args, { env, encoding: 'utf8', maxBuffer: 64 << 20 });
      // GNU time's line is the last of stderr.
      const [seconds, kilobytes] = run.stderr.trim().split('\n').at(-1).split(' ').map(Number);
      const imported = Number(/^imported [\d,]+ threads?, ([\d,]+) comments/m.exec(run.stdout)?.[1]?.replace(/,/g, ''));
      if (run.status !== 0 || !imported) throw new Error(`${name}: the import failed\n${run.stdout}\n${run.stderr}`);
      const rate = Math.round(imported / seconds).toLocaleString('en');
      console.log(
        `| ${name} | ${imported.toLocaleString('en')} | ${seconds.toFixed(1)} | ${rate} | ${Math.round(kilobytes / 1024)} MB |`,
      );
    },
    { pgliteOnly: process.env.IMPORT_PGLITE_ONLY === '1' },
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
