// Renders the formatter's tree as elements. Text is only ever a text node: nothing here can
// turn a comment into markup.
import type { ComponentChild, VNode } from 'preact';
import type { Comment } from '../types';
import { formatBody, type Block, type Inline } from '../format/format-body';
import type { HtmlNode, HtmlTag } from '../format/sanitize-html';
import { safeHttpUrl } from '../api/validate';

export const LINK_REL = 'nofollow ugc noopener noreferrer';

function renderInline(node: Inline, key: number) {
  switch (node.type) {
    case 'text':
      return node.text;
    case 'break':
      return <br key={key} />;
    case 'code':
      return <code key={key}>{node.text}</code>;
    case 'strong':
      return <strong key={key}>{node.children.map(renderInline)}</strong>;
    case 'em':
      return <em key={key}>{node.children.map(renderInline)}</em>;
    case 'link':
      // dir="ltr" isolates the address from the text around it: a right-to-left override
      // earlier in the line cannot make it display as a different, trusted address.
      return <a key={key} href={node.href} rel={LINK_REL} target="_blank" dir="ltr">{node.text}</a>;
  }
}

function renderBlock(block: Block, key: number) {
  switch (block.type) {
    case 'paragraph':
      return <p key={key}>{block.children.map(renderInline)}</p>;
    case 'quote':
      return <blockquote key={key}><p>{block.children.map(renderInline)}</p></blockquote>;
    case 'code':
      return <pre key={key}><code>{block.text}</code></pre>;
  }
}

// Checked again here, whoever built the tree: only these tags, only http(s) links, bounded depth.
const HTML_TAGS = new Set<HtmlTag>(['p', 'br', 'a', 'strong', 'em', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li', 'del', 'sup', 'sub']);
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
function renderHtml(node: HtmlNode, key: number, depth = 0): ComponentChild {
  if (typeof node === 'string') return node;
  if (!node || !HTML_TAGS.has(node.tag) || !Array.isArray(node.children) || depth >= MAX_HTML_DEPTH) return textOf(node);
  const children = node.children.map((child, index) => renderHtml(child, index, depth + 1));
  if (node.tag === 'a') {
    const href = safeHttpUrl(node.href);
    return href ? <a key={key} href={href} rel={LINK_REL} target="_blank">{children}</a> : <>{children}</>;
  }
  const Tag = node.tag;
  return <Tag key={key}>{children}</Tag>;
}

export function CommentBody({ text, html }: { text: string; html?: HtmlNode[] | undefined }) {
  return bodyElement(text, html);
}

function bodyElement(text: string, html?: HtmlNode[]) {
  return (
    <div class="confab-body" part="body">
      {html === undefined ? formatBody(text).map(renderBlock) : html.map((node, index) => renderHtml(node, index))}
    </div>
  );
}

/**
 * A comment's body, built once per version of the comment: when an ancestor re-renders (a new
 * reply changes its count) the body is the same element, which Preact does not diff again.
 */
const bodies = new WeakMap<Comment, VNode>();

export function commentBody(comment: Comment, sanitizeHtml: ((html: string) => HtmlNode[]) | null): VNode {
  let body = bodies.get(comment);
  if (!body) {
    body = bodyElement(comment.body, sanitizeHtml && comment.bodyHtml !== undefined ? sanitizeHtml(comment.bodyHtml) : undefined);
    bodies.set(comment, body);
  }
  return body;
}
