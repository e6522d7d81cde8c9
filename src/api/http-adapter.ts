// The Confab protocol over HTTP, on the adapters' transport (../adapters/server-client.ts). It
// hands on what the server sent (wire data, ./wire.ts): guardAdapter checks it, as it checks every
// adapter's answers. Every failure becomes a ConfabError with a message a person can read. Never
// touches the DOM.
import {
  BIG_BODY,
  DEFAULT_TIMEOUT,
  createTransport,
  retryAfterSeconds,
  type ServerClientOptions,
  type Transport,
} from '../adapters/server-client';
import { yieldToBrowser } from '../scheduler';
import { ConfabError } from '../errors';
import type { CallOptions, FullAdapter, ListQuery, LiveEventType, NewComment, ReportInput, VoteValue } from '../types';
import { fromCommentServer } from './guard-adapter';
import { parseErrorBody } from './validate';
import type { WireComment, WireCounts, WireLiveHandlers, WirePage, WirePosted } from './wire';

export interface HttpAdapterOptions extends ServerClientOptions {
  /** Base URL of the protocol, such as `https://comments.example.com/api`. */
  endpoint: string;
  /**
   * Sign-in from the host site: resolves with what sends a request as the signed-in reader
   * (`Confab-User` on every request, one retry with a new token on `sso_expired`: withUser in
   * api/sign-in.ts, loaded only on pages with the `sso` option), or nothing (as a guest).
   */
  signedIn?: Promise<{ wrap: (send: Transport) => Transport } | void>;
  /**
   * The first page's JSON as the server already sent it (in its HTML: see ssr.tsx), asked for
   * when the first `list` runs: that `list` answers with it, checked like any answer, without a request.
   */
  firstPage?: () => string | undefined;
}

export { DEFAULT_TIMEOUT };

/** Who answers, in messages ("Could not reach the comment server."). */
const SERVER = 'the comment server';

const segment = (value: string) => encodeURIComponent(value);
const commentsPath = (threadId: string) => `threads/${segment(threadId)}/comments`;

function describeNonJson(text: string): string {
  if (text.trim() === '') return 'The comment server sent an empty answer.';
  if (/^\s*</.test(text)) return 'The comment server sent a web page instead of data (is the endpoint right?).';
  return 'The comment server sent an answer that is not JSON.';
}

/**
 * The answer's JSON. `whenEmpty` stands for a 2xx without a body where one means something (a
 * thread read: no comments yet); elsewhere an empty answer is one we cannot use. `T` is the wire
 * shape the caller expects: a type only, guardAdapter checks the value as `unknown`.
 */
export async function readJson<T = unknown>(response: Response, whenEmpty?: T): Promise<T> {
  const text = await response.text();
  // (Only 2xx answers get here: ky turns the others into an HTTPError.)
  if (whenEmpty && !text.trim()) return whenEmpty;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new ConfabError('invalid-response', describeNonJson(text), { status: response.status, cause });
  }
  // Parsing megabytes and then checking thousands of comments would be one long task.
  if (text.length > BIG_BODY) await yieldToBrowser();
  return json as T;
}

/** A non-2xx answer: the protocol's `{ error: { code, message, fields } }`, or its status alone. */
export async function protocolRefusal(response: Response): Promise<ConfabError> {
  // An HTML error page or an empty body (no JSON): the status alone has to speak.
  const parsed = parseErrorBody(await readJson(response).catch(() => null));
  const status = response.status;
  const message = parsed.message ?? `The comment server answered with status ${status}.`;
  return new ConfabError('http', message, {
    status,
    serverCode: parsed.code ?? undefined,
    fields: parsed.fields,
    retryAfter: retryAfterSeconds(response),
  });
}

const LIVE_EVENTS: LiveEventType[] = ['comment.created', 'comment.updated', 'comment.deleted'];

/** One Server-Sent Events connection; events that are not JSON are dropped here, the rest checked by guardAdapter. */
function subscribe(url: string, handlers: WireLiveHandlers): () => void {
  if (typeof EventSource === 'undefined') {
    handlers.onError();
    return () => {};
  }
  const source = new EventSource(url);
  source.onopen = () => handlers.onOpen();
  // EventSource would retry on its own schedule; the widget wants its own backoff and catch-up.
  source.onerror = () => {
    source.close();
    handlers.onError();
  };
  for (const type of LIVE_EVENTS) {
    source.addEventListener(type, (event) => {
      let comment: unknown;
      try {
        comment = JSON.parse((event as MessageEvent<string>).data);
      } catch {
        return; // Not JSON: nothing to show.
      }
      handlers.onEvent(type, comment);
    });
  }
  return () => source.close();
}

/** The protocol wraps some answers (`{ comment }`, `{ score }`, `{ counts }`): the value inside. */
const field =
  <T>(name: 'comment' | 'score' | 'counts' | 'user') =>
  async (response: Response) =>
    // (Any JSON value reads as undefined here unless it is an object with that field.)
    (await readJson<Record<string, T> | null>(response))?.[name] as T;

export function createHttpAdapter(options: HttpAdapterOptions): FullAdapter {
  const prefixUrl = options.endpoint.replace(/\/+$/, '') + '/';
  const transport = createTransport({ ...options, prefixUrl, server: SERVER, refusal: protocolRefusal });
  const { signedIn } = options;
  // Signed in: every request waits for the sign-in code, which adds the header.
  const send: Transport = signedIn ? async (...args) => ((await signedIn)?.wrap(transport) ?? transport)(...args) : transport;
  // (A signed-in reader's own comment goes with an empty token: withUser drops the header.)
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  const commentPath = (threadId: string, id: string) => `${commentsPath(threadId)}/${segment(id)}`;
  let { firstPage } = options;

  // The server's answers as they came: guardAdapter checks them, and names the comment server.
  return fromCommentServer({
    list: (threadId: string, query: ListQuery, call?: CallOptions) => {
      const given = firstPage?.();
      firstPage = undefined; // once: a Retry or a new sort asks the server
      // (Unreadable, it is an invalid answer: the reader sees why, and Retry asks the server.)
      if (given !== undefined) return Promise.resolve(given).then((text) => JSON.parse(text) as WirePage);
      const searchParams: Record<string, string | number> = { sort: query.sort, limit: query.limit };
      if (query.cursor) searchParams.cursor = query.cursor;
      // A read answered without a body (204 No Content) is a thread without comments yet.
      return send(commentsPath(threadId), { searchParams }, call, (response) => readJson<WirePage>(response, { comments: [] }));
    },
    post: (threadId: string, input: NewComment, idempotencyKey: string, call?: CallOptions) =>
      send(
        commentsPath(threadId),
        { method: 'post', json: input, headers: { 'Idempotency-Key': idempotencyKey } },
        call,
        readJson<WirePosted>,
      ),
    edit: (threadId: string, id: string, body: string, token: string, call?: CallOptions) =>
      send(
        commentPath(threadId, id),
        { method: 'patch', json: { body }, headers: bearer(token) },
        call,
        field<WireComment>('comment'),
      ),
    // The protocol answers a delete with the comment as it now is (status `deleted`).
    remove: (threadId: string, id: string, token: string, call?: CallOptions) =>
      send(commentPath(threadId, id), { method: 'delete', headers: bearer(token) }, call, field<WireComment>('comment')),
    vote: (threadId: string, id: string, value: VoteValue, voterId: string, call?: CallOptions) =>
      send(
        `${commentPath(threadId, id)}/votes`,
        { method: 'post', json: { value }, headers: { 'X-Voter': voterId } },
        call,
        field<unknown>('score'),
      ),
    // 201 the first time, 200 when this reader had reported it already: both are done.
    report: (threadId: string, id: string, input: ReportInput, voterId: string, call?: CallOptions) =>
      send(
        `${commentPath(threadId, id)}/reports`,
        { method: 'post', json: input, headers: { 'X-Voter': voterId } },
        call,
        readJson,
      ),
    subscribe: (threadId: string, handlers: WireLiveHandlers) =>
      subscribe(`${prefixUrl}threads/${segment(threadId)}/events`, handlers),
    counts: (threadIds: string[], call?: CallOptions) =>
      send('counts', { searchParams: threadIds.map((id) => ['thread', id]) }, call, field<WireCounts>('counts')),
    // Who the token signs in (`{ user: null }` without one).
    user: (call?: CallOptions) => send('user', {}, call, field<unknown>('user')),
  });
}
