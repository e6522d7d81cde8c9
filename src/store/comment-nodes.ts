// The normalized comments: one node of signals per comment, child lists per parent, and the
// operations that keep them consistent. Every change touches one branch: O(depth + siblings).
import { signal, type ReadonlySignal, type Signal } from '@preact/signals-core';
import type { ConfabError } from '../errors';
import type { Comment, SortOrder, VoteValue } from '../types';
import { buildTree, compareFor, countDescendants } from './tree';

export type CommentBusy = null | 'voting' | 'saving' | 'deleting';

export interface CommentNode {
  readonly id: string;
  readonly comment: Signal<Comment>;
  readonly childIds: Signal<readonly string[]>;
  /** Descendants, for "N replies" on a collapsed comment. */
  readonly replyCount: Signal<number>;
  /** Its parent was unknown (or it closed a cycle): shown at top level, marked. */
  readonly detached: Signal<boolean>;
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

/** A page's comments ordered parents first, so that inserting one by one finds every parent. */
export function parentsFirst(comments: readonly Comment[]): Comment[] {
  const tree = buildTree(comments, 'oldest');
  const order: string[] = [...(tree.children.get(null) ?? [])];
  for (let i = 0; i < order.length; i++) order.push(...(tree.children.get(order[i]!) ?? []));
  return order.map((id) => tree.byId.get(id)!);
}

const NO_IDS: readonly string[] = [];

/**
 * One comment's signals. The three every render needs are made at once; the rest (collapsed,
 * replying, voting…) when first read, which is when the comment is first rendered. Building a
 * 10,000-comment thread then makes 30,000 signals, not 110,000, and the rest come with the
 * render slices that show them.
 */
class Node implements CommentNode {
  readonly comment: Signal<Comment>;
  readonly childIds = signal<readonly string[]>(NO_IDS);
  readonly replyCount = signal(0);
  // Made when first read (see the getters). Plain fields, not a side object: one allocation
  // less per comment.
  private detachedSignal?: Signal<boolean>;
  private collapsedSignal?: Signal<boolean>;
  private replyingSignal?: Signal<boolean>;
  private editingSignal?: Signal<boolean>;
  private busySignal?: Signal<CommentBusy>;
  private errorSignal?: Signal<ConfabError | null>;
  private myVoteSignal?: Signal<VoteValue>;
  private highlightedSignal?: Signal<boolean>;

  constructor(
    comment: Comment,
    private isDetached: boolean,
    readonly sending: boolean,
    private readonly myVoteOf: (id: string) => VoteValue,
  ) {
    this.comment = signal(comment);
  }

  get id() {
    return this.comment.peek().id;
  }
  get detached() {
    return (this.detachedSignal ??= signal(this.isDetached));
  }
  /** Sets `detached` without making its signal when no one has read it yet. */
  setDetached(value: boolean) {
    if (this.detachedSignal) this.detachedSignal.value = value;
    else this.isDetached = value;
  }
  get collapsed() {
    return (this.collapsedSignal ??= signal(false));
  }
  get replying() {
    return (this.replyingSignal ??= signal(false));
  }
  get editing() {
    return (this.editingSignal ??= signal(false));
  }
  get busy() {
    return (this.busySignal ??= signal<CommentBusy>(null));
  }
  get error() {
    return (this.errorSignal ??= signal<ConfabError | null>(null));
  }
  get myVote() {
    return (this.myVoteSignal ??= signal(this.myVoteOf(this.id)));
  }
  get highlighted() {
    return (this.highlightedSignal ??= signal(false));
  }
}

/** The same comment as shown: a reload that changed nothing re-renders nothing. */
function sameComment(a: Comment, b: Comment): boolean {
  return (
    a.body === b.body &&
    a.bodyHtml === b.bodyHtml &&
    a.status === b.status &&
    a.score === b.score &&
    a.editedAt === b.editedAt &&
    a.createdAt === b.createdAt &&
    a.parentId === b.parentId &&
    a.author.name === b.author.name &&
    a.author.url === b.author.url &&
    a.author.avatarUrl === b.author.avatarUrl &&
    a.author.role === b.author.role &&
    a.pinned === b.pinned
  );
}

/** Sets a child list only when it differs, so unchanged branches do not re-render. */
function setIds(list: Signal<readonly string[]>, ids: readonly string[]) {
  const current = list.peek();
  if (current.length !== ids.length || current.some((id, i) => id !== ids[i])) list.value = ids;
}

export function createCommentNodes(sort: ReadonlySignal<SortOrder>, myVoteOf: (id: string) => VoteValue) {
  const nodes = new Map<string, Node>();
  const parentOf = new Map<string, string | null>();
  const rootIds = signal<readonly string[]>([]);

  const makeNode = (comment: Comment, detached: boolean, sending = false) => new Node(comment, detached, sending, myVoteOf);

  const childList = (parent: string | null) => (parent === null ? rootIds : nodes.get(parent)!.childIds);

  function comparatorFor(parent: string | null) {
    const compare = compareFor(sort.peek(), parent === null);
    return (a: string, b: string) => compare(nodes.get(a)!.comment.peek(), nodes.get(b)!.comment.peek());
  }

  /** Adds to (or takes from) the reply counts of every ancestor. */
  function bumpAncestors(parent: string | null, delta: number) {
    for (const id of ancestorsFrom(parent)) nodes.get(id)!.replyCount.value += delta;
  }

  function sortRoots() {
    setIds(rootIds, [...rootIds.peek()].sort(comparatorFor(null)));
  }

  function* ancestorsFrom(parent: string | null) {
    for (let id = parent; id !== null && nodes.has(id); id = parentOf.get(id) ?? null) yield id;
  }

  return {
    rootIds,
    node: (id: string): CommentNode | undefined => nodes.get(id),
    has: (id: string) => nodes.has(id),
    size: () => nodes.size,
    /** The ids above a comment, nearest first. */
    ancestors: (id: string) => ancestorsFrom(parentOf.get(id) ?? null),

    /**
     * Replaces everything, as after a reload or a new sort; call inside a batch. A comment that
     * stays keeps its node, updated in place: its mounted component goes on reading the same
     * signals, and the reader's collapsed branches and open forms stay as they were.
     */
    replaceAll(comments: readonly Comment[]) {
      const tree = buildTree(comments, sort.peek());
      const counts = countDescendants(tree);
      const previous = new Map(nodes);
      nodes.clear();
      parentOf.clear();
      for (const [id, comment] of tree.byId) {
        const kept = previous.get(id);
        const node = kept && !kept.sending ? kept : makeNode(comment, tree.detached.has(id));
        if (!sameComment(node.comment.peek(), comment)) node.comment.value = comment;
        node.setDetached(tree.detached.has(id));
        node.replyCount.value = counts.get(id) ?? 0;
        setIds(node.childIds, tree.children.get(id) ?? NO_IDS);
        nodes.set(id, node);
        parentOf.set(id, tree.parentOf.get(id) ?? null);
      }
      setIds(rootIds, tree.children.get(null) ?? NO_IDS);
    },

    /** Puts the top level in the current sort order (replies always read oldest first). */
    sortRoots,

    /** Inserts a new comment, or updates a known one in place (its position stays unless it was pinned or unpinned). */
    upsert(comment: Comment, sending = false) {
      const known = nodes.get(comment.id);
      if (known) {
        const repin = !known.comment.peek().pinned !== !comment.pinned;
        known.comment.value = comment;
        if (repin && parentOf.get(comment.id) === null) sortRoots();
        return;
      }
      const wanted = comment.parentId;
      const parent = wanted !== null && nodes.has(wanted) ? wanted : null;
      nodes.set(comment.id, makeNode(comment, wanted !== null && parent === null, sending));
      parentOf.set(comment.id, parent);
      const list = childList(parent);
      list.value = [...list.peek(), comment.id].sort(comparatorFor(parent));
      bumpAncestors(parent, 1);
    },

    /** Takes a comment and its subtree out (used for optimistic entries). */
    discard(id: string) {
      const node = nodes.get(id);
      if (!node) return;
      const parent = parentOf.get(id) ?? null;
      const list = childList(parent);
      list.value = list.peek().filter((other) => other !== id);
      bumpAncestors(parent, -(1 + node.replyCount.peek()));
      const stack = [id];
      while (stack.length > 0) {
        const next = stack.pop()!;
        stack.push(...(nodes.get(next)?.childIds.peek() ?? []));
        nodes.delete(next);
        parentOf.delete(next);
      }
    },
  };
}

export type CommentNodes = ReturnType<typeof createCommentNodes>;
