// formatBody: the protocol's light formatting as a tree, never HTML, never slow, never lossy.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatBody, formatInline, type Block, type Inline } from '../../src/format/format-body';

const p = (...children: Inline[]): Block => ({ type: 'paragraph', children });
const text = (value: string): Inline => ({ type: 'text', text: value });
const link = (url: string): Inline => ({ type: 'link', href: url, text: url });
const br: Inline = { type: 'break' };

/** All inline nodes of the tree, depth first in reading order, walked with an explicit stack. */
function inlines(blocks: Block[]): Inline[] {
  const out: Inline[] = [];
  const stack: Inline[] = [];
  for (const block of blocks) {
    if (block.type === 'code') continue;
    stack.push(...block.children.slice().reverse());
    while (stack.length > 0) {
      const node = stack.pop()!;
      out.push(node);
      if (node.type === 'strong' || node.type === 'em') stack.push(...node.children.slice().reverse());
    }
  }
  return out;
}

/** The text a reader sees, in order: text, code and link texts; code blocks verbatim. */
function visibleText(blocks: Block[]): string {
  const parts: string[] = [];
  for (const block of blocks) {
    if (block.type === 'code') {
      parts.push(block.text);
      continue;
    }
    for (const node of inlines([block])) {
      if (node.type === 'text' || node.type === 'code' || node.type === 'link') parts.push(node.text);
    }
  }
  return parts.join('');
}

const links = (blocks: Block[]) => inlines(blocks).filter((n) => n.type === 'link');

describe('formatBody', () => {
  it('returns no blocks for an empty or blank body', () => {
    expect(formatBody('')).toEqual([]);
    expect(formatBody('  \n\t\n ')).toEqual([]);
  });

  it('keeps plain text as one paragraph', () => {
    expect(formatBody('Hello, world.')).toEqual([p(text('Hello, world.'))]);
  });

  it('starts a new paragraph at a blank line', () => {
    expect(formatBody('one\n\ntwo')).toEqual([p(text('one')), p(text('two'))]);
  });

  it('treats several blank lines, and lines of spaces, as one paragraph break', () => {
    expect(formatBody('one\n\n  \n\n\ntwo')).toEqual([p(text('one')), p(text('two'))]);
  });

  it('turns a single newline into a line break', () => {
    expect(formatBody('one\ntwo\nthree')).toEqual([p(text('one'), br, text('two'), br, text('three'))]);
  });

  it('reads CRLF and lone CR line endings like LF', () => {
    expect(formatBody('one\r\ntwo\r\n\r\nthree\rfour')).toEqual([
      p(text('one'), br, text('two')),
      p(text('three'), br, text('four')),
    ]);
  });

  describe('links', () => {
    it('links http and https URLs', () => {
      expect(formatBody('see http://example.com and https://example.org/x?y=1#z')).toEqual([
        p(text('see '), link('http://example.com'), text(' and '), link('https://example.org/x?y=1#z')),
      ]);
    });

    it.each(['.', ',', ';', ':', '!', '?', ')', "'", '"'])('leaves a trailing %s out of the link', (mark) => {
      const blocks = formatBody(`go to https://example.com/page${mark}`);
      expect(links(blocks)).toEqual([link('https://example.com/page')]);
      expect(visibleText(blocks)).toBe(`go to https://example.com/page${mark}`);
    });

    it('leaves several trailing marks out of the link', () => {
      expect(links(formatBody('(https://example.com/a?!)'))).toEqual([link('https://example.com/a')]);
    });

    it('keeps balanced parentheses inside the link', () => {
      const blocks = formatBody('see https://en.wikipedia.org/wiki/Foo_(bar).');
      expect(blocks).toEqual([p(text('see '), link('https://en.wikipedia.org/wiki/Foo_(bar)'), text('.'))]);
    });

    it('leaves out the closing parenthesis of text wrapped around the link', () => {
      expect(formatBody('(see https://en.wikipedia.org/wiki/Foo_(bar))')).toEqual([
        p(text('(see '), link('https://en.wikipedia.org/wiki/Foo_(bar)'), text(')')),
      ]);
    });

    it('ends a link at whitespace, quotes and angle brackets', () => {
      expect(links(formatBody('<https://a.example/x>'))).toEqual([link('https://a.example/x')]);
      expect(links(formatBody('https://a.example/"onmouseover="x'))).toEqual([link('https://a.example/')]);
    });

    it('links a URL at the very start and end of a line', () => {
      expect(formatBody('https://a.example')).toEqual([p(link('https://a.example'))]);
    });

    it.each([
      'javascript:alert(1)',
      'JavaScript://%0Aalert(1)',
      'data:text/html,<script>alert(1)</script>',
      'vbscript:msgbox(1)',
      'ftp://files.example.com/a',
      'www.example.com',
      'mailto:ann@example.com',
      'file:///etc/passwd',
      '//example.com/x',
    ])('does not link %s', (input) => {
      const blocks = formatBody(input);
      expect(links(blocks)).toEqual([]);
      expect(visibleText(blocks)).toBe(input);
    });

    it.each(['https://', 'https://.', '(http://)'])('does not link %s, which names no site', (input) => {
      const blocks = formatBody(input);
      expect(links(blocks)).toEqual([]);
      expect(visibleText(blocks)).toBe(input);
    });

    it.each(['\u202E', '\u202B', '\u2067', '\u2069', '\u200F', '\u061C'])(
      'ends a link at the bidi control %j and keeps it as text',
      (control) => {
        const body = `https://evil.example/${control}gpj.exe and more`;
        const blocks = formatBody(body);
        expect(links(blocks)).toEqual([link('https://evil.example/')]);
        expect(visibleText(blocks)).toBe(body);
      },
    );

    it('does not link a scheme glued to a word', () => {
      expect(links(formatBody('xhttps://example.com'))).toEqual([]);
    });

    it('only ever produces http(s) links whose text is their address', () => {
      const blocks = formatBody('a https://x.example/1 b http://y.example/2) c javascript:https://z.example');
      for (const node of links(blocks)) {
        expect(node.type === 'link' && /^https?:\/\//i.test(node.href)).toBe(true);
        expect(node.type === 'link' && node.href === node.text).toBe(true);
      }
      expect(links(blocks)).toHaveLength(3);
    });
  });

  describe('quotes', () => {
    it('makes lines starting with "> " a quote', () => {
      expect(formatBody('> quoted\n> still quoted\nreply')).toEqual([
        { type: 'quote', children: [text('quoted'), br, text('still quoted')] },
        p(text('reply')),
      ]);
    });

    it('ends a paragraph where a quote starts', () => {
      expect(formatBody('intro\n> quoted')).toEqual([p(text('intro')), { type: 'quote', children: [text('quoted')] }]);
    });

    it('does not quote ">" glued to text', () => {
      expect(formatBody('>not a quote')).toEqual([p(text('>not a quote'))]);
    });

    it('formats inside a quote', () => {
      expect(formatBody('> **yes** https://a.example')).toEqual([
        {
          type: 'quote',
          children: [{ type: 'strong', children: [text('yes')] }, text(' '), link('https://a.example')],
        },
      ]);
    });
  });

  describe('emphasis and code', () => {
    it('makes **text** bold and *text* italic', () => {
      expect(formatBody('a **b** c *d* e')).toEqual([
        p(text('a '), { type: 'strong', children: [text('b')] }, text(' c '), { type: 'em', children: [text('d')] }, text(' e')),
      ]);
    });

    it('links inside bold text', () => {
      expect(formatBody('**read https://a.example**')).toEqual([
        p({ type: 'strong', children: [text('read '), link('https://a.example')] }),
      ]);
    });

    it('leaves stars around spaces as text, like arithmetic', () => {
      expect(formatBody('2 * 3 * 4')).toEqual([p(text('2 * 3 * 4'))]);
    });

    it('leaves an unmatched star as text', () => {
      expect(formatBody('a *b')).toEqual([p(text('a *b'))]);
    });

    it('does not carry emphasis across lines', () => {
      expect(inlines(formatBody('*a\nb*')).some((n) => n.type === 'em')).toBe(false);
    });

    it('makes `text` code', () => {
      expect(formatBody('run `npm test` now')).toEqual([p(text('run '), { type: 'code', text: 'npm test' }, text(' now'))]);
    });

    it('formats nothing inside code', () => {
      expect(formatBody('`**a** *b* https://c.example <i>`')).toEqual([
        p({ type: 'code', text: '**a** *b* https://c.example <i>' }),
      ]);
    });

    it('lets double backticks hold a single one', () => {
      expect(formatInline('``a ` b``')).toEqual([{ type: 'code', text: 'a ` b' }]);
    });

    it('reads ```code``` on one line as inline code, not as a fence', () => {
      expect(formatBody('```npm install```\nthen reload')).toEqual([
        p({ type: 'code', text: 'npm install' }, br, text('then reload')),
      ]);
    });

    it('leaves an unmatched backtick as text', () => {
      expect(formatBody('it`s fine')).toEqual([p(text('it`s fine'))]);
    });
  });

  describe('fenced code blocks', () => {
    it('keeps the content verbatim, blank lines and markup included', () => {
      const body = 'before\n```\n**not bold**\n\n> not a quote\n  <b>https://x.example</b>\n```\nafter';
      expect(formatBody(body)).toEqual([
        p(text('before')),
        { type: 'code', text: '**not bold**\n\n> not a quote\n  <b>https://x.example</b>' },
        p(text('after')),
      ]);
    });

    it('drops the language name after the opening fence', () => {
      expect(formatBody('```ts\nconst a = 1;\n```')).toEqual([{ type: 'code', text: 'const a = 1;' }]);
    });

    it('runs an unclosed fence to the end of the body', () => {
      expect(formatBody('text\n```\nline 1\n\nline 2')).toEqual([p(text('text')), { type: 'code', text: 'line 1\n\nline 2' }]);
    });

    it('keeps text after a would-be closing fence inside the block', () => {
      expect(formatBody('```\na\n```b\nc\n```')).toEqual([{ type: 'code', text: 'a\n```b\nc' }]);
    });

    it('accepts fences of more than three backticks', () => {
      expect(formatBody('````\nx\n````\nafter')).toEqual([{ type: 'code', text: 'x' }, p(text('after'))]);
    });

    it('accepts an indented fence', () => {
      expect(formatBody('  ```\n  x\n  ```')).toEqual([{ type: 'code', text: '  x' }]);
    });

    it('keeps CRLF out of code blocks', () => {
      expect(formatBody('```\r\na\r\nb\r\n```')).toEqual([{ type: 'code', text: 'a\nb' }]);
    });
  });

  describe('hostile input', () => {
    it.each([
      '<img src=x onerror=alert(1)>',
      '<script>alert(1)</script>',
      '"><svg onload=alert(1)>',
      '&lt;b&gt; &amp;',
      '<a href="javascript:alert(1)">click</a>',
    ])('keeps %s as text', (input) => {
      expect(formatBody(input)).toEqual([p(text(input))]);
    });

    it('keeps markup inside emphasis as text', () => {
      expect(formatBody('**<img src=x onerror=alert(1)>**')).toEqual([
        p({ type: 'strong', children: [text('<img src=x onerror=alert(1)>')] }),
      ]);
    });

    it('finishes a 200,000-character body of stars', () => {
      const body = '*'.repeat(100_000) + '**a '.repeat(25_000);
      expect(body.length).toBe(200_000);
      expect(visibleText(formatBody(body))).toContain('a');
    });

    it('finishes a 200,000-character body of mixed stars, backticks and URLs on one line', () => {
      const body = '**a *b `c ``d https://e.example/(( '.repeat(6_000).slice(0, 200_000);
      const blocks = formatBody(body);
      expect(blocks).toHaveLength(1);
    });

    it('finishes a long line of growing backtick runs', () => {
      let body = '';
      for (let n = 1; body.length < 150_000; n++) body += '`'.repeat(n) + 'x';
      expect(visibleText(formatBody(body)).length).toBeGreaterThan(0);
    });

    it('finishes 100,000 lines of quotes and fences', () => {
      const body = '> a\n```\n'.repeat(50_000);
      expect(formatBody(body).length).toBeGreaterThan(0);
    });
  });
});

describe('formatBody properties', () => {
  // Any UTF-16 code unit (lone surrogates included) or astral character, and markup often.
  // Built by hand: fast-check's 'binary' unit is about a second slower to generate here.
  const anyUnit = fc.oneof(
    fc.nat(0xffff).map((n) => String.fromCharCode(n)),
    fc.integer({ min: 0x10000, max: 0x10ffff }).map((n) => String.fromCodePoint(n)),
    fc.constantFrom('\n', '\r', '*', '`', '>', ' '),
  );
  const anyString = fc.string({ unit: anyUnit, maxLength: 120 });
  const markupMix = fc
    .array(
      fc.constantFrom(
        '*',
        '**',
        '`',
        '```',
        '>',
        '> ',
        '\n',
        '\n\n',
        '\r\n',
        ' ',
        'http://',
        'https://',
        'a',
        'Zz',
        '9',
        '(',
        ')',
        '.',
        '<b>',
        '_',
      ),
      { maxLength: 40 },
    )
    .map((parts) => parts.join(''));

  it('never throws, whatever the string', () => {
    fc.assert(
      fc.property(fc.oneof(anyString, markupMix), (body) => {
        expect(Array.isArray(formatBody(body))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  /** Lines the formatter may read as an opening fence with a language name, which it drops. */
  const hasFenceInfo = (body: string) =>
    body.split(/\r\n?|\n/).some((line) => /^\s*`{3,}[^`]*$/.test(line) && /^\s*`{3,}\s*\S/.test(line));

  it('keeps every character that is not markup, in order', () => {
    const keep = (s: string) =>
      Array.from(s)
        .filter((ch) => !/[*`>\s]/.test(ch))
        .join('');
    fc.assert(
      fc.property(fc.oneof(markupMix, fc.string({ maxLength: 80 })), (body) => {
        fc.pre(!hasFenceInfo(body));
        expect(keep(visibleText(formatBody(body)))).toBe(keep(body));
      }),
      { numRuns: 300 },
    );
  });

  it('keeps every letter and digit of any unicode body, in order', () => {
    const alnum = (s: string) => s.replace(/[^A-Za-z0-9]/g, '');
    fc.assert(
      fc.property(anyString, (body) => {
        fc.pre(!hasFenceInfo(body));
        expect(alnum(visibleText(formatBody(body)))).toBe(alnum(body));
      }),
      { numRuns: 200 },
    );
  });

  it('only ever links http(s) addresses that appear in the body', () => {
    fc.assert(
      fc.property(markupMix, (body) => {
        for (const node of links(formatBody(body))) {
          if (node.type !== 'link') continue;
          expect(node.href).toMatch(/^https?:\/\/\S/i);
          expect(body).toContain(node.href);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('keeps code blocks free of carriage returns and text nodes free of newlines', () => {
    fc.assert(
      fc.property(markupMix, (body) => {
        const blocks = formatBody(body);
        for (const block of blocks) if (block.type === 'code') expect(block.text).not.toContain('\r');
        for (const node of inlines(blocks)) if (node.type === 'text') expect(node.text).not.toMatch(/[\r\n]/);
      }),
      { numRuns: 200 },
    );
  });
});
