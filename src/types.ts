// Public data types: what the store and the components see after the boundary validator, and
// the Adapter a backend implements (its answers are wire data: ./api/wire.ts).
import type { WireComment, WireCounts, WireLiveHandlers, WirePage, WirePosted } from './api/wire';

/** Tags of an HTML body that the sanitizer keeps (it builds these, never parses them back). */
export type HtmlTag =
  'p' | 'br' | 'a' | 'strong' | 'em' | 'code' | 'pre' | 'blockquote' | 'ul' | 'ol' | 'li' | 'del' | 'sup' | 'sub';

export interface HtmlElementNode {
  tag: HtmlTag;
  /** Only on `a`: an absolute http(s) URL. The UI adds rel and target itself. */
  href?: string;
  children: HtmlNode[];
}

/** A text (shown as text, whatever it holds) or an allowed element. */
export type HtmlNode = string | HtmlElementNode;

export type CommentStatus = 'published' | 'pending' | 'deleted';
export type SortOrder = 'oldest' | 'newest' | 'top';
export type VoteValue = 1 | 0 | -1;
export type ReportReason = 'spam' | 'abuse' | 'off-topic' | 'other';

/** A reader's report of a comment to the site's moderators. */
export interface ReportInput {
  reason: ReportReason;
  /** Optional words for the moderators, up to 500 characters. */
  note?: string;
}

export interface Author {
  name: string;
  /** Only ever an http(s) URL: anything else is dropped at the boundary. */
  url: string | null;
  avatarUrl: string | null;
  /** Set only for a moderator's comment (`role: "moderator"` on the wire; other roles are dropped). */
  role?: 'moderator';
  /** Opaque and stable per user: set only on a comment by a reader signed in on the host site. */
  id?: string;
  /** Set (true) only on a comment by a reader signed in on the host site. */
  verified?: true;
}

/** The reader signed in on the host site, as the server knows them (`GET /user`). */
export interface SignedInUser {
  id: string;
  name: string;
  url: string | null;
  avatarUrl: string | null;
  role?: 'moderator';
}

/** A moderator's actions from the widget (api/moderation.ts): each resolves with the server's copy. */
export interface ModerationClient {
  /** The thread's comments held for approval (newest first, up to 100). */
  held(): Promise<Comment[]>;
  act(id: string, action: 'approve' | 'pin' | 'unpin' | 'delete'): Promise<Comment | null>;
  /** Locks or unlocks the thread; resolves with whether it is locked now. */
  setLocked(locked: boolean): Promise<boolean>;
}

/**
 * Sign-in from the host site as the widget shows it (the sign-in part's, ui/SignIn.ts): `W` is
 * the widget's context, `N` a comment's node.
 */
export interface SignedIn<W = never, N = never> {
  /** Who is signed in; null: no one. */
  user: SignedInUser | null;
  /**
   * For the reply form under `parentId` (null: the thread's): a view in place of the whole form
   * ("Sign in to comment" where the server takes no guests), or one in place of the name and
   * email fields (the signed-in reader's name and Sign out). Empty: the guest's form.
   */
  form(widget: W, parentId: string | null): [instead?: unknown, identity?: unknown];
  /** A comment's extra actions: a moderator's Approve, Pin and Delete. */
  tools?(widget: W, node: N): unknown;
}

/** What the server offers (`thread.features`; the widget reads these two); missing means true. */
export interface ThreadFeatures {
  /** False: only readers signed in on the host site may post (GUESTS=off). */
  guests: boolean;
  /**
   * True: the server emails a reader when someone replies, if they ask ("Email me when someone
   * replies", which is when the form asks for an email). False: it sends no email, and the form
   * asks for none. Unset (a backend that does not say): the email field as always.
   */
  notify?: boolean;
  /** False: the server takes no reports, so Report is not offered. */
  reports: boolean;
}

export interface Comment {
  id: string;
  parentId: string | null;
  author: Author;
  body: string;
  /**
   * The body as HTML, from a backend that renders it itself (the Remark42, Isso, Artalk and
   * Waline adapters). When set the widget shows this instead of formatting `body`, and only
   * through sanitizeHtml (an allowlist that builds elements); `body` is then the source text an
   * edit starts from.
   */
  bodyHtml?: string;
  /** Milliseconds since the epoch, or null when the backend sent a date that does not parse. */
  createdAt: number | null;
  editedAt: number | null;
  status: CommentStatus;
  score: number;
  /** Set (true) only when a moderator pinned it: pinned top-level comments lead their thread. */
  pinned?: boolean;
}

export interface ThreadInfo {
  id: string;
  title: string | null;
  url: string | null;
  commentCount: number;
  locked: boolean;
  features: ThreadFeatures;
}

export interface CommentPage {
  thread: ThreadInfo;
  comments: Comment[];
  nextCursor: string | null;
  /** How many comments of this page were malformed and left out. */
  skipped: number;
}

export interface NewComment {
  parentId: string | null;
  author: { name: string; email?: string; url?: string };
  body: string;
  page?: { title?: string; url?: string };
  /**
   * Milliseconds from the form's first focus to sending (a bot defence: the server may hold a
   * comment written in a few seconds). Absent when the form was never focused, as in a custom
   * UI. The Confab protocol client sends it; the other servers' adapters leave it out.
   */
  composeMs?: number;
  /** Email the author when someone replies (the server confirms the address first), in `locale`. */
  notify?: true;
  locale?: string;
  /**
   * The form's honeypot field as the page had it: sent only when something filled it, which
   * people never do (it is hidden from them); the Confab server refuses such a post.
   */
  website?: string;
}

export interface PostedComment {
  comment: Comment;
  editToken: string | null;
}

export interface ListQuery {
  sort: SortOrder;
  limit: number;
  cursor: string | null;
}

/** Per-call options; `signal` lets the widget cancel requests when it unmounts. */
export interface CallOptions {
  signal?: AbortSignal;
}

/**
 * The operations the widget needs from a backend, at the wire: what they resolve with is checked
 * by the boundary validator (guardAdapter) before the widget uses it, so an adapter may pass on
 * what its server sent (the types of ./api/wire.ts; the checked types fit them too).
 * The bundled HTTP client implements the Confab protocol; a site with another backend passes its
 * own object of this shape. Only `list` is required: without `post` the thread is read-only and
 * its forms are hidden, without `vote` there are no vote buttons, without `edit`/`remove` no
 * Edit/Delete. Every function rejects with a ConfabError (anything else is wrapped into one).
 */
export interface Adapter {
  list(threadId: string, query: ListQuery, options?: CallOptions): Promise<WirePage>;
  post?(threadId: string, input: NewComment, idempotencyKey: string, options?: CallOptions): Promise<WirePosted>;
  edit?(threadId: string, id: string, body: string, editToken: string, options?: CallOptions): Promise<WireComment>;
  /** Resolves with the deleted comment as the server answered it (its id at least). */
  remove?(threadId: string, id: string, editToken: string, options?: CallOptions): Promise<WireComment>;
  /** Resolves with the comment's new score. */
  vote?(threadId: string, id: string, value: VoteValue, voterId: string, options?: CallOptions): Promise<unknown>;
  /**
   * Reports a comment to the moderators as the reader `voterId` (the id votes use), once per
   * reader: reporting again changes nothing. Without it there is no Report button.
   */
  report?(threadId: string, id: string, input: ReportInput, voterId: string, options?: CallOptions): Promise<unknown>;
  /** Published comment counts for several threads at once (for `[data-confab-count]`). */
  counts?(threadIds: string[], options?: CallOptions): Promise<WireCounts>;
  /**
   * For servers that send `bodyHtml`: turns it into allowed elements (the bundled server adapters
   * pass our allowlist sanitizer, src/format/sanitize-html.ts, which is not a public module; a
   * site's own adapter brings its own, and what it returns is checked again where it is
   * rendered). Without it `bodyHtml` is ignored and `body` shown as text, so the script-tag
   * bundle of our own protocol carries no HTML code.
   */
  sanitizeHtml?(html: string): HtmlNode[];
  /**
   * Opens one live connection for the thread and returns a function that closes it. It does
   * not reconnect by itself: after `onError` the widget closes it, waits, and subscribes again.
   */
  subscribe?(threadId: string, handlers: WireLiveHandlers): () => void;
  /** The reader signed in on the host site (`{ id, name, url, avatarUrl, role }`), or null. */
  user?(options?: CallOptions): Promise<unknown>;
}

export type LiveEventType = 'comment.created' | 'comment.updated' | 'comment.deleted';

/** Live handlers after the boundary: only comments that passed the validator arrive. */
export interface LiveHandlers {
  onOpen(): void;
  onEvent(type: LiveEventType, comment: Comment): void;
  onError(): void;
}

/**
 * An adapter whose answers went through the boundary validator: what guardAdapter returns and
 * the store works with. Same operations as Adapter, every answer checked.
 */
export interface ValidatedAdapter {
  list(threadId: string, query: ListQuery, options?: CallOptions): Promise<CommentPage>;
  post?(threadId: string, input: NewComment, idempotencyKey: string, options?: CallOptions): Promise<PostedComment>;
  edit?(threadId: string, id: string, body: string, editToken: string, options?: CallOptions): Promise<Comment>;
  remove?(threadId: string, id: string, editToken: string, options?: CallOptions): Promise<Comment>;
  vote?(threadId: string, id: string, value: VoteValue, voterId: string, options?: CallOptions): Promise<number>;
  report?(threadId: string, id: string, input: ReportInput, voterId: string, options?: CallOptions): Promise<void>;
  counts?(threadIds: string[], options?: CallOptions): Promise<Record<string, number>>;
  sanitizeHtml?(html: string): HtmlNode[];
  subscribe?(threadId: string, handlers: LiveHandlers): () => void;
  user?(options?: CallOptions): Promise<SignedInUser | null>;
}

/** An Adapter with every operation of the protocol: what createHttpAdapter returns. */
export type FullAdapter = Required<Omit<Adapter, 'sanitizeHtml'>>;

/** A ValidatedAdapter with every operation of the protocol: the HTTP client through guardAdapter. */
export type FullValidatedAdapter = Required<Omit<ValidatedAdapter, 'sanitizeHtml'>>;
