// Commento's (and Commento++'s) export: one JSON document, gzipped as Commento mails it,
// `{"version":1,"comments":[…],"commenters":[…]}`. Comments carry their page as domain + path and
// their author as a commenterHex into `commenters`; their text is the Markdown typed. The whole
// document is read at once (it is one JSON value); threads are yielded in the order their first
// comment appears, each followed by its comments.
import { markdownToText, htmlToText } from '../html-to-text.js';
import { ImportFormatError, type ImportedComment, type ImportNote, type ImportReader, type ImportRecord } from '../records.js';
import { CommentDates, parseTimestamp } from './dates.js';
import { expectFormat, groupInOrder, isObject, notA, parseJsonDocument, stringField, wholeText } from './source-file.js';

type Commenter = { name: string; email?: string; url?: string };

const STATES: Record<string, ImportedComment['status']> = {
  approved: 'published',
  unapproved: 'pending',
  flagged: 'spam',
};

export const readCommento: ImportReader = async function* (path) {
  const text = await wholeText(path, 'commento');
  expectFormat('commento', text.slice(0, 4096), 'json');
  const data = parseJsonDocument(text, 'commento');
  if (!isObject(data) || !Array.isArray(data.comments)) throw notA('commento', 'it has no "comments" list');
  if (data.version !== undefined && data.version !== 1) {
    throw new ImportFormatError(`Commento export: version ${String(data.version)} is not one this reads (1)`);
  }
  const commenters = new Map<string, Commenter>();
  for (const commenter of Array.isArray(data.commenters) ? data.commenters : []) {
    if (!isObject(commenter)) continue;
    const link = stringField(commenter, 'link');
    const email = stringField(commenter, 'email');
    commenters.set(stringField(commenter, 'commenterHex'), {
      name: stringField(commenter, 'name'),
      // Commento stores "undefined" for a commenter who gave no website.
      ...(/^https?:\/\//i.test(link) ? { url: link } : {}),
      ...(email ? { email } : {}),
    });
  }
  const comments = data.comments.map((comment, index) => {
    if (!isObject(comment)) throw new ImportFormatError('Commento export: a comment is not a JSON object', `record ${index + 1}`);
    return { comment, record: index + 1 };
  });
  const dates = new CommentDates();
  const byPage = groupInOrder(comments, ({ comment }) => stringField(comment, 'domain') + stringField(comment, 'url'));
  for (const [page, group] of byPage) {
    const domain = stringField(group[0]!.comment, 'domain');
    const threadKey = `commento:${page}`;
    yield { kind: 'thread', key: threadKey, url: domain ? `https://${page}` : page };
    for (const { comment, record } of group) yield* convert(comment, record, threadKey, commenters, dates);
  }
};

function* convert(
  comment: Record<string, unknown>,
  record: number,
  threadKey: string,
  commenters: Map<string, Commenter>,
  dates: CommentDates,
): Generator<ImportRecord> {
  const hex = stringField(comment, 'commentHex');
  if (!hex) {
    const note: ImportNote = {
      kind: 'note',
      skipped: true,
      reason: 'comments without a commentHex',
      example: `record ${record}`,
    };
    return yield note;
  }
  const key = `commento:${hex}`;
  const where = `${key} (record ${record})`;
  const notes: ImportNote[] = [];
  const commenterHex = stringField(comment, 'commenterHex');
  let author = commenters.get(commenterHex);
  if (!author) {
    if (commenterHex !== 'anonymous' && commenterHex !== '') {
      notes.push({
        kind: 'note',
        skipped: false,
        reason: 'comments whose commenter is not in the file, kept as anonymous',
        example: where,
      });
    }
    author = { name: '' };
  }
  const createdAt = dates.resolve(parseTimestamp(stringField(comment, 'creationDate')), where, null, notes);
  const state = stringField(comment, 'state') || 'approved';
  let status = comment.deleted === true ? 'deleted' : STATES[state];
  if (!status) {
    notes.push({ kind: 'note', skipped: false, reason: 'states unknown, read as pending', example: `${where} (${state})` });
    status = 'pending';
  }
  const markdown = stringField(comment, 'markdown');
  const parent = stringField(comment, 'parentHex');
  const result: ImportedComment = {
    kind: 'comment',
    key,
    threadKey,
    author,
    body: markdown ? markdownToText(markdown) : htmlToText(stringField(comment, 'html')),
    createdAt,
    status,
  };
  if (parent && parent !== 'root') result.parentKey = `commento:${parent}`;
  if (typeof comment.score === 'number') result.score = comment.score;
  yield* notes;
  yield result;
}
