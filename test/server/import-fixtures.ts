// Shared by the import and export tests: databases to import into, records made by hand, big
// Confab exports made fast, and `confab-server` run from its TypeScript as a child process.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { type Database, openDatabase } from '../../server/src/database.js';
import { migrate } from '../../server/src/migrations.js';
import type { ImportedComment, ImportRecord } from '../../server/src/import/records.js';
import { createTestDatabase } from './helpers';

export type Target = {
  name: 'pglite' | 'postgres';
  open: () => Promise<{ db: Database; url?: string; drop: () => Promise<void> }>;
};

/** The databases the writer is tested on: PGlite in memory, and a database of its own on the test PostgreSQL. */
export const TARGETS: Target[] = [
  {
    name: 'pglite',
    async open() {
      const db = await openDatabase({});
      await migrate(db);
      return { db, drop: () => db.close() };
    },
  },
  {
    name: 'postgres',
    async open() {
      const database = await createTestDatabase();
      const db = await openDatabase({ databaseUrl: database.url });
      await migrate(db);
      return {
        db,
        url: database.url,
        drop: async () => {
          await db.close();
          await database.drop();
        },
      };
    },
  },
];

/** Records as an async stream, the way readers yield them. */
export async function* stream(records: ImportRecord[]): AsyncGenerator<ImportRecord> {
  for (const record of records) yield record;
}

let minute = 0;
/** A comment record; each one a minute after the one before. */
export function comment(key: string, threadKey: string, more: Partial<ImportedComment> = {}): ImportedComment {
  minute += 1;
  return {
    kind: 'comment',
    key,
    threadKey,
    author: { name: `Author of ${key}` },
    body: `Text of ${key}`,
    createdAt: new Date(Date.UTC(2019, 0, 1, 0, minute)),
    status: 'published',
    ...more,
  };
}

export const thread = (key: string, url: string, title = `Article ${key}`): ImportRecord => ({ kind: 'thread', key, url, title });

/** Every row of a table, timestamps as text (to the microsecond), ordered by `order`. */
export async function tableRows(db: Database, table: string, order: string) {
  const { rows: columns } = await db.query(
    `SELECT column_name, data_type FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position`,
    [table],
  );
  const list = columns
    .map((c) => (c.data_type.startsWith('timestamp') ? `${c.column_name}::text AS ${c.column_name}` : c.column_name))
    .join(', ');
  return (await db.query(`SELECT ${list} FROM ${table} ORDER BY ${order}`)).rows;
}

/**
 * A Confab export of `count` comments over `threads` threads (ten in a row each), gzipped,
 * written to `file`. Every fifth comment replies to the one before it; one reply in twenty comes
 * before its parent.
 */
export function writeBigExport(file: string, { count, threads }: { count: number; threads: number }) {
  const lines = [
    JSON.stringify({
      kind: 'header',
      format: 'confab',
      version: 1,
      exportedAt: new Date().toISOString(),
      thread: null,
      commenterKey: null,
    }),
  ];
  const at = (i: number) => new Date(Date.UTC(2018, 0, 1) + i * 1000).toISOString().replace('Z', '000Z');
  for (let t = 0; t < threads; t++) {
    lines.push(
      JSON.stringify({
        kind: 'thread',
        id: `/big/${t}`,
        title: `Big ${t}`,
        url: `https://example.com/big/${t}`,
        locked: false,
        created_at: at(t),
        last_comment_at: null,
        source: null,
      }),
    );
  }
  const row = (i: number) => {
    const parent = i % 5 === 4 ? i - 1 : null;
    return JSON.stringify({
      kind: 'comment',
      id: `c_big${i}`,
      thread_id: `/big/${Math.floor(i / 10) % threads}`,
      parent_id: parent === null ? null : `c_big${parent}`,
      root_id: 'ignored',
      author_name: `Author ${i % 101}`,
      author_url: null,
      avatar_url: null,
      author_role: null,
      author_id: null,
      author_verified: false,
      body: `Comment ${i}: a sentence or two, as people write them under an article.`,
      status: 'published',
      score: i % 7,
      pinned: false,
      created_at: at(i),
      edited_at: null,
      email_hash: null,
      client_hash: null,
      body_hash: null,
      token_hash: null,
      hold_reason: null,
      open_reports: 0,
      ever_published: true,
      deleted_by: null,
      source: null,
      votes: [],
      reports: [],
    });
  };
  for (let i = 0; i < count; i++) {
    if (i % 5 === 3 && Math.floor(i / 5) % 20 === 0 && i + 1 < count) {
      lines.push(row(i + 1), row(i));
      i += 1;
    } else lines.push(row(i));
  }
  writeFileSync(file, gzipSync(`${lines.join('\n')}\n`));
}

/** `confab-server` from its TypeScript (esbuild through module hooks), as the moderator tests run it. */
export function cliRunner() {
  const work = mkdtempSync(join(tmpdir(), 'confab-import-cli-'));
  const cli = fileURLToPath(new URL('../../server/src/cli.ts', import.meta.url));
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
  const loader = join(work, 'register.mjs');
  writeFileSync(
    loader,
    `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(join(work, 'hooks.mjs')).href)});\n`,
  );

  /** Starts the command; `env` over this process's, without its DATABASE_URL and DATA_DIR. */
  function spawnCli(args: string[], env: Record<string, string>): ChildProcess {
    const { DATABASE_URL: _, DATA_DIR: __, ...inherited } = process.env;
    return spawn(process.execPath, ['--import', pathToFileURL(loader).href, cli, ...args], {
      env: { ...inherited, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  }

  /** Runs the command to its end. */
  function run(args: string[], env: Record<string, string>) {
    const child = spawnCli(args, env);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk) => (stdout += chunk));
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      child.on('close', (status) => resolve({ status, stdout, stderr }));
    });
  }

  return { work, spawnCli, run, remove: () => rmSync(work, { recursive: true, force: true }) };
}
