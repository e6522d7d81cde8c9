// Confab in front of an Isso server (https://isso-comments.de), through Isso's own API at its
// endpoint (what `data-isso` points to): `GET /?uri=` (top-level comments paged by `limit` and
// `offset`, each with its replies), `POST /new`, `PUT`/`DELETE /id/:id`, `POST /id/:id/like` and
// `/dislike`, `POST /count`. Errors are Werkzeug pages (HTML) with a status.
//
// Guests read, post, reply and vote (Isso counts one like or dislike per address and cannot take
// it back). Isso has no accounts: an author may edit or delete a comment for 15 minutes (its
// `max-age`), proven by a signed cookie Isso sets on its own domain. Confab sends no cookies, so
// edit and delete exist only with `cookies: true`, which sends requests with credentials (the
// browser then keeps Isso's cookie; third-party cookie blocking stops it when Isso runs on
// another site than the page). Isso renders Markdown to HTML: that HTML becomes `bodyHtml`, and
// its text (Isso's list has no source) the editable `body`.
// Double posts: Isso has no idempotency; the adapter never re-sends a post by itself.
import { ConfabError } from '../errors';
import { sanitizeHtml } from '../format/sanitize-html';
import type { WireComment } from '../api/wire';
import { CODES, createTransport, deletedAnswer, isObject, jsonCaller, type ServerClientOptions } from './server-client';
import type { Adapter, CommentStatus } from '../types';

export interface IssoAdapterOptions extends ServerClientOptions {
  /** Isso's endpoint, as in `data-isso`: `https://comments.example.com/isso/`. */
  url: string;
  /** Isso's thread URI for a Confab thread; by default the thread id (Isso's default is the page's path). */
  uri?: (threadId: string) => string;
  /** Send Isso's per-comment cookie (credentials), for edit and delete within Isso's max-age. */
  cookies?: boolean;
}

const SORTS = { oldest: 'oldest', newest: 'newest', top: 'upvotes' };
const STATUS: Record<number, CommentStatus> = { 2: 'pending', 4: 'deleted' };

/** The text of Isso's HTML, paragraphs apart: only the starting text of an edit box. */
function textOf(html: string): string {
  const doc = new DOMParser().parseFromString(
    html.replace(/<br\s*\/?>/gi, '\n').replace(/<\/(p|pre|blockquote|li)>/gi, '$&\n\n'),
    'text/html',
  );
  return (doc.body.textContent ?? '').replace(/\n{3,}/g, '\n\n').trim();
}

/**
 * One Isso comment in the protocol's shape, values as the server sent them (wire data: the
 * boundary validator keeps only what is safe); `source` is the text it was written as, when we
 * know it.
 */
function toComment(raw: unknown, source?: string): WireComment | null {
  if (!isObject(raw) || typeof raw.text !== 'string') return null;
  return {
    id: raw.id,
    parentId: raw.parent,
    author: { name: raw.author, url: raw.website, avatarUrl: raw.gravatar_image },
    body: source ?? textOf(raw.text),
    bodyHtml: raw.text,
    // Unix seconds (with a fraction) on Isso's clock.
    createdAt: Math.floor(raw.created * 1000),
    editedAt: raw.modified ? Math.floor(raw.modified * 1000) : null,
    status: STATUS[raw.mode] ?? 'published',
    score: (raw.likes ?? 0) - (raw.dislikes ?? 0),
  };
}

/** Errors are Werkzeug pages (HTML) with a status. */
async function refusal(response: Response): Promise<ConfabError> {
  const { status } = response;
  // Isso's guard (rate limit, too many direct replies) answers 403 with its reason.
  const limited = status === 403 && /limit/i.test(await response.text().catch(() => ''));
  return new ConfabError('http', `Isso answered ${status}.`, {
    status,
    serverCode: limited ? 'rate_limited' : (CODES[status] ?? 'internal'),
  });
}

export function createIssoAdapter(options: IssoAdapterOptions): Adapter {
  const uriOf = options.uri ?? String;
  const credentials = options.cookies ? 'include' : 'omit';
  const send = createTransport({
    ...options,
    prefixUrl: options.url.replace(/\/+$/, '') + '/',
    server: 'Isso',
    refusal,
    credentials,
  });
  const call = jsonCaller(send, 'Isso');

  const commentPath = (id: string) => `id/${encodeURIComponent(id)}`;

  const adapter: Adapter = {
    // The server sends rendered HTML: the sanitizer turns it into allowed elements.
    sanitizeHtml,
    list: (threadId, query, call_) => {
      const offset = Math.max(0, Number(query.cursor) || 0);
      const searchParams = { uri: uriOf(threadId), sort: SORTS[query.sort], limit: query.limit, offset };
      return call('', { searchParams }, call_, (json) => {
        if (!isObject(json) || !Array.isArray(json.replies)) return null;
        // Isso nests one level: every reply hangs under its top-level comment.
        const raws: unknown[] = json.replies.flatMap((root: unknown) => [
          root,
          ...(isObject(root) && Array.isArray(root.replies) ? root.replies : []),
        ]);
        const comments = raws.map((raw) => toComment(raw)).filter((c): c is WireComment => c !== null);
        return {
          thread: { id: threadId, title: null, url: null, commentCount: json.total_replies, locked: false },
          comments,
          nextCursor: json.hidden_replies > 0 ? String(offset + json.replies.length) : null,
          skipped: raws.length - comments.length,
        };
      });
    },

    post: (threadId, input, _key, call_) => {
      const { name, email, url } = input.author;
      const json = {
        text: input.body,
        author: name || null,
        email: email || null,
        website: url || null,
        parent: input.parentId ? Number(input.parentId) : null,
        title: input.page?.title,
      };
      return call('new', { method: 'post', searchParams: { uri: uriOf(threadId) }, json }, call_, (raw, response) => {
        const comment = toComment(raw, input.body);
        // With cookies, Isso's signed cookie is the author's proof; it shows in X-Set-Cookie.
        return comment && { comment, editToken: options.cookies ? response.headers.get('X-Set-Cookie') || 'cookie' : null };
      });
    },

    vote: (_threadId, id, value, _voter, call_) =>
      value === 0
        ? Promise.reject(new ConfabError('http', 'Isso cannot take a vote back.', { status: 405, serverCode: 'unauthorized' }))
        : call(`${commentPath(id)}/${value > 0 ? 'like' : 'dislike'}`, { method: 'post', json: {} }, call_, (json) => {
            if (!isObject(json)) return null;
            // Isso answers the old counts and a message when it ignores a vote (own comment, twice).
            if (json.message) throw new ConfabError('http', String(json.message), { status: 403, serverCode: 'unauthorized' });
            const score = (json.likes ?? 0) - (json.dislikes ?? 0);
            return Number.isFinite(score) ? score : null;
          }),

    counts: (threadIds, call_) =>
      call('count', { method: 'post', json: threadIds.map(uriOf) }, call_, (json) => {
        if (!Array.isArray(json)) return null;
        const counts: Record<string, number> = Object.create(null);
        threadIds.forEach((id, index) => {
          if (typeof json[index] === 'number' && json[index] >= 0) counts[id] = json[index];
        });
        return counts;
      }),
  };

  if (options.cookies) {
    adapter.edit = (_threadId, id, body, _token, call_) =>
      call(commentPath(id), { method: 'put', json: { text: body } }, call_, (raw) => toComment(raw, body));
    // Isso answers null once the comment is gone, or the comment emptied while replies still refer to it.
    adapter.remove = (_threadId, id, _token, call_) =>
      call(commentPath(id), { method: 'delete' }, call_, (raw) => deletedAnswer(id, toComment(raw)));
  }
  return adapter;
}
