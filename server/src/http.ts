// The protocol over HTTP under /api; beside it the widget's files, health and readiness checks,
// metrics, and a page at /. One JSON log line and one metrics sample per request.
//
//   const server = createProtocolServer({ store, pages, events, limiter, origins, widget, logger, metrics,
//     readiness: async () => null, homePage: () => html, hostPages: (req, res, path) => false });
//   server.listen(4173, '127.0.0.1');
//   await server.drain(8_000); // on shutdown: in-flight requests finish, event streams end
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import {
  ProtocolError,
  forbidden,
  invalid,
  methodNotAllowed,
  notFound,
  rateLimited,
  tooLarge,
  tooManyStreams,
  shuttingDown,
  ssoRequired,
  unauthorized,
} from './errors.js';
import { ADMIN_ROUTES } from './admin-http.js';
import type { AdminServices } from './admin-http.js';
import { TOKEN_ACTOR } from './actors.js';
import type { Actor } from './actors.js';
import type { CommentStore } from './comment-store.js';
import type { DashboardFiles } from './dashboard-files.js';
import type { EventHub } from './events.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';
import type { OriginPolicy } from './origins.js';
import type { PageCache } from './page-cache.js';
import { readPageRequest } from './paging.js';
import { clientKey } from './rate-limit.js';
import type { RateLimiter } from './rate-limit.js';
import { signedInUser } from './sso.js';
import type { Sso } from './sso.js';
import { LIMITS, isObject, readThreadId } from './validate.js';
import type { WidgetFiles } from './widget-files.js';

export type Services = {
  store: CommentStore;
  pages: PageCache;
  events: EventHub;
  limiter: RateLimiter;
  origins: OriginPolicy;
  logger: Logger;
  admin: AdminServices;
  sso: Sso;
};
/**
 * `trustProxy`: the client's address is the last one in X-Forwarded-For, as set by a proxy
 * in front; without one, clients could pick their own address.
 * `readiness`: null when the server can answer (database reachable and migrated), else why not.
 * `maxStreamsPerClient`: open event streams per client address; 0 means no cap.
 */
export type ServerOptions = Services & {
  widget: WidgetFiles;
  /** The moderation dashboard's built files, served at /admin/. */
  dashboard?: DashboardFiles;
  metrics: Metrics;
  readiness: () => Promise<string | null>;
  homePage?: () => string;
  /** The host site's own pages (see HostPages), tried before the page at /. */
  hostPages?: HostPages;
  /** The pages of the emails' links: /mail/confirm/, /mail/unsubscribe/ and /mail/moderate/<token> (notifications.ts). */
  mailPages?: MailPages;
  trustProxy?: boolean;
  maxStreamsPerClient?: number;
  /** A line per request at info (default); false leaves them to the proxy's access log. */
  logRequests?: boolean;
};
/**
 * Pages of the host site served beside the server's: asked about every request outside /api that
 * the server does not answer itself (its widget files, /admin/, /healthz, /readyz, /metrics),
 * whatever its method, before the page at /. Answers on `res` and returns true, or returns false
 * and the server goes on (the page at /, else 404, or 405 for a method other than GET and HEAD).
 */
export type HostPages = (req: http.IncomingMessage, res: http.ServerResponse, path: string) => boolean | Promise<boolean>;
/** `headers` go on every API answer. */
export type RequestContext = Services & {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  params: Record<string, string>;
  query: URLSearchParams;
  /** The raw query string. */
  search: string;
  headers: Record<string, string>;
  client: string;
  /** The client's IP address (from X-Forwarded-For behind a trusted proxy). */
  address: string;
  streams: StreamRegistry;
  widget: WidgetFiles;
  /** The request's JSON object body (at most 64 kB). */
  readJson: () => Promise<Record<string, unknown>>;
};
/** `body` as a Buffer is JSON already, or of `type` when given. */
export type Answer = { status: number; body: unknown; type?: string };
export type Handler = (context: RequestContext) => Promise<Answer | void>;

const API_PREFIX = '/api';
const MAX_BODY_BYTES = 64 * 1024;
const MAIL_PAGE = /^\/mail\/(confirm|unsubscribe|moderate)\/([A-Za-z0-9_.-]{1,1000})$/;
/** The page for an email's link; `body` is a POST's form (notifications.ts). */
export type MailPages = (
  route: 'confirm' | 'unsubscribe' | 'moderate',
  token: string,
  method: string,
  body: string,
) => Promise<{ status: number; headers: Record<string, string>; body: string }>;
const PING_MS = 25_000;
const CHANGING_METHODS = new Set(['POST', 'PATCH', 'DELETE']);

const API_HEADERS = {
  'Access-Control-Expose-Headers': 'Retry-After',
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
};

const PREFLIGHT_HEADERS = {
  'Access-Control-Allow-Methods': 'GET,POST,PATCH,DELETE,OPTIONS',
  'Access-Control-Allow-Headers': 'Content-Type, Authorization, Idempotency-Key, X-Voter, Confab-User',
  'Access-Control-Max-Age': '86400',
};

const JSON_TYPE = 'application/json; charset=utf-8';
// How long an EventSource waits before reconnecting after the server ends its stream on shutdown:
// by then the proxy sends it to another instance.
const RECONNECT_AFTER_SHUTDOWN_MS = 1_000;
// A refused origin is logged once per this interval, so a misconfigured site cannot flood the log.
const REFUSED_ORIGIN_LOG_EVERY_MS = 60_000;
const REQUEST_ID = /^[\w.:-]{1,100}$/;

/** A page's JSON as sent, from the page cache: most reads run no query and serialize nothing. */
const pageJson = (store: CommentStore, pages: PageCache, request: ReturnType<typeof readPageRequest>) =>
  pages.get(request.threadId, request.cacheKey, async () => Buffer.from(JSON.stringify(await store.list(request))));

const listComments: Handler = async ({ store, pages, params, query }) => {
  const request = readPageRequest(params.threadId, {
    sort: query.get('sort'),
    limit: query.get('limit'),
    cursor: query.get('cursor'),
  });
  return { status: 200, body: await pageJson(store, pages, request) };
};

/** A rendered first view is kept at most this long: it says "3 minutes ago". */
const THREAD_HTML_MAX_AGE_MS = 60_000;
const LOCALE_TAG = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$/;
const THEMES = new Set(['light', 'dark', 'auto']);

// The first page as HTML (the widget's own server rendering, `confab/ssr`), for a site that puts
// it into its article pages; cached like the page it is made from.
const threadHtml: Handler = async ({ store, pages, params, query, widget }) => {
  const request = readPageRequest(params.threadId, { sort: query.get('sort'), limit: query.get('limit'), cursor: null });
  const locale = query.get('locale') ?? 'en';
  const theme = query.get('theme') ?? 'light';
  if (!LOCALE_TAG.test(locale)) throw invalid('locale must be a language tag such as en or pt-BR', { locale: 'invalid' });
  if (!THEMES.has(theme)) throw invalid('theme must be light, dark or auto', { theme: 'invalid' });
  const renderer = await widget.renderer();
  if (!renderer) throw notFound('This server has no server rendering (the widget folder has no ssr.js)');
  const key = `html ${request.cacheKey} ${locale} ${theme}`;
  const render = async () => {
    const page = await pageJson(store, pages, request);
    const html = await renderer.renderThreadHtml({
      thread: request.threadId,
      page: JSON.parse(page.toString('utf8')),
      sort: request.sort,
      pageSize: request.limit,
      locale,
      theme,
    });
    return Buffer.from(html);
  };
  return {
    status: 200,
    type: 'text/html; charset=utf-8',
    body: await pages.get(request.threadId, key, render, THREAD_HTML_MAX_AGE_MS),
  };
};

const postComment: Handler = async ({ req, store, params, client, address, sso }) => {
  const user = await signedInUser({ req, sso });
  if (!user && !sso.guests) throw ssoRequired();
  const input = await readJson(req);
  const context = { client, ip: address, userAgent: header(req, 'user-agent'), referrer: header(req, 'referer'), user };
  // Without a key the post is still accepted; a generated key could never be sent again, so
  // the store is simply told there is none and remembers nothing for it.
  return { status: 201, body: await store.post(params.threadId, input, header(req, 'idempotency-key'), context) };
};

// A reader's report: 201 the first time, 200 (nothing changed) when they had reported it already.
const report: Handler = async ({ req, store, params, client }) => {
  const voter = header(req, 'x-voter');
  if (voter === undefined) throw invalid('The X-Voter header is required');
  const input = await readJson(req);
  return { status: (await store.report(params.threadId, params.id, voter, input, client)) ? 201 : 200, body: {} };
};

/** An edit token or the admin token (Authorization), or a signed-in user (Confab-User), or 401. */
async function changer({ req, sso }: RequestContext) {
  const user = await signedInUser({ req, sso });
  const token = user ? optionalBearerToken(req) : bearerToken(req);
  return { token, user };
}

const editComment: Handler = async (context) => {
  const { token, user } = await changer(context);
  const input = await readJson(context.req);
  const { store, params } = context;
  return { status: 200, body: { comment: await store.edit(params.threadId, params.id, token, input.body, user) } };
};

const deleteComment: Handler = async (context) => {
  const { token, user } = await changer(context);
  return { status: 200, body: { comment: await context.store.remove(context.params.threadId, context.params.id, token, user) } };
};

/** Who the Confab-User header says is reading: `{ user: null }` without one. */
const whoAmI: Handler = async ({ req, sso }) => {
  const user = await signedInUser({ req, sso });
  if (!user) return { status: 200, body: { user: null } };
  const { id, name, url, avatarUrl, moderator } = user;
  return { status: 200, body: { user: { id, name, url, avatarUrl, ...(moderator ? { role: 'moderator' } : {}) } } };
};

/** The admin token, or a moderator signed in on the site; else 401 (403 for a signed-in reader). */
async function protocolModerator(context: RequestContext): Promise<Actor> {
  if (context.store.isAdmin(optionalBearerToken(context.req))) return TOKEN_ACTOR;
  const user = await signedInUser(context);
  if (user?.moderator) return { kind: 'sso', id: user.id, name: user.name };
  if (user) throw forbidden('Only a moderator may do this');
  throw unauthorized('The admin token is required');
}

const vote: Handler = async ({ req, store, params }) => {
  const voter = header(req, 'x-voter');
  if (voter === undefined) throw invalid('The X-Voter header is required');
  const input = await readJson(req);
  return { status: 200, body: { score: await store.vote(params.threadId, params.id, voter, input.value) } };
};

// The protocol's own moderation (admin token only); the dashboard's API is under /api/admin.
const approve: Handler = async (context) => {
  const { store, admin, params } = context;
  const actor = await protocolModerator(context);
  const decided = await admin.moderation.act(actor, params.threadId, params.id, 'approve');
  return { status: 200, body: { comment: await store.readVisible(decided.threadId, decided.id) } };
};

const pendingComments: Handler = async (context) => {
  const { admin } = context;
  await protocolModerator(context);
  const { comments } = await admin.moderation.comments({ view: 'pending', limit: String(LIMITS.pageSize) });
  return { status: 200, body: { pending: comments.map((comment) => ({ threadId: comment.threadId, comment })) } };
};

// Counts come from the same cache as pages: most answers run no query and serialize nothing.
const counts: Handler = async ({ store, pages, query, search }) => {
  const readIds = () => {
    const requested = query.getAll('thread');
    if (requested.length > LIMITS.countsThreads) {
      throw invalid(`At most ${LIMITS.countsThreads} threads at once`, { thread: 'Too many' });
    }
    return requested.map(readThreadId);
  };
  return { status: 200, body: await pages.countsAnswer(search, readIds, (missing) => store.counts(missing)) };
};

const events: Handler = async (context) => {
  // Checked first, so a bad thread id is a plain 400 before the stream has begun.
  const threadId = readThreadId(context.params.threadId);
  const stream = openEventStream(context);
  stream.onClose(context.events.subscribe(threadId, stream));
  stream.send(': connected\n\n');
};

/**
 * Begins an event stream on the answer, counted for its client (429 past the cap, 503 while
 * shutting down), with a ping now and then. `onClose` hears when the client leaves.
 */
export function openEventStream({ req, res, headers, streams, client }: RequestContext) {
  const opened = streams.open(client, res);
  if (opened === 'full') throw tooManyStreams();
  if (opened === 'closing') throw shuttingDown();
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
  // Once ended (shutdown, a lost LISTEN connection), an event that was still on its way, or a
  // ping, is dropped: a write after end() would throw out of the process.
  const send = (chunk: string) => {
    if (!res.writableEnded) res.write(chunk);
  };
  // A comment line now and then keeps proxies from closing a quiet stream.
  const ping = setInterval(() => send(': ping\n\n'), PING_MS);
  res.on('close', () => clearInterval(ping));
  return {
    send,
    end: () => res.end(),
    /** Runs `stop` once the client has gone (at once if it already has). */
    onClose(stop: () => void) {
      if (res.destroyed) stop();
      else res.on('close', stop);
    },
  };
}

// Paths are lists of segments; ":name" captures one percent-decoded segment. `pattern` names the
// route in logs and metrics, where a path (with its thread id) must not go. `limited`: changes
// take from the client's rate limit (not the signed-in moderators' routes).
type Route = { path: string[]; methods: Record<string, Handler>; limited?: boolean };
const ROUTE_TABLE: Route[] = [
  { path: ['threads', ':threadId', 'comments'], methods: { GET: listComments, POST: postComment } },
  { path: ['threads', ':threadId', 'html'], methods: { GET: threadHtml } },
  {
    path: ['threads', ':threadId', 'comments', ':id'],
    methods: { PATCH: editComment, DELETE: deleteComment },
  },
  { path: ['threads', ':threadId', 'comments', ':id', 'votes'], methods: { POST: vote } },
  { path: ['threads', ':threadId', 'comments', ':id', 'approve'], methods: { POST: approve } },
  { path: ['threads', ':threadId', 'comments', ':id', 'reports'], methods: { POST: report } },
  { path: ['threads', ':threadId', 'events'], methods: { GET: events } },
  { path: ['counts'], methods: { GET: counts } },
  { path: ['user'], methods: { GET: whoAmI } },
  { path: ['admin', 'pending'], methods: { GET: pendingComments } },
  ...ADMIN_ROUTES.map((route) => ({ ...route, limited: false })),
];
const ROUTES = ROUTE_TABLE.map((route) => ({
  limited: true,
  ...route,
  pattern: `${API_PREFIX}/${route.path.join('/')}`,
}));

/**
 * The open event streams, by client, to cap how many one client holds and to end them all on
 * shutdown.
 */
export class StreamRegistry {
  readonly all = new Set<http.ServerResponse>();
  private readonly byClient = new Map<string, number>();
  private closing = false;

  constructor(
    private readonly maxPerClient: number,
    private readonly metrics: Metrics,
  ) {}

  /**
   * Counts the stream for `client` until it closes: 'full' when the client has too many,
   * 'closing' once the server is shutting down.
   */
  open(client: string, res: http.ServerResponse): 'ok' | 'full' | 'closing' {
    if (this.closing) return 'closing';
    const held = this.byClient.get(client) ?? 0;
    if (this.maxPerClient > 0 && held >= this.maxPerClient) return 'full';
    this.byClient.set(client, held + 1);
    this.all.add(res);
    this.metrics.openStreams.inc();
    res.once('close', () => {
      this.all.delete(res);
      this.metrics.openStreams.dec();
      const left = (this.byClient.get(client) ?? 1) - 1;
      if (left > 0) this.byClient.set(client, left);
      else this.byClient.delete(client);
    });
    return 'ok';
  }

  /**
   * Ends every stream, telling EventSource clients when to reconnect (to another instance), and
   * refuses new ones.
   */
  endAll() {
    this.closing = true;
    for (const res of this.all) res.end(`retry: ${RECONNECT_AFTER_SHUTDOWN_MS}\n\n`);
  }
}

/**
 * An http.Server that can be drained: `drain()` stops accepting, lets requests in flight finish,
 * ends event streams (which would otherwise hold it open), and closes every connection once idle.
 */
export class ProtocolServer extends http.Server {
  streams!: StreamRegistry;
  draining = false;
  /** Requests handled so far (an event stream once it is open), and being handled now: how busy the server is. */
  handled = 0;
  handling = 0;

  /**
   * Resolves once every connection has closed; connections still busy after `graceMs` are cut.
   */
  drain(graceMs: number): Promise<void> {
    // Answers sent from now on say Connection: close (see where `draining` is read).
    this.draining = true;
    const closed = new Promise<void>((resolve) => super.close(() => resolve()));
    this.streams.endAll();
    this.closeIdleConnections();
    // A keep-alive connection becomes idle when its answer is sent: closed then, not left open.
    const sweep = setInterval(() => this.closeIdleConnections(), 50);
    const deadline = setTimeout(() => this.closeAllConnections(), graceMs);
    return closed.finally(() => {
      clearInterval(sweep);
      clearTimeout(deadline);
    });
  }
}

/** Builds the server, not yet listening. */
export function createProtocolServer({
  widget,
  dashboard,
  metrics,
  readiness,
  homePage,
  hostPages,
  mailPages,
  trustProxy = false,
  maxStreamsPerClient = 0,
  logRequests: requestLinesWanted = true,
  ...services
}: ServerOptions): ProtocolServer {
  const { logger } = services;
  const logRefusedOrigin = throttledPerKey(REFUSED_ORIGIN_LOG_EVERY_MS);
  const logRequests = requestLinesWanted && logger.isLevelEnabled('info');

  // A request's id, unless the proxy gave one: this process's random prefix and a counter,
  // unique across instances and cheaper than a UUID per request.
  const idPrefix = randomBytes(4).toString('hex');
  let requestCount = 0;

  /** The request's metrics sample and log line, once its answer is sent (or the client left). */
  const answered = (req: http.IncomingMessage, res: http.ServerResponse, route: string, reqId: string, started: number) => {
    const ms = performance.now() - started;
    const method = req.method ?? '';
    metrics.observeRequest(method, route, res.statusCode, ms / 1000);
    if (logRequests) {
      const line = { reqId, method, route, status: res.statusCode, ms: Math.round(ms * 10) / 10 };
      logger.info(res.writableEnded ? line : { ...line, aborted: true }, 'request');
    }
  };

  // Work per request is kept to calls, not listeners or closures: at tens of thousands of cached
  // reads a second, each microsecond here is a few percent of the answer's cost.
  const server = new ProtocolServer(async (req, res) => {
    const started = performance.now();
    server.handling++;
    const given = header(req, 'x-request-id');
    const requestId = given && REQUEST_ID.test(given) ? given : `${idPrefix}-${(requestCount++).toString(36)}`;
    // While draining, a keep-alive connection closes after its answer instead of taking another.
    if (server.draining) res.shouldKeepAlive = false;
    const route = { pattern: 'unmatched' };

    // The raw path, not a parsed URL: a thread id may hold an encoded "/" that must stay encoded until split.
    const [path = '/', search = ''] = splitOnce(req.url ?? '/', '?');
    const query = new URLSearchParams(search);
    const isApi = path === API_PREFIX || path.startsWith(`${API_PREFIX}/`);
    const origin = isApi ? services.origins.check(req) : null;
    // The request id goes back to a proxy that sent one; an error answer always carries it (it
    // names the log line). Added to the answer's headers, not with res.setHeader(), which sends
    // every answer down Node's slow path (a quarter of the cached reads' throughput).
    const headers: Record<string, string> = origin ? { ...API_HEADERS, ...origin.headers } : { 'Cache-Control': 'no-store' };
    if (given) headers['X-Request-Id'] = requestId;
    try {
      if (!origin) {
        await serveOutsideApi({
          req,
          res,
          path,
          route,
          widget,
          dashboard,
          metrics,
          readiness,
          homePage,
          hostPages,
          mailPages,
          store: services.store,
          headers,
        });
      } else if (!origin.allowed) {
        route.pattern = API_PREFIX;
        const from = header(req, 'origin') ?? '';
        if (logRefusedOrigin(from)) {
          logger.warn({ origin: from.slice(0, 200) }, 'refused a browser request from an origin not in ALLOWED_ORIGINS');
        }
        throw forbidden('This site may not use this comment server (ALLOWED_ORIGINS)');
      } else {
        const address = clientAddress(req, trustProxy);
        const client = clientKey(address);
        await routeApi({
          ...services,
          req,
          res,
          path,
          query,
          search,
          headers,
          client,
          address,
          streams: server.streams,
          widget,
          route,
          server,
        });
      }
    } catch (error) {
      if (server.draining) res.shouldKeepAlive = false;
      sendError(res, error, { ...headers, 'X-Request-Id': requestId }, logger, requestId);
    }
    server.handled++;
    server.handling--;
    // An event stream is still open: it is counted and logged when it closes.
    if (res.headersSent && !res.writableEnded && !res.destroyed) {
      res.once('close', () => answered(req, res, route.pattern, requestId, started));
    } else answered(req, res, route.pattern, requestId, started);
  });
  server.streams = new StreamRegistry(maxStreamsPerClient, metrics);
  return server;
}

/** A function that says yes for a key at most once per `intervalMs` (and keeps few keys). */
function throttledPerKey(intervalMs: number) {
  const last = new Map<string, number>();
  return (key: string) => {
    const now = Date.now();
    if (now - (last.get(key) ?? -Infinity) < intervalMs) return false;
    if (last.size >= 1_000) last.clear();
    last.set(key, now);
    return true;
  };
}

function clientAddress(req: http.IncomingMessage, trustProxy: boolean) {
  const forwarded = trustProxy ? header(req, 'x-forwarded-for')?.split(',').at(-1)?.trim() : undefined;
  return forwarded || req.socket.remoteAddress || 'unknown';
}

function splitOnce(text: string, separator: string) {
  const at = text.indexOf(separator);
  return at === -1 ? [text] : [text.slice(0, at), text.slice(at + separator.length)];
}

/** Changes (not reads) take a token from the client's rate limit bucket, except an admin's. */
async function routeApi({
  path,
  route,
  server,
  ...context
}: Omit<RequestContext, 'params' | 'readJson'> & { path: string; route: { pattern: string }; server: ProtocolServer }) {
  const { req, res, store, limiter, client } = context;
  const match = matchRoute(
    path
      .slice(API_PREFIX.length + 1)
      .split('/')
      .map(decodeSegment),
  );
  if (match) route.pattern = match.pattern;
  if (req.method === 'OPTIONS') {
    res.writeHead(204, { ...context.headers, ...PREFLIGHT_HEADERS }).end();
    return;
  }
  if (!match) throw notFound('No such endpoint');
  const handler = match.methods[req.method ?? ''];
  if (!handler) throw methodNotAllowed([...Object.keys(match.methods), 'OPTIONS']);
  if (match.limited && CHANGING_METHODS.has(req.method ?? '') && !store.isAdmin(optionalBearerToken(req))) {
    const wait = limiter.take(client);
    if (wait > 0) throw rateLimited(wait);
  }
  const result = await handler({ ...context, params: match.params, readJson: () => readJson(req) });
  if (result) {
    if (server.draining) res.shouldKeepAlive = false;
    if (result.type) {
      const body = result.body as Buffer;
      res.writeHead(result.status, { ...context.headers, 'Content-Type': result.type, 'Content-Length': body.length });
      res.end(req.method === 'HEAD' ? undefined : body);
    } else sendJson(res, result.status, result.body, context.headers);
  }
}

function matchRoute(segments: string[]) {
  for (const route of ROUTES) {
    if (route.path.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const matches = route.path.every((part, i) => {
      if (part.startsWith(':')) params[part.slice(1)] = segments[i]!;
      return part.startsWith(':') || part === segments[i];
    });
    if (matches) return { methods: route.methods, pattern: route.pattern, params, limited: route.limited };
  }
  return null;
}

function decodeSegment(segment: string) {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw invalid('The path is not correctly percent-encoded');
  }
}

/**
 * Everything outside /api: health and readiness checks, metrics, the widget's files, the host's
 * pages and the page at /. None of it is rate limited.
 */
async function serveOutsideApi({
  req,
  res,
  path,
  route,
  widget,
  dashboard,
  metrics,
  readiness,
  homePage,
  hostPages,
  mailPages,
  store,
  headers: answerHeaders,
}: {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  path: string;
  route: { pattern: string };
  widget: WidgetFiles;
  dashboard: DashboardFiles | undefined;
  metrics: Metrics;
  readiness: () => Promise<string | null>;
  homePage: (() => string) | undefined;
  hostPages: HostPages | undefined;
  mailPages: MailPages | undefined;
  store: CommentStore;
  headers: Record<string, string>;
}) {
  const reading = req.method === 'GET' || req.method === 'HEAD';
  const isDashboard = dashboard !== undefined && (path === '/admin' || path.startsWith('/admin/'));
  // The server's own paths take GET and HEAD only; any other path may be a host page's.
  if (!reading && (path === '/healthz' || path === '/readyz' || path === '/metrics' || isDashboard)) {
    throw methodNotAllowed(['GET', 'HEAD']);
  }
  const send = (status: number, type: string, text: string, headers: Record<string, string> = {}) => {
    const body = Buffer.from(text);
    res.writeHead(status, {
      ...answerHeaders,
      'X-Content-Type-Options': 'nosniff',
      ...headers,
      'Content-Type': type,
      'Content-Length': body.length,
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
  if (path === '/healthz') {
    route.pattern = path;
    send(200, JSON_TYPE, '{"status":"ok"}');
  } else if (path === '/readyz') {
    route.pattern = path;
    const problem = await readiness();
    send(
      problem ? 503 : 200,
      JSON_TYPE,
      JSON.stringify(problem ? { status: 'unavailable', reason: problem } : { status: 'ready' }),
    );
  } else if (path === '/metrics') {
    route.pattern = path;
    if (!store.isAdmin(optionalBearerToken(req))) throw unauthorized('The admin token is required');
    await sendMetrics(res, metrics, req.method === 'HEAD');
  } else if (isDashboard) {
    route.pattern = '/admin/';
    dashboard.serve(req, res, path);
  } else if (reading && (await widget.serve(req, res, path))) {
    route.pattern = path.startsWith('/widget/') ? '/widget/:version/:file' : '/:file';
  } else if (mailPages && MAIL_PAGE.test(path)) {
    // GET shows a page with a button (mail scanners open links), POST acts (RFC 8058 posts too).
    const [, kind, token] = MAIL_PAGE.exec(path)!;
    route.pattern = `/mail/${kind}/:token`;
    if (!reading && req.method !== 'POST') throw methodNotAllowed(['GET', 'HEAD', 'POST']);
    const body = req.method === 'POST' ? (await readBody(req)).toString('utf8') : '';
    const page = await mailPages(kind as 'confirm' | 'unsubscribe' | 'moderate', token!, req.method!, body);
    send(page.status, 'text/html; charset=utf-8', page.body, page.headers);
  } else if (hostPages && (await hostPages(req, res, path))) {
    route.pattern = 'host page';
  } else if (!reading) {
    throw methodNotAllowed(['GET', 'HEAD']);
  } else if (path === '/') {
    route.pattern = path;
    if (homePage) send(200, 'text/html; charset=utf-8', homePage(), { 'Cache-Control': 'no-cache' });
    else {
      send(
        200,
        'text/plain; charset=utf-8',
        [
          'This is a Confab comment server.',
          `API: /api (see the protocol). Widget: /widget/${widget.version}/confab.iife.js`,
          '',
        ].join('\n'),
      );
    }
  } else throw notFound();
}

/** The Prometheus text of `metrics`, for /metrics here or on the metrics port. */
export async function sendMetrics(res: http.ServerResponse, metrics: Metrics, headOnly = false) {
  const text = Buffer.from(await metrics.registry.metrics());
  res.writeHead(200, {
    'Content-Type': metrics.registry.contentType,
    'Content-Length': text.length,
    'Cache-Control': 'no-store',
  });
  res.end(headOnly ? undefined : text);
}

/** Reads a JSON object body of at most MAX_BODY_BYTES. */
async function readJson(req: http.IncomingMessage): Promise<Record<string, unknown>> {
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
 */
function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    if (Number(req.headers['content-length']) > MAX_BODY_BYTES) {
      reject(tooLarge(MAX_BODY_BYTES));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) reject(tooLarge(MAX_BODY_BYTES));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function header(req: http.IncomingMessage, name: string) {
  const value = req.headers[name];
  return typeof value === 'string' ? value : undefined;
}

function optionalBearerToken(req: http.IncomingMessage) {
  return /^Bearer\s+(\S+)\s*$/i.exec(header(req, 'authorization') ?? '')?.[1];
}

function bearerToken(req: http.IncomingMessage) {
  const token = optionalBearerToken(req);
  if (!token) throw unauthorized('An "Authorization: Bearer <token>" header is required');
  return token;
}

/** @param body JSON, or a Buffer that holds JSON already */
function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string>) {
  const json = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
  res.writeHead(status, { ...headers, 'Content-Type': JSON_TYPE, 'Content-Length': json.length });
  res.end(json);
}

/**
 * Answers with the protocol's error object; anything unexpected (a database error too) becomes
 * a bare 500, never a stack trace or a line of SQL.
 */
function sendError(res: http.ServerResponse, error: unknown, headers: Record<string, string>, logger: Logger, requestId: string) {
  // A client that went away (say, mid-download) needs no answer and is no server fault.
  if (res.destroyed) return;
  const known = error instanceof ProtocolError;
  if (!known) logger.error({ reqId: requestId, err: error }, 'internal error');
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const problem = known ? error : new ProtocolError(500, 'internal', 'Something went wrong on the server');
  sendJson(res, problem.status, problem.toBody(), { ...headers, ...problem.headers });
}
