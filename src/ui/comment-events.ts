// The one listener for a whole thread's comment buttons, keys, tooltips and avatars: <Thread>
// attaches it (comment-listener.ts; a top-level comment rendered alone, for its branch), so
// 10,000 comments do not cost 50,000 listeners. A button says what it does in its data-action,
// a CommentAction: written `'reply' satisfies CommentAction`, a misspelt action fails to compile
// and the bundle still holds only the plain string (named constants would cost bytes).
// A reader who only reads needs none of it: it is a part (confab-events.iife.js; an import() in
// the npm build), loaded once the comments show or at the first pointer, focus or key in them,
// whichever comes first. It shares no state with the bundle through imports: what the bundle
// keeps (the parts' loaders, Preact, the error class, focusing a button) comes as `deps`. It
// also opens what only its clicks open: the edit form (a part of its own) and an own comment's
// delete confirmation.
import type { WidgetContextValue } from './context';
import { exactTime } from '../format/exact-time';
import { confirmDeleteGroup } from './confirm-delete';
import { commentIdFromDomId, permalinkFor } from './permalink';
import type { loadPart as LoadPart, loadPartWords as LoadPartWords, partDeps as PartDeps } from './load-part';
import type { errorText as ErrorText } from './error-text';
import type { ConfabError as ConfabErrorClass } from '../errors';
import type { CommentNode } from '../store/thread-store';
import type { focusAction as FocusAction } from './comment-listener';

/** What a comment's button does: its data-action attribute, read back by the handler. */
export type CommentAction =
  | 'toggle' // show or hide the replies
  | 'upvote'
  | 'downvote'
  | 'reply'
  | 'copy' // the comment's link
  | 'edit' // opens the edit form (loaded on first use)
  | 'delete' // asks first
  | 'confirm-delete'
  | 'cancel-delete'
  | 'report'; // opens the report dialog (loaded on first use)

/** What the handler runs on, from the bundle that loads it. */
export type EventDeps = readonly [
  typeof ConfabErrorClass,
  typeof FocusAction,
  typeof LoadPart,
  typeof LoadPartWords,
  typeof PartDeps,
  typeof ErrorText,
];

export type CommentEventHandler = (widget: WidgetContextValue, event: Event) => void;

/**
 * An own comment's "Delete this comment?" and its two buttons, in its toolbar while it is open
 * (Comment.tsx draws it there; `tabIndex` keeps the toolbar's one tab stop).
 */
const confirmDelete =
  (h: (typeof PartDeps)[0]): NonNullable<WidgetContextValue['view']['confirmDelete']> =>
  ({ t }, node, tabIndex) => {
    const busy = node.busy.value;
    return confirmDeleteGroup(
      h,
      t,
      h('button', {
        type: 'button',
        class: 'confab-button confab-button--danger',
        'data-action': 'confirm-delete' satisfies CommentAction,
        disabled: busy !== null,
        tabIndex: tabIndex(),
        children: busy === 'deleting' ? t('comment.deleting') : t('comment.delete'),
      }),
      h('button', {
        type: 'button',
        class: 'confab-button',
        'data-action': 'cancel-delete' satisfies CommentAction,
        tabIndex: tabIndex(),
        children: t('comment.cancel'),
      }),
    );
  };

/** A comment toolbar's buttons (those in its menu aside), when `target` is one of them. */
function toolbarOf(target: Element): HTMLElement[] {
  const bar = target.closest('[role=toolbar]');
  return bar ? [...bar.querySelectorAll<HTMLElement>('button:not([popover] *)')] : [];
}

/**
 * Handles clicks, keys, pointer/focus entry and image errors anywhere in the comments below it.
 * A toolbar keeps one tab stop, the button last focused; the arrow keys (mirrored right to left),
 * Home and End move between its buttons.
 */
export const commentEvents = ([
  ConfabError,
  focusAction,
  loadPart,
  loadPartWords,
  partDeps,
  errorText,
]: EventDeps): CommentEventHandler => {
  /**
   * Opens the edit form of `node` (a part of its own, loaded on the first Edit click), with focus
   * in its text. If its code does not come, the comment says so and the next click tries again.
   */
  const openEdit = ({ store, view, locale }: WidgetContextValue, node: CommentNode): Promise<void> => {
    const { id } = node;
    view.editDrafts.delete(id); // a new edit starts from the comment as it is
    node.error.value = null; // a failure said again is announced again
    return Promise.all([loadPart('edit'), loadPartWords('edit', locale)]).then(
      ([part]) => {
        view.editForm ??= part.editForm(partDeps, errorText);
        store.setEditing(id, true);
        // After the render that shows the form (the Edit button it replaces had focus).
        setTimeout(() => view.root?.getElementById(`confab-edit-${id}`)?.focus());
      },
      () => {
        node.error.value = new ConfabError('network', 'the edit form did not load');
      },
    );
  };
  return (widget, event) => {
    const target = event.target as HTMLElement | null;
    if (!target || typeof target.closest !== 'function') return;
    const { store, view, t, locale } = widget;
    if (event.type === 'keydown') {
      const items = toolbarOf(target);
      const { key } = event as KeyboardEvent;
      const forward = target.matches(':dir(rtl)') ? 'ArrowLeft' : 'ArrowRight';
      const at = items.indexOf(target);
      const next =
        key === 'Home'
          ? 0
          : key === 'End'
            ? -1
            : key === forward
              ? at + 1
              : key === 'ArrowLeft' || key === 'ArrowRight'
                ? at - 1
                : null;
      if (at < 0 || next === null) return;
      event.preventDefault();
      items.at(next % items.length)?.focus();
      return;
    }
    if (event.type === 'error') {
      if (target.localName === 'img' && target.classList.contains('confab-avatar')) {
        const url = target.getAttribute('src');
        if (url) view.avatarFailed(url).value = true;
      }
      return;
    }
    if (event.type === 'focusin') for (const item of toolbarOf(target)) item.tabIndex = item === target ? 0 : -1;
    if (event.type !== 'click') {
      // A vote or a delete is a write: its code starts coming when a pointer or focus reaches the
      // actions, before the click (a tap's pointerover comes just before it).
      if (target.closest('.confab-actions')) void store.preparePosting();
      // The exact time (of writing, or of the edit), written as a tooltip the first time a pointer
      // or focus reaches it.
      const timed = target.closest<HTMLElement>('.confab-permalink, .confab-edited');
      if (timed && !timed.title && timed.dataset.time) {
        const time = exactTime(Number(timed.dataset.time), locale);
        timed.title = timed.classList.contains('confab-edited') ? t('comment.editedAt', { time }) : time;
      }
      return;
    }
    const button = target.closest<HTMLElement>('[data-action]');
    const article = button?.closest('article');
    const id = article ? commentIdFromDomId(article.id) : null;
    if (!button || id === null || !store.node(id)) return;
    const node = store.node(id)!;
    view.root = article!.getRootNode() as Document | ShadowRoot;
    // An item of the "More" menu closes it; what it opens gives focus back to the menu's button.
    const menu = button.closest<HTMLElement>('[popover]');
    menu?.hidePopover?.();
    const opener = (menu?.previousElementSibling as HTMLElement | null) ?? button;
    // Only our own buttons carry data-action, each a CommentAction.
    switch (button.dataset.action as CommentAction) {
      case 'toggle':
        return store.toggleCollapsed(id);
      case 'upvote':
        return void store.vote(id, node.myVote.peek() === 1 ? 0 : 1);
      case 'downvote':
        return void store.vote(id, node.myVote.peek() === -1 ? 0 : -1);
      case 'reply':
        return store.setReplying(id, !node.replying.peek());
      case 'edit':
        return void openEdit(widget, node);
      case 'delete':
        view.confirmDelete ??= confirmDelete(partDeps[0]);
        view.confirmingDelete.value = id;
        return focusAction(widget, id, 'cancel-delete');
      case 'cancel-delete':
        view.confirmingDelete.value = null;
        return focusAction(widget, id, 'delete');
      case 'confirm-delete':
        return void store.remove(id).then((removed) => {
          if (removed && view.confirmingDelete.peek() === id) view.confirmingDelete.value = null;
        });
      case 'report':
        // The dialog is a part of its own, with its words in the reader's language.
        return void Promise.all([loadPart('report'), loadPartWords('report', locale)]).then(
          ([part]) => part.openReportDialog(partDeps, widget, id, opener, errorText),
          () => view.announce(t('error.network')), // its code did not come
        );
      case 'copy':
        return void navigator.clipboard.writeText(permalinkFor(id)).then(
          () => view.announce(t('comment.linkCopied')),
          () => {},
        );
    }
  };
};
