#!/usr/bin/env node
// `confab-server`: start the server, or migrate its database, with settings from the environment
// and flags (a flag wins over its variable).
//
//   confab-server                       # same as: confab-server start
//   confab-server start --port 8080 --database-url postgres://…
//   confab-server migrate               # apply the database migrations, then exit
//   confab-server moderator add ann@example.com --name Ann   # prints a one-time link to set a password
//   confab-server outbox                # deliveries pending or given up (dead); outbox retry ID: again now
//   confab-server --help | --version | start --help
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { MIGRATIONS, migrate } from './migrations.js';
import { recordAudit } from './moderation.js';
import { openDatabase } from './database.js';
import { ProtocolError } from './errors.js';
import { createModerators, DEFAULT_INVITE_TTL_MS, inviteLink, type AlertChoice, type ModeratorInfo } from './moderators.js';
import { createLogger, type Logger } from './logger.js';
import { listOutbox, retryOutbox } from './outbox.js';
import { SETTINGS, readSettings, riskySettings, type Settings } from './settings.js';
import { SHUTDOWN_LIMIT_MS, VERSION, startServer } from './index.js';

const COMMANDS: Record<
  string,
  { summary: string; settings: (spec: (typeof SETTINGS)[number]) => boolean; usage?: string[]; notes?: string[] }
> = {
  start: { summary: 'serve the API, the widget and the metrics (the default)', settings: () => true },
  migrate: {
    summary: "bring the database to this version's schema, then exit (start does it too)",
    settings: (spec) => ['DATABASE_URL', 'DATA_DIR', 'LOG_LEVEL'].includes(spec.env),
  },
  moderator: {
    summary: 'add, list, remove or reset the accounts that sign in to the dashboard at /admin/',
    // PORT: the link's address when PUBLIC_URL is not set.
    settings: (spec) => ['DATABASE_URL', 'DATA_DIR', 'PORT', 'PUBLIC_URL'].includes(spec.env),
    usage: [
      'moderator add EMAIL [--name NAME]  a new account; prints a one-time link to set its password',
      'moderator list                     every account: email, name, invited or active, last sign-in',
      'moderator remove EMAIL             deletes the account; its sessions end at once',
      'moderator reset EMAIL              a new one-time link (a forgotten password); the old one stops working',
      'moderator alerts EMAIL CHOICE      their emails about held and reported comments: immediate, digest (hourly) or off',
    ],
    notes: [
      `A link is valid ${DEFAULT_INVITE_TTL_MS / 3_600_000} h, once. It starts with PUBLIC_URL`,
      "(the server's address as browsers reach it), else http://localhost:PORT.",
      'The database is migrated first. With PGlite (no DATABASE_URL), run it while the server is stopped:',
      'only one process at a time may open DATA_DIR.',
    ],
  },
  outbox: {
    summary: 'list the notifications (webhooks) not delivered yet, or given up, and retry one',
    settings: (spec) => ['DATABASE_URL', 'DATA_DIR'].includes(spec.env),
    usage: [
      'outbox [list]       deliveries pending (to be retried) and dead (given up), oldest first',
      'outbox retry ID     makes a dead or pending delivery due now, with a fresh backoff (ID or its delivery id)',
    ],
    notes: [
      'With PGlite (no DATABASE_URL), run it while the server is stopped: only one process at a time may',
      'open DATA_DIR; a retried delivery goes out when the server starts. With PostgreSQL, at once.',
    ],
  },
};

const MODERATOR_ACTIONS: Record<string, number> = { add: 1, list: 0, remove: 1, reset: 1, alerts: 2 };
const OUTBOX_ACTIONS: Record<string, number> = { list: 0, retry: 1 };
/** The rows `outbox` lists at most. */
const OUTBOX_LISTED = 200;

/** Exit codes: 0 done, 1 failed, 2 the command line was wrong. */
async function main(argv: string[]): Promise<number> {
  const [first] = argv;
  const command = first && !first.startsWith('-') ? first : 'start';
  const args = first === command ? argv.slice(1) : argv;
  const entry = COMMANDS[command];
  if (!entry) {
    process.stderr.write(`Unknown command "${command}".\n\n${usage()}`);
    return 2;
  }
  const specs = SETTINGS.filter(entry.settings);
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: {
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
        ...Object.fromEntries(specs.map((spec) => [spec.flag, { type: 'string' as const }])),
        ...(command === 'moderator' ? { name: { type: 'string' as const } } : {}),
      },
      strict: true,
      allowPositionals: command === 'moderator' || command === 'outbox',
    });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\nSee: confab-server ${command} --help\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.version) {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  if (values.help) {
    process.stdout.write(first === command ? commandHelp(command, specs) : usage());
    return 0;
  }
  const name = (values as { name?: string }).name;
  if (command === 'moderator') {
    const [action = '', ...rest] = positionals;
    const wanted = MODERATOR_ACTIONS[action];
    const problem =
      wanted === undefined
        ? action
          ? `Unknown action "moderator ${action}".`
          : 'Say what to do: moderator add, list, remove, reset or alerts.'
        : rest.length !== wanted
          ? `"moderator ${action}" takes ${['no arguments', 'one email', 'an email and immediate, digest or off'][wanted]}.`
          : name !== undefined && action !== 'add'
            ? '--name goes with "moderator add" only.'
            : undefined;
    if (problem) {
      process.stderr.write(`${problem}\n\nSee: confab-server moderator --help\n`);
      return 2;
    }
  }
  if (command === 'outbox') {
    const [action = 'list', ...rest] = positionals;
    const wanted = OUTBOX_ACTIONS[action];
    const problem =
      wanted === undefined
        ? `Unknown action "outbox ${action}".`
        : rest.length !== wanted
          ? `"outbox ${action}" takes ${wanted ? 'one id' : 'no arguments'}.`
          : undefined;
    if (problem) {
      process.stderr.write(`${problem}\n\nSee: confab-server outbox --help\n`);
      return 2;
    }
  }

  // Flags win over the environment; both are keyed by the variable's name from here on.
  const given: Record<string, string | undefined> = { ...process.env };
  for (const spec of specs) {
    const value = (values as Record<string, string | boolean | undefined>)[spec.flag];
    if (typeof value === 'string') given[spec.env] = value;
  }
  let settings: Settings;
  try {
    settings = readSettings(given, { defaultDataDir: resolve('confab-data') });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return 2;
  }
  if (command === 'moderator') {
    const publicUrl = settings.publicUrl ?? `http://localhost:${settings.port}`;
    const [action = '', email = '', choice = ''] = positionals;
    return runModerator(settings, { action, email, name, publicUrl, choice });
  }
  if (command === 'outbox') {
    const [action = 'list', id = ''] = positionals;
    return runOutbox(settings, action, id);
  }
  const logger = createLogger({ level: settings.logLevel });
  return command === 'migrate' ? runMigrate(settings, logger) : runStart(settings, logger);
}

async function runMigrate(settings: Settings, logger: Logger): Promise<number> {
  try {
    const db = await openDatabase({ databaseUrl: settings.databaseUrl, dataDir: pgliteDir(settings) });
    try {
      const { applied } = await migrate(db);
      const newest = Math.max(...MIGRATIONS.map((migration) => migration.version));
      logger.info({ applied, version: newest }, applied.length ? 'database migrated' : 'database already up to date');
    } finally {
      await db.close();
    }
    return 0;
  } catch (error) {
    logger.fatal({ err: error }, 'could not migrate the database');
    return 1;
  } finally {
    logger.flush();
  }
}

/** The database for a command that works on it; null (and a message on stderr) when it cannot be opened. */
async function openForCommand(settings: Settings) {
  try {
    return await openDatabase({ databaseUrl: settings.databaseUrl, dataDir: pgliteDir(settings) });
  } catch (error) {
    process.stderr.write(`Could not open the database: ${(error as Error).message}\n`);
    return null;
  }
}

/** `confab-server moderator add|list|remove|reset`: plain text out, messages on stderr. */
async function runModerator(
  settings: Settings,
  {
    action,
    email,
    name,
    publicUrl,
    choice,
  }: { action: string; email: string; name: string | undefined; publicUrl: string; choice: string },
): Promise<number> {
  const out = (lines: string[]) => process.stdout.write(`${lines.join('\n')}\n`);
  const validFor = `valid ${DEFAULT_INVITE_TTL_MS / 3_600_000} h, once`;
  const db = await openForCommand(settings);
  if (!db) return 1;
  try {
    await migrate(db);
    const moderators = createModerators({ db });
    const record = (what: string, before: object | null, after: object | null) =>
      recordAudit(db, new Date(), { kind: 'cli' }, what, { threadId: null, commentId: null }, before, after);
    if (action === 'add') {
      const { moderator, inviteToken } = await moderators.add(email, name);
      await record('moderator.add', null, { email: moderator.email, name: moderator.name });
      out([
        `Added ${moderator.email}. Send them this link to set their password (${validFor}):`,
        '',
        `  ${inviteLink(publicUrl, inviteToken)}`,
      ]);
    } else if (action === 'reset') {
      const inviteToken = await moderators.invite(email);
      await record('moderator.reset', null, { email: email.trim().toLowerCase() });
      out([
        `A new link for ${email.trim().toLowerCase()} to set a password (${validFor}); earlier links no longer work:`,
        '',
        `  ${inviteLink(publicUrl, inviteToken)}`,
      ]);
    } else if (action === 'alerts') {
      const before = (await moderators.list()).find((m) => m.email === email.trim().toLowerCase());
      const moderator = await moderators.setAlerts(email, choice);
      await record(
        'moderator.alerts',
        { email: moderator.email, alerts: before?.alerts },
        { email: moderator.email, alerts: choice },
      );
      out([`${moderator.email} now gets ${ALERT_WORDS[moderator.alerts]}.`]);
    } else if (action === 'remove') {
      if (!(await moderators.remove(email))) throw new ProtocolError(404, 'not_found', `No moderator ${email}`);
      await record('moderator.remove', { email: email.trim().toLowerCase() }, null);
      out([`Removed ${email.trim().toLowerCase()}; their sessions have ended.`]);
    } else {
      const list = await moderators.list();
      out(list.length ? table(list) : ['No moderators yet. Add one: confab-server moderator add EMAIL [--name NAME]']);
    }
    return 0;
  } catch (error) {
    const badEmail = error instanceof ProtocolError && error.fields?.email;
    const badChoice = error instanceof ProtocolError && error.fields?.alerts;
    process.stderr.write(
      `${badEmail ? `"${email}" is not an email address` : badChoice ? `"${choice}" is not a choice of alerts: immediate, digest or off.` : (error as Error).message}\n`,
    );
    // A bad email on the command line is a wrong command line; a missing or existing one, a failure.
    return error instanceof ProtocolError && error.status === 400 ? 2 : 1;
  } finally {
    await db.close();
  }
}

/** `confab-server outbox [list]` and `outbox retry ID`: plain text out, messages on stderr. */
async function runOutbox(settings: Settings, action: string, id: string): Promise<number> {
  const db = await openForCommand(settings);
  if (!db) return 1;
  try {
    await migrate(db);
    if (action === 'retry') {
      const result = await retryOutbox(db, id);
      if (result === 'not-found') {
        process.stderr.write(`No pending or dead delivery ${id} (confab-server outbox lists them)\n`);
        return 1;
      }
      if (result === 'in-flight') {
        process.stderr.write(`Delivery ${id} is being attempted right now; see how it went with confab-server outbox\n`);
        return 1;
      }
      process.stdout.write(`Delivery ${id} is due now${settings.databaseUrl ? '' : ': it goes out when the server starts'}.\n`);
      return 0;
    }
    const { rows, total } = await listOutbox(db, OUTBOX_LISTED);
    if (total === 0) {
      process.stdout.write('Nothing pending or dead in the outbox.\n');
      return 0;
    }
    const pending = rows.filter((row) => row.status === 'pending').length;
    const lines = formatTable([
      ['ID', 'CHANNEL', 'TARGET', 'TYPE', 'STATUS', 'ATTEMPTS', 'NEXT ATTEMPT', 'LAST ERROR'],
      ...rows.map((row) => [
        row.id,
        row.channel,
        row.target,
        row.type,
        row.status,
        String(row.attempts),
        row.status === 'dead' ? '-' : when(row.nextAttemptAt.toISOString()),
        row.lastError ?? '',
      ]),
    ]);
    const shown = total > rows.length ? `${rows.length} oldest of ${total} shown; ` : '';
    lines.push('', `${shown}${pending} pending, ${rows.length - pending} dead. Retry one now: confab-server outbox retry ID`);
    process.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return 1;
  } finally {
    await db.close();
  }
}

const when = (at: string | null) => (at ? `${at.slice(0, 16).replace('T', ' ')} UTC` : 'never');

const ALERT_WORDS: Record<AlertChoice, string> = {
  immediate: 'an email for each held or reported comment',
  digest: 'one email an hour listing the held and reported comments',
  off: 'no alert emails (the dashboard still shows everything)',
};

function table(moderators: ModeratorInfo[]): string[] {
  return formatTable([
    ['EMAIL', 'NAME', 'STATE', 'ALERTS', 'LAST SIGN-IN'],
    ...moderators.map((m) => [m.email, m.name, m.invited ? 'invited' : 'active', m.alerts, when(m.lastSignInAt)]),
  ]);
}

/** Columns padded to their widest cell, the last one left as it is. */
function formatTable(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) =>
    row
      .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!)))
      .join('  ')
      .trimEnd(),
  );
}

async function runStart(settings: Settings, logger: Logger): Promise<number> {
  for (const line of riskySettings(settings)) logger.warn(line);
  let app;
  try {
    app = await startServer({
      ...settings,
      dataDir: pgliteDir(settings),
      logger,
    });
  } catch (error) {
    const busy = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
    logger.fatal(
      { err: error },
      busy ? `port ${settings.port} is in use; choose another with PORT or --port` : 'could not start',
    );
    // Exit, not return: whatever the failed start left open must not keep the process alive
    // (a service manager restarts a process that exits, not one that hangs).
    return exitNow(logger, 1);
  }
  const running = app;
  return new Promise<number>((done) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals) => {
      // A second signal means "now": the operator will not wait for the drain.
      if (stopping) {
        logger.warn({ signal }, 'second signal: exiting at once');
        logger.flush();
        process.exit(1);
      }
      stopping = true;
      logger.info({ signal }, 'shutting down: finishing requests in flight');
      const limit = setTimeout(() => {
        logger.error('shutdown took too long: exiting');
        void exitNow(logger, 1);
      }, SHUTDOWN_LIMIT_MS);
      limit.unref();
      running.shutdown().then(
        () => {
          clearTimeout(limit);
          done(0);
        },
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          done(1);
        },
      );
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  }).finally(() => logger.flush());
}

/** Writes what the log still holds, then ends the process with `code`. */
async function exitNow(logger: Logger, code: number): Promise<never> {
  await new Promise<void>((resolve) => logger.flush(() => resolve()));
  process.exit(code);
}

function pgliteDir(settings: Settings) {
  return settings.databaseUrl ? undefined : join(settings.dataDir, 'pgdata');
}

function usage() {
  const commands = Object.entries(COMMANDS).map(([name, { summary }]) => `  ${name.padEnd(11)}${summary}`);
  return [
    `confab-server ${VERSION}: the Confab comment server`,
    '',
    'Usage: confab-server [command] [--setting value …]',
    '',
    'Commands:',
    ...commands,
    '',
    'Options:',
    '  -h, --help     this text; "confab-server start --help" lists every setting',
    '  -v, --version  the version',
    '',
  ].join('\n');
}

function commandHelp(command: string, specs: readonly (typeof SETTINGS)[number][]) {
  const rows = specs.map((spec) => {
    const fallback = spec.default === '' ? '(unset)' : spec.default;
    return `  --${spec.flag} <value>\n      ${spec.env}, default ${fallback}: ${spec.help}`;
  });
  const { summary, usage: actions, notes } = COMMANDS[command] ?? {};
  return [
    ...(actions
      ? ['Usage:', ...actions.map((line) => `  confab-server ${line}`), '  (each takes [--setting value …] too)']
      : [`Usage: confab-server ${command} [--setting value …]`]),
    '',
    `${command}: ${summary}.`,
    ...(notes ? [...notes, ''] : []),
    'Each setting is read from its environment variable; a flag wins over it.',
    '',
    'Settings:',
    ...rows,
    '',
  ].join('\n');
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  },
);
