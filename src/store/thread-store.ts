// The thread store: normalized comments in signals, and the actions that change them.
// Each comment owns its signals, so a change re-renders only the components on its path.
import { batch, computed, signal, type Signal } from '@preact/signals';
import { ConfabError, toConfabError } from '../errors';
import type { Adapter, Comment, LiveEventType, NewComment, SortOrder, ThreadInfo, VoteValue } from '../types';
import { randomId } from '../api/random-id';
import { DraftBook, validateReply, type ReplyFormState, type FieldErrors } from './forms';
import { createStorage, type KeyValueStorage } from './storage';
import { buildTree, compareFor, countDescendants } from './tree';

export type LoadStatus = 'idle' | 'loading' | 'ready' | 'error';
export type CommentBusy = null | 'voting' | 'saving' | 'deleting';

export interface CommentNode {
  readonly id: string;
  readonly comment: Signal<Comment>;
  readonly childIds: Signal<readonly string[]>;
  /** Descendants, for "N replies" on a collapsed comment. */
  readonly replyCount: Signal<number>;
  /** Its parent was unknown (or it closed a cycle): shown at top level, marked. */
  readonly detached: boolean;
  /** An optimistic comment that the server has not confirmed yet. */
  readonly sending: boolean;
  readonly collapsed: Signal<boolean>;
  readonly replying: Signal<boolean>;
  readonly editing: Signal<boolean>;
  readonly busy: Signal<CommentBusy>;
  readonly error: Signal<ConfabError | null>;
  readonly myVote: Signal<VoteValue>;
  /** The comment a permalink pointed at: marked until the reader moves on. */
  readonly highlighted: Signal<boolean>;
}

/** Where keyboard focus should go next; a new object each time, so the same id can repeat. */
export interface FocusRequest {
  id: string;
}

/** Pages loaded at most while looking for a permalinked comment. */
const MAX_REVEAL_PAGES = 50;

export interface ThreadStoreOptions {
  adapter: Adapter;
  threadId: string;
  sort?: SortOrder;
  pageSize?: number;
  /** Sent with posts so the backend can name the page in notifications. */
  page?: { title?: string; url?: string };
  storage?: KeyValueStorage;
  /** Separates drafts and tokens of different backends sharing one origin. */
  scope?: string;
  onError?: (error: ConfabError) => void;
  onPosted?: (comment: Comment) => void;
}

const PENDING_PREFIX = 'pending:';

export type ThreadStore = ReturnType<typeof createThreadStore>;

export function createThreadStore(options: ThreadStoreOptions) {
  const { adapter, threadId } = options;
  const pageSize = options.pageSize ?? 20;
  const storage = options.storage ?? createStorage();
  const scope = `${options.scope ?? ''}:${threadId}`;
  const drafts = new DraftBook(storage, scope);
  const lifetime = new AbortController();
  const call = { signal: lifetime.signal };

  const thread = signal<ThreadInfo | null>(null);
  const status = signal<LoadStatus>('idle');
  const error = signal<ConfabError | null>(null);
  const sort = signal<SortOrder>(options.sort ?? 'oldest');
  const rootIds = signal<readonly string[]>([]);
  const nextCursor = signal<string | null>(null);
  const loadingMore = signal(false);
  const loadMoreError = signal<ConfabError | null>(null);
  /** Comments the backend sent that could not be shown. */
  const skipped = signal(0);
  const focusRequest = signal<FocusRequest | null>(null);
  /** New top-level comments from others, held behind "N new comments" while the reader reads. */
  const held = signal<readonly Comment[]>([]);
  /** The browser's word on the network; mount() keeps it current. Posting waits while false. */
  const online = signal(typeof navigator === 'undefined' || navigator.onLine !== false);
  /** Pages read so far, so a catch-up after a dropped live stream re-reads as many. */
  let pagesLoaded = 0;
  // A computed, so that comment counts changing do not re-render every comment's actions.
  const locked = computed(() => thread.value?.locked ?? false);

  const nodes = new Map<string, CommentNode>();
  const parentOf = new Map<string, string | null>();
  let loadGeneration = 0;

  // Per-browser secrets: which comments are the reader's own, and how they voted.
  const tokensKey = `tokens:${options.scope ?? ''}`;
  const votesKey = `votes:${scope}`;
  // Read once: parsing them per comment would make a big thread's first render quadratic.
  // Null prototypes: a comment id such as `__proto__` is just a key.
  const tokens: Record<string, string> = Object.assign(Object.create(null), storage.get(tokensKey));
  const votes: Record<string, VoteValue> = Object.assign(Object.create(null), storage.get(votesKey));
  const voterId = () => {
    let id = storage.get<string>('voter');
    if (typeof id !== 'string' || id.length < 16) storage.set('voter', (id = randomId()));
    return id;
  };

  function report(err: ConfabError) {
    try {
      options.onError?.(err);
    } catch {
      // A host page's callback must not break the widget either.
    }
  }

  const isAborted = () => lifetime.signal.aborted;

  function makeNode(comment: Comment, detached: boolean, sending = false): CommentNode {
    const vote = votes[comment.id];
    return {
      id: comment.id,
      comment: signal(comment),
      childIds: signal<readonly string[]>([]),
      replyCount: signal(0),
      detached,
      sending,
      collapsed: signal(false),
      replying: signal(false),
      editing: signal(false),
      busy: signal<CommentBusy>(null),
      error: signal<ConfabError | null>(null),
      myVote: signal<VoteValue>(vote === 1 || vote === -1 ? vote : 0),
      highlighted: signal(false),
    };
  }

  function comparatorFor(parent: string | null) {
    const compare = compareFor(sort.peek(), parent === null);
    return (a: string, b: string) => compare(nodes.get(a)!.comment.peek(), nodes.get(b)!.comment.peek());
  }

  const childList = (parent: string | null) => (parent === null ? rootIds : nodes.get(parent)!.childIds);

  /** Adds to (or, with -1, takes from) the reply counts of every ancestor: O(depth). */
  function bumpAncestors(parent: string | null, delta: number) {
    for (let id = parent; id !== null; id = parentOf.get(id) ?? null) {
      const node = nodes.get(id);
      if (node) node.replyCount.value += delta;
    }
  }

  /** Replaces the whole tree, as after a (re)load: one batch, one render. */
  function replaceAll(comments: readonly Comment[]) {
    const tree = buildTree(comments, sort.peek());
    const counts = countDescendants(tree);
    nodes.clear();
    parentOf.clear();
    for (const [id, comment] of tree.byId) {
      const node = makeNode(comment, tree.detached.has(id));
      node.replyCount.value = counts.get(id) ?? 0;
      nodes.set(id, node);
      parentOf.set(id, tree.parentOf.get(id) ?? null);
    }
    for (const [parent, ids] of tree.children) {
      if (parent !== null) nodes.get(parent)!.childIds.value = ids;
    }
    rootIds.value = tree.children.get(null) ?? [];
    for (const id of drafts.openDrafts()) {
      const node = nodes.get(id);
      if (node) node.replying.value = true;
    }
  }

  /** Inserts a new comment or updates a known one in place: O(depth + siblings). */
  function upsert(comment: Comment, sending = false) {
    const known = nodes.get(comment.id);
    if (known) {
      known.comment.value = comment;
      return;
    }
    const wanted = comment.parentId;
    const parent = wanted !== null && nodes.has(wanted) ? wanted : null;
    nodes.set(comment.id, makeNode(comment, wanted !== null && parent === null, sending));
    parentOf.set(comment.id, parent);
    const list = childList(parent);
    list.value = [...list.peek(), comment.id].sort(comparatorFor(parent));
    bumpAncestors(parent, 1);
  }

  /** Takes a comment and its subtree out of the store (used for optimistic entries). */
  function discard(id: string) {
    if (!nodes.has(id)) return;
    const parent = parentOf.get(id) ?? null;
    const list = childList(parent);
    list.value = list.peek().filter((other) => other !== id);
    bumpAncestors(parent, -(1 + nodes.get(id)!.replyCount.peek()));
    const stack = [id];
    while (stack.length > 0) {
      const next = stack.pop()!;
      stack.push(...(nodes.get(next)?.childIds.peek() ?? []));
      nodes.delete(next);
      parentOf.delete(next);
    }
  }

  async function fetchFirstPage() {
    const generation = ++loadGeneration;
    status.value = 'loading';
    error.value = null;
    try {
      const page = await adapter.list(threadId, { sort: sort.peek(), limit: pageSize, cursor: null }, call);
      if (generation !== loadGeneration || isAborted()) return;
      pagesLoaded = 1;
      batch(() => {
        replaceAll(page.comments);
        held.value = [];
        thread.value = page.thread;
        nextCursor.value = page.nextCursor;
        skipped.value = page.skipped;
        loadMoreError.value = null;
        status.value = 'ready';
      });
    } catch (err) {
      if (generation !== loadGeneration || isAborted()) return;
      const failure = toConfabError(err);
      batch(() => {
        error.value = failure;
        status.value = 'error';
      });
      report(failure);
    }
  }

  async function loadMore() {
    const cursor = nextCursor.peek();
    if (!cursor || loadingMore.peek()) return;
    const generation = loadGeneration;
    loadingMore.value = true;
    loadMoreError.value = null;
    try {
      const page = await adapter.list(threadId, { sort: sort.peek(), limit: pageSize, cursor }, call);
      if (generation !== loadGeneration || isAborted()) return;
      batch(() => {
        // Parents first, so that replies find them; a page holds whole subtrees.
        const tree = buildTree(page.comments, 'oldest');
        const order: string[] = [...(tree.children.get(null) ?? [])];
        for (let i = 0; i < order.length; i++) order.push(...(tree.children.get(order[i]!) ?? []));
        for (const id of order) upsert(tree.byId.get(id)!);
        pagesLoaded++;
        thread.value = page.thread;
        nextCursor.value = page.nextCursor;
        skipped.value += page.skipped;
      });
    } catch (err) {
      if (generation !== loadGeneration || isAborted()) return;
      const failure = toConfabError(err);
      loadMoreError.value = failure;
      report(failure);
    } finally {
      if (generation === loadGeneration) loadingMore.value = false;
    }
  }

  function setSort(next: SortOrder) {
    if (next === sort.peek()) return;
    sort.value = next;
    void fetchFirstPage();
  }

  function setCommentCount(delta: number) {
    const info = thread.peek();
    if (info) thread.value = { ...info, commentCount: Math.max(0, info.commentCount + delta) };
  }

  async function submit(parentId: string | null): Promise<boolean> {
    if (!adapter.post) return false;
    const form = drafts.form(parentId);
    if (form.status.peek() === 'posting') return false; // a double click is one submit
    const problems = validateReply(form);
    if (Object.keys(problems).length > 0) {
      batch(() => {
        form.fieldErrors.value = problems;
        form.error.value = null;
        form.status.value = 'idle';
      });
      return false;
    }
    const body = form.body.peek().trim();
    const input: NewComment = {
      parentId,
      author: { name: form.name.peek().trim() },
      body,
      ...(options.page ? { page: options.page } : {}),
    };
    const email = form.email.peek().trim();
    if (email) input.author.email = email;
    const attempt = drafts.attemptFor(parentId, JSON.stringify(input));
    if (!online.peek()) {
      // Nothing is sent offline: the text stays, and the reader posts it again once back.
      batch(() => {
        form.status.value = 'error';
        form.error.value = new ConfabError('offline', 'The browser is offline; nothing was sent.');
        form.fieldErrors.value = {};
      });
      return false;
    }
    const pendingId = PENDING_PREFIX + attempt.key;
    const parentNode = parentId === null ? null : nodes.get(parentId);

    batch(() => {
      form.status.value = 'posting';
      form.error.value = null;
      form.fieldErrors.value = {};
      upsert(
        {
          id: pendingId,
          parentId,
          author: { name: input.author.name, url: null, avatarUrl: null },
          body,
          createdAt: Date.now(),
          editedAt: null,
          status: 'published',
          score: 0,
        },
        true,
      );
      if (parentNode) {
        parentNode.replying.value = false;
        parentNode.collapsed.value = false;
      }
    });

    try {
      const posted = await adapter.post!(threadId, input, attempt.key, call);
      if (isAborted()) return false;
      drafts.rememberIdentity({ name: form.name.peek().trim(), email });
      if (posted.editToken) {
        tokens[posted.comment.id] = posted.editToken;
        storage.set(tokensKey, tokens);
      }
      batch(() => {
        discard(pendingId);
        const known = nodes.has(posted.comment.id) || isHeld(posted.comment.id);
        upsert(posted.comment.parentId === parentId ? posted.comment : { ...posted.comment, parentId });
        unhold(posted.comment.id);
        if (posted.comment.status === 'published' && !known) setCommentCount(1);
        drafts.clear(parentId);
        focusRequest.value = { id: posted.comment.id };
      });
      try {
        options.onPosted?.(posted.comment);
      } catch {
        // The host page's callback failing does not undo the post.
      }
      return true;
    } catch (err) {
      if (isAborted()) return false;
      // The network went away mid-request: say "offline", the clearer of the two.
      const failure = online.peek() ? toConfabError(err) : new ConfabError('offline', 'The browser went offline.', { cause: err });
      batch(() => {
        discard(pendingId);
        form.status.value = 'error';
        form.error.value = failure;
        form.fieldErrors.value = serverFieldErrors(failure);
        if (parentNode && nodes.has(parentNode.id)) parentNode.replying.value = true;
      });
      report(failure);
      return false;
    }
  }

  function ownToken(id: string): string | null {
    const token = tokens[id];
    return typeof token === 'string' ? token : null;
  }

  async function runOnComment(
    id: string,
    busy: Exclude<CommentBusy, null>,
    work: (node: CommentNode) => Promise<void>,
    undo?: (node: CommentNode) => void,
  ): Promise<boolean> {
    const node = nodes.get(id);
    if (!node || node.busy.peek()) return false;
    batch(() => {
      node.busy.value = busy;
      node.error.value = null;
    });
    try {
      await work(node);
      return true;
    } catch (err) {
      if (isAborted()) return false;
      const failure = toConfabError(err);
      batch(() => {
        undo?.(node);
        node.error.value = failure;
      });
      report(failure);
      return false;
    } finally {
      node.busy.value = null;
    }
  }

  function saveEdit(id: string, body: string): Promise<boolean> {
    const token = ownToken(id);
    const text = body.trim();
    if (!token || text === '' || !adapter.edit) return Promise.resolve(false);
    return runOnComment(id, 'saving', async (node) => {
      const updated = await adapter.edit!(threadId, id, text, token, call);
      batch(() => {
        node.comment.value = { ...updated, parentId: node.comment.peek().parentId };
        node.editing.value = false;
      });
    });
  }

  function remove(id: string): Promise<boolean> {
    const token = ownToken(id);
    if (!token || !adapter.remove) return Promise.resolve(false);
    return runOnComment(id, 'deleting', async (node) => {
      const updated = await adapter.remove!(threadId, id, token, call);
      const wasPublished = node.comment.peek().status === 'published';
      batch(() => {
        node.comment.value = { ...updated, parentId: node.comment.peek().parentId, status: 'deleted', body: '' };
        node.editing.value = false;
        if (wasPublished) setCommentCount(-1);
      });
    });
  }

  /** Optimistic: the score moves at once and moves back if the server says no. */
  function vote(id: string, value: VoteValue): Promise<boolean> {
    const node = nodes.get(id);
    if (!node || node.sending || !adapter.vote) return Promise.resolve(false);
    const before = { vote: node.myVote.peek(), comment: node.comment.peek() };
    return runOnComment(
      id,
      'voting',
      async () => {
        batch(() => {
          node.myVote.value = value;
          node.comment.value = { ...before.comment, score: before.comment.score - before.vote + value };
        });
        const score = await adapter.vote!(threadId, id, value, voterId(), call);
        node.comment.value = { ...node.comment.peek(), score };
        votes[id] = value;
        storage.set(votesKey, votes);
      },
      () => {
        node.myVote.value = before.vote;
        node.comment.value = before.comment;
      },
    );
  }

  const isHeld = (id: string) => held.peek().some((c) => c.id === id);
  const unhold = (id: string) => {
    if (isHeld(id)) held.value = held.peek().filter((c) => c.id !== id);
  };

  /**
   * A comment from the live stream. Replies land in their branch at once; a new top-level
   * comment waits behind "N new comments" while the reader is inside the thread, so the page
   * does not shift under them. `countIt` is false during a catch-up, whose count is the server's.
   */
  function receiveLive(type: LiveEventType, comment: Comment, readerInside: boolean, countIt = true) {
    const known = nodes.get(comment.id);
    batch(() => {
      if (known) {
        const wasPublished = known.comment.peek().status === 'published';
        upsert(type === 'comment.deleted' ? { ...comment, status: 'deleted', body: '' } : comment);
        const isPublished = known.comment.peek().status === 'published';
        if (countIt && wasPublished !== isPublished) setCommentCount(isPublished ? 1 : -1);
        return;
      }
      if (type !== 'comment.created' || comment.status !== 'published' || isHeld(comment.id)) return;
      if (countIt) setCommentCount(1);
      if (comment.parentId !== null) {
        // A reply to a comment on a page not read yet comes with that page.
        if (nodes.has(comment.parentId)) upsert(comment);
        return;
      }
      // Oldest first with pages left: the new comment belongs after them, not here.
      if (sort.peek() === 'oldest' && nextCursor.peek()) return;
      if (readerInside) held.value = [...held.peek(), comment];
      else upsert(comment);
    });
  }

  /** Puts the held comments in the thread and focuses the first of them. */
  function showHeld() {
    const comments = held.peek();
    if (comments.length === 0) return;
    batch(() => {
      held.value = [];
      for (const comment of comments) upsert(comment);
      focusRequest.value = { id: comments[0]!.id };
    });
  }

  /** After the live stream was down: re-read the pages the reader has, keep what is new. */
  async function catchUp(readerInside: () => boolean) {
    if (status.peek() !== 'ready') return;
    const generation = loadGeneration;
    let cursor: string | null = null;
    try {
      for (let page = 0; page < Math.max(1, pagesLoaded); page++) {
        const answer = await adapter.list(threadId, { sort: sort.peek(), limit: pageSize, cursor }, call);
        if (generation !== loadGeneration || isAborted()) return;
        // Parents before replies, so that a new reply finds its new parent.
        const tree = buildTree(answer.comments, 'oldest');
        const order: string[] = [...(tree.children.get(null) ?? [])];
        for (let i = 0; i < order.length; i++) order.push(...(tree.children.get(order[i]!) ?? []));
        const inside = readerInside();
        batch(() => {
          for (const id of order) receiveLive('comment.created', tree.byId.get(id)!, inside, false);
          thread.value = answer.thread;
        });
        cursor = answer.nextCursor;
        if (!cursor) break;
      }
    } catch {
      // The next reconnect tries again; the thread on screen stays as it is.
    }
  }

  /**
   * Shows one comment, as a permalink asks: loads further pages until it is there, expands its
   * collapsed ancestors, marks it and asks for focus. False when the thread does not have it.
   */
  async function reveal(id: string): Promise<boolean> {
    if (status.peek() !== 'ready') await fetchFirstPage();
    for (let page = 0; !nodes.has(id) && nextCursor.peek() && page < MAX_REVEAL_PAGES; page++) {
      await loadMore();
      if (loadMoreError.peek() || isAborted()) return false;
    }
    const node = nodes.get(id);
    if (!node) return false;
    batch(() => {
      for (let up = parentOf.get(id) ?? null; up !== null; up = parentOf.get(up) ?? null) {
        const ancestor = nodes.get(up);
        if (ancestor) ancestor.collapsed.value = false;
      }
      for (const other of nodes.values()) if (other.highlighted.peek()) other.highlighted.value = false;
      node.highlighted.value = true;
      focusRequest.value = { id };
    });
    return true;
  }

  return {
    threadId,
    thread,
    locked,
    status,
    error,
    sort,
    rootIds,
    nextCursor,
    loadingMore,
    loadMoreError,
    skipped,
    /** What the backend allows: a read-only adapter has no `post`, and so on. */
    can: {
      post: typeof adapter.post === 'function',
      vote: typeof adapter.vote === 'function',
      edit: typeof adapter.edit === 'function',
      remove: typeof adapter.remove === 'function',
    },
    node: (id: string) => nodes.get(id),
    /** How many comments the store holds (optimistic ones included). */
    size: () => nodes.size,
    form: (parentId: string | null): ReplyFormState => drafts.form(parentId),
    saveDraft: (parentId: string | null) => drafts.saveDraft(parentId),
    hasDraft: (parentId: string | null) => drafts.hasDraft(parentId),
    isOwn: (id: string) => ownToken(id) !== null,
    load: fetchFirstPage,
    loadMore,
    reveal,
    /** Read by one small component that moves keyboard focus; see ui/FocusManager. */
    focusRequest,
    online,
    held,
    showHeld,
    receiveLive,
    catchUp,
    setSort,
    submit,
    saveEdit,
    remove,
    vote,
    /** A comment that arrived from elsewhere (a live event, a host page): insert or update. */
    receive: (comment: Comment) => batch(() => upsert(comment)),
    toggleCollapsed(id: string) {
      const node = nodes.get(id);
      if (node) node.collapsed.value = !node.collapsed.peek();
    },
    setReplying(id: string, open: boolean) {
      const node = nodes.get(id);
      if (node) node.replying.value = open;
    },
    setEditing(id: string, open: boolean) {
      const node = nodes.get(id);
      if (node) batch(() => {
        node.editing.value = open;
        node.error.value = null;
      });
    },
    /** Cancels every request in flight; the store ignores answers from then on. */
    dispose() {
      lifetime.abort();
    },
  };
}

/** Server field names (`author.name`, `name`, `body`...) onto our form's fields. */
function serverFieldErrors(error: ConfabError): FieldErrors {
  const result: FieldErrors = {};
  for (const [field, message] of Object.entries(error.fields)) {
    const key = field.replace(/^author\./, '');
    if (key === 'name' || key === 'email' || key === 'body') result[key] = message;
  }
  return result;
}
