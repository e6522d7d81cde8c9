// The moderation API under /api/admin (docs/admin-api.md): who is asking (a moderator's session
// cookie, or the admin token), then the moderation module. Routes join the protocol's table in
// http.ts; they skip the readers' rate limit, as they are signed in (sign-in has its own limit).
import { TOKEN_ACTOR } from './actors.js';
import type { Actor } from './actors.js';
import { ProtocolError, forbidden, notFound, unauthorized } from './errors.js';
import { signedInUser } from './sso.js';
import { openEventStream } from './http.js';
import type { Answer, RequestContext } from './http.js';
import type { Moderation } from './moderation.js';
import type { ModerationEvents } from './moderation-events.js';
import { clearedSessionCookie, readSessionCookie, sessionCookie } from './moderators.js';
import type { Moderators } from './moderators.js';

export type AdminServices = {
  moderation: Moderation;
  moderators: Moderators;
  moderationEvents: ModerationEvents;
  /** The server's own address (PUBLIC_URL); unset: taken from each request's Host. */
  publicUrl?: string;
};

type AdminHandler = (context: RequestContext, actor: Actor) => Promise<Answer | void>;

const secureCookies = (context: RequestContext) => context.admin.publicUrl?.startsWith('https:') ?? false;

/** The origin this server is reached at, which a dashboard's changing request must come from. */
function ownOrigin(context: RequestContext) {
  if (context.admin.publicUrl) return new URL(context.admin.publicUrl).origin;
  const host = context.req.headers.host;
  const encrypted = 'encrypted' in context.req.socket && context.req.socket.encrypted;
  return host ? `${encrypted ? 'https' : 'http'}://${host}` : null;
}

/**
 * The admin token (scripts), else a moderator signed in on the host site (Confab-User, from the
 * widget on the site's pages), else the session cookie. A cookie rides along with any request the
 * browser makes, so a change made with it must come from the dashboard's own origin; a header
 * does not (only pages of ALLOWED_ORIGINS may send it, past the CORS preflight).
 */
async function actorOf(context: RequestContext): Promise<Actor> {
  const { req, store, admin } = context;
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(String(req.headers.authorization ?? ''))?.[1];
  if (bearer !== undefined) {
    if (store.isAdmin(bearer)) return TOKEN_ACTOR;
    throw await wrongToken(context);
  }
  const user = await signedInUser(context);
  if (user) {
    if (!user.moderator) throw forbidden('Only a moderator may do this', 'not-moderator');
    return { kind: 'sso', id: user.id, name: user.name };
  }
  const session = readSessionCookie(req.headers.cookie);
  const actor = session === undefined ? null : await admin.moderators.session(session);
  if (!actor) throw unauthorized('Sign in to moderate', 'sign-in-required');
  if (req.method !== 'GET' && req.method !== 'HEAD') requireOwnOrigin(context, 'This change must come from the dashboard');
  return actor;
}

/** A browser's request that must come from the dashboard's own page (a cookie rides along with any). */
function requireOwnOrigin(context: RequestContext, message: string) {
  const origin = context.req.headers.origin;
  if (!origin || origin !== ownOrigin(context)) throw forbidden(message, 'wrong-origin');
}

/**
 * A wrong admin token, on the sign-in page or in a script's header, counts against the sign-in
 * limit: after ten the answer is 429, so the token cannot be guessed at speed.
 */
async function wrongToken(context: RequestContext) {
  const refused = await context.admin.moderators.signIn('', '', context.client).catch((error: unknown) => error);
  return refused instanceof ProtocolError && refused.code === 'rate_limited'
    ? refused
    : unauthorized('Wrong admin token', 'wrong-admin-token');
}

const signedIn =
  (handler: AdminHandler) =>
  async (context: RequestContext): Promise<Answer | void> =>
    handler(context, await actorOf(context));

/** A session cookie answer: the cookie goes out with the JSON. */
function withCookie(context: RequestContext, cookie: string, body: unknown, status = 200): Answer {
  context.headers['Set-Cookie'] = cookie;
  return { status, body };
}

const signIn = async (context: RequestContext): Promise<Answer> => {
  const input = await context.readJson();
  const { moderators } = context.admin;
  // A browser says where the sign-in comes from; it must be the dashboard's page.
  requireOwnOrigin(context, 'Sign in on the dashboard itself');
  let result: { actor: Actor; sessionToken: string };
  if ('token' in input) {
    if (!context.store.isAdmin(input.token)) throw await wrongToken(context);
    result = { actor: TOKEN_ACTOR, sessionToken: await moderators.tokenSession() };
  } else {
    result = await moderators.signIn(input.email, input.password, context.client);
  }
  const cookie = sessionCookie(result.sessionToken, {
    secure: secureCookies(context),
    maxAgeSeconds: moderators.sessionMaxAgeSeconds,
  });
  return withCookie(context, cookie, { actor: result.actor });
};

const session = signedIn(async (_context, actor) => ({ status: 200, body: { actor } }));

const signOut = async (context: RequestContext): Promise<Answer> => {
  requireOwnOrigin(context, 'Sign out on the dashboard itself');
  const token = readSessionCookie(context.req.headers.cookie);
  if (token !== undefined) await context.admin.moderators.signOut(token);
  return withCookie(context, clearedSessionCookie(secureCookies(context)), {});
};

const setPassword = async (context: RequestContext): Promise<Answer> => {
  requireOwnOrigin(context, 'Set the password on the dashboard itself');
  const input = await context.readJson();
  const { moderators } = context.admin;
  const result = await moderators.setPassword(input.link, input.password);
  const cookie = sessionCookie(result.sessionToken, {
    secure: secureCookies(context),
    maxAgeSeconds: moderators.sessionMaxAgeSeconds,
  });
  return withCookie(context, cookie, { actor: result.actor });
};

const comments = signedIn(async ({ admin, query }) => ({
  status: 200,
  body: await admin.moderation.comments({
    view: query.get('view'),
    limit: query.get('limit'),
    cursor: query.get('cursor'),
    q: query.get('q'),
    author: query.get('author'),
    email: query.get('email'),
    thread: query.get('thread'),
  }),
}));

const counts = signedIn(async ({ admin }) => ({ status: 200, body: await admin.moderation.counts() }));

const act = signedIn(async ({ admin, params }, actor) => ({
  status: 200,
  body: { comment: await admin.moderation.act(actor, params.threadId, params.id, params.action) },
}));

const edit = signedIn(async (context, actor) => {
  const { body } = await context.readJson();
  const { admin, params } = context;
  return { status: 200, body: { comment: await admin.moderation.edit(actor, params.threadId, params.id, body) } };
});

const reply = signedIn(async (context, actor) => {
  const input = await context.readJson();
  const { admin, params } = context;
  return { status: 201, body: { comment: await admin.moderation.reply(actor, params.threadId, params.id, input) } };
});

const bulk = signedIn(async (context, actor) => ({
  status: 200,
  body: { comments: await context.admin.moderation.bulk(actor, await context.readJson()) },
}));

const threads = signedIn(async ({ admin, query }) => ({
  status: 200,
  body: await admin.moderation.threads({ limit: query.get('limit'), cursor: query.get('cursor'), q: query.get('q') }),
}));

const lock = (locked: boolean) =>
  signedIn(async ({ admin, params }, actor) => ({
    status: 200,
    body: { thread: await admin.moderation.setLocked(actor, params.threadId, locked) },
  }));

const bans = signedIn(async ({ admin }) => ({ status: 200, body: { bans: await admin.moderation.bans() } }));

const ban = signedIn(async (context, actor) => ({
  status: 201,
  body: { ban: await context.admin.moderation.ban(actor, await context.readJson()) },
}));

const unban = signedIn(async ({ admin, params }, actor) => {
  await admin.moderation.unban(actor, params.id);
  return { status: 200, body: {} };
});

const moderatorList = signedIn(async ({ admin }) => ({ status: 200, body: { moderators: await admin.moderators.list() } }));

const addModerator = signedIn(async (context, actor) => {
  const { email, name } = await context.readJson();
  const { moderator, inviteToken } = await context.admin.moderators.add(email, name);
  await context.admin.moderation.record(actor, 'moderator.add', null, { email: moderator.email, name: moderator.name });
  const base = context.admin.publicUrl ?? ownOrigin(context) ?? '';
  return { status: 201, body: { moderator, link: `${base.replace(/\/$/, '')}/admin/#set-password=${inviteToken}` } };
});

const removeModerator = signedIn(async ({ admin, params }, actor) => {
  const known = (await admin.moderators.list()).find((moderator) => moderator.id === params.id);
  if (!known || !(await admin.moderators.remove(params.id!))) throw notFound('No such moderator', 'moderator-gone');
  await admin.moderation.record(actor, 'moderator.remove', { email: known.email, name: known.name }, null);
  return { status: 200, body: {} };
});

const auditLog = signedIn(async ({ admin, query }) => ({
  status: 200,
  body: await admin.moderation.auditLog({ limit: query.get('limit'), cursor: query.get('cursor') }),
}));

const events = signedIn(async (context) => {
  const stream = openEventStream(context);
  stream.onClose(await context.admin.moderationEvents.subscribe(stream));
});

/** A moderator's alert emails (immediate, hourly digest, off): their own choice, or the site owner's (admin token). */
const moderatorAlerts = signedIn(async (context, actor) => {
  const { admin, params } = context;
  if (actor.kind !== 'token' && !(actor.kind === 'moderator' && actor.id === params.id))
    throw forbidden('Each moderator chooses their own alerts', 'alerts-not-own');
  const { alerts } = await context.readJson();
  const before = (await admin.moderators.list()).find((moderator) => moderator.id === params.id);
  if (!before) throw notFound('No such moderator', 'moderator-gone');
  const moderator = await admin.moderators.setAlerts(params.id!, alerts);
  if (before.alerts !== moderator.alerts)
    await admin.moderation.record(
      actor,
      'moderator.alerts',
      { email: before.email, alerts: before.alerts },
      { email: moderator.email, alerts: moderator.alerts },
    );
  return { status: 200, body: { moderator } };
});

type Handler = (context: RequestContext) => Promise<Answer | void>;

/** The routes, in http.ts's form: path segments (":name" captures) and a handler per method. */
export const ADMIN_ROUTES: Array<{ path: string[]; methods: Record<string, Handler> }> = [
  { path: ['admin', 'session'], methods: { GET: session, POST: signIn, DELETE: signOut } },
  { path: ['admin', 'password'], methods: { POST: setPassword } },
  { path: ['admin', 'comments'], methods: { GET: comments } },
  { path: ['admin', 'counts'], methods: { GET: counts } },
  { path: ['admin', 'events'], methods: { GET: events } },
  { path: ['admin', 'bulk'], methods: { POST: bulk } },
  { path: ['admin', 'threads'], methods: { GET: threads } },
  { path: ['admin', 'threads', ':threadId', 'lock'], methods: { POST: lock(true) } },
  { path: ['admin', 'threads', ':threadId', 'unlock'], methods: { POST: lock(false) } },
  { path: ['admin', 'threads', ':threadId', 'comments', ':id'], methods: { PATCH: edit } },
  { path: ['admin', 'threads', ':threadId', 'comments', ':id', 'replies'], methods: { POST: reply } },
  { path: ['admin', 'threads', ':threadId', 'comments', ':id', ':action'], methods: { POST: act } },
  { path: ['admin', 'bans'], methods: { GET: bans, POST: ban } },
  { path: ['admin', 'bans', ':id'], methods: { DELETE: unban } },
  { path: ['admin', 'moderators'], methods: { GET: moderatorList, POST: addModerator } },
  { path: ['admin', 'moderators', ':id'], methods: { DELETE: removeModerator } },
  { path: ['admin', 'moderators', ':id', 'alerts'], methods: { PUT: moderatorAlerts } },
  { path: ['admin', 'audit'], methods: { GET: auditLog } },
];
