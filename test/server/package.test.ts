// @vitest-environment node
// confab-server as a site owner gets it: packed with `npm pack`, installed from the tarball into
// an empty folder with `npm install`, started with `npx confab-server start`, used, and stopped
// with SIGTERM while an event stream is open and a request is in flight. Also: its command line,
// and its systemd unit.
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../server/src/migrations.js';
import { call, eventually, post, rawEventStream, slowPost } from './helpers';

const serverDir = fileURLToPath(new URL('../../server/', import.meta.url));
const { version } = JSON.parse(readFileSync(join(serverDir, 'package.json'), 'utf8'));
let work: string;
let installed: string;
let packed: string[];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

interface Running {
  /** npx, which runs the server through a shell. */
  process: ChildProcess;
  /** The server's own process, as its 'listening' line says. */
  pid: number;
  url: string;
  /** Every JSON line it logged so far. */
  lines: Array<Record<string, unknown>>;
  exited: Promise<number | null>;
}

/** `npx confab-server start` in the installed folder, ready once /readyz answers 200. */
async function startInstalled(dataDir: string, env: Record<string, string> = {}): Promise<Running> {
  const port = await freePort();
  const child = spawn('npx', ['--no-install', 'confab-server', 'start', '--port', String(port), '--data-dir', dataDir], {
    cwd: installed,
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Array<Record<string, unknown>> = [];
  let stderr = '';
  let buffered = '';
  child.stdout!.on('data', (chunk) => {
    buffered += chunk;
    const parts = buffered.split('\n');
    buffered = parts.pop()!;
    for (const part of parts) if (part.trim()) lines.push(JSON.parse(part));
  });
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  await eventually(async () => {
    if (child.exitCode !== null) throw new Error(`confab-server exited with ${child.exitCode}: ${stderr}`);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
  }, 30_000);
  const pid: number = (await eventually(() => {
    const listening = lines.find((line) => line.msg === 'listening');
    expect(listening?.pid).toEqual(expect.any(Number));
    return listening!.pid as number;
  })) as number;
  const running = { process: child, pid, url, lines, exited };
  started.push(running);
  return running;
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'confab-server-package-'));
  // The package as built by `npm test` (dist/ and the widget copied in).
  const [info] = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: serverDir, encoding: 'utf8' }),
  );
  packed = info.files.map((file: { path: string }) => file.path);
  installed = join(work, 'site');
  execFileSync('mkdir', ['-p', installed]);
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', join(work, info.filename)], {
    cwd: installed,
    stdio: 'pipe',
  });
}, 240_000);

const started: Running[] = [];
afterAll(() => {
  // A server a failed test left running must not outlive the run.
  for (const server of started) if (server.process.exitCode === null) process.kill(server.pid, 'SIGKILL');
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the confab-server package', () => {
  it('ships the built server, the widget and its locales, the unit file and the README; no sources or tests', () => {
    expect(packed).toEqual(
      expect.arrayContaining([
        'package.json',
        'README.md',
        'confab-server.service',
        'dist/cli.js',
        'dist/index.js',
        'dist/index.d.ts',
        'widget/confab.iife.js',
        'widget/locales/de.iife.js',
        'widget/manifest.json',
        'widget/mail-messages.json',
        'widget/negotiate.js',
        'widget/dashboard-page.json',
        'widget/confab-isso.iife.js',
        'widget/confab-report.iife.js',
        'dist/admin/index.html',
      ]),
    );
    expect(
      packed.filter((path) => /^(src|test|scripts|bench)\//.test(path) || (path.endsWith('.map') && path.startsWith('widget/'))),
    ).toEqual([]);
    const manifest = JSON.parse(readFileSync(join(installed, 'node_modules/confab-server/package.json'), 'utf8'));
    expect(Object.keys(manifest.dependencies).sort()).toEqual([
      '@electric-sql/pglite',
      'htmlparser2',
      'jose',
      'nodemailer',
      'pg',
      'pino',
      'prom-client',
      'saxes',
      'sql.js',
    ]);
  });

  it('answers --version and --help, and refuses a bad setting with a clear message', () => {
    const run = (...args: string[]) =>
      spawnSync('npx', ['--no-install', 'confab-server', ...args], { cwd: installed, encoding: 'utf8' });
    expect(run('--version').stdout.trim()).toBe(version);
    expect(run('--help').stdout).toContain('confab-server start --help');
    const startHelp = run('start', '--help').stdout;
    for (const setting of [
      '--port',
      'PORT, default 4173',
      '--database-url',
      '--admin-token',
      '--allowed-origins',
      '--log-level',
      '--metrics-port',
      '--max-streams-per-client, ',
      'MAX_STREAMS_PER_CLIENT, default 50',
    ]) {
      expect(startHelp.includes(setting) || startHelp.includes(setting.replace(', ', '')), setting).toBe(true);
    }
    const bad = run('start', '--port', 'eighty');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe('PORT must be a whole number from 0 to 65535, not "eighty"\n');
    // A start that fails after opening things exits (a service manager restarts it) instead of hanging.
    const notAFolder = run(
      'start',
      '--port',
      '0',
      '--data-dir',
      join(work, 'unused'),
      '--widget-dir',
      join(installed, 'package.json'),
    );
    expect(notAFolder.status).toBe(1);
    expect(notAFolder.stdout).toMatch(/"level":"fatal".*The widget folder .* cannot be read/);
    expect(run('serve').status).toBe(2);
  });

  it('migrates, starts, serves the widget and a comment, and stops on SIGTERM once the request in flight is answered', async () => {
    const dataDir = join(work, 'data');
    const migrated = spawnSync('npx', ['--no-install', 'confab-server', 'migrate', '--data-dir', dataDir], {
      cwd: installed,
      encoding: 'utf8',
    });
    expect(migrated.status).toBe(0);
    expect(JSON.parse(migrated.stdout.trim().split('\n').at(-1)!)).toMatchObject({
      msg: 'database migrated',
      applied: MIGRATIONS.map((m) => m.version),
    });

    const server = await startInstalled(dataDir);
    // The risky defaults are named at start.
    const warnings = server.lines.filter((line) => line.level === 'warn').map((line) => String(line.msg));
    expect(warnings).toEqual([expect.stringMatching(/^ADMIN_TOKEN is not set/), expect.stringMatching(/^PGlite in .*power cut/)]);
    expect(server.lines.some((line) => line.msg === 'listening')).toBe(true);

    expect(await (await fetch(`${server.url}/healthz`)).json()).toEqual({ status: 'ok' });
    const bundle = await fetch(`${server.url}/widget/${version}/confab.iife.js`);
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('cache-control')).toContain('immutable');
    expect((await fetch(`${server.url}/widget/${version}/locales/de.iife.js`)).status).toBe(200);
    // The moderation dashboard, with its scripts and styles from its own files only.
    const dashboard = await fetch(`${server.url}/admin/`);
    expect(dashboard.status).toBe(200);
    expect(dashboard.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(dashboard.headers.get('vary')).toBe('Accept-Language');
    const page = await dashboard.text();
    const german = await (await fetch(`${server.url}/admin/`, { headers: { 'Accept-Language': 'de-CH, en;q=0.5' } })).text();
    expect(german).toContain('<html lang="de">');
    expect(german).toContain('<title>Confab-Moderation</title>');
    const script = /<script[^>]+src="([^"]+)"/.exec(page)?.[1];
    expect(script).toMatch(/^\/admin\/assets\/.+\.js$/);
    expect((await fetch(`${server.url}${script}`)).headers.get('content-type')).toMatch(/javascript/);

    const { comment } = await post(server.url, 'installed', { body: 'From the installed package' });
    const read = await call(server.url, 'GET', '/threads/installed/comments');
    expect(read.body.comments).toEqual([comment]);

    const stream = await rawEventStream(server.url, 'installed');
    const slow = await slowPost(server.url, 'installed');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const signalled = Date.now();
    // To the server itself: npm runs it through `sh -c`, and a signal to npx would stop npm and
    // the shell but never reach it. npx then exits with the server's own exit code.
    process.kill(server.pid, 'SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 500));
    slow.finish();
    const answer = await slow.closed;
    expect(answer).toMatch(/^HTTP\/1\.1 201 Created\r\n/);
    expect(await stream.ended).toMatch(/retry: \d+\n\n$/);
    expect(await server.exited).toBe(0);
    expect(Date.now() - signalled).toBeLessThan(10_000);
    expect(server.lines.at(-1)).toMatchObject({ msg: 'stopped' });

    // What it acknowledged is there after a restart; a second signal stops it at once.
    const again = await startInstalled(dataDir);
    expect((await call(again.url, 'GET', '/threads/installed/comments')).body.thread.commentCount).toBe(2);
    const stuck = await slowPost(again.url, 'installed');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const first = Date.now();
    process.kill(again.pid, 'SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 300));
    process.kill(again.pid, 'SIGINT');
    expect(await again.exited).toBe(1);
    expect(Date.now() - first).toBeLessThan(2_000);
    await stuck.closed;
  }, 60_000);

  it('has a systemd unit that systemd-analyze accepts', () => {
    const unit = join(installed, 'node_modules/confab-server/confab-server.service');
    expect(existsSync(unit)).toBe(true);
    const analyze = spawnSync('systemd-analyze', ['verify', unit], { encoding: 'utf8' });
    if (analyze.error) {
      // Not every machine has systemd; the unit's content is still checked below.
      expect((analyze.error as NodeJS.ErrnoException).code).toBe('ENOENT');
    } else {
      expect(analyze.stderr + analyze.stdout).toBe('');
      expect(analyze.status).toBe(0);
    }
    const text = readFileSync(unit, 'utf8');
    expect(text).toMatch(/^ExecStart=\/usr\/bin\/env confab-server start$/m);
    expect(text).toMatch(/^KillSignal=SIGTERM$/m);
  });
});
