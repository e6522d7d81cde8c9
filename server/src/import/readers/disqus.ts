// Disqus's XML export: under <disqus>, flat <category>, <thread> and <post> elements, posts
// naming their thread and parent by dsq:id. Streamed (exports run to gigabytes); threads come
// first in Disqus's files, and a post whose thread has not been seen yet waits for it (a bounded
// number of them), so that every thread is yielded before its comments.
//
//   for await (const record of readDisqus('disqus-export.xml.gz', {})) …
import { createHash } from 'node:crypto';
import { htmlToText } from '../html-to-text.js';
import type { ImportedComment, ImportNote, ImportReader, ImportRecord } from '../records.js';
import { CommentDates, parseTimestamp } from './dates.js';
import { excerpt, notA } from './source-file.js';
import { streamXml, type XmlHandler } from './xml-stream.js';

const INTERNALS_NAMESPACE = 'http://disqus.com/disqus-internals';
/** Posts held while their thread is not yet in the file; a file has them only by accident. */
export const MAX_WAITING_POSTS = 10_000;

// The elements read, of a thread or post and of its author: the rest (forum, category, ids
// Disqus keeps for the site, isAnonymous) is not kept.
const READ = new Set(['message', 'createdAt', 'isDeleted', 'isSpam', 'isClosed', 'link', 'title', 'name', 'email', 'username']);

/** A <thread> or <post> as read: its dsq:id, where it starts, and its fields' text by path. */
type RawRecord = { id: string; line: number; fields: Map<string, string> };

class DisqusHandler implements XmlHandler {
  private records: ImportRecord[] = [];
  private idAttribute = 'dsq:id';
  private current: (RawRecord & { type: string }) | null = null;
  /** The child of the current thread or post being read (<author> for its children). */
  private field = '';
  private fieldText = '';
  /** Text is kept only inside a thread's or post's child: not the whitespace between them. */
  private inField = false;
  /** Threads yielded, with their date (lent to a comment whose own is unreadable). */
  private readonly threads = new Map<string, Date | null>();
  private readonly deletedThreads = new Set<string>();
  private readonly waiting = new Map<string, RawRecord[]>();
  private waitingCount = 0;
  private readonly dates = new CommentDates();

  open(name: string, attributes: Record<string, string>, depth: number, line: number) {
    if (depth === 1) return this.root(name, attributes);
    if (depth === 2) {
      this.current = { type: name, id: attributes[this.idAttribute] ?? '', line, fields: new Map() };
      return;
    }
    if (!this.current) return;
    this.fieldText = '';
    this.inField = true;
    if (depth !== 3) return;
    this.field = name;
    if (name === 'thread' || name === 'parent') {
      const reference = attributes[this.idAttribute];
      if (reference !== undefined) this.current.fields.set(`${name}@id`, reference);
    }
  }

  close(name: string, depth: number) {
    const record = this.current;
    if (!record) return;
    this.inField = false;
    if (depth === 3) {
      if (READ.has(name)) record.fields.set(name, this.fieldText);
    } else if (depth === 4) {
      if (this.field === 'author' && READ.has(name)) record.fields.set(`author/${name}`, this.fieldText);
    } else if (depth === 2) {
      this.current = null;
      if (record.type === 'thread') this.thread(record);
      else if (record.type === 'post') this.post(record);
    }
  }

  text(text: string) {
    if (this.inField) this.fieldText += text;
  }

  take(): ImportRecord[] {
    const records = this.records;
    this.records = [];
    return records;
  }

  finish(): ImportRecord[] {
    for (const posts of this.waiting.values()) {
      for (const post of posts) this.skip('comments whose thread is not in the file', post);
    }
    this.waiting.clear();
    return this.take();
  }

  private root(name: string, attributes: Record<string, string>) {
    if (name.replace(/^.*:/, '') !== 'disqus') throw notA('disqus', `its root element is <${name}>, not <disqus>`, 'line 1');
    // The internals' prefix is "dsq" in every export seen, but it is the namespace that counts.
    for (const [attribute, value] of Object.entries(attributes)) {
      if (attribute.startsWith('xmlns:') && value === INTERNALS_NAMESPACE) this.idAttribute = `${attribute.slice(6)}:id`;
    }
  }

  private thread(thread: RawRecord) {
    const { id, fields } = thread;
    if (!id) return this.skip('threads without a dsq:id', thread, fields.get('title'));
    if (this.flag(thread, 'isDeleted')) {
      this.deletedThreads.add(id);
      this.skip('threads deleted in Disqus', thread, fields.get('title'));
      for (const post of this.waiting.get(id) ?? []) this.skip('comments of threads deleted in Disqus', post);
      this.dropWaiting(id);
      return;
    }
    const link = fields.get('link')?.trim();
    const title = fields.get('title')?.trim();
    this.records.push({
      kind: 'thread',
      key: `disqus:${id}`,
      ...(link ? { url: link } : {}),
      ...(title ? { title } : {}),
      locked: this.flag(thread, 'isClosed'),
    });
    this.threads.set(id, parseTimestamp(fields.get('createdAt') ?? ''));
    for (const post of this.waiting.get(id) ?? []) this.comment(post, id);
    this.dropWaiting(id);
  }

  private post(post: RawRecord) {
    const threadId = post.fields.get('thread@id');
    if (!threadId) return this.skip('comments naming no thread', post);
    if (this.deletedThreads.has(threadId)) return this.skip('comments of threads deleted in Disqus', post);
    if (this.threads.has(threadId)) return this.comment(post, threadId);
    if (this.waitingCount >= MAX_WAITING_POSTS) {
      return this.skip(`comments before their thread, beyond the ${MAX_WAITING_POSTS} held`, post);
    }
    const waiting = this.waiting.get(threadId);
    if (waiting) waiting.push(post);
    else this.waiting.set(threadId, [post]);
    this.waitingCount++;
  }

  private comment(post: RawRecord, threadId: string) {
    const { fields } = post;
    const message = fields.get('message') ?? '';
    const rawDate = fields.get('createdAt') ?? '';
    const name = (fields.get('author/name') || fields.get('author/username') || '').trim();
    const email = fields.get('author/email')?.trim();
    let key = `disqus:${post.id}`;
    const notes: ImportNote[] = [];
    if (!post.id) {
      // The same post gets the same key at every import of the file, so a re-import matches it.
      const hash = createHash('sha1').update([threadId, name, email, rawDate, message].join('\u0000')).digest('hex');
      key = `disqus:hash-${hash.slice(0, 20)}`;
      notes.push(this.note(false, 'comments without a dsq:id, keyed by a hash of their content', key, post.line));
    }
    const createdAt = this.dates.resolve(
      parseTimestamp(rawDate),
      `${key} (line ${post.line})`,
      this.threads.get(threadId),
      notes,
    );
    const deleted = this.flag(post, 'isDeleted');
    const spam = this.flag(post, 'isSpam');
    const comment: ImportedComment = {
      kind: 'comment',
      key,
      threadKey: `disqus:${threadId}`,
      author: email ? { name, email } : { name },
      body: htmlToText(message),
      createdAt,
      status: deleted ? 'deleted' : spam ? 'spam' : 'published',
    };
    const parentId = fields.get('parent@id');
    if (parentId) comment.parentKey = `disqus:${parentId}`;
    if (notes.length > 0) this.records.push(...notes);
    this.records.push(comment);
  }

  /** A true/false element; anything else is read as false, with a note. */
  private flag(record: RawRecord, name: string): boolean {
    const value = (record.fields.get(name) ?? '').trim().toLowerCase();
    if (value === 'true') return true;
    if (value !== 'false' && value !== '') {
      const key = record.id ? `disqus:${record.id}` : 'no dsq:id';
      this.records.push(
        this.note(false, 'flags neither true nor false, read as false', `${key} <${name}>${excerpt(value, 20)}`, record.line),
      );
    }
    return false;
  }

  private dropWaiting(threadId: string) {
    this.waitingCount -= this.waiting.get(threadId)?.length ?? 0;
    this.waiting.delete(threadId);
  }

  private skip(reason: string, record: RawRecord, text = record.fields.get('message')) {
    const key = record.id ? `disqus:${record.id}` : 'no dsq:id';
    const words = text ? `: ${excerpt(htmlToText(text))}` : '';
    this.records.push(this.note(true, reason, `${key}${words}`, record.line));
  }

  private note(skipped: boolean, reason: string, example: string, line: number): ImportNote {
    return { kind: 'note', skipped, reason, example: `${example} (line ${line})` };
  }
}

export const readDisqus: ImportReader = (path) => streamXml(path, 'disqus', new DisqusHandler());
