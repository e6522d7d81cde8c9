// Issue 7's fuzzing, where the properties next to each module (format-body, tree, validate
// tests) do not reach yet: the formatter keeping *every* character (whitespace, controls, lone
// surrogates and bidi included) and never taking long, the renderer keeping the formatter's
// text and making nothing else, the validator never losing a comment or a body character and
// always giving a safe name, and the path from wire JSON through the tree and the store never
// losing or doubling a comment, whatever the ids, parents, duplicates and page splits.
import fc from 'fast-check';
import { h, render } from 'preact';
import { describe, expect, it } from 'vitest';
import { MAX_NAME_LENGTH, parseComment, parsePage } from '../../src/api/validate';
import { formatBody, type Block, type Inline } from '../../src/format/format-body';
import { buildTree } from '../../src/store/tree';
import { createStorage } from '../../src/store/storage';
import { createThreadStore } from '../../src/store/thread-store';
import { CommentBody } from '../../src/ui/CommentBody';
import type { Adapter, CommentPage, ListQuery } from '../../src/types';

/** Runs per property; the report of issue 7 quotes these numbers. */
const RUNS = { text: 400, timing: 60, render: 200, validator: 300, pipeline: 300, store: 150 } as const;

// Any UTF-16 code unit (NUL, controls, lone surrogates, bidi controls included) or astral.
const anyUnit = fc.oneof(
  { weight: 4, arbitrary: fc.nat(0xffff).map((n) => String.fromCharCode(n)) },
  { weight: 1, arbitrary: fc.integer({ min: 0x10000, max: 0x10ffff }).map((n) => String.fromCodePoint(n)) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '\n',
      '\r',
      '\r\n',
      ' ',
      '\t',
      '\u0000',
      '\u202E',
      '\u2067',
      '\u2069',
      '\u200B',
      '\uFEFF',
      '\u00A0',
      '\uD800',
      '\uDC00',
    ),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom('https://a.example/x', 'http://b.example', '<img src=x onerror=alert(1)>', '&lt;', '(', ')', '.'),
  },
);
const MARKUP = /[*`>]/g;
/** Text without the formatter's markup characters: all of it must come out, exactly. */
const plainBody = fc.array(anyUnit, { maxLength: 80 }).map((parts) => parts.join('').replace(MARKUP, ''));
/** Unicode and markup mixed. */
const mixedBody = fc
  .array(fc.oneof(anyUnit, fc.constantFrom('*', '**', '`', '``', '```', '> ', '>', '\n> ', '\n```\n', '_')), { maxLength: 60 })
  .map((parts) => parts.join(''));

/** The reader's text of one block: line breaks as "\n". */
function blockText(block: Block): string {
  if (block.type === 'code') return block.text;
  const out: string[] = [];
  const stack: Inline[] = block.children.slice().reverse();
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === 'break') out.push('\n');
    else if (node.type === 'strong' || node.type === 'em') stack.push(...node.children.slice().reverse());
    else out.push(node.text);
  }
  return out.join('');
}

/** What a plain body must read as: line endings unified, runs of blank lines one paragraph break. */
function expectedPlain(body: string): string {
  const paragraphs: string[][] = [[]];
  for (const line of body.replace(/\r\n?/g, '\n').split('\n')) {
    if (line.trim() === '') {
      if (paragraphs[paragraphs.length - 1]!.length > 0) paragraphs.push([]);
    } else paragraphs[paragraphs.length - 1]!.push(line);
  }
  return paragraphs
    .filter((lines) => lines.length > 0)
    .map((lines) => lines.join('\n'))
    .join('\n\n');
}

const hasFenceInfo = (body: string) =>
  body.split(/\r\n?|\n/).some((line) => /^\s*`{3,}[^`]*$/.test(line) && /^\s*`{3,}\s*\S/.test(line));

describe('formatBody, fuzzed', () => {
  it('keeps every character of a body without markup, exactly, whitespace and controls included', () => {
    fc.assert(
      fc.property(plainBody, (body) => {
        expect(formatBody(body).map(blockText).join('\n\n')).toBe(expectedPlain(body));
      }),
      { numRuns: RUNS.text },
    );
  });

  it('keeps every non-markup character of mixed unicode and markup, in order', () => {
    const keep = (s: string) => s.replace(/[*`>\s]/g, '');
    fc.assert(
      fc.property(mixedBody, (body) => {
        fc.pre(!hasFenceInfo(body));
        expect(keep(formatBody(body).map(blockText).join(''))).toBe(keep(body));
      }),
      { numRuns: RUNS.text },
    );
  });

  it('never takes long: 20,000-character lines of repeated markup finish in linear time', () => {
    const token = fc.constantFrom(
      '*',
      '**',
      '`',
      '``',
      '```',
      'a',
      ' ',
      '(',
      ')',
      'https://',
      'x.example/',
      '> ',
      '_',
      '\\',
      '<',
      '\u202E',
      '\uD800',
    );
    fc.assert(
      fc.property(fc.array(token, { minLength: 1, maxLength: 8 }), fc.boolean(), (unit, lines) => {
        const piece = unit.join('') + (lines ? '\n' : '');
        const body = piece.repeat(Math.ceil(20_000 / piece.length)).slice(0, 20_000);
        const start = performance.now();
        formatBody(body);
        // A quadratic path would take seconds here; linear work takes a few milliseconds.
        expect(performance.now() - start).toBeLessThan(400);
      }),
      { numRuns: RUNS.timing },
    );
  });
});

describe('CommentBody, fuzzed', () => {
  const ALLOWED = new Set(['DIV', 'P', 'BR', 'CODE', 'STRONG', 'EM', 'A', 'BLOCKQUOTE', 'PRE']);

  /** The DOM's text of one rendered block, with <br> as "\n". */
  function domText(el: Element): string {
    let out = '';
    const walk = (node: Node) => {
      if (node.nodeType === 3) out += (node as Text).data;
      else if ((node as Element).tagName === 'BR') out += '\n';
      else node.childNodes.forEach(walk);
    };
    walk(el);
    return out;
  }

  it("renders exactly the formatter's text, with only its element kinds and safe links", () => {
    const container = document.createElement('div');
    fc.assert(
      fc.property(fc.oneof(plainBody, mixedBody), (body) => {
        render(h(CommentBody, { text: body }), container);
        const root = container.firstElementChild!;
        const blocks = formatBody(body);
        expect(root.children.length).toBe(blocks.length);
        blocks.forEach((block, i) => expect(domText(root.children[i]!)).toBe(blockText(block)));
        for (const el of root.querySelectorAll('*')) {
          expect(ALLOWED.has(el.tagName)).toBe(true);
          for (const attr of el.attributes) {
            expect(el.tagName === 'A' && ['href', 'rel', 'target', 'dir'].includes(attr.name)).toBe(true);
          }
          if (el.tagName === 'A') {
            expect(el.getAttribute('href')).toMatch(/^https?:\/\/[^\s\u202A-\u202E\u2066-\u2069]+$/i);
            expect(el.getAttribute('dir')).toBe('ltr');
          }
        }
      }),
      { numRuns: RUNS.render },
    );
    render(null, container);
  });
});

describe('the validator, fuzzed', () => {
  const validId = fc.oneof(
    fc.string({ unit: anyUnit, minLength: 1, maxLength: 6 }),
    fc.integer(),
    fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'),
  );
  const body = fc.oneof(fc.string({ unit: anyUnit, maxLength: 60 }), fc.constant(null), fc.constant(undefined));

  it('never loses a comment with an id and a text body, and keeps its body exactly', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ id: validId, body, parentId: fc.option(validId) }), { maxLength: 12 }), (wire) => {
        const page = parsePage({ comments: wire }, 't');
        expect(page.skipped).toBe(0);
        expect(page.comments.map((c) => c.id)).toEqual(wire.map((w) => String(w.id)));
        page.comments.forEach((c, i) => expect(c.body).toBe(wire[i]!.body ?? ''));
      }),
      { numRuns: RUNS.validator },
    );
  });

  it('gives the same comment when run twice (so another boundary, say for custom adapters, may run it again)', () => {
    const field = fc.oneof(
      fc.string({ unit: anyUnit, maxLength: 30 }),
      fc.string({ unit: anyUnit, minLength: 195, maxLength: 260 }),
      fc.integer(),
      fc.double(),
      fc.constant(null),
      fc.constantFrom('https://a.example/ x', 'HTTP://B.example', 'javascript:x', '2024-01-01T00:00:00Z'),
    );
    const raw = fc.record(
      {
        id: fc.oneof(validId, field),
        parentId: field,
        body: field,
        status: fc.oneof(field, fc.constantFrom('deleted', 'pending')),
        score: field,
        createdAt: field,
        editedAt: field,
        author: fc.oneof(field, fc.record({ name: field, url: field, avatarUrl: field }, { requiredKeys: [] })),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(raw, (wire) => {
        const once = parseComment(wire);
        if (once) expect(parseComment(once)).toEqual(once);
      }),
      { numRuns: RUNS.validator },
    );
  });

  it('always gives a short, visible, control-free name, and keeps a plain one as it is', () => {
    const name = fc.oneof(
      fc.string({ unit: anyUnit, maxLength: 40 }),
      fc.string({ unit: anyUnit, minLength: 190, maxLength: 400 }),
      fc.string({ unit: 'grapheme', maxLength: 30 }),
    );
    fc.assert(
      fc.property(name, (raw) => {
        const shown = parseComment({ id: 'x', author: { name: raw } })!.author.name;
        // eslint-disable-next-line no-control-regex -- control characters are what a name must not hold
        expect(shown).not.toMatch(/[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/);
        expect(Array.from(shown).length).toBeLessThanOrEqual(MAX_NAME_LENGTH + 1);
        expect(shown).toBe(shown.trim());
        if (shown !== '') expect(shown).toMatch(/[^\p{Cf}\p{Z}\s\u115F\u1160\u3164\uFFA0\u2800]/u);
        const plain =
          raw.trim() === raw &&
          // eslint-disable-next-line no-control-regex -- as above
          !/[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/.test(raw) &&
          Array.from(raw).length <= MAX_NAME_LENGTH &&
          /[^\p{Cf}\p{Z}\s\u115F\u1160\u3164\uFFA0\u2800]/u.test(raw);
        if (plain) expect(shown).toBe(raw);
      }),
      { numRuns: RUNS.validator },
    );
  });
});

// Wire comments whose ids and parents come from a small pool (so that duplicates, cycles and
// parents on other pages are common), with hostile names in the pool.
const POOL = ['a', 'b', 'c', 'd', 'e', 'f', '1', '__proto__', 'constructor', 'x y', ''];
const wireComment = fc.record({
  id: fc.oneof(fc.constantFrom(...POOL), fc.constantFrom(1, 2)),
  parentId: fc.oneof(fc.constantFrom(...POOL), fc.constant(null), fc.constant(2), fc.constant('nowhere')),
  body: fc.oneof(fc.string({ maxLength: 5 }), fc.constant(7)),
  createdAt: fc.oneof(
    fc.integer({ min: 0, max: 50 }).map((m) => new Date(Date.UTC(2024, 0, 1, 0, m)).toISOString()),
    fc.constant('soon'),
  ),
  score: fc.integer({ min: -2, max: 2 }),
});

/** Every id reached from the top level, walked with an explicit stack and a cycle guard. */
function walkStore(store: ReturnType<typeof createThreadStore>): string[] {
  const seen: string[] = [];
  const stack = [...store.rootIds.value].reverse();
  while (stack.length > 0) {
    if (seen.length > 10 * (store.size() + 1)) throw new Error('the store holds a cycle');
    const id = stack.pop()!;
    seen.push(id);
    const kids = store.node(id)?.childIds.value ?? [];
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
  }
  return seen;
}

describe('wire → validator → tree → store, fuzzed', () => {
  it('shows every valid comment of a page exactly once, and skips and counts the rest', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof({ weight: 5, arbitrary: wireComment }, { weight: 1, arbitrary: fc.jsonValue() }), { maxLength: 25 }),
        fc.constantFrom('oldest' as const, 'newest' as const, 'top' as const),
        (wire, sort) => {
          const page = parsePage({ comments: wire }, 't');
          expect(page.comments.length + page.skipped).toBe(wire.length);
          const tree = buildTree(page.comments, sort);
          const shown: string[] = [];
          const stack = [...(tree.children.get(null) ?? [])];
          while (stack.length > 0) {
            const id = stack.pop()!;
            shown.push(id);
            stack.push(...(tree.children.get(id) ?? []));
            expect(shown.length).toBeLessThanOrEqual(page.comments.length);
          }
          expect(shown.slice().sort()).toEqual([...new Set(page.comments.map((c) => c.id))].sort());
        },
      ),
      { numRuns: RUNS.pipeline },
    );
  });

  it('never loses or doubles a comment across pages, repeats and live events in the store', async () => {
    const pages = fc.array(fc.array(wireComment, { maxLength: 8 }), { minLength: 1, maxLength: 4 });
    const live = fc.array(
      fc.tuple(
        fc.constantFrom('comment.created' as const, 'comment.updated' as const, 'comment.deleted' as const),
        wireComment,
        fc.boolean(),
      ),
      { maxLength: 5 },
    );
    await fc.assert(
      fc.asyncProperty(
        pages,
        live,
        fc.constantFrom('oldest' as const, 'newest' as const, 'top' as const),
        async (wirePages, events, sort) => {
          const parsed: CommentPage[] = wirePages.map((comments, i) => ({
            ...parsePage({ comments }, 't'),
            nextCursor: i + 1 < wirePages.length ? String(i + 1) : null,
          }));
          const adapter: Adapter = {
            list: async (_thread: string, query: ListQuery) => parsed[query.cursor ? Number(query.cursor) : 0]!,
          };
          const store = createThreadStore({ adapter, threadId: 't', sort, storage: createStorage('fuzz:', null) });
          await store.load();
          // Load every page, and then ask again for the last one (a repeated cursor).
          for (let i = 1; i < parsed.length; i++) await store.loadMore();
          const expected = new Set(parsed.flatMap((page) => page.comments.map((c) => c.id)));

          const check = () => {
            const shown = walkStore(store);
            expect(shown.length).toBe(new Set(shown).size); // nothing doubled
            expect(store.size()).toBe(shown.length); // nothing held but not shown
            for (const id of expected) expect(shown).toContain(id); // nothing lost
            for (const id of shown) {
              const node = store.node(id)!;
              let descendants = 0;
              const stack = [...node.childIds.value];
              while (stack.length > 0) {
                descendants++;
                stack.push(...(store.node(stack.pop()!)?.childIds.value ?? []));
              }
              expect(node.replyCount.value).toBe(descendants);
            }
          };
          check();
          for (const [type, raw, inside] of events) {
            const comment = parseComment(raw);
            if (!comment) continue;
            store.receiveLive(type, comment, inside);
            store.showHeld();
            if (store.node(comment.id)) expected.add(comment.id);
            check();
          }
          store.dispose();
        },
      ),
      { numRuns: RUNS.store },
    );
  });
});
