// buildTree and friends: ordering, repairs of broken input, and size limits, without recursion.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildTree, compareFor, countDescendants, type CommentTree } from '../../src/store/tree';
import type { Comment } from '../../src/types';

const T0 = Date.UTC(2024, 0, 1);

function comment(id: string, overrides: Partial<Comment> = {}): Comment {
  return {
    id,
    parentId: null,
    author: { name: `Author ${id}`, url: null, avatarUrl: null },
    body: `Body of ${id}`,
    createdAt: T0,
    editedAt: null,
    status: 'published',
    score: 0,
    ...overrides,
  };
}

const at = (minutes: number) => T0 + minutes * 60_000;

/** Every id reached from the roots, in display order, walked with an explicit stack. */
function walk(tree: CommentTree): string[] {
  const seen: string[] = [];
  const stack = [...(tree.children.get(null) ?? [])].reverse();
  let guard = 0;
  while (stack.length > 0) {
    if (++guard > 10 * (tree.byId.size + 1)) throw new Error('walk does not terminate: the tree has a cycle');
    const id = stack.pop()!;
    seen.push(id);
    const kids = tree.children.get(id) ?? [];
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
  }
  return seen;
}

const roots = (tree: CommentTree) => tree.children.get(null) ?? [];
const repliesOf = (tree: CommentTree, id: string) => tree.children.get(id) ?? [];

describe('buildTree', () => {
  const thread = [
    comment('a', { createdAt: at(10), score: 1 }),
    comment('b', { createdAt: at(20), score: 5 }),
    comment('c', { createdAt: at(30), score: 3 }),
    comment('a2', { parentId: 'a', createdAt: at(50), score: 9 }),
    comment('a1', { parentId: 'a', createdAt: at(40), score: 0 }),
    comment('a3', { parentId: 'a', createdAt: at(45), score: -2 }),
  ];

  it('orders top-level comments oldest first for "oldest"', () => {
    expect(roots(buildTree(thread, 'oldest'))).toEqual(['a', 'b', 'c']);
  });

  it('orders top-level comments newest first for "newest"', () => {
    expect(roots(buildTree(thread, 'newest'))).toEqual(['c', 'b', 'a']);
  });

  it('orders top-level comments by score for "top"', () => {
    expect(roots(buildTree(thread, 'top'))).toEqual(['b', 'c', 'a']);
  });

  it.each(['oldest', 'newest', 'top'] as const)('keeps replies oldest first whatever the sort (%s)', (sort) => {
    expect(repliesOf(buildTree(thread, sort), 'a')).toEqual(['a1', 'a3', 'a2']);
  });

  it('breaks score ties in "top" by age, oldest first', () => {
    const tree = buildTree(
      [comment('late', { createdAt: at(9), score: 2 }), comment('early', { createdAt: at(1), score: 2 })],
      'top',
    );
    expect(roots(tree)).toEqual(['early', 'late']);
  });

  it('breaks time ties by id so the order is stable', () => {
    const tree = buildTree([comment('y'), comment('x'), comment('z')], 'oldest');
    expect(roots(tree)).toEqual(['x', 'y', 'z']);
  });

  it('sorts comments with an unknown date (null) last in "oldest"', () => {
    const tree = buildTree(
      [comment('undated', { createdAt: null }), comment('new', { createdAt: at(5) }), comment('old', { createdAt: at(1) })],
      'oldest',
    );
    expect(roots(tree)).toEqual(['old', 'new', 'undated']);
  });

  it('sorts undated replies after dated ones', () => {
    const tree = buildTree(
      [comment('p'), comment('r1', { parentId: 'p', createdAt: null }), comment('r2', { parentId: 'p', createdAt: at(3) })],
      'newest',
    );
    expect(repliesOf(tree, 'p')).toEqual(['r2', 'r1']);
  });

  it('records the effective parent of every comment', () => {
    const tree = buildTree(thread, 'oldest');
    expect(tree.parentOf.get('a')).toBeNull();
    expect(tree.parentOf.get('a2')).toBe('a');
    expect(tree.detached.size).toBe(0);
  });

  it('has an empty top level for no comments', () => {
    const tree = buildTree([], 'oldest');
    expect(roots(tree)).toEqual([]);
    expect(tree.byId.size).toBe(0);
  });

  it('shows a reply to an unknown parent at top level and marks it detached', () => {
    const tree = buildTree([comment('a'), comment('orphan', { parentId: 'gone', createdAt: at(1) })], 'oldest');
    expect(roots(tree)).toEqual(['a', 'orphan']);
    expect(tree.parentOf.get('orphan')).toBeNull();
    expect([...tree.detached]).toEqual(['orphan']);
  });

  it('keeps the replies of an orphan under it', () => {
    const tree = buildTree([comment('orphan', { parentId: 'gone' }), comment('child', { parentId: 'orphan' })], 'oldest');
    expect(roots(tree)).toEqual(['orphan']);
    expect(repliesOf(tree, 'orphan')).toEqual(['child']);
    expect(tree.detached.has('child')).toBe(false);
  });

  it('moves a comment that is its own parent to the top level', () => {
    const tree = buildTree([comment('self', { parentId: 'self' })], 'oldest');
    expect(roots(tree)).toEqual(['self']);
    expect(tree.parentOf.get('self')).toBeNull();
    expect(walk(tree)).toEqual(['self']);
  });

  it('breaks a 2-cycle so each comment is shown once', () => {
    const tree = buildTree([comment('a', { parentId: 'b' }), comment('b', { parentId: 'a' })], 'oldest');
    const shown = walk(tree);
    expect(shown.slice().sort()).toEqual(['a', 'b']);
    expect(roots(tree)).toHaveLength(1);
    expect(tree.detached.size).toBe(1);
  });

  it('breaks a 3-cycle so each comment is shown once', () => {
    const tree = buildTree(
      [comment('a', { parentId: 'c' }), comment('b', { parentId: 'a' }), comment('c', { parentId: 'b' })],
      'oldest',
    );
    const shown = walk(tree);
    expect(shown.slice().sort()).toEqual(['a', 'b', 'c']);
    expect(roots(tree)).toHaveLength(1);
    // The rest of the cycle hangs under the comment that was cut loose, as a chain.
    expect(countDescendants(tree).get(roots(tree)[0]!)).toBe(2);
  });

  it('keeps a tail hanging off a cycle attached to it', () => {
    const tree = buildTree(
      [comment('a', { parentId: 'b' }), comment('b', { parentId: 'a' }), comment('tail', { parentId: 'a' })],
      'oldest',
    );
    expect(walk(tree).slice().sort()).toEqual(['a', 'b', 'tail']);
    expect(tree.parentOf.get('tail')).toBe('a');
  });

  it('keeps the last of duplicate ids', () => {
    const tree = buildTree(
      [comment('x', { body: 'first' }), comment('y'), comment('x', { body: 'second', parentId: 'y' })],
      'oldest',
    );
    expect(tree.byId.size).toBe(2);
    expect(tree.byId.get('x')?.body).toBe('second');
    expect(tree.parentOf.get('x')).toBe('y');
    expect(walk(tree)).toEqual(['y', 'x']);
  });

  it('handles a 500-deep chain of replies without overflowing the stack', () => {
    const chain = Array.from({ length: 500 }, (_, i) =>
      comment(`n${i}`, { parentId: i === 0 ? null : `n${i - 1}`, createdAt: at(i) }),
    );
    const tree = buildTree(chain.slice().reverse(), 'oldest');
    expect(roots(tree)).toEqual(['n0']);
    expect(walk(tree)).toEqual(chain.map((c) => c.id));
    expect(countDescendants(tree).get('n0')).toBe(499);
    expect(countDescendants(tree).get('n499')).toBe(0);
  });

  it('handles a 5,000-long cycle', () => {
    const ring = Array.from({ length: 5000 }, (_, i) => comment(`r${i}`, { parentId: `r${(i + 1) % 5000}` }));
    const tree = buildTree(ring, 'oldest');
    expect(roots(tree)).toHaveLength(1);
    expect(new Set(walk(tree)).size).toBe(5000);
  });

  it('handles 10,000 siblings in order', () => {
    const siblings = Array.from({ length: 10_000 }, (_, i) => comment(`s${i}`, { parentId: 'root', createdAt: at(10_000 - i) }));
    const tree = buildTree([comment('root'), ...siblings], 'oldest');
    const replies = repliesOf(tree, 'root');
    expect(replies).toHaveLength(10_000);
    expect(replies[0]).toBe('s9999');
    expect(replies[9999]).toBe('s0');
    expect(countDescendants(tree).get('root')).toBe(10_000);
  });
});

describe('countDescendants', () => {
  it('counts replies of replies', () => {
    const tree = buildTree(
      [
        comment('a'),
        comment('b', { parentId: 'a' }),
        comment('c', { parentId: 'b' }),
        comment('d', { parentId: 'a' }),
        comment('e'),
      ],
      'oldest',
    );
    const counts = countDescendants(tree);
    expect(counts.get('a')).toBe(3);
    expect(counts.get('b')).toBe(1);
    expect(counts.get('c')).toBe(0);
    expect(counts.get('e')).toBe(0);
  });
});

describe('compareFor', () => {
  const old = comment('old', { createdAt: at(1), score: 10 });
  const young = comment('young', { createdAt: at(2), score: 1 });

  it('puts the older comment first for "oldest"', () => {
    expect(compareFor('oldest', true)(old, young)).toBeLessThan(0);
  });

  it('puts the newer comment first for "newest"', () => {
    expect(compareFor('newest', true)(old, young)).toBeGreaterThan(0);
  });

  it('puts the higher score first for "top"', () => {
    expect(compareFor('top', true)(young, old)).toBeGreaterThan(0);
  });

  it.each(['oldest', 'newest', 'top'] as const)('orders replies oldest first (%s)', (sort) => {
    expect(compareFor(sort, false)(old, young)).toBeLessThan(0);
    expect(compareFor(sort, false)(young, old)).toBeGreaterThan(0);
  });

  it('treats a comment as equal to itself', () => {
    expect(compareFor('top', true)(old, old)).toBe(0);
  });
});

describe('buildTree properties', () => {
  const pool = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
  const arbComment = fc
    .record({
      id: fc.constantFrom(...pool),
      parentId: fc.oneof(fc.constantFrom(...pool), fc.constant(null), fc.constant('unknown')),
      createdAt: fc.oneof(fc.integer({ min: 0, max: 100 }), fc.constant(null)),
      score: fc.integer({ min: -3, max: 3 }),
      body: fc.string({ maxLength: 4 }),
    })
    .map(({ id, ...rest }) => comment(id, rest));
  const arbComments = fc.array(arbComment, { maxLength: 20 });
  const arbSort = fc.constantFrom('oldest' as const, 'newest' as const, 'top' as const);

  it('shows every distinct id exactly once when walked from the roots', () => {
    fc.assert(
      fc.property(arbComments, arbSort, (comments, sort) => {
        const tree = buildTree(comments, sort);
        const shown = walk(tree);
        const distinct = new Set(comments.map((c) => c.id));
        expect(shown.length).toBe(distinct.size);
        expect(new Set(shown)).toEqual(distinct);
        expect(tree.byId.size).toBe(distinct.size);
      }),
      { numRuns: 300 },
    );
  });

  it('never makes a comment its own ancestor', () => {
    fc.assert(
      fc.property(arbComments, arbSort, (comments, sort) => {
        const tree = buildTree(comments, sort);
        for (const id of tree.byId.keys()) {
          let current = tree.parentOf.get(id) ?? null;
          let steps = 0;
          while (current !== null) {
            expect(current).not.toBe(id);
            expect(++steps).toBeLessThanOrEqual(tree.byId.size);
            current = tree.parentOf.get(current) ?? null;
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('keeps the last version of each duplicate and a known parent for each reply', () => {
    fc.assert(
      fc.property(arbComments, arbSort, (comments, sort) => {
        const tree = buildTree(comments, sort);
        for (const c of comments) expect(tree.byId.get(c.id)).toBe(comments.filter((d) => d.id === c.id).pop());
        for (const [id, parent] of tree.parentOf) {
          if (parent !== null) {
            expect(tree.byId.has(parent)).toBe(true);
            expect(tree.byId.get(id)?.parentId).toBe(parent);
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('keeps every children list sorted by its comparator', () => {
    fc.assert(
      fc.property(arbComments, arbSort, (comments, sort) => {
        const tree = buildTree(comments, sort);
        for (const [parent, ids] of tree.children) {
          const compare = compareFor(sort, parent === null);
          for (let i = 1; i < ids.length; i++) {
            expect(compare(tree.byId.get(ids[i - 1]!)!, tree.byId.get(ids[i]!)!)).toBeLessThanOrEqual(0);
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('counts, for every comment, as many descendants as a walk of its subtree finds', () => {
    fc.assert(
      fc.property(arbComments, (comments) => {
        const tree = buildTree(comments, 'oldest');
        const counts = countDescendants(tree);
        for (const id of tree.byId.keys()) {
          let found = 0;
          const stack = [...(tree.children.get(id) ?? [])];
          while (stack.length > 0) {
            found++;
            stack.push(...(tree.children.get(stack.pop()!) ?? []));
          }
          expect(counts.get(id)).toBe(found);
        }
      }),
      { numRuns: 200 },
    );
  });
});
