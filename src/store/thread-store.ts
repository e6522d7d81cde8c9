// The thread store: normalized comments in signals, and the actions that change them.
// Each comment owns its signals, so a change re-renders only the components on its path.
import { batch, computed, signal } from '@preact/signals-core';
import { ConfabError, toConfabError } from '../errors';
import type { Adapter, Comment, LiveEventType, NewComment, SortOrder, ThreadInfo } from '../types';
import { ReplyForms, validateReply, type ReplyFormState, type FieldErrors } from './forms';
import { createStorage, type KeyValueStorage } from './storage';
import { createCommentNodes, parentsFirst, type CommentBusy, type CommentNode } from './comment-nodes';
import { createOwnComments } from './own-comments';
import { createCommentActions } from './comment-actions';
import { guardAdapter } from '../api/guard-adapter';
import { yieldToBrowser } from '../scheduler';

export type LoadStatus = 'idle' | 'loading' | 'ready' | 'error';
export type { CommentBusy, CommentNode };

/** Where keyboard focus should go next; a new object each time, so the same id can repeat. */
export interface FocusRequest {
  id: string;
}

/** Comments in one answer above which building the tree waits for a new task (below it, parsing, checking and building take well under 50 ms). */
const BIG_PAGE = 2_000;

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

/** Ids of our own comments on their way to the server (the text predates the name: stories match it). */
const SENDING_PREFIX = 'pending:';

export type ThreadStore = ReturnType<typeof createThreadStore>;

export function createThreadStore(options: ThreadStoreOptions) {
  const { threadId } = options;
  const adapter = guardAdapter(options.adapter);
  const pageSize = options.pageSize ?? 20;
  const storage = options.storage ?? createStorage();
  const scope = `${options.scope ?? ''}:${threadId}`;
  const forms = new ReplyForms(storage, scope);
  const lifetime = new AbortController();
  const call = { signal: lifetime.signal };

  const thread = signal<ThreadInfo | null>(null);
  const status = signal<LoadStatus>('idle');
  const error = signal<ConfabError | null>(null);
  const sort = signal<SortOrder>(options.sort ?? 'oldest');
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
  /** Cursors already followed: a backend that hands one out again has no more pages. */
  const cursorsSeen = new Set<string>();
  // A computed, so that comment counts changing do not re-render every comment's actions.
  const locked = computed(() => thread.value?.locked ?? false);
  /** The comment a permalink marked last (one at a time). */
  let highlightedId: string | null = null;

  const own = createOwnComments(storage, options.scope ?? '', scope);
  const nodes = createCommentNodes(sort, own.vote);
  const { upsert, discard } = nodes;
  let loadGeneration = 0;

  function report(err: ConfabError) {
    try {
      options.onError?.(err);
    } catch {
      // A host page's callback must not break the widget either.
    }
  }

  const isAborted = () => lifetime.signal.aborted;

  /** A full (re)load: the new tree, and reply forms reopened where drafts wait. */
  function replaceAll(comments: readonly Comment[]) {
    nodes.replaceAll(comments);
    for (const id of forms.openDrafts()) {
      const node = nodes.node(id);
      if (node) node.replying.value = true;
    }
  }

  async function fetchFirstPage() {
    const generation = ++loadGeneration;
    status.value = 'loading';
    error.value = null;
    try {
      const page = await adapter.list(threadId, { sort: sort.peek(), limit: pageSize, cursor: null }, call);
      if (generation !== loadGeneration || isAborted()) return;
      // A big answer took a while to read and check: let the browser breathe before the tree
      // is built and the first screen rendered, so neither makes one long task of the other.
      if (page.comments.length > BIG_PAGE) await yieldToBrowser();
      if (generation !== loadGeneration || isAborted()) return;
      pagesLoaded = 1;
      cursorsSeen.clear();
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
        for (const comment of parentsFirst(page.comments)) upsert(comment);
        pagesLoaded++;
        cursorsSeen.add(cursor);
        thread.value = page.thread;
        nextCursor.value = page.nextCursor && !cursorsSeen.has(page.nextCursor) ? page.nextCursor : null;
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
    // Every comment is here already: the new order needs no request. Only the top level
    // changes order, and it is sorted by the same rules a fresh load would use.
    if (status.peek() === 'ready' && nextCursor.peek() === null) {
      loadGeneration++; // a catch-up under way read pages in the old order: it stops
      batch(() => {
        sort.value = next;
        nodes.sortRoots();
      });
      return;
    }
    sort.value = next;
    void fetchFirstPage();
  }

  function setCommentCount(delta: number) {
    const info = thread.peek();
    if (info) thread.value = { ...info, commentCount: Math.max(0, info.commentCount + delta) };
  }

  async function submit(parentId: string | null): Promise<boolean> {
    if (!adapter.post) return false;
    const form = forms.form(parentId);
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
    const attempt = forms.attemptFor(parentId, JSON.stringify(input));
    if (!online.peek()) {
      // Nothing is sent offline: the text stays, and the reader posts it again once back.
      batch(() => {
        form.status.value = 'error';
        form.error.value = new ConfabError('offline', 'The browser is offline; nothing was sent.');
        form.fieldErrors.value = {};
      });
      return false;
    }
    const sendingId = SENDING_PREFIX + attempt.key;
    const parentNode = parentId === null ? null : nodes.node(parentId);

    batch(() => {
      form.status.value = 'posting';
      form.error.value = null;
      form.fieldErrors.value = {};
      upsert(
        {
          id: sendingId,
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
      forms.rememberIdentity({ name: form.name.peek().trim(), email });
      if (posted.editToken) own.rememberToken(posted.comment.id, posted.editToken);
      batch(() => {
        discard(sendingId);
        const known = nodes.has(posted.comment.id) || isHeld(posted.comment.id);
        upsert(posted.comment.parentId === parentId ? posted.comment : { ...posted.comment, parentId });
        unhold(posted.comment.id);
        if (posted.comment.status === 'published' && !known) setCommentCount(1);
        forms.clear(parentId);
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
        discard(sendingId);
        form.status.value = 'error';
        form.error.value = failure;
        form.fieldErrors.value = serverFieldErrors(failure);
        if (parentNode && nodes.has(parentNode.id)) parentNode.replying.value = true;
      });
      report(failure);
      return false;
    }
  }

  const { saveEdit, remove, vote } = createCommentActions({
    adapter, threadId, call, nodes, own, isAborted, report, setCommentCount,
  });

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
    const known = nodes.node(comment.id);
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
        const inside = readerInside();
        batch(() => {
          for (const comment of parentsFirst(answer.comments)) receiveLive('comment.created', comment, inside, false);
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
    const node = nodes.node(id);
    if (!node) return false;
    batch(() => {
      for (const up of nodes.ancestors(id)) nodes.node(up)!.collapsed.value = false;
      if (highlightedId !== null && highlightedId !== id) {
        const before = nodes.node(highlightedId);
        if (before) before.highlighted.value = false;
      }
      highlightedId = id;
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
    rootIds: nodes.rootIds,
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
    /** Turns a comment's `bodyHtml` into elements, when the adapter can (see Adapter). */
    sanitizeHtml: adapter.sanitizeHtml ?? null,
    node: nodes.node,
    /** The ids above a comment, nearest first. */
    ancestors: nodes.ancestors,
    /** How many comments the store holds (optimistic ones included). */
    size: nodes.size,
    form: (parentId: string | null): ReplyFormState => forms.form(parentId),
    saveDraft: (parentId: string | null) => forms.saveDraft(parentId),
    isOwn: (id: string) => own.token(id) !== null,
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
      const node = nodes.node(id);
      if (node) node.collapsed.value = !node.collapsed.peek();
    },
    setReplying(id: string, open: boolean) {
      const node = nodes.node(id);
      if (node) node.replying.value = open;
    },
    setEditing(id: string, open: boolean) {
      const node = nodes.node(id);
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
