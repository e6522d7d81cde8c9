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
import { HTTPError, type Options } from 'ky';
import { ConfabError } from '../errors';
import { sanitizeHtml } from '../format/sanitize-html';
import { CODES, isObject, serverClient, unreachable, type Json, type ServerClientOptions } from './server-client';
import type { Adapter, CallOptions, Comment } from '../types';

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

/**
 * Comments go out in the protocol's shape, values as the server sent them: the widget's store
 * runs every adapter's answers through the boundary validator (parseComment), which keeps only
 * what is safe (ids, http(s) URLs, clean names, real times, finite scores) and `bodyHtml` text.
 */
type Wire = Comment & { bodyHtml?: string };

const SORTS = { oldest: 'insertedAt_asc', newest: 'insertedAt_desc', top: 'like_desc' };

/** A refusal (HTTP status or Waline's errno) → our error; `errmsg` is English (`lang=en`). */
function refusal(status: number, message: unknown): ConfabError {
  // Waline's validation answers name the field: `{ pageSize: "…" }`.
  const text = String((typeof message === 'object' && message ? Object.values(message)[0] : message) || `Waline refused the request (${status}).`);
  // Waline waits IPQPS seconds (60 by default) between two comments from one address.
  const fast = /too fast/i.test(text);
  if (fast) status = 429;
  else if (status < 400 || status > 599) status = 400;
  return new ConfabError('http', text, { status, serverCode: CODES[status] ?? 'internal', retryAfter: fast ? 60 : undefined });
}

export function createWalineAdapter(options: WalineAdapterOptions): Adapter {
  const token = () => (typeof options.token === 'function' ? options.token() : options.token) || null;
  const pathOf = options.path ?? String;
  // Waline files a reply under its top-level comment (`rid`): learnt from every comment seen.
  const roots = new Map<string, string>();
  const api = serverClient(options.serverURL.replace(/\/+$/, '') + '/api/', options);

  async function call<T>(path: string, init: Options, call_: CallOptions | undefined, parse: (data: any) => T | null | undefined): Promise<T> {
    const searchParams = new URLSearchParams(init.searchParams as Record<string, string>);
    searchParams.set('lang', 'en');
    const value = token();
    let response: Response;
    try {
      response = await api(path, { ...init, searchParams, signal: call_?.signal, headers: value ? { Authorization: `Bearer ${value}` } : {} });
    } catch (error) {
      if (error instanceof HTTPError) throw refusal(error.response.status, (await error.response.json().catch(() => null))?.errmsg);
      throw unreachable('Waline', error);
    }
    const json = await response.json().catch(() => null);
    if (isObject(json) && json.errno) throw refusal(json.errno, json.errmsg);
    const result = isObject(json) && json.errno === 0 ? parse(json.data) : null;
    if (result == null) throw new ConfabError('invalid-response', 'Waline sent an answer we cannot use.', { status: response.status });
    return result;
  }

  /** One Waline comment, or null when it has no HTML text at all. */
  function toComment(raw: unknown): Wire | null {
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

  const deleted = (id: string): Comment => ({ id, parentId: null, author: { name: '', url: null, avatarUrl: null }, body: '', createdAt: null, editedAt: null, status: 'deleted', score: 0 });

  const commentPath = (id: string) => `comment/${encodeURIComponent(id)}`;

  const adapter: Adapter = {
    // The server sends rendered HTML: the sanitizer turns it into allowed elements.
    sanitizeHtml,
    list: (threadId, query, call_) => {
      const page = Math.max(1, Number(query.cursor) || 1);
      const searchParams = { path: pathOf(threadId), page: String(page), pageSize: String(query.limit), sortBy: SORTS[query.sort] };
      return call('comment', { searchParams }, call_, (data) => {
        if (!isObject(data) || !Array.isArray(data.data)) return null;
        const raws: unknown[] = data.data.flatMap((root: unknown) => [root, ...(isObject(root) && Array.isArray(root.children) ? root.children : [])]);
        const comments = raws.map(toComment).filter((c): c is Comment => c !== null);
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
      const json = { comment: input.body, nick: input.author.name, mail: input.author.email ?? '', link: input.author.url ?? '', url, pid, rid: pid && (roots.get(pid) ?? pid) };
      let comment: Comment | null | undefined;
      try {
        comment = await call('comment', { method: 'post', json }, call_, toComment);
      } catch (error) {
        if (!/duplicate/i.test((error as Error).message)) throw error;
        // Posted before (a Retry whose first answer was lost): find it among the recent ones.
        const recent = await call('comment', { searchParams: { type: 'recent', count: '50' } }, call_, (data) => (Array.isArray(data) ? data : null));
        comment = toComment(recent.find((c: Json) => c?.url === url && c.orig === input.body && c.nick === json.nick && String(c.pid ?? '') === (pid ?? '')));
        if (!comment) throw error;
      }
      return { comment, editToken: token() };
    },

    vote: (_threadId, id, value, _voter, call_) =>
      value < 0
        ? Promise.reject(new ConfabError('http', 'Waline has likes only: there is no down-vote.', { status: 405, serverCode: 'unauthorized' }))
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
    adapter.edit = (_threadId, id, body, _token, call_) => call(commentPath(id), { method: 'put', json: { comment: body } }, call_, toComment);
    adapter.remove = (_threadId, id, _token, call_) =>
      call(commentPath(id), { method: 'delete' }, call_, () => deleted(id));
  }
  return adapter;
}
