#!/usr/bin/env node
// `confab-server`: start the server, or migrate its database, with settings from the environment
// and flags (a flag wins over its variable).
//
//   confab-server                       # same as: confab-server start
//   confab-server start --port 8080 --database-url postgres://…
//   confab-server migrate               # apply the database migrations, then exit
//   confab-server moderator add ann@example.com --name Ann   # prints a one-time link to set a password
//   confab-server outbox                # deliveries pending or given up (dead); outbox retry ID: again now
//   confab-server import --from disqus export.xml --site-url https://example.com
//   confab-server export backup.jsonl.gz   # every thread and comment; import --from confab reads it
//   confab-server forget --email ann@example.com
//   confab-server --help | --version | start --help
import { writeFile } from 'node:fs/promises';
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
import { exportToFile } from './import/export.js';
import { FORMATS, isImportFormat, readerFor } from './import/formats.js';
import { exportByEmail, forgetEmail } from './import/personal-data.js';
import { readConfabHeader } from './import/readers/confab.js';
import { readInWorker } from './import/reader-worker.js';
import { ImportFormatError, type ImportFormat } from './import/records.js';
import { formatSummary } from './import/summary.js';
import { importRecords } from './import/writer.js';

const DATABASE_ONLY = (spec: (typeof SETTINGS)[number]) => ['DATABASE_URL', 'DATA_DIR'].includes(spec.env);
const WITH_PGLITE_STOPPED = [
  'With PGlite (no DATABASE_URL), run it while the server is stopped: only one process at a time may',
  'open DATA_DIR. With PostgreSQL, run it while the server runs.',
];
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
    summary: 'list the notifications (webhooks, emails) not delivered yet, or given up, and retry one',
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
  import: {
    summary: "bring comments from Disqus, WordPress, Commento, Remark42, Isso, Artalk, Waline or Confab's own export",
    settings: DATABASE_ONLY,
    usage: [
      `import --from FORMAT FILE   FORMAT: ${FORMATS.join(', ')}`,
      "  [--site-url URL]          the site's address: thread URLs on other hosts are kept and counted",
      '  [--trailing-slash]        the site\'s page addresses end in "/" (thread ids "/post/", not "/post")',
      '  [--include-spam]          keep what the source calls spam, as spam (skipped otherwise)',
      '  [--with-pingbacks]        keep WordPress pingbacks and trackbacks',
      '  [--dry-run]               read and count everything, write nothing',
    ],
    notes: [
      'It prints what it imported, what was there already, and each kind of record skipped or changed.',
      'Running it again with the same file changes nothing; with a newer export, adds what is new. An',
      'import stopped halfway (a malformed file, a kill) keeps whole batches: run it again to complete it.',
      ...WITH_PGLITE_STOPPED,
      'A server running on PostgreSQL shows the imported comments at once.',
    ],
  },
  export: {
    summary: 'write every thread and comment (or one thread) to a gzipped file; or what one address wrote',
    settings: DATABASE_ONLY,
    usage: [
      'export [--thread ID] FILE        threads and comments with votes, pins and statuses, as gzipped JSON lines',
      'export --email ADDRESS [FILE]    everything kept under the address, as JSON (to stdout without FILE)',
    ],
    notes: [
      'import --from confab FILE restores an export as it was. An export holds the key of the commenter',
      'hashes: keep it as private as the database.',
      ...WITH_PGLITE_STOPPED,
    ],
  },
  forget: {
    summary: "remove an address's name, URL and subscriptions from its comments (a data-protection request)",
    settings: DATABASE_ONLY,
    usage: ['forget --email ADDRESS    their comments keep their place and replies; name, URL, address and reply emails go'],
    notes: ['Recorded in the audit log, without the address.', ...WITH_PGLITE_STOPPED],
  },
};

/** The options of the commands that take more than settings. */
const COMMAND_OPTIONS: Record<string, Record<string, { type: 'string' | 'boolean' }>> = {
  moderator: { name: { type: 'string' } },
  import: {
    from: { type: 'string' },
    'site-url': { type: 'string' },
    'trailing-slash': { type: 'boolean' },
    'include-spam': { type: 'boolean' },
    'with-pingbacks': { type: 'boolean' },
    'dry-run': { type: 'boolean' },
  },
  export: { thread: { type: 'string' }, email: { type: 'string' } },
  forget: { email: { type: 'string' } },
};
/** How often a long import says how far it got. */
const PROGRESS_EVERY_MS = 1_000;

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
        ...COMMAND_OPTIONS[command],
      },
      strict: true,
      allowPositionals: ['moderator', 'outbox', 'import', 'export'].includes(command),
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

  const option = (flag: string) => (values as Record<string, string | boolean | undefined>)[flag];
  const problem = dataCommandProblem(command, option, positionals);
  if (problem) {
    process.stderr.write(`${problem}\n\nSee: confab-server ${command} --help\n`);
    return 2;
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
  if (command === 'import') {
    return runImport(settings, {
      format: option('from') as ImportFormat,
      file: positionals[0]!,
      siteUrl: option('site-url') as string | undefined,
      trailingSlash: Boolean(option('trailing-slash')),
      includeSpam: Boolean(option('include-spam')),
      withPingbacks: Boolean(option('with-pingbacks')),
      dryRun: Boolean(option('dry-run')),
    });
  }
  if (command === 'export') {
    const email = option('email') as string | undefined;
    if (email !== undefined) return runExportEmail(settings, email, positionals[0]);
    return runExport(settings, positionals[0]!, (option('thread') as string | undefined) ?? null);
  }
  if (command === 'forget') return runForget(settings, option('email') as string);
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

/** What is wrong with an import, export or forget command line, if anything. */
function dataCommandProblem(
  command: string,
  option: (flag: string) => string | boolean | undefined,
  positionals: string[],
): string | undefined {
  if (command === 'import') {
    const from = option('from');
    if (typeof from !== 'string') return `Say which format the file is in: --from ${FORMATS.join('|')}.`;
    if (!isImportFormat(from)) return `Unknown format "${from}": one of ${FORMATS.join(', ')}.`;
    if (positionals.length !== 1) return '"import" takes one file.';
    const siteUrl = option('site-url');
    if (typeof siteUrl === 'string' && !/^https?:\/\/[^/]/i.test(siteUrl)) return `--site-url must be an http(s) URL: ${siteUrl}`;
    if (option('with-pingbacks') && from !== 'wordpress') return '--with-pingbacks goes with --from wordpress only.';
  }
  if (command === 'export') {
    const email = option('email');
    if (email !== undefined && option('thread') !== undefined) return '--email and --thread do not go together.';
    if (email === undefined && positionals.length !== 1) return '"export" takes one file.';
    if (email !== undefined && positionals.length > 1) return '"export --email" takes at most one file.';
    if (email !== undefined && !isEmail(email as string)) return `"${email}" is not an email address.`;
  }
  if (command === 'forget') {
    const email = option('email');
    if (email === undefined) return 'Say whose data to forget: forget --email ADDRESS.';
    if (!isEmail(email as string)) return `"${email}" is not an email address.`;
  }
  return undefined;
}

// Only a shape check: a typo here would silently match nobody.
const isEmail = (text: string) => /^[^\s@]+@[^\s@]+$/.test(text.trim());

/** `confab-server import --from FORMAT FILE`: the summary on stdout, progress and problems on stderr. */
async function runImport(
  settings: Settings,
  request: {
    format: ImportFormat;
    file: string;
    siteUrl?: string;
    trailingSlash: boolean;
    includeSpam: boolean;
    withPingbacks: boolean;
    dryRun: boolean;
  },
): Promise<number> {
  const reader = readerFor(request.format);
  if (!reader) {
    process.stderr.write(`This build of confab-server has no reader for ${request.format} files.\n`);
    return 1;
  }
  const db = await openForCommand(settings);
  if (!db) return 1;
  let started = Date.now();
  let lastTold = started;
  try {
    await migrate(db);
    started = lastTold = Date.now();
    const sourceHashKey = request.format === 'confab' ? (await readConfabHeader(request.file)).commenterKey : undefined;
    // The reader in a thread of its own: parsing and writing use two cores (reader-worker.ts).
    const records = readInWorker(request.format, request.file, { withPingbacks: request.withPingbacks });
    const summary = await importRecords(db, records, {
      format: request.format,
      siteUrl: request.siteUrl,
      trailingSlash: request.trailingSlash,
      includeSpam: request.includeSpam,
      dryRun: request.dryRun,
      sourceHashKey,
      onProgress: ({ comments }) => {
        if (Date.now() - lastTold < PROGRESS_EVERY_MS) return;
        lastTold = Date.now();
        process.stderr.write(`… ${comments} comments read\n`);
      },
    });
    const seconds = (Date.now() - started) / 1000;
    process.stdout.write(`${[...formatSummary(summary), `(${seconds.toFixed(1)} s)`].join('\n')}\n`);
    return 0;
  } catch (error) {
    const kept = request.dryRun ? 'Nothing was written.' : 'Batches written before it are kept; run the import again once fixed.';
    const message = error instanceof ImportFormatError ? `${request.file}: ${error.message}. ${kept}` : (error as Error).message;
    process.stderr.write(`Could not import: ${message}\n`);
    return 1;
  } finally {
    await db.close();
  }
}

/** `confab-server export [--thread ID] FILE`. */
async function runExport(settings: Settings, file: string, threadId: string | null): Promise<number> {
  const db = await openForCommand(settings);
  if (!db) return 1;
  try {
    await migrate(db);
    if (threadId !== null && (await db.query('SELECT 1 FROM threads WHERE id = $1', [threadId])).rows.length === 0) {
      process.stderr.write(`No thread ${threadId}\n`);
      return 1;
    }
    const { threads, comments } = await exportToFile(db, file, { threadId });
    process.stdout.write(
      `exported ${threads} thread${threads === 1 ? '' : 's'}, ${comments} comment${comments === 1 ? '' : 's'} to ${file}\n`,
    );
    return 0;
  } catch (error) {
    process.stderr.write(`Could not export: ${(error as Error).message}\n`);
    return 1;
  } finally {
    await db.close();
  }
}

/** `confab-server export --email ADDRESS [FILE]`: JSON to FILE, or to stdout. */
async function runExportEmail(settings: Settings, email: string, file: string | undefined): Promise<number> {
  const db = await openForCommand(settings);
  if (!db) return 1;
  try {
    await migrate(db);
    const data = await exportByEmail(db, email.trim());
    await recordAudit(db, new Date(), { kind: 'cli' }, 'commenter.export', { threadId: null, commentId: null }, null, {
      comments: data.comments.length,
    });
    const json = `${JSON.stringify(data, null, 2)}\n`;
    if (file === undefined) process.stdout.write(json);
    else {
      await writeFile(file, json);
      process.stdout.write(
        `wrote ${data.comments.length} comment${data.comments.length === 1 ? '' : 's'} and the address's subscriptions to ${file}\n`,
      );
    }
    return 0;
  } catch (error) {
    process.stderr.write(`Could not export: ${(error as Error).message}\n`);
    return 1;
  } finally {
    await db.close();
  }
}

/** `confab-server forget --email ADDRESS`. */
async function runForget(settings: Settings, email: string): Promise<number> {
  const db = await openForCommand(settings);
  if (!db) return 1;
  try {
    await migrate(db);
    const { comments, subscriptions, addresses } = await forgetEmail(db, email.trim());
    process.stdout.write(
      `${comments} comment${comments === 1 ? '' : 's'} made anonymous, ${subscriptions} reply subscription${subscriptions === 1 ? '' : 's'} ended, ${addresses ? 'the address deleted' : 'no address was kept'}\n`,
    );
    return 0;
  } catch (error) {
    process.stderr.write(`Could not forget: ${(error as Error).message}\n`);
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
