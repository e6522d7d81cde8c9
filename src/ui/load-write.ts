// The writing part (WriteForm.ts, confab-write.iife.js on script-tag pages): loaded when a form
// is first focused, at the latest on Post. Until it has come, a form is its shell (ReplyForm.tsx).
import { signal } from '@preact/signals';
import { errorText } from './error-text';
import { loadPart, partDeps } from './load-part';
import type { WriteForm } from './WriteForm';

/** The part's view of a form, once its code has come (a signal: every open form fills in then). */
export const writing = signal<WriteForm | undefined>(undefined);

let loading: Promise<WriteForm> | undefined;

/** Loads the writing part, once; rejects when its code did not come (the next call tries again). */
export function loadWriting(): Promise<WriteForm> {
  return (loading ??= loadPart('write').then(
    (part) => (writing.value ??= part.writeForm(partDeps, errorText)),
    (failure: unknown) => {
      loading = undefined;
      throw failure;
    },
  ));
}
