// The list of top-level comments, rendered in slices, and "Load more" below it. The slicing is
// what keeps a 10,000-comment thread from freezing the page: the first screen renders at once,
// the rest in later tasks that yield to the browser (a top-level comment with hundreds of
// replies a part at a time, in reading order), and a new sort order replaces the list without
// removing thousands of comments in one go.
import { Component } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { SortOrder } from '../types';
import type { ThreadStore } from '../store/thread-store';
import { nextTask } from '../scheduler';
import { loadCommentEvents } from './comment-listener';
import { useWidget } from './context';
import { Comment, sizeOf } from './Comment';
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
  const [shown, setShown] = useState<Shown>({ sort, ends: [], part: null, added: 0 });
  const startedAt = useRef(0);
  startedAt.current = performance.now(); // in Node too (the server's rendering)
  const measured = useRef<number[]>();
  const perComment = useRef(0);
  // A new order starts again from the top; new pages and comments keep what is shown.
  const kept = shown.sort === sort;
  let ends = kept ? shown.ends.filter((end) => end <= ids.length) : [];
  if (kept && ends.length === shown.ends.length) ends = shown.ends; // the same: nothing to save
  let part = kept ? shown.part : null;
  let added = shown.added;
  const shownBefore = ends.at(-1) ?? 0;
  if (!shownBefore && ids.length) ({ ends, part, added } = advance(store, ids, ends, null, firstSlice()));
  // A comment that must be seen now (a permalink, a reply just posted) is shown with its root,
  // whole, once per request: an old request must not pull a whole new order into one render.
  const served = useRef<typeof focus>(null);
  if (focus && focus !== served.current) {
    const through = rootIndexOf(store, ids, focus.id) + 1;
    if (through > ends.at(-1)!) ends = [...ends, through];
    part = null;
  }
  const count = ends.at(-1) ?? 0;
  const pending = count < ids.length || part !== null;

  // Once the first comments are painted, the formatters their times need are built (context.ts),
  // before the next slice is rendered (asked for here, before the slice's effect below: it only
  // schedules, once).
  const any = ids.length > 0;
  if (any) widget.warmIntl();

  // What this render shows is what later renders keep.
  useLayoutEffect(() => {
    served.current = focus;
    if (!kept || ends !== shown.ends || part !== shown.part) setShown((s) => ({ ...s, sort, ends, part, added }));
  });

  // Right after this render is in the DOM (before paint): measure it and plan the next slice.
  useLayoutEffect(() => {
    // How long a comment took to render, learned from the renders that added some (the last
    // slice too; a render for a new page adds none), sizes the next slice.
    if (measured.current !== ends) {
      measured.current = ends;
      const sample = (performance.now() - startedAt.current) / (added || 1);
      perComment.current = perComment.current ? (perComment.current + sample) / 2 : sample;
    }
    if (!pending) return;
    // After the first slice, wait for a frame too: the first screen is painted before the rest.
    return nextTask(() => {
      const budget = Math.max(10, Math.floor(SLICE_BUDGET_MS / Math.max(perComment.current, 0.01)));
      setShown({ sort, ...advance(store, ids, ends, part, budget) });
    }, shownBefore === 0);
  }, [ids, ends, part, sort]);

  // Once the first comments are painted, the code their buttons run comes (comment-listener.ts).
  useEffect(() => {
    if (any) return nextTask(() => void loadCommentEvents().catch(() => {}), true);
  }, [any]);

  // The list in the order before a new sort: kept out of sight and taken away a slice per task.
  const last = useRef({ sort, ids, ends, part });
  const [leaving, setLeaving] = useState<{ sort: SortOrder; ids: readonly string[]; ends: number[]; part: Plan['part'] } | null>(
    null,
  );
  let going = leaving && leaving.sort !== sort ? leaving : null;
  if (last.current.sort !== sort && last.current.ends.length > 0) going = last.current;
  useLayoutEffect(() => {
    last.current = { sort, ids, ends, part };
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
            <Slice key={i} ids={ids} start={i === 0 ? 0 : ends[i - 1]!} end={end} part={part} />
          ))}
        </ul>
      )}
      {going && (
        <ul key={going.sort} class="confab-list confab-list--leaving" role="list" aria-hidden="true" inert>
          {going.ends.map((end, i) => (
            <Slice key={i} ids={going.ids} start={i === 0 ? 0 : going.ends[i - 1]!} end={end} part={going.part} />
          ))}
        </ul>
      )}
      {!pending && <LoadMore />}
    </>
  );
}

interface SliceProps {
  ids: readonly string[];
  start: number;
  end: number;
  part: Plan['part'];
}

/**
 * Top-level comments start…end; renders again only when its range, the comments in it or the
 * part shown of one of them change.
 * A new page makes a new list with the same comments first: the slices already shown stay as
 * they are.
 */
class Slice extends Component<SliceProps> {
  override shouldComponentUpdate({ ids, start, end, part }: SliceProps) {
    const before = this.props;
    if (start !== before.start || end !== before.end || part !== before.part) return true;
    if (ids === before.ids) return false;
    for (let i = start; i < end; i++) if (ids[i] !== before.ids[i]) return true;
    return false;
  }
  override render({ ids, start, end, part }: SliceProps) {
    const items = [];
    for (let i = start; i < end; i++) {
      const id = ids[i]!;
      items.push(<Comment key={id} id={id} depth={0} inThread limit={part?.[0] === id ? part[1] : undefined} />);
    }
    return items;
  }
}

/** What the list shows: slices of top-level comments, and the part shown of a long branch. */
interface Plan {
  /** Where each slice ends, as an index in the top-level ids; the last is how many are shown. */
  ends: number[];
  /**
   * A top-level comment longer than a slice, shown in part: its id, and how many of its comments
   * (itself and its replies, in reading order) are shown.
   */
  part: readonly [id: string, shown: number] | null;
  /** How many comments the last step added: how the time it took is shared out. */
  added: number;
}

interface Shown extends Plan {
  sort: SortOrder;
}

/**
 * The next step of the list: about `budget` more comments in reading order. The rest of a long
 * branch first; then whole top-level comments while they fit, and one too long for what is left
 * in a slice of its own, a part of it: a 150-reply branch first in the thread must not make the
 * first paint one long task.
 */
function advance(store: ThreadStore, ids: readonly string[], ends: number[], part: Plan['part'], budget: number): Plan {
  const next = [...ends];
  let end = next.at(-1) ?? 0;
  let left = budget;
  let cut: Plan['part'] = null;
  if (part) {
    const size = sizeOf(store, part[0]);
    // Still not whole after this step: it takes the whole budget.
    if (part[1] + left < size) [cut, left] = [[part[0], part[1] + left], 0];
    else left -= size - part[1];
  }
  const start = end;
  for (; left > 0 && end < ids.length; end++) {
    const size = sizeOf(store, ids[end]!);
    // Longer than what is left of the slice by more than 10: shown a part at a time.
    if (size > left + 10) {
      if (end > start) next.push(end);
      cut = [ids[end]!, left];
      left = 0;
    } else left -= size;
  }
  if (end > (next.at(-1) ?? 0)) next.push(end);
  return { ends: next, part: cut, added: budget - left };
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
