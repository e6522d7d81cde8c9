// The writing part (WriteForm.ts, confab-write.iife.js on script-tag pages): loaded when a form
// is first focused, at the latest on Post. Until it has come, a form is its shell (ReplyForm.tsx).
import { signal } from '@preact/signals';
import { createTranslator } from '../i18n/translate';
import { CommentBody } from './CommentBody';
import { errorText } from './error-text';
import { loadPart, loadPartWords, partDeps } from './load-part';
import type { WriteForm } from './WriteForm';

/** The part's view of a form, once its code has come (a signal: every open form fills in then). */
export const writing = signal<WriteForm | undefined>(undefined);

let loading: Promise<WriteForm> | undefined;

/**
 * Loads the writing part and its words in `locale` (on script-tag pages they come in a file of
 * their own), once; rejects when its code did not come (the next call tries again).
 */
export function loadWriting(locale: string): Promise<WriteForm> {
  return (loading ??= Promise.all([loadPart('write'), loadPartWords('write', locale)]).then(
    ([part]) => (writing.value ??= part.writeForm(partDeps, errorText, CommentBody, createTranslator)),
    (failure: unknown) => {
      loading = undefined;
      throw failure;
    },
  ));
}
