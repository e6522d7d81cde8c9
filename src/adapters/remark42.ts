// Confab in front of a Remark42 server (https://remark42.com), through Remark42's own REST API
// under `<host>/api/v1/`: `GET find` (format=tree, paged by `limit` and `offset_id`), `POST
// comment`, `PUT comment/:id` (edit, and delete with `{ delete: true }`), `PUT vote/:id`, `POST
// counts`. Errors come as `{ error, details, code }` (Remark42's own codes, e.g. 8: read-only).
//
// Reading and counts are public. Everything else needs a Remark42 user: Remark42 has no guest
// posting, only its sign-in (social, email, or "anonymous" when AUTH_ANON is on). Confab sends
// no cookies, so the user's JWT travels in the `X-JWT` header: pass `token` (the reader's
// Remark42 JWT, from the site's own sign-in), or `anonymous: true` to sign guests in as Remark42
// anonymous users by the name they type (this reads the JWT from the `X-JWT` answer header, so it
// needs SEND_JWT_HEADER=true and Remark42 served from the page's own origin). Remark42 allows an
// author to edit or delete a comment within EDIT_TIME (5 minutes by default) and while it has no
// replies; votes need a signed-in (not anonymous, unless ANON_VOTE) user, one per comment.
// Remark42 renders Markdown to HTML (`text`): it becomes `bodyHtml`, the Markdown (`orig`) `body`.
// Double posts: Remark42 has no idempotency; the adapter never re-sends a post by itself.
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
  tokenReader,
  type AnswerParser,
  type ServerClientOptions,
} from './server-client';
import type { Adapter, CallOptions } from '../types';

export interface Remark42AdapterOptions extends ServerClientOptions {
  /** The Remark42 server, as in `remark_config.host`: `https://remark42.example.com`. */
  host: string;
  /** `remark_config.site_id` (default `remark`). */
  siteId?: string;
  /** The page URL Remark42 files a thread under; by default the thread id resolved against the page's address. */
  url?: (threadId: string) => string;
  /** The reader's Remark42 JWT, or a function that reads it: enables post, edit, delete and votes. */
  token?: string | (() => string | null | undefined);
  /** Sign guests in as Remark42 anonymous users (AUTH_ANON=true, SEND_JWT_HEADER=true, same origin). */
  anonymous?: boolean;
}

const SORTS = { oldest: '+time', newest: '-time', top: '-score' };

/**
 * One Remark42 comment in the protocol's shape, values as the server sent them (wire data: the
 * boundary validator keeps only what is safe), or null when it has no HTML text at all.
 */
function toComment(raw: unknown): WireComment | null {
  if (!isObject(raw) || typeof raw.text !== 'string') return null;
  return {
    id: raw.id,
    parentId: raw.pid,
    author: { name: raw.user?.name, url: null, avatarUrl: raw.user?.picture },
    body: raw.orig,
    bodyHtml: raw.text,
    createdAt: raw.time,
    editedAt: raw.edit?.time,
    status: raw.delete ? 'deleted' : 'published',
    score: raw.score,
  };
}

/** Errors come as `{ error, details, code }`; Remark42's code 8 is "old post, read-only": the thread is locked. */
async function refusal(response: Response): Promise<ConfabError> {
  const { status } = response;
  const body = await response.json().catch(() => null);
  const code = isObject(body) ? body.code : null;
  return new ConfabError('http', String(body?.details || body?.error || `Remark42 answered ${status}.`), {
    status,
    serverCode: code === 8 ? 'locked' : (CODES[status] ?? 'internal'),
  });
}

export function createRemark42Adapter(options: Remark42AdapterOptions): Adapter {
  const site = options.siteId ?? 'remark';
  const urlOf = options.url ?? ((threadId: string) => new URL(threadId, location.href).href);
  const given = tokenReader(options.token);
  // The reader's own votes (-1, 0, 1), as Remark42 reports them to a signed-in reader.
  const votes = new Map<string, number>();
  const send = createTransport({ ...options, prefixUrl: options.host.replace(/\/+$/, '') + '/', server: 'Remark42', refusal });
  const request = jsonCaller(send, 'Remark42');
  const withJwt = (init: Options, jwt: string | null) => ({ ...init, headers: jwt ? { 'X-JWT': jwt } : {} });

  /** A request with the reader's JWT (or `jwt`, for writing) in `X-JWT`. */
  const call = <T>(
    path: string,
    init: Options,
    call_: CallOptions | undefined,
    parse: AnswerParser<T>,
    jwt?: string | null,
  ): Promise<T> => request(path, withJwt(init, jwt ?? given()), call_, parse);

  const query = (threadId: string) => ({ site, url: urlOf(threadId) });
  const commentPath = (id: string) => `api/v1/comment/${encodeURIComponent(id)}`;

  /** A JWT for writing: the site's, or (anonymous) one Remark42 issues for the reader's name. */
  async function writeToken(name: string, call_?: CallOptions): Promise<string | null> {
    const jwt = given();
    if (jwt || !options.anonymous) return jwt;
    return send('auth/anonymous/login', withJwt({ searchParams: { user: name, aud: site } }, null), call_, async (response) =>
      response.headers.get('X-JWT'),
    );
  }

  const adapter: Adapter = {
    // The server sends rendered HTML: the sanitizer turns it into allowed elements.
    sanitizeHtml,
    list: (threadId, query_, call_) => {
      const searchParams: Record<string, string | number> = {
        ...query(threadId),
        sort: SORTS[query_.sort],
        format: 'tree',
        limit: query_.limit,
      };
      if (query_.cursor) searchParams.offset_id = query_.cursor;
      return call('api/v1/find', { searchParams }, call_, (json) => {
        if (!isObject(json) || !Array.isArray(json.comments)) return null;
        const info = isObject(json.info) ? json.info : {};
        const comments: WireComment[] = [];
        let seen = 0;
        // A loop rather than recursion: a long reply chain is deep JSON.
        const stack: unknown[] = [...json.comments].reverse();
        while (stack.length > 0) {
          const node = stack.pop();
          if (!isObject(node)) continue;
          seen++;
          const comment = toComment(node.comment);
          if (comment) {
            comments.push(comment);
            if (node.comment.vote) votes.set(String(comment.id), node.comment.vote);
          }
          if (Array.isArray(node.replies)) stack.push(...[...node.replies].reverse());
        }
        // (The validator checks the thread's fields too.)
        return {
          thread: { id: threadId, title: null, url: info.url, commentCount: info.count, locked: info.read_only },
          comments,
          nextCursor: info.count_left > 0 ? info.last_comment : null,
          skipped: seen - comments.length,
        };
      });
    },

    counts: (threadIds, call_) =>
      call(`api/v1/counts`, { method: 'post', searchParams: { site }, json: threadIds.map(urlOf) }, call_, (json) => {
        if (!Array.isArray(json)) return null;
        const byUrl = new Map(json.filter(isObject).map((info) => [info.url, info.count]));
        const counts: Record<string, number> = Object.create(null);
        for (const id of threadIds) {
          const count = byUrl.get(urlOf(id)) ?? 0;
          if (typeof count === 'number' && count >= 0) counts[id] = count;
        }
        return counts;
      }),
  };

  if (options.token || options.anonymous) {
    adapter.post = async (threadId, input, _key, call_) => {
      const jwt = await writeToken(input.author.name, call_);
      const json = {
        text: input.body,
        pid: input.parentId ?? '',
        locator: { site, url: urlOf(threadId) },
        title: input.page?.title ?? '',
      };
      const comment = await call('api/v1/comment', { method: 'post', json }, call_, toComment, jwt);
      // The JWT is what lets its author edit or delete it (within Remark42's EDIT_TIME).
      return { comment, editToken: jwt };
    };
    adapter.edit = (threadId, id, body, editToken, call_) =>
      call(
        commentPath(id),
        { method: 'put', searchParams: query(threadId), json: { text: body, summary: '' } },
        call_,
        toComment,
        given() ?? editToken,
      );
    // Remark42 answers with the comment, marked deleted.
    adapter.remove = (threadId, id, editToken, call_) =>
      call(
        commentPath(id),
        { method: 'put', searchParams: query(threadId), json: { delete: true } },
        call_,
        (json) => deletedAnswer(id, toComment(json)),
        given() ?? editToken,
      );
  }

  if (options.token) {
    adapter.vote = async (threadId, id, value, _voter, call_) => {
      // Each Remark42 vote moves the reader's vote one step (-1 → 0 → 1); a step back undoes.
      let score: number | undefined;
      for (let mine = votes.get(id) ?? 0; mine !== value; mine += Math.sign(value - mine)) {
        const step = Math.sign(value - mine);
        score = await call(
          `api/v1/vote/${encodeURIComponent(id)}`,
          { method: 'put', searchParams: { ...query(threadId), vote: step } },
          call_,
          (json) => (isObject(json) && typeof json.score === 'number' ? json.score : null),
        );
        votes.set(id, mine + step);
      }
      return (
        score ?? Promise.reject(new ConfabError('http', 'That vote is already counted.', { status: 400, serverCode: 'invalid' }))
      );
    };
  }
  return adapter;
}
