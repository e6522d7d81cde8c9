// Pure, iterative tree helpers. No recursion anywhere: a 500-deep chain or a hostile cycle
// must never blow the stack.
import type { Comment, SortOrder } from '../types';

export interface CommentTree {
  /** One entry per distinct id; for duplicate ids the last one wins. */
  byId: Map<string, Comment>;
  /** Effective parent after repairs: null for top level. */
  parentOf: Map<string, string | null>;
  /** Child ids per parent id, sorted; the key `null` holds the top level. */
  children: Map<string | null, string[]>;
  /** Comments whose parent is unknown or that closed a cycle: shown at top level, marked. */
  detached: Set<string>;
}

const time = (c: Comment) => c.createdAt ?? Number.MAX_SAFE_INTEGER;
const byTimeThenId = (a: Comment, b: Comment) => time(a) - time(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Top-level order follows the reader's choice, pinned comments first whatever it is (as the
 * server sends them); replies always read as a conversation.
 */
export function compareFor(sort: SortOrder, topLevel: boolean): (a: Comment, b: Comment) => number {
  if (!topLevel) return byTimeThenId;
  // Pinned first: !pinned is 0 for a pinned comment, 1 for the rest.
  return (a, b) =>
    +!a.pinned - +!b.pinned ||
    (sort === 'oldest' ? byTimeThenId(a, b) : sort === 'newest' ? byTimeThenId(b, a) : b.score - a.score || byTimeThenId(a, b));
}

export function sortIds(
  ids: string[],
  byId: ReadonlyMap<string, Comment>,
  compare: (a: Comment, b: Comment) => number,
): string[] {
  return ids.sort((a, b) => compare(byId.get(a)!, byId.get(b)!));
}

export function buildTree(comments: readonly Comment[], sort: SortOrder): CommentTree {
  const byId = new Map<string, Comment>();
  for (const comment of comments) {
    byId.delete(comment.id); // re-insert so the last duplicate also keeps the last position
    byId.set(comment.id, comment);
  }

  const parentOf = new Map<string, string | null>();
  const detached = new Set<string>();
  for (const comment of byId.values()) {
    const wanted = comment.parentId;
    if (wanted === null) parentOf.set(comment.id, null);
    else if (byId.has(wanted)) parentOf.set(comment.id, wanted);
    else {
      parentOf.set(comment.id, null);
      detached.add(comment.id);
    }
  }

  // Walk up from every comment, colouring the path; meeting the current path again means a
  // cycle, which is cut at the comment that closes it. Each comment is walked once: O(n).
  const state = new Map<string, 1 | 2>(); // 1: on the current path, 2: known to reach the top
  for (const start of byId.keys()) {
    const path: string[] = [];
    let current: string | null = start;
    while (current !== null && !state.has(current)) {
      state.set(current, 1);
      path.push(current);
      const parent: string | null = parentOf.get(current) ?? null;
      if (parent !== null && state.get(parent) === 1) {
        parentOf.set(current, null);
        detached.add(current);
        break;
      }
      current = parent;
    }
    for (const id of path) state.set(id, 2);
  }

  const children = new Map<string | null, string[]>([[null, []]]);
  for (const [id, parent] of parentOf) {
    let list = children.get(parent);
    if (!list) children.set(parent, (list = []));
    list.push(id);
  }
  for (const [parent, ids] of children) sortIds(ids, byId, compareFor(sort, parent === null));
  return { byId, parentOf, children, detached };
}

/** Number of descendants of every comment, bottom-up without recursion. */
export function countDescendants(tree: CommentTree): Map<string, number> {
  const counts = new Map<string, number>();
  const order: string[] = [];
  const stack = [...(tree.children.get(null) ?? [])];
  while (stack.length > 0) {
    const id = stack.pop()!;
    order.push(id);
    for (const child of tree.children.get(id) ?? []) stack.push(child);
  }
  for (let i = order.length - 1; i >= 0; i--) {
    const id = order[i]!;
    let total = 0;
    for (const child of tree.children.get(id) ?? []) total += 1 + (counts.get(child) ?? 0);
    counts.set(id, total);
  }
  return counts;
}
