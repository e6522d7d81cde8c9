// In-memory comment store with the protocol's rules, optionally kept in a JSON file.
//
//   const store = createStore({ threads: [{ thread, comments }], dataFile: 'demo/.data/store.json' });
//   const { comment, editToken } = store.post('t1', { body: 'Hi' }, idempotencyKey);
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { invalid, locked, notFound, unauthorized } from './errors.mjs';
import {
  LIMITS,
  readEditBody,
  readId,
  readListOptions,
  readNewComment,
  readThreadId,
  readVote,
} from './validate.mjs';

/** @typedef {import('./validate.mjs').Sort} Sort */
/** @typedef {{ name: string, url: string | null, avatarUrl: string | null }} Author */
/**
 * @typedef {{ id: string, parentId: string | null, author: Author, body: string, createdAt: string,
 *   editedAt: string | null, status: 'published' | 'pending' | 'deleted', score: number }} Comment
 */
/** @typedef {{ id: string, title: string | null, url: string | null, locked: boolean }} ThreadInfo */
/** @typedef {ThreadInfo & { commentCount: number }} Thread */
/** @typedef {{ thread: ThreadInfo, comments: Array<Partial<Comment>> }} SeedThread */
/** @typedef {'comment.created' | 'comment.updated' | 'comment.deleted'} EventType */
/** @typedef {(type: EventType, comment: Comment) => void} Listener */
/**
 * A comment with what only the server knows: the edit token's hash and who voted how.
 * @typedef {Comment & { tokenHash: string | null, votes: Map<string, number> }} CommentRecord
 */
/**
 * `replays` answers a repeated Idempotency-Key. The plain edit token lives there only in memory
 * so a retried post gets it back; the data file keeps just the key and the comment id.
 * @typedef {{ thread: ThreadInfo, comments: CommentRecord[], byId: Map<string, CommentRecord>,
 *   replays: Map<string, { commentId: string, editToken: string | null }> }} ThreadRecord
 */

const FILE_VERSION = 1;

const time = (/** @type {CommentRecord} */ comment) => Date.parse(comment.createdAt);

/** @type {Record<Sort, (a: CommentRecord, b: CommentRecord) => number>} */
const ORDER = {
  oldest: (a, b) => time(a) - time(b),
  newest: (a, b) => time(b) - time(a),
  top: (a, b) => b.score - a.score || time(a) - time(b),
};

/** @param {string} token */
const hashToken = (token) => createHash('sha256').update(token).digest('base64url');

/**
 * @param {{ threads?: SeedThread[], dataFile?: string }} [options] `threads` seeds the store
 *   unless `dataFile` already exists; then the file wins, so the seed applies on first start only.
 */
export function createStore({ threads = [], dataFile } = {}) {
  const fromFile = Boolean(dataFile && existsSync(dataFile));
  /** @type {Map<string, ThreadRecord>} */
  const state = fromFile ? loadFile(/** @type {string} */ (dataFile)) : indexThreads(threads);
  /** @type {Map<string, Set<Listener>>} */
  const listeners = new Map();

  const save = () => {
    if (dataFile) saveFile(dataFile, state);
  };
  if (dataFile && !fromFile) {
    mkdirSync(dirname(dataFile), { recursive: true });
    save();
  }

  /** @param {string} threadId @param {EventType} type @param {CommentRecord} record */
  function emit(threadId, type, record) {
    for (const listener of listeners.get(threadId) ?? []) listener(type, toComment(record));
  }

  /** @param {unknown} threadId @param {unknown} id */
  function findComment(threadId, id) {
    const thread = state.get(readThreadId(threadId));
    const record = typeof id === 'string' ? thread?.byId.get(id) : undefined;
    if (!thread || !record) throw notFound('No such comment');
    return { thread, record };
  }

  /** @param {CommentRecord} record @param {unknown} token */
  function authorize(record, token) {
    if (typeof token !== 'string' || !record.tokenHash) throw unauthorized();
    const given = Buffer.from(hashToken(token));
    const stored = Buffer.from(record.tokenHash);
    if (given.length !== stored.length || !timingSafeEqual(given, stored)) throw unauthorized();
  }

  return {
    /**
     * One page: `limit` top-level comments in `sort` order plus all of their replies.
     * @param {unknown} threadId
     * @param {{ sort?: string | null, limit?: string | number | null, cursor?: string | null }} [options]
     * @returns {{ thread: Thread, comments: Comment[], nextCursor: string | null }}
     */
    list(threadId, options = {}) {
      const id = readThreadId(threadId);
      const { sort, limit } = readListOptions(options);
      const offset = decodeCursor(options.cursor, sort);
      const thread = state.get(id);
      if (!thread) {
        return { thread: { ...emptyThread(id), commentCount: 0 }, comments: [], nextCursor: null };
      }

      // Pending comments are shown only to their author, whom this server cannot recognize.
      const visible = thread.comments.filter((c) => c.status !== 'pending');
      const roots = visible.filter((c) => c.parentId === null).sort(ORDER[sort]);
      const end = offset + limit;
      return {
        thread: toThread(thread),
        comments: withDescendants(roots.slice(offset, end), childrenByParent(visible)).map(toComment),
        nextCursor: end < roots.length ? encodeCursor(end, sort) : null,
      };
    },

    /**
     * Posts a comment, creating the thread on its first comment. The same idempotency key
     * answers with the first result again and creates nothing.
     * @param {unknown} threadId @param {unknown} input @param {string} [idempotencyKey]
     * @returns {{ comment: Comment, editToken: string | null }}
     */
    post(threadId, input, idempotencyKey) {
      const id = readThreadId(threadId);
      const key = idempotencyKey === undefined ? undefined : readId(idempotencyKey, 'Idempotency-Key');
      let thread = state.get(id);
      const replay = key === undefined ? undefined : thread?.replays.get(key);
      if (thread && replay) {
        const record = /** @type {CommentRecord} */ (thread.byId.get(replay.commentId));
        return { comment: toComment(record), editToken: replay.editToken };
      }

      const data = readNewComment(input);
      if (thread?.thread.locked) throw locked();
      if (data.parentId !== null && !thread?.byId.has(data.parentId)) {
        throw invalid('The comment replied to does not exist', { parentId: 'Not found in this thread' });
      }
      if (!thread) {
        thread = toThreadRecord({ thread: { ...emptyThread(id), ...data.page }, comments: [] });
        state.set(id, thread);
      }

      const editToken = randomBytes(32).toString('base64url');
      /** @type {CommentRecord} */
      const record = {
        id: `c_${randomBytes(12).toString('base64url')}`,
        parentId: data.parentId,
        author: { ...data.author, avatarUrl: null },
        body: data.body,
        createdAt: new Date().toISOString(),
        editedAt: null,
        status: 'published',
        score: 0,
        tokenHash: hashToken(editToken),
        votes: new Map(),
      };
      thread.comments.push(record);
      thread.byId.set(record.id, record);
      if (key !== undefined) thread.replays.set(key, { commentId: record.id, editToken });
      save();
      emit(id, 'comment.created', record);
      return { comment: toComment(record), editToken };
    },

    /** @param {unknown} threadId @param {unknown} id @param {unknown} token @param {unknown} body */
    edit(threadId, id, token, body) {
      const { thread, record } = findComment(threadId, id);
      authorize(record, token);
      if (record.status === 'deleted') throw notFound('This comment was deleted');
      if (thread.thread.locked) throw locked();
      record.body = readEditBody(body);
      record.editedAt = new Date().toISOString();
      save();
      emit(thread.thread.id, 'comment.updated', record);
      return toComment(record);
    },

    /**
     * Empties the comment but keeps it, so its replies stay in place. Repeating it is harmless.
     * @param {unknown} threadId @param {unknown} id @param {unknown} token
     */
    remove(threadId, id, token) {
      const { thread, record } = findComment(threadId, id);
      authorize(record, token);
      if (record.status !== 'deleted') {
        record.status = 'deleted';
        record.body = '';
        save();
        emit(thread.thread.id, 'comment.deleted', record);
      }
      return toComment(record);
    },

    /**
     * Sets one voter's vote on a comment, replacing their previous one; 0 takes it back.
     * @param {unknown} threadId @param {unknown} id @param {unknown} voterId @param {unknown} value
     * @returns {number} the new score
     */
    vote(threadId, id, voterId, value) {
      const { thread, record } = findComment(threadId, id);
      const voter = readId(voterId, 'X-Voter');
      const vote = readVote(value);
      if (record.status === 'deleted') throw notFound('This comment was deleted');
      if (thread.thread.locked) throw locked();
      const previous = record.votes.get(voter) ?? 0;
      if (vote === previous) return record.score;
      if (vote === 0) record.votes.delete(voter);
      else record.votes.set(voter, vote);
      record.score += vote - previous;
      save();
      emit(thread.thread.id, 'comment.updated', record);
      return record.score;
    },

    /**
     * Published comments per thread; unknown threads count 0.
     * @param {unknown[]} threadIds @returns {Record<string, number>}
     */
    counts(threadIds) {
      if (threadIds.length > LIMITS.countsThreads) {
        throw invalid(`At most ${LIMITS.countsThreads} threads at once`, { thread: 'Too many' });
      }
      // fromEntries, unlike assignment, keeps an id such as "__proto__" an ordinary key.
      return Object.fromEntries(
        threadIds.map(readThreadId).map((id) => {
          const thread = state.get(id);
          return [id, thread ? publishedCount(thread) : 0];
        }),
      );
    },

    /**
     * Calls `listener` for every change in the thread, which need not exist yet.
     * @param {unknown} threadId @param {Listener} listener @returns {() => void} unsubscribe
     */
    subscribe(threadId, listener) {
      const id = readThreadId(threadId);
      const set = listeners.get(id) ?? new Set();
      listeners.set(id, set.add(listener));
      return () => {
        set.delete(listener);
        if (set.size === 0 && listeners.get(id) === set) listeners.delete(id);
      };
    },
  };
}

/** @typedef {ReturnType<typeof createStore>} Store */

/** @param {string} id @returns {ThreadInfo} */
const emptyThread = (id) => ({ id, title: null, url: null, locked: false });

/** @param {ThreadRecord} thread */
const publishedCount = (thread) => thread.comments.filter((c) => c.status === 'published').length;

/** @param {ThreadRecord} thread @returns {Thread} */
const toThread = (thread) => ({ ...thread.thread, commentCount: publishedCount(thread) });

/** @param {CommentRecord} record @returns {Comment} */
const toComment = ({ id, parentId, author, body, createdAt, editedAt, status, score }) => ({
  id,
  parentId,
  author: { ...author },
  body,
  createdAt,
  editedAt,
  status,
  score,
});

/** @param {CommentRecord[]} comments */
function childrenByParent(comments) {
  /** @type {Map<string, CommentRecord[]>} */
  const children = new Map();
  for (const comment of [...comments].sort(ORDER.oldest)) {
    if (comment.parentId === null) continue;
    const siblings = children.get(comment.parentId) ?? [];
    children.set(comment.parentId, siblings);
    siblings.push(comment);
  }
  return children;
}

/**
 * Each root followed by its replies, depth first. A loop, not recursion, so that a very deep
 * reply chain cannot overflow the stack.
 * @param {CommentRecord[]} roots @param {Map<string, CommentRecord[]>} children
 */
function withDescendants(roots, children) {
  const result = [];
  const stack = [...roots].reverse();
  for (let comment = stack.pop(); comment; comment = stack.pop()) {
    result.push(comment);
    const replies = children.get(comment.id) ?? [];
    for (let i = replies.length - 1; i >= 0; i--) stack.push(/** @type {CommentRecord} */ (replies[i]));
  }
  return result;
}

/** @param {number} offset @param {Sort} sort */
const encodeCursor = (offset, sort) =>
  Buffer.from(JSON.stringify({ offset, sort })).toString('base64url');

/**
 * A cursor belongs to one sort: paging on with another sort would skip or repeat comments.
 * @param {unknown} cursor @param {Sort} sort
 */
function decodeCursor(cursor, sort) {
  if (cursor == null || cursor === '') return 0;
  let data;
  try {
    data = JSON.parse(Buffer.from(String(cursor), 'base64url').toString('utf8'));
  } catch {
    data = null;
  }
  if (data?.sort !== sort || !Number.isSafeInteger(data.offset) || data.offset < 0) {
    throw invalid('The cursor is not valid for this sort', { cursor: 'Not valid' });
  }
  return data.offset;
}

/**
 * Builds a thread from seed or file data. Seed comments have no token (nobody can edit them)
 * and no votes; their score is kept as it is.
 * @param {{ thread: ThreadInfo,
 *   comments: Array<Partial<CommentRecord> & { votes?: Array<[string, number]> }>,
 *   idempotencyKeys?: Array<[string, string]> }} data
 * @returns {ThreadRecord}
 */
function toThreadRecord({ thread, comments, idempotencyKeys = [] }) {
  const records = comments.map((c) => /** @type {CommentRecord} */ ({
    id: String(c.id),
    parentId: c.parentId ?? null,
    author: {
      name: c.author?.name ?? '',
      url: c.author?.url ?? null,
      avatarUrl: c.author?.avatarUrl ?? null,
    },
    body: c.body ?? '',
    createdAt: c.createdAt,
    editedAt: c.editedAt ?? null,
    status: c.status ?? 'published',
    score: c.score ?? 0,
    tokenHash: c.tokenHash ?? null,
    votes: new Map(c.votes ?? []),
  }));
  return {
    thread: {
      id: thread.id,
      title: thread.title ?? null,
      url: thread.url ?? null,
      locked: Boolean(thread.locked),
    },
    comments: records,
    byId: new Map(records.map((r) => [r.id, r])),
    replays: new Map(idempotencyKeys.map(([key, commentId]) => [key, { commentId, editToken: null }])),
  };
}

/** @param {Parameters<typeof toThreadRecord>[0][]} threads */
const indexThreads = (threads) =>
  new Map(threads.map(toThreadRecord).map((record) => [record.thread.id, record]));

/** @param {string} file @returns {Map<string, ThreadRecord>} */
function loadFile(file) {
  const data = JSON.parse(readFileSync(file, 'utf8'));
  if (data?.version !== FILE_VERSION) {
    throw new Error(`${file}: not a Confab store file (version ${FILE_VERSION})`);
  }
  return indexThreads(data.threads);
}

/**
 * Writes a temporary file and renames it over the old one, so a crash mid-write never leaves
 * a half-written store. Synchronous: writes stay in order and the demo's data is small.
 * @param {string} file @param {Map<string, ThreadRecord>} state
 */
function saveFile(file, state) {
  const threads = [...state.values()].map(({ thread, comments, replays }) => ({
    thread,
    comments: comments.map((c) => ({ ...c, votes: [...c.votes] })),
    idempotencyKeys: [...replays].map(([key, { commentId }]) => [key, commentId]),
  }));
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify({ version: FILE_VERSION, threads }));
  renameSync(temp, file);
}
