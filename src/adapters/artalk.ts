// Confab in front of an Artalk server (https://artalk.js.org, 2.10 or later), through Artalk's own
// API under `<server>/api/v2/`: `GET comments` (top-level comments paged by `limit` and `offset`,
// each with all its replies), `POST comments`, `POST votes/comment/:id/up|down`,
// `GET stats/page_comment`. Errors come as `{ msg, … }` with a status and flags such as
// `need_captcha` or `need_login`.
//
// Guests read, post (Artalk requires a name and an email), reply and vote (one vote per address;
// the same vote again takes it back). Artalk lets only its administrators edit or delete, so the
// adapter has neither. A signed-in Artalk user's token (`token`) is sent as
// `Authorization: Bearer …`. Artalk asks for a captcha after a few actions in a short time
// (its `captcha.action_limit`); Confab cannot show it, so such a post fails as rate-limited.
// Artalk renders Markdown to HTML (`content_marked`): it becomes `bodyHtml`, the Markdown `body`.
// Avatars: Artalk sends only a hash of the email (its client builds a Gravatar address from it);
// the adapter shows none unless the site passes `avatar` (no third-party requests by default).
// Double posts: Artalk has no idempotency; the adapter never re-sends a post by itself.
import type { Options } from 'ky';
import { ConfabError } from '../errors';
import { sanitizeHtml } from '../format/sanitize-html';
import type { WireComment } from '../api/wire';
import {
  CODES,
  createTransport,
  isObject,
  jsonCaller,
  tokenReader,
  type AnswerParser,
  type Json,
  type ServerClientOptions,
} from './server-client';
import type { Adapter, CallOptions } from '../types';

export interface ArtalkAdapterOptions extends ServerClientOptions {
  /** The Artalk server, as in Artalk's `server` option: `https://artalk.example.com`. */
  server: string;
  /** The site name in Artalk (its `site` option), such as `Default Site`. */
  site: string;
  /** Artalk's page key for a Confab thread; by default the thread id (Artalk's default is the page's path). */
  pageKey?: (threadId: string) => string;
  /** A signed-in Artalk user's token, or a function that reads it. */
  token?: string | (() => string | null | undefined);
  /** The avatar address for an email hash, such as `(hash) => \`https://avatars.example/${hash}\``. */
  avatar?: (emailHash: string) => string | null;
  /**
   * The server's UTC offset, such as `+08:00`: Artalk sends times without one, in its own time
   * zone. Unset, they are read in the reader's time zone, as Artalk's own client reads them.
   */
  utcOffset?: string;
}

const SORTS = { oldest: 'date_asc', newest: 'date_desc', top: 'vote' };

/** Errors come as `{ msg, … }` with a status and flags such as `need_captcha`. */
async function refusal(response: Response): Promise<ConfabError> {
  const { status } = response;
  const body: Json = (await response.json().catch(() => null)) ?? {};
  const message = String(body.msg || `Artalk answered ${status}.`);
  return new ConfabError('http', message, {
    status,
    // A captcha Confab cannot show: the reader has to wait, as after a rate limit.
    serverCode: body.need_captcha ? 'rate_limited' : (CODES[status] ?? 'internal'),
    // Artalk checks the email (it requires one) and the link: say which field.
    fields: status === 400 && /email|link/i.test(message) ? { [/email/i.test(message) ? 'email' : 'url']: message } : {},
  });
}

export function createArtalkAdapter(options: ArtalkAdapterOptions): Adapter {
  const keyOf = options.pageKey ?? String;
  const site_name = options.site;
  const token = tokenReader(options.token);
  const send = createTransport({
    ...options,
    prefixUrl: options.server.replace(/\/+$/, '') + '/api/v2/',
    server: 'Artalk',
    refusal,
  });
  const request = jsonCaller(send, 'Artalk');

  /** A request with the signed-in user's token, when there is one. */
  const call = <T>(path: string, init: Options, call_: CallOptions | undefined, parse: AnswerParser<T>): Promise<T> => {
    const value = token();
    return request(path, { ...init, headers: value ? { Authorization: `Bearer ${value}` } : {} }, call_, parse);
  };

  /**
   * One Artalk comment in the protocol's shape, values as the server sent them (wire data: the
   * boundary validator keeps only what is safe), or null when it has no HTML text at all.
   */
  function toComment(raw: unknown): WireComment | null {
    if (!isObject(raw) || typeof raw.content_marked !== 'string') return null;
    const hash = raw.email_encrypted;
    return {
      id: raw.id,
      parentId: raw.rid || null,
      author: { name: raw.nick, url: raw.link, avatarUrl: hash && options.avatar?.(String(hash)) },
      body: raw.content,
      bodyHtml: raw.content_marked,
      // "2024-05-01 12:00:00", in the server's time zone.
      createdAt: Date.parse(String(raw.date).replace(' ', 'T') + (options.utcOffset ?? '')),
      editedAt: null,
      status: raw.is_pending ? 'pending' : 'published',
      score: (raw.vote_up ?? 0) - (raw.vote_down ?? 0),
    };
  }

  const votePath = (id: string, choice = '') => `votes/comment/${encodeURIComponent(id)}${choice}`;
  const voteState = (json: unknown) =>
    isObject(json) && Number.isFinite(json.up - json.down)
      ? (json as { up: number; down: number; is_up: boolean; is_down: boolean })
      : null;

  return {
    // Artalk renders Markdown to HTML itself: the sanitizer turns it into allowed elements.
    sanitizeHtml,
    list: (threadId, query, call_) => {
      const offset = Math.max(0, Number(query.cursor) || 0);
      const searchParams = { page_key: keyOf(threadId), site_name, limit: query.limit, offset, sort_by: SORTS[query.sort] };
      return call('comments', { searchParams }, call_, (json) => {
        if (!isObject(json) || !Array.isArray(json.comments)) return null;
        const page = isObject(json.page) ? json.page : {};
        const comments = json.comments.map(toComment).filter((c: WireComment | null): c is WireComment => c !== null);
        return {
          // A page for administrators only takes no comments from readers.
          thread: { id: threadId, title: page.title, url: page.url, commentCount: json.count, locked: page.admin_only },
          comments,
          nextCursor: offset + query.limit < Number(json.roots_count) ? String(offset + query.limit) : null,
          skipped: json.comments.length - comments.length,
        };
      });
    },

    post: async (threadId, input, _key, call_) => {
      const json = {
        name: input.author.name,
        email: input.author.email ?? '',
        link: input.author.url ?? '',
        content: input.body,
        rid: Number(input.parentId) || 0,
        page_key: keyOf(threadId),
        page_title: input.page?.title ?? '',
        site_name,
      };
      return { comment: await call('comments', { method: 'post', json }, call_, toComment), editToken: null };
    },

    vote: async (_threadId, id, value, _voter, call_) => {
      // Artalk toggles: the same choice again takes a vote back, the other one replaces it.
      let state = value ? null : await call(votePath(id), {}, call_, voteState);
      const choice = value > 0 ? 'up' : value < 0 ? 'down' : state!.is_up ? 'up' : state!.is_down ? 'down' : '';
      for (let i = 0; choice && i < 2; i++) {
        state = await call(votePath(id, `/${choice}`), { method: 'post', json: {} }, call_, voteState);
        if (value === 0 || (value > 0 ? state.is_up : state.is_down)) break;
      }
      return state!.up - state!.down;
    },

    counts: (threadIds, call_) =>
      call('stats/page_comment', { searchParams: { site_name, page_keys: threadIds.map(keyOf).join(',') } }, call_, (json) => {
        const data = isObject(json) && isObject(json.data) ? json.data : null;
        const counts: Record<string, number> = Object.create(null);
        for (const id of threadIds) {
          const count = data?.[keyOf(id)];
          if (typeof count === 'number' && count >= 0) counts[id] = count;
        }
        return data && counts;
      }),
  };
}
