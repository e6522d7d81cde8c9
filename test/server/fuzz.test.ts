// @vitest-environment node
// Issue 7's server fuzzing: every endpoint of the reference server (PGlite in memory, rate limit
// off, an admin token) gets random and malformed paths, query strings, headers and bodies, from
// fast-check. Whatever arrives: no 5xx; every failure is the protocol's error object with one of
// its codes and no stack trace, file path, SQL or internal message; a rejected request stores
// nothing (database and API compared before and after); a foreign Origin never gets CORS
// headers; nothing pollutes Object.prototype (the server runs in this process); and after
// every batch the server still answers a valid request, logged no internal error, reads back
// all that was stored and holds no event stream for a client that left. NUL, lone surrogates
// and cursor edges go into every field without leaving it to chance. Malformed HTTP that
// Node's own parser refuses is fuzzed on a raw socket, where Node answers for the server.
import http from 'node:http';
import net from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, SEED_THREAD, bearer, call, commentsPath, eventually, newThread, post, seed, start } from './helpers';
import { createLogger } from '../../server/src/index.js';

/** Runs per property; the summary line and the report of issue 7 quote these numbers. */
const RUNS = { anyRequest: 1_000, bodies: 500, limits: 60, rejected: 400, concurrent: 50, raw: 400 } as const;
const CONCURRENT_BATCH = 8;

const ADMIN_TOKEN = 'admin-token-for-fuzzing-0123456789';
const MAX_BODY = 64 * 1024;
// Node refuses a request head over 16 KB (431) before the server sees it; structured requests
// stay under this, the raw socket goes over.
const HEAD_BUDGET = 14_000;

// What answers may say. Codes map onto statuses as docs/protocol.md says (405 is `invalid`).
const CODES: Record<string, number[]> = {
  invalid: [400, 405],
  unauthorized: [401, 403],
  locked: [403],
  not_found: [404],
  too_large: [413],
  rate_limited: [429],
};
/** Stack frames, file paths, SQL, the database and JavaScript's own error messages. */
const LEAKS: RegExp[] = [
  /\n\s*at /,
  /\bat [\w$.<>[\]]+ \(/,
  /\bat (?:file|node|wasm|async)\b/,
  /:\d+:\d+\)/,
  /\.m?[jt]s\b/,
  /node_modules/,
  /file:\/\//,
  /\/work\//,
  /demo\/server/,
  /\b(?:SELECT|INSERT|UPDATE|DELETE FROM|WHERE|RETURNING|JOIN)\b/,
  /syntax error/i,
  /pglite/i,
  /postgres/i,
  /\bpg_/,
  /\brelation\b/,
  /violates/,
  /out of range/,
  /invalid (?:byte sequence|input syntax)/,
  /\b(?:Type|Range|Syntax|Reference|URI)Error\b/,
  /Unexpected (?:token|end)/,
  /\bERR_[A-Z_]+/,
  /\bundefined\b/,
  /\[object /,
  /\bNaN\b/,
];

// ---------------------------------------------------------------------------------------------
// The server, its fixtures, and a client that sends exactly what it is told.

let app: App;
let agent: http.Agent;
/** The property running now, for the tallies below. */
let property = 'setup';
/** Log lines other than the per-request line: an internal error is logged here. */
const serverProblems: string[] = [];
/** Fuzzed requests per property (health checks and before/after snapshots not counted). */
const fuzzed: Record<string, number> = {};
/** Statuses of the fuzzed answers per property, to see what the generators reach. */
const statuses: Record<string, Record<number, number>> = {};
const tally = (status: number) => {
  const counts = (statuses[property] ??= {});
  counts[status] = (counts[status] ?? 0) + 1;
};
/** Answers Node's HTTP parser gave on the raw socket, by status. */
const nodeAnswers: Record<string, number> = {};
const PROTOTYPE_KEYS = Object.getOwnPropertyNames(Object.prototype).sort();

/** Comments the general properties may change, and those only the rejected-request property uses. */
interface Fixtures {
  open: { thread: string; id: string; token: string; reply: string; replyToken: string };
  rejected: {
    thread: string;
    id: string;
    token: string;
    reply: string;
    replyToken: string;
    deleted: string;
    pending: string;
    locked: string;
    lockedId: string;
    lockedToken: string;
    other: string;
    otherId: string;
  };
}
let fx: Fixtures;

beforeAll(async () => {
  app = await start({
    seed,
    adminToken: ADMIN_TOKEN,
    trustProxy: true,
    logger: createLogger({
      level: 'info',
      destination: {
        write(text: string) {
          const line = JSON.parse(text);
          // Warnings and errors are problems here, except the refused origins the fuzzing sends.
          const problem = !['info', 'debug'].includes(line.level) && !/^refused a browser request/.test(line.msg);
          if (problem) serverProblems.push(text);
        },
      },
    }),
  });
  agent = new http.Agent({ keepAlive: true, maxSockets: 16 });

  const open = newThread();
  const a = await post(app, open, { body: 'Open for fuzzing' });
  const b = await post(app, open, { body: 'A reply', parentId: a.comment.id });

  // Only rejected requests ever reach these threads.
  const thread = newThread();
  const c1 = await post(app, thread, { body: 'Must stay as it is', author: { name: 'Ann' } });
  const c2 = await post(app, thread, { body: 'So must this reply', parentId: c1.comment.id });
  const c3 = await post(app, thread, { body: 'Deleted' });
  await call(app, 'DELETE', `${commentsPath(thread)}/${c3.comment.id}`, { headers: bearer(c3.editToken) });
  const pending = await post(app, thread, { body: 'Waiting for approval' });
  await app.db.query("UPDATE comments SET status = 'pending' WHERE id = $1", [pending.comment.id]);
  await call(app, 'POST', `${commentsPath(thread)}/${c1.comment.id}/votes`, { body: { value: 1 }, headers: { 'X-Voter': 'v1' } });
  const locked = newThread();
  const l1 = await post(app, locked, { body: 'In a locked thread' });
  await app.db.query('UPDATE threads SET locked = true WHERE id = $1', [locked]);
  const other = newThread();
  const o1 = await post(app, other, { body: 'In another thread' });

  fx = {
    open: { thread: open, id: a.comment.id, token: a.editToken, reply: b.comment.id, replyToken: b.editToken },
    rejected: {
      thread,
      id: c1.comment.id,
      token: c1.editToken,
      reply: c2.comment.id,
      replyToken: c2.editToken,
      deleted: c3.comment.id,
      pending: pending.comment.id,
      locked,
      lockedId: l1.comment.id,
      lockedToken: l1.editToken,
      other,
      otherId: o1.comment.id,
    },
  };
});

afterAll(async () => {
  agent?.destroy();
  await app?.close();
  const total = Object.values(fuzzed).reduce((sum, n) => sum + n, 0);
  const runs = Object.entries(RUNS)
    .map(([name, n]) => `${name} ${n}`)
    .join(', ');
  console.log(
    `Server fuzzing: ${total} fuzzed requests (${Object.entries(fuzzed)
      .map(([name, n]) => `${name} ${n}`)
      .join(', ')}); runs per property: ${runs}; Node's own answers on the raw socket: ${JSON.stringify(nodeAnswers)}`,
  );
  console.log(`Statuses per property: ${JSON.stringify(statuses)}`);
});

interface FuzzRequest {
  method: string;
  /** Path and query, printable ASCII only (Node's parser refuses anything else: see the raw property). */
  path: string;
  headers: Record<string, string | string[]>;
  body?: Buffer;
  /** Sent with Transfer-Encoding: chunked in this many pieces; else with Content-Length. */
  chunks?: number;
}

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

const clip = (text: string, max = 160) => (text.length > max ? `${text.slice(0, max)}…(${text.length})` : text);

function describeRequest(request: FuzzRequest): string {
  const headers = Object.entries(request.headers).map(([name, value]) => `${name}: ${clip(JSON.stringify(value), 80)}`);
  const body = request.body ? clip(JSON.stringify(request.body.toString('utf8'))) : '(none)';
  const delivery = request.chunks ? `, chunked in ${request.chunks}` : '';
  return `${request.method} ${clip(request.path, 200)} [${headers.join('; ')}] body ${body}${delivery}`;
}

/** fast-check prints counterexamples with this, not with 64 KB of Buffer bytes. */
function named(request: FuzzRequest): FuzzRequest {
  return Object.defineProperty(request, fc.toStringMethod, { value: () => describeRequest(request), enumerable: false });
}

function send(request: FuzzRequest): Promise<Reply> {
  fuzzed[property] = (fuzzed[property] ?? 0) + 1;
  const { hostname, port } = new URL(app.url);
  const headers: Record<string, string | string[] | number> = { ...request.headers };
  const body = request.body;
  // Explicit, because Node's client sends a GET or DELETE body with no length at all.
  if (body && request.chunks) headers['transfer-encoding'] = 'chunked';
  else if (body) headers['content-length'] = body.length;
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = http.request({ host: hostname, port, method: request.method, path: request.path, headers, agent }, (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      tally(res.statusCode ?? 0);
      const done = () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') });
      // An event stream never ends: its first chunk is enough.
      if (String(res.headers['content-type']).startsWith('text/event-stream')) {
        res.once('data', (chunk: Buffer) => {
          chunks.push(chunk);
          done();
          req.destroy();
        });
        return;
      }
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', done);
      res.on('close', () => {
        if (!res.complete) reject(new Error(`The answer was cut off for ${describeRequest(request)}`));
      });
    });
    req.setTimeout(10_000, () => req.destroy(new Error('No answer within 10 s')));
    req.on('error', (error) => {
      if (!answered) reject(new Error(`${error.message} for ${describeRequest(request)}`));
    });
    if (!body) req.end();
    else if (!request.chunks) req.end(body);
    else {
      const size = Math.max(1, Math.ceil(body.length / request.chunks));
      for (let at = 0; at < body.length; at += size) req.write(body.subarray(at, at + size));
      req.end();
    }
  });
}

const isApiPath = (request: FuzzRequest) => {
  const path = request.path.split('?')[0] ?? '';
  return path === '/api' || path.startsWith('/api/');
};

// Origins that are certainly not the server's own, whatever the port.
const FOREIGN_ORIGINS = ['https://evil.example', 'null', 'http://127.0.0.1.evil.example', 'file://', 'http://localhost'];

/** The properties every answer must have, whatever was asked. */
function checkAnswer(request: FuzzRequest, reply: Reply) {
  const about = `${describeRequest(request)} → ${reply.status} ${clip(reply.text, 300)}`;
  expect(reply.status, about).toBeGreaterThanOrEqual(200);
  expect(reply.status, about).toBeLessThan(500);
  // The rate limit is off: a 429 would mean it is not.
  expect(reply.status, about).not.toBe(429);
  const api = isApiPath(request);
  if (api) {
    expect(reply.headers['x-content-type-options'], about).toBe('nosniff');
    expect(reply.headers['cache-control'], about).toBe('no-store');
  }
  const origin = request.headers.origin;
  if (api && typeof origin === 'string' && FOREIGN_ORIGINS.includes(origin) && request.headers.host === undefined) {
    expect(reply.status, about).toBe(403);
    expect(reply.headers['access-control-allow-origin'], about).toBeUndefined();
  }
  if (reply.status >= 300) {
    checkError(reply, about, request.method === 'HEAD');
    return;
  }
  const type = String(reply.headers['content-type']);
  if (reply.status === 204) {
    expect(request.method, about).toBe('OPTIONS');
    expect(reply.text, about).toBe('');
  } else if (type.startsWith('text/event-stream')) {
    expect(reply.text, about).toMatch(/^: connected\n\n/);
  } else if (api && request.method !== 'HEAD') {
    expect(type, about).toMatch(/^application\/json/);
    expect(() => JSON.parse(reply.text), about).not.toThrow();
  }
}

/** The protocol's error object, one of its codes, and nothing from the inside. */
function checkError(reply: Reply, about: string, head = false) {
  expect(String(reply.headers['content-type']), about).toMatch(/^application\/json/);
  if (head) {
    expect(reply.text, about).toBe('');
    return;
  }
  let body: any;
  expect(() => (body = JSON.parse(reply.text)), about).not.toThrow();
  expect(Object.keys(body), about).toEqual(['error']);
  const { code, message, fields, reason, ...rest } = body.error;
  expect(rest, about).toEqual({});
  // The moderation API's stable reason for the dashboard's words (docs/admin-api.md), when there is one.
  if (reason !== undefined) expect(reason, about).toMatch(/^[a-z]+(-[a-z]+)*$/);
  expect(Object.keys(CODES), about).toContain(code);
  expect(CODES[code], about).toContain(reply.status);
  expect(typeof message, about).toBe('string');
  expect(message.length, about).toBeLessThanOrEqual(120);
  if (fields !== undefined) {
    for (const [name, problem] of Object.entries(fields)) {
      expect(name.length, about).toBeLessThanOrEqual(20);
      expect(typeof problem, about).toBe('string');
      expect((problem as string).length, about).toBeLessThanOrEqual(60);
    }
  }
  for (const leak of LEAKS) expect(reply.text, about).not.toMatch(leak);
  // Headers too, but for the one that may echo the request's Origin.
  for (const [name, value] of Object.entries(reply.headers)) {
    if (name !== 'access-control-allow-origin') for (const leak of LEAKS) expect(String(value), about).not.toMatch(leak);
  }
}

/** Threads of their own that properties post to, read back by every health check. */
const ownThreads: string[] = [];
/** The threads the general properties post to. */
const FUZZED_THREADS = () => [
  fx.open.thread,
  SEED_THREAD,
  'fuzz-thread',
  'fuzz/with/slashes',
  '__proto__',
  'constructor',
  'fuzz-bodies',
  ...ownThreads,
];

/** After every batch: a valid post is stored and read back, nothing went wrong inside, no pollution. */
async function expectHealthy() {
  const thread = newThread();
  const { comment } = await post(app, thread, { body: 'Still answering' });
  const read = await call(app, 'GET', commentsPath(thread));
  expect(read.status).toBe(200);
  expect(read.body.comments.map((c: { id: string }) => c.id)).toEqual([comment.id]);
  expect((await call(app, 'GET', `/counts?thread=${thread}`)).body.counts).toEqual({ [thread]: 1 });
  // Whatever the fuzzing stored reads back, in every order.
  for (const stored of FUZZED_THREADS()) {
    for (const sort of ['oldest', 'newest', 'top']) {
      const page = await call(app, 'GET', `${commentsPath(stored)}?sort=${sort}&limit=100`);
      expect(page.status, `${stored} ${sort}`).toBe(200);
      expect(page.body.thread.commentCount).toBeGreaterThanOrEqual(0);
    }
  }
  const counted = await call(
    app,
    'GET',
    `/counts?${FUZZED_THREADS()
      .map((t) => `thread=${encodeURIComponent(t)}`)
      .join('&')}`,
  );
  expect(counted.status).toBe(200);
  // Taken, so that one property's failure is not blamed on the next.
  expect(serverProblems.splice(0)).toEqual([]);
  // Every event stream the fuzzing opened was closed by its client: none is left behind.
  const streams = app.server.streams.all;
  await eventually(() => expect(streams.size, 'event streams still open after their clients left').toBe(0));
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(PROTOTYPE_KEYS);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
}

// ---------------------------------------------------------------------------------------------
// Arbitraries: text, paths, queries, headers, bodies.

const hex = (byte: number) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
/** Percent-encodes the UTF-8 of `text` (a lone surrogate travels as U+FFFD: a URL cannot carry it). */
const encode = (text: string) =>
  [...Buffer.from(text, 'utf8')]
    .map((b) => (/[A-Za-z0-9\-._~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : hex(b)))
    .join('');

/** Any UTF-16 code unit (NUL, lone surrogates, bidi controls included), astral characters, JSON's specials. */
const anyUnit = fc.oneof(
  { weight: 8, arbitrary: fc.nat(0xffff).map((n) => String.fromCharCode(n)) },
  { weight: 2, arbitrary: fc.integer({ min: 0x10000, max: 0x10ffff }).map((n) => String.fromCodePoint(n)) },
  { weight: 8, arbitrary: fc.integer({ min: 0x20, max: 0x7e }).map((n) => String.fromCharCode(n)) },
  {
    weight: 5,
    arbitrary: fc.constantFrom(
      '\uD800',
      '\uDFFF',
      '\uDC00\uDC00',
      '\u202E',
      '\u200B',
      '\uFEFF',
      '\n',
      '\r',
      '\t',
      ' ',
      '"',
      '\\',
      '/',
      '%',
      '?',
      '#',
      '&',
      '=',
      '😀',
      'é',
    ),
  },
  { weight: 1, arbitrary: fc.constant('\0') },
);
const anyText = (maxLength = 40) => fc.string({ unit: anyUnit, maxLength });
const asciiUnit = fc.integer({ min: 0x21, max: 0x7e }).map((n) => String.fromCharCode(n));
/** What Node lets into a header value: tab, visible ASCII, space and Latin-1. */
const latin1Unit = fc
  .oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0x80, max: 0xff }), fc.constant(0x09))
  .map((n) => String.fromCharCode(n));
const headerText = (maxLength = 40) => fc.string({ unit: latin1Unit, maxLength });
const tokenUnit = fc.constantFrom(..."!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".split(''));

/** A body as the server keeps it: line endings unified, trimmed, a lone surrogate as U+FFFD. */
const asStored = (body: string) =>
  body
    .replace(/\r\n?/g, '\n')
    .trim()
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
/** Strings that databases, JSON and UTF-8 encoders trip over. */
const NASTY = [
  '\0',
  'a\0b',
  '\uD800',
  '\uDFFF',
  '\uDC00\uDC00',
  'é\uDC00',
  '\u0080\uDC00',
  'a\uD800\uD800b',
  '\uDBFF\uDFFF',
  '\uFEFF',
  '\u202E\u2066',
  '\u0001\u001F\u007F',
  '\\u0000',
  '%00',
  '\r\n',
  '\u2028\u2029',
];

const GARBAGE_SEGMENTS = [
  '',
  '.',
  '..',
  '%2e%2e',
  '%2E',
  '%00',
  'a%00b',
  '%2F',
  '..%2F..%2Fetc%2Fpasswd',
  '%',
  '%Z',
  '%ZZ',
  '%E0%A4%A',
  '%ED%A0%80',
  '%C0%AF',
  '%FF%FE',
  '%F4%90%80%80',
  '__proto__',
  'constructor',
  'prototype',
  'hasOwnProperty',
  '%5F_proto__',
  'null',
  'undefined',
  '%20',
  '+',
  'a+b',
  '%0D%0A',
  '%u0041',
  '~',
  '*',
  ';',
  'a;b=c',
  '%EF%BB%BF',
];

/** One path segment: a known id, or garbage. */
function segment(known: string[]) {
  return fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...known).map(encode) },
    { weight: 2, arbitrary: fc.constantFrom(...GARBAGE_SEGMENTS) },
    { weight: 3, arbitrary: anyText(30).map(encode) },
    { weight: 2, arbitrary: fc.string({ unit: asciiUnit, maxLength: 20 }) },
    { weight: 2, arbitrary: fc.array(fc.nat(255), { minLength: 1, maxLength: 12 }).map((bytes) => bytes.map(hex).join('')) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom(199, 200, 201, 1_000, 5_000), fc.constantFrom('t', 'é', '😀', '\0', '%'))
        .map(([n, c]) => encode(c.repeat(n)).slice(0, 6_000)),
    },
  );
}

const SORT_VALUES = ['oldest', 'newest', 'top', 'best', 'OLDEST', 'top%20', ''];
const LIMIT_VALUES = [
  '0',
  '1',
  '-1',
  '2.5',
  '1e1',
  '1e400',
  '0x10',
  '100',
  '101',
  '9'.repeat(40),
  'NaN',
  'Infinity',
  '-0',
  '%20',
  '+5',
  '5%00',
  'null',
  '[]',
];

/** Cursors: forged keyset positions (times, ids and scores out of every range), JSON and text. */
function cursorArb(ids: string[]) {
  const time = fc.oneof(
    fc.date().map((d) => (Number.isNaN(d.getTime()) ? 'Invalid Date' : d.toISOString())),
    fc
      .integer({ min: -300_000, max: 300_000 })
      .map(
        (y) =>
          `${y < 0 ? '-' : y > 9999 ? '+' : ''}${String(Math.abs(y)).padStart(y < 0 || y > 9999 ? 6 : 4, '0')}-01-01T00:00:00.000Z`,
      ),
    fc.constantFrom(
      '',
      'now',
      '2020-13-45',
      '0000-01-01T00:00:00Z',
      '9999-12-31T23:59:59.999Z',
      '10000-01-01',
      '1970-01-01',
      'Infinity',
      '1',
    ),
    anyText(12),
  );
  const score = fc.oneof(
    fc.integer(),
    fc.constantFrom(2 ** 31 - 1, 2 ** 31, -(2 ** 31), -(2 ** 31) - 1, 2 ** 53 - 1, -(2 ** 53 - 1), 2 ** 53, 1e308, 0.5, -0),
    fc.double(),
    fc.constantFrom(null, '1', true, [], {}),
  );
  const id = fc.oneof(fc.constantFrom(...ids), anyText(12), fc.constantFrom('', 'x'.repeat(200), 'x'.repeat(201), 'a\0b'));
  const sort = fc.constantFrom('oldest', 'newest', 'top', 'OLDEST', '', 'x');
  return fc
    .oneof(
      { weight: 4, arbitrary: fc.tuple(sort, time, id, score).map((parts) => JSON.stringify(parts)) },
      { weight: 1, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)) },
      { weight: 1, arbitrary: anyText(30) },
    )
    .chain((json) =>
      fc.constantFrom(
        Buffer.from(json).toString('base64url'),
        encode(Buffer.from(json).toString('base64')),
        encode(json),
        Buffer.from(json).toString('base64url').slice(1),
      ),
    );
}

function queryArb(ids: string[]) {
  const value = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...SORT_VALUES, ...LIMIT_VALUES) },
    { weight: 3, arbitrary: cursorArb(ids) },
    { weight: 2, arbitrary: anyText(20).map(encode) },
    { weight: 2, arbitrary: fc.string({ unit: asciiUnit, maxLength: 20 }).map((s) => s.replaceAll('#', '%23')) },
    { weight: 1, arbitrary: fc.constantFrom('x'.repeat(3_000), encode('😀'.repeat(300)), ...ids, SEED_THREAD) },
  );
  const key = fc.constantFrom(
    'sort',
    'limit',
    'cursor',
    'thread',
    'thread',
    '__proto__',
    'constructor',
    'Sort',
    'LIMIT',
    'thread[]',
    '',
    'x',
  );
  const pairs = fc
    .array(fc.tuple(key, value, fc.constantFrom('=', '=', '=', '', '==')), { maxLength: 6 })
    .map((list) => list.map(([k, v, eq]) => (eq ? `${k}${eq}${v}` : k)).join('&'));
  const manyThreads = fc.integer({ min: 95, max: 105 }).map((n) => Array.from({ length: n }, (_, i) => `thread=t${i}`).join('&'));
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant('') },
    { weight: 6, arbitrary: pairs.map((q) => `?${q}`) },
    { weight: 1, arbitrary: manyThreads.map((q) => `?${q}`) },
    {
      weight: 1,
      arbitrary: fc.constantFrom('?', '??', '?&&', '?=', '?sort=top&sort=newest&limit=1&limit=2', '?%', '?thread=%ZZ'),
    },
  );
}

const METHODS = ['GET', 'POST', 'PATCH', 'DELETE', 'PUT', 'HEAD', 'OPTIONS', 'TRACE', 'PROPFIND', 'PURGE', 'SEARCH', 'MKCOL'];

/** A path on some endpoint (or none) and the method: the endpoint's own mostly, any other sometimes. */
function routeArb(threads: string[], ids: string[]) {
  const t = segment(threads);
  const c = segment(ids);
  const on = (method: string | string[], parts: fc.Arbitrary<string[]>) =>
    fc.tuple(
      fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(...[method].flat()) },
        { weight: 1, arbitrary: fc.constantFrom(...METHODS) },
      ),
      parts,
    );
  const prefix = fc.oneof(
    { weight: 12, arbitrary: fc.constant('/api/') },
    {
      weight: 1,
      arbitrary: fc.constantFrom('/API/', '//api/', '/api//', '/api/./', '/api/../api/', '/', '/x/api/', '/api%2F', '/%61pi/'),
    },
  );
  const suffix = fc.oneof(
    { weight: 12, arbitrary: fc.constant('') },
    { weight: 1, arbitrary: fc.constantFrom('/', '//', '/x', '%2F', '/..', '#x') },
  );
  const templated = fc.oneof(
    on(
      ['GET', 'POST'],
      fc.tuple(t).map(([a]) => ['threads', a, 'comments']),
    ),
    on(
      ['PATCH', 'DELETE'],
      fc.tuple(t, c).map(([a, b]) => ['threads', a, 'comments', b]),
    ),
    on(
      'POST',
      fc.tuple(t, c).map(([a, b]) => ['threads', a, 'comments', b, 'votes']),
    ),
    on(
      'POST',
      fc.tuple(t, c).map(([a, b]) => ['threads', a, 'comments', b, 'approve']),
    ),
    on(
      'GET',
      fc.tuple(t).map(([a]) => ['threads', a, 'events']),
    ),
    on('GET', fc.constant(['counts'])),
    on('GET', fc.constant(['admin', 'pending'])),
    on(
      METHODS,
      fc.array(segment([...threads, 'threads', 'comments', 'votes', 'admin', 'counts']), { minLength: 1, maxLength: 6 }),
    ),
  );
  const whole = fc.tuple(
    fc.constantFrom(...METHODS),
    fc.constantFrom(
      '/',
      '/api',
      '/api/',
      '/confab.iife.js',
      '/confab.iife.js.map',
      '/index.html',
      '/favicon.ico',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/demo/server/index.mjs',
      '/package.json',
      '/api/admin',
      '/api/threads',
      '*',
    ),
  );
  return fc.oneof(
    {
      weight: 12,
      arbitrary: fc
        .tuple(templated, prefix, suffix)
        .map(([[method, parts], pre, post]) => ({ method, path: `${pre}${parts.join('/')}${post}` })),
    },
    { weight: 1, arbitrary: whole.map(([method, path]) => ({ method, path })) },
  );
}

/** Headers, each one missing, garbage, huge, empty, duplicated, or right. */
function headersArb(tokens: string[]) {
  const auth = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...tokens).map((token) => `Bearer ${token}`) },
    {
      weight: 3,
      arbitrary: fc.constantFrom(
        'Bearer',
        'Bearer ',
        'bearer',
        'Basic YWxhZGRpbjpvcGVuc2VzYW1l',
        'Bearer  ',
        'Token x',
        'Bearer a b',
        `Bearer ${ADMIN_TOKEN.slice(0, -1)}`,
        `Bearer ${ADMIN_TOKEN} x`,
        `BEARER ${ADMIN_TOKEN}`,
        `Bearer\t${ADMIN_TOKEN}`,
        `Bearer ${ADMIN_TOKEN}\u00e9`,
        'Bearer null',
        'Bearer undefined',
        'Bearer __proto__',
      ),
    },
    { weight: 2, arbitrary: headerText(60).map((text) => `Bearer ${text}`) },
    { weight: 2, arbitrary: headerText(60) },
    { weight: 1, arbitrary: fc.integer({ min: 1_000, max: 6_000 }).map((n) => `Bearer ${'x'.repeat(n)}`) },
  );
  const id = fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom('', ' ', 'fuzz-key', 'k'.repeat(200), 'k'.repeat(201), '__proto__', 'null') },
    { weight: 3, arbitrary: headerText(40) },
    { weight: 2, arbitrary: fc.uuid() },
    { weight: 1, arbitrary: fc.integer({ min: 190, max: 6_000 }).map((n) => 'k'.repeat(n)) },
  );
  const origin = fc.oneof(
    { weight: 3, arbitrary: fc.constant(app.url) },
    {
      weight: 3,
      arbitrary: fc.constantFrom(
        ...FOREIGN_ORIGINS,
        `${app.url}/`,
        app.url.toUpperCase(),
        '',
        '*',
        'javascript:alert(1)',
        `${app.url}.evil.example`,
      ),
    },
    { weight: 1, arbitrary: headerText(40) },
    { weight: 1, arbitrary: headerText(30).map((host) => `http://${host}`) },
  );
  const contentType = fc.oneof(
    {
      weight: 3,
      arbitrary: fc.constantFrom(
        'application/json',
        'application/json; charset=utf-8',
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=----x',
        'application/json; charset=utf-16le',
        'application/xml',
        '',
        '*/*',
        'application/json, text/html',
        'text/event-stream',
      ),
    },
    { weight: 1, arbitrary: headerText(40) },
  );
  const name = fc.oneof(
    fc.constantFrom(
      'x-forwarded-for',
      'accept',
      'accept-encoding',
      'content-encoding',
      'cookie',
      'referer',
      'user-agent',
      'x-http-method-override',
      'last-event-id',
      'cache-control',
      'if-none-match',
      'range',
      'x-requested-with',
      'forwarded',
      'access-control-request-method',
      'access-control-request-headers',
    ),
    fc.string({ unit: tokenUnit, minLength: 1, maxLength: 20 }),
  );
  // Framing and connection headers are the raw socket's business.
  const forbiddenNames = new Set([
    'content-length',
    'transfer-encoding',
    'host',
    'expect',
    'connection',
    'upgrade',
    'keep-alive',
    'te',
    'trailer',
    'proxy-connection',
    'http2-settings',
  ]);
  const maybeTwice = <T>(value: fc.Arbitrary<T>) =>
    fc.oneof(
      { weight: 5, arbitrary: value.map((v): T | T[] => v) },
      { weight: 1, arbitrary: fc.tuple(value, value).map(([a, b]): T | T[] => [a, b]) },
    );
  /** Present about one time in `1 / (1 + rarity)`. */
  const sometimes = <T>(value: fc.Arbitrary<T>, rarity = 1) =>
    fc.oneof({ weight: rarity, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: value });
  return fc
    .record({
      authorization: sometimes(maybeTwice(auth)),
      'idempotency-key': sometimes(maybeTwice(id)),
      'x-voter': sometimes(maybeTwice(id)),
      origin: sometimes(maybeTwice(origin), 4),
      'content-type': sometimes(maybeTwice(contentType)),
      host: sometimes(fc.constantFrom('evil.example', 'localhost', '127.0.0.1', '[::1]:1', 'a b'), 12),
      extra: fc.array(fc.tuple(name, headerText(60)), { maxLength: 4 }),
      huge: sometimes(fc.integer({ min: 2_000, max: 8_000 }), 4),
    })
    .map(({ extra, huge, ...known }) => {
      const headers: Record<string, string | string[]> = {};
      for (const [key, value] of Object.entries(known)) if (value !== undefined) headers[key] = value;
      for (const [key, value] of extra) {
        const lower = key.toLowerCase();
        if (!forbiddenNames.has(lower) && !(lower in headers)) headers[lower] = value;
      }
      if (huge !== undefined) headers['x-huge'] = 'h'.repeat(huge);
      return headers;
    });
}

/** Cuts the path and header values so the whole request head stays within Node's 16 KB. */
function fitHead(request: FuzzRequest): FuzzRequest {
  const path = request.path.slice(0, HEAD_BUDGET / 2);
  let budget = HEAD_BUDGET - path.length;
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    const values = [value].flat().map((v) => {
      const cut = v.slice(0, Math.max(0, budget - name.length - 4));
      budget -= cut.length + name.length + 4;
      return cut;
    });
    headers[name] = Array.isArray(value) ? values : (values[0] ?? '');
  }
  return { ...request, path, headers };
}

/** Values of every type for every field: JSON's own, text of any kind, and the protocol's edge cases. */
function fieldValue(ids: string[]) {
  return fc.oneof(
    { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
    { weight: 3, arbitrary: anyText(60) },
    {
      weight: 3,
      arbitrary: fc.constantFrom<unknown>(
        null,
        0,
        -1,
        1,
        2,
        -0,
        0.5,
        1e308,
        true,
        false,
        [],
        {},
        '',
        ' ',
        '\0',
        'a\0b',
        '\uD800',
        'x'.repeat(10_001),
        '😀'.repeat(10_000),
        'n'.repeat(81),
        'javascript:alert(1)',
        'http://a.example',
        'https://a.example/x',
        ' https://a.example/y ',
        `https://a.example/${'x'.repeat(2_000)}`,
        'http://a\0b',
        '__proto__',
        'constructor',
        [1],
        { body: 'x' },
        ...ids,
      ),
    },
  );
}

/** JSON text for an object, with `__proto__`/`constructor` keys put in as text (JSON.stringify drops them). */
function objectText(entries: Array<[string, unknown]>, poison: boolean) {
  const parts = entries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v) ?? 'null'}`);
  if (poison) {
    parts.unshift('"__proto__":{"polluted":"yes","body":"from the prototype","isAdmin":true}');
    parts.push('"constructor":{"prototype":{"polluted":"yes"}}', '"prototype":{"polluted":"yes"}');
  }
  return `{${parts.join(',')}}`;
}

/** Post, edit and vote bodies with every field possibly of the wrong type, plus stray fields. */
function protocolBody(ids: string[]) {
  const wrong = fieldValue(ids);
  /** Absent, of the right shape (not always valid), or of any type at all. */
  const field = (right: fc.Arbitrary<unknown>) =>
    fc.oneof({ weight: 2, arbitrary: fc.constant(undefined) }, { weight: 8, arbitrary: right }, { weight: 1, arbitrary: wrong });
  const url = fc.oneof(
    {
      weight: 4,
      arbitrary: fc.constantFrom<unknown>('https://a.example/x', 'http://b.example', '', null, ' https://c.example '),
    },
    { weight: 1, arbitrary: anyText(20) },
    { weight: 1, arbitrary: anyText(20).map((path) => `https://a.example/${path}`) },
  );
  return fc
    .tuple(
      fc.record({
        parentId: field(
          fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom<unknown>(...ids) }),
        ),
        author: field(fc.record({ name: field(anyText(20)), email: field(anyText(20)), url: field(url), avatarUrl: field(url) })),
        body: field(anyText(200)),
        page: field(fc.record({ title: field(anyText(40)), url: field(url) })),
        website: fc.oneof(
          { weight: 6, arbitrary: fc.constantFrom<unknown>(undefined, '', null) },
          { weight: 1, arbitrary: wrong },
        ),
        value: field(fc.constantFrom(1, 0, -1)),
      }),
      fc.array(fc.tuple(anyText(10), wrong), { maxLength: 3 }),
      fc.boolean(),
    )
    .map(([fields, stray, poison]) => {
      const drop = (value: unknown): unknown =>
        value !== null && typeof value === 'object' && !Array.isArray(value)
          ? Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined))
          : value;
      const entries = Object.entries(fields)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]): [string, unknown] => [k, drop(v)]);
      return objectText([...entries, ...stray], poison);
    });
}

const DEEP_KINDS = ['array', 'object', 'body', 'author', 'page', 'unclosed'] as const;
/** 10,000 levels and more: arrays, objects, inside a field, and never closed. */
const deepJsonOf = (kinds: ReadonlyArray<(typeof DEEP_KINDS)[number]> = DEEP_KINDS) =>
  fc.tuple(fc.constantFrom(100, 1_000, 10_000, 32_000), fc.constantFrom(...kinds)).map(([depth, kind]) => {
    switch (kind) {
      case 'array':
        return '['.repeat(depth) + ']'.repeat(depth);
      case 'object':
        return '{"body":'.repeat(depth) + '"x"' + '}'.repeat(depth);
      case 'body':
        return `{"body":${'['.repeat(depth)}${']'.repeat(depth)},"value":1}`;
      case 'author':
        return `{"body":"x","author":${'{"name":'.repeat(depth)}"n"${'}'.repeat(depth)}}`;
      case 'page':
        return `{"body":"deep page","page":${'{"title":'.repeat(depth)}"t"${'}'.repeat(depth)}}`;
      default:
        return '{"body":['.repeat(depth);
    }
  });
const deepJson = deepJsonOf();

/** A body of exactly `size` bytes, in one of several shapes (multi-byte characters straddling the limit too). */
function sizedBody(size: number, kind: string): string {
  const fill = (head: string, tail: string, unit: string) => {
    const room = size - Buffer.byteLength(head + tail);
    const units = Math.floor(room / Buffer.byteLength(unit));
    return head + unit.repeat(units) + ' '.repeat(room - units * Buffer.byteLength(unit)) + tail;
  };
  switch (kind) {
    case 'post':
      return fill('{"body":"sized","value":1', '}', ' ');
    case 'long-body':
      return fill('{"body":"', '"}', 'x');
    case 'multibyte':
      return fill('{"body":"x","page":{"title":"', '"}}', '😀');
    case 'escapes':
      return fill('{"body":"', '"}', '\\u0041');
    default:
      return fill('', '', 'garbage ');
  }
}

function bodyArb(ids: string[]) {
  const text = fc.oneof(
    { weight: 6, arbitrary: protocolBody(ids) },
    { weight: 3, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)) },
    {
      weight: 2,
      arbitrary: fc
        .anything({ withBoxedValues: true, withMap: true, withSet: true, withNullPrototype: true, withSparseArray: true })
        .map((v) => fc.stringify(v)),
    },
    {
      weight: 2,
      arbitrary: fc.tuple(protocolBody(ids), fc.nat()).map(([json, at]) => json.slice(0, at % Math.max(1, json.length))),
    },
    { weight: 1, arbitrary: deepJson },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '',
        ' ',
        'null',
        'true',
        '0',
        '""',
        '[]',
        '{}',
        '{',
        '}',
        '\uFEFF{"body":"bom"}',
        '{"body":"x"}garbage',
        '{"body":"x"}{"body":"y"}',
        '{"body":"\\ud800"}',
        '{"body":"\\u0000"}',
        '{"body":"a","body":"b"}',
        "{'body':'single'}",
        '{"body":"x",}',
        '{body:"x"}',
        'NaN',
        '[{"body":"x"}]',
      ),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          fc.constantFrom(MAX_BODY - 1, MAX_BODY, MAX_BODY + 1),
          fc.constantFrom('post', 'long-body', 'multibyte', 'escapes', 'garbage'),
        )
        .map(([size, kind]) => sizedBody(size, kind)),
    },
  );
  return fc.oneof(
    { weight: 12, arbitrary: text.map((t) => Buffer.from(t, 'utf8')) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 400 }).map((bytes) => Buffer.from(bytes)) },
    // Invalid UTF-8 inside JSON strings, and UTF-16 where UTF-8 is expected.
    {
      weight: 1,
      arbitrary: fc
        .uint8Array({ minLength: 1, maxLength: 40 })
        .map((bytes) => Buffer.concat([Buffer.from('{"body":"'), Buffer.from(bytes.map((b) => b | 0x80)), Buffer.from('"}')])),
    },
    { weight: 1, arbitrary: protocolBody(ids).map((t) => Buffer.from(t, 'utf16le')) },
  );
}

const chunksArb = fc.oneof(
  { weight: 3, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.constantFrom(1, 2, 3, 7, 50, 1_000) },
);

/** Any request: any route, query, headers and body. */
function anyRequestArb() {
  const threads = FUZZED_THREADS().slice(0, 7);
  const ids = [fx.open.id, fx.open.reply, 'c1', 'c2', 'c10', 'no-such-comment'];
  const tokens = [ADMIN_TOKEN, fx.open.token, fx.open.replyToken];
  return fc
    .record({
      route: routeArb(threads, ids),
      query: queryArb(ids),
      headers: headersArb(tokens),
      body: fc.oneof({ weight: 1, arbitrary: fc.constant(undefined) }, { weight: 3, arbitrary: bodyArb(ids) }),
      chunks: chunksArb,
    })
    .map(({ route, query, headers, body, chunks }) =>
      named(
        fitHead({
          method: route.method,
          path: `${route.path}${route.path.includes('#') ? '' : query}`,
          headers,
          body,
          chunks: body ? chunks : undefined,
        }),
      ),
    );
}

// ---------------------------------------------------------------------------------------------

describe('fuzzing the reference server', () => {
  it(`answers any request to any endpoint with no 5xx, the protocol's error object and no internals (${RUNS.anyRequest} runs)`, async () => {
    property = 'anyRequest';
    await fc.assert(
      fc.asyncProperty(anyRequestArb(), async (request) => {
        checkAnswer(request, await send(request));
      }),
      { numRuns: RUNS.anyRequest },
    );
    await expectHealthy();
  }, 60_000);

  it(`parses any body on every endpoint that reads one, sent whole or chunked (${RUNS.bodies} runs)`, async () => {
    property = 'bodies';
    // A comment of its own, which the other properties cannot delete from under it.
    const own = newThread();
    const mine = await post(app, own, { body: 'Edited by fuzzing' });
    ownThreads.push(own);
    const ids = [mine.comment.id, fx.open.id, 'c1', 'no-such-comment'];
    // Right paths and credentials, so the body is what gets judged.
    const target = fc.oneof(
      fc.record({
        method: fc.constant('POST'),
        path: fc.constantFrom(own, SEED_THREAD, 'fuzz-bodies').map((t) => commentsPath(t)),
        headers: fc
          .option(fc.uuid(), { nil: undefined })
          .map((key): Record<string, string> => (key ? { 'idempotency-key': key } : {})),
      }),
      fc.record({
        method: fc.constant('PATCH'),
        path: fc.constant(`${commentsPath(own)}/${mine.comment.id}`),
        headers: fc.constantFrom(bearer(ADMIN_TOKEN), bearer(mine.editToken)),
      }),
      fc.record({
        method: fc.constant('POST'),
        path: fc.constant(`${commentsPath(own)}/${mine.comment.id}/votes`),
        headers: fc.oneof(fc.uuid(), fc.constantFrom('v1', 'v2')).map((voter) => ({ 'x-voter': voter })),
      }),
    );
    const contentType = fc.constantFrom(
      undefined,
      'application/json',
      'text/plain',
      'application/x-www-form-urlencoded',
      'application/json; charset=utf-16',
    );
    await fc.assert(
      fc.asyncProperty(
        fc.record({ target, body: bodyArb(ids), chunks: chunksArb, contentType }),
        async ({ target: { method, path, headers }, body, chunks, contentType: type }) => {
          const request = named({
            method,
            path: `/api${path}`,
            headers: type === undefined ? headers : { ...headers, 'content-type': type },
            body,
            chunks,
          });
          const reply = await send(request);
          checkAnswer(request, reply);
          // The limit is the limit, to the byte.
          expect(reply.status === 413, describeRequest(request)).toBe(body.length > MAX_BODY);
        },
      ),
      { numRuns: RUNS.bodies },
    );
    await expectHealthy();
  }, 60_000);

  it(`holds the 64 KB limit to the byte and survives 10,000 levels of JSON, on every body-reading endpoint; a body where none is read does no harm (${RUNS.limits} runs)`, async () => {
    property = 'limits';
    const own = newThread();
    const mine = await post(app, own, { body: 'At the limits' });
    ownThreads.push(own);
    const endpoints: Array<Omit<FuzzRequest, 'body'>> = [
      { method: 'POST', path: `/api${commentsPath(own)}`, headers: {} },
      { method: 'PATCH', path: `/api${commentsPath(own)}/${mine.comment.id}`, headers: bearer(mine.editToken) },
      { method: 'POST', path: `/api${commentsPath(own)}/${mine.comment.id}/votes`, headers: { 'x-voter': 'limits' } },
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...endpoints),
        fc.constantFrom(MAX_BODY - 1, MAX_BODY, MAX_BODY + 1),
        fc.constantFrom('post', 'long-body', 'multibyte', 'escapes', 'garbage'),
        fc.constantFrom(undefined, 1, 3, 64),
        async (endpoint, size, kind, chunks) => {
          const body = Buffer.from(sizedBody(size, kind), 'utf8');
          expect(body.length).toBe(size);
          const request = named({ ...endpoint, body, chunks });
          const reply = await send(request);
          checkAnswer(request, reply);
          if (size > MAX_BODY) expect(JSON.parse(reply.text).error.code).toBe('too_large');
          else expect(reply.status).not.toBe(413);
        },
      ),
      { numRuns: RUNS.limits },
    );
    // 10,000 levels of arrays and of objects, on every endpoint that parses a body.
    for (const endpoint of endpoints) {
      for (const text of [
        '['.repeat(10_000) + ']'.repeat(10_000),
        '{"body":'.repeat(10_000) + '"x"' + '}'.repeat(10_000),
        `{"body":"x","page":${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}`,
      ]) {
        const request = named({ ...endpoint, body: Buffer.from(text) });
        const started = Date.now();
        const reply = await send(request);
        checkAnswer(request, reply);
        expect(Date.now() - started).toBeLessThan(2_000);
      }
    }
    // Endpoints that read no body get one anyway; an event stream must still end when its client leaves.
    for (const path of [
      `/api${commentsPath(fx.open.thread)}`,
      `/api/threads/${encode(fx.open.thread)}/events`,
      '/api/counts?thread=a',
    ]) {
      for (const chunks of [undefined, 4]) {
        const request = named({ method: 'GET', path, headers: {}, body: Buffer.alloc(MAX_BODY * 4, '['), chunks });
        checkAnswer(request, await send(request));
      }
    }
    await expectHealthy();
  }, 60_000);

  it(`takes NUL, lone surrogates and their kin in every field and cursor, and cursors at every edge, without a 5xx (${NASTY.length} strings, every field)`, async () => {
    property = 'nasty';
    // Not left to chance: every string in every place. A lone surrogate is stored as U+FFFD.
    const thread = newThread();
    const { comment, editToken } = await post(app, thread, { body: 'Target' });
    const inPost: Array<(nasty: string) => Record<string, unknown>> = [
      (n) => ({ body: `x${n}` }),
      (n) => ({ body: n }),
      (n) => ({ body: 'x', parentId: n }),
      (n) => ({ body: 'x', parentId: `${comment.id}${n}` }),
      (n) => ({ body: 'x', author: { name: n } }),
      (n) => ({ body: 'x', author: { email: n } }),
      (n) => ({ body: 'x', author: { url: n } }),
      (n) => ({ body: 'x', author: { url: `https://a.example/${n}` } }),
      (n) => ({ body: 'x', author: { avatarUrl: n } }),
      (n) => ({ body: 'x', page: { title: n, url: `https://a.example/${n}` } }),
      (n) => ({ body: 'x', website: n }),
      (n) => ({ body: 'x', [n]: n }),
    ];
    const check = async (request: FuzzRequest) => {
      const reply = await send(named(request));
      checkAnswer(request, reply);
      return reply;
    };
    for (const nasty of NASTY) {
      for (const input of inPost) {
        const body = Buffer.from(JSON.stringify(input(nasty)));
        const reply = await check({ method: 'POST', path: `/api${commentsPath(thread)}`, headers: {}, body });
        const sent = input(nasty).body as string;
        if (reply.status === 201) expect(JSON.parse(reply.text).comment.body).toBe(asStored(sent));
      }
      // A raw control character inside a JSON string is not JSON.
      await check({
        method: 'POST',
        path: `/api${commentsPath(thread)}`,
        headers: {},
        body: Buffer.from(`{"body":"x${nasty}"}`),
      });
      const edit = await check({
        method: 'PATCH',
        path: `/api${commentsPath(thread)}/${comment.id}`,
        headers: bearer(editToken),
        body: Buffer.from(JSON.stringify({ body: `y${nasty}` })),
      });
      if (edit.status === 200) expect(JSON.parse(edit.text).comment.body).toBe(asStored(`y${nasty}`));
      await check({
        method: 'POST',
        path: `/api${commentsPath(thread)}/${comment.id}/votes`,
        headers: { 'x-voter': 'nasty' },
        body: Buffer.from(JSON.stringify({ value: nasty })),
      });
      for (const where of [thread, `${thread}${nasty}`, nasty]) {
        await check({ method: 'GET', path: `/api/threads/${encode(where)}/comments`, headers: {} });
        await check({ method: 'GET', path: `/api/counts?thread=${encode(where)}`, headers: {} });
      }
      for (const sort of ['oldest', 'newest', 'top']) {
        const cursor = Buffer.from(JSON.stringify([sort, new Date().toISOString(), `c${nasty}`, 0])).toString('base64url');
        await check({ method: 'GET', path: `/api${commentsPath(thread)}?sort=${sort}&cursor=${cursor}`, headers: {} });
      }
    }
    // Scores at and past the edges of PostgreSQL's integer, and times at the edges of its years.
    const edges: Array<[string, number]> = [
      ['2020-01-01T00:00:00.000Z', 2 ** 31 - 1],
      ['2020-01-01T00:00:00.000Z', 2 ** 31],
      ['2020-01-01T00:00:00.000Z', -(2 ** 31)],
      ['2020-01-01T00:00:00.000Z', -(2 ** 31) - 1],
      ['2020-01-01T00:00:00.000Z', 2 ** 53 - 1],
      ['2020-01-01T00:00:00.000Z', -(2 ** 53 - 1)],
      ['0001-01-01T00:00:00.000Z', 0],
      ['9999-12-31T23:59:59.999Z', 0],
      ['+010000-01-01T00:00:00.000Z', 0],
      ['-000001-01-01T00:00:00.000Z', 0],
    ];
    for (const [time, score] of edges) {
      for (const sort of ['oldest', 'newest', 'top']) {
        const cursor = Buffer.from(JSON.stringify([sort, time, 'c1', score])).toString('base64url');
        await check({ method: 'GET', path: `/api${commentsPath(SEED_THREAD)}?sort=${sort}&cursor=${cursor}`, headers: {} });
      }
    }
    await expectHealthy();
  }, 60_000);

  it(`stores nothing from a rejected request, whatever else the request holds (${RUNS.rejected} runs)`, async () => {
    property = 'rejected';
    const r = fx.rejected;
    const path = (thread: string, ...rest: string[]) => `/api${[commentsPath(thread), ...rest].join('/')}`;
    const ids = [r.id, r.reply, r.deleted, r.pending, r.lockedId, r.otherId];
    const value = fieldValue(ids);
    const goodPost = fc.constantFrom(
      { body: 'A valid comment' },
      { body: 'Valid 😀', author: { name: 'Bo', url: 'https://bo.example' } },
      { body: 'x', parentId: null, page: { title: 'T' } },
    );

    // Each defect alone makes the request fail; noise is added on top of it.
    const notAnObject = fc.oneof(
      fc
        .jsonValue()
        .filter((v) => typeof v !== 'object' || v === null || Array.isArray(v))
        .map((v) => JSON.stringify(v)),
      fc.constantFrom('', 'not json', '{', '{"body":"x"', '[{"body":"x"}]', '{"body":"x"}x', "{'body':'x'}"),
      deepJsonOf(['array', 'unclosed']),
      fc.uint8Array({ minLength: 1, maxLength: 50 }).map((bytes) => Buffer.from(bytes.map((b) => b | 0x80)).toString('latin1')),
    );
    const badBodyField = fc.oneof(
      fc.constant(undefined),
      fc.constantFrom('', ' ', ' \n\t\r ', '\u00A0\u2028\uFEFF', 'a\0b', '\0', 'x'.repeat(10_001), '😀'.repeat(10_001)),
      fc.jsonValue().filter((v) => typeof v !== 'string'),
    );
    /** A post body with at least one invalid field, the other fields anything. */
    const badPost = fc
      .record({
        defect: fc.oneof(
          badBodyField.map((body) => ({ body })),
          fc
            .jsonValue()
            .filter((v) => v !== null && (typeof v !== 'object' || Array.isArray(v)))
            .map((author) => ({ body: 'x', author })),
          fc
            .oneof(
              fc.jsonValue().filter((v) => v !== null && typeof v !== 'string'),
              fc.constantFrom('n'.repeat(81), 'a\0b', '😀'.repeat(81)),
            )
            .map((name) => ({ body: 'x', author: { name } })),
          fc
            .oneof(
              fc.constantFrom(
                'javascript:alert(1)',
                'ftp://x.example',
                'data:text/html,x',
                'not a url',
                'http://',
                'http://a\0b',
                '//a.example',
              ),
              fc.constant(`https://a.example/${'x'.repeat(2_000)}`),
              fc.jsonValue().filter((v) => v !== null && v !== '' && typeof v !== 'string'),
            )
            .map((url) => ({ body: 'x', author: { url } })),
          fc
            .oneof(
              fc.constantFrom('', 'x'.repeat(201), 'no-such-comment', 'a\0b', r.pending, r.otherId, r.lockedId),
              fc.jsonValue().filter((v) => v !== null && typeof v !== 'string'),
            )
            .map((parentId) => ({ body: 'x', parentId })),
          fc
            .jsonValue()
            .filter((v) => v !== null && v !== '')
            .map((website) => ({ body: 'x', website })),
        ),
        rest: fc.record(
          { author: fc.record({ name: anyText(10), email: value }, { requiredKeys: [] }), page: value },
          { requiredKeys: [] },
        ),
        poison: fc.boolean(),
      })
      .map(({ defect, rest, poison }) =>
        objectText(
          Object.entries({ ...rest, ...defect }).filter(([, v]) => v !== undefined),
          poison,
        ),
      );
    // Deep objects only where they lack what the endpoint needs (a deep `author` is a valid edit).
    const badEdit = fc.oneof(
      notAnObject,
      deepJsonOf(['object', 'body']),
      fc
        .tuple(badBodyField, fc.boolean())
        .map(([body, poison]) => objectText(body === undefined ? [] : [['body', body]], poison)),
    );
    const badVote = fc.oneof(
      notAnObject,
      deepJsonOf(['object', 'author', 'page']),
      fc
        .tuple(
          fc.oneof(value, fc.constantFrom(2, -2, 0.5, '1', true, null, 1e308)).filter((v) => v !== 1 && v !== 0 && v !== -1),
          fc.boolean(),
        )
        .map(([v, poison]) => objectText([['value', v]], poison)),
      fc.constant('{}'),
    );
    const garbageAuth = fc.oneof(
      fc.constant(undefined),
      fc.constantFrom(
        'Bearer',
        'Bearer ',
        `Bearer ${r.token.slice(0, -1)}`,
        `Bearer ${r.replyToken}x`,
        `Bearer ${ADMIN_TOKEN}x`,
        `Basic ${r.token}`,
        r.token,
        'Bearer null',
      ),
      headerText(40).map((t) => `Bearer ${t}`),
    );
    type Defect = { method: string; path: string; headers: Record<string, string>; body?: Buffer };
    type Headers = Record<string, string>;
    const json = (text: fc.Arbitrary<string>) => text.map((t) => Buffer.from(t, 'utf8'));
    const valid = (input: object) => fc.constant(Buffer.from(JSON.stringify(input)));
    const tooLarge = fc.constant(Buffer.from(sizedBody(MAX_BODY + 1, 'long-body')));
    const auth = (token: string): Headers => ({ authorization: `Bearer ${token}` });
    const noAuth = garbageAuth.map((header): Headers => (header === undefined ? {} : { authorization: header }));
    const fromForeign = (headers: Headers = {}) =>
      fc.constantFrom(...FOREIGN_ORIGINS).map((origin): Headers => ({ origin, ...headers }));
    /** One kind of refusable request: any of `methods` on any of `paths`. */
    const refuse = (
      methods: string[],
      paths: string[],
      headers: Headers[] | fc.Arbitrary<Headers>,
      body?: fc.Arbitrary<Buffer>,
    ): fc.Arbitrary<Defect> =>
      fc.record({
        method: fc.constantFrom(...methods),
        path: fc.constantFrom(...paths),
        headers: Array.isArray(headers) ? fc.constantFrom(...headers) : headers,
        body: body ?? fc.constant(undefined),
      });
    const comment = (id: string, ...rest: string[]) => path(r.thread, id, ...rest);
    const badThreadPaths = [
      '/api/threads//comments',
      `/api/threads/${'t'.repeat(201)}/comments`,
      '/api/threads/a%00b/comments',
      '/api/threads/%E0%A4%A/comments',
      '/api/threads/%ED%A0%80/comments',
    ];
    const missingComments = [
      comment('no-such-comment'),
      comment(r.otherId),
      path(r.other, r.id),
      comment('a%00b'),
      comment('x'.repeat(201)),
    ];
    const forgedTopCursor = Buffer.from(JSON.stringify(['top', '2020-01-01T00:00:00Z', 'c1', 2 ** 40])).toString('base64url');
    const defects: fc.Arbitrary<Defect> = fc.oneof(
      // Posting.
      refuse(['POST'], [path(r.thread), path(newThread())], [{}], json(badPost)),
      refuse(['POST'], [path(r.thread)], [{}], json(notAnObject)),
      refuse(['POST'], [path(r.thread)], [{}], fc.constant(Buffer.from(sizedBody(MAX_BODY + 1, 'post')))),
      refuse(
        ['POST'],
        [path(r.thread)],
        [{ 'idempotency-key': '' }, { 'idempotency-key': 'k'.repeat(201) }, { 'idempotency-key': ' ' }],
        valid({ body: 'x' }),
      ),
      refuse(
        ['POST'],
        badThreadPaths,
        [{}],
        goodPost.map((p) => Buffer.from(JSON.stringify(p))),
      ),
      refuse(
        ['POST'],
        [path(r.locked)],
        [{}],
        goodPost.map((p) => Buffer.from(JSON.stringify(p))),
      ),
      refuse(['POST'], [path(r.thread)], fromForeign(), valid({ body: 'x' })),
      refuse(['PUT', 'PATCH', 'DELETE', 'HEAD', 'PROPFIND'], [path(r.thread)], [auth(ADMIN_TOKEN)], valid({ body: 'x' })),
      // Editing.
      refuse(['PATCH'], [comment(r.id), comment(r.reply)], noAuth, valid({ body: 'Hijacked' })),
      refuse(['PATCH'], [comment(r.reply)], [auth(r.token)], valid({ body: 'Not my comment' })),
      refuse(['PATCH'], [comment(r.id), comment(r.pending)], [auth(r.token), auth(ADMIN_TOKEN)], json(badEdit)),
      refuse(['PATCH'], [...missingComments, comment(r.deleted)], [auth(ADMIN_TOKEN)], valid({ body: 'x' })),
      refuse(['PATCH'], [path(r.locked, r.lockedId)], [auth(r.lockedToken)], valid({ body: 'x' })),
      refuse(['PATCH'], [comment(r.id)], [auth(ADMIN_TOKEN), auth(r.token)], tooLarge),
      // Deleting.
      refuse(['DELETE'], [comment(r.id), comment(r.reply), comment(r.pending)], noAuth),
      refuse(['DELETE'], missingComments, [auth(ADMIN_TOKEN)]),
      refuse(['DELETE'], [comment(r.id)], fromForeign(auth(ADMIN_TOKEN))),
      // Voting.
      refuse(
        ['POST'],
        [comment(r.id, 'votes'), comment(r.reply, 'votes')],
        [{}, { 'x-voter': '' }, { 'x-voter': 'v'.repeat(201) }],
        valid({ value: 1 }),
      ),
      refuse(['POST'], [comment(r.id, 'votes')], [{ 'x-voter': 'v2' }], json(badVote)),
      refuse(['POST'], [comment(r.id, 'votes')], [{ 'x-voter': 'v2' }], tooLarge),
      refuse(
        ['POST'],
        [
          comment(r.deleted, 'votes'),
          comment(r.pending, 'votes'),
          ...missingComments.map((p) => `${p}/votes`),
          path(r.locked, r.lockedId, 'votes'),
        ],
        [{ 'x-voter': 'v3' }],
        valid({ value: -1 }),
      ),
      // Approving.
      refuse(['POST'], [comment(r.pending, 'approve')], noAuth),
      refuse(['POST'], [comment(r.pending, 'approve')], [auth(r.token)]),
      refuse(['POST'], [comment(r.deleted, 'approve'), ...missingComments.map((p) => `${p}/approve`)], [auth(ADMIN_TOKEN)]),
      // Reading with garbage.
      refuse(
        ['GET'],
        ['sort=best', 'limit=0', 'limit=x', 'cursor=garbage', `sort=top&cursor=${forgedTopCursor}`].map(
          (q) => `${path(r.thread)}?${q}`,
        ),
        [{}],
      ),
      refuse(['GET'], ['/api/admin/pending'], noAuth),
    );
    // Noise that can only add reasons to refuse: stray headers, a fresh Idempotency-Key, a Content-Type, chunking.
    const noise = fc.record({
      extra: fc.array(
        fc.tuple(
          fc.constantFrom('accept', 'cookie', 'x-forwarded-for', 'user-agent', 'x-http-method-override', 'referer'),
          headerText(40),
        ),
        { maxLength: 3 },
      ),
      key: fc.option(fc.oneof(fc.uuid(), headerText(30)), { nil: undefined }),
      contentType: fc.option(
        fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data'),
        { nil: undefined },
      ),
      origin: fc.oneof(
        { weight: 8, arbitrary: fc.constant(undefined) },
        { weight: 1, arbitrary: fc.constantFrom(...FOREIGN_ORIGINS) },
      ),
      chunks: chunksArb,
    });

    const refusable = fc.tuple(defects, noise).map(([defect, { extra, key, contentType, origin, chunks }]) => {
      const headers: Record<string, string> = {};
      for (const [name, text] of extra) headers[name] = text;
      if (key !== undefined && defect.method === 'POST') headers['idempotency-key'] = key;
      if (contentType !== undefined) headers['content-type'] = contentType;
      if (origin !== undefined) headers.origin = origin;
      Object.assign(headers, defect.headers);
      return named(fitHead({ ...defect, headers, chunks: defect.body ? chunks : undefined }));
    });

    /** Database and API, as the rejected requests must leave them. */
    const snapshot = async () => {
      const { rows } = await app.db.query(`SELECT
        (SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t.id), '')) FROM threads t) AS threads,
        (SELECT md5(coalesce(string_agg(c::text, '|' ORDER BY c.id), '')) FROM comments c) AS comments,
        (SELECT md5(coalesce(string_agg(v::text, '|' ORDER BY v.comment_id, v.voter), '')) FROM votes v) AS votes,
        (SELECT md5(coalesce(string_agg(k::text, '|' ORDER BY k.thread_id, k.key_hash), '')) FROM idempotency_keys k) AS keys`);
      const list = await call(app, 'GET', `${commentsPath(r.thread)}?limit=100`);
      const lockedList = await call(app, 'GET', `${commentsPath(r.locked)}?limit=100`);
      const counts = await call(app, 'GET', `/counts?thread=${r.thread}&thread=${r.locked}&thread=${r.other}`);
      const pending = await call(app, 'GET', '/admin/pending', { headers: bearer(ADMIN_TOKEN) });
      return { database: rows[0], list: list.body, lockedList: lockedList.body, counts: counts.body, pending: pending.body };
    };
    const before = await snapshot();
    expect(before.list.comments).toHaveLength(3); // the pending one is not shown
    expect(before.counts.counts).toEqual({ [r.thread]: 2, [r.locked]: 1, [r.other]: 1 });

    await fc.assert(
      fc.asyncProperty(refusable, async (request) => {
        const reply = await send(request);
        checkAnswer(request, reply);
        expect(reply.status, describeRequest(request)).toBeGreaterThanOrEqual(400);
        expect(await snapshot(), describeRequest(request)).toEqual(before);
      }),
      // The first failure changes the state every later run compares with: it is the one to see.
      { numRuns: RUNS.rejected, endOnFailure: true },
    );
    await expectHealthy();
  }, 60_000);

  it(`answers concurrent batches of fuzzed requests (${RUNS.concurrent} runs of ${CONCURRENT_BATCH})`, async () => {
    property = 'concurrent';
    await fc.assert(
      fc.asyncProperty(
        fc.array(anyRequestArb(), { minLength: CONCURRENT_BATCH, maxLength: CONCURRENT_BATCH }),
        async (requests) => {
          const replies = await Promise.all(requests.map(send));
          requests.forEach((request, i) => checkAnswer(request, replies[i] as Reply));
        },
      ),
      { numRuns: RUNS.concurrent },
    );
    await expectHealthy();
  }, 60_000);

  it(`survives malformed HTTP on a raw socket: Node or the server answers, never with a 5xx (${RUNS.raw} runs)`, async () => {
    property = 'raw';
    const { port } = new URL(app.url);
    const byte = fc.nat(255).map((n) => String.fromCharCode(n));
    // A well-formed request, mostly, with a few parts broken: most requests should reach the
    // server, the rest Node's parser.
    const broken = <T>(right: fc.Arbitrary<T>, wrong: fc.Arbitrary<T>) =>
      fc.oneof({ weight: 6, arbitrary: right }, { weight: 1, arbitrary: wrong });
    const method = broken(
      fc.constantFrom('GET', 'POST', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD', 'PUT'),
      fc.oneof(
        fc.constantFrom('get', 'G ET', '', 'FOO', 'GETT', 'PRI', '\x00GET', 'POST\t', 'CONNECT'),
        fc.string({ unit: tokenUnit, minLength: 1, maxLength: 10 }),
      ),
    );
    const target = broken(
      routeArb([fx.open.thread, 'raw'], [fx.open.id, 'x']).map((route) => route.path),
      fc.oneof(
        fc
          .tuple(
            fc.constantFrom('/api/threads/', '/api/counts?thread=', '/api/threads/x/comments/', '/'),
            fc.string({ unit: byte, maxLength: 40 }),
          )
          .map(([a, b]) => a + b),
        fc.constantFrom(
          '*',
          'http://evil.example/api/counts?thread=a',
          `http://127.0.0.1:${port}/api/counts?thread=a`,
          '/api/counts?thread=a#frag',
          '',
          '//',
          `/api/threads/${'x'.repeat(20_000)}/comments`,
        ),
      ),
    );
    const version = broken(
      fc.constantFrom('HTTP/1.1', 'HTTP/1.1', 'HTTP/1.0'),
      fc.constantFrom('HTTP/2.0', 'HTTP/0.9', 'HTTP/1.1 ', 'http/1.1', 'HTTP/1.10', '', 'HTTP/1.1\x00', 'HTTP/1.1\r\n'),
    );
    const headerLine = fc.oneof(
      {
        weight: 6,
        arbitrary: fc
          .tuple(
            fc.constantFrom(
              'Content-Type',
              'Authorization',
              'Idempotency-Key',
              'X-Voter',
              'Origin',
              'Accept',
              'X-Forwarded-For',
              'Cookie',
            ),
            headerText(40),
          )
          .map(([n, v]) => `${n}: ${v}`),
      },
      {
        weight: 3,
        arbitrary: fc.constantFrom(
          'Content-Length: -1',
          'Content-Length: 1e3',
          'Content-Length: 99999999999999999999',
          'Content-Length: 5',
          'Content-Length: 5, 6',
          'Content-Length: 5\r\nContent-Length: 6',
          'Content-Length: 0',
          'Transfer-Encoding: chunked',
          'Transfer-Encoding: gzip, chunked',
          'Transfer-Encoding: chunked, gzip',
          'Transfer-Encoding: x',
          'Transfer-Encoding: chunked\r\nContent-Length: 3',
          'Expect: 100-continue',
          'Expect: garbage',
          'Connection: Upgrade\r\nUpgrade: websocket',
          'Connection: close',
          'Connection: keep-alive',
          ' folded continuation',
          'Host:',
          'Host: a\r\nHost: b',
          'X:\x00y',
          'X :y',
          ':x',
          `Authorization: Bearer ${ADMIN_TOKEN}`,
          'Content-Type: application/json',
          'Origin: https://evil.example',
          `X-Big: ${'b'.repeat(17_000)}`,
          `X-Almost-Big: ${'b'.repeat(15_000)}`,
          'Content-Encoding: gzip',
        ),
      },
      { weight: 1, arbitrary: fc.string({ unit: byte, maxLength: 60 }) },
    );
    const body = fc.oneof(
      { weight: 2, arbitrary: fc.constant('') },
      { weight: 4, arbitrary: protocolBody([fx.open.id]).map((text) => Buffer.from(text, 'utf8').toString('latin1')) },
      { weight: 1, arbitrary: fc.string({ unit: byte, maxLength: 200 }) },
    );
    // How the body's end is told: its exact length (mostly), none, a wrong length, or chunks (right or broken).
    const framing = fc.oneof(
      { weight: 6, arbitrary: fc.constant('exact') },
      { weight: 1, arbitrary: fc.constantFrom('none', 'shorter', 'longer', 'chunked', 'bad-chunks', 'huge-chunk-extension') },
    );
    const rawRequest = fc
      .record({
        method,
        target,
        version,
        host: broken(fc.constant(true), fc.constant(false)),
        headers: fc.array(headerLine, { maxLength: 4 }),
        body,
        framing,
        newline: broken(fc.constant('\r\n'), fc.constantFrom('\n', '\r', '\r\r\n')),
        then: fc.oneof(
          { weight: 6, arbitrary: fc.constant('') },
          {
            weight: 1,
            arbitrary: fc.constantFrom(
              `GET /api/counts?thread=next HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`,
              'GARBAGE\r\n\r\n',
              '\r\n\r\n',
            ),
          },
        ),
      })
      .map(({ method: m, target: t, version: v, host, headers, body: b, framing: f, newline, then }) => {
        const length = Buffer.byteLength(b, 'latin1');
        const framed: Record<string, [string[], string]> = {
          exact: [[`Content-Length: ${length}`], b],
          none: [[], b],
          shorter: [[`Content-Length: ${Math.max(0, length - 3)}`], b],
          longer: [[`Content-Length: ${length + 3}`], b],
          chunked: [['Transfer-Encoding: chunked'], `${length.toString(16)}\r\n${b}\r\n0\r\n\r\n`],
          'bad-chunks': [['Transfer-Encoding: chunked'], `zz\r\n${b}\r\nffffffffffffffffff\r\n`],
          'huge-chunk-extension': [['Transfer-Encoding: chunked'], `1;ext=${'e'.repeat(20_000)}\r\nx\r\n0\r\n\r\n`],
        };
        const [framingHeaders, payload] = framed[f] ?? [[], b];
        const lines = [`${m} ${t} ${v}`, ...(host ? [`Host: 127.0.0.1:${port}`] : []), ...headers, ...framingHeaders];
        return `${lines.join(newline)}${newline}${newline}${payload}${then}`;
      });

    /** Sends, says it has nothing more to send, and reads until the server closes (it must, soon). */
    const exchange = (text: string) =>
      new Promise<{ received: string; closed: boolean }>((resolve) => {
        fuzzed[property] = (fuzzed[property] ?? 0) + 1;
        const socket = net.connect(Number(port), '127.0.0.1');
        let received = '';
        let closed = true;
        const timer = setTimeout(() => {
          closed = false;
          socket.destroy();
        }, 3_000);
        socket.on('data', (data) => (received += data.toString('latin1')));
        socket.on('error', () => {});
        socket.on('close', () => {
          clearTimeout(timer);
          resolve({ received, closed });
        });
        socket.end(Buffer.from(text, 'latin1'));
      });

    await fc.assert(
      fc.asyncProperty(rawRequest, async (text) => {
        const { received, closed } = await exchange(text);
        const about = `${JSON.stringify(clip(text, 300))} → ${JSON.stringify(clip(received, 400))}`;
        expect(closed, `the server kept the connection open: ${about}`).toBe(true);
        // Each answer on the connection, 100 Continue included.
        const answers = received.split(/(?=HTTP\/1\.[01] \d{3} )/).filter((part) => /^HTTP\/1\.[01] \d{3} /.test(part));
        for (const answer of answers) {
          const status = Number(answer.slice(9, 12));
          tally(status);
          expect(status, about).toBeLessThan(500);
          const [head = '', ...rest] = answer.split('\r\n\r\n');
          const json = /\r\ncontent-type: application\/json/i.test(head);
          if (status >= 300 && !json) {
            // Node's own answer for what its parser refused: a bare status with no body.
            expect([400, 413, 417, 431], about).toContain(status);
            nodeAnswers[status] = (nodeAnswers[status] ?? 0) + 1;
          }
          if (status >= 300) {
            // All of it but an Origin the server may echo.
            const ownText = answer.replace(/^Access-Control-Allow-Origin: .*$/gim, '');
            for (const leak of LEAKS) expect(ownText, about).not.toMatch(leak);
            if (json) {
              const length = Number(/\r\ncontent-length: (\d+)/i.exec(head)?.[1]);
              const payload = Buffer.from(rest.join('\r\n\r\n'), 'latin1').subarray(0, length).toString('utf8');
              checkError({ status, headers: { 'content-type': 'application/json' }, text: payload }, about, /^HEAD /.test(text));
            }
          }
        }
      }),
      { numRuns: RUNS.raw },
    );
    await expectHealthy();
  }, 90_000);
});
