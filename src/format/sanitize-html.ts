// HTML bodies from other comment servers (Remark42, Isso, Artalk, Waline render Markdown to HTML
// on their side) → a small tree of allowed elements, for the UI to build with createElement.
//
// The HTML is parsed by DOMParser into an inert document: no script runs, no image, style or
// frame loads, no event handler fires. Nothing from that document is ever inserted into the
// page: this walks it and BUILDS a new tree that holds only text and the tags below, with one
// attribute in all (a link's href, an absolute http(s) URL). Everything else is dropped: other
// elements are unwrapped (their text stays), and the ones whose content is code, styling,
// embedded documents or form controls go with their content. No HTML string comes out, so a
// parser differential (the mXSS family) has nothing to re-parse.

import type { HtmlNode, HtmlTag } from '../types';
import { safeHttpUrl } from '../util/values';

export type { HtmlElementNode, HtmlNode, HtmlTag } from '../types';

/** Source tag → the tag we build. */
const TAGS: Record<string, HtmlTag> = {
  p: 'p',
  br: 'br',
  a: 'a',
  strong: 'strong',
  b: 'strong',
  em: 'em',
  i: 'em',
  cite: 'em',
  dfn: 'em',
  code: 'code',
  kbd: 'code',
  samp: 'code',
  tt: 'code',
  var: 'em',
  pre: 'pre',
  blockquote: 'blockquote',
  ul: 'ul',
  ol: 'ol',
  li: 'li',
  del: 'del',
  s: 'del',
  strike: 'del',
  sup: 'sup',
  sub: 'sub',
  // Block containers and table rows become paragraphs, so their text does not run together.
  tr: 'p',
  caption: 'p',
  figcaption: 'p',
  dt: 'p',
  dd: 'p',
  summary: 'p',
  address: 'p',
};

// Dropped with everything inside: running or styling code, embedded documents and media, form
// controls, metadata, and foreign content (SVG, MathML), whose parsing rules differ from HTML's.
const DROP = new Set([
  'script',
  'style',
  'template',
  'noscript',
  'noembed',
  'noframes',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'applet',
  'param',
  'portal',
  'svg',
  'math',
  'head',
  'title',
  'meta',
  'link',
  'base',
  'textarea',
  'select',
  'option',
  'optgroup',
  'datalist',
  'input',
  'audio',
  'video',
  'source',
  'track',
  'canvas',
  'map',
  'area',
  'picture',
  'xmp',
  'plaintext',
  'hr',
  'wbr',
  'slot',
  'dialog',
]);

const HEADING = /^h[1-6]$/;
const HTML_NS = 'http://www.w3.org/1999/xhtml';
// Embedding and override controls (LRE…RLO, LRI…PDI) inside link text could make it read as
// another address than it goes to; elsewhere they are the writer's business.
const BIDI = /[\u202A-\u202E\u2066-\u2069]/g;

/** Deeper input nesting is flattened to its text: no recursion depth comes from the data. */
export const MAX_DEPTH = 32;

/** Adds a text, joined to a text just before it (unwrapped elements leave pieces). */
function addText(out: HtmlNode[], text: string) {
  if (!text) return;
  const last = out.length - 1;
  if (typeof out[last] === 'string') out[last] += text;
  else out.push(text);
}

const dropped = (element: Element) => element.namespaceURI !== HTML_NS || DROP.has(element.localName);

/** The text under `root`, without dropped elements, by a loop rather than recursion. */
function flatText(root: Element): string {
  let text = '';
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.nodeType === 3) text += node.nodeValue ?? '';
    else if (node.nodeType === 1 && !dropped(node as Element)) {
      for (let child = node.lastChild; child; child = child.previousSibling) stack.push(child);
    }
  }
  return text;
}

function walk(parent: Node, out: HtmlNode[], depth: number, inLink: boolean): void {
  for (let node = parent.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === 3) {
      const text = node.nodeValue ?? '';
      addText(out, inLink ? text.replace(BIDI, '') : text);
      continue;
    }
    if (node.nodeType !== 1) continue; // comments, processing instructions, doctypes
    const element = node as Element;
    const name = element.localName;
    if (dropped(element)) continue;
    if (depth >= MAX_DEPTH) {
      const text = flatText(element);
      addText(out, inLink ? text.replace(BIDI, '') : text);
      continue;
    }
    if (name === 'img') {
      image(element, out, inLink);
      continue;
    }
    let tag = TAGS[name];
    let href: string | null = null;
    if (tag === 'a') {
      href = inLink ? null : safeHttpUrl(element.getAttribute('href'));
      if (!href) tag = undefined; // not a web link: its text stays, unlinked
    }
    const children: HtmlNode[] = [];
    walk(element, children, depth + 1, inLink || href !== null);
    if (HEADING.test(name)) {
      // Headings inside a comment would break the page's outline: bold paragraphs instead.
      out.push({ tag: 'p', children: [{ tag: 'strong', children }] });
    } else if (tag === 'a') {
      out.push({ tag, href: href!, children });
    } else if (tag) {
      out.push(tag === 'br' ? { tag, children: [] } : { tag, children });
    } else {
      for (const child of children) {
        if (typeof child === 'string') addText(out, child);
        else out.push(child);
      }
      if (name === 'td' || name === 'th') addText(out, ' ');
    }
  }
}

/**
 * An image loads nothing here (a reader's privacy: comment images are third-party requests).
 * It becomes a link to the picture, named by its alt text, or just that text inside a link or
 * when its address is not http(s).
 */
function image(element: Element, out: HtmlNode[], inLink: boolean) {
  const alt = (element.getAttribute('alt') ?? '').trim();
  const src = inLink ? null : safeHttpUrl(element.getAttribute('src'));
  if (src) out.push({ tag: 'a', href: src, children: [alt || src] });
  else addText(out, alt);
}

/** The allowed tree of an HTML body; whitespace between top-level blocks is dropped. */
export function sanitizeHtml(html: string): HtmlNode[] {
  if (typeof html !== 'string' || html === '' || typeof DOMParser === 'undefined') return [];
  const doc = new DOMParser().parseFromString(html, 'text/html');
  const out: HtmlNode[] = [];
  walk(doc.body, out, 0, false);
  return out.filter((node) => typeof node !== 'string' || node.trim() !== '');
}
