// The thread store: normalized comments in signals, and the actions that change them.
// Each comment owns its signals, so a change re-renders only the components on its path.
// Here: loading, paging, sorting, permalinks. Posting is in posting.ts, edit/delete/vote in
// comment-actions.ts (both loaded on first use), live events in live.ts.
import { batch, computed, signal, type ReadonlySignal, type Signal } from '@preact/signals-core';
import { ConfabError, toConfabError } from '../errors';
import type {
  Adapter,
  Comment,
  HtmlNode,
  LiveEventType,
  ReportInput,
  SignedIn,
  SortOrder,
  ThreadInfo,
  ValidatedAdapter,
  VoteValue,
} from '../types';
import { createReplyForms, type ReplyFormState } from './forms';
import { createStorage, type KeyValueStorage } from './storage';
import { createCommentNodes, parentsFirst, type CommentBusy, type CommentNode } from './comment-nodes';
import { createOwnComments } from './own-comments';
import type { createCommentActions } from './comment-actions';
import type { createPosting, PostingDeps } from './posting';
import { createLiveUpdates, type LiveUpdates } from './live';
import type { StoreParts } from './parts';
import { guardAdapter } from '../api/guard-adapter';
import { yieldToBrowser } from '../scheduler';
import { randomId } from '../util/values';

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
  /** The widget's language, sent with a request for reply emails (they are written in it). */
  locale?: string;
  /**
   * Where posting's code comes from (posting.ts, loaded on first use): mount() passes the
   * script tag's part loader; without it, an import() (a bundler's own chunk).
   */
  loadPosting?: () => Promise<typeof import('./posting')>;
  /**
   * Where the live updates' code comes from when the store was made without it (createStore):
   * mount() passes the live part's loader, so a page without the `live` option never loads it.
   */
  loadLive?: () => Promise<{ createLiveUpdates: typeof createLiveUpdates }>;
}

/**
 * One thread's comments and everything done to them, in signals: the UI reads them, the
 * actions change them. Actions never throw: failures land in a signal and go to `onError`.
 */
export interface ThreadStore {
  /** The thread shown, as given in the options. */
  readonly threadId: string;
  /** The backend, its answers checked at the boundary: what the store calls and startLive subscribes through. */
  readonly adapter: ValidatedAdapter;
  /** Title, URL, comment count and lock as the backend last said; null before the first load. */
  readonly thread: ReadonlySignal<ThreadInfo | null>;
  /** True when the backend closed the thread to new comments. */
  readonly locked: ReadonlySignal<boolean>;
  /**
   * Whether the thread takes reports (its features say so, or say nothing). Every comment reads
   * it: a computed value, so a new page of the thread re-renders none of them.
   */
  readonly reportsOpen: ReadonlySignal<boolean>;
  /**
   * Sign-in from the host site (the `sso` option), set by its part (ui/SignIn.ts) once it knows
   * who is signed in (null: no one), with the views that show it (typed loosely here: the store
   * knows no UI). Undefined until then, and on pages without `sso`. A signed-in reader's
   * comments (`author.id` theirs) are their own.
   */
  readonly signIn: Signal<SignedIn<unknown, CommentNode> | undefined>;
  /** Where the first page's load is. */
  readonly status: ReadonlySignal<LoadStatus>;
  /** Why the first page failed to load ('error' status). */
  readonly error: ReadonlySignal<ConfabError | null>;
  /** The top level's order (replies always read oldest first). */
  readonly sort: ReadonlySignal<SortOrder>;
  /** The top-level comments' ids, in order. */
  readonly rootIds: ReadonlySignal<readonly string[]>;
  /** Where the next page starts; null when every page is read. */
  readonly nextCursor: ReadonlySignal<string | null>;
  /** True while a further page loads. */
  readonly loadingMore: ReadonlySignal<boolean>;
  /** Why the last further page failed to load. */
  readonly loadMoreError: ReadonlySignal<ConfabError | null>;
  /** Comments the backend sent that could not be shown. */
  readonly skipped: ReadonlySignal<number>;
  /** What the backend allows: a read-only adapter has no `post`, and so on. */
  readonly can: {
    readonly post: boolean;
    readonly vote: boolean;
    readonly edit: boolean;
    readonly remove: boolean;
    readonly report: boolean;
  };
  /** Turns a comment's `bodyHtml` into elements, when the adapter can (see Adapter). */
  readonly sanitizeHtml: ((html: string) => HtmlNode[]) | null;
  /** One comment's signals, or undefined when the store does not hold it. */
  node(id: string): CommentNode | undefined;
  /** The ids above a comment, nearest first. */
  ancestors(id: string): Iterable<string>;
  /** How many comments the store holds (ones still sending included). */
  size(): number;
  /** The reply form under a comment (`null`: the top-level form), its saved draft restored. */
  form(parentId: string | null): ReplyFormState;
  /** Keeps a form's text in storage, so a reload does not lose it. */
  saveDraft(parentId: string | null): void;
  /** True when this browser wrote the comment (it holds its edit token), or the signed-in reader did. */
  isOwn(id: string): boolean;
  /** Loads the first page, replacing what is shown; also a retry after an error. */
  load(): Promise<void>;
  /** Loads the page after the last one read, if any. */
  loadMore(): Promise<void>;
  /** Loads pages until a comment is there, opens its branch, marks it and focuses it; false when the thread does not have it. */
  reveal(id: string): Promise<boolean>;
  /** Where keyboard focus should go next; read by one small component (ui/FocusManager). */
  readonly focusRequest: ReadonlySignal<FocusRequest | null>;
  /** The browser's word on the network; mount() keeps it current. Posting waits while false. */
  readonly online: Signal<boolean>;
  /** New top-level comments from the live stream, held behind "N new comments" while the reader reads. */
  readonly held: ReadonlySignal<readonly Comment[]>;
  /** Puts the held comments in the thread and focuses the first of them. */
  showHeld(): void;
  /** A live event's comment; `readerInside` holds a new top-level one, `countIt` false leaves the count to the server. */
  receiveLive(type: LiveEventType, comment: Comment, readerInside: boolean, countIt?: boolean): void;
  /** After the live stream was down: re-reads the pages the reader has and keeps what is new. */
  catchUp(readerInside: () => boolean): Promise<void>;
  /** Changes the top level's order; reloads only when pages are still unread. */
  setSort(next: SortOrder): void;
  /** Posts the form under `parentId`, shown at once; on failure the text stays in the form. True once the server has it. */
  submit(parentId: string | null): Promise<boolean>;
  /**
   * Starts loading posting's code (a form got focus, a pointer or focus reached a comment's
   * actions), so that Post or a vote does not wait for it; resolves once it is here (or could
   * not load: submit, or the action, then says so). Edit, delete, vote and report come with it.
   */
  preparePosting(): Promise<void>;
  /** Saves an edit of one's own comment; true on success. */
  saveEdit(id: string, body: string): Promise<boolean>;
  /** Deletes one's own comment (it stays, emptied, so its replies keep their place); true on success. */
  remove(id: string): Promise<boolean>;
  /** Votes at once, and takes the vote back if the server says no; true on success. */
  vote(id: string, value: VoteValue): Promise<boolean>;
  /**
   * Reports a comment to the moderators as this reader (the voter id votes use); rejects with a
   * ConfabError, which the caller shows (it does not go to onError). Only when `can.report`.
   */
  report(id: string, input: ReportInput): Promise<void>;
  /** A comment that arrived from elsewhere (a live event, a host page): insert or update. */
  receive(comment: Comment): void;
  /** Folds or unfolds a comment's replies. */
  toggleCollapsed(id: string): void;
  /** Opens or closes the reply form under a comment. */
  setReplying(id: string, open: boolean): void;
  /** Opens or closes the edit form of a comment, clearing its error. */
  setEditing(id: string, open: boolean): void;
  /** Cancels every request in flight; the store ignores answers from then on. */
  dispose(): void;
}

/**
 * Posting's code as a bundler's chunk. Not in the script-tag bundle, which cannot split: there
 * mount() always passes the part loader, and this import() would put the code back inline.
 */
const importPosting =
  import.meta.env.MODE === 'iife' ? () => Promise.reject(new Error('no loadPosting')) : () => import('./posting');

/** A thread's store, live updates built in: the npm package's own. */
export const createThreadStore = (options: ThreadStoreOptions): ThreadStore => createStore(options, createLiveUpdates);

/**
 * The store, its live updates' code given (`builtInLive`) or loaded when first needed
 * (options.loadLive): mount() makes it so, and the code stays out of the first load.
 */
export function createStore(options: ThreadStoreOptions, builtInLive?: typeof createLiveUpdates): ThreadStore {
  const { threadId } = options;
  const adapter = guardAdapter(options.adapter);
  const pageSize = options.pageSize ?? 20;
  const storage = options.storage ?? createStorage();
  const scope = `${options.scope ?? ''}:${threadId}`;
  const forms = createReplyForms(storage, scope);
  const lifetime = new AbortController();
  const call = { signal: lifetime.signal };

  const thread = signal<ThreadInfo | null>(null);
  const status = signal<LoadStatus>('idle');
  const error = signal<ConfabError | null>(null);
  const sort = signal<SortOrder>(options.sort ?? 'oldest');
  const nextCursor = signal<string | null>(null);
  const loadingMore = signal(false);
  const loadMoreError = signal<ConfabError | null>(null);
  const skipped = signal(0);
  const focusRequest = signal<FocusRequest | null>(null);
  const online = signal(typeof navigator === 'undefined' || navigator.onLine !== false);
  /** Pages read so far, so a catch-up after a dropped live stream re-reads as many. */
  let pagesLoaded = 0;
  /** Cursors already followed: a backend that hands one out again has no more pages. */
  const cursorsSeen = new Set<string>();
  // A computed, so that comment counts changing do not re-render every comment's actions.
  const locked = computed(() => thread.value?.locked ?? false);
  const reportsOpen = computed(() => thread.value?.features.reports !== false);
  /** The comment a permalink marked last (one at a time). */
  let highlightedId: string | null = null;

  const own = createOwnComments(storage, options.scope ?? '', scope);
  const nodes = createCommentNodes(sort, own.vote);
  const signIn: ThreadStore['signIn'] = signal(undefined);
  // A signed-in reader's own comment needs no edit token (the Confab-User header proves it): ''.
  const tokenOf = own.token;
  own.token = (id, user = signIn.value?.user) =>
    tokenOf(id) ?? (user && nodes.node(id)?.comment.value.author.id === user.id ? '' : null);
  const { upsert } = nodes;
  /** Counts (re)loads and resorts: an answer to an older one is dropped. */
  let loadGeneration = 0;

  const isAborted = () => lifetime.signal.aborted;
  const isStale = (generation: number) => generation !== loadGeneration || isAborted();
  const readPage = (cursor: string | null) => adapter.list(threadId, { sort: sort.peek(), limit: pageSize, cursor }, call);

  function report(err: ConfabError) {
    try {
      options.onError?.(err);
    } catch {
      // A host page's callback must not break the widget either.
    }
  }

  function setCommentCount(delta: number) {
    const info = thread.peek();
    if (info) thread.value = { ...info, commentCount: Math.max(0, info.commentCount + delta) };
  }

  const parts: StoreParts = [adapter, threadId, call, nodes, own, isAborted, report, setCommentCount];
  const held = signal<readonly Comment[]>([]);
  const makeLive = (create: typeof createLiveUpdates) =>
    create(batch, parentsFirst, held, nodes, setCommentCount, thread, status, sort, nextCursor, focusRequest, readPage, isStale);
  let live: LiveUpdates | undefined = builtInLive && makeLive(builtInLive);
  let liveCode: Promise<unknown> | undefined;
  /** Runs `work` on the live updates, once their code is here (in the order asked). */
  const withLive = <T>(work: (ready: LiveUpdates) => T): Promise<T | undefined> | T =>
    live
      ? work(live)
      : (liveCode ??= (options.loadLive?.() ?? Promise.reject(new Error('no loadLive'))).then(
          ({ createLiveUpdates }) => (live = makeLive(createLiveUpdates)),
        )).then(
          () => work(live!),
          () => undefined,
        );
  // Posting's code loads on first use: most readers never post (see posting.ts). Once it is
  // here, a submit shows the comment at once (no wait in between). Edit, delete, vote and
  // report come with it.
  const deps: PostingDeps = [batch, ConfabError, toConfabError, randomId];
  let posting: Promise<ReturnType<typeof createPosting>> | undefined;
  let send: ReturnType<typeof createPosting> | undefined;
  let actions: ReturnType<typeof createCommentActions> | undefined;
  const preparePosting = () =>
    (posting ??= (options.loadPosting ?? importPosting)().then(
      ({ createPosting, createCommentActions }) => (
        (actions = createCommentActions(deps, parts)),
        (send = createPosting(
          deps,
          parts,
          forms,
          online,
          focusRequest,
          options,
          (id) => live?.unhold(id) ?? false, // nothing is held before live updates came
          () => ({
            signedIn: Boolean(signIn.peek()?.user),
            notify: thread.peek()?.features.notify,
          }),
        ))
      ),
      (failure: unknown) => {
        posting = undefined; // the next submit tries again
        throw failure;
      },
    ));
  /** Edit, delete, vote and report, once their code is here; rejects with a ConfabError when it cannot come. */
  const actionsReady = async () => {
    if (!actions) await preparePosting().catch((failure: unknown) => Promise.reject(toConfabError(failure)));
    return actions!;
  };
  /**
   * Runs an edit, delete or vote once its code is here (at once when it is: a vote shows in the
   * same task); when it cannot come, the comment says why.
   */
  const onComment = (id: string, run: (ready: NonNullable<typeof actions>) => Promise<boolean>): Promise<boolean> =>
    actions
      ? run(actions)
      : actionsReady().then(run, (failure: ConfabError) => {
          const node = nodes.node(id);
          if (node) node.error.value = failure;
          report(failure);
          return false;
        });

  async function submit(parentId: string | null): Promise<boolean> {
    if (send) return send(parentId);
    try {
      return (await preparePosting())(parentId);
    } catch (failure) {
      // Its code did not load: nothing was sent, and the text stays in the form (offline: the
      // form offers to post once the browser is back).
      const form = forms.form(parentId);
      batch(() => {
        form.status.value = 'error';
        form.error.value = online.peek()
          ? toConfabError(failure)
          : new ConfabError('offline', 'The browser is offline; nothing was sent.', { cause: failure });
      });
      report(form.error.peek()!);
      return false;
    }
  }

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
      const page = await readPage(null);
      if (isStale(generation)) return;
      // A big answer took a while to read and check: let the browser breathe before the tree
      // is built and the first screen rendered, so neither makes one long task of the other.
      if (page.comments.length > BIG_PAGE) await yieldToBrowser();
      if (isStale(generation)) return;
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
      if (isStale(generation)) return;
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
      const page = await readPage(cursor);
      if (isStale(generation)) return;
      batch(() => {
        for (const comment of parentsFirst(page.comments)) upsert(comment);
        pagesLoaded++;
        cursorsSeen.add(cursor);
        thread.value = page.thread;
        nextCursor.value = page.nextCursor && !cursorsSeen.has(page.nextCursor) ? page.nextCursor : null;
        skipped.value += page.skipped;
      });
    } catch (err) {
      if (isStale(generation)) return;
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
    adapter,
    thread,
    locked,
    reportsOpen,
    signIn,
    status,
    error,
    sort,
    rootIds: nodes.rootIds,
    nextCursor,
    loadingMore,
    loadMoreError,
    skipped,
    // guardAdapter leaves an operation the adapter lacks undefined, and makes the rest functions.
    can: { post: !!adapter.post, vote: !!adapter.vote, edit: !!adapter.edit, remove: !!adapter.remove, report: !!adapter.report },
    sanitizeHtml: adapter.sanitizeHtml ?? null,
    node: nodes.node,
    ancestors: nodes.ancestors,
    size: nodes.size,
    form: forms.form,
    saveDraft: forms.saveDraft,
    isOwn: (id) => own.token(id) !== null,
    load: fetchFirstPage,
    loadMore,
    reveal,
    focusRequest,
    online,
    held,
    showHeld: () => live?.showHeld(), // nothing is held before live updates came
    receiveLive: (...args) => void withLive((ready) => ready.receiveLive(...args)),
    catchUp: async (readerInside) => {
      await withLive((ready) => ready.catchUp(readerInside, () => pagesLoaded, loadGeneration));
    },
    setSort,
    submit,
    preparePosting: () =>
      preparePosting().then(
        () => {},
        () => {}, // a failure shows on submit
      ),
    saveEdit: (id, body) => onComment(id, (ready) => ready.saveEdit(id, body)),
    remove: (id) => onComment(id, (ready) => ready.remove(id)),
    vote: (id, value) => onComment(id, (ready) => ready.vote(id, value)),
    report: (id, input) => actionsReady().then((ready) => ready.report(id, input)),
    receive: (comment) => batch(() => upsert(comment)),
    toggleCollapsed(id) {
      const node = nodes.node(id);
      if (node) node.collapsed.value = !node.collapsed.peek();
    },
    setReplying(id, open) {
      const node = nodes.node(id);
      if (node) node.replying.value = open;
    },
    setEditing(id, open) {
      const node = nodes.node(id);
      if (node)
        batch(() => {
          node.editing.value = open;
          node.error.value = null;
        });
    },
    dispose() {
      lifetime.abort();
    },
  };
}
