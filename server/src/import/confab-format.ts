// Confab's own export (`confab-server export`), read back by `import --from confab`: gzipped
// JSON lines: a header, every thread, then every comment oldest first (so parents come before
// their replies). Rows are as stored, timestamps as ISO strings to the microsecond, so that a
// round trip is exact.
//
//   {"kind":"header","format":"confab","version":1,"exportedAt":"…","thread":null,"commenterKey":"…"}
//   {"kind":"thread","id":"/post","title":"…","url":"…","locked":false,"created_at":"…",…}
//   {"kind":"comment","id":"c_…","thread_id":"/post","parent_id":null,…,"votes":[["voter",1]],"reports":[]}
import type { ImportedComment, ImportedThread } from './records.js';

export const CONFAB_FORMAT = 'confab';
export const CONFAB_FORMAT_VERSION = 1;

export type ExportHeader = {
  kind: 'header';
  format: typeof CONFAB_FORMAT;
  version: typeof CONFAB_FORMAT_VERSION;
  exportedAt: string;
  /** The one thread exported (--thread), or null for all. */
  thread: string | null;
  /**
   * The installation's key of the commenter hashes (email_hash, client_hash, author_id): a
   * database restored from the export recognises the same commenters. As private as the database.
   */
  commenterKey: string | null;
};

/** The columns of `threads`, in the export's order (timestamps as text). */
export const THREAD_FIELDS = ['id', 'title', 'url', 'locked', 'created_at', 'last_comment_at', 'source'] as const;
/** The columns of `comments`, in the export's order (timestamps as text). */
export const COMMENT_FIELDS = [
  'id',
  'thread_id',
  'parent_id',
  'root_id',
  'author_name',
  'author_url',
  'avatar_url',
  'author_role',
  'author_id',
  'author_verified',
  'body',
  'status',
  'score',
  'pinned',
  'created_at',
  'edited_at',
  'email_hash',
  'client_hash',
  'body_hash',
  'token_hash',
  'hold_reason',
  'open_reports',
  'ever_published',
  'deleted_by',
  'source',
] as const;

export type StoredThread = {
  id: string;
  title: string | null;
  url: string | null;
  locked: boolean;
  created_at: string;
  last_comment_at: string | null;
  source: string | null;
};

export type StoredVote = [voter: string, value: -1 | 1];
export type StoredReport = {
  reporter: string;
  client_hash: string | null;
  reason: string;
  note: string;
  created_at: string;
  decided: boolean;
};

export type StoredComment = {
  id: string;
  thread_id: string;
  parent_id: string | null;
  root_id: string;
  author_name: string;
  author_url: string | null;
  avatar_url: string | null;
  author_role: string | null;
  author_id: string | null;
  author_verified: boolean;
  body: string;
  status: 'published' | 'pending' | 'deleted' | 'spam';
  score: number;
  pinned: boolean;
  created_at: string;
  edited_at: string | null;
  email_hash: string | null;
  client_hash: string | null;
  body_hash: string | null;
  token_hash: string | null;
  hold_reason: string | null;
  open_reports: number;
  ever_published: boolean;
  deleted_by: string | null;
  source: string | null;
  votes: StoredVote[];
  reports: StoredReport[];
};

export type ExportLine = ExportHeader | ({ kind: 'thread' } & StoredThread) | ({ kind: 'comment' } & StoredComment);

/** What the confab reader yields: the generic record, and the row exactly as it was stored. */
export type ExactThread = ImportedThread & { stored: StoredThread };
export type ExactComment = ImportedComment & { stored: StoredComment };

/** SQL for a timestamptz as the export writes it: UTC, to the microsecond. */
export const isoText = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
