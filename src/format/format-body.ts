// Comment body text → a small tree of blocks and inlines, as the protocol describes. A pure
// function with no HTML in or out: the UI turns the tree into elements, so text stays text.

export type Inline =
  | { type: 'text'; text: string }
  | { type: 'break' }
  | { type: 'code'; text: string }
  | { type: 'strong'; children: Inline[] }
  | { type: 'em'; children: Inline[] }
  | { type: 'link'; href: string; text: string };

export type Block =
  { type: 'paragraph'; children: Inline[] } | { type: 'quote'; children: Inline[] } | { type: 'code'; text: string };

// An opening fence may name a language but holds no backtick: ```code``` on one line is inline
// code, not a fence that would swallow the line and the rest of the comment. A closing fence is
// bare, so text after it is never dropped.
const FENCE_OPEN = /^\s*`{3,}[^`]*$/;
const FENCE_CLOSE = /^\s*`{3,}\s*$/;
const QUOTE = /^>(?: |$)/;
// Stops at whitespace and at characters that cannot be part of a URL in running text, and at
// bidi controls (LRE…RLO, LRI…PDI, LRM, RLM, ALM): inside a link they would make its text
// display as another address than it goes to ("https://evil.example/\u202E…"). They stay in
// the text, outside the link.
const URL_PATTERN = /\bhttps?:\/\/[^\s<>"'`\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]+/gi;
const TRAILING = /[.,;:!?)\]}'"»”’]/;
// No `*` inside and a bounded length: hostile bodies of stars cannot make this slow.
const EMPHASIS = /\*\*(?=\S)([^*\n]{1,500}?)(?<=\S)\*\*|\*(?=\S)([^*\n]{1,500}?)(?<=\S)\*/g;
// A run of backticks up to a run of the same length, so ``a `b` c`` and ```code``` work. The
// look-behind starts a span only at the start of a run, and the bound keeps long lines linear.
const CODE_SPAN = /(?<!`)(`+)(?!`)([^\n]{0,2000}?[^`\n])\1(?!`)/g;

/** Drops punctuation that ends a sentence, but keeps a `)` closing one opened in the URL. */
function trimUrl(url: string): string {
  const count = (char: string) => url.split(char).length - 1;
  while (TRAILING.test(url.slice(-1))) {
    if (url.endsWith(')') && count('(') >= count(')')) break;
    url = url.slice(0, -1);
  }
  return url;
}

function linkify(text: string, out: Inline[]) {
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    const url = trimUrl(match[0]);
    const start = match.index;
    if (/^https?:\/\/$/i.test(url)) continue; // `https://.` names no site: it stays text
    if (start > last) out.push({ type: 'text', text: text.slice(last, start) });
    out.push({ type: 'link', href: url, text: url });
    last = start + url.length;
  }
  if (last < text.length) out.push({ type: 'text', text: text.slice(last) });
}

function emphasize(text: string, out: Inline[]) {
  let last = 0;
  for (const match of text.matchAll(EMPHASIS)) {
    if (match.index > last) linkify(text.slice(last, match.index), out);
    const children: Inline[] = [];
    linkify(match[1] ?? match[2] ?? '', children);
    out.push(match[1] !== undefined ? { type: 'strong', children } : { type: 'em', children });
    last = match.index + match[0].length;
  }
  if (last < text.length) linkify(text.slice(last), out);
}

export function formatInline(line: string): Inline[] {
  const out: Inline[] = [];
  let last = 0;
  for (const match of line.matchAll(CODE_SPAN)) {
    if (match.index > last) emphasize(line.slice(last, match.index), out);
    out.push({ type: 'code', text: match[2]! });
    last = match.index + match[0].length;
  }
  if (last < line.length) emphasize(line.slice(last), out);
  return out;
}

function linesToInlines(lines: string[]): Inline[] {
  const out: Inline[] = [];
  lines.forEach((line, index) => {
    if (index > 0) out.push({ type: 'break' });
    out.push(...formatInline(line));
  });
  return out;
}

export function formatBody(body: string): Block[] {
  const blocks: Block[] = [];
  const lines = body.replace(/\r\n?/g, '\n').split('\n');
  let paragraph: string[] = [];
  let quote: string[] = [];

  const flush = () => {
    if (paragraph.length > 0) blocks.push({ type: 'paragraph', children: linesToInlines(paragraph) });
    if (quote.length > 0) blocks.push({ type: 'quote', children: linesToInlines(quote) });
    paragraph = [];
    quote = [];
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (FENCE_OPEN.test(line)) {
      flush();
      const code: string[] = [];
      i++;
      while (i < lines.length && !FENCE_CLOSE.test(lines[i]!)) code.push(lines[i++]!);
      blocks.push({ type: 'code', text: code.join('\n') });
    } else if (line.trim() === '') {
      flush();
    } else if (QUOTE.test(line)) {
      if (paragraph.length > 0) flush();
      quote.push(line.replace(QUOTE, ''));
    } else {
      if (quote.length > 0) flush();
      paragraph.push(line);
    }
  }
  flush();
  return blocks;
}
