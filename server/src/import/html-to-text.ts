// Comment bodies from other systems → Confab's text format (what src/format/format-body.ts reads):
// paragraphs split by blank lines, line breaks, `> ` quotes, **strong**, *em*, `code`, fenced
// blocks, and bare URLs (the widget links them). htmlparser2's streaming callbacks, no DOM: one
// pass over a body, whose formatting becomes the text's own marks and never stays as markup.
//
//   htmlToText('<p>Hi <b>Ann</b>,<br>see <a href="https://x.example/">this</a></p>')
//     // → 'Hi **Ann**,\nsee this (https://x.example/)'
//   htmlToText(wordpressComment, { keepLineBreaks: true }) // typed newlines are breaks
//   markdownToText('Some *markdown* with <b>HTML</b>')     // → 'Some *markdown* with **HTML**'
import { Parser } from 'htmlparser2';

export interface HtmlToTextOptions {
  /**
   * Newlines typed in the text are line breaks, as WordPress shows them (wpautop), instead of
   * spaces as in HTML proper. Spaces still collapse.
   */
  keepLineBreaks?: boolean;
}

// Elements whose content is never text a reader saw.
const DROPPED = new Set(['script', 'style', 'template', 'head', 'title', 'noscript']);
// Blocks set apart by a blank line, and blocks that only start a new line.
const PARAGRAPHS = new Set(['p', 'hr', 'table', 'figure', 'dl', 'address', 'center']);
const LINES = new Set([
  'div', 'tr', 'dt', 'dd', 'section', 'article', 'header', 'footer', 'nav', 'aside', 'main',
  'figcaption', 'caption', 'details', 'summary', 'form', 'fieldset', 'legend',
]); // prettier-ignore
const HEADINGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
const STRONG = new Set(['b', 'strong']);
const EMPHASIS = new Set(['i', 'em']);
// HTML's whitespace: a no-break space is not in it, and does not collapse.
const HTML_SPACE = /[ \t\n\r\f]+/;
// Runs of whitespace that are not already a single space (most text has none: it is kept as is).
const HTML_SPACES = /[\t\n\r\f][ \t\n\r\f]*| [ \t\n\r\f]+/g;
// Something that may open a tag, a comment or a declaration: without it, the body is plain text.
const MAY_HAVE_TAG = /<[A-Za-z/!?]/;

type Marker = { mark: string; shown: boolean } | null;
type Capture = { kind: 'link'; href: string | null; text: string } | { kind: 'code'; text: string };

/** What an element's close undoes (htmlparser2 pairs every open with a close, innermost first). */
const enum Close {
  Nothing,
  Dropped,
  Pre,
  Capture,
  Marker,
  Heading,
  Quote,
  List,
  Item,
  Paragraph,
  Line,
}

/** Builds the text as the parser reports the body; `result()` once the parser has ended. */
class TextBuilder {
  private out = '';
  private started = false;
  private atLineStart = true;
  private pendingBreaks = 0;
  private pendingSpace = false;
  private quoteDepth = 0;
  private lastLineQuoteDepth = 0;
  private readonly lists: { ordered: boolean; next: number }[] = [];
  private itemMarker: string | null = null;
  private readonly markers: Marker[] = [];
  private capture: Capture | null = null;
  private pre: string | null = null;
  private preDepth = 0;
  private dropDepth = 0;
  private readonly closes: Close[] = [];

  constructor(private readonly keepLineBreaks: boolean) {}

  /** Ready for the next body (one builder serves them all, as allocating one costs more than a body). */
  reset() {
    this.out = '';
    this.started = false;
    this.atLineStart = true;
    this.pendingBreaks = 0;
    this.pendingSpace = false;
    this.quoteDepth = 0;
    this.lastLineQuoteDepth = 0;
    this.lists.length = 0;
    this.itemMarker = null;
    this.markers.length = 0;
    this.capture = null;
    this.pre = null;
    this.preDepth = 0;
    this.dropDepth = 0;
    this.closes.length = 0;
  }

  open(name: string, attributes: Record<string, string>) {
    this.closes.push(this.openElement(name, attributes));
  }

  close() {
    switch (this.closes.pop()) {
      case Close.Dropped:
        this.dropDepth--;
        break;
      case Close.Pre:
        this.closePre();
        break;
      case Close.Capture:
        this.closeCapture();
        break;
      case Close.Marker:
        this.closeMarker();
        break;
      case Close.Heading:
        this.closeMarker();
        this.requestBreaks(2);
        break;
      case Close.Quote:
        this.requestBreaks(2);
        this.quoteDepth--;
        break;
      case Close.List:
        this.lists.pop();
        this.requestBreaks(this.lists.length > 0 ? 1 : 2);
        break;
      case Close.Item:
        this.itemMarker = null;
        this.requestBreaks(1);
        break;
      case Close.Paragraph:
        this.requestBreaks(2);
        break;
      case Close.Line:
        this.requestBreaks(1);
        break;
    }
  }

  text(data: string) {
    if (this.dropDepth > 0) return;
    if (this.pre !== null) this.pre += data;
    else if (this.capture) this.capture.text += data;
    else this.flow(data);
  }

  result(): string {
    let text = this.out;
    if (text.includes('\u00A0')) text = text.replace(/\u00A0/g, ' ');
    if (/[ \t]\n/.test(text)) text = text.replace(/[ \t]+$/gm, '');
    return text.trim();
  }

  private openElement(name: string, attributes: Record<string, string>): Close {
    if (DROPPED.has(name)) {
      this.dropDepth++;
      return Close.Dropped;
    }
    if (this.dropDepth > 0) return Close.Nothing;
    if (name === 'pre') return this.openPre();
    if (this.pre !== null) {
      if (name === 'br') this.pre += '\n';
      return Close.Nothing;
    }
    if (name === 'br') {
      if (this.capture) this.capture.text += ' ';
      else this.pendingBreaks = Math.min(this.pendingBreaks + 1, 2);
      return Close.Nothing;
    }
    if (this.capture) {
      // Inside a link's or code's text: blocks only separate words.
      if (PARAGRAPHS.has(name) || LINES.has(name) || name === 'li' || name === 'td' || name === 'th') {
        this.capture.text += ' ';
      }
      return Close.Nothing;
    }
    if (name === 'a') {
      this.capture = { kind: 'link', href: linkTarget(attributes.href ?? ''), text: '' };
      return Close.Capture;
    }
    if (name === 'code' || name === 'kbd' || name === 'samp' || name === 'tt') {
      this.capture = { kind: 'code', text: '' };
      return Close.Capture;
    }
    if (STRONG.has(name)) return this.openMarker('**');
    if (EMPHASIS.has(name)) return this.openMarker('*');
    if (HEADINGS.has(name)) {
      this.requestBreaks(2);
      this.openMarker('**');
      return Close.Heading;
    }
    if (name === 'blockquote') {
      this.requestBreaks(2);
      this.quoteDepth++;
      return Close.Quote;
    }
    if (name === 'ul' || name === 'ol') {
      this.requestBreaks(this.lists.length > 0 ? 1 : 2);
      this.lists.push({ ordered: name === 'ol', next: Number.parseInt(attributes.start ?? '', 10) || 1 });
      return Close.List;
    }
    if (name === 'li') return this.openItem();
    if (name === 'td' || name === 'th') {
      this.space();
      return Close.Nothing;
    }
    if (PARAGRAPHS.has(name)) {
      this.requestBreaks(2);
      return Close.Paragraph;
    }
    if (LINES.has(name)) {
      this.requestBreaks(1);
      return Close.Line;
    }
    return Close.Nothing;
  }

  private openPre(): Close {
    if (this.preDepth++ === 0) {
      this.requestBreaks(2);
      this.pre = '';
    }
    return Close.Pre;
  }

  private closePre() {
    if (--this.preDepth > 0) return;
    // The newline right after <pre> is not content (HTML drops it).
    const code = (this.pre ?? '').replace(/\r\n?/g, '\n').replace(/^\n/, '').trimEnd();
    this.pre = null;
    if (code.trim()) this.block('```\n' + code + '\n```');
    this.requestBreaks(2);
  }

  /** A link's or code's text, collapsed, written as one word with the spaces around it kept. */
  private closeCapture() {
    const capture = this.capture;
    this.capture = null;
    if (!capture) return;
    const raw = capture.text;
    const text = raw.split(HTML_SPACE).filter(Boolean).join(' ');
    if (/^[ \t\n\r\f]/.test(raw)) this.space();
    const word = capture.kind === 'link' ? linkText(text, capture.href) : codeSpan(text);
    if (word) this.word(word);
    if (/[ \t\n\r\f]$/.test(raw)) this.space();
  }

  private openMarker(mark: string): Close {
    // **a **b** c** would end the strong text early: an element inside its like adds nothing.
    this.markers.push(this.markers.some((m) => m?.mark === mark) ? null : { mark, shown: false });
    return Close.Marker;
  }

  private closeMarker() {
    const marker = this.markers.pop();
    if (marker?.shown) this.out += marker.mark;
  }

  private openItem(): Close {
    this.requestBreaks(1);
    const list = this.lists.at(-1);
    const indent = '  '.repeat(Math.max(0, this.lists.length - 1));
    this.itemMarker = indent + (list?.ordered ? `${list.next++}. ` : '- ');
    return Close.Item;
  }

  private requestBreaks(count: number) {
    // A paragraph opening a list item stays on the item's line.
    if (this.itemMarker !== null) count = Math.min(count, 1);
    this.pendingBreaks = Math.max(this.pendingBreaks, count);
  }

  private space() {
    if (!this.atLineStart) this.pendingSpace = true;
  }

  private flow(data: string) {
    if (this.keepLineBreaks && data.includes('\n')) {
      data.split(/([ \t\r\f]*\n[ \t\n\r\f]*)/).forEach((part, index) => {
        if (index % 2 === 0) this.run(part);
        else this.requestBreaks(Math.min(part.split('\n').length - 1, 2));
      });
    } else {
      this.run(data);
    }
  }

  /** Text with no line break to keep: its whitespace collapsed to single spaces, as a browser does. */
  private run(data: string) {
    if (!data) return;
    const collapsed = data.replace(HTML_SPACES, ' ');
    if (collapsed === ' ') return this.space();
    const leading = collapsed.startsWith(' ');
    const trailing = collapsed.endsWith(' ');
    if (leading) this.space();
    this.word(collapsed.slice(leading ? 1 : 0, trailing ? -1 : undefined));
    if (trailing) this.space();
  }

  private word(word: string) {
    if (this.started && this.pendingBreaks > 0) this.lineBreaks();
    this.pendingBreaks = 0;
    if (this.atLineStart) {
      if (this.quoteDepth > 0) this.out += '> '.repeat(this.quoteDepth);
      if (this.itemMarker !== null) this.out += this.itemMarker;
      this.itemMarker = null;
      this.lastLineQuoteDepth = this.quoteDepth;
      this.atLineStart = false;
    } else if (this.pendingSpace) {
      this.out += ' ';
    }
    this.pendingSpace = false;
    for (let i = 0; i < this.markers.length; i++) {
      const marker = this.markers[i];
      if (marker && !marker.shown) {
        this.out += marker.mark;
        marker.shown = true;
      }
    }
    this.out += word;
    this.started = true;
  }

  /** A fenced block: on lines of its own, outside any quote (a quote cannot hold one). */
  private block(text: string) {
    if (this.started) {
      this.pendingBreaks = Math.max(this.pendingBreaks, 2);
      this.lineBreaks();
    }
    this.out += text;
    this.lastLineQuoteDepth = 0;
    this.started = true;
    this.atLineStart = false;
    this.pendingSpace = false;
  }

  private lineBreaks() {
    // Strong and emphasis end at a line's end (the text format marks them within a line) and
    // open again on the next line's first word.
    for (let i = this.markers.length - 1; i >= 0; i--) {
      const marker = this.markers[i];
      if (marker?.shown) {
        this.out += marker.mark;
        marker.shown = false;
      }
    }
    this.out += '\n';
    if (this.pendingBreaks >= 2) {
      // A blank line inside a quote is a bare `>`; between a quote and what is not, empty.
      this.out += '> '.repeat(Math.min(this.quoteDepth, this.lastLineQuoteDepth)).trimEnd() + '\n';
    }
    this.pendingBreaks = 0;
    this.pendingSpace = false;
    this.atLineStart = true;
  }
}

/** Where a link goes, or null for nowhere a reader can follow (a script, a page-relative path). */
function linkTarget(href: string): string | null {
  let url = href.trim();
  if (url.startsWith('//')) url = 'https:' + url;
  if (!/^(?:https?:\/\/|mailto:|ftp:\/\/)/i.test(url)) return null;
  return unwrapDisqusRedirect(url);
}

/** Disqus rewrites every link as disq.us/url?url=<target>:<hash>: the target is what a reader went to. */
function unwrapDisqusRedirect(url: string): string {
  if (!/^https?:\/\/disq\.us\/url\?/i.test(url)) return url;
  try {
    const target = new URL(url).searchParams.get('url');
    if (!target) return url;
    const unwrapped = target.replace(/:[\w-]{20,}$/, '');
    return /^https?:\/\//i.test(unwrapped) ? unwrapped : url;
  } catch {
    return url;
  }
}

/** The URL alone when the text says the same (or is the URL shortened), else `text (url)`. */
function linkText(label: string, href: string | null): string {
  if (!href) return label;
  if (!label) return href.replace(/^mailto:/i, '');
  const bare = (s: string) =>
    s
      .toLowerCase()
      .replace(/^(?:https?:\/\/|mailto:|ftp:\/\/)/, '')
      .replace(/^www\./, '')
      .replace(/\/$/, '');
  const shortened = /(?:…|\.\.\.)$/.test(label);
  const text = bare(label.replace(/(?:…|\.\.\.)$/, ''));
  const target = bare(href);
  if (text === target || (shortened && text.length > 0 && target.startsWith(text))) {
    return /^mailto:/i.test(href) ? href.slice(7) : href;
  }
  return `${label} (${href})`;
}

/** Inline code with a fence longer than any run of backticks inside it. */
function codeSpan(text: string): string {
  if (!text) return '';
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const padded = text.startsWith('`') || text.endsWith('`') ? ` ${text} ` : text;
  return fence + padded + fence;
}

/** Text with no tag at all: its entities decoded, its line breaks kept as typed. */
function plainText(text: string): string {
  const decoded = text.includes('&') ? decodeEntities(text) : text;
  return decoded
    .replace(/\r\n?/g, '\n')
    .replace(/\u00A0/g, ' ')
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

let decoded = '';
const entityDecoder = new Parser({ ontext: (data) => (decoded += data) });

function decodeEntities(text: string): string {
  decoded = '';
  entityDecoder.parseComplete(text);
  return decoded;
}

// One parser for every body (a body is parsed at once, never two at a time): making a parser
// per body costs more than parsing a short one.
let builder: TextBuilder | null = null;
const parser = new Parser({
  onopentag: (name, attributes) => builder?.open(name, attributes),
  onclosetag: () => builder?.close(),
  ontext: (data) => builder?.text(data),
});
const htmlBuilder = new TextBuilder(false);
const lineBreaksBuilder = new TextBuilder(true);

// Most comments are a few bare paragraphs: those need no parser (the same text, three times
// faster; a test holds the two ways to the same result).
const SIMPLE_PARAGRAPHS = /^(?:[ \t\n\r\f]*<p>[^<&\u00A0]*<\/p>)+[ \t\n\r\f]*$/;

function simpleParagraphs(html: string): string {
  return html
    .split('</p>')
    .map((paragraph) =>
      paragraph
        .replace(/^[ \t\n\r\f]*<p>/, '')
        .replace(HTML_SPACES, ' ')
        .trim(),
    )
    .filter(Boolean)
    .join('\n\n');
}

/** An HTML comment body as Confab's text. */
export function htmlToText(html: string, options: HtmlToTextOptions = {}): string {
  if (!MAY_HAVE_TAG.test(html)) return plainText(html);
  if (!options.keepLineBreaks && SIMPLE_PARAGRAPHS.test(html)) return simpleParagraphs(html);
  const current = options.keepLineBreaks ? lineBreaksBuilder : htmlBuilder;
  current.reset();
  builder = current;
  try {
    parser.parseComplete(html);
  } finally {
    builder = null;
  }
  return current.result();
}

// The tags people put in Markdown comments, their attributes with values: `a<b and c>d` in
// running text is not one of them.
const HTML_IN_MARKDOWN =
  /<\/?(?:a|abbr|b|blockquote|br|center|code|del|div|em|font|h[1-6]|hr|i|iframe|img|ins|kbd|li|ol|p|pre|q|s|script|small|span|strike|strong|style|sub|sup|table|tbody|td|th|thead|tr|tt|u|ul)(?:\s+[\w:-]+\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'<>]+))*\s*\/?>/i;
// Fenced blocks and code spans, whose HTML is text the writer meant to show as such. A span is
// bounded, as in format-body.ts, so that a line of backticks cannot make this slow.
const MARKDOWN_CODE = /^(`{3,}|~{3,})[^\n]*\n[\s\S]*?\n\1[ \t]*$|(?<!`)(`+)(?!`)[^\n]{0,2000}?[^`\n]\2(?!`)/gm;

/**
 * A Markdown body (Isso, Artalk, Waline, Commento) as Confab's text: the Markdown as it is, which
 * the text format mostly shares, but any HTML in it (outside code) turned into text.
 */
export function markdownToText(markdown: string): string {
  const text = markdown.replace(/\r\n?/g, '\n').replace(/[\uE000\uE001]/g, '');
  if (!HTML_IN_MARKDOWN.test(text)) return text.trim();
  const code: string[] = [];
  const masked = text.replace(MARKDOWN_CODE, (match) => `\uE000${code.push(match) - 1}\uE001`);
  if (!HTML_IN_MARKDOWN.test(masked)) return text.trim();
  return htmlToText(masked, { keepLineBreaks: true }).replace(/\uE000(\d+)\uE001/g, (_, index: string) => code[+index] ?? '');
}
