// Artalk's export, "Artrans": a JSON array of comments, every field a string ("true", "12"), each
// with its page (page_key, page_title, page_admin_only), site, author (nick, email, link) and
// parent (`rid`, "0" for none). The text is the Markdown typed. Read at once; threads in the order
// their first comment appears.
import { markdownToText } from '../html-to-text.js';
import { ImportFormatError, type ImportedComment, type ImportNote, type ImportReader, type ImportRecord } from '../records.js';
import { CommentDates, parseTimestamp } from './dates.js';
import { expectFormat, groupInOrder, notA, isObject, parseJsonDocument, stringField, wholeText } from './source-file.js';

export const readArtalk: ImportReader = async function* (path) {
  const text = await wholeText(path, 'artalk');
  expectFormat('artalk', text.slice(0, 4096), 'json');
  const data = parseJsonDocument(text, 'artalk');
  if (!Array.isArray(data)) throw notA('artalk', 'it is not a JSON array of comments');
  const comments = data.map((comment, index) => {
    if (!isObject(comment)) throw new ImportFormatError('Artalk export: a comment is not a JSON object', `record ${index + 1}`);
    return { comment, record: index + 1 };
  });
  const dates = new CommentDates();
  // A page key is unique within its site; one file may hold several sites.
  const byPage = groupInOrder(
    comments,
    ({ comment }) => `${stringField(comment, 'site_name')}\u0000${stringField(comment, 'page_key')}`,
  );
  for (const group of byPage.values()) {
    const first = group[0]!.comment;
    const site = stringField(first, 'site_name');
    const page = stringField(first, 'page_key');
    const threadKey = `artalk:${site ? `${site}:` : ''}${page}`;
    const title = stringField(first, 'page_title').trim();
    yield {
      kind: 'thread',
      key: threadKey,
      url: page,
      ...(title ? { title } : {}),
      // A page only admins may comment on is closed to everyone else.
      locked: stringField(first, 'page_admin_only') === 'true',
    };
    for (const { comment, record } of group) yield* convert(comment, record, threadKey, dates);
  }
};

function* convert(
  comment: Record<string, unknown>,
  record: number,
  threadKey: string,
  dates: CommentDates,
): Generator<ImportRecord> {
  const id = stringField(comment, 'id');
  if (!id) {
    const note: ImportNote = { kind: 'note', skipped: true, reason: 'comments without an id', example: `record ${record}` };
    return yield note;
  }
  const key = `artalk:${id}`;
  const notes: ImportNote[] = [];
  const createdAt = dates.resolve(parseTimestamp(stringField(comment, 'created_at')), `${key} (record ${record})`, null, notes);
  const email = stringField(comment, 'email');
  const url = stringField(comment, 'link');
  const parent = stringField(comment, 'rid');
  const votes = Number(stringField(comment, 'vote_up') || 0) - Number(stringField(comment, 'vote_down') || 0);
  const result: ImportedComment = {
    kind: 'comment',
    key,
    threadKey,
    author: { name: stringField(comment, 'nick'), ...(url ? { url } : {}), ...(email ? { email } : {}) },
    body: markdownToText(stringField(comment, 'content')),
    createdAt,
    status: stringField(comment, 'is_pending') === 'true' ? 'pending' : 'published',
  };
  if (parent && parent !== '0') result.parentKey = `artalk:${parent}`;
  if (Number.isFinite(votes) && votes !== 0) result.score = votes;
  if (stringField(comment, 'is_pinned') === 'true') result.pinned = true;
  yield* notes;
  yield result;
}
