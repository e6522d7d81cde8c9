// An in-memory confab-server moderation API that follows docs/admin-api.md: a `fetch` and an
// EventSource factory to hand to createApi(). Tests and stories use it; no network.
import type { EventSourceLike } from '../../server/admin/src/api';
import { sampleAudit, sampleBans, sampleComments, sampleModerators, sampleThreads, type WireComment } from './fixtures';

type Json = any;
type Actor = { kind: 'moderator'; id: string; email: string; name: string | null } | { kind: 'token' };

export const ADMIN_TOKEN = 'secret-admin-token';
export const ACCOUNT = { email: 'mo@example.com', password: 'correct horse battery' };
export const INVITATION = 'invite-123';

export interface FakeServerSeed {
  comments?: WireComment[];
  threads?: Json[];
  bans?: Json[];
  moderators?: Json[];
  audit?: Json[];
  /** Signed in from the start (the cookie is there). */
  signedIn?: Actor | null;
  /** At most this many items a page, whatever the client asks for (to test paging). */
  pageSize?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: Json;
}

type Override = { status: number; body: unknown } | 'network' | 'not-json' | 'hold';

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
// With the reasons of docs/admin-api.md (Errors), as the real server sends them.
const error = (status: number, code: string, message: string, fields?: Record<string, string>, reason?: string) =>
  json(status, { error: { code, ...(reason ? { reason } : {}), message, ...(fields ? { fields } : {}) } });

export class FakeEventSource implements EventSourceLike {
  readyState = 1;
  onerror: ((event: Event) => void) | null = null;
  private listeners = new Map<string, ((event: MessageEvent) => void)[]>();
  constructor(readonly url: string) {}
  addEventListener(type: string, listener: (event: MessageEvent) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  close() {
    this.readyState = 2;
  }
  /** Sends one event (data as the server writes it: JSON text). */
  emit(type: string, data: unknown) {
    if (this.readyState === 2) return;
    const event = new MessageEvent(type, { data: typeof data === 'string' ? data : JSON.stringify(data) });
    for (const listener of this.listeners.get(type) ?? []) listener(event);
  }
  fail(closed: boolean) {
    if (closed) this.readyState = 2;
    this.onerror?.(new Event('error'));
  }
}

export function createFakeServer(seed: FakeServerSeed = {}) {
  const state = {
    comments: seed.comments ?? sampleComments(),
    threads: seed.threads ?? sampleThreads(),
    bans: seed.bans ?? sampleBans(),
    moderators: seed.moderators ?? sampleModerators(),
    audit: seed.audit ?? sampleAudit(),
    session: (seed.signedIn === undefined ? null : seed.signedIn) as Actor | null,
  };
  const requests: RecordedRequest[] = [];
  const overrides: { match: RegExp; override: Override; once: boolean }[] = [];
  const held: (() => void)[] = [];
  const sources: FakeEventSource[] = [];
  let serial = 100;

  const counts = () => ({
    pending: state.comments.filter((c) => c.status === 'pending').length,
    reported: state.comments.filter(reported).length,
    spam: state.comments.filter((c) => c.status === 'spam').length,
  });
  const reported = (c: WireComment) => c.reports.count > 0 && (c.status === 'published' || c.status === 'pending');
  const publicComment = ({ email: _email, ...comment }: WireComment) => comment;
  const find = (threadId: string, id: string) => state.comments.find((c) => c.threadId === threadId && c.id === id);
  const audit = (action: string, c: { threadId: string | null; commentId: string | null }, before: Json, after: Json) =>
    state.audit.unshift({ id: `e${++serial}`, at: new Date().toISOString(), actor: state.session, action, ...c, before, after });

  function act(comment: WireComment, action: string): boolean {
    const before = { status: comment.status, pinned: comment.pinned };
    switch (action) {
      case 'approve':
        comment.status = 'published';
        comment.reports = { count: 0, reasons: {}, notes: [] };
        comment.holdReason = null;
        break;
      case 'spam':
        comment.status = 'spam';
        break;
      case 'delete':
        comment.status = 'deleted';
        comment.body = '';
        break;
      case 'restore':
        comment.status = 'published';
        break;
      case 'pin':
      case 'unpin':
        if (comment.status !== 'published' || comment.parentId !== null) return false;
        comment.pinned = action === 'pin';
        break;
      default:
        return false;
    }
    audit(action, { threadId: comment.threadId, commentId: comment.id }, before, {
      status: comment.status,
      pinned: comment.pinned,
    });
    return true;
  }

  function page<T>(items: T[], query: URLSearchParams, fallback: number) {
    const limit = Math.min(Number(query.get('limit') ?? fallback), seed.pageSize ?? 100);
    const start = Number(query.get('cursor') ?? 0);
    const slice = items.slice(start, start + limit);
    return { slice, nextCursor: start + limit < items.length ? String(start + limit) : null };
  }

  async function route(method: string, path: string, query: URLSearchParams, body: Json): Promise<Response> {
    if (path === '/session' && method === 'POST') {
      if (typeof body?.token === 'string') {
        if (body.token !== ADMIN_TOKEN) return error(401, 'unauthorized', 'Wrong admin token', undefined, 'wrong-admin-token');
        state.session = { kind: 'token' };
      } else {
        if (body?.email !== ACCOUNT.email || body?.password !== ACCOUNT.password)
          return error(401, 'unauthorized', 'Wrong email or password', undefined, 'wrong-sign-in');
        state.session = { kind: 'moderator', id: 'm1', email: ACCOUNT.email, name: 'Moderator Mo' };
      }
      return json(200, { actor: state.session });
    }
    if (path === '/password' && method === 'POST') {
      if (typeof body?.password !== 'string' || body.password.length < 10)
        return error(400, 'invalid', 'The password is too short', { password: 'Use at least 10 characters' }, 'password-length');
      if (body.link !== INVITATION)
        return error(401, 'unauthorized', 'This link is unknown, used or older than 24 hours', undefined, 'link-expired');
      state.session = { kind: 'moderator', id: 'm2', email: 'new@example.com', name: null };
      return json(200, { actor: state.session });
    }
    if (!state.session) return error(401, 'unauthorized', 'Sign in first', undefined, 'sign-in-required');
    if (path === '/session' && method === 'GET') return json(200, { actor: state.session });
    if (path === '/session' && method === 'DELETE') {
      state.session = null;
      return json(200, {});
    }
    if (path === '/counts') return json(200, counts());
    if (path === '/comments' && method === 'GET') {
      const view = query.get('view');
      const q = query.get('q')?.toLowerCase();
      const author = query.get('author')?.toLowerCase();
      const email = query.get('email');
      const thread = query.get('thread');
      const matches = state.comments
        .filter((c) =>
          view === 'pending'
            ? c.status === 'pending'
            : view === 'reported'
              ? reported(c)
              : view === 'spam'
                ? c.status === 'spam'
                : true,
        )
        .filter((c) => (!q || c.body.toLowerCase().includes(q)) && (!author || c.author.name.toLowerCase().includes(author)))
        .filter((c) => (!email || c.email === email) && (!thread || c.threadId === thread))
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
      const { slice, nextCursor } = page(matches, query, seed.pageSize ?? 50);
      return json(200, { comments: slice.map(publicComment), nextCursor });
    }
    if (path === '/bulk' && method === 'POST') {
      if (!['approve', 'spam', 'delete'].includes(body?.action))
        return error(400, 'invalid', 'Unknown action', { action: 'Not valid' }, 'bulk-invalid');
      if (!Array.isArray(body.comments) || body.comments.length < 1 || body.comments.length > 100)
        return error(400, 'invalid', 'Send 1 to 100 comments', { comments: 'From 1 to 100' }, 'bulk-limit');
      const done: WireComment[] = [];
      for (const { threadId, id } of body.comments) {
        const comment = find(threadId, id);
        if (comment && act(comment, body.action)) done.push(comment);
      }
      return json(200, { comments: done.map(publicComment) });
    }
    let match = path.match(/^\/threads\/([^/]+)\/comments\/([^/]+)(?:\/([a-z]+))?$/);
    if (match) {
      const [, threadId, id, action] = match.map((part) => (part === undefined ? part : decodeURIComponent(part)));
      const comment = find(threadId!, id!);
      if (!comment) return error(404, 'not_found', 'No such comment in that thread', undefined, 'comment-gone');
      if (method === 'PATCH' && !action) {
        if (typeof body?.body !== 'string' || !body.body.trim())
          return error(400, 'invalid', 'Write some text', { body: 'Required' }, 'body-required');
        audit('edit', { threadId: comment.threadId, commentId: comment.id }, { body: comment.body }, { body: body.body });
        comment.body = body.body;
        comment.editedAt = new Date().toISOString();
        return json(200, { comment: publicComment(comment) });
      }
      if (method === 'POST' && action === 'replies') {
        if (typeof body?.body !== 'string' || !body.body.trim())
          return error(400, 'invalid', 'Write some text', { body: 'Required' }, 'body-required');
        const name = state.session.kind === 'moderator' ? (state.session.name ?? state.session.email) : body.name;
        const reply: WireComment = {
          ...comment,
          id: `c${++serial}`,
          parentId: comment.id,
          author: { name, url: null, avatarUrl: null, role: 'moderator' },
          body: body.body,
          createdAt: new Date().toISOString(),
          editedAt: null,
          status: 'published',
          pinned: false,
          score: 0,
          reports: { count: 0, reasons: {}, notes: [] },
          holdReason: null,
        };
        state.comments.push(reply);
        audit('reply', { threadId: reply.threadId, commentId: reply.id }, null, { body: reply.body });
        return json(201, { comment: publicComment(reply) });
      }
      if (method === 'POST' && action && act(comment, action)) return json(200, { comment: publicComment(comment) });
      return error(400, 'invalid', 'That action does not apply to this comment');
    }
    if (path === '/threads' && method === 'GET') {
      const q = query.get('q')?.toLowerCase();
      const items = state.threads.filter((t) => !q || t.id.toLowerCase().includes(q) || t.title.toLowerCase().includes(q));
      const { slice, nextCursor } = page(items, query, 50);
      return json(200, { threads: slice, nextCursor });
    }
    match = path.match(/^\/threads\/([^/]+)\/(lock|unlock)$/);
    if (match && method === 'POST') {
      const thread = state.threads.find((t) => t.id === decodeURIComponent(match![1]!));
      if (!thread) return error(404, 'not_found', 'No such thread', undefined, 'thread-gone');
      thread.locked = match[2] === 'lock';
      audit(match[2]!, { threadId: thread.id, commentId: null }, null, null);
      return json(200, { thread });
    }
    if (path === '/bans' && method === 'GET') return json(200, { bans: state.bans });
    if (path === '/bans' && method === 'POST') {
      const comment = find(body?.threadId, body?.commentId);
      if (!comment) return error(404, 'not_found', 'No such comment in that thread', undefined, 'comment-gone');
      if (body.kinds.includes('email') && !comment.hasEmail)
        return error(400, 'invalid', 'This comment has no email to ban', { kinds: 'Unknown' }, 'ban-no-address');
      const ban = {
        id: `b${++serial}`,
        kinds: body.kinds,
        authorName: comment.author.name,
        note: body.note ?? null,
        createdAt: new Date().toISOString(),
        expiresAt: body.days === null ? null : new Date(Date.now() + body.days * 86_400_000).toISOString(),
        createdBy: state.session,
      };
      state.bans.unshift(ban);
      audit('ban', { threadId: comment.threadId, commentId: comment.id }, null, { kinds: ban.kinds, days: body.days });
      return json(201, { ban });
    }
    match = path.match(/^\/bans\/([^/]+)$/);
    if (match && method === 'DELETE') {
      state.bans = state.bans.filter((b) => b.id !== decodeURIComponent(match![1]!));
      return json(200, {});
    }
    if (path === '/moderators' && method === 'GET') return json(200, { moderators: state.moderators });
    if (path === '/moderators' && method === 'POST') {
      if (typeof body?.email !== 'string' || !body.email.includes('@'))
        return error(400, 'invalid', 'Check the email', { email: 'Not an email address' }, 'email-invalid');
      if (state.moderators.some((m) => m.email === body.email))
        return error(409, 'conflict', 'There is a moderator with that email already', undefined, 'moderator-exists');
      const moderator = {
        id: `m${++serial}`,
        email: body.email,
        name: body.name ?? null,
        createdAt: new Date().toISOString(),
        lastSignInAt: null,
        invited: true,
        alerts: 'immediate',
      };
      state.moderators.push(moderator);
      return json(201, { moderator, link: `https://comments.example/admin/#set-password=tok${serial}` });
    }
    match = path.match(/^\/moderators\/([^/]+)$/);
    if (match && method === 'DELETE') {
      state.moderators = state.moderators.filter((m) => m.id !== decodeURIComponent(match![1]!));
      return json(200, {});
    }
    match = path.match(/^\/moderators\/([^/]+)\/alerts$/);
    if (match && method === 'PUT') {
      const id = decodeURIComponent(match[1]!);
      const session = state.session as Actor;
      if (session.kind !== 'token' && !(session.kind === 'moderator' && session.id === id))
        return error(403, 'unauthorized', 'Each moderator chooses their own alerts', undefined, 'alerts-not-own');
      if (!['immediate', 'digest', 'off'].includes(body?.alerts))
        return error(400, 'invalid', 'Invalid alerts', { alerts: 'Not valid' }, 'alerts-invalid');
      const moderator = state.moderators.find((m) => m.id === id);
      if (!moderator) return error(404, 'not_found', 'No such moderator', undefined, 'moderator-gone');
      moderator.alerts = body.alerts;
      return json(200, { moderator });
    }
    if (path === '/audit' && method === 'GET') {
      const { slice, nextCursor } = page(state.audit, query, 50);
      return json(200, { entries: slice, nextCursor });
    }
    return error(404, 'not_found', `No route ${method} ${path}`);
  }

  const fetch = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(String(input), 'http://dashboard.test');
    const method = (init.method ?? 'GET').toUpperCase();
    const path = url.pathname.replace(/^\/api\/admin/, '');
    const body = typeof init.body === 'string' ? JSON.parse(init.body) : undefined;
    requests.push({ method, path, query: url.searchParams, body });
    const at = overrides.findIndex((o) => o.match.test(`${method} ${path}`));
    if (at >= 0) {
      const { override, once } = overrides[at]!;
      if (once) overrides.splice(at, 1);
      if (override === 'network') throw new TypeError('Failed to fetch');
      if (override === 'not-json') return new Response('<html>Bad gateway</html>', { status: 200 });
      if (override === 'hold') await new Promise<void>((release) => held.push(release));
      else return json(override.status, override.body);
    }
    await Promise.resolve();
    return route(method, path, url.searchParams, body);
  };

  return {
    state,
    requests,
    fetch: fetch as typeof globalThis.fetch,
    eventSource: (url: string) => {
      const source = new FakeEventSource(url);
      sources.push(source);
      return source;
    },
    /** The stream the dashboard has open, if any. */
    get stream(): FakeEventSource | undefined {
      return sources.filter((s) => s.readyState !== 2).at(-1);
    },
    sources,
    /** Answers the next request matching "METHOD /path" (a regular expression) this way. */
    failNext(match: RegExp, override: Override) {
      overrides.push({ match, override, once: true });
    },
    failAlways(match: RegExp, override: Override) {
      overrides.push({ match, override, once: false });
    },
    /** Lets held requests go on. */
    release() {
      for (const go of held.splice(0)) go();
    },
    counts,
    publicComment,
  };
}

export type FakeServer = ReturnType<typeof createFakeServer>;
