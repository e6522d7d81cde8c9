// English strings, the fallback for every other locale. `{name}` is replaced; an object picks
// a plural form by Intl.PluralRules.
export const en = {
  'thread.heading': { one: '{count} comment', other: '{count} comments' },
  'thread.label': 'Comments',
  'thread.sort': 'Sort comments',
  'sort.oldest': 'Oldest',
  'sort.newest': 'Newest',
  'sort.top': 'Top',
  'thread.loading': 'Loading comments…',
  'thread.empty': 'No comments yet. Start the conversation.',
  'thread.locked': 'Comments are closed.',
  'thread.loadMore': 'Load more comments',
  'thread.loadingMore': 'Loading…',
  'thread.newComments': { one: 'Show {count} new comment', other: 'Show {count} new comments' },
  'thread.skipped': { one: '{count} comment could not be shown.', other: '{count} comments could not be shown.' },
  'thread.crashed': 'The comment widget ran into a problem.',
  'thread.skip': 'Skip comments',
  'action.retry': 'Retry',
  'comment.guest': 'Guest',
  'comment.byline': 'Comment by {name}',
  'comment.edited': 'edited',
  'comment.editedAt': 'Edited {time}',
  'comment.posting': 'Posting…',
  'comment.pending': 'Awaiting approval',
  'comment.pinned': 'Pinned',
  'comment.moderator': 'Moderator',
  'comment.verified': 'Verified',
  'comment.deleted': 'This comment was deleted.',
  'comment.detached': 'Reply to a comment that is not shown',
  'comment.replyingTo': 'Replying to {name}',
  'comment.reply': 'Reply',
  'comment.edit': 'Edit',
  'comment.delete': 'Delete',
  'comment.confirmDelete': 'Delete this comment?',
  'comment.cancel': 'Cancel',
  'comment.deleting': 'Deleting…',
  'comment.upvote': 'Upvote',
  'comment.downvote': 'Downvote',
  'comment.score': { one: '{count} point', other: '{count} points' },
  'comment.hideReplies': { one: 'Hide {count} reply', other: 'Hide {count} replies' },
  'comment.showReplies': { one: 'Show {count} reply', other: 'Show {count} replies' },
  'comment.report': 'Report',
  'comment.copyLink': 'Copy link',
  'comment.linkCopied': 'Link copied',
  'comment.more': 'More actions',
  'form.name': 'Name',
  'form.namePlaceholder': 'Guest',
  'form.email': 'Email (optional, never shown)',
  'form.emailForReplies': 'Email for replies (never shown)',
  'form.notify': 'Email me when someone replies',
  'form.body': 'Your comment',
  'form.replyBody': 'Your reply to {name}',
  'form.submit': 'Post comment',
  'form.submitReply': 'Post reply',
  'form.hint': 'Ctrl+Enter to post',
  'form.preview': 'Preview',
  'form.formatting': 'Formatting',
  // Not "check your connection": a refused site (CORS), a wrong endpoint and a server that is down look the same.
  'error.network': 'Could not reach the comment server.',
  'error.timeout': 'The comment server took too long to answer.',
  'error.offline': 'You are offline. Your text is kept here.',
  'thread.offline': 'You are offline. You can keep writing and post when you are back.',
  'error.http': 'The comment server had a problem (error {status}).',
  'error.invalid-response': 'The comment server sent something we could not read.',
  'error.config': 'The comment widget is not set up correctly.',
  'error.rate_limited': 'Too many requests. Try again in {seconds} s.',
  'error.unauthorized': 'You are not allowed to do that.',
  'error.locked': 'This thread is closed.',
  'error.too_large': 'That is too long for the server.',
  'error.invalid': 'The server did not accept this. Check the fields above.',
  'error.not_found': 'That comment no longer exists.',
  'error.duplicate': 'You already posted this comment.',
  'error.banned': 'You cannot comment on this site.',
  'error.sso_expired': 'Please sign in again.',
} satisfies Record<string, string | { one?: string; other: string }>;

/** The report dialog's keys: their English comes with the dialog's code (ui/ReportDialog), loaded on demand. */
export type ReportKey =
  `report.${'title' | 'reason' | 'spam' | 'abuse' | 'off-topic' | 'other' | 'note' | 'send' | 'sending' | 'failed' | 'thanks' | 'close'}`;
/** The edit form's keys: their English comes with the form's code (ui/EditForm), loaded on demand. */
export type EditKey = `comment.${'editLabel' | 'save' | 'saving'}`;
/** The writing half's keys: their English comes with its code (ui/WriteForm), loaded on a form's first focus. */
export type WriteKey =
  | `form.${'posting' | 'failed' | 'backOnline' | 'postNow' | 'formatHelp' | 'charsLeft'}`
  | `form.error.${'bodyEmpty' | 'bodyLong' | 'nameLong' | 'email' | 'emailNeeded'}`;
/** A long comment's fold: its English comes with the fold's code (ui/fold), loaded on demand. */
export type FoldKey = `comment.${'showMore' | 'showLess'}`;
/** The sign-in views' keys (their English is in ui/SignIn.ts). */
export type SignInKey =
  `sso.${'signedInAs' | 'signOut' | 'signIn'}` | `mod.${'approve' | 'pin' | 'unpin' | 'delete' | 'lock' | 'unlock' | 'failed'}`;
/** The server rendering's keys (their English is in ssr-strings.ts: only the server needs it). */
export type SsrKey = 'ssr.noscript';
export type MessageKey = keyof typeof en | ReportKey | EditKey | WriteKey | FoldKey | SignInKey | SsrKey;
export type Messages = Partial<Record<MessageKey, string | { one?: string; other: string; [form: string]: string | undefined }>>;
