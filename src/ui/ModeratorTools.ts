// A moderator signed in on the host site acts from the widget itself: Approve a held comment,
// Pin or Unpin a top-level one, Delete anyone's, and lock or unlock the thread. Each goes to the
// moderation API (docs/admin-api.md) as the signed-in moderator (Confab-User), and the server
// writes it to the audit log under their name. The comments held for approval are read in too,
// so that a moderator sees what waits. Part of the sign-in part: loaded only with `sso`, used
// only when the server says the reader is a moderator.
import type { ConfabError } from '../errors';
import type { CommentNode, ThreadStore } from '../store/thread-store';
import type { Comment, ModerationClient, ThreadInfo } from '../types';
import type { WidgetContextValue } from './context';
import type { PartDeps } from './load-part';
import { translator } from './SignIn';
import { confirmDeleteGroup } from './confirm-delete';

export interface Moderator {
  /** Lock thread / Unlock thread. */
  threadSwitch(widget: WidgetContextValue): unknown;
  /** A comment's Approve, Pin or Unpin, and Delete. */
  commentTools(widget: WidgetContextValue, node: CommentNode): unknown;
}

/** The buttons, on the given Preact; `client` sends their actions (api/moderation.ts). */
export function moderatorTools([h, , , , useState]: PartDeps, store: ThreadStore, client: ModerationClient): Moderator {
  const show = (comment: Comment | null) => {
    if (comment) store.receive(comment);
  };
  // What waits for approval in this thread, shown to the moderator among the rest.
  client.held().then(
    (comments) => comments.forEach(show),
    // Only the moderator misses them; the thread is as any reader sees it.
    (error) => console.error('Confab:', error),
  );

  /**
   * One button and the moment it is busy, or why it failed. In a comment's toolbar it is no tab
   * stop of its own (`inToolbar`): the arrow keys reach it (comment-events.ts).
   */
  function ActionButton({
    widget,
    label,
    run,
    inToolbar,
  }: {
    widget: WidgetContextValue;
    label: string;
    run: () => Promise<void>;
    inToolbar?: boolean;
  }) {
    const [state, setState] = useState<'idle' | 'busy' | ConfabError>('idle');
    const tr = translator(widget);
    return [
      h('button', {
        type: 'button',
        class: 'confab-link-button',
        disabled: state === 'busy',
        tabIndex: inToolbar ? -1 : undefined,
        onClick: () => {
          setState('busy');
          run().then(
            () => setState('idle'),
            (error: ConfabError) => setState(error),
          );
        },
        children: label,
      }),
      typeof state === 'object' &&
        h('span', { class: 'confab-field-error', role: 'alert', children: tr('mod.failed', state.message) }),
    ];
  }

  /** Delete asks first, as the reader's own Delete does. */
  function DeleteButton({ widget, node }: { widget: WidgetContextValue; node: CommentNode }) {
    const [confirming, setConfirming] = useState(false);
    const { t } = widget;
    if (!confirming)
      return h('button', {
        type: 'button',
        class: 'confab-link-button',
        tabIndex: -1,
        onClick: () => setConfirming(true),
        children: translator(widget)('mod.delete'),
      });
    return confirmDeleteGroup(
      h,
      t,
      h(ActionButton, {
        widget,
        label: t('comment.delete'),
        run: () => client.act(node.id, 'delete').then(show),
        inToolbar: true,
      }),
      h('button', {
        type: 'button',
        class: 'confab-button',
        tabIndex: -1,
        onClick: () => setConfirming(false),
        children: t('comment.cancel'),
      }),
    );
  }

  return {
    threadSwitch(widget) {
      const locked = store.locked.value;
      return h(ActionButton, {
        widget,
        label: translator(widget)(locked ? 'mod.unlock' : 'mod.lock'),
        run: () =>
          client.setLocked(!locked).then((nowLocked) => {
            const info = store.thread.peek();
            // The store's own thread signal, read-only to components: its lock is the server's now.
            if (info) (store.thread as { value: ThreadInfo }).value = { ...info, locked: nowLocked };
          }),
      });
    },
    commentTools(widget, node) {
      const comment: Comment = node.comment.value;
      const tr = translator(widget);
      const act = (action: 'approve' | 'pin' | 'unpin', label: string) =>
        h(ActionButton, { widget, label, run: () => client.act(node.id, action).then(show), inToolbar: true });
      return [
        comment.status === 'pending' && act('approve', tr('mod.approve')),
        comment.status === 'published' &&
          comment.parentId === null &&
          (comment.pinned ? act('unpin', tr('mod.unpin')) : act('pin', tr('mod.pin'))),
        comment.status !== 'deleted' && !store.isOwn(node.id) && h(DeleteButton, { widget, node }),
      ];
    },
  };
}
