// One comment and its replies. It reads only its own signals (and its parent's author when it
// must say whom it answers), so a change elsewhere in the thread never re-renders it.
// Nesting stops at the visual depth: deeper replies line up in one flat list, so a 500-deep
// chain neither squeezes the text to nothing nor nests 500 levels of DOM.
import { useEffect, useRef, useState } from 'preact/hooks';
import { useWidget } from './context';
import { Avatar } from './Avatar';
import { CommentBody, LINK_REL } from './CommentBody';
import { RelativeTime } from './RelativeTime';
import { ReplyForm } from './ReplyForm';
import { errorText } from './error-text';
import type { CommentNode } from '../store/thread-store';
import { exactTime } from '../format/time';
import { commentDomId, permalinkFor } from './permalink';

export interface CommentProps {
  id: string;
  /** 0 for top level. */
  depth: number;
}

export function Comment({ id, depth }: CommentProps) {
  const { store, t, maxDepth, locale } = useWidget();
  const articleRef = useRef<HTMLElement>(null);
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
  const classes = ['confab-comment'];
  if (node.sending) classes.push('confab-comment--sending');
  if (comment.status === 'pending') classes.push('confab-comment--pending');
  if (deleted) classes.push('confab-comment--deleted');
  if (node.highlighted.value) classes.push('confab-comment--highlighted');
  const closeReply = () => {
    store.setReplying(id, false);
    articleRef.current?.querySelector<HTMLElement>('[data-action="reply"]')?.focus();
  };

  return (
    <li class={depth > 0 ? 'confab-item confab-item--reply' : 'confab-item'}>
      <article
        ref={articleRef}
        id={commentDomId(id)}
        tabIndex={-1}
        class={classes.join(' ')}
        aria-label={t('comment.byline', { name })}
        part="comment"
      >
        {deleted ? (
          <p class="confab-deleted">{t('comment.deleted')}</p>
        ) : (
          <>
            <header class="confab-meta">
              <Avatar name={comment.author.name} url={comment.author.avatarUrl} />
              <span class="confab-author" part="author">
                {comment.author.url ? (
                  <a href={comment.author.url} rel={LINK_REL} target="_blank"><bdi>{name}</bdi></a>
                ) : (
                  <bdi>{name}</bdi>
                )}
              </span>
              {comment.createdAt !== null && (
                <a class="confab-permalink" href={`#${commentDomId(id)}`}>
                  <RelativeTime time={comment.createdAt} />
                </a>
              )}
              {comment.editedAt !== null && !node.sending && (
                <span class="confab-edited" title={t('comment.editedAt', { time: exactTime(comment.editedAt, locale) })}>
                  {t('comment.edited')}
                </span>
              )}
              {node.sending && <span class="confab-badge" role="status">{t('comment.posting')}</span>}
              {comment.status === 'pending' && <span class="confab-badge">{t('comment.pending')}</span>}
            </header>
            <Context node={node} flat={inFlatList} />
            {node.editing.value ? <EditForm node={node} /> : <CommentBody text={comment.body} html={store.sanitizeHtml && comment.bodyHtml !== undefined ? store.sanitizeHtml(comment.bodyHtml) : undefined} />}
            {node.error.value && !node.editing.value && (
              <p class="confab-notice confab-notice--error" role="alert">{errorText(t, node.error.value)}</p>
            )}
            {!node.sending && <Actions node={node} />}
          </>
        )}
        {childIds.length > 0 && (
          <button
            type="button"
            class="confab-link-button confab-toggle"
            aria-expanded={!collapsed}
            aria-controls={inFlatList ? undefined : repliesId}
            onClick={() => store.toggleCollapsed(id)}
          >
            {t(collapsed ? 'comment.showReplies' : 'comment.hideReplies', { count: node.replyCount.value })}
          </button>
        )}
      </article>
      {node.replying.value && (
        <ReplyForm parentId={id} replyTo={comment.author.name} onCancel={closeReply} autoFocus />
      )}
      {childIds.length > 0 && !collapsed && depth < maxDepth && (
        <ul class="confab-replies" id={repliesId} role="list">
          {childIds.map((child) => <Comment key={child} id={child} depth={depth + 1} />)}
        </ul>
      )}
      {childIds.length > 0 && !collapsed && depth === maxDepth && <FlatReplies id={id} listId={repliesId} depth={depth + 1} />}
    </li>
  );
}

/** Every visible descendant of `id`, in reading order, as one list (walked without recursion). */
function FlatReplies({ id, listId, depth }: { id: string; listId: string; depth: number }) {
  const { store } = useWidget();
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
      {ids.map((child) => <Comment key={child} id={child} depth={depth} />)}
    </ul>
  );
}

/** Says whom a comment answers where indentation no longer can, or that its parent is missing. */
function Context({ node, flat }: { node: CommentNode; flat: boolean }) {
  const { store, t } = useWidget();
  if (node.detached.value) return <p class="confab-context">{t('comment.detached')}</p>;
  const parentId = node.comment.value.parentId;
  if (!flat || parentId === null) return null;
  const parent = store.node(parentId);
  if (!parent) return null;
  const name = parent.comment.value.author.name || t('comment.guest');
  return <p class="confab-context">↳ <bdi>{t('comment.replyingTo', { name })}</bdi></p>;
}

function Actions({ node }: { node: CommentNode }) {
  const { store, t } = useWidget();
  const [confirming, setConfirming] = useState(false);
  const comment = node.comment.value;
  const locked = store.locked.value;
  const busy = node.busy.value;
  const vote = node.myVote.value;
  const own = store.isOwn(node.id);
  const { can } = store;

  return (
    <div class="confab-actions" part="actions">
      {can.vote && <span class="confab-votes" role="group" aria-label={t('comment.score', { count: comment.score })}>
        <button
          type="button"
          class="confab-vote"
          aria-label={t('comment.upvote')}
          aria-pressed={vote === 1}
          disabled={busy !== null}
          onClick={() => void store.vote(node.id, vote === 1 ? 0 : 1)}
        >▲</button>
        <span class="confab-score" aria-hidden="true">{comment.score}</span>
        <button
          type="button"
          class="confab-vote"
          aria-label={t('comment.downvote')}
          aria-pressed={vote === -1}
          disabled={busy !== null}
          onClick={() => void store.vote(node.id, vote === -1 ? 0 : -1)}
        >▼</button>
      </span>}
      {can.post && !locked && (
        <button
          type="button"
          class="confab-link-button"
          data-action="reply"
          aria-expanded={node.replying.value}
          onClick={() => store.setReplying(node.id, !node.replying.peek())}
        >{t('comment.reply')}</button>
      )}
      <CopyLink id={node.id} />
      {own && !node.editing.value && !confirming && (
        <>
          {can.edit && (
            <button type="button" class="confab-link-button" onClick={() => store.setEditing(node.id, true)}>
              {t('comment.edit')}
            </button>
          )}
          {can.remove && (
            <button type="button" class="confab-link-button" onClick={() => setConfirming(true)}>
              {t('comment.delete')}
            </button>
          )}
        </>
      )}
      {own && confirming && (
        <span class="confab-confirm" role="group" aria-label={t('comment.confirmDelete')}>
          <span>{t('comment.confirmDelete')}</span>
          <button
            type="button"
            class="confab-button confab-button--danger"
            disabled={busy !== null}
            onClick={async () => {
              if (await store.remove(node.id)) setConfirming(false);
            }}
          >{busy === 'deleting' ? t('comment.deleting') : t('comment.delete')}</button>
          <button type="button" class="confab-button" onClick={() => setConfirming(false)}>{t('comment.cancel')}</button>
        </span>
      )}
    </div>
  );
}

const COPIED_FOR_MS = 2_000;

/** Copies the comment's permalink; only offered where the Clipboard API is. */
function CopyLink({ id }: { id: string }) {
  const { t } = useWidget();
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), COPIED_FOR_MS);
    return () => clearTimeout(timer);
  }, [copied]);
  if (typeof navigator === 'undefined' || !navigator.clipboard?.writeText) return null;
  return (
    <>
      <button
        type="button"
        class="confab-link-button"
        onClick={() => navigator.clipboard.writeText(permalinkFor(id)).then(() => setCopied(true), () => {})}
      >
        {t('comment.copyLink')}
      </button>
      <span class="confab-copied" role="status">{copied && t('comment.linkCopied')}</span>
    </>
  );
}

function EditForm({ node }: { node: CommentNode }) {
  const { store, t } = useWidget();
  const [text, setText] = useState(node.comment.peek().body);
  const saving = node.busy.value === 'saving';
  const error = node.error.value;
  const id = `confab-edit-${node.id}`;
  const save = () => void store.saveEdit(node.id, text);
  return (
    <form
      class="confab-form confab-form--edit"
      onSubmit={(event) => {
        event.preventDefault();
        save();
      }}
      onKeyDown={(event) => {
        if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
          event.preventDefault();
          save();
        } else if (event.key === 'Escape') store.setEditing(node.id, false);
      }}
    >
      <label class="confab-visually-hidden" for={id}>{t('comment.editLabel')}</label>
      <textarea id={id} rows={3} value={text} readOnly={saving} onInput={(event) => setText(event.currentTarget.value)} />
      {error && <p class="confab-notice confab-notice--error" role="alert">{errorText(t, error)}</p>}
      <div class="confab-form-actions">
        <button type="submit" class="confab-button confab-button--primary" disabled={saving || text.trim() === ''}>
          {saving ? t('comment.saving') : t('comment.save')}
        </button>
        <button type="button" class="confab-button" onClick={() => store.setEditing(node.id, false)}>{t('comment.cancel')}</button>
      </div>
    </form>
  );
}
