// The protocol over HTTP under /api, plus the demo page and a few static files.
//
//   const server = createProtocolServer({ store, pageHtml: () => html,
//     staticRoutes: { '/confab.iife.js': '/abs/path/dist/confab.iife.js' } });
//   server.listen(4173, '127.0.0.1');
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import http from 'node:http';
import { extname } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { ProtocolError, invalid, methodNotAllowed, notFound, tooLarge, unauthorized } from './errors.mjs';
import { isObject } from './validate.mjs';

/** @typedef {import('./protocol-store.mjs').Store} Store */
/**
 * @typedef {{ store: Store, staticRoutes?: Record<string, string>, pageHtml?: () => string,
 *   log?: (line: string) => void }} ServerOptions
 */
/**
 * @typedef {{ req: http.IncomingMessage, res: http.ServerResponse, params: Record<string, string>,
 *   query: URLSearchParams, store: Store, streams: Set<http.ServerResponse> }} RequestContext
 */
/** @typedef {(context: RequestContext) => Promise<{ status: number, body: unknown } | void>} Handler */

const API_PREFIX = '/api';
const MAX_BODY_BYTES = 64 * 1024;
const PING_MS = 25_000;

const API_HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': 'Retry-After',
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
};

const PREFLIGHT_HEADERS = {
  ...API_HEADERS,
  'Access-Control-Allow-Methods': 'GET,POST,PATCH,DELETE,OPTIONS',
  'Access-Control-Allow-Headers': 'Content-Type, Authorization, Idempotency-Key, X-Voter',
  'Access-Control-Max-Age': '86400',
};

/** @type {Record<string, string>} by file extension */
const CONTENT_TYPES = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  mjs: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  json: 'application/json; charset=utf-8',
  map: 'application/json; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
  ico: 'image/x-icon',
  txt: 'text/plain; charset=utf-8',
};

/** @param {string} file */
const contentType = (file) => CONTENT_TYPES[extname(file).slice(1)] ?? 'application/octet-stream';

/** @type {Handler} */
const listComments = async ({ store, params, query }) => {
  const options = { sort: query.get('sort'), limit: query.get('limit'), cursor: query.get('cursor') };
  return { status: 200, body: store.list(params.threadId, options) };
};

/** @type {Handler} */
const postComment = async ({ req, store, params }) => {
  const input = await readJson(req);
  // Without a key the post is still accepted; a generated key could never be sent again, so
  // the store is simply told there is none and remembers nothing for it.
  return { status: 201, body: store.post(params.threadId, input, header(req, 'idempotency-key')) };
};

/** @type {Handler} */
const editComment = async ({ req, store, params }) => {
  const token = bearerToken(req);
  const input = await readJson(req);
  return { status: 200, body: { comment: store.edit(params.threadId, params.id, token, input.body) } };
};

/** @type {Handler} */
const deleteComment = async ({ req, store, params }) => ({
  status: 200,
  body: { comment: store.remove(params.threadId, params.id, bearerToken(req)) },
});

/** @type {Handler} */
const vote = async ({ req, store, params }) => {
  const voter = header(req, 'x-voter');
  if (voter === undefined) throw invalid('The X-Voter header is required');
  const input = await readJson(req);
  return { status: 200, body: { score: store.vote(params.threadId, params.id, voter, input.value) } };
};

/** @type {Handler} */
const counts = async ({ store, query }) => ({
  status: 200,
  body: { counts: store.counts(query.getAll('thread')) },
});

/** @type {Handler} */
const events = async ({ res, store, params, streams }) => {
  const send = (/** @type {string} */ chunk) => res.write(chunk);
  // Subscribing first makes a bad thread id a plain 400, before the stream has begun.
  const unsubscribe = store.subscribe(params.threadId, (type, comment) => {
    send(`event: ${type}\ndata: ${JSON.stringify(comment)}\n\n`);
  });
  // Connection: close lets ending the stream (on shutdown) also close the socket.
  res.writeHead(200, {
    ...API_HEADERS,
    'Content-Type': 'text/event-stream; charset=utf-8',
    Connection: 'close',
    'X-Accel-Buffering': 'no',
  });
  send(': connected\n\n');
  // A comment line now and then keeps proxies from closing a quiet stream.
  const ping = setInterval(() => send(': ping\n\n'), PING_MS);
  streams.add(res);
  res.on('close', () => {
    clearInterval(ping);
    unsubscribe();
    streams.delete(res);
  });
};

// Paths are lists of segments; ":name" captures one percent-decoded segment.
/** @type {Array<{ path: string[], methods: Record<string, Handler> }>} */
const ROUTES = [
  { path: ['threads', ':threadId', 'comments'], methods: { GET: listComments, POST: postComment } },
  {
    path: ['threads', ':threadId', 'comments', ':id'],
    methods: { PATCH: editComment, DELETE: deleteComment },
  },
  { path: ['threads', ':threadId', 'comments', ':id', 'votes'], methods: { POST: vote } },
  { path: ['threads', ':threadId', 'events'], methods: { GET: events } },
  { path: ['counts'], methods: { GET: counts } },
];

/** An http.Server whose close() also ends open event streams, which would otherwise keep it open. */
class ProtocolServer extends http.Server {
  /** @type {Set<http.ServerResponse>} */
  streams = new Set();

  /** @param {(error?: Error) => void} [callback] */
  close(callback) {
    for (const res of this.streams) res.end();
    return super.close(callback);
  }
}

/**
 * Builds the server, not yet listening.
 * @param {ServerOptions} options
 * @returns {http.Server}
 */
export function createProtocolServer({ store, staticRoutes = {}, pageHtml, log }) {
  const logLine = log ?? (() => {});
  // Without a log, internal errors still reach stderr: a bug must never pass silently.
  const logError = log ?? ((/** @type {string} */ line) => console.error(line));

  const server = new ProtocolServer(async (req, res) => {
    const started = Date.now();
    res.on('finish', () => logLine(`${req.method} ${req.url} ${res.statusCode} ${Date.now() - started}ms`));
    // The raw path, not a parsed URL: a thread id may hold an encoded "/" that must stay encoded until split.
    const [path = '/', search = ''] = splitOnce(req.url ?? '/', '?');
    const query = new URLSearchParams(search);
    const isApi = path === API_PREFIX || path.startsWith(`${API_PREFIX}/`);
    try {
      if (isApi) await routeApi({ req, res, path, query, store, streams: server.streams });
      else await serveStatic(req, res, path, staticRoutes, pageHtml);
    } catch (error) {
      sendError(res, error, isApi, logError);
    }
  });
  return server;
}

/** @param {string} text @param {string} separator */
function splitOnce(text, separator) {
  const at = text.indexOf(separator);
  return at === -1 ? [text] : [text.slice(0, at), text.slice(at + separator.length)];
}

/** @param {Omit<RequestContext, 'params'> & { path: string }} context */
async function routeApi({ path, ...context }) {
  const { req, res } = context;
  if (req.method === 'OPTIONS') {
    res.writeHead(204, PREFLIGHT_HEADERS).end();
    return;
  }
  const match = matchRoute(path.slice(API_PREFIX.length + 1).split('/').map(decodeSegment));
  if (!match) throw notFound('No such endpoint');
  const handler = match.methods[req.method ?? ''];
  if (!handler) throw methodNotAllowed([...Object.keys(match.methods), 'OPTIONS']);
  const result = await handler({ ...context, params: match.params });
  if (result) sendJson(res, result.status, result.body, API_HEADERS);
}

/** @param {string[]} segments */
function matchRoute(segments) {
  for (const route of ROUTES) {
    if (route.path.length !== segments.length) continue;
    /** @type {Record<string, string>} */
    const params = {};
    const matches = route.path.every((part, i) => {
      if (part.startsWith(':')) params[part.slice(1)] = /** @type {string} */ (segments[i]);
      return part.startsWith(':') || part === segments[i];
    });
    if (matches) return { methods: route.methods, params };
  }
  return null;
}

/** @param {string} segment */
function decodeSegment(segment) {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw invalid('The path is not correctly percent-encoded');
  }
}

/**
 * @param {http.IncomingMessage} req @param {http.ServerResponse} res @param {string} path
 * @param {Record<string, string>} staticRoutes @param {(() => string) | undefined} pageHtml
 */
async function serveStatic(req, res, path, staticRoutes, pageHtml) {
  if (req.method !== 'GET' && req.method !== 'HEAD') throw methodNotAllowed(['GET', 'HEAD']);
  const headers = { 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-cache' };
  if (path === '/' && pageHtml) {
    const html = Buffer.from(pageHtml());
    res.writeHead(200, { ...headers, 'Content-Type': CONTENT_TYPES.html, 'Content-Length': html.length });
    res.end(req.method === 'HEAD' ? undefined : html);
    return;
  }
  const file = Object.hasOwn(staticRoutes, path) ? staticRoutes[path] : undefined;
  const info = file ? await stat(file).catch(() => null) : null;
  if (!file || !info?.isFile()) throw notFound();
  res.writeHead(200, { ...headers, 'Content-Type': contentType(file), 'Content-Length': info.size });
  if (req.method === 'HEAD') res.end();
  else await pipeline(createReadStream(file), res);
}

/**
 * Reads a JSON object body of at most MAX_BODY_BYTES.
 * @param {http.IncomingMessage} req @returns {Promise<Record<string, unknown>>}
 */
async function readJson(req) {
  const text = (await readBody(req)).toString('utf8');
  let value;
  try {
    value = JSON.parse(text);
  } catch {
    throw invalid(text.trim() ? 'The body is not valid JSON' : 'Expected a JSON object');
  }
  if (!isObject(value)) throw invalid('Expected a JSON object');
  return value;
}

/**
 * After the limit the rest is read and dropped rather than destroying the request, because
 * destroying it would also destroy the socket before the 413 answer is sent.
 * @param {http.IncomingMessage} req @returns {Promise<Buffer>}
 */
function readBody(req) {
  return new Promise((resolve, reject) => {
    if (Number(req.headers['content-length']) > MAX_BODY_BYTES) {
      reject(tooLarge(MAX_BODY_BYTES));
      return;
    }
    /** @type {Buffer[]} */
    const chunks = [];
    let size = 0;
    req.on('data', (/** @type {Buffer} */ chunk) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) reject(tooLarge(MAX_BODY_BYTES));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** @param {http.IncomingMessage} req @param {string} name */
function header(req, name) {
  const value = req.headers[name];
  return typeof value === 'string' ? value : undefined;
}

/** @param {http.IncomingMessage} req */
function bearerToken(req) {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header(req, 'authorization') ?? '');
  if (!match) throw unauthorized('An "Authorization: Bearer <editToken>" header is required');
  return match[1];
}

/**
 * @param {http.ServerResponse} res @param {number} status @param {unknown} body
 * @param {Record<string, string>} headers
 */
function sendJson(res, status, body, headers) {
  const json = Buffer.from(JSON.stringify(body));
  res.writeHead(status, { ...headers, 'Content-Type': CONTENT_TYPES.json, 'Content-Length': json.length });
  res.end(json);
}

/**
 * Answers with the protocol's error object; anything unexpected becomes a bare 500, never a
 * stack trace.
 * @param {http.ServerResponse} res @param {unknown} error @param {boolean} isApi
 * @param {(line: string) => void} logError
 */
function sendError(res, error, isApi, logError) {
  // A client that went away (say, mid-download) needs no answer and is no server fault.
  if (res.destroyed) return;
  const known = error instanceof ProtocolError;
  if (!known) logError(`Internal error: ${error instanceof Error ? error.stack : String(error)}`);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const problem = known ? error : new ProtocolError(500, 'internal', 'Something went wrong on the server');
  const headers = { ...(isApi ? API_HEADERS : { 'Cache-Control': 'no-store' }), ...problem.headers };
  sendJson(res, problem.status, problem.toBody(), headers);
}
