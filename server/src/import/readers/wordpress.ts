// WordPress's export (WXR 1.0 to 1.2: RSS with the `wp` namespace): each <item> is a post or page,
// its comments <wp:comment> children. Streamed; an item's comments are held until the item ends
// (its title and link come first in every export, but a thread is yielded before its comments
// whatever the order), so memory holds one post's comments at most.
import { htmlToText } from '../html-to-text.js';
import type { ImportedComment, ImportNote, ImportReader, ImportRecord, ReaderOptions } from '../records.js';
import { CommentDates, parseTimestamp } from './dates.js';
import { excerpt, notA } from './source-file.js';
import { streamXml, type XmlHandler } from './xml-stream.js';

const WXR_NAMESPACES = new Set([
  'http://wordpress.org/export/1.0/',
  'http://wordpress.org/export/1.1/',
  'http://wordpress.org/export/1.2/',
]);
const NO_DATE = '0000-00-00 00:00:00';

type Fields = Map<string, string>;
type RawComment = { line: number; fields: Fields };

class WordPressHandler implements XmlHandler {
  private records: ImportRecord[] = [];
  private wp = 'wp:';
  private item: { line: number; fields: Fields; comments: RawComment[] } | null = null;
  private comment: RawComment | null = null;
  private fieldText = '';
  private readonly dates = new CommentDates();

  constructor(private readonly options: ReaderOptions) {}

  open(name: string, attributes: Record<string, string>, depth: number, line: number) {
    if (depth === 1) return this.root(name, attributes);
    if (depth === 3 && name === 'item') this.item = { line, fields: new Map(), comments: [] };
    else if (depth === 4 && this.item && name === `${this.wp}comment`) this.comment = { line, fields: new Map() };
    this.fieldText = '';
  }

  close(name: string, depth: number) {
    const item = this.item;
    if (!item) return;
    if (depth === 4 && this.comment) {
      item.comments.push(this.comment);
      this.comment = null;
    } else if (depth === 4) {
      item.fields.set(name, this.fieldText);
    } else if (depth === 5 && this.comment) {
      this.comment.fields.set(name, this.fieldText);
    } else if (depth === 3) {
      this.item = null;
      this.post(item.fields, item.comments);
    }
  }

  text(text: string) {
    if (this.item) this.fieldText += text;
  }

  take(): ImportRecord[] {
    const records = this.records;
    this.records = [];
    return records;
  }

  finish(): ImportRecord[] {
    return this.take();
  }

  private root(name: string, attributes: Record<string, string>) {
    if (name !== 'rss') throw notA('wordpress', `its root element is <${name}>, not <rss>`, 'line 1');
    const prefix = Object.entries(attributes).find(
      ([attribute, value]) => attribute.startsWith('xmlns:') && WXR_NAMESPACES.has(value),
    );
    if (!prefix) throw notA('wordpress', 'it is an RSS feed without WordPress export elements (no wp namespace)', 'line 1');
    this.wp = `${prefix[0].slice(6)}:`;
  }

  private field(fields: Fields, name: string): string {
    return (fields.get(this.wp + name) ?? '').trim();
  }

  /** One post's thread and comments, the thread only when a comment is kept. */
  private post(fields: Fields, rawComments: RawComment[]) {
    if (rawComments.length === 0) return;
    const postId = this.field(fields, 'post_id');
    const threadKey = `wordpress:${postId}`;
    const postDate = parseTimestamp(this.field(fields, 'post_date_gmt'));
    const records: (ImportedComment | ImportNote)[] = [];
    for (const raw of rawComments) this.convert(raw, threadKey, postDate, records);
    if (records.some((record) => record.kind === 'comment')) {
      const link = (fields.get('link') ?? '').trim();
      const title = (fields.get('title') ?? '').trim();
      this.records.push({
        kind: 'thread',
        key: threadKey,
        ...(link ? { url: link } : {}),
        ...(title ? { title } : {}),
        locked: this.field(fields, 'comment_status') === 'closed',
      });
    }
    this.records.push(...records);
  }

  private convert(raw: RawComment, threadKey: string, postDate: Date | null, out: (ImportedComment | ImportNote)[]) {
    const field = (name: string) => this.field(raw.fields, name);
    const id = field('comment_id');
    const key = `wordpress:${id}`;
    const content = raw.fields.get(`${this.wp}comment_content`) ?? '';
    const where = `${key} (line ${raw.line})`;
    const type = field('comment_type');
    if (type === 'pingback' || type === 'trackback') {
      if (!this.options.withPingbacks) return out.push(skipped('pingbacks and trackbacks', where, content));
    } else if (type !== '' && type !== 'comment') {
      return out.push(skipped('comments of another type than comment, pingback or trackback', `${where} (${type})`, content));
    }
    if (!id) return out.push(skipped('comments without a comment_id', where, content));

    const notes: ImportNote[] = [];
    let date = parseTimestamp(field('comment_date_gmt'));
    if (!date) {
      // Old exports and some plugins leave the GMT date empty or zero: the site's local time is
      // the best there is, read as UTC.
      date = parseTimestamp(field('comment_date'));
      if (date && field('comment_date') !== NO_DATE) {
        notes.push({
          kind: 'note',
          skipped: false,
          reason: 'dates without GMT time, the local time read as UTC',
          example: where,
        });
      }
    }
    const createdAt = this.dates.resolve(date, where, postDate, notes);
    const approved = field('comment_approved');
    const status = STATUSES[approved];
    if (!status) {
      notes.push({
        kind: 'note',
        skipped: false,
        reason: 'statuses unknown, read as pending',
        example: `${where} (${approved})`,
      });
    }
    const parent = field('comment_parent');
    const email = field('comment_author_email');
    const url = field('comment_author_url');
    const comment: ImportedComment = {
      kind: 'comment',
      key,
      threadKey,
      author: { name: field('comment_author'), ...(url && url !== 'http://' ? { url } : {}), ...(email ? { email } : {}) },
      // WordPress shows the line breaks typed in a comment (wpautop): they are kept.
      body: htmlToText(content, { keepLineBreaks: true }),
      createdAt,
      status: status ?? 'pending',
    };
    if (parent && parent !== '0') comment.parentKey = `wordpress:${parent}`;
    out.push(...notes, comment);
  }
}

const STATUSES: Record<string, ImportedComment['status']> = {
  '1': 'published',
  approve: 'published',
  '0': 'pending',
  hold: 'pending',
  spam: 'spam',
  trash: 'deleted',
  'post-trashed': 'deleted',
};

function skipped(reason: string, where: string, content: string): ImportNote {
  const words = excerpt(htmlToText(content));
  return { kind: 'note', skipped: true, reason, example: words ? `${where}: ${words}` : where };
}

export const readWordPress: ImportReader = (path, options) => streamXml(path, 'wordpress', new WordPressHandler(options));
