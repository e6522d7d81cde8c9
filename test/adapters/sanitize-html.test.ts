// The HTML sanitizer for bodies from other comment servers: what it keeps, what it drops, and
// hostile HTML from the project's XSS corpus and beyond. The tree is also rendered the way the
// widget renders it (createElement, never innerHTML) to check the DOM that comes out.
import { createElement, render, type ComponentChild } from 'preact';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_DEPTH, sanitizeHtml, type HtmlNode, type HtmlTag } from '../../src/format/sanitize-html';
import { XSS_CORPUS } from '../fixtures/xss-corpus';

const ALLOWED = new Set<HtmlTag>([
  'p',
  'br',
  'a',
  'strong',
  'em',
  'code',
  'pre',
  'blockquote',
  'ul',
  'ol',
  'li',
  'del',
  'sup',
  'sub',
]);
const REL = 'nofollow ugc noopener noreferrer';

/** The same rendering the widget does (see the proposed CommentBody change). */
function renderNode(node: HtmlNode, key: number): ComponentChild {
  if (typeof node === 'string') return node;
  const children = node.children.map(renderNode);
  return node.tag === 'a'
    ? createElement('a', { key, href: node.href, rel: REL, target: '_blank' }, children)
    : createElement(node.tag, { key }, children);
}

function toDom(html: string): HTMLElement {
  const host = document.createElement('div');
  render(createElement('div', null, sanitizeHtml(html).map(renderNode)), host);
  return host.firstElementChild as HTMLElement;
}

/** A readable form of the tree for exact expectations. */
function show(nodes: HtmlNode[]): string {
  return nodes
    .map((node) => {
      if (typeof node === 'string') return JSON.stringify(node);
      const href = node.href ? `[${node.href}]` : '';
      return `${node.tag}${href}(${show(node.children)})`;
    })
    .join(' ');
}

/** Every element and attribute of the rendered body is one we allow. */
function expectSafeDom(root: HTMLElement) {
  for (const element of Array.from(root.querySelectorAll('*'))) {
    expect(ALLOWED.has(element.localName as HtmlTag), `<${element.localName}> rendered`).toBe(true);
    for (const attribute of Array.from(element.attributes)) {
      expect(['href', 'rel', 'target'], `${attribute.name} on <${element.localName}>`).toContain(attribute.name);
    }
    if (element.localName === 'a') {
      expect(element.getAttribute('href')).toMatch(/^https?:\/\//);
      expect(element.getAttribute('rel')).toBe(REL);
    }
  }
}

function walkTree(nodes: HtmlNode[], visit: (node: Exclude<HtmlNode, string>, depth: number) => void, depth = 0) {
  for (const node of nodes) {
    if (typeof node === 'string') continue;
    visit(node, depth);
    walkTree(node.children, visit, depth + 1);
  }
}

describe('sanitizeHtml: what servers send', () => {
  it('keeps paragraphs, emphasis, code, quotes, lists and line breaks', () => {
    const tree = sanitizeHtml(
      '<p>Hello <strong>bold</strong> <em>it</em> <code>x</code><br>next</p>\n<blockquote><p>quote</p></blockquote>\n<ul><li>one</li><li>two</li></ul><ol><li>1</li></ol><pre><code>a &lt; b\n  c</code></pre>',
    );
    expect(show(tree)).toBe(
      'p("Hello " strong("bold") " " em("it") " " code("x") br() "next") blockquote(p("quote")) ul(li("one") li("two")) ol(li("1")) pre(code("a < b\\n  c"))',
    );
  });

  it('renames b, i, s, strike, kbd and keeps del, sup, sub', () => {
    expect(show(sanitizeHtml('<b>b</b><i>i</i><s>s</s><strike>t</strike><kbd>k</kbd><del>d</del><sup>2</sup><sub>n</sub>'))).toBe(
      'strong("b") em("i") del("s") del("t") code("k") del("d") sup("2") sub("n")',
    );
  });

  it('keeps http(s) links and nothing but their href', () => {
    const tree = sanitizeHtml(
      '<a href="https://example.com/a?b=1#c" target="_self" rel="opener" class="x" onclick="evil()" title="t">site</a>',
    );
    expect(tree).toEqual([{ tag: 'a', href: 'https://example.com/a?b=1#c', children: ['site'] }]);
  });

  it('turns headings into bold paragraphs (no headings inside a comment)', () => {
    expect(show(sanitizeHtml('<h1>Title</h1><h3>Sub</h3>'))).toBe('p(strong("Title")) p(strong("Sub"))');
  });

  it('unwraps spans, divs and unknown elements but keeps their text', () => {
    expect(
      show(sanitizeHtml('<div class="x"><span style="color:red">red</span> <mark>m</mark> <custom-el>c</custom-el></div>')),
    ).toBe('"red m c"');
  });

  it('keeps table text apart: rows become paragraphs, cells are spaced', () => {
    expect(show(sanitizeHtml('<table><tr><th>a</th><th>b</th></tr><tr><td>1</td><td>2</td></tr></table>'))).toBe(
      'p("a b ") p("1 2 ")',
    );
  });

  it('shows images as links to the picture (nothing loads), named by their alt text', () => {
    expect(
      sanitizeHtml('<p><img src="https://cdn.example/cat.png" alt="a cat"> <img src="https://cdn.example/x.png"></p>'),
    ).toEqual([
      {
        tag: 'p',
        children: [
          { tag: 'a', href: 'https://cdn.example/cat.png', children: ['a cat'] },
          ' ',
          { tag: 'a', href: 'https://cdn.example/x.png', children: ['https://cdn.example/x.png'] },
        ],
      },
    ]);
    // An image inside a link is its alt text; a non-http image is its alt text or nothing.
    expect(
      show(
        sanitizeHtml(
          '<a href="https://a.example/"><img src="https://a.example/i.png" alt="logo"></a><img src="data:image/png;base64,AAAA" alt="dot"><img src="/rel.png">',
        ),
      ),
    ).toBe('a[https://a.example/]("logo") "dot"');
  });

  it('renders through createElement with only allowed tags and attributes', () => {
    const dom = toDom('<p>Hi <a href="https://example.com/" onmouseover="x()">link</a></p><ul><li><b>x</b></li></ul>');
    expect(dom.innerHTML).toBe(
      `<p>Hi <a href="https://example.com/" rel="${REL}" target="_blank">link</a></p><ul><li><strong>x</strong></li></ul>`,
    );
    expectSafeDom(dom);
  });

  it('reads empty, whitespace-only and non-string input as nothing', () => {
    expect(sanitizeHtml('')).toEqual([]);
    expect(sanitizeHtml('\n  \n')).toEqual([]);
    expect(sanitizeHtml(null as unknown as string)).toEqual([]);
    expect(sanitizeHtml(42 as unknown as string)).toEqual([]);
  });

  it('shows entities as the characters they are, and text that looks like markup as text', () => {
    expect(sanitizeHtml('<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#x263A;</p>')).toEqual([
      { tag: 'p', children: ['<script>alert(1)</script> & ☺'] },
    ]);
  });
});

describe('sanitizeHtml: hostile HTML', () => {
  it('drops script, style and template with their content', () => {
    expect(
      show(sanitizeHtml('<p>a<script>alert(1)</script>b<style>p{color:red}</style>c<template><b>t</b></template>d</p>')),
    ).toBe('p("abcd")');
  });

  it('drops every on* handler and style attribute, keeping the element and its text', () => {
    const tree = sanitizeHtml(
      '<p onclick="x()" style="position:fixed">t<strong onmouseover="y()">b</strong><img src=x onerror="z()"></p>',
    );
    expect(show(tree)).toBe('p("t" strong("b"))');
  });

  it.each([
    ['javascript:', 'javascript:alert(1)'],
    ['upper case', 'JaVaScRiPt:alert(1)'],
    ['leading space and tab', ' \tjavascript:alert(1)'],
    ['tab inside the scheme', 'java\tscript:alert(1)'],
    ['newline inside the scheme', 'java\nscript:alert(1)'],
    ['decimal entities', '&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)'],
    ['hex entities without semicolons', '&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A;alert(1)'],
    ['named &colon;', 'javascript&colon;alert(1)'],
    ['data:text/html', 'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=='],
    ['vbscript:', 'vbscript:msgbox(1)'],
    ['https-looking', 'https:javascript:alert(1)'],
    ['protocol-relative', '//evil.example/'],
    ['relative', '/path'],
    ['fragment', '#top'],
    ['mailto:', 'mailto:a@example.com'],
    ['NUL before the scheme', '\u0000javascript:alert(1)'],
  ])('never links a %s href', (_, href) => {
    const tree = sanitizeHtml(`<a href="${href}">click</a>`);
    expect(tree).toEqual(['click']);
  });

  it('drops svg and math with their content, whatever they hold', () => {
    const svg = '<p>before</p><svg><a xlink:href="javascript:alert(1)"><text>svg text</text></a><script>alert(2)</script></svg>';
    const math =
      '<p>before</p><math><mi href="javascript:alert(3)">m</mi><mtext><a href="https://x.example/">in math</a></mtext></math>';
    expect(sanitizeHtml(svg)).toEqual([{ tag: 'p', children: ['before'] }]);
    expect(sanitizeHtml(math)).toEqual([{ tag: 'p', children: ['before'] }]);
  });

  it('drops forms controls, frames, objects, media, base, meta and link elements', () => {
    const html =
      '<form action="javascript:x()"><input value="v" autofocus onfocus="x()"><button formaction="javascript:x()">Go</button><textarea>ta</textarea><select><option>o</option></select></form>' +
      '<iframe srcdoc="<script>x()</script>">f</iframe><object data="data:text/html,x">o</object><embed src="javascript:x()">' +
      '<video><source onerror="x()"></video><audio src=x onerror=x()></audio><base href="javascript:/"><meta http-equiv="refresh" content="0;url=javascript:x()"><link rel="import" href="data:text/html,x">end';
    expect(sanitizeHtml(html)).toEqual(['Goend']);
  });

  it('survives mXSS shapes: what comes out is a new tree, never re-parsed HTML', () => {
    const samples = [
      '<form><math><mtext></form><form><mglyph><style></math><img src onerror="alert(1)">',
      '<math><mtext><table><mglyph><svg><mtext><style><path id="</style><img onerror=alert(1) src>">',
      '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
      '<!--<img src="--><img src=x onerror=alert(1)//">',
      '<svg></p><style><a id="</style><img src=1 onerror=alert(1)>">',
      '<table><td><svg><foreignObject><p><img src=x onerror=alert(1)></foreignObject></svg>',
      '<a href="https://ok.example/"><a href="javascript:alert(1)">nested</a></a>',
      '<p>unclosed <b>bold <i>both</p> after',
      '</p></div></body></html><p>after the end',
      '<plaintext><img src=x onerror=alert(1)>',
      '<xmp><img src=x onerror=alert(1)></xmp>',
      '<select><template><img src=x onerror=alert(1)></template></select>',
    ];
    for (const html of samples) {
      const dom = toDom(html);
      expectSafeDom(dom);
      expect(dom.querySelector('img,script,style,svg,math,iframe'), html).toBeNull();
    }
  });

  it('removes bidi overrides from link text, so a link cannot read as another address', () => {
    const tree = sanitizeHtml('<a href="https://evil.example/">https://bank.example/\u202Egpj.exe</a>');
    expect(tree).toEqual([{ tag: 'a', href: 'https://evil.example/', children: ['https://bank.example/gpj.exe'] }]);
  });

  it(`flattens nesting deeper than ${MAX_DEPTH} into text (no deep recursion from the data)`, () => {
    const html = '<b>'.repeat(5000) + 'deep' + '</b>'.repeat(5000);
    const tree = sanitizeHtml(html);
    let deepest = 0;
    walkTree(tree, (_, depth) => void (deepest = Math.max(deepest, depth)));
    expect(deepest).toBeLessThanOrEqual(MAX_DEPTH);
    expect(JSON.stringify(tree)).toContain('deep');
  });

  it('renders every body payload of the XSS corpus without a disallowed element, attribute or link', () => {
    const bodies = XSS_CORPUS.filter((entry) => entry.field === 'body');
    expect(bodies.length).toBeGreaterThan(30);
    for (const entry of bodies) {
      const dom = toDom(entry.payload);
      expectSafeDom(dom);
    }
  });

  it('property: random markup from hostile pieces only ever yields allowed tags and http(s) links', () => {
    const pieces = fc.constantFrom(
      '<p>',
      '</p>',
      '<b>',
      '</b>',
      '<a href="javascript:alert(1)">',
      '<a href="https://ok.example/">',
      '</a>',
      '<img src=x onerror=alert(1)>',
      '<svg>',
      '</svg>',
      '<math>',
      '<mtext>',
      '<style>',
      '</style>',
      '<script>',
      '</script>',
      '<!--',
      '-->',
      '<table>',
      '<td>',
      '<template>',
      '<noscript>',
      '</noscript>',
      '<form>',
      '</form>',
      '"',
      "'",
      '>',
      '<',
      '&#106;',
      'javascript:',
      'text',
      ' ',
      '<a href="&#x6A;avascript:x()">',
      '<iframe srcdoc="x">',
      '<pre>',
      '<code>',
      '<ul><li>',
      '<br>',
      '<h2>',
    );
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 40 }), (parts) => {
        const tree = sanitizeHtml(parts.join(''));
        walkTree(tree, (node) => {
          expect(ALLOWED.has(node.tag)).toBe(true);
          if (node.tag === 'a') expect(node.href).toMatch(/^https?:\/\//);
          else expect(node.href).toBeUndefined();
        });
      }),
      { numRuns: 300 },
    );
  });
});
