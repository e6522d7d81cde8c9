// Renders the formatter's tree as elements. Text is only ever a text node: nothing here can
// turn a comment into markup.
import { formatBody, type Block, type Inline } from '../format/format-body';

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

export function CommentBody({ text }: { text: string }) {
  return <div class="confab-body" part="body">{formatBody(text).map(renderBlock)}</div>;
}
