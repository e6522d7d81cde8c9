// Our own checks of a reply before anything is sent. Imports nothing at run time: the posting
// part (posting.ts, loaded on demand) carries it, and forms.ts re-exports it.
import type { FieldErrors, ReplyFormState } from './forms';

export const MAX_NAME = 80;
export const MAX_BODY = 10_000;

/**
 * Our own checks before anything is sent; values are i18n keys. `signedIn`: the host site
 * vouches for the reader, whose email the server has from the sign-in.
 */
export function validateReply(form: ReplyFormState, signedIn = false): FieldErrors {
  const errors: FieldErrors = {};
  const body = form.body.value.trim();
  if (body === '') errors.body = 'form.error.bodyEmpty';
  else if (body.length > MAX_BODY) errors.body = 'form.error.bodyLong';
  if (form.name.value.trim().length > MAX_NAME) errors.name = 'form.error.nameLong';
  const email = form.email.value.trim();
  if (email !== '' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) errors.email = 'form.error.email';
  else if (email === '' && form.notify.value && !signedIn) errors.email = 'form.error.emailNeeded';
  return errors;
}
