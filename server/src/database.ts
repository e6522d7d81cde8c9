// One small interface over the two databases the server runs on: PGlite (PostgreSQL in WASM,
// in this process, on disk or in memory) and a real PostgreSQL through `pg`. Both run the same SQL.
//
//   const db = await openDatabase({ dataDir: 'demo/.data/pgdata' });       // PGlite on disk
//   const db = await openDatabase({});                                      // PGlite in memory
//   const db = await openDatabase({ databaseUrl: 'postgres://…' });         // PostgreSQL
//   const { rows } = await db.query('SELECT 1 AS one');
//   await db.transaction(async (tx) => { await tx.query(…); });
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Client, Pool, PoolClient } from 'pg';

// Each query's columns are known where it is read; pg itself types rows as any.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Row = Record<string, any>;
/**
 * `exec` runs several statements without parameters (migrations). In a transaction,
 * `afterCommit(fn)` runs `fn` once it has committed (never if it rolls back).
 */
export type Queryable = {
  query: (sql: string, params?: unknown[]) => Promise<{ rows: Row[] }>;
  exec: (sql: string) => Promise<void>;
  afterCommit?: (fn: () => void) => void;
  /**
   * PGlite only: `COPY table (columns) FROM '/dev/blob'` with `data` (COPY's text format) as the
   * blob. Bulk imports use it: much less work than parameters for the same rows.
   */
  copyFrom?: (sql: string, data: string) => Promise<void>;
};
/** `onInterrupted`: notifications may have been missed (a lost connection). */
export type ListenHandlers = {
  onNotification: (payload: string) => void;
  onInterrupted: () => void;
  onRestored: () => void;
};
export type Database = Queryable & {
  kind: 'pglite' | 'postgres';
  transaction: <T>(work: (tx: Queryable) => Promise<T>) => Promise<T>;
  listen: (channel: string, handlers: ListenHandlers) => Promise<void>;
  close: () => Promise<void>;
};

const POOL_SIZE = 10;
const STATEMENT_TIMEOUT_MS = 10_000;
const RELISTEN_DELAYS_MS = [500, 1_000, 2_000, 5_000, 10_000];

/**
 * `databaseUrl` wins; else PGlite in `dataDir`, or in memory without one. `pgliteSettings`:
 * PostgreSQL settings PGlite starts with (`['shared_buffers=32MB']`), for a command's own needs.
 */
export async function openDatabase({
  databaseUrl,
  dataDir,
  log = () => {},
  pgliteSettings = [],
}: {
  databaseUrl?: string;
  dataDir?: string;
  log?: (line: string) => void;
  pgliteSettings?: string[];
}): Promise<Database> {
  return databaseUrl ? openPostgres(databaseUrl, log) : openPglite(dataDir, pgliteSettings);
}

async function openPglite(dataDir: string | undefined, settings: string[] = []): Promise<Database> {
  const { PGlite } = await import('@electric-sql/pglite');
  // A new database starts from a cached copy of an empty one: initdb takes seconds, a copy 0.3 s.
  const isNew = !dataDir || !existsSync(join(dataDir, 'PG_VERSION'));
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const pglite = await PGlite.create({
    ...(dataDir ? { dataDir } : {}),
    ...(isNew ? { loadDataDir: await emptyDatabaseTemplate() } : {}),
    ...(settings.length > 0
      ? { startParams: [...PGlite.defaultStartParams, ...settings.flatMap((setting) => ['-c', setting])] }
      : {}),
  });

  const direct: Queryable = {
    query: (sql, params) => pglite.query(sql, wellFormed(params)),
    exec: async (sql) => {
      await pglite.exec(sql);
    },
    copyFrom: async (sql, data) => {
      await pglite.query(sql, [], { blob: new Blob([data]) });
    },
  };
  return {
    kind: 'pglite',
    ...direct,
    transaction: async (work) => {
      const committed: Array<() => void> = [];
      const result = await pglite.transaction((tx) =>
        work({
          query: (sql, params) => tx.query(sql, wellFormed(params)),
          exec: async (sql) => {
            await tx.exec(sql);
          },
          // A Blob holds the text as UTF-8, lone surrogates as U+FFFD (as wellFormed does).
          copyFrom: async (sql, data) => {
            await tx.query(sql, [], { blob: new Blob([data]) });
          },
          afterCommit: (fn) => void committed.push(fn),
        }),
      );
      for (const fn of committed) fn();
      return result;
    },
    // One process owns a PGlite database, so its notifications cannot be interrupted.
    listen: async (channel, { onNotification }) => {
      await pglite.listen(channel, onNotification);
    },
    close: () => pglite.close(),
  };
}

/**
 * Text parameters with lone surrogates (a JSON body may hold "\udc00") as U+FFFD, which is what
 * `pg` sends for them. PGlite miscounts the UTF-8 length of some ("\udc00\udc00", "é\udc00"),
 * and PostgreSQL then refuses the whole message: a 500 for a comment that is merely odd.
 */
function wellFormed(params: unknown[] | undefined) {
  const fix = (value: unknown) => (typeof value === 'string' ? value.toWellFormed() : value);
  return params?.map((value) => (Array.isArray(value) ? value.map(fix) : fix(value)));
}

let templatePromise: Promise<string> | undefined;

/**
 * A tarball of a freshly initialized, empty PGlite database, made once per PGlite version and
 * kept in the temp folder (written to a temporary name and renamed, so never half-written). Read
 * again at each use rather than held by this module (40 MB), should the database that used it
 * close and free it.
 */
async function emptyDatabaseTemplate(again = true): Promise<Blob> {
  templatePromise ??= (async () => {
    const require = createRequire(import.meta.url);
    const packageDir = dirname(dirname(require.resolve('@electric-sql/pglite')));
    const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
    const file = join(tmpdir(), `confab-pglite-${version}-empty.tar`);
    if (existsSync(file)) return file;

    const { PGlite } = await import('@electric-sql/pglite');
    const pglite = await PGlite.create();
    const tarball = await pglite.dumpDataDir('none');
    await pglite.close();
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, Buffer.from(await tarball.arrayBuffer()));
    renameSync(temporary, file);
    return file;
  })();
  const file = await templatePromise;
  try {
    return new Blob([readFileSync(file)]);
  } catch (error) {
    // Removed meanwhile (a temp folder cleaned): made again, once.
    if (!again) throw error;
    templatePromise = undefined;
    return emptyDatabaseTemplate(false);
  }
}

async function openPostgres(url: string, log: (line: string) => void): Promise<Database> {
  const { default: pg } = await import('pg');
  const settings = { connectionString: url, statement_timeout: STATEMENT_TIMEOUT_MS };
  const pool = new pg.Pool({ ...settings, max: POOL_SIZE, connectionTimeoutMillis: STATEMENT_TIMEOUT_MS });
  // An idle connection that breaks is replaced by the pool; without a listener it would crash us.
  pool.on('error', (error) => log(`PostgreSQL connection lost: ${error.message}`));
  await pool.query('SELECT 1');

  // One connection per channel listened to.
  const listeners = new Set<Client>();
  let closed = false;

  const queryable = (client: PoolClient | Pool): Queryable => ({
    query: (sql, params) => client.query(sql, params),
    exec: async (sql) => {
      await client.query(sql);
    },
  });

  return {
    kind: 'postgres',
    ...queryable(pool),
    async transaction(work) {
      const client = await pool.connect();
      const committed: Array<() => void> = [];
      let result: Awaited<ReturnType<typeof work>>;
      try {
        await client.query('BEGIN');
        result = await work({ ...queryable(client), afterCommit: (fn) => void committed.push(fn) });
        await client.query('COMMIT');
        client.release();
      } catch (error) {
        // A connection that cannot even roll back is broken: release(error) discards it.
        const rollback = await client.query('ROLLBACK').then(
          () => undefined,
          (e) => e,
        );
        client.release(rollback);
        throw error;
      }
      for (const fn of committed) fn();
      return result;
    },

    // A dedicated connection, since LISTEN belongs to a session. When it drops, the handlers hear
    // so at once and again when it is back, after retrying with growing delays.
    async listen(channel, { onNotification, onInterrupted, onRestored }) {
      const connect = async () => {
        const client = new pg.Client(settings);
        client.on('notification', (message) => {
          if (message.channel === channel) onNotification(message.payload ?? '');
        });
        client.on('error', (error) => {
          log(`PostgreSQL LISTEN connection lost: ${error.message}`);
          client.end().catch(() => {});
          if (listeners.has(client) && !closed) {
            listeners.delete(client);
            onInterrupted();
            reconnect(0);
          }
        });
        try {
          await client.connect();
          await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
        } catch (error) {
          client.end().catch(() => {});
          throw error;
        }
        if (closed) await client.end();
        else listeners.add(client);
      };
      const reconnect = (attempt: number) => {
        const delay = RELISTEN_DELAYS_MS[Math.min(attempt, RELISTEN_DELAYS_MS.length - 1)];
        setTimeout(async () => {
          if (closed) return;
          try {
            await connect();
            onRestored();
          } catch (error) {
            log(`PostgreSQL LISTEN reconnect failed: ${(error as Error).message}`);
            reconnect(attempt + 1);
          }
        }, delay).unref();
      };
      await connect();
    },

    async close() {
      closed = true;
      await Promise.all([...listeners].map((client) => client.end()));
      await pool.end();
    },
  };
}
