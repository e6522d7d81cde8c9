// What every import reader yields, in file order, whatever the format: the writer (import/writer.ts)
// turns these into threads and comments. Readers know their format; the writer knows Confab's
// tables, ids and rules (spam, deleted placeholders, missing parents, thread ids from URLs).

/** The formats `confab-server import --from` reads. */
export type ImportFormat = 'disqus' | 'wordpress' | 'commento' | 'remark42' | 'isso' | 'artalk' | 'waline' | 'confab';

/** One article's thread. Yielded before any of its comments. */
export interface ImportedThread {
  kind: 'thread';
  /** The source's own id, prefixed with the format ("disqus:123"); unique within a file. */
  key: string;
  /** The article's URL as the source has it (absolute, or a path); the writer derives the thread id. */
  url?: string;
  /** A thread id to use as is, for sources that already have Confab's (our own export). */
  id?: string;
  title?: string;
  locked?: boolean;
}

/** One comment, with its thread and parent by the source's keys. */
export interface ImportedComment {
  kind: 'comment';
  /** The source's own id, prefixed with the format ("disqus:456"); unique within a file. */
  key: string;
  /** The `key` of its thread, yielded earlier. */
  threadKey: string;
  /** The `key` of the comment it replies to; may come later in the file, or not at all. */
  parentKey?: string;
  author: {
    name: string;
    url?: string;
    /** Kept only as the keyed hash (comments.email_hash); never stored or subscribed. */
    email?: string;
  };
  /** Confab's text format (readers turn HTML into it with htmlToText). */
  body: string;
  createdAt: Date;
  editedAt?: Date;
  /** As the source says: the writer skips spam (unless --include-spam) and keeps deleted ones only with replies. */
  status: 'published' | 'pending' | 'deleted' | 'spam';
  /** Net votes, where the source counts them. */
  score?: number;
  pinned?: boolean;
}

/**
 * Something the reader skipped (`skipped: true`, e.g. a pingback) or kept after a repair (a bad
 * date replaced): the summary counts them by reason and shows the first examples.
 */
export interface ImportNote {
  kind: 'note';
  skipped: boolean;
  /** Short and plural-free, it follows a count: "pingbacks and trackbacks", "dates unreadable, the thread's used". */
  reason: string;
  /** Where: a key, a record number or line, and a few words of the text. */
  example: string;
}

export type ImportRecord = ImportedThread | ImportedComment | ImportNote;

/** A file that cannot be read as the format it was given as: the message says where. */
export class ImportFormatError extends Error {
  override name = 'ImportFormatError';
  constructor(
    message: string,
    /** "line 12, column 4" or "record 37": where the reader stopped. */
    readonly position?: string,
  ) {
    super(position ? `${message} (at ${position})` : message);
  }
}

export interface ReaderOptions {
  /** WordPress: keep pingbacks and trackbacks as comments. */
  withPingbacks?: boolean;
}

/** A reader: the records of one file, streamed where the format allows. */
export type ImportReader = (path: string, options: ReaderOptions) => AsyncIterable<ImportRecord>;
