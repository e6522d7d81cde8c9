// The API client: the only module that talks to the server (fetch and the event stream). Every
// answer goes through decode.ts before it leaves here, and every failure leaves as an ApiError
// with a message a person can read in the dashboard's language: a network failure, the server's
// own error (worded by its `reason`, docs/admin-api.md; the server's English message only for a
// reason the dashboard does not know), or an answer the dashboard cannot read. Same origin, so the session cookie and the Origin header travel on their own.
import {
  DecodeError,
  decodeActor,
  decodeAuditEntry,
  decodeBan,
  decodeComment,
  decodeCounts,
  decodeErrorBody,
  decodeField,
  decodeModerator,
  decodePage,
  decodeThread,
} from './decode';
import { ENGLISH, type AdminKey, type Translate } from './i18n/i18n';
import type {
  Actor,
  AdminComment,
  AdminThread,
  AuditEntry,
  Ban,
  BanKind,
  BulkAction,
  CommentAction,
  CommentFilters,
  Counts,
  Moderator,
  AlertChoice,
  Page,
  View,
} from './types';

export type ApiErrorKind = 'network' | 'http' | 'bad-answer';

export class ApiError extends Error {
  constructor(
    readonly kind: ApiErrorKind,
    message: string,
    readonly status = 0,
    readonly code = kind === 'http' ? 'error' : kind,
    readonly fields: Record<string, string> = {},
    /** The server's `reason` (docs/admin-api.md, Errors), when it gave one. */
    readonly reason: string | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  get unauthorized(): boolean {
    return this.status === 401;
  }
}

/** A readable message for anything a store catches. */
export function messageOf(error: unknown, t: Translate = ENGLISH.t): string {
  if (error instanceof ApiError) return error.message;
  return t('error.unknown');
}

/** The words for an error answer without a message of the server's. */
const FALLBACK_MESSAGES: Record<number, AdminKey> = {
  400: 'error.400',
  401: 'error.401',
  403: 'error.403',
  404: 'error.404',
  409: 'error.409',
  429: 'error.429',
};

/** The dashboard's words for each reason of the server's (docs/admin-api.md, Errors), with their values. */
export const REASONS: Record<string, { key: AdminKey; values?: Record<string, number> }> = {
  'wrong-sign-in': { key: 'error.wrongSignIn' },
  'wrong-admin-token': { key: 'error.wrongToken' },
  'sign-in-limit': { key: 'error.signInLimit' },
  'sign-in-required': { key: 'error.401' },
  'not-moderator': { key: 'error.403' },
  'wrong-origin': { key: 'error.wrongOrigin' },
  'link-expired': { key: 'error.linkExpired' },
  'password-length': { key: 'error.passwordLength', values: { min: 10, max: 200 } },
  'moderator-exists': { key: 'error.moderatorExists' },
  'email-invalid': { key: 'error.emailInvalid' },
  'name-invalid': { key: 'error.nameTooLong', values: { count: 100 } },
  'moderator-gone': { key: 'error.404' },
  'alerts-not-own': { key: 'error.alertsNotOwn' },
  'alerts-invalid': { key: 'error.400' },
  'comment-gone': { key: 'error.404' },
  'comment-deleted': { key: 'error.commentDeleted' },
  'restore-author-deleted': { key: 'error.authorDeleted' },
  'pin-not-allowed': { key: 'error.pinNotAllowed' },
  'reply-not-published': { key: 'error.replyHeld' },
  'body-required': { key: 'form.empty' },
  'body-too-long': { key: 'error.bodyTooLong', values: { count: 10_000 } },
  'body-invalid': { key: 'error.400' },
  'search-too-long': { key: 'error.searchTooLong', values: { count: 200 } },
  'thread-gone': { key: 'error.404' },
  'ban-kinds': { key: 'ban.choose' },
  'ban-days': { key: 'error.banDays', values: { count: 36_500 } },
  'ban-note': { key: 'error.noteTooLong', values: { count: 500 } },
  'ban-no-address': { key: 'error.banNoAddress' },
  'ban-gone': { key: 'error.404' },
  'bulk-limit': { key: 'error.bulkLimit', values: { count: 100 } },
  'bulk-invalid': { key: 'error.400' },
};

/**
 * The message and field texts of an error answer: by its reason in the dashboard's language (each
 * field the server named gets the same words), else the server's own; the status's words when the
 * server sent none.
 */
function wordsOf(
  t: Translate,
  status: number,
  error: { code: string; reason: string | null; message: string; fields: Record<string, string> } | null,
  fallback: (status: number) => string,
): { message: string; fields: Record<string, string> } {
  const known = error?.reason && Object.hasOwn(REASONS, error.reason) ? REASONS[error.reason]! : null;
  if (known) {
    const message = t(known.key, known.values);
    return { message, fields: Object.fromEntries(Object.keys(error!.fields).map((name) => [name, message])) };
  }
  // A server failure's own words say no more than the dashboard's, which are in the moderator's language.
  if (!error?.message || status >= 500) return { message: fallback(status), fields: error?.fields ?? {} };
  return { message: error.message, fields: error.fields };
}

/** The event stream's messages, already decoded. */
export interface EventHandlers {
  counts(counts: Counts): void;
  comment(comment: AdminComment): void;
  /** The stream broke (and the browser gave up reconnecting when `closed`). */
  error?(closed: boolean): void;
}

export interface EventSourceLike {
  addEventListener(type: string, listener: (event: MessageEvent) => void): void;
  close(): void;
  onerror: ((event: Event) => void) | null;
  readonly readyState: number;
}

export type EventSourceFactory = (url: string) => EventSourceLike;

export interface ApiOptions {
  /** Defaults to the page's fetch. */
  fetch?: typeof fetch;
  /** Defaults to the page's EventSource; without one there are no live updates. */
  eventSource?: EventSourceFactory | null;
  /** Where /api/admin lives; '' is this origin. */
  base?: string;
  /** The dashboard's language, for the messages of failures; English by default. */
  t?: Translate;
}

export interface Api {
  /** Called on a 401 from anything but signing in: the session is over. */
  onUnauthorized: (() => void) | null;
  getSession(): Promise<Actor | null>;
  signIn(credentials: { email: string; password: string } | { token: string }): Promise<Actor>;
  signOut(): Promise<void>;
  setPassword(link: string, password: string): Promise<Actor>;
  comments(view: View, filters: Partial<CommentFilters>, cursor?: string | null, limit?: number): Promise<Page<AdminComment>>;
  counts(): Promise<Counts>;
  act(comment: Pick<AdminComment, 'threadId' | 'id'>, action: CommentAction): Promise<AdminComment>;
  edit(comment: Pick<AdminComment, 'threadId' | 'id'>, body: string): Promise<AdminComment>;
  reply(comment: Pick<AdminComment, 'threadId' | 'id'>, body: string, name?: string): Promise<AdminComment>;
  bulk(action: BulkAction, comments: Pick<AdminComment, 'threadId' | 'id'>[]): Promise<AdminComment[]>;
  threads(q: string, cursor?: string | null): Promise<Page<AdminThread>>;
  lock(threadId: string, locked: boolean): Promise<AdminThread>;
  bans(): Promise<Ban[]>;
  ban(input: { threadId: string; commentId: string; kinds: BanKind[]; days: number | null; note: string }): Promise<Ban>;
  unban(id: string): Promise<void>;
  moderators(): Promise<Moderator[]>;
  addModerator(email: string, name: string): Promise<{ moderator: Moderator; link: string }>;
  removeModerator(id: string): Promise<void>;
  /** A moderator's alert emails: their own choice (or any, with the admin token). */
  setModeratorAlerts(id: string, alerts: AlertChoice): Promise<Moderator>;
  audit(cursor?: string | null): Promise<Page<AuditEntry>>;
  /** Opens the event stream; returns the function that closes it. */
  events(handlers: EventHandlers): () => void;
}

export const BULK_LIMIT = 100;

const segment = encodeURIComponent;

export function createApi(options: ApiOptions = {}): Api {
  const base = `${options.base ?? ''}/api/admin`;
  const t = options.t ?? ENGLISH.t;
  const fallback = (status: number) => {
    const key = FALLBACK_MESSAGES[status];
    return key ? t(key) : t('error.status', { status: String(status) });
  };
  const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const makeEventSource =
    options.eventSource === undefined
      ? typeof EventSource === 'function'
        ? (url: string) => new EventSource(url) as EventSourceLike
        : null
      : options.eventSource;

  async function request<T>(
    method: string,
    path: string,
    body: unknown,
    decode: (json: unknown) => T,
    { signingIn = false } = {},
  ): Promise<T> {
    let response: Response;
    try {
      response = await doFetch(`${base}${path}`, {
        method,
        credentials: 'same-origin',
        headers:
          body === undefined
            ? { accept: 'application/json' }
            : { accept: 'application/json', 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new ApiError('network', t('error.network'));
    }
    let json: unknown;
    try {
      const text = await response.text();
      json = text === '' ? {} : JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (!response.ok) {
      const error = json === undefined ? null : decodeErrorBody(json);
      const words = wordsOf(t, response.status, error, fallback);
      const failure = new ApiError(
        'http',
        words.message,
        response.status,
        error?.code ?? 'error',
        words.fields,
        error?.reason ?? null,
      );
      if (failure.unauthorized && !signingIn) api.onUnauthorized?.();
      throw failure;
    }
    if (json === undefined) throw badAnswer(t);
    try {
      return decode(json);
    } catch (error) {
      if (error instanceof DecodeError) throw badAnswer(t, error);
      throw error;
    }
  }

  const nothing = () => undefined;
  const comment = (json: unknown) => decodeField(json, 'comment', decodeComment);
  const path = (c: Pick<AdminComment, 'threadId' | 'id'>) => `/threads/${segment(c.threadId)}/comments/${segment(c.id)}`;

  const api: Api = {
    onUnauthorized: null,
    async getSession() {
      try {
        return await request('GET', '/session', undefined, (json) => decodeField(json, 'actor', decodeActor), {
          signingIn: true,
        });
      } catch (error) {
        if (error instanceof ApiError && error.unauthorized) return null;
        throw error;
      }
    },
    signIn: (credentials) =>
      request('POST', '/session', credentials, (json) => decodeField(json, 'actor', decodeActor), { signingIn: true }),
    signOut: () => request('DELETE', '/session', undefined, nothing, { signingIn: true }),
    setPassword: (link, password) =>
      request('POST', '/password', { link, password }, (json) => decodeField(json, 'actor', decodeActor), { signingIn: true }),
    comments(view, filters, cursor, limit) {
      const query = new URLSearchParams({ view });
      if (limit) query.set('limit', String(limit));
      if (cursor) query.set('cursor', cursor);
      for (const key of ['q', 'author', 'email', 'thread'] as const) {
        const value = filters[key]?.trim();
        if (value) query.set(key, value);
      }
      return request('GET', `/comments?${query}`, undefined, (json) => decodePage(json, 'comments', decodeComment));
    },
    counts: () => request('GET', '/counts', undefined, decodeCounts),
    act: (target, action) => request('POST', `${path(target)}/${action}`, {}, comment),
    edit: (target, body) => request('PATCH', path(target), { body }, comment),
    reply: (target, body, name) => request('POST', `${path(target)}/replies`, name ? { body, name } : { body }, comment),
    async bulk(action, targets) {
      if (targets.length === 0) return [];
      if (targets.length > BULK_LIMIT) throw new ApiError('http', t('error.bulkLimit', { count: BULK_LIMIT }), 400, 'invalid');
      return request('POST', '/bulk', { action, comments: targets.map(({ threadId, id }) => ({ threadId, id })) }, (json) =>
        decodeField(json, 'comments', (value, at) => decodePageItems(value, at)),
      );
    },
    threads(q, cursor) {
      const query = new URLSearchParams();
      if (q.trim()) query.set('q', q.trim());
      if (cursor) query.set('cursor', cursor);
      const search = query.size ? `?${query}` : '';
      return request('GET', `/threads${search}`, undefined, (json) => decodePage(json, 'threads', decodeThread));
    },
    lock: (threadId, locked) =>
      request('POST', `/threads/${segment(threadId)}/${locked ? 'lock' : 'unlock'}`, {}, (json) =>
        decodeField(json, 'thread', decodeThread),
      ),
    bans: () => request('GET', '/bans', undefined, (json) => decodePage(json, 'bans', decodeBan).items),
    ban: (input) =>
      request(
        'POST',
        '/bans',
        {
          threadId: input.threadId,
          commentId: input.commentId,
          kinds: input.kinds,
          days: input.days,
          ...(input.note.trim() ? { note: input.note.trim() } : {}),
        },
        (json) => decodeField(json, 'ban', decodeBan),
      ),
    unban: (id) => request('DELETE', `/bans/${segment(id)}`, undefined, nothing),
    moderators: () => request('GET', '/moderators', undefined, (json) => decodePage(json, 'moderators', decodeModerator).items),
    addModerator: (email, name) =>
      request(
        'POST',
        '/moderators',
        name.trim() ? { email: email.trim(), name: name.trim() } : { email: email.trim() },
        (json) => ({
          moderator: decodeField(json, 'moderator', decodeModerator),
          link: decodeField(json, 'link', (value, at) => {
            if (typeof value !== 'string' || value === '') throw new DecodeError(at, 'a link');
            return value;
          }),
        }),
      ),
    removeModerator: (id) => request('DELETE', `/moderators/${segment(id)}`, undefined, nothing),
    setModeratorAlerts: (id, alerts) =>
      request('PUT', `/moderators/${segment(id)}/alerts`, { alerts }, (json) => decodeField(json, 'moderator', decodeModerator)),
    audit(cursor) {
      const search = cursor ? `?${new URLSearchParams({ cursor })}` : '';
      return request('GET', `/audit${search}`, undefined, (json) => decodePage(json, 'entries', decodeAuditEntry));
    },
    events(handlers) {
      if (!makeEventSource) return () => {};
      const source = makeEventSource(`${base}/events`);
      const listen = <T>(type: string, decode: (json: unknown) => T, handle: (value: T) => void) =>
        source.addEventListener(type, (event) => {
          // A message the dashboard cannot read is skipped: the next counts event or a reload
          // brings the view up to date.
          let value: T;
          try {
            value = decode(JSON.parse(String(event.data)));
          } catch {
            return;
          }
          handle(value);
        });
      listen('counts', decodeCounts, handlers.counts);
      listen('comment', comment, handlers.comment);
      source.onerror = () => handlers.error?.(source.readyState === 2);
      return () => source.close();
    },
  };
  return api;
}

function decodePageItems(value: unknown, path: string): AdminComment[] {
  if (!Array.isArray(value)) throw new DecodeError(path, 'a list');
  return value.map((item, at) => decodeComment(item, `${path}[${at}]`));
}

function badAnswer(t: Translate, error?: DecodeError): ApiError {
  return new ApiError('bad-answer', t('error.badAnswer'), 0, 'bad-answer', error ? { answer: error.message } : {});
}
