// Waline's export (Admin → Import/Export): one JSON document, `{"__version":…, "type":"waline",
// "version":1, "tables":["Comment","Counter","Users"], "data":{"Comment":[…],"Users":[…],…}}`.
// A comment names its page by `url`, its parent by `pid` (and its thread's root by `rid`), its
// author by nick/mail/link or, for a signed-in user, `user_id` into Users. Its text is the
// Markdown typed (HTML in comments brought over from Valine). Read at once; threads in the order
// their first comment appears.
import { markdownToText } from '../html-to-text.js';
import { ImportFormatError, type ImportedComment, type ImportNote, type ImportReader, type ImportRecord } from '../records.js';
import { CommentDates, parseTimestamp } from './dates.js';
import { expectFormat, groupInOrder, isObject, notA, parseJsonDocument, stringField, wholeText } from './source-file.js';

type User = { name: string; email: string; url: string };

const STATUSES: Record<string, ImportedComment['status']> = {
  approved: 'published',
  waiting: 'pending',
  spam: 'spam',
};

export const readWaline: ImportReader = async function* (path) {
  const text = await wholeText(path, 'waline');
  expectFormat('waline', text.slice(0, 4096), 'json');
  const document = parseJsonDocument(text, 'waline');
  const data = isObject(document) && isObject(document.data) ? document.data : undefined;
  if (!data || !Array.isArray(data.Comment)) throw notA('waline', 'it has no "data": {"Comment": […]} table');
  const users = new Map<string, User>();
  for (const user of Array.isArray(data.Users) ? data.Users : []) {
    if (!isObject(user)) continue;
    users.set(stringField(user, 'objectId'), {
      name: stringField(user, 'display_name'),
      email: stringField(user, 'email'),
      url: stringField(user, 'url'),
    });
  }
  const comments = data.Comment.map((comment, index) => {
    if (!isObject(comment)) throw new ImportFormatError('Waline export: a comment is not a JSON object', `record ${index + 1}`);
    return { comment, record: index + 1 };
  });
  const dates = new CommentDates();
  for (const [url, group] of groupInOrder(comments, ({ comment }) => stringField(comment, 'url'))) {
    const threadKey = `waline:${url}`;
    yield { kind: 'thread', key: threadKey, url };
    for (const { comment, record } of group) yield* convert(comment, record, threadKey, users, dates);
  }
};

/** Waline's dates: ISO strings, "YYYY-MM-DD HH:MM:SS" (SQL storages), or LeanCloud's {"iso": …}. */
function dateField(comment: Record<string, unknown>, name: string): Date | null {
  const value = comment[name];
  if (isObject(value)) return parseTimestamp(stringField(value, 'iso'));
  if (typeof value === 'number') return new Date(value);
  return typeof value === 'string' ? parseTimestamp(value) : null;
}

function* convert(
  comment: Record<string, unknown>,
  record: number,
  threadKey: string,
  users: Map<string, User>,
  dates: CommentDates,
): Generator<ImportRecord> {
  const id = stringField(comment, 'objectId') || stringField(comment, 'id');
  if (!id) {
    const note: ImportNote = { kind: 'note', skipped: true, reason: 'comments without an objectId', example: `record ${record}` };
    return yield note;
  }
  const key = `waline:${id}`;
  const where = `${key} (record ${record})`;
  const notes: ImportNote[] = [];
  const createdAt = dates.resolve(dateField(comment, 'insertedAt') ?? dateField(comment, 'createdAt'), where, null, notes);
  const user = users.get(stringField(comment, 'user_id'));
  const name = stringField(comment, 'nick') || user?.name || '';
  const email = stringField(comment, 'mail') || user?.email;
  const url = stringField(comment, 'link') || user?.url;
  // Waline's own import gives a comment with no status "approved".
  const rawStatus = stringField(comment, 'status') || 'approved';
  let status = STATUSES[rawStatus];
  if (!status) {
    notes.push({ kind: 'note', skipped: false, reason: 'statuses unknown, read as pending', example: `${where} (${rawStatus})` });
    status = 'pending';
  }
  const parent = stringField(comment, 'pid') || stringField(comment, 'rid');
  const likes = Number(stringField(comment, 'like'));
  const sticky = comment.sticky;
  const result: ImportedComment = {
    kind: 'comment',
    key,
    threadKey,
    author: { name, ...(url ? { url } : {}), ...(email ? { email } : {}) },
    body: markdownToText(stringField(comment, 'comment')),
    createdAt,
    status,
  };
  if (parent) result.parentKey = `waline:${parent}`;
  if (Number.isFinite(likes) && likes !== 0) result.score = likes;
  if (sticky === true || sticky === 1 || sticky === '1' || sticky === 'true') result.pinned = true;
  yield* notes;
  yield result;
}
