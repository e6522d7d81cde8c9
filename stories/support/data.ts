// Threads for the stories: small hand-written ones, generated big and deep ones, and an Arabic
// one. Times are relative to when the story loads, so they read "5 minutes ago", not a date.
import type { Comment } from '../../src/types';

export { seedComments, seedThread } from '../../test/fixtures/seed';

const MINUTE = 60_000;

/** A timestamp `minutes` before now. */
export const ago = (minutes: number) => Date.now() - minutes * MINUTE;

/** A published comment by `name`; `fields` override anything. */
export function comment(id: string, name: string, body: string, fields: Partial<Comment> = {}): Comment {
  return {
    id,
    parentId: null,
    author: { name, url: null, avatarUrl: null },
    body,
    createdAt: ago(90),
    editedAt: null,
    status: 'published',
    score: 0,
    ...fields,
  };
}

/** One comment answering another, `minutes` ago. */
export const reply = (id: string, parentId: string, name: string, body: string, minutes: number, fields: Partial<Comment> = {}) =>
  comment(id, name, body, { parentId, createdAt: ago(minutes), ...fields });

const NAMES = [
  'Amira Haddad',
  'Jonas Berg',
  'Priya Raman',
  'Tomás Ortega',
  'Mei Lin',
  'Olu Adeyemi',
  'Sofia Rossi',
  'Kenji Watanabe',
  'Hannah Weiss',
  'Diego Alvarez',
  'Ines Moreau',
  'Yusuf Kaya',
];
const OPENERS = [
  'Good piece.',
  'I am not so sure about this.',
  'Thanks for writing this up.',
  'Two thoughts.',
  'This matches what I saw last year.',
  'Small correction:',
  'Has anyone checked the sources?',
];
const MIDDLES = [
  'The second paragraph makes the stronger case.',
  'The numbers in the chart do not add up to the total in the text.',
  'It would help to link the original statement.',
  'I would like to read the follow-up when there is one.',
  'My experience was the opposite, but I can see how it happens.',
];

const pick = <T>(list: readonly T[], n: number): T => list[n % list.length]!;
const nameAt = (n: number) => pick(NAMES, n * 7 + 3);
const bodyAt = (n: number) => `${pick(OPENERS, n)} ${pick(MIDDLES, n * 3 + 1)}`;

/**
 * A big thread: `roots` conversations of five comments each (a top-level comment, a reply, a
 * reply to that, and two more replies to the top), oldest first.
 */
export function bigThread(roots = 100): Comment[] {
  const comments: Comment[] = [];
  let minutes = roots * 5 * 7;
  const add = (id: string, parentId: string | null, n: number) => {
    comments.push(comment(id, nameAt(n), bodyAt(n), { parentId, createdAt: ago((minutes -= 7)), score: ((n * 13) % 9) - 2 }));
  };
  for (let r = 0; r < roots; r++) {
    const root = `big-${r}`;
    add(root, null, r * 5);
    add(`${root}-a`, root, r * 5 + 1);
    add(`${root}-a-a`, `${root}-a`, r * 5 + 2);
    add(`${root}-b`, root, r * 5 + 3);
    add(`${root}-c`, root, r * 5 + 4);
  }
  return comments;
}

/** Top-level comments only, for paging. */
export function flatThread(count: number): Comment[] {
  return Array.from({ length: count }, (_, n) =>
    comment(`flat-${n + 1}`, nameAt(n), `Comment ${n + 1}. ${bodyAt(n)}`, { createdAt: ago((count - n) * 11) }),
  );
}

/** A chain in which every comment answers the one before: `depth` comments in all. */
export function replyChain(depth: number): Comment[] {
  return Array.from({ length: depth }, (_, n) =>
    comment(
      `chain-${n + 1}`,
      n % 2 === 0 ? 'Amira Haddad' : 'Jonas Berg',
      n === 0 ? 'Where does the chain start? Here.' : `Reply number ${n} in the chain. ${pick(MIDDLES, n)}`,
      {
        parentId: n === 0 ? null : `chain-${n}`,
        createdAt: ago((depth - n) * 3),
      },
    ),
  );
}

/** A short conversation with replies, for the themed and locked threads. */
export function conversation(): Comment[] {
  return [
    comment(
      'conv-1',
      'Amira Haddad',
      'The statement is worth reading in full: https://example.com/statement\n\n> allow ISIS to redeploy freely\n\nThat is a strong claim to make without a source.',
      { createdAt: ago(300), score: 12 },
    ),
    reply('conv-2', 'conv-1', 'Jonas Berg', 'Agreed. The **original report** is linked in the third paragraph, though.', 240, {
      score: 3,
    }),
    reply('conv-3', 'conv-2', 'Amira Haddad', 'Thanks, I missed that one.', 200),
    comment('conv-4', '', 'Posting as a guest: does anyone have the *date* of the statement?', {
      createdAt: ago(120),
      score: -1,
    }),
    reply('conv-5', 'conv-4', 'Priya Raman', 'It was published the same week; see `statement-2017.pdf` in the archive.', 45, {
      editedAt: ago(40),
    }),
    comment('conv-6', 'Tomás Ortega', 'Short and to the point. Thanks.', { createdAt: ago(12), score: 1 }),
  ];
}

/** Arabic names and bodies, with an English name and a link inside Arabic text (bidi). */
export function arabicThread(): Comment[] {
  return [
    comment('ar-1', 'ليلى حداد', 'مقال مهم، شكرًا على الترجمة. هل يمكن نشر رابط البيان الأصلي؟', {
      createdAt: ago(180),
      score: 7,
    }),
    reply(
      'ar-2',
      'ar-1',
      'عمر الفاروق',
      'البيان منشور هنا: https://example.com/statement\n\n> لم يكن هناك أي اتفاق\n\nهذا ما قاله المتحدث باسم SDF حرفيًا.',
      150,
      { score: 2 },
    ),
    reply('ar-3', 'ar-2', 'ليلى حداد', 'شكرًا يا عمر.', 120),
    comment('ar-4', 'Sarah Mansour', 'أكتب اسمي بالإنجليزية، والتعليق بالعربية: **تحليل ممتاز**.', {
      createdAt: ago(60),
      editedAt: ago(55),
    }),
    comment('ar-5', 'يوسف', 'سؤال: لماذا لم تذكر المقالة `وزارة الدفاع` بالاسم؟', { createdAt: ago(5) }),
  ];
}

/** A body with every construct the formatter knows. */
export const FORMATTED_BODY = [
  '> The SDF officially denied existing of any safe passage agreement.',
  '',
  'The **Ria Novosti** report is here: https://example.com/ria-report and the coalition statement at https://example.org/coalition?id=42.',
  'Inline `code` stays code, *emphasis* stays emphasis, and <b>tags</b> stay text.',
  '',
  '```',
  'curl https://comments.example.com/api/threads/my-post/comments',
  '```',
].join('\n');

export const LONG_WORD = `Pneumonoultramicroscopicsilicovolcanoconiosis${'a'.repeat(160)}! And a long link: https://example.com/${'very-long-path-segment-'.repeat(8)}end`;
