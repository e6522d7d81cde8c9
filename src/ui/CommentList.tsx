// The list of top-level comments, rendered in slices, and "Load more" below it. The slicing is
// what keeps a 10,000-comment thread from freezing the page: the first screen renders at once,
// the rest in later tasks that yield to the browser, and a new sort order replaces the list
// without removing thousands of comments in one go.
import { Component } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { SortOrder } from '../types';
import type { ThreadStore } from '../store/thread-store';
import { nextTask } from '../scheduler';
import { loadCommentEvents } from './comment-listener';
import { useWidget } from './context';
import { Comment } from './Comment';
import { errorText } from './error-text';

/**
 * Comments rendered at once before the first paint: as many as would fill the window if each
 * were one line of text (64 px: its name, a line, its actions take more), so the first screen
 * is whole at the first paint, and no more: each comment in it delays the first one's showing.
 * 15 in a 900 px window, 12 in a phone's 740; at most 30.
 */
let firstSlice = () => Math.min(30, Math.ceil(innerHeight / 64));
/** The server rendering (ssr.tsx) has no later tasks: the whole page in the first slice. */
export function renderWholePages(): void {
  firstSlice = () => Infinity;
}

/** Script time one later slice may take, so that no task blocks the page for long. */
const SLICE_BUDGET_MS = 30;

/**
 * The top-level comments, rendered in slices: the first screen at once, the rest in later
 * tasks that yield to the browser between them, so a 10,000-comment page never freezes it.
 * Every comment still ends up in the DOM (find-in-page finds all of them).
 */
export function CommentList() {
  const widget = useWidget();
  const { store } = widget;
  const ids = store.rootIds.value;
  const sort = store.sort.value;
  const focus = store.focusRequest.value;
  // `ends`: where each slice shown so far ends (its last is how many are shown).
  const [shown, setShown] = useState({ sort, ends: [] as number[], perComment: 0 });
  const startedAt = useRef(0);
  startedAt.current = now();
  // A new order starts again from the top; new pages and comments keep what is shown.
  const before = shown.sort === sort ? shown.ends.filter((end) => end <= ids.length) : [];
  const shownBefore = before[before.length - 1] ?? 0;
  let count = Math.max(shownBefore, rootsWithin(store, ids, 0, firstSlice()));
  // A comment that must be seen now (a permalink, a reply just posted) is shown with its root,
  // once per request: an old request must not pull a whole new order into one render.
  const served = useRef<typeof focus>(null);
  if (focus && focus !== served.current) count = Math.max(count, rootIndexOf(store, ids, focus.id) + 1);
  count = Math.min(count, ids.length);
  const ends = count > shownBefore ? [...before, count] : before;

  // Once the first comments are painted, the formatters their times need are built (context.ts),
  // before the next slice is rendered (asked for here, before the slice's effect below: it only
  // schedules, once).
  const any = ids.length > 0;
  if (any) widget.warmIntl();

  // What this render shows is what later renders keep.
  useLayoutEffect(() => {
    served.current = focus;
    if (sort !== shown.sort || count > shownBefore) setShown((s) => ({ ...s, sort, ends }));
  });

  // Right after this render is in the DOM (before paint): measure it and plan the next slice.
  useLayoutEffect(() => {
    if (count >= ids.length) return;
    // How long a comment took to render, learned from the slices so far, sizes the next one.
    const spent = now() - startedAt.current;
    const comments = Math.max(1, commentsIn(store, ids, ends.length > 1 ? ends[ends.length - 2]! : 0, count));
    const perComment = shown.perComment ? (shown.perComment + spent / comments) / 2 : spent / comments;
    // After the first slice, wait for a frame too: the first screen is painted before the rest.
    return nextTask(() => {
      const budget = Math.max(10, Math.floor(SLICE_BUDGET_MS / Math.max(perComment, 0.01)));
      setShown({ sort, ends: [...ends, rootsWithin(store, ids, count, budget)], perComment });
    }, shownBefore === 0);
  }, [ids, count, sort]);

  // Once the first comments are painted, the code their buttons run comes (comment-listener.ts).
  useEffect(() => {
    if (any) return nextTask(() => void loadCommentEvents().catch(() => {}), true);
  }, [any]);

  // The list in the order before a new sort: kept out of sight and taken away a slice per task.
  const last = useRef({ sort, ids, ends });
  const [leaving, setLeaving] = useState<{ sort: SortOrder; ids: readonly string[]; ends: number[] } | null>(null);
  let going = leaving && leaving.sort !== sort ? leaving : null;
  if (last.current.sort !== sort && last.current.ends.length > 0) going = last.current;
  useLayoutEffect(() => {
    last.current = { sort, ids, ends };
  });
  useLayoutEffect(() => {
    if (going !== leaving) setLeaving(going);
    if (!going) return;
    return nextTask(() => setLeaving(going.ends.length > 1 ? { ...going, ends: going.ends.slice(0, -1) } : null));
  }, [going]);

  // "Load more" waits until every slice is in: appearing early, it would be pushed down by each
  // one (a layout shift right where the reader looks).
  if (ids.length === 0 && !going) return <LoadMore />;
  // Each slice is its own component: adding one does not walk the ones already shown. A new
  // order gets a new list element; the old one stays, out of sight (content-visibility, inert),
  // and loses a slice per task: removing 10,000 comments at once would freeze the page.
  return (
    <>
      {ids.length > 0 && (
        <ul key={sort} class="confab-list" role="list" aria-busy={store.status.value === 'loading'}>
          {ends.map((end, i) => (
            <Slice key={i} ids={ids} start={i === 0 ? 0 : ends[i - 1]!} end={end} />
          ))}
        </ul>
      )}
      {going && (
        <ul key={going.sort} class="confab-list confab-list--leaving" role="list" aria-hidden="true" inert>
          {going.ends.map((end, i) => (
            <Slice key={i} ids={going.ids} start={i === 0 ? 0 : going.ends[i - 1]!} end={end} />
          ))}
        </ul>
      )}
      {count >= ids.length && <LoadMore />}
    </>
  );
}

interface SliceProps {
  ids: readonly string[];
  start: number;
  end: number;
}

/**
 * Top-level comments start…end; renders again only when its range or the comments in it change.
 * A new page makes a new list with the same comments first: the slices already shown stay as
 * they are.
 */
class Slice extends Component<SliceProps> {
  override shouldComponentUpdate({ ids, start, end }: SliceProps) {
    const before = this.props;
    if (start !== before.start || end !== before.end) return true;
    if (ids === before.ids) return false;
    for (let i = start; i < end; i++) if (ids[i] !== before.ids[i]) return true;
    return false;
  }
  override render({ ids, start, end }: SliceProps) {
    const items = [];
    for (let i = start; i < end; i++) items.push(<Comment key={ids[i]} id={ids[i]!} depth={0} inThread />);
    return items;
  }
}

const now = () => (typeof performance === 'undefined' ? Date.now() : performance.now());

/** The index just past the top-level comments from `start` that hold about `budget` comments. */
function rootsWithin(store: ThreadStore, ids: readonly string[], start: number, budget: number): number {
  let end = start;
  for (let total = 0; end < ids.length && (end === start || total < budget); end++) {
    total += 1 + (store.node(ids[end]!)?.replyCount.peek() ?? 0);
  }
  return end;
}

function commentsIn(store: ThreadStore, ids: readonly string[], start: number, end: number): number {
  let total = 0;
  for (let i = start; i < end; i++) total += 1 + (store.node(ids[i]!)?.replyCount.peek() ?? 0);
  return total;
}

/** Where the top-level ancestor of `id` is in `ids`; -1 when it is not there. */
function rootIndexOf(store: ThreadStore, ids: readonly string[], id: string): number {
  let top = id;
  for (const up of store.ancestors(id)) top = up;
  return ids.indexOf(top);
}

function LoadMore() {
  const { store, t } = useWidget();
  if (!store.nextCursor.value || store.status.value !== 'ready') return null;
  const loading = store.loadingMore.value;
  const error = store.loadMoreError.value;
  return (
    <div class="confab-more">
      {error && (
        <p class="confab-notice confab-notice--error" role="alert">
          {errorText(t, error)}
        </p>
      )}
      <button type="button" class="confab-button" disabled={loading} aria-busy={loading} onClick={() => void store.loadMore()}>
        {loading ? t('thread.loadingMore') : error ? t('action.retry') : t('thread.loadMore')}
      </button>
    </div>
  );
}
