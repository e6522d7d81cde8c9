// Moderator accounts (server/src/moderators.ts): invitations, passwords, sign-in and its limit,
// sessions, the session cookie; and the `confab-server moderator …` commands, run as a child
// process against a PGlite folder of their own.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../server/src/database.js';
import { ProtocolError } from '../../server/src/errors.js';
import { migrate } from '../../server/src/migrations.js';
import {
  SESSION_COOKIE,
  clearedSessionCookie,
  createModerators,
  hashPassword,
  inviteLink,
  passwordMatches,
  readSessionCookie,
  sessionCookie,
} from '../../server/src/moderators.js';

const PASSWORD = 'correct horse battery';
const HOUR = 60 * 60_000;
const DAY = 24 * HOUR;

let db: Database;
beforeAll(async () => {
  db = await openDatabase({});
  await migrate(db);
});
afterAll(() => db?.close());
beforeEach(async () => {
  await db.exec('DELETE FROM sessions; DELETE FROM moderators;');
});

/** A clock the test moves by hand. */
function clock(start = Date.parse('2030-01-01T00:00:00Z')) {
  let time = start;
  return { now: () => new Date(time), advance: (ms: number) => (time += ms) };
}

/** The ProtocolError `promise` rejects with. */
async function refusal(promise: Promise<unknown>): Promise<ProtocolError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProtocolError);
  return error as ProtocolError;
}

describe('passwords', () => {
  it('are stored as scrypt$N$r$p$salt$hash, salted, and checked', async () => {
    const hash = await hashPassword(PASSWORD);
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(await hashPassword(PASSWORD)).not.toBe(hash);
    expect(await passwordMatches(PASSWORD, hash)).toBe(true);
    expect(await passwordMatches(`${PASSWORD}!`, hash)).toBe(false);
    expect(await passwordMatches(PASSWORD, 'plain')).toBe(false);
    expect(await passwordMatches(PASSWORD, hash.replace('$32768$', '$1073741824$'))).toBe(false);
  });
});

describe('moderators', () => {
  it('are invited, set their password, sign in, hold a session and sign out', async () => {
    const moderators = createModerators({ db });
    const { moderator, inviteToken } = await moderators.add('  Ann@Example.COM ', 'Ann');
    expect(moderator).toEqual({
      id: expect.stringMatching(/^m_/),
      email: 'ann@example.com',
      name: 'Ann',
      createdAt: expect.any(String),
      lastSignInAt: null,
      invited: true,
      alerts: 'immediate',
    });
    expect(inviteToken).toMatch(/^[\w-]{43}$/);
    expect(inviteLink('https://c.example.com/', inviteToken)).toBe(`https://c.example.com/admin/#set-password=${inviteToken}`);
    // Only hashes are stored.
    const { rows } = await db.query('SELECT * FROM moderators');
    expect(JSON.stringify(rows)).not.toContain(inviteToken);

    const actor = { kind: 'moderator', id: moderator.id, email: 'ann@example.com', name: 'Ann' };
    const set = await moderators.setPassword(inviteToken, PASSWORD);
    expect(set.actor).toEqual(actor);
    expect(await moderators.session(set.sessionToken)).toEqual(actor);
    const [listed] = await moderators.list();
    expect(listed).toMatchObject({ invited: false, lastSignInAt: expect.any(String) });

    const signedIn = await moderators.signIn('ANN@example.com', PASSWORD, '192.0.2.1');
    expect(signedIn.actor).toEqual(actor);
    expect(signedIn.sessionToken).not.toBe(set.sessionToken);
    expect(await moderators.session(signedIn.sessionToken)).toEqual(actor);
    const sessions = await db.query('SELECT token_hash FROM sessions');
    expect(JSON.stringify(sessions.rows)).not.toContain(signedIn.sessionToken);

    await moderators.signOut(signedIn.sessionToken);
    expect(await moderators.session(signedIn.sessionToken)).toBeNull();
    expect(await moderators.session(set.sessionToken)).toEqual(actor);
  });

  it('lists every moderator with their state', async () => {
    const moderators = createModerators({ db });
    expect(await moderators.list()).toEqual([]);
    const { inviteToken } = await moderators.add('ann@example.com', 'Ann');
    await moderators.add('bob@example.com');
    await moderators.setPassword(inviteToken, PASSWORD);
    const list = await moderators.list();
    expect(list.map(({ email, name, invited }) => ({ email, name, invited }))).toEqual([
      { email: 'ann@example.com', name: 'Ann', invited: false },
      { email: 'bob@example.com', name: '', invited: true },
    ]);
    expect(list[1]!.lastSignInAt).toBeNull();
  });

  it('refuses a bad email, a long name and an email that exists already', async () => {
    const moderators = createModerators({ db });
    for (const email of [undefined, 42, '', 'ann', 'ann@', '@example.com', 'a b@example.com', `${'a'.repeat(250)}@example.com`]) {
      const error = await refusal(moderators.add(email));
      expect(error.status, String(email)).toBe(400);
      expect(error.code).toBe('invalid');
      expect(error.reason).toBe('email-invalid');
      expect(error.fields).toEqual({ email: expect.any(String) });
    }
    const long = await refusal(moderators.add('ann@example.com', 'x'.repeat(101)));
    expect(long.status).toBe(400);
    expect(long.fields).toEqual({ name: expect.any(String) });
    expect(long.reason).toBe('name-invalid');
    expect((await refusal(moderators.add('ann@example.com', 7))).fields).toEqual({ name: expect.any(String) });

    await moderators.add('ann@example.com', 'x'.repeat(100));
    const again = await refusal(moderators.add(' ANN@example.com', 'Ann'));
    expect(again.status).toBe(409);
    expect(again.code).toBe('conflict');
    // The dashboard words it by its reason; the message stays English for scripts and logs.
    expect(again.toBody()).toEqual({
      error: {
        code: 'conflict',
        reason: 'moderator-exists',
        message: 'A moderator with the email ann@example.com exists already',
      },
    });
    expect(await moderators.list()).toHaveLength(1);
  });

  it('keeps passwords from 10 to 200 characters', async () => {
    const moderators = createModerators({ db });
    const { inviteToken } = await moderators.add('ann@example.com');
    for (const password of [undefined, 12345678901, '', '123456789', 'x'.repeat(201)]) {
      const error = await refusal(moderators.setPassword(inviteToken, password));
      expect(error.status).toBe(400);
      expect(error.fields).toEqual({ password: 'The password must be 10 to 200 characters long' });
      expect(error.reason).toBe('password-length');
    }
    // Refused passwords leave the link working.
    await moderators.setPassword(inviteToken, 'x'.repeat(200));
    const other = await moderators.add('bob@example.com');
    await moderators.setPassword(other.inviteToken, '1234567890');
    await moderators.signIn('bob@example.com', '1234567890', 'client');
  });

  it('refuses an invitation link that is unknown, used or older than 24 hours', async () => {
    const time = clock();
    const moderators = createModerators({ db, now: time.now });
    const { inviteToken } = await moderators.add('ann@example.com');
    for (const token of [undefined, '', 'nonsense', 'x'.repeat(10_000)]) {
      const error = await refusal(moderators.setPassword(token, PASSWORD));
      expect(error.status).toBe(401);
      expect(error.code).toBe('unauthorized');
      expect(error.reason).toBe('link-expired');
    }
    await moderators.setPassword(inviteToken, PASSWORD);
    expect((await refusal(moderators.setPassword(inviteToken, 'another password'))).status).toBe(401);
    // The used link changed nothing: the first password still works.
    await moderators.signIn('ann@example.com', PASSWORD, 'client');

    const bob = await moderators.add('bob@example.com');
    time.advance(DAY - 1000);
    const carol = await moderators.add('carol@example.com');
    time.advance(1000);
    expect((await refusal(moderators.setPassword(bob.inviteToken, PASSWORD))).status).toBe(401);
    await moderators.setPassword(carol.inviteToken, PASSWORD);
  });

  it('makes a new link for a moderator (a reset) and the old one stops working', async () => {
    const moderators = createModerators({ db });
    const { moderator, inviteToken } = await moderators.add('ann@example.com');
    const first = await moderators.setPassword(inviteToken, PASSWORD);

    const reset = await moderators.invite('ANN@example.com');
    const again = await moderators.invite(moderator.id);
    expect((await refusal(moderators.setPassword(reset, 'new password here'))).status).toBe(401);
    // Until the new one is set, the old password still works.
    await moderators.signIn('ann@example.com', PASSWORD, 'client');
    const second = await moderators.setPassword(again, 'new password here');
    expect((await refusal(moderators.signIn('ann@example.com', PASSWORD, 'client'))).status).toBe(401);
    await moderators.signIn('ann@example.com', 'new password here', 'client');
    // Setting a password ends the other sessions.
    expect(await moderators.session(first.sessionToken)).toBeNull();
    expect(await moderators.session(second.sessionToken)).toMatchObject({ kind: 'moderator' });

    expect((await refusal(moderators.invite('nobody@example.com'))).status).toBe(404);
  });

  it('answers a wrong password and an unknown email alike', async () => {
    const moderators = createModerators({ db });
    const { inviteToken } = await moderators.add('ann@example.com');
    const invited = await refusal(moderators.signIn('ann@example.com', PASSWORD, 'client'));
    await moderators.setPassword(inviteToken, PASSWORD);

    const wrong = await refusal(moderators.signIn('ann@example.com', 'wrong password', 'client'));
    const unknown = await refusal(moderators.signIn('nobody@example.com', PASSWORD, 'client'));
    const junk = await refusal(moderators.signIn(42, { password: true }, 'client'));
    for (const error of [invited, wrong, unknown, junk]) {
      expect(error.toBody()).toEqual({
        error: { code: 'unauthorized', reason: 'wrong-sign-in', message: 'Wrong email or password' },
      });
      expect(error.status).toBe(401);
    }

    // An unknown email costs a password check too: no faster answer tells which emails exist.
    const timed = async (email: string) => {
      const started = performance.now();
      await moderators.signIn(email, 'wrong password', `c-${email}`).catch(() => {});
      return performance.now() - started;
    };
    await timed('warm@example.com');
    const known = Math.min(await timed('ann@example.com'), await timed('ann@example.com'));
    const none = Math.min(await timed('nobody@example.com'), await timed('nobody@example.com'));
    expect(none).toBeGreaterThan(known / 3);
  });

  it('refuses sign-ins for a while after 10 failures from one client', async () => {
    const time = clock();
    const moderators = createModerators({ db, now: time.now });
    const { inviteToken } = await moderators.add('ann@example.com');
    await moderators.setPassword(inviteToken, PASSWORD);
    for (let attempt = 0; attempt < 10; attempt += 1) {
      const error = await refusal(moderators.signIn(`guess${attempt}@example.com`, 'wrong password', '198.51.100.7'));
      expect(error.status).toBe(401);
    }
    const limited = await refusal(moderators.signIn('ann@example.com', PASSWORD, '198.51.100.7'));
    expect(limited.status).toBe(429);
    expect(limited.code).toBe('rate_limited');
    expect(limited.reason).toBe('sign-in-limit');
    expect(limited.headers).toEqual({ 'Retry-After': String(15 * 60) });
    // Another client is not held back, nor is the email (those guesses were for other emails).
    await moderators.signIn('ann@example.com', PASSWORD, '198.51.100.8');

    time.advance(5 * 60_000);
    expect((await refusal(moderators.signIn('ann@example.com', PASSWORD, '198.51.100.7'))).headers).toEqual({
      'Retry-After': String(10 * 60),
    });
    time.advance(10 * 60_000);
    await moderators.signIn('ann@example.com', PASSWORD, '198.51.100.7');
  });

  it('refuses sign-ins for a while after 10 failures for one email, from any clients', async () => {
    const time = clock();
    const moderators = createModerators({ db, now: time.now, signInLimit: { attempts: 10, windowMs: 15 * 60_000 } });
    const { inviteToken } = await moderators.add('ann@example.com');
    await moderators.setPassword(inviteToken, PASSWORD);
    for (let attempt = 0; attempt < 10; attempt += 1) {
      expect((await refusal(moderators.signIn('ann@example.com', `wrong ${attempt}`, `203.0.113.${attempt}`))).status).toBe(401);
    }
    // Even the right password, from a new client, and the email written otherwise.
    const limited = await refusal(moderators.signIn(' Ann@Example.com', PASSWORD, '203.0.113.99'));
    expect(limited.status).toBe(429);
    expect(Number(limited.headers?.['Retry-After'])).toBe(900);
    // Other emails from those clients still go through.
    const bob = await moderators.add('bob@example.com');
    await moderators.setPassword(bob.inviteToken, PASSWORD);
    await moderators.signIn('bob@example.com', PASSWORD, '203.0.113.1');

    time.advance(15 * 60_000);
    await moderators.signIn('ann@example.com', PASSWORD, '203.0.113.99');
  });

  it('counts attempts made at once before any of them is answered', async () => {
    const moderators = createModerators({ db });
    const { inviteToken } = await moderators.add('ann@example.com');
    await moderators.setPassword(inviteToken, PASSWORD);
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) => refusal(moderators.signIn('ann@example.com', `wrong ${i}`, `192.0.2.${i}`))),
    );
    expect(answers.filter((error) => error.status === 401)).toHaveLength(10);
    expect(answers.filter((error) => error.status === 429)).toHaveLength(20);
    // A success does not count against its client.
    const bob = await moderators.add('bob@example.com');
    await moderators.setPassword(bob.inviteToken, PASSWORD);
    for (let attempt = 0; attempt < 12; attempt += 1) await moderators.signIn('bob@example.com', PASSWORD, 'one client');
  });

  it('ends the sessions of a removed moderator at once', async () => {
    const moderators = createModerators({ db });
    const ann = await moderators.add('ann@example.com');
    const bob = await moderators.add('bob@example.com');
    const annSession = (await moderators.setPassword(ann.inviteToken, PASSWORD)).sessionToken;
    const bobSession = (await moderators.setPassword(bob.inviteToken, PASSWORD)).sessionToken;

    expect(await moderators.remove('ANN@example.com')).toBe(true);
    expect(await moderators.session(annSession)).toBeNull();
    expect((await refusal(moderators.signIn('ann@example.com', PASSWORD, 'client'))).status).toBe(401);
    expect(await moderators.remove('ann@example.com')).toBe(false);

    expect(await moderators.remove(bob.moderator.id)).toBe(true);
    expect(await moderators.session(bobSession)).toBeNull();
    expect(await moderators.list()).toEqual([]);
  });

  it('ends sessions after 14 days and forgets the expired ones and dead links', async () => {
    const time = clock();
    const moderators = createModerators({ db, now: time.now, adminToken: 'the-admin-token-0123456789abcdef' });
    const { inviteToken } = await moderators.add('ann@example.com');
    const { sessionToken } = await moderators.setPassword(inviteToken, PASSWORD);
    await moderators.add('bob@example.com');
    time.advance(14 * DAY - 1000);
    expect(await moderators.session(sessionToken)).toMatchObject({ kind: 'moderator', email: 'ann@example.com' });
    const later = await moderators.tokenSession();
    time.advance(1000);
    expect(await moderators.session(sessionToken)).toBeNull();
    expect(await moderators.session(later)).toEqual({ kind: 'token' });

    await moderators.forgetExpired();
    expect((await db.query('SELECT count(*)::int AS n FROM sessions')).rows[0]!.n).toBe(1);
    const { rows } = await db.query('SELECT email FROM moderators WHERE invite_hash IS NOT NULL');
    expect(rows).toEqual([]);
    expect(await moderators.list()).toHaveLength(2);
  });

  it('gives someone signed in with the admin token a session of the token', async () => {
    const adminToken = 'the-admin-token-0123456789abcdef';
    const moderators = createModerators({ db, sessionTtlMs: HOUR, adminToken });
    expect(moderators.sessionMaxAgeSeconds).toBe(3600);
    const token = await moderators.tokenSession();
    expect(await moderators.session(token)).toEqual({ kind: 'token' });
    // Another token (or none) now: that session is no longer anyone's.
    expect(await createModerators({ db, adminToken: 'another-admin-token-0123456789ab' }).session(token)).toBeNull();
    expect(await createModerators({ db }).session(token)).toBeNull();
    const { rows } = await db.query('SELECT moderator_id, expires_at - created_at AS lasts FROM sessions');
    expect(rows).toHaveLength(1);
    expect(rows[0]!.moderator_id).toBeNull();
    await moderators.signOut(token);
    expect(await moderators.session(token)).toBeNull();
  });

  it('treats junk session tokens as no session', async () => {
    const moderators = createModerators({ db });
    for (const token of [undefined, null, '', 42, {}, 'x'.repeat(100_000), 'unknown-token']) {
      expect(await moderators.session(token)).toBeNull();
      await moderators.signOut(token);
    }
    expect(createModerators({ db }).sessionMaxAgeSeconds).toBe(14 * 24 * 3600);
  });
});

describe('the session cookie', () => {
  it('is HttpOnly, SameSite=Strict, on the whole origin, and Secure only when asked', () => {
    expect(SESSION_COOKIE).toBe('confab_session');
    expect(sessionCookie('abc', { secure: false, maxAgeSeconds: 1_209_600 })).toBe(
      'confab_session=abc; Path=/; HttpOnly; SameSite=Strict; Max-Age=1209600',
    );
    expect(sessionCookie('abc', { secure: true, maxAgeSeconds: 60 })).toBe(
      'confab_session=abc; Path=/; HttpOnly; SameSite=Strict; Max-Age=60; Secure',
    );
    expect(clearedSessionCookie(false)).toBe('confab_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0');
    expect(clearedSessionCookie(true)).toBe('confab_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0; Secure');
  });

  it('is read from a Cookie header among others, and junk is no cookie', () => {
    const token = 'A1b2_C3-d4';
    expect(readSessionCookie(`confab_session=${token}`)).toBe(token);
    expect(readSessionCookie(`theme=dark; confab_session=${token}; other=1`)).toBe(token);
    expect(readSessionCookie(`theme=dark;confab_session=${token}`)).toBe(token);
    expect(readSessionCookie(`confab_session="${token}"`)).toBe(token);
    expect(readSessionCookie(`x_confab_session=${token}; confab_sessions=${token}`)).toBeUndefined();
    expect(readSessionCookie(`confab_session=; confab_session=${token}`)).toBe(token);
    for (const header of [
      undefined,
      '',
      ';;;',
      'confab_session',
      'confab_session=',
      'confab_session=a b',
      'confab_session=%00',
      'confab_session=<script>',
      `confab_session=${'a'.repeat(500)}`,
      '=; =x; confab_session==',
    ]) {
      expect(readSessionCookie(header), String(header)).toBeUndefined();
    }
  });
});

describe('confab-server moderator', () => {
  let work: string;
  let dataDir: string;
  let loader: string;
  const cli = fileURLToPath(new URL('../../server/src/cli.ts', import.meta.url));

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'confab-moderator-cli-'));
    dataDir = join(work, 'data');
    // The CLI's TypeScript, run by node itself: .js imports found as .ts, compiled by esbuild.
    const esbuild = pathToFileURL(createRequire(import.meta.url).resolve('esbuild')).href;
    writeFileSync(
      join(work, 'hooks.mjs'),
      `import { transform } from ${JSON.stringify(esbuild)};
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
export async function resolve(specifier, context, next) {
  if (specifier.endsWith('.js') && context.parentURL?.endsWith('.ts')) {
    const url = new URL(specifier.replace(/\\.js$/, '.ts'), context.parentURL);
    if (url.protocol === 'file:' && existsSync(fileURLToPath(url))) return { url: url.href, format: 'module', shortCircuit: true };
  }
  return next(specifier, context);
}
export async function load(url, context, next) {
  if (!url.startsWith('file:') || !url.endsWith('.ts')) return next(url, context);
  const file = fileURLToPath(url);
  const { code } = await transform(await readFile(file, 'utf8'), { loader: 'ts', format: 'esm', sourcefile: file });
  return { format: 'module', source: code, shortCircuit: true };
}
`,
    );
    loader = join(work, 'register.mjs');
    writeFileSync(
      loader,
      `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(join(work, 'hooks.mjs')).href)});\n`,
    );
  });
  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const run = (args: string[], env: Record<string, string> = {}) => {
    const { PUBLIC_URL: _, DATABASE_URL: __, ...inherited } = process.env;
    return spawnSync(process.execPath, ['--import', pathToFileURL(loader).href, cli, ...args], {
      env: { ...inherited, DATA_DIR: dataDir, PORT: '4173', ...env },
      encoding: 'utf8',
      timeout: 60_000,
    });
  };

  it('adds a moderator and prints the one-time link, lists, resets and removes them, each in the audit log', async () => {
    const added = run(['moderator', 'add', 'Ann@Example.com', '--name', 'Ann Example'], {
      PUBLIC_URL: 'https://comments.example.com/',
    });
    expect(added.stderr).toBe('');
    expect(added.status).toBe(0);
    expect(added.stdout).toMatch(/ann@example\.com/);
    expect(added.stdout).toMatch(/24 h/);
    const link = /https:\/\/comments\.example\.com\/admin\/#set-password=([\w-]{43})\n/.exec(added.stdout);
    expect(link, added.stdout).not.toBeNull();

    const bob = run(['moderator', 'add', 'bob@example.com']);
    expect(bob.status).toBe(0);
    expect(bob.stdout).toMatch(/http:\/\/localhost:4173\/admin\/#set-password=[\w-]{43}\n/);

    const list = run(['moderator', 'list']);
    expect(list.status).toBe(0);
    const lines = list.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^EMAIL\s+NAME\s+STATE\s+ALERTS\s+LAST SIGN-IN$/);
    expect(lines[1]).toMatch(/^ann@example\.com\s+Ann Example\s+invited\s+immediate\s+never$/);
    expect(lines[2]).toMatch(/^bob@example\.com\s+invited\s+immediate\s+never$/);

    const digest = run(['moderator', 'alerts', 'BOB@example.com', 'digest']);
    expect(digest.status).toBe(0);
    expect(digest.stdout).toBe('bob@example.com now gets one email an hour listing the held and reported comments.\n');
    expect(run(['moderator', 'list']).stdout).toMatch(/^bob@example\.com\s+invited\s+digest\s+never$/m);
    const wrongChoice = run(['moderator', 'alerts', 'bob@example.com', 'weekly']);
    expect(wrongChoice.status).toBe(2);
    expect(wrongChoice.stderr).toBe('"weekly" is not a choice of alerts: immediate, digest or off.\n');

    const reset = run(['moderator', 'reset', 'ANN@example.com']);
    expect(reset.status).toBe(0);
    const newLink = /#set-password=([\w-]{43})\n/.exec(reset.stdout);
    expect(newLink?.[1]).toBeDefined();
    expect(newLink?.[1]).not.toBe(link?.[1]);

    const twice = run(['moderator', 'add', 'ann@example.com']);
    expect(twice.status).toBe(1);
    expect(twice.stderr).toMatch(/exists already/);

    const removed = run(['moderator', 'remove', 'ann@example.com']);
    expect(removed.status).toBe(0);
    expect(removed.stdout).toMatch(/Removed ann@example\.com/);
    const after = run(['moderator', 'list']);
    expect(after.stdout).not.toContain('ann@example.com');
    expect(after.stdout).toContain('bob@example.com');

    const db = await openDatabase({ dataDir: join(dataDir, 'pgdata') });
    try {
      const { rows } = await db.query('SELECT actor, action, before, after FROM audit_log ORDER BY id');
      expect(rows.map((row) => [row.actor, row.action])).toEqual([
        [{ kind: 'cli' }, 'moderator.add'],
        [{ kind: 'cli' }, 'moderator.add'],
        [{ kind: 'cli' }, 'moderator.alerts'],
        [{ kind: 'cli' }, 'moderator.reset'],
        [{ kind: 'cli' }, 'moderator.remove'],
      ]);
      expect(rows[0]!.after).toEqual({ email: 'ann@example.com', name: 'Ann Example' });
    } finally {
      await db.close();
    }
  }, 120_000); // eleven runs of the command, each opening the database

  it('fails with a message on an unknown email, and exits 2 on a wrong command line', () => {
    const unknown = run(['moderator', 'remove', 'nobody@example.com']);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toBe('No moderator nobody@example.com\n');
    expect(run(['moderator', 'reset', 'nobody@example.com']).status).toBe(1);

    for (const args of [
      ['moderator'],
      ['moderator', 'promote', 'ann@example.com'],
      ['moderator', 'add'],
      ['moderator', 'add', 'a@example.com', 'b@example.com'],
      ['moderator', 'list', 'extra'],
      ['moderator', 'alerts', 'a@example.com'],
      ['moderator', 'remove', '--name', 'Ann', 'a@example.com'],
      ['moderator', 'add', 'not-an-email'],
      ['moderator', 'add', 'a@example.com', '--colour', 'red'],
      ['migrate', 'extra'],
    ]) {
      const result = run(args);
      expect(result.status, args.join(' ')).toBe(2);
      expect(result.stderr, args.join(' ')).not.toBe('');
    }
  }, 120_000); // a run of the command per wrong line, each opening the database

  it('explains itself', () => {
    const help = run(['moderator', '--help']);
    expect(help.status).toBe(0);
    for (const text of [
      'moderator add EMAIL [--name NAME]',
      'moderator list',
      'moderator remove EMAIL',
      'moderator reset EMAIL',
      'moderator alerts EMAIL CHOICE',
    ]) {
      expect(help.stdout).toContain(text);
    }
    expect(help.stdout).toContain('--data-dir');
    expect(run(['--help']).stdout).toMatch(/moderator/);
  });
});
