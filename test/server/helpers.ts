// Shared by the server tests: starting servers, calling the API, reading event streams, and
// getting a PostgreSQL database of one's own.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createLogger, startServer } from '../../server/src/index.js';
import { renderArticlePage } from '../../demo/page.mjs';

export type App = Awaited<ReturnType<typeof startServer>>;
export type ServerOptions = NonNullable<Parameters<typeof startServer>[0]>;
export type Comment = Awaited<ReturnType<App['store']['post']>>['comment'];

export const seed = JSON.parse(readFileSync(new URL('../../demo/seed/thread.json', import.meta.url), 'utf8'));
export const SEED_THREAD: string = seed.thread.id;

/** The demo's article page at / (as `npm start` serves it). */
export const demoHomePage: ServerOptions['homePage'] = ({ url, widgetSrc }) =>
  renderArticlePage({ article: seed.article, thread: seed.thread, scriptSrc: widgetSrc, endpoint: `${url}/api` });

export interface LogLine {
  level: string;
  msg: string;
  [field: string]: unknown;
}

/** A logger whose JSON lines land, parsed, in `lines`. */
export function captureLogger(level: 'info' | 'warn' | 'debug' = 'info') {
  const lines: LogLine[] = [];
  const logger = createLogger({ level, destination: { write: (text: string) => void lines.push(JSON.parse(text)) } });
  return { logger, lines };
}

/**
 * A server on PGlite in memory; the rate limit and the duplicate rule (tests post "Hello" again
 * and again) are off unless a test turns them on.
 */
export function start(options: ServerOptions = {}) {
  return startServer({ rateLimit: { burst: 0, perMinute: 0 }, duplicateWindowMs: 0, ...options });
}

/** A thread id no other test uses. */
export const newThread = () => `t-${randomBytes(6).toString('hex')}`;

export interface Answer {
  status: number;
  headers: Headers;
  // Parsed JSON when the answer is JSON, else the text.
  body: any;
}

export async function call(
  app: App | string,
  method: string,
  path: string,
  { body, headers = {} }: { body?: unknown; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const base = typeof app === 'string' ? app : app.url;
  const response = await fetch(`${base}/api${path}`, {
    method,
    headers: body === undefined ? headers : { 'Content-Type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  const isJson = response.headers.get('content-type')?.includes('json');
  return { status: response.status, headers: response.headers, body: isJson && text ? JSON.parse(text) : text };
}

export const commentsPath = (thread: string) => `/threads/${encodeURIComponent(thread)}/comments`;

/** Posts and expects a 201. */
export async function post(
  app: App | string,
  thread: string,
  input: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<{ comment: Comment; editToken: string }> {
  const answer = await call(app, 'POST', commentsPath(thread), { body: { body: 'Hello', ...input }, headers });
  if (answer.status !== 201) throw new Error(`post answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer.body;
}

/** Every comment of a thread, page after page. */
export async function allComments(app: App | string, thread: string): Promise<Comment[]> {
  const comments: Comment[] = [];
  let cursor: string | null = null;
  do {
    const query: string = `?limit=100${cursor ? `&cursor=${cursor}` : ''}`;
    const answer: Answer = await call(app, 'GET', `${commentsPath(thread)}${query}`);
    comments.push(...answer.body.comments);
    cursor = answer.body.nextCursor;
  } while (cursor);
  return comments;
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

export interface ServerEvent {
  type: string;
  data: any;
}

/**
 * An open event stream: `next()` resolves with the next event (comment lines skipped),
 * `ended` once the server ends the stream.
 */
export function openEvents(app: App | string, thread: string, headers: Record<string, string> = {}) {
  return openEventStream(app, `/threads/${encodeURIComponent(thread)}/events`, headers);
}

/** An event stream at `path` under /api, as openEvents. */
export async function openEventStream(app: App | string, path: string, headers: Record<string, string> = {}) {
  const base = typeof app === 'string' ? app : app.url;
  const controller = new AbortController();
  const response = await fetch(`${base}/api${path}`, {
    headers,
    signal: controller.signal,
  });
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let resolveEnded: () => void = () => {};
  const ended = new Promise<void>((resolve) => {
    resolveEnded = resolve;
  });

  async function next(timeoutMs = 5_000): Promise<ServerEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const end = buffer.indexOf('\n\n');
      if (end !== -1) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const type = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (type && data) return { type, data: JSON.parse(data) };
        continue;
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('No event in time');
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('No event in time')), left);
      });
      const chunk = await Promise.race([reader.read(), timeout]).finally(() => clearTimeout(timer));
      if (chunk.done) {
        resolveEnded();
        throw new Error('The event stream ended');
      }
      buffer += decoder.decode(chunk.value, { stream: true });
    }
  }

  /** Reads on until the stream ends; resolves then. */
  async function untilEnded() {
    for (;;) {
      const chunk = await reader.read().catch(() => ({ done: true as const, value: undefined }));
      if (chunk.done) break;
    }
    resolveEnded();
    return ended;
  }

  return { response, next, untilEnded, close: () => controller.abort() };
}

/** Waits until `check` passes or throws its last error after `timeoutMs`. */
export async function eventually(check: () => unknown | Promise<unknown>, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/**
 * The PostgreSQL that global-setup.ts provided. Without one the test fails, saying how to get
 * one: the PostgreSQL tests are never skipped silently.
 */
export function testDatabaseUrl(): string {
  const url = process.env.CONFAB_TEST_DATABASE_URL;
  if (url) return url;
  const reason =
    process.env.CONFAB_TEST_DATABASE_ERROR ??
    'CONFAB_TEST_DATABASE_URL is not set. Install PostgreSQL with: apt-get install -y postgresql';
  throw new Error(`No PostgreSQL for the server tests: ${reason} (or set CONFAB_TEST_DATABASE_URL=postgres://…)`);
}

/** A new, empty database on the test PostgreSQL, and a way to drop it. */
export async function createTestDatabase() {
  const url = new URL(testDatabaseUrl());
  const name = `confab_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url.href });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const own = new URL(url.href);
  own.pathname = `/${name}`;
  return {
    url: own.href,
    async drop() {
      const client = new pg.Client({ connectionString: url.href });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** Opens a raw event stream; `ended` resolves with all it received once the server ends it. */
export async function rawEventStream(base: string, thread: string): Promise<{ ended: Promise<string> }> {
  const res = await new Promise<http.IncomingMessage>((resolve) =>
    http.get(`${base}/api/threads/${encodeURIComponent(thread)}/events`, resolve),
  );
  if (res.statusCode !== 200) throw new Error(`The event stream answered ${res.statusCode}`);
  const ended = new Promise<string>((resolve) => {
    let text = '';
    res.on('data', (chunk) => (text += chunk));
    res.on('end', () => resolve(text));
    res.on('error', () => resolve(text));
  });
  return { ended };
}

/**
 * A post whose headers and first bytes are sent now and the rest on `finish()`: a request in
 * flight. `closed` resolves with the raw answer once the server closes the connection.
 */
export async function slowPost(base: string, thread: string) {
  const body = JSON.stringify({ body: 'Sent slowly' });
  const socket = net.connect(Number(new URL(base).port), '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  socket.write(
    `POST /api/threads/${encodeURIComponent(thread)}/comments HTTP/1.1\r\nHost: 127.0.0.1\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 4)}`,
  );
  let answer = '';
  socket.on('data', (chunk) => (answer += chunk));
  socket.on('error', () => {});
  const closed = new Promise<string>((resolve) => socket.once('close', () => resolve(answer)));
  return { finish: () => socket.write(body.slice(4)), closed };
}

/** The command line a site owner runs, as built by `npm run build -w confab-server`. */
export const CLI = fileURLToPath(new URL('../../server/dist/cli.js', import.meta.url));

/**
 * Starts `confab-server start` with `env` over this process's environment (PORT=0, no rate
 * limit, info logs); resolves with its URL once it listens. Kill the child when done.
 */
export function startServerProcess(env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [CLI, 'start'], {
    env: { ...process.env, PORT: '0', RATE_LIMIT_BURST: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk;
      const url = /"url":"(http:\/\/[^"]+)"[^\n]*"msg":"listening"/.exec(output)?.[1];
      if (url) {
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        resolve({ child, url });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk) => {
      output += chunk;
    });
    child.once('exit', (code) => reject(new Error(`The server exited (${code}) before listening:\n${output}`)));
  });
}

/**
 * Imports the first ```js block after `heading` in a README (written next to the tests for the
 * import, removed by `remove()`): the README's code is tested as a reader would copy it.
 */
export async function importReadmeSnippet(readme: URL, heading: string) {
  const text = readFileSync(readme, 'utf8');
  const at = text.indexOf(heading);
  const code = at === -1 ? undefined : /```js\n([\s\S]*?)```/.exec(text.slice(at))?.[1];
  if (code === undefined) throw new Error(`No js block after "${heading}" in ${readme.pathname}`);
  const file = new URL(`./.readme-snippet-${process.pid}-${randomBytes(4).toString('hex')}.mjs`, import.meta.url);
  writeFileSync(file, code);
  const remove = () => rmSync(file, { force: true });
  try {
    return { module: await import(/* @vite-ignore */ file.href), remove };
  } catch (error) {
    remove();
    throw error;
  }
}
