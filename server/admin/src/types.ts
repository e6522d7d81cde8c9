// The moderation API's values as the dashboard uses them (docs/admin-api.md). Only decode.ts
// makes them, from the server's JSON; everything else trusts these types.

export type CommentStatus = 'published' | 'pending' | 'spam' | 'deleted';
export type CommentAction = 'approve' | 'spam' | 'delete' | 'restore' | 'pin' | 'unpin';
export type BulkAction = 'approve' | 'spam' | 'delete';
export type View = 'pending' | 'reported' | 'spam' | 'all';
export type BanKind = 'email' | 'client';

export type Actor =
  | { kind: 'moderator'; id: string; email: string; name: string | null }
  | { kind: 'token' }
  | { kind: 'cli' }
  /** A moderator signed in on the host site, acting from the widget (id: their author id). */
  | { kind: 'sso'; id: string; name: string };

export interface AdminComment {
  id: string;
  threadId: string;
  thread: { title: string | null; url: string | null };
  parentId: string | null;
  author: { name: string; url: string | null; avatarUrl: string | null; role: 'moderator' | null };
  body: string;
  createdAt: string;
  editedAt: string | null;
  status: CommentStatus;
  pinned: boolean;
  score: number;
  reports: { count: number; reasons: Record<string, number>; notes: string[] };
  /** Why a pending or spam comment was held; a reason this dashboard does not know stays as sent. */
  holdReason: string | null;
  hasEmail: boolean;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface Counts {
  pending: number;
  reported: number;
  spam: number;
}

export interface AdminThread {
  id: string;
  title: string | null;
  url: string | null;
  locked: boolean;
  commentCount: number;
  pendingCount: number;
  lastCommentAt: string | null;
}

export interface Ban {
  id: string;
  kinds: BanKind[];
  authorName: string | null;
  note: string | null;
  createdAt: string;
  expiresAt: string | null;
  createdBy: Actor | null;
}

export interface Moderator {
  id: string;
  email: string;
  name: string | null;
  createdAt: string;
  lastSignInAt: string | null;
  invited: boolean;
  /** Their emails about held and reported comments. */
  alerts: AlertChoice;
}

export const ALERT_CHOICES = ['immediate', 'digest', 'off'] as const;
export type AlertChoice = (typeof ALERT_CHOICES)[number];

export interface AuditEntry {
  id: string;
  at: string;
  /** null: done by a rule (three reports hold a comment), not a person. */
  actor: Actor | null;
  action: string;
  threadId: string | null;
  commentId: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

export interface CommentFilters {
  q: string;
  author: string;
  email: string;
  thread: string;
}

export const EMPTY_FILTERS: CommentFilters = { q: '', author: '', email: '', thread: '' };
