// A comment's body as elements. Text only ever becomes text nodes (`append` of a string, never
// parsed): nothing here can turn a comment into markup.
// Built with DOM calls, not as virtual DOM: a body never changes until the comment does, and a
// thread of 10,000 would otherwise keep about 40,000 vnodes only to compare them with themselves.
// On the server (ssr.tsx) there is no DOM: the same builders make vnodes, which Preact escapes.
import { h, type VNode } from 'preact';
import type { Comment } from '../types';
import { formatBody, type Block, type Inline } from '../format/format-body';
import type { HtmlNode, HtmlTag } from '../types';
import { safeHttpUrl } from '../util/values';
import type { Translate } from '../i18n/translate';
import { loadPart } from './load-part';

export const LINK_REL = 'nofollow ugc noopener noreferrer';

type Child = Node | VNode | string;

let asMarkup = false;
/** For the server rendering: bodies become vnodes in the markup, not DOM filled in later. */
export function renderBodiesAsMarkup(): void {
  asMarkup = true;
}

function element(tag: string, children: Child[], attributes?: Record<string, string>): Child {
  if (asMarkup) return h(tag, attributes ?? {}, ...(children as (VNode | string)[])) as VNode;
  const built = document.createElement(tag);
  if (attributes) for (const name in attributes) built.setAttribute(name, attributes[name]!);
  built.append(...(children as (Node | string)[]));
  return built;
}

function inline(node: Inline): Child {
  switch (node.type) {
    case 'text':
      return node.text;
    case 'break':
      return element('br', []);
    case 'code':
      return element('code', [node.text]);
    case 'strong':
      return element('strong', node.children.map(inline));
    case 'em':
      return element('em', node.children.map(inline));
    case 'link':
      // dir="ltr" isolates the address from the text around it: a right-to-left override
      // earlier in the line cannot make it display as a different, trusted address.
      return element('a', [node.text], { href: node.href, rel: LINK_REL, target: '_blank', dir: 'ltr' });
  }
}

function block(node: Block): Child {
  switch (node.type) {
    case 'paragraph':
      return element('p', node.children.map(inline));
    case 'quote':
      return element('blockquote', [element('p', node.children.map(inline))]);
    case 'code':
      return element('pre', [element('code', [node.text])]);
  }
}

// Checked again here, whoever built the tree: only these tags, only http(s) links, bounded depth.
const HTML_TAGS = new Set<HtmlTag>([
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
const MAX_HTML_DEPTH = 32;

function textOf(node: HtmlNode): string {
  if (typeof node === 'string') return node;
  let text = '';
  const stack: HtmlNode[] = [node];
  while (stack.length > 0) {
    const next = stack.pop()!;
    if (typeof next === 'string') text += next;
    else if (Array.isArray(next?.children)) for (let i = next.children.length - 1; i >= 0; i--) stack.push(next.children[i]!);
  }
  return text;
}

/** A backend's HTML after the adapter's sanitizer: elements built here, never parsed. */
function html(node: HtmlNode, depth = 0): Child[] {
  if (typeof node === 'string') return [node];
  if (!node || !HTML_TAGS.has(node.tag) || !Array.isArray(node.children) || depth >= MAX_HTML_DEPTH) return [textOf(node)];
  const children = node.children.flatMap((child) => html(child, depth + 1));
  if (node.tag === 'a') {
    const href = safeHttpUrl(node.href);
    return href ? [element('a', children, { href, rel: LINK_REL, target: '_blank' })] : children;
  }
  return [element(node.tag, children)];
}

function bodyNodes(text: string, htmlNodes?: HtmlNode[]): Child[] {
  return htmlNodes === undefined ? formatBody(text).map(block) : htmlNodes.flatMap((node) => html(node));
}

/** What each body element was last filled with. */
const filledWith = new WeakMap<Element, unknown>();

/** Bodies longer than this (characters of their text) fold after about 20 lines (ui/fold.ts). */
const FOLD_OVER = 1500;

/**
 * A `.confab-body` element that Preact leaves empty and this module fills (see above); with
 * `foldWith`, a long body's translator, folded once the fold's code is in.
 */
function bodyElement(content: unknown, build: () => Child[], foldWith?: Translate): VNode {
  if (asMarkup) {
    return (
      <div class="confab-body" part="body">
        {build()}
      </div>
    );
  }
  const fill = (target: HTMLElement | null) => {
    if (!target || filledWith.get(target) === content) return;
    target.replaceChildren(...(build() as (Node | string)[]));
    filledWith.set(target, content);
    // Its code failing to load, the comment stays whole.
    if (foldWith)
      loadPart('fold').then(
        (part) => part.fold(target, foldWith),
        () => {},
      );
  };
  return <div class="confab-body" part="body" ref={fill} />;
}

/** A body on its own (stories, tests, custom UIs): `text` formatted, or sanitized `html`. */
export function CommentBody({ text, html: htmlNodes }: { text: string; html?: HtmlNode[] | undefined }) {
  return bodyElement(htmlNodes ?? text, () => bodyNodes(text, htmlNodes));
}

/**
 * A comment's body, one element per version of the comment: when an ancestor re-renders (a new
 * reply changes its count) it is the same vnode, which Preact does not diff again.
 */
const bodies = new WeakMap<Comment, VNode>();

export function commentBody(comment: Comment, sanitizeHtml: ((html: string) => HtmlNode[]) | null, t?: Translate): VNode {
  let body = bodies.get(comment);
  if (!body) {
    body = bodyElement(
      comment,
      () => bodyNodes(comment.body, sanitizeHtml && comment.bodyHtml !== undefined ? sanitizeHtml(comment.bodyHtml) : undefined),
      comment.body.length > FOLD_OVER ? t : undefined,
    );
    bodies.set(comment, body);
  }
  return body;
}
