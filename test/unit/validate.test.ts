// The boundary validator: untrusted JSON in, our types out, or a ShapeError that says why.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ShapeError,
  parseComment,
  parseCommentAnswer,
  parseErrorBody,
  parsePage,
  parsePosted,
  parseScore,
} from '../../src/api/validate';
import { safeHttpUrl } from '../../src/util/values';
import { wireComment } from '../fixtures/seed';

const wire = wireComment;

const page = (comments: unknown[], extra: Record<string, unknown> = {}) => ({
  thread: { id: 't1', title: 'Title', url: 'https://example.com/post', commentCount: 12, locked: false },
  comments,
  nextCursor: 'next',
  ...extra,
});

const isPolluted = () => ({}) as Record<string, unknown>;

describe('parsePage', () => {
  it('reads a valid page', () => {
    const result = parsePage(page([wire(), wire({ id: 'c2', parentId: 'c1', score: 3 })]), 't1');
    expect(result).toEqual({
      thread: {
        id: 't1',
        title: 'Title',
        url: 'https://example.com/post',
        commentCount: 12,
        locked: false,
        features: { guests: true, reports: true },
      },
      comments: [
        {
          id: 'c1',
          parentId: null,
          author: { name: 'Ann', url: null, avatarUrl: null },
          body: 'Hello',
          createdAt: Date.UTC(2017, 5, 10, 12),
          editedAt: null,
          status: 'published',
          score: 0,
        },
        expect.objectContaining({ id: 'c2', parentId: 'c1', score: 3 }),
      ],
      nextCursor: 'next',
      skipped: 0,
    });
  });

  it('reads pinned: true as pinned and anything else as not pinned', () => {
    const result = parsePage(
      page([
        wire({ id: 'p', pinned: true }),
        wire({ id: 'f', pinned: false }),
        wire({ id: 's', pinned: 'true' }),
        wire({ id: 'n' }),
      ]),
      't1',
    );
    expect(result.comments.map((c) => [c.id, c.pinned ?? false])).toEqual([
      ['p', true],
      ['f', false],
      ['s', false],
      ['n', false],
    ]);
  });

  it('keeps the author role "moderator" and drops any other', () => {
    const roleOf = (role: unknown) => parseComment(wire({ author: { name: 'Mo', url: null, avatarUrl: null, role } }))!.author;
    expect(roleOf('moderator')).toEqual({ name: 'Mo', url: null, avatarUrl: null, role: 'moderator' });
    for (const other of ['admin', 'Moderator', true, { role: 'moderator' }, null, undefined]) {
      expect(roleOf(other)).toEqual({ name: 'Mo', url: null, avatarUrl: null });
    }
  });

  it('drops a comment without an id and counts it as skipped', () => {
    const result = parsePage(page([wire(), wire({ id: undefined }), wire({ id: '' }), wire({ id: 'c3' })]), 't1');
    expect(result.comments.map((c) => c.id)).toEqual(['c1', 'c3']);
    expect(result.skipped).toBe(2);
  });

  it('counts comments that are not objects as skipped', () => {
    const result = parsePage(page([null, 'c1', 42, [], wire()]), 't1');
    expect(result.comments).toHaveLength(1);
    expect(result.skipped).toBe(4);
  });

  it('reads a locked thread', () => {
    expect(parsePage(page([], { thread: { id: 't1', locked: true } }), 't1').thread.locked).toBe(true);
  });

  it('treats a missing or empty cursor as the last page', () => {
    expect(parsePage(page([], { nextCursor: undefined }), 't1').nextCursor).toBeNull();
    expect(parsePage(page([], { nextCursor: '' }), 't1').nextCursor).toBeNull();
    expect(parsePage(page([], { nextCursor: 5 }), 't1').nextCursor).toBeNull();
  });

  it('falls back to the requested thread and counts published comments when the thread is missing', () => {
    const comments = [
      wire({ id: 'a' }),
      wire({ id: 'b', parentId: 'a' }),
      wire({ id: 'c', status: 'pending' }),
      wire({ id: 'd', status: 'deleted' }),
    ];
    const result = parsePage({ comments }, '/blog/post');
    expect(result.thread).toEqual({
      id: '/blog/post',
      title: null,
      url: null,
      commentCount: 2,
      locked: false,
      features: { guests: true, reports: true },
    });
  });

  it.each([-1, Number.NaN, '12', null, Infinity, 1e300, 2 ** 53 + 2])(
    'falls back to counting when commentCount is %s',
    (commentCount) => {
      const result = parsePage(page([wire()], { thread: { id: 't1', commentCount } }), 't1');
      expect(result.thread.commentCount).toBe(1);
    },
  );

  it('rounds a fractional comment count down', () => {
    expect(parsePage(page([], { thread: { commentCount: 3.7 } }), 't1').thread.commentCount).toBe(3);
  });

  it.each([
    ['an empty object', {}],
    ['null', null],
    ['an array', [wire()]],
    ['a string', 'comments'],
    ['a number', 1],
    ['undefined', undefined],
    ['comments that are not a list', { comments: { 0: wire() } }],
  ])('throws a ShapeError for %s', (_, value) => {
    expect(() => parsePage(value, 't1')).toThrow(ShapeError);
  });

  it('gives the ShapeError a name and message that say what is wrong', () => {
    try {
      parsePage({}, 't1');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ShapeError);
      expect((error as Error).name).toBe('ShapeError');
      expect((error as Error).message).toMatch(/comments/);
    }
  });

  it('does not pollute Object.prototype through __proto__ keys', () => {
    const json = JSON.parse(
      '{"__proto__":{"polluted":1},"thread":{"__proto__":{"polluted":2},"id":"t1"},' +
        '"comments":[{"__proto__":{"polluted":3,"id":"fake"},"id":"c1","body":"x",' +
        '"author":{"__proto__":{"polluted":4},"name":"Ann"}},{"__proto__":{"id":"only-proto"}}]}',
    );
    const result = parsePage(json, 't1');
    expect(isPolluted().polluted).toBeUndefined();
    expect(result.comments.map((c) => c.id)).toEqual(['c1']);
    expect(result.skipped).toBe(1);
  });

  it('does not take a constructor key for anything', () => {
    const json = JSON.parse(
      '{"constructor":{"prototype":{"polluted":1}},"comments":[{"id":"c1","constructor":{"prototype":{"polluted":1}}}]}',
    );
    const result = parsePage(json, 't1');
    expect(isPolluted().polluted).toBeUndefined();
    expect(result.comments[0]).not.toHaveProperty('constructor.prototype.polluted');
  });

  it('parses a page of 5,000 comments', () => {
    const comments = Array.from({ length: 5000 }, (_, i) => wire({ id: i, parentId: i > 0 ? i - 1 : null }));
    const result = parsePage({ comments }, 't1');
    expect(result.comments).toHaveLength(5000);
    expect(result.comments[4999]?.parentId).toBe('4998');
  });
});

describe('thread features', () => {
  const features = (value: unknown) => parsePage({ thread: { id: 't', features: value }, comments: [] }, 't').thread.features;

  it('reads missing features as guests and reports on', () => {
    expect(features(undefined)).toEqual({ guests: true, reports: true });
    expect(features('all')).toEqual({ guests: true, reports: true });
  });

  it('turns a feature off only with false', () => {
    expect(features({ sso: true, guests: false, reports: false })).toEqual({ guests: false, reports: false });
    expect(features({ sso: 'yes', guests: 'no', reports: 0 })).toEqual({ guests: true, reports: true });
  });
});

describe('parseComment', () => {
  it('accepts numeric ids and parent ids as strings', () => {
    expect(parseComment(wire({ id: 42, parentId: 7 }))).toMatchObject({ id: '42', parentId: '7' });
  });

  it.each([Number.NaN, Infinity, true, {}, [], null])('drops a comment whose id is %s', (id) => {
    expect(parseComment(wire({ id }))).toBeNull();
  });

  it.each(['', false, {}, [], Number.NaN])('reads a parent id of %s as top level', (parentId) => {
    expect(parseComment(wire({ parentId }))?.parentId).toBeNull();
  });

  it('makes a comment that names itself as parent top level', () => {
    expect(parseComment(wire({ id: 'c1', parentId: 'c1' }))?.parentId).toBeNull();
  });

  it('reads an author that is null as a guest', () => {
    expect(parseComment(wire({ author: null }))?.author).toEqual({ name: '', url: null, avatarUrl: null });
  });

  it('keeps a signed-in author id and verified mark only when they are a text and true', () => {
    const author = (value: Record<string, unknown>) => parseComment(wire({ author: { name: 'Ann', ...value } }))?.author;
    expect(author({ id: 'u-1', verified: true })).toEqual({ name: 'Ann', url: null, avatarUrl: null, id: 'u-1', verified: true });
    for (const verified of ['true', 1, {}, false, null]) expect(author({ verified })).not.toHaveProperty('verified');
    for (const id of [7, '', {}, null]) expect(author({ id })).not.toHaveProperty('id');
  });

  it('trims the author name and ignores a name that is not text', () => {
    expect(parseComment(wire({ author: { name: '  Ann  ' } }))?.author.name).toBe('Ann');
    expect(parseComment(wire({ author: { name: 5 } }))?.author.name).toBe('');
  });

  describe('author names', () => {
    const nameOf = (name: unknown) => parseComment(wire({ author: { name } }))?.author.name;

    it.each([
      ['\u202Enimda', 'nimda'],
      ['Ann \u202E12 minutes ago', 'Ann 12 minutes ago'],
      ['\u2067Bob\u2069 \u202Bx\u202C \u2066y\u2068z', 'Bob x yz'],
    ])('drops bidi embeddings, overrides and isolates from %j', (raw, expected) => {
      expect(nameOf(raw)).toBe(expected);
    });

    it('keeps right-to-left names and the marks they may need', () => {
      expect(nameOf('\u05D3\u05E0\u05D4 \u200F(2)')).toBe('\u05D3\u05E0\u05D4 \u200F(2)');
      expect(nameOf('محمد')).toBe('محمد');
    });

    it('turns NUL, escapes, newlines and tabs into spaces', () => {
      expect(nameOf('Ann\u0000\u001B[31m\nAdmin\tx\u0085')).toBe('Ann  [31m Admin x');
    });

    it.each(['\u200B\u200C\u200D\u2060\uFEFF', '\u3164\u115F \u2800', '\u202E\u00AD', '\u0000\n'])(
      'reads the invisible name %j as no name',
      (raw) => expect(nameOf(raw)).toBe(''),
    );

    it('keeps zero-width joiners inside a visible name', () => {
      expect(nameOf('Ann \u{1F469}\u200D\u{1F4BB}')).toBe('Ann \u{1F469}\u200D\u{1F4BB}');
    });

    it('cuts a name longer than 200 characters and says so with an ellipsis', () => {
      expect(nameOf('N'.repeat(10_000))).toBe('N'.repeat(200) + '…');
      expect(nameOf('N'.repeat(200))).toBe('N'.repeat(200));
      expect(Array.from(nameOf('\u{1F600}'.repeat(300))!)).toHaveLength(201);
      expect(nameOf('\u{1F600}'.repeat(300))!.slice(0, -1)).toBe('\u{1F600}'.repeat(200));
    });

    it('cuts a 1 MB name quickly', () => {
      const start = performance.now();
      expect(nameOf('x\u202E'.repeat(500_000))).toBe('x'.repeat(200) + '…');
      expect(performance.now() - start).toBeLessThan(50);
    });
  });

  it.each([8.64e15 + 1, -8.64e15 - 1, Number.MAX_VALUE, 1e300])(
    'reads the time %s, beyond what a Date holds, as null',
    (createdAt) => {
      expect(parseComment(wire({ createdAt, editedAt: createdAt }))).toMatchObject({ createdAt: null, editedAt: null });
    },
  );

  it('keeps the largest time a Date holds', () => {
    expect(parseComment(wire({ createdAt: 8.64e15 }))?.createdAt).toBe(8.64e15);
  });

  it.each([5, {}, [], true])('drops a comment whose body is %s', (body) => {
    expect(parseComment(wire({ body }))).toBeNull();
  });

  it('reads a missing or null body as empty', () => {
    expect(parseComment(wire({ body: undefined }))?.body).toBe('');
    expect(parseComment(wire({ body: null }))?.body).toBe('');
  });

  it.each(['7', null, Number.NaN, Infinity, {}])('reads a score of %s as 0', (score) => {
    expect(parseComment(wire({ score }))?.score).toBe(0);
  });

  it('keeps a negative score', () => {
    expect(parseComment(wire({ score: -4 }))?.score).toBe(-4);
  });

  it.each(['pending', 'deleted', 'published'])('keeps the known status %s', (status) => {
    expect(parseComment(wire({ status }))?.status).toBe(status);
  });

  it.each(['spam', 'PUBLISHED', '', 3, null, undefined])('reads the unknown status %s as published', (status) => {
    expect(parseComment(wire({ status }))?.status).toBe('published');
  });

  it('empties the body of a deleted comment', () => {
    expect(parseComment(wire({ status: 'deleted', body: 'secret' }))?.body).toBe('');
  });

  it.each(['yesterday', '', 'NaN', {}, true, Number.NaN, Infinity])('reads the unparsable date %s as null', (createdAt) => {
    expect(parseComment(wire({ createdAt }))?.createdAt).toBeNull();
  });

  it('reads dates given as milliseconds', () => {
    expect(parseComment(wire({ createdAt: 1_500_000_000_000, editedAt: 1_500_000_001_000 }))).toMatchObject({
      createdAt: 1_500_000_000_000,
      editedAt: 1_500_000_001_000,
    });
  });

  it('ignores unknown fields', () => {
    const result = parseComment(wire({ html: '<b>x</b>', extra: { deep: true } }));
    expect(result).not.toHaveProperty('html');
    expect(result).not.toHaveProperty('extra');
  });

  it.each([
    'javascript:alert(1)',
    'JAVASCRIPT:alert(1)',
    ' javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox(1)',
    '/relative/path',
    '//evil.example/x',
    'example.com',
    'http:/one-slash.example',
    'ftp://files.example.com',
    42,
  ])('rejects the author url %s', (url) => {
    const author = parseComment(wire({ author: { name: 'Ann', url, avatarUrl: url } }))?.author;
    expect(author?.url).toBeNull();
    expect(author?.avatarUrl).toBeNull();
  });

  it('accepts http and https author urls', () => {
    const author = parseComment(
      wire({ author: { name: 'Ann', url: 'https://ann.example/me', avatarUrl: 'http://cdn.example/a.png' } }),
    )?.author;
    expect(author).toEqual({ name: 'Ann', url: 'https://ann.example/me', avatarUrl: 'http://cdn.example/a.png' });
  });
});

describe('safeHttpUrl', () => {
  it('normalizes and trims an http(s) URL', () => {
    expect(safeHttpUrl('  HTTPS://Example.COM/a b  ')).toBe('https://example.com/a%20b');
  });

  it.each(['http://', 'https://exa mple.com', 'https://[::1', null, undefined, 1, {}])('rejects %s', (value) => {
    expect(safeHttpUrl(value)).toBeNull();
  });

  it('rejects a URL that hides javascript: behind control characters', () => {
    expect(safeHttpUrl('java\tscript:alert(1)')).toBeNull();
    expect(safeHttpUrl('\u0000javascript:alert(1)')).toBeNull();
  });

  it('only ever returns http: or https: URLs', () => {
    fc.assert(
      fc.property(
        fc
          .tuple(
            fc.constantFrom('http://', 'https://', 'HTTPS://', ' http://', 'javascript:', 'data:', '//', 'http:', ''),
            fc.string({ maxLength: 30 }),
          )
          .map(([scheme, rest]) => scheme + rest),
        (value) => {
          const result = safeHttpUrl(value);
          if (result !== null) expect(new URL(result).protocol).toMatch(/^https?:$/);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('parsePosted', () => {
  it('reads the comment and its edit token', () => {
    expect(parsePosted({ comment: wire(), editToken: 'secret' })).toEqual({
      comment: expect.objectContaining({ id: 'c1' }),
      editToken: 'secret',
    });
  });

  it('reads a missing or empty edit token as null', () => {
    expect(parsePosted({ comment: wire() }).editToken).toBeNull();
    expect(parsePosted({ comment: wire(), editToken: '' }).editToken).toBeNull();
    expect(parsePosted({ comment: wire(), editToken: 5 }).editToken).toBeNull();
  });

  it.each([null, {}, { comment: null }, { comment: wire({ id: null }) }, wire(), []])('throws a ShapeError for %j', (value) => {
    expect(() => parsePosted(value)).toThrow(ShapeError);
  });
});

describe('parseCommentAnswer', () => {
  it('reads the comment of an edit or delete answer', () => {
    expect(parseCommentAnswer({ comment: wire({ status: 'deleted', body: 'x' }) })).toMatchObject({
      status: 'deleted',
      body: '',
    });
  });

  it('throws a ShapeError without a comment', () => {
    expect(() => parseCommentAnswer({ ok: true })).toThrow(ShapeError);
  });
});

describe('parseScore', () => {
  it('reads the score', () => {
    expect(parseScore({ score: 7 })).toBe(7);
    expect(parseScore({ score: -2 })).toBe(-2);
  });

  it.each([{}, { score: '7' }, { score: Number.NaN }, { score: null }, null, 7, []])('throws a ShapeError for %j', (value) => {
    expect(() => parseScore(value)).toThrow(ShapeError);
  });
});

describe('parseErrorBody', () => {
  it('reads the protocol error', () => {
    const result = parseErrorBody({ error: { code: 'invalid', message: 'Bad input', fields: { body: 'too long' } } });
    expect(result.code).toBe('invalid');
    expect(result.message).toBe('Bad input');
    expect({ ...result.fields }).toEqual({ body: 'too long' });
  });

  it.each([null, undefined, '<html>', 42, [], {}, { error: 'oops' }, { error: null }])('tolerates %j', (value) => {
    const result = parseErrorBody(value);
    expect(result.code).toBeNull();
    expect(result.message).toBeNull();
    expect(Object.keys(result.fields)).toEqual([]);
  });

  it('keeps only field messages that are text', () => {
    const result = parseErrorBody({ error: { code: 5, fields: { body: 'too long', name: 3, email: null } } });
    expect(result.code).toBeNull();
    expect({ ...result.fields }).toEqual({ body: 'too long' });
  });

  it('does not pollute Object.prototype through hostile field names', () => {
    const json = JSON.parse(
      '{"__proto__":{"polluted":1},"error":{"__proto__":{"polluted":2},"code":"invalid",' +
        '"fields":{"__proto__":"hijacked","constructor":"also","body":"too long"}}}',
    );
    const result = parseErrorBody(json);
    expect(isPolluted().polluted).toBeUndefined();
    expect(Object.keys(result.fields).sort()).toEqual(['__proto__', 'body', 'constructor']);
    expect(result.fields.__proto__).toBe('hijacked');
    expect(Object.getPrototypeOf(result.fields)).toBeNull();
  });
});

describe('parsePage properties', () => {
  const check = (value: unknown) => {
    let result;
    try {
      result = parsePage(value, 't1');
    } catch (error) {
      expect(error).toBeInstanceOf(ShapeError);
      return;
    }
    expect(typeof result.thread.id).toBe('string');
    expect(Number.isInteger(result.thread.commentCount) && result.thread.commentCount >= 0).toBe(true);
    expect(result.skipped).toBeGreaterThanOrEqual(0);
    for (const comment of result.comments) {
      expect(typeof comment.id).toBe('string');
      expect(comment.id).not.toBe('');
      expect(typeof comment.body).toBe('string');
      expect(['published', 'pending', 'deleted']).toContain(comment.status);
      expect(Number.isFinite(comment.score)).toBe(true);
      expect(comment.parentId === null || typeof comment.parentId === 'string').toBe(true);
      expect(comment.parentId).not.toBe(comment.id);
      for (const url of [comment.author.url, comment.author.avatarUrl]) {
        if (url !== null) expect(url).toMatch(/^https?:\/\//);
      }
    }
  };

  it('either returns a well-formed page or throws a ShapeError, for anything', () => {
    fc.assert(fc.property(fc.anything(), check), { numRuns: 300 });
  });

  it('either returns a well-formed page or throws a ShapeError, for any JSON', () => {
    fc.assert(fc.property(fc.jsonValue(), check), { numRuns: 300 });
  });

  it('either returns a well-formed page or throws a ShapeError, for pages of odd comments', () => {
    const field = fc.oneof(fc.jsonValue(), fc.string(), fc.integer(), fc.constant(null), fc.constant(undefined));
    const oddComment = fc.record(
      {
        id: field,
        parentId: field,
        author: fc.oneof(field, fc.record({ name: field, url: field })),
        body: field,
        status: field,
        score: field,
        createdAt: field,
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(oddComment, field), { maxLength: 8 }), fc.option(fc.jsonValue()), (comments, thread) => {
        check({ comments, thread });
        const result = parsePage({ comments, thread }, 't1');
        expect(result.comments.length + result.skipped).toBe(comments.length);
      }),
      { numRuns: 300 },
    );
  });
});
