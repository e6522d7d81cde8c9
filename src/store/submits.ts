// What a submit does to the forms' state: the Idempotency-Key a logical submit keeps across its
// retries (and a reload), the name and email remembered after a post, and the form cleared.
// Only posting (a part, loaded on a form's first focus) needs it; the forms' state and drafts
// are in forms.ts, in the first load.
import type { Attempt, Identity, ReplyForms } from './forms';
import type { randomId as RandomId } from '../util/values';

/** `randomId` comes from the bundle that loads posting (see posting.ts). */
export function submitsOf(
  { form, saveDraft, parts: [storage, attempts, draftKey, markOpen] }: ReplyForms,
  randomId: typeof RandomId,
) {
  return {
    /** Keeps the name and email the reader posted with, for their next form. */
    rememberIdentity: (identity: Identity) => storage.set('identity', identity),
    /**
     * The key for submitting `content`: the same as last time while the content is unchanged
     * (a retry), a fresh one once the reader has changed what they send (a new submit).
     */
    attemptFor(parentId: string | null, content: string): Attempt {
      form(parentId); // restores the key saved before a reload, if the form was never shown
      const id = parentId ?? '';
      const previous = attempts.get(id);
      if (previous && previous.content === content) return previous;
      const attempt = { key: randomId(), content };
      attempts.set(id, attempt);
      saveDraft(parentId);
      return attempt;
    },
    /** After a successful post: nothing left to restore or retry. */
    clear(parentId: string | null) {
      const state = form(parentId);
      attempts.delete(parentId ?? '');
      state.body.value = '';
      state.status.value = 'idle';
      state.error.value = null;
      state.fieldErrors.value = {};
      state.openedAt = null; // the next comment's time starts at its own first focus
      storage.remove(draftKey(parentId));
      markOpen(parentId, false);
    },
  };
}
