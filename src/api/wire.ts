// The wire: what a backend hands over before the boundary validator (guardAdapter) has looked at
// it. The shapes are the protocol's (docs: PROTOCOL.md), the values anything at all: a server or
// a site's adapter may send a number for an id, a script for a URL or nothing for a name. Only
// guardAdapter turns these into the checked types of ../types.ts.
//
// Every field is `unknown` so that an adapter can pass on what its server sent without checking
// it first, and so that one written against the checked types (returning `Comment` objects)
// still fits.
import type { LiveEventType } from '../types';

/** One comment as sent: the protocol's Comment, fields unchecked. */
export interface WireComment {
  id?: unknown;
  parentId?: unknown;
  /** `{ name, url, avatarUrl, role, id, verified }`, each unchecked. */
  author?: unknown;
  body?: unknown;
  /** Rendered HTML from a backend that renders (shown only through the adapter's sanitizeHtml). */
  bodyHtml?: unknown;
  createdAt?: unknown;
  editedAt?: unknown;
  status?: unknown;
  score?: unknown;
  /** `true` when a moderator pinned it; anything else reads as not pinned. */
  pinned?: unknown;
}

/** A page of a thread as sent: `{ thread, comments, nextCursor }`. */
export interface WirePage {
  /** `{ id, title, url, commentCount, locked }`, each unchecked; the request's thread id without it. */
  thread?: unknown;
  /** Not a list: the whole answer is refused. Comments that cannot be shown are skipped. */
  comments: readonly WireComment[];
  nextCursor?: unknown;
  /** Comments the adapter already left out (added to the validator's own count). */
  skipped?: unknown;
}

/** The answer to a post: `{ comment, editToken }`. */
export interface WirePosted {
  comment?: WireComment | null;
  editToken?: unknown;
}

/** Counts by thread id: `{ [threadId]: number }`; anything but a whole number ≥ 0 is left out. */
export type WireCounts = Readonly<Record<string, unknown>>;

/** What a live connection hands over: the comments unchecked (malformed ones are dropped). */
export interface WireLiveHandlers {
  onOpen(): void;
  onEvent(type: LiveEventType, comment: unknown): void;
  onError(): void;
}
