// Confab in front of a Waline server (https://waline.js.org), through Waline's own REST API under
// `<serverURL>/api/`: `GET comment` (pages of top-level comments, each with all its replies),
// `POST comment`, `PUT comment/:id` (edit, and likes), `DELETE comment/:id` and
// `GET comment?type=count`. Waline answers `{ errno, errmsg, data }`, and refuses many things
// with HTTP 200 and errno ≠ 0: both are errors here.
//
// Guests read, post, reply and like. Edit and delete belong to Waline's signed-in users (their
// own comments): pass the token Waline's login gave them as `token`. Waline renders Markdown to
// HTML itself: the HTML becomes `bodyHtml` (shown only through the widget's sanitizer), the
// Markdown source (`orig`) the editable `body`. Waline counts likes only: no down-votes, and no
// record of who liked.
//
// Double posts: Waline refuses a comment identical to an earlier one by the same author on the
// same page ("Duplicate Content"). When that answers a Retry (its first answer was lost), the
// adapter looks the earlier comment up among the recent ones and returns it: the Retry succeeds
// and nothing is posted twice.
import type { Options } from 'ky';
import { ConfabError } from '../errors';
import { sanitizeHtml } from '../format/sanitize-html';
import type { WireComment } from '../api/wire';
import {
  CODES,
  createTransport,
  deletedAnswer,
  isObject,
  jsonCaller,
  retryAfterSeconds,
  tokenReader,
  type AnswerParser,
  type Json,
  type ServerClientOptions,
} from './server-client';
import type { Adapter, CallOptions } from '../types';

export interface WalineAdapterOptions extends ServerClientOptions {
  /** The Waline server, as in Waline's own `serverURL`: `https://waline.example.com`. */
  serverURL: string;
  /**
   * A signed-in Waline user's token (what Waline's login returns), or a function that reads it.
   * With it, requests carry `Authorization: Bearer …` and the reader can edit and delete their
   * own comments; without it the adapter has no edit or delete.
   */
  token?: string | (() => string | null | undefined);
  /** Waline's page path for a Confab thread; by default the thread id (Waline's default is the page's path). */
  path?: (threadId: string) => string;
}

const SORTS = { oldest: 'insertedAt_asc', newest: 'insertedAt_desc', top: 'like_desc' };

/** Waline's own wait between two comments from one address (IPQPS), when its answer names none. */
const DEFAULT_WAIT_SECONDS = 60;

/** Seconds to wait, from the answer: a `Retry-After` header, or a number of seconds in its message. */
function waitOf(response: Response, text: string): number {
  const said = /(\d+)\s*(?:s\b|sec|second)/i.exec(text);
  return retryAfterSeconds(response) ?? (said ? Number(said[1]) : DEFAULT_WAIT_SECONDS);
}

/** A refusal (HTTP status or Waline's errno) → our error; `errmsg` is English (`lang=en`). */
function refusal(status: number, message: unknown, response: Response): ConfabError {
  // Waline's validation answers name the field: `{ pageSize: "…" }`.
  const text = String(
    (typeof message === 'object' && message ? Object.values(message)[0] : message) || `Waline refused the request (${status}).`,
  );
  // Waline makes one address wait between two comments (IPQPS seconds).
  const fast = /too fast/i.test(text);
  if (fast) status = 429;
  else if (status < 400 || status > 599) status = 400;
  return new ConfabError('http', text, {
    status,
    serverCode: CODES[status] ?? 'internal',
    retryAfter: fast ? waitOf(response, text) : undefined,
  });
}

export function createWalineAdapter(options: WalineAdapterOptions): Adapter {
  const token = tokenReader(options.token);
  const pathOf = options.path ?? String;
  // Waline files a reply under its top-level comment (`rid`): learnt from every comment seen.
  const roots = new Map<string, string>();
  const send = createTransport({
    ...options,
    prefixUrl: options.serverURL.replace(/\/+$/, '') + '/api/',
    server: 'Waline',
    refusal: async (response) =>
      refusal(response.status, ((await response.json().catch(() => null)) as Json | null)?.errmsg, response),
  });
  const request = jsonCaller(send, 'Waline');

  /** A request in English, with the user's token; Waline's `{ errno, errmsg, data }` → `data` through `parse`. */
  function call<T>(path: string, init: Options, call_: CallOptions | undefined, parse: AnswerParser<T>): Promise<T> {
    const searchParams = new URLSearchParams(init.searchParams as Record<string, string>);
    searchParams.set('lang', 'en');
    const value = token();
    const headers = value ? { Authorization: `Bearer ${value}` } : {};
    return request(path, { ...init, searchParams, headers }, call_, (json, response) => {
      // Refusals often come with HTTP 200 and an errno.
      if (isObject(json) && json.errno) throw refusal(json.errno, json.errmsg, response);
      return isObject(json) && json.errno === 0 ? parse(json.data, response) : null;
    });
  }

  /**
   * One Waline comment in the protocol's shape, values as the server sent them (wire data: the
   * boundary validator keeps only what is safe), or null when it has no HTML text at all.
   */
  function toComment(raw: unknown): WireComment | null {
    if (!isObject(raw) || typeof raw.comment !== 'string') return null;
    // `objectId`; the answer to an update on SQL storage names it `id`.
    const id = raw.objectId ?? raw.id;
    roots.set(String(id), String(raw.rid || id));
    return {
      id,
      parentId: raw.pid,
      author: { name: raw.nick, url: raw.link, avatarUrl: raw.avatar },
      body: raw.orig,
      bodyHtml: raw.comment,
      createdAt: raw.time ?? raw.insertedAt,
      editedAt: null,
      // `waiting` (moderation) and `spam` reach their own author only.
      status: raw.status && raw.status !== 'approved' ? 'pending' : 'published',
      score: raw.like,
    };
  }

  const commentPath = (id: string) => `comment/${encodeURIComponent(id)}`;

  const adapter: Adapter = {
    // The server sends rendered HTML: the sanitizer turns it into allowed elements.
    sanitizeHtml,
    list: (threadId, query, call_) => {
      const page = Math.max(1, Number(query.cursor) || 1);
      const searchParams = {
        path: pathOf(threadId),
        page: String(page),
        pageSize: String(query.limit),
        sortBy: SORTS[query.sort],
      };
      return call('comment', { searchParams }, call_, (data) => {
        if (!isObject(data) || !Array.isArray(data.data)) return null;
        const raws: unknown[] = data.data.flatMap((root: unknown) => [
          root,
          ...(isObject(root) && Array.isArray(root.children) ? root.children : []),
        ]);
        const comments = raws.map(toComment).filter((c): c is WireComment => c !== null);
        return {
          thread: { id: threadId, title: null, url: null, commentCount: data.count, locked: false },
          comments,
          nextCursor: page < Number(data.totalPages) ? String(page + 1) : null,
          skipped: raws.length - comments.length,
        };
      });
    },

    post: async (threadId, input, _key, call_) => {
      const url = pathOf(threadId);
      const pid = input.parentId;
      const json = {
        comment: input.body,
        nick: input.author.name,
        mail: input.author.email ?? '',
        link: input.author.url ?? '',
        url,
        pid,
        rid: pid && (roots.get(pid) ?? pid),
      };
      let comment: WireComment | null | undefined;
      try {
        comment = await call('comment', { method: 'post', json }, call_, toComment);
      } catch (error) {
        if (!/duplicate/i.test((error as Error).message)) throw error;
        // Posted before (a Retry whose first answer was lost): find it among the recent ones.
        const recent = await call('comment', { searchParams: { type: 'recent', count: '50' } }, call_, (data) =>
          Array.isArray(data) ? data : null,
        );
        comment = toComment(
          recent.find(
            (c: Json) => c?.url === url && c.orig === input.body && c.nick === json.nick && String(c.pid ?? '') === (pid ?? ''),
          ),
        );
        if (!comment) throw error;
      }
      return { comment, editToken: token() };
    },

    vote: (_threadId, id, value, _voter, call_) =>
      value < 0
        ? Promise.reject(
            new ConfabError('http', 'Waline has likes only: there is no down-vote.', { status: 405, serverCode: 'unauthorized' }),
          )
        : // A like adds one; taking it back (0) takes one away. Waline keeps no record of who liked.
          call(commentPath(id), { method: 'put', json: { like: value > 0 } }, call_, (data) => toComment(data)?.score),

    counts: (threadIds, call_) => {
      const searchParams = new URLSearchParams({ type: 'count' });
      for (const id of threadIds) searchParams.append('url', pathOf(id));
      return call('comment', { searchParams }, call_, (data) => {
        const list: unknown[] | null = typeof data === 'number' ? [data] : Array.isArray(data) ? data : null;
        const counts: Record<string, number> = Object.create(null);
        threadIds.forEach((id, index) => {
          const count = list?.[index];
          if (typeof count === 'number' && count >= 0) counts[id] = count;
        });
        return list && counts;
      });
    },
  };

  if (options.token) {
    // A signed-in user's own comments: Waline checks the token's user against the comment's.
    adapter.edit = (_threadId, id, body, _token, call_) =>
      call(commentPath(id), { method: 'put', json: { comment: body } }, call_, toComment);
    // Waline answers a delete with no comment (`data: ''`): its id is what there is to go on.
    adapter.remove = (_threadId, id, _token, call_) =>
      call(commentPath(id), { method: 'delete' }, call_, (data) => deletedAnswer(id, toComment(data)));
  }
  return adapter;
}
