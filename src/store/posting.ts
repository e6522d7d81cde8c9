// Optimistic posting: the comment shows at once as "sending", and the server's copy replaces
// it. On failure it goes and the reader's text stays in the form, to send again.
// Most readers never post, so this is a part (confab-posting.iife.js; an import() in the npm
// build), loaded when a form is first focused, at the latest on submit (thread-store.ts). It
// imports no bundle code at run time: the signals' batch, the error class and the key maker come
// as `deps`.
import type { batch as Batch, ReadonlySignal, Signal } from '@preact/signals-core';
import type { ConfabError as ConfabErrorClass, toConfabError as ToConfabError } from '../errors';
import type { NewComment } from '../types';
import type { randomId as RandomId } from '../util/values';
import type { StoreParts } from './parts';
import type { FieldErrors, ReplyForms } from './forms';
import { validateReply } from './reply-checks';
import { submitsOf } from './submits';
// Edit, delete and vote are writes too: they come with this part.
export { createCommentActions } from './comment-actions';
import type { FocusRequest, ThreadStoreOptions } from './thread-store';

/** What posting runs on, from the bundle that loads it. */
export type PostingDeps = readonly [typeof Batch, typeof ConfabErrorClass, typeof ToConfabError, typeof RandomId];

/** Ids of our own comments on their way to the server, until it answers with the real id. */
const SENDING_PREFIX = 'sending:';

/** The store's submit(parentId): resolves true once the server has the comment. */
export function createPosting(
  [batch, ConfabError, toConfabError, randomId]: PostingDeps,
  [adapter, threadId, call, nodes, own, isAborted, report, setCommentCount]: StoreParts,
  forms: ReplyForms,
  online: ReadonlySignal<boolean>,
  focusRequest: Signal<FocusRequest | null>,
  options: ThreadStoreOptions,
  /** Takes a comment out of the live stream's held ones; true when it was there. */
  unhold: (id: string) => boolean,
  /**
   * `signedIn`: the host site vouches for the reader (their email is the server's). `notify`:
   * the thread's `features.notify` (unset: a backend that does not say; the form asks for an
   * email as always; false: it asks for none, so none is sent).
   */
  reader: () => { signedIn: boolean; notify: boolean | undefined },
) {
  const { upsert, discard } = nodes;
  const { attemptFor, rememberIdentity, clear } = submitsOf(forms, randomId);

  return async function submit(parentId: string | null): Promise<boolean> {
    if (!adapter.post) return false;
    const form = forms.form(parentId);
    if (form.status.peek() === 'posting') return false; // a double click is one submit
    const { signedIn, notify } = reader();
    const problems = validateReply(form, signedIn);
    if (Object.keys(problems).length > 0) {
      batch(() => {
        form.fieldErrors.value = problems;
        form.error.value = null;
        form.status.value = 'idle';
      });
      return false;
    }
    const body = form.body.peek().trim();
    const input: NewComment = {
      parentId,
      author: { name: form.name.peek().trim() },
      body,
      ...(options.page ? { page: options.page } : {}),
    };
    // An address only where the form asked for one (a remembered one stays unsent otherwise).
    const email = notify === undefined || form.notify.peek() ? form.email.peek().trim() : '';
    if (email) input.author.email = email;
    // Something filled the honeypot (people never see it): sent, for the server to refuse.
    if (form.website) input.website = form.website;
    // Asked for replies by email: in the reader's language.
    if (form.notify.peek()) Object.assign(input, { notify: true, locale: options.locale });
    const attempt = attemptFor(parentId, JSON.stringify(input));
    // After the key: a retry of the same text is the same submit, however long it took.
    if (form.openedAt) input.composeMs = Math.max(0, Date.now() - form.openedAt);
    if (!online.peek()) {
      // Nothing is sent offline: the text stays, and the reader posts it again once back.
      batch(() => {
        form.status.value = 'error';
        form.error.value = new ConfabError('offline', 'The browser is offline; nothing was sent.');
        form.fieldErrors.value = {};
      });
      return false;
    }
    const sendingId = SENDING_PREFIX + attempt.key;
    const parentNode = parentId === null ? null : nodes.node(parentId);

    batch(() => {
      form.status.value = 'posting';
      form.error.value = null;
      form.fieldErrors.value = {};
      upsert(
        {
          id: sendingId,
          parentId,
          author: { name: input.author.name, url: null, avatarUrl: null },
          body,
          createdAt: Date.now(),
          editedAt: null,
          status: 'published',
          score: 0,
        },
        true,
      );
      if (parentNode) {
        parentNode.replying.value = false;
        parentNode.collapsed.value = false;
      }
    });

    try {
      const posted = await adapter.post!(threadId, input, attempt.key, call);
      if (isAborted()) return false;
      rememberIdentity({ name: form.name.peek().trim(), email });
      if (posted.editToken) own.rememberToken(posted.comment.id, posted.editToken);
      batch(() => {
        discard(sendingId);
        // The live stream may have brought it already: count it once.
        const known = unhold(posted.comment.id) || nodes.has(posted.comment.id);
        upsert(posted.comment.parentId === parentId ? posted.comment : { ...posted.comment, parentId });
        if (posted.comment.status === 'published' && !known) setCommentCount(1);
        clear(parentId);
        focusRequest.value = { id: posted.comment.id };
      });
      try {
        options.onPosted?.(posted.comment);
      } catch {
        // The host page's callback failing does not undo the post.
      }
      return true;
    } catch (err) {
      if (isAborted()) return false;
      // The network went away mid-request: say "offline", the clearer of the two.
      const failure = online.peek()
        ? toConfabError(err)
        : new ConfabError('offline', 'The browser went offline.', { cause: err });
      batch(() => {
        discard(sendingId);
        form.status.value = 'error';
        form.error.value = failure;
        form.fieldErrors.value = serverFieldErrors(failure);
        if (parentNode && nodes.has(parentNode.id)) parentNode.replying.value = true;
      });
      report(failure);
      return false;
    }
  };
}

/** Server field names (`author.name`, `name`, `body`...) onto our form's fields. */
function serverFieldErrors(error: ConfabErrorClass): FieldErrors {
  const result: FieldErrors = {};
  for (const [field, message] of Object.entries(error.fields)) {
    const key = field.replace(/^author\./, '');
    if (key === 'name' || key === 'email' || key === 'body') result[key] = message;
  }
  return result;
}
