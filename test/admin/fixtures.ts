// Sample moderation data in the wire shapes of docs/admin-api.md, for the admin tests and stories.

export interface WireComment {
  id: string;
  threadId: string;
  thread: { title: string; url: string };
  parentId: string | null;
  author: { name: string; url: string | null; avatarUrl: string | null; role?: 'moderator' };
  body: string;
  createdAt: string;
  editedAt: string | null;
  status: 'published' | 'pending' | 'spam' | 'deleted';
  pinned: boolean;
  score: number;
  reports: { count: number; reasons: Record<string, number>; notes: string[] };
  holdReason: string | null;
  hasEmail: boolean;
  /** The fake server's own: what `email=` searches compare with (the real server keeps a hash). */
  email?: string;
}

const THREADS: Record<string, { title: string; url: string }> = {
  'why-we-moved': { title: 'Why we moved to a four-day week', url: 'https://blog.example/why-we-moved' },
  'release-notes': { title: 'Release notes 2.0', url: 'https://blog.example/release-notes' },
};

const minutesAgo = (minutes: number) => new Date(Date.UTC(2026, 2, 14, 12, 0) - minutes * 60_000).toISOString();

let serial = 0;
export function wireComment(
  overrides: Omit<Partial<WireComment>, 'author'> & { author?: Partial<WireComment['author']> } = {},
): WireComment {
  serial += 1;
  const threadId = overrides.threadId ?? 'why-we-moved';
  const { author, ...rest } = overrides;
  return {
    id: `c${serial}`,
    threadId,
    thread: THREADS[threadId] ?? { title: threadId, url: `https://blog.example/${threadId}` },
    parentId: null,
    author: { name: 'Ann', url: null, avatarUrl: null, ...author },
    body: 'A comment.',
    createdAt: minutesAgo(serial),
    editedAt: null,
    status: 'published',
    pinned: false,
    score: 0,
    reports: { count: 0, reasons: {}, notes: [] },
    holdReason: null,
    hasEmail: true,
    ...rest,
  };
}

/** A moderation queue a site might have on a Monday morning. */
export function sampleComments(): WireComment[] {
  return [
    wireComment({
      id: 'p1',
      author: { name: 'Ann' },
      email: 'ann@example.com',
      body: 'Check out my shop https://cheap.example and https://cheaper.example and https://cheapest.example',
      status: 'pending',
      holdReason: 'links',
      createdAt: minutesAgo(3),
    }),
    wireComment({
      id: 'p2',
      author: { name: 'Bo' },
      email: 'bo@example.com',
      body: 'First time here: I tried the four-day week at my last job and <b>loved</b> it.',
      status: 'pending',
      holdReason: 'first-comment',
      createdAt: minutesAgo(5),
    }),
    wireComment({
      id: 'p3',
      threadId: 'release-notes',
      author: { name: 'Chidi' },
      body: 'Does 2.0 still support the old export format?',
      status: 'pending',
      holdReason: 'pre-moderation',
      hasEmail: false,
      createdAt: minutesAgo(8),
    }),
    wireComment({
      id: 'r1',
      author: { name: 'Dana' },
      email: 'dana@example.com',
      body: 'Anyone who works four days is lazy, full stop.',
      status: 'published',
      reports: {
        count: 3,
        reasons: { abuse: 2, 'off-topic': 1 },
        notes: ['Insulting the other readers', 'Not about the article'],
      },
      createdAt: minutesAgo(30),
    }),
    wireComment({
      id: 's1',
      threadId: 'release-notes',
      author: { name: 'Best Deals' },
      body: 'Buy followers now!!! https://spam.example',
      status: 'spam',
      holdReason: 'akismet',
      createdAt: minutesAgo(60),
    }),
    wireComment({
      id: 'a1',
      author: { name: 'Eun-ji' },
      email: 'eunji@example.com',
      body: 'We did the same last year. Productivity went up, meetings went down.',
      status: 'published',
      pinned: true,
      score: 12,
      createdAt: minutesAgo(120),
    }),
    wireComment({
      id: 'a2',
      parentId: 'a1',
      author: { name: 'Moderator Mo', role: 'moderator' },
      body: 'Thanks for sharing, we pinned this one.',
      status: 'published',
      createdAt: minutesAgo(110),
    }),
  ];
}

export const sampleThreads = () => [
  {
    id: 'why-we-moved',
    title: 'Why we moved to a four-day week',
    url: 'https://blog.example/why-we-moved',
    locked: false,
    commentCount: 42,
    pendingCount: 2,
    lastCommentAt: minutesAgo(3),
  },
  {
    id: 'release-notes',
    title: 'Release notes 2.0',
    url: 'https://blog.example/release-notes',
    locked: true,
    commentCount: 7,
    pendingCount: 1,
    lastCommentAt: minutesAgo(8),
  },
];

export const MODERATOR_ACTOR = { kind: 'moderator', id: 'm1', email: 'mo@example.com', name: 'Moderator Mo' } as const;

export const sampleBans = () => [
  {
    id: 'b1',
    kinds: ['email', 'client'],
    authorName: 'Spam King',
    note: 'Posted the same link in every thread',
    createdAt: minutesAgo(600),
    expiresAt: null,
    createdBy: MODERATOR_ACTOR,
  },
  {
    id: 'b2',
    kinds: ['client'],
    authorName: 'Heated Harry',
    note: null,
    createdAt: minutesAgo(1440),
    expiresAt: new Date(Date.UTC(2026, 2, 20)).toISOString(),
    createdBy: { kind: 'token' },
  },
];

export const sampleModerators = () => [
  {
    id: 'm1',
    email: 'mo@example.com',
    name: 'Moderator Mo',
    createdAt: minutesAgo(50_000),
    lastSignInAt: minutesAgo(10),
    invited: false,
    alerts: 'immediate',
  },
  {
    id: 'm2',
    email: 'new@example.com',
    name: null,
    createdAt: minutesAgo(100),
    lastSignInAt: null,
    invited: true,
    alerts: 'digest',
  },
];

export const sampleAudit = () => [
  {
    id: 'e3',
    at: minutesAgo(2),
    actor: MODERATOR_ACTOR,
    action: 'edit',
    threadId: 'why-we-moved',
    commentId: 'a1',
    before: { body: 'We did the same last year, productivity went up.' },
    after: { body: 'We did the same last year. Productivity went up, meetings went down.' },
  },
  {
    id: 'e2',
    at: minutesAgo(20),
    actor: null,
    action: 'reports.hold',
    threadId: 'why-we-moved',
    commentId: 'r1',
    before: { status: 'published' },
    after: { status: 'pending' },
  },
  {
    id: 'e1',
    at: minutesAgo(90),
    actor: { kind: 'token' },
    action: 'lock',
    threadId: 'release-notes',
    commentId: null,
    before: null,
    after: null,
  },
];
