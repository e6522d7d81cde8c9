// The protocol over HTTP under /api, plus the demo page and a few static files.
//
//   const server = createProtocolServer({ store, pages, events, limiter, origins, pageHtml: () => html,
//     staticRoutes: { '/confab.iife.js': '/abs/path/dist/confab.iife.js' } });
//   server.listen(4173, '127.0.0.1');
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import http from 'node:http';
import { extname } from 'node:path';
import { pipeline } from 'node:stream/promises';
import {
  ProtocolError,
  forbidden,
  invalid,
  methodNotAllowed,
  notFound,
  rateLimited,
  tooLarge,
  unauthorized,
} from './errors.mjs';
import { readPageRequest } from './paging.mjs';
import { clientKey } from './rate-limit.mjs';
import { isObject, readThreadId } from './validate.mjs';

/**
 * @typedef {{
 *   store: import('./comment-store.mjs').CommentStore,
 *   pages: import('./page-cache.mjs').PageCache,
 *   events: import('./events.mjs').EventHub,
 *   limiter: import('./rate-limit.mjs').RateLimiter,
 *   origins: ReturnType<typeof import('./origins.mjs').createOriginPolicy>,
 * }} Services
 */
/**
 * @typedef {Services & { staticRoutes?: Record<string, string>, pageHtml?: () => string,
 *   trustProxy?: boolean, log?: (line: string) => void }} ServerOptions
 *   `trustProxy`: the client's address is the last one in X-Forwarded-For, as set by a proxy
 *   in front; without one, clients could pick their own address.
 */
/**
 * @typedef {Services & { req: http.IncomingMessage, res: http.ServerResponse,
 *   params: Record<string, string>, query: URLSearchParams, headers: Record<string, string>,
 *   streams: Set<http.ServerResponse> }} RequestContext `headers` go on every API answer.
 */
/** @typedef {{ status: number, body: unknown }} Answer `body` as a Buffer is JSON already. */
/** @typedef {(context: RequestContext) => Promise<Answer | void>} Handler */

const API_PREFIX = '/api';
const MAX_BODY_BYTES = 64 * 1024;
const PING_MS = 25_000;
const CHANGING_METHODS = new Set(['POST', 'PATCH', 'DELETE']);

const API_HEADERS = {
  'Access-Control-Expose-Headers': 'Retry-After',
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
};

const PREFLIGHT_HEADERS = {
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

// The page's JSON comes from the page cache: most reads run no query and serialize nothing.
/** @type {Handler} */
const listComments = async ({ store, pages, params, query }) => {
  const request = readPageRequest(params.threadId, {
    sort: query.get('sort'),
    limit: query.get('limit'),
    cursor: query.get('cursor'),
  });
  const render = async () => Buffer.from(JSON.stringify(await store.list(request)));
  return { status: 200, body: await pages.get(request.threadId, request.cacheKey, render) };
};

/** @type {Handler} */
const postComment = async ({ req, store, params }) => {
  const input = await readJson(req);
  // Without a key the post is still accepted; a generated key could never be sent again, so
  // the store is simply told there is none and remembers nothing for it.
  return { status: 201, body: await store.post(params.threadId, input, header(req, 'idempotency-key')) };
};

/** @type {Handler} */
const editComment = async ({ req, store, params }) => {
  const token = bearerToken(req);
  const input = await readJson(req);
  return { status: 200, body: { comment: await store.edit(params.threadId, params.id, token, input.body) } };
};

/** @type {Handler} */
const deleteComment = async ({ req, store, params }) => ({
  status: 200,
  body: { comment: await store.remove(params.threadId, params.id, bearerToken(req)) },
});

/** @type {Handler} */
const vote = async ({ req, store, params }) => {
  const voter = header(req, 'x-voter');
  if (voter === undefined) throw invalid('The X-Voter header is required');
  const input = await readJson(req);
  return { status: 200, body: { score: await store.vote(params.threadId, params.id, voter, input.value) } };
};

/** @type {Handler} */
const approve = async ({ req, store, params }) => ({
  status: 200,
  body: { comment: await store.approve(params.threadId, params.id, bearerToken(req)) },
});

/** @type {Handler} */
const pendingComments = async ({ req, store }) => ({
  status: 200,
  body: { pending: await store.pending(bearerToken(req)) },
});

/** @type {Handler} */
const counts = async ({ store, query }) => ({
  status: 200,
  body: { counts: await store.counts(query.getAll('thread')) },
});

/** @type {Handler} */
const events = async ({ req, res, events: hub, params, headers, streams }) => {
  // Checked first, so a bad thread id is a plain 400 before the stream has begun.
  const threadId = readThreadId(params.threadId);
  // A body nobody reads would stop the socket being read, and a client that leaves would go
  // unnoticed until the next ping: the stream stays open for it that long.
  req.resume();
  // Connection: close lets ending the stream (on shutdown) also close the socket.
  res.writeHead(200, {
    ...headers,
    'Content-Type': 'text/event-stream; charset=utf-8',
    Connection: 'close',
    'X-Accel-Buffering': 'no',
  });
  const send = (/** @type {string} */ chunk) => res.write(chunk);
  const unsubscribe = hub.subscribe(threadId, { send, end: () => res.end() });
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
  { path: ['threads', ':threadId', 'comments', ':id', 'approve'], methods: { POST: approve } },
  { path: ['threads', ':threadId', 'events'], methods: { GET: events } },
  { path: ['counts'], methods: { GET: counts } },
  { path: ['admin', 'pending'], methods: { GET: pendingComments } },
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
export function createProtocolServer({ staticRoutes = {}, pageHtml, trustProxy = false, log, ...services }) {
  // Without a log, internal errors still reach stderr: a bug must never pass silently.
  const logError = log ?? ((/** @type {string} */ line) => console.error(line));

  const server = new ProtocolServer(async (req, res) => {
    const started = Date.now();
    if (log) res.on('finish', () => log(`${req.method} ${req.url} ${res.statusCode} ${Date.now() - started}ms`));
    // The raw path, not a parsed URL: a thread id may hold an encoded "/" that must stay encoded until split.
    const [path = '/', search = ''] = splitOnce(req.url ?? '/', '?');
    const query = new URLSearchParams(search);
    const origin = path === API_PREFIX || path.startsWith(`${API_PREFIX}/`) ? services.origins.check(req) : null;
    const headers = origin ? { ...API_HEADERS, ...origin.headers } : { 'Cache-Control': 'no-store' };
    try {
      if (!origin) await serveStatic(req, res, path, staticRoutes, pageHtml);
      else if (!origin.allowed) throw forbidden('This site may not use this comment server (ALLOWED_ORIGINS)');
      else {
        const client = clientKey(clientAddress(req, trustProxy));
        await routeApi({ ...services, req, res, path, query, headers, client, streams: server.streams });
      }
    } catch (error) {
      sendError(res, error, headers, logError);
    }
  });
  return server;
}

/** @param {http.IncomingMessage} req @param {boolean} trustProxy */
function clientAddress(req, trustProxy) {
  const forwarded = trustProxy ? header(req, 'x-forwarded-for')?.split(',').at(-1)?.trim() : undefined;
  return forwarded || req.socket.remoteAddress || 'unknown';
}

/** @param {string} text @param {string} separator */
function splitOnce(text, separator) {
  const at = text.indexOf(separator);
  return at === -1 ? [text] : [text.slice(0, at), text.slice(at + separator.length)];
}

/**
 * Changes (not reads) take a token from the client's rate limit bucket, except an admin's.
 * @param {Omit<RequestContext, 'params'> & { path: string, client: string }} context
 */
async function routeApi({ path, client, ...context }) {
  const { req, res, store, limiter } = context;
  if (req.method === 'OPTIONS') {
    res.writeHead(204, { ...context.headers, ...PREFLIGHT_HEADERS }).end();
    return;
  }
  const match = matchRoute(path.slice(API_PREFIX.length + 1).split('/').map(decodeSegment));
  if (!match) throw notFound('No such endpoint');
  const handler = match.methods[req.method ?? ''];
  if (!handler) throw methodNotAllowed([...Object.keys(match.methods), 'OPTIONS']);
  if (CHANGING_METHODS.has(req.method ?? '') && !store.isAdmin(optionalBearerToken(req))) {
    const wait = limiter.take(client);
    if (wait > 0) throw rateLimited(wait);
  }
  const result = await handler({ ...context, params: match.params });
  if (result) sendJson(res, result.status, result.body, context.headers);
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
function optionalBearerToken(req) {
  return /^Bearer\s+(\S+)\s*$/i.exec(header(req, 'authorization') ?? '')?.[1];
}

/** @param {http.IncomingMessage} req */
function bearerToken(req) {
  const token = optionalBearerToken(req);
  if (!token) throw unauthorized('An "Authorization: Bearer <token>" header is required');
  return token;
}

/**
 * @param {http.ServerResponse} res @param {number} status @param {unknown} body JSON, or a
 *   Buffer that holds JSON already @param {Record<string, string>} headers
 */
function sendJson(res, status, body, headers) {
  const json = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
  res.writeHead(status, { ...headers, 'Content-Type': CONTENT_TYPES.json, 'Content-Length': json.length });
  res.end(json);
}

/**
 * Answers with the protocol's error object; anything unexpected (a database error too) becomes
 * a bare 500, never a stack trace or a line of SQL.
 * @param {http.ServerResponse} res @param {unknown} error @param {Record<string, string>} headers
 * @param {(line: string) => void} logError
 */
function sendError(res, error, headers, logError) {
  // A client that went away (say, mid-download) needs no answer and is no server fault.
  if (res.destroyed) return;
  const known = error instanceof ProtocolError;
  if (!known) logError(`Internal error: ${error instanceof Error ? error.stack : String(error)}`);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const problem = known ? error : new ProtocolError(500, 'internal', 'Something went wrong on the server');
  sendJson(res, problem.status, problem.toBody(), { ...headers, ...problem.headers });
}
