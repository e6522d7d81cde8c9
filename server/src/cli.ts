#!/usr/bin/env node
// `confab-server`: start the server, or migrate its database, with settings from the environment
// and flags (a flag wins over its variable).
//
//   confab-server                       # same as: confab-server start
//   confab-server start --port 8080 --database-url postgres://…
//   confab-server migrate               # apply the database migrations, then exit
//   confab-server --help | --version | start --help
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { MIGRATIONS, migrate } from './migrations.js';
import { openDatabase } from './database.js';
import { createLogger, type Logger } from './logger.js';
import { SETTINGS, readSettings, riskySettings, type Settings } from './settings.js';
import { SHUTDOWN_LIMIT_MS, VERSION, startServer } from './index.js';

const COMMANDS: Record<string, { summary: string; settings: (spec: (typeof SETTINGS)[number]) => boolean }> = {
  start: { summary: 'serve the API, the widget and the metrics (the default)', settings: () => true },
  migrate: {
    summary: "bring the database to this version's schema, then exit (start does it too)",
    settings: (spec) => ['DATABASE_URL', 'DATA_DIR', 'LOG_LEVEL'].includes(spec.env),
  },
};

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
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\nSee: confab-server ${command} --help\n`);
    return 2;
  }
  const { values } = parsed;
  if (values.version) {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  if (values.help) {
    process.stdout.write(first === command ? commandHelp(command, specs) : usage());
    return 0;
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
  const commands = Object.entries(COMMANDS).map(([name, { summary }]) => `  ${name.padEnd(9)}${summary}`);
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
  return [
    `Usage: confab-server ${command} [--setting value …]`,
    '',
    `${command}: ${COMMANDS[command]?.summary}.`,
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
