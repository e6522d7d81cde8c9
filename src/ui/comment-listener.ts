// The thread's one listener for its comments (see comment-events.ts, the handler, a part): in
// the first load only what hands each event over, and holds the events that come before the
// handler does, to hand them over once it is here.
import type { WidgetContextValue } from './context';
import { commentDomId } from './permalink';
import { errorText } from './error-text';
import { ConfabError } from '../errors';
import { loadPart, loadPartWords, partDeps } from './load-part';
import type { CommentAction, CommentEventHandler } from './comment-events';

/** Puts focus back on one of a comment's buttons (after a form or a confirmation closes). */
export function focusAction({ view }: WidgetContextValue, id: string, action: CommentAction) {
  // After the render that brings the button back.
  setTimeout(() => view.root?.getElementById(commentDomId(id))?.querySelector<HTMLElement>(`[data-action="${action}"]`)?.focus());
}

let handler: CommentEventHandler | undefined;
let loading: Promise<CommentEventHandler> | undefined;

/** Loads the handler once; rejects when its code did not come (the next event tries again). */
export function loadCommentEvents(): Promise<CommentEventHandler> {
  return (loading ??= loadPart('events').then(
    (part) => (handler = part.commentEvents([ConfabError, focusAction, loadPart, loadPartWords, partDeps, errorText])),
    (failure: unknown) => {
      loading = undefined;
      throw failure;
    },
  ));
}

/** Clicks, keys, pointer and focus entry, image errors: to the handler, now or once it has come. */
export function handleCommentEvent(widget: WidgetContextValue, event: Event) {
  if (handler) return handler(widget, event);
  // Held as it was: once dispatched, an event from inside a shadow root has no target any more
  // (the DOM clears it), and its default action is past.
  const held = { type: event.type, target: event.target, key: (event as KeyboardEvent).key, preventDefault() {} };
  loadCommentEvents().then(
    (ready) => ready(widget, held as unknown as Event),
    // A click whose code did not come says so; the rest (tooltips, keys) can wait for the next event.
    () => event.type === 'click' && widget.view.announce(widget.t('error.network')),
  );
}

/** The listeners <Thread> puts on its element (a top-level comment rendered alone, on its own). */
export function commentListeners(widget: WidgetContextValue) {
  const on = (event: Event) => handleCommentEvent(widget, event);
  return { onClick: on, onPointerOver: on, onFocusIn: on, onKeyDown: on, onErrorCapture: on };
}
