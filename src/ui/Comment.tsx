// One comment and its replies. It reads only its own signals (and its parent's author when it
// must say whom it answers), so a change elsewhere in the thread never re-renders it.
// Kept lean because a thread may hold 10,000 of them: one component per comment (plus its
// replies toggle), plain elements for the rest, no hooks, and no listeners on its buttons:
// <Thread> listens for all of them at once (see comment-events.ts).
// Nesting stops at the visual depth: deeper replies line up in one flat list, so a 500-deep
// chain neither squeezes the text to nothing nor nests 500 levels of DOM.
import { useWidget, WidgetContext, type WidgetContextValue } from './context';
import { commentBody, LINK_REL } from './CommentBody';
import { ReplyForm } from './ReplyForm';
import { RepliesToggle } from './RepliesToggle';
import { errorText } from './error-text';
import { commentListeners, focusAction } from './comment-listener';
import type { CommentAction } from './comment-events';
import type { CommentNode, ThreadStore } from '../store/thread-store';
import type { Comment as CommentData } from '../types';
import type { MessageKey } from '../i18n/en';
import { relativeTime } from '../format/time';
import { colourIndex, initials } from '../format/avatar';
import { commentDomId } from './permalink';

export interface CommentProps {
  id: string;
  /** 0 for top level. */
  depth: number;
  /**
   * Set by <Thread>, which listens for all its comments at once. A top-level comment rendered
   * anywhere else listens for its own branch.
   */
  inThread?: boolean;
  /**
   * How many comments of this branch (itself and its replies, in reading order) to show; all
   * when unset. The list shows a very long branch a part at a time (CommentList.tsx).
   */
  limit?: number;
}

// The widget context arrives as the second argument (contextType below): cheaper than a
// useContext hook in every one of thousands of comments.
export function Comment({ id, depth, inThread, limit }: CommentProps, widget: WidgetContextValue | undefined) {
  if (!widget) throw new Error('Confab components must be rendered inside <ConfabProvider>.');
  const { store, t, maxDepth } = widget;
  const node = store.node(id);
  if (!node) return null;
  const comment = node.comment.value;
  const childIds = node.childIds.value;
  const collapsed = node.collapsed.value;
  const deleted = comment.status === 'deleted';
  // A deleted comment without replies has nothing left to hold in place.
  if (deleted && childIds.length === 0) return null;

  const name = comment.author.name || t('comment.guest');
  const repliesId = `confab-replies-${depth}-${id}`;
  const inFlatList = depth > maxDepth;
  let classes = 'confab-comment';
  if (node.sending) classes += ' confab-comment--sending';
  if (comment.status === 'pending') classes += ' confab-comment--pending';
  if (deleted) classes += ' confab-comment--deleted';
  if (node.highlighted.value) classes += ' confab-comment--highlighted';
  const editing = node.editing.value;
  const error = node.error.value;
  const EditForm = widget.view.editForm;

  return (
    <li
      class={depth > 0 ? 'confab-item confab-item--reply' : 'confab-item'}
      // <Thread> listens for all its comments; a top-level comment shown alone, for its branch.
      {...(depth === 0 && !inThread && commentListeners(widget))}
    >
      <article id={commentDomId(id)} tabIndex={-1} class={classes} aria-label={t('comment.byline', { name })} part="comment">
        {deleted && <p class="confab-deleted">{t('comment.deleted')}</p>}
        {!deleted && (
          <header class="confab-meta">
            {avatar(widget, comment)}
            {comment.author.url ? (
              <a class="confab-author" part="author" href={comment.author.url} rel={LINK_REL} target="_blank">
                <bdi>{name}</bdi>
              </a>
            ) : (
              <bdi class="confab-author" part="author">
                {name}
              </bdi>
            )}
            {comment.author.verified && <span class="confab-badge">{t('comment.verified')}</span>}
            {comment.author.role && <span class="confab-badge">{t('comment.moderator')}</span>}
            {comment.createdAt !== null && permalink(widget, id, comment.createdAt)}
            {comment.editedAt !== null && !node.sending && (
              // The exact time is its tooltip, written when a pointer first comes near (as the permalink's).
              <span class="confab-edited" data-time={comment.editedAt}>
                {t('comment.edited')}
              </span>
            )}
            {node.sending && (
              <span class="confab-badge" role="status">
                {t('comment.posting')}
              </span>
            )}
            {comment.status === 'pending' && <span class="confab-badge">{t('comment.pending')}</span>}
            {comment.pinned && <span class="confab-badge">{t('comment.pinned')}</span>}
          </header>
        )}
        {!deleted && context(widget, node, inFlatList, depth)}
        {!deleted &&
          (editing && EditForm ? <EditForm node={node} widget={widget} /> : commentBody(comment, store.sanitizeHtml, t))}
        {!deleted && error && !editing && (
          <p class="confab-notice confab-notice--error" role="alert">
            {errorText(t, error)}
          </p>
        )}
        {!node.sending && actions(widget, node, childIds.length > 0 ? (inFlatList ? undefined : repliesId) : null)}
      </article>
      {node.replying.value && (
        <ReplyForm parentId={id} replyTo={comment.author.name} onCancel={() => closeReply(widget, id)} autoFocus />
      )}
      {childIds.length > 0 && !collapsed && depth < maxDepth && (
        <ul class="confab-replies" id={repliesId} role="list">
          {replies(widget, childIds, depth + 1, limit)}
        </ul>
      )}
      {childIds.length > 0 && !collapsed && depth === maxDepth && (
        <FlatReplies id={id} listId={repliesId} depth={depth + 1} limit={limit} />
      )}
    </li>
  );
}

/** The backend's picture, or initials in a colour of the name when there is none or it failed. */
function avatar({ view }: WidgetContextValue, comment: CommentData) {
  const { name, avatarUrl } = comment.author;
  // A comment with a picture watches only whether that picture failed.
  if (avatarUrl && !view.avatarFailed(avatarUrl).value) {
    // Decorative: the name is right next to it. No referrer leaks the page to the avatar host.
    // A failed load is caught by the thread's one error listener (see comment-events.ts).
    return (
      <img
        class="confab-avatar"
        src={avatarUrl}
        alt=""
        width={40}
        height={40}
        loading="lazy"
        referrerpolicy="no-referrer"
        part="avatar"
      />
    );
  }
  return (
    <span class={`confab-avatar confab-avatar--${name.trim() ? colourIndex(name) : 'guest'}`} aria-hidden="true" part="avatar">
      {initials(name)}
    </span>
  );
}

const DAY_MS = 86_400_000;

/**
 * "3 hours ago", linking to the comment. A comment follows the clock only as often as its text
 * can change: every minute under a day old, every hour under a month, else not at all. So the
 * minute tick re-renders the few recent comments, not the whole thread. The exact time is the
 * tooltip, written when a pointer or focus first comes near (formatting 10,000 dates up front
 * costs more than rendering the comments).
 */
function permalink({ now, hour, locale, intlReady }: WidgetContextValue, id: string, time: number) {
  const current = now.peek();
  if (current - time < DAY_MS) void now.value;
  else if (current - time < 30 * DAY_MS) void hour.value;
  // Empty (and hidden from assistive technology) in a first screen shown before Intl's formatters
  // are built (context.ts): the time comes a frame later.
  const ready = intlReady();
  return (
    // Not a tab stop of its own: the keyboard has Copy link in the toolbar's "More actions" menu.
    <a class="confab-permalink" href={`#${commentDomId(id)}`} data-time={time} tabIndex={-1} aria-hidden={!ready || undefined}>
      {ready ? relativeTime(time, Math.max(current, time), locale) : ''}
    </a>
  );
}

/**
 * Says whom a comment answers where indentation no longer can, or that its parent is missing.
 * Replies past the fourth level say it too, seen only where a narrow widget stops indenting them.
 */
function context({ store, t }: WidgetContextValue, node: CommentNode, flat: boolean, depth: number) {
  if (node.detached.value) return <p class="confab-context">{t('comment.detached')}</p>;
  const parentId = node.comment.value.parentId;
  if ((!flat && depth < 5) || parentId === null) return null;
  const parent = store.node(parentId);
  if (!parent) return null;
  const name = parent.comment.value.author.name || t('comment.guest');
  return (
    <p class={flat ? 'confab-context' : 'confab-context confab-context--narrow'}>
      ↳ <bdi>{t('comment.replyingTo', { name })}</bdi>
    </p>
  );
}

// On the server (no navigator) as in most readers' browsers: the server's markup is adopted as it is.
// Asked once: navigator.clipboard costs ~0.05 ms a read, twice per comment.
let copies: boolean | undefined;
const canCopy = () => (copies ??= typeof navigator === 'undefined' || typeof navigator.clipboard?.writeText === 'function');

/**
 * The comment's actions as a toolbar: one tab stop (its first button until another is used),
 * arrow keys move inside it (comment-events.ts). Copy link and Report wait in the "More actions"
 * menu, a popover. A deleted comment's toolbar holds only its replies' toggle; `replies` is the toggle's
 * list id, null when there are no replies.
 */
function actions(widget: WidgetContextValue, node: CommentNode, replies: string | undefined | null) {
  const { store, t, view } = widget;
  const comment = node.comment.value;
  const { can } = store;
  const busy = node.busy.value;
  const vote = node.myVote.value;
  const own = store.isOwn(node.id);
  const deleted = comment.status === 'deleted';
  // Only own comments (few) watch which delete confirmation is open.
  const confirming = own && view.confirmingDelete.value === node.id;
  const editing = node.editing.value;
  let stops = 0;
  const tabIndex = () => (stops++ ? -1 : 0);
  // The plain text buttons: one shape, so written once.
  const linkButton = (action: CommentAction, label: MessageKey, index?: number) => (
    <button type="button" class="confab-link-button" data-action={action} tabIndex={index}>
      {t(label)}
    </button>
  );
  const menuId = `confab-menu-${commentDomId(node.id)}`;
  const report = can.report && !own && store.reportsOpen.value;
  if (deleted && replies === null) return null;

  return (
    <div class="confab-actions" part="actions" role="toolbar">
      {can.vote && !deleted && (
        // The score is drawn from data-score between the arrows (CSS), read out by the label.
        <span
          class="confab-votes"
          role="group"
          aria-label={t('comment.score', { count: comment.score })}
          data-score={comment.score}
        >
          <button
            type="button"
            class="confab-vote confab-vote--up"
            data-action={'upvote' satisfies CommentAction}
            aria-label={t('comment.upvote')}
            aria-pressed={vote === 1}
            disabled={busy !== null}
            tabIndex={tabIndex()}
          />
          <button
            type="button"
            class="confab-vote confab-vote--down"
            data-action={'downvote' satisfies CommentAction}
            aria-label={t('comment.downvote')}
            aria-pressed={vote === -1}
            disabled={busy !== null}
            tabIndex={tabIndex()}
          />
        </span>
      )}
      {can.post && !store.locked.value && !deleted && (
        <button
          type="button"
          class="confab-link-button"
          data-action={'reply' satisfies CommentAction}
          aria-expanded={node.replying.value}
          tabIndex={tabIndex()}
        >
          {t('comment.reply')}
        </button>
      )}
      {own && !editing && !confirming && can.edit && linkButton('edit', 'comment.edit', tabIndex())}
      {own && !editing && !confirming && can.remove && linkButton('delete', 'comment.delete', tabIndex())}
      {/* "Delete this comment?", drawn by the events part (comment-events.ts) that opened it. */}
      {confirming && view.confirmDelete?.(widget, node, tabIndex)}
      {!deleted && (canCopy() || report) && (
        <>
          <button
            type="button"
            class="confab-link-button confab-menu-button"
            popovertarget={menuId}
            aria-label={t('comment.more')}
            tabIndex={tabIndex()}
          />
          <div class="confab-menu" id={menuId} popover="auto">
            {canCopy() && linkButton('copy', 'comment.copyLink')}
            {report && linkButton('report', 'comment.report')}
          </div>
        </>
      )}
      {replies !== null && <RepliesToggle node={node} controls={replies} tabIndex={tabIndex()} />}
      {/* A moderator signed in on the host site: their actions (the sign-in part's). */}
      {!deleted && store.signIn.value?.tools?.(widget, node)}
    </div>
  );
}

function closeReply(widget: WidgetContextValue, id: string) {
  widget.store.setReplying(id, false);
  focusAction(widget, id, 'reply');
}

Comment.contextType = WidgetContext;

/** A comment and its replies: how many comments its branch holds. */
export const sizeOf = (store: ThreadStore, id: string) => 1 + (store.node(id)?.replyCount.peek() ?? 0);

/**
 * Replies, each with its own; under a `limit` (a long branch shown a part at a time), only the
 * first `limit - 1` comments in reading order. A reply whose props stay the same is not rendered
 * again (@preact/signals skips such a component): the next part renders what it adds.
 */
function replies({ store }: WidgetContextValue, ids: readonly string[], depth: number, limit = Infinity) {
  const items = [];
  let left = limit - 1;
  for (const id of ids) {
    if (left < 1) break;
    const size = sizeOf(store, id);
    items.push(<Comment key={id} id={id} depth={depth} limit={size > left ? left : undefined} />);
    left -= size;
  }
  return items;
}

/** Every visible descendant of `id`, in reading order, as one list (walked without recursion). */
function FlatReplies({ id, listId, depth, limit }: { id: string; listId: string; depth: number; limit?: number }) {
  const widget = useWidget();
  const { store } = widget;
  const ids: string[] = [];
  const stack = [...(store.node(id)?.childIds.value ?? [])].reverse();
  while (stack.length > 0) {
    const next = stack.pop()!;
    ids.push(next);
    const node = store.node(next);
    if (!node || node.collapsed.value) continue;
    const children = node.childIds.value;
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  return (
    <ul class="confab-replies confab-replies--flat" id={listId} role="list">
      {/* Flat: each reply shown is one comment. */}
      {replies(widget, ids.slice(0, (limit ?? Infinity) - 1), depth)}
    </ul>
  );
}
