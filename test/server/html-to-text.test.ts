// @vitest-environment node
// Imported comment bodies as a reader of the widget will see them: HTML (Disqus, WordPress,
// Remark42) and Markdown with HTML in it (Isso, Artalk, Waline, Commento) turned into Confab's
// text format, every formatting of the source as the text's own marks and never as markup.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { htmlToText, markdownToText } from '../../server/src/import/html-to-text.js';

describe('htmlToText', () => {
  it.each([
    ['paragraphs become blank-line separated', '<p>One</p><p>Two</p>', 'One\n\nTwo'],
    ['<br> is a line break, two are a blank line', '<p>a<br>b<br/><br />c</p>', 'a\nb\n\nc'],
    ['whitespace collapses as in a browser', '<p>  lots\n\tof   space  </p>\n\n<p>\n next </p>', 'lots of space\n\nnext'],
    ['a bare div starts a line', '<div>one</div><div>two</div>', 'one\ntwo'],
    [
      'a link whose text is its URL is the URL',
      '<a href="https://example.com/a">https://example.com/a</a>',
      'https://example.com/a',
    ],
    [
      'a link with other text is text (url)',
      'see <a href="https://example.com/">the docs</a>.',
      'see the docs (https://example.com/).',
    ],
    [
      'a link shortened with … is the full URL',
      '<a href="https://example.com/a/long/path">example.com/a/lo…</a>',
      'https://example.com/a/long/path',
    ],
    [
      "Disqus's redirect links are the address they lead to",
      '<a href="https://disq.us/url?url=https%3A%2F%2Fexample.org%2Fx%3AyWbQbNmSIcM6I4PEhfVzRAyC1VA&amp;cuid=4">example.org/x</a>',
      'https://example.org/x',
    ],
    ['a mail link is its address', '<a href="mailto:ann@example.com">ann@example.com</a>', 'ann@example.com'],
    ['a script link is only its text', '<a href="javascript:alert(1)">click</a>', 'click'],
    ['a page-relative link is only its text', '<a href="/about">About us</a>', 'About us'],
    ['a protocol-relative link gets https', '<a href="//example.com/x">there</a>', 'there (https://example.com/x)'],
    ['an empty link is its URL', '<a href="https://example.com/"></a>', 'https://example.com/'],
    ['blockquote lines are prefixed', '<blockquote>quoted<br>twice</blockquote><p>reply</p>', '> quoted\n> twice\n\nreply'],
    ['paragraphs in a quote stay in it', '<blockquote><p>one</p><p>two</p></blockquote>', '> one\n>\n> two'],
    ['text before a quote is apart from it', 'before<blockquote>inside</blockquote>after', 'before\n\n> inside\n\nafter'],
    ['a nested quote is prefixed twice', '<blockquote>a<blockquote>b</blockquote></blockquote>', '> a\n>\n> > b'],
    [
      'strong and emphasis',
      '<b>bold</b>, <strong>strong</strong>, <i>it</i> and <em>em</em>',
      '**bold**, **strong**, *it* and *em*',
    ],
    ['spaces inside marks go outside them', 'a<b> bold </b>b', 'a **bold** b'],
    ['an empty mark leaves nothing', 'a<b></b> <i> </i>b', 'a b'],
    ['a mark across a line break closes and reopens', '<b>one<br>two</b>', '**one**\n**two**'],
    ['a mark inside the same mark adds nothing', '<b>a <strong>b</strong> c</b>', '**a b c**'],
    ['inline code in backticks', 'run <code>npm  test</code> now', 'run `npm test` now'],
    ['code holding backticks gets a longer fence', '<code>a `b` c</code>', '``a `b` c``'],
    [
      'pre is a fenced block, its spacing kept',
      '<p>x</p><pre><code>if (a &lt; b) {\n  go();\n}\n</code></pre><p>y</p>',
      'x\n\n```\nif (a < b) {\n  go();\n}\n```\n\ny',
    ],
    ['lists are "- " lines', '<ul><li>one</li><li><p>two</p></li></ul>', '- one\n- two'],
    [
      'ordered lists are numbered, nested lists indented',
      '<ol start="3"><li>a<ul><li>b</li></ul></li><li>c</li></ol>',
      '3. a\n  - b\n4. c',
    ],
    ['headings are strong paragraphs', '<h2>Title</h2>text', '**Title**\n\ntext'],
    ['named, numeric and hex entities', '&amp; &lt;b&gt; &copy; &#8212; &#x263A; &hellip;', '& <b> © — ☺ …'],
    ['&nbsp; is a space that does not collapse', 'a&nbsp;&nbsp;b&nbsp;', 'a  b'],
    ['script and style are dropped with their content', '<script>alert("x")</script><style>p{}</style><p>kept</p>', 'kept'],
    [
      'other tags are dropped, their text kept',
      '<span class="x">a</span> <font color="red">b</font> <u>c</u> <img src="x.png">d',
      'a b c d',
    ],
    ['table cells are spaced, rows are lines', '<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>', 'a b\nc'],
    ['comments in the HTML are not text', 'a<!-- hidden -->b', 'ab'],
    [
      'plain text keeps its line breaks',
      'line one\nline two\n\n\n\nnew paragraph &amp; more  ',
      'line one\nline two\n\nnew paragraph & more',
    ],
    ['windows line breaks in plain text', 'a\r\nb', 'a\nb'],
    ['unclosed tags end with the body', '<p><b>bold to the end', '**bold to the end**'],
    ['a lone < is text', 'a < b and c > d', 'a < b and c > d'],
    ['nothing at all', '', ''],
  ])('%s', (_, html, text) => {
    expect(htmlToText(html)).toBe(text);
  });

  it('keeps typed line breaks when asked (WordPress), spaces still collapsing', () => {
    expect(htmlToText('Hi  <b>Ann</b>,\nthanks.\n\n\nBye', { keepLineBreaks: true })).toBe('Hi **Ann**,\nthanks.\n\nBye');
    expect(htmlToText('<p>a</p>\n\n<p>b</p>\n<ul>\n<li>x</li>\n<li>y</li>\n</ul>', { keepLineBreaks: true })).toBe(
      'a\n\nb\n\n- x\n- y',
    );
    expect(htmlToText('one\ntwo <i>three</i>')).toBe('one two *three*');
  });

  // A body's text holds no `<` nor `&` of its own here, so any `<` in the result is markup left over.
  const text = fc.stringMatching(/^[a-zA-Z0-9 .,!?\n\t'"-]{0,12}$/);
  const tags = [
    'p',
    'br',
    'b',
    'strong',
    'i',
    'em',
    'a',
    'blockquote',
    'ul',
    'ol',
    'li',
    'code',
    'pre',
    'span',
    'div',
    'h3',
    'font',
    'table',
    'tr',
    'td',
    'hr',
    'img',
    'u',
    'sup',
  ];
  const html: fc.Arbitrary<string> = fc.letrec<{ node: string }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      text,
      fc.tuple(fc.constantFrom(...tags), fc.array(tie('node'), { maxLength: 4 }), fc.boolean()).map(([tag, children, closed]) => {
        const attributes =
          tag === 'a' ? ' href="https://example.com/x?a=1&amp;b=2"' : tag === 'img' ? ' src="x.png" alt="x"' : '';
        return `<${tag}${attributes}>${children.join('')}${closed ? `</${tag}>` : ''}`;
      }),
    ),
  })).node;

  it('never throws and never leaves a tag of the source as text', () => {
    fc.assert(
      fc.property(html, (body) => {
        for (const keepLineBreaks of [false, true]) {
          const result = htmlToText(body, { keepLineBreaks });
          expect(result).not.toMatch(/<\/?[a-z]/i);
          expect(result).toBe(result.trim());
        }
      }),
      { numRuns: 500 },
    );
  });

  it("never shows a script's or a style's content", () => {
    fc.assert(
      fc.property(html, html, fc.constantFrom('script', 'style'), (before, after, tag) => {
        expect(htmlToText(`${before}<${tag}>SECRET_${tag}</${tag}>${after}`)).not.toContain('SECRET_');
      }),
    );
  });

  it('gives bare paragraphs the same text on its quick way as through the parser', () => {
    const paragraph = fc.stringMatching(/^[a-z \n\t]{0,15}$/);
    fc.assert(
      fc.property(fc.array(paragraph, { minLength: 1, maxLength: 5 }), fc.constantFrom('', ' ', '\n'), (paragraphs, gap) => {
        const quick = paragraphs.map((p) => `<p>${p}</p>`).join(gap);
        // A no-op element keeps the body off the quick way.
        const parsed = paragraphs.map((p) => `<p><span></span>${p}</p>`).join(gap);
        expect(htmlToText(quick)).toBe(htmlToText(parsed));
      }),
    );
  });

  it('gives escaped text back as it was (less the whitespace a text shows the same without)', () => {
    const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
    fc.assert(
      // NUL is not text (the parser makes it U+FFFD): a comment never holds one.
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 40 }).filter((s) => !s.includes('\u0000')),
        (original) => {
          const expected = original
            .replace(/\r\n?/g, '\n')
            .replace(/\u00A0/g, ' ')
            .replace(/[ \t]+$/gm, '')
            .replace(/\n{3,}/g, '\n\n')
            .trim();
          expect(htmlToText(escape(original))).toBe(expected);
        },
      ),
    );
  });
});

describe('markdownToText', () => {
  it('leaves Markdown as it is', () => {
    expect(markdownToText('Some *emphasis*, a [link](https://x.example)\n\n> quote\n- item\n')).toBe(
      'Some *emphasis*, a [link](https://x.example)\n\n> quote\n- item',
    );
    expect(markdownToText('if a<b and c>d then &amp;')).toBe('if a<b and c>d then &amp;');
  });

  it('turns the HTML in it into text, keeping its line breaks', () => {
    expect(markdownToText('Line <b>one</b>\nline <a href="https://x.example/">two</a>\r\n\r\nend')).toBe(
      'Line **one**\nline two (https://x.example/)\n\nend',
    );
  });

  it('keeps HTML inside code as written', () => {
    expect(markdownToText('Use `<b>` for <b>bold</b>:\n\n```html\n<p>a  b</p>\n```\ndone')).toBe(
      'Use `<b>` for **bold**:\n\n```html\n<p>a  b</p>\n```\ndone',
    );
  });
});

describe('hostile bodies', () => {
  // Each took seconds to quadratic patterns; linear, they take milliseconds.
  it.each([
    ['a line of backticks', '<b>x</b>' + '`'.repeat(50_000)],
    ['backticks in pairs', '<b>x</b> ' + 'a`b'.repeat(20_000)],
    ['unclosed fences', '<b>x</b>\n' + '```\nx\n'.repeat(5_000)],
    ['thousands of open tags', '<b><i>'.repeat(10_000) + 'x'],
    ['a tag with thousands of attributes', '<p ' + 'a=1 '.repeat(20_000)],
  ])('reads %s quickly', (_, body) => {
    const started = performance.now();
    markdownToText(body);
    htmlToText(body);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
