// The writing part (confab-write.iife.js; an import() in the npm build): what a reply form does
// beyond holding the reader's text, loaded on the form's first focus (see load-write.ts). It
// fills slots of the form's markup (ReplyForm.tsx): the submit that takes the reader to the field
// that needs them, the fields' messages, why a post failed and Retry, "Posting…". In a form that
// is idle and has no errors the slots are empty, so the form looks the same before and after.
// It imports nothing at run time: Preact comes from the bundle (`deps`), the strings and the
// store from the widget. Its English travels with it; locales translate the same keys.
import type { RefObject } from 'preact';
import type { FieldName, ReplyFormState } from '../store/forms';
import type { MessageKey } from '../i18n/en';
import type { WidgetContextValue } from './context';
import type { errorText as ErrorText } from './error-text';
import type { PartDeps } from './load-part';

/** English, for the keys a locale (or a site's messages) does not translate (en.ts names them, with no words). */
export const enWrite = {
  'form.posting': 'Posting…',
  'form.error.bodyEmpty': 'Write something first.',
  'form.error.bodyLong': 'Keep it under 10,000 characters.',
  'form.error.nameLong': 'Keep your name under 80 characters.',
  'form.error.email': 'This does not look like an email address.',
  'form.error.emailNeeded': 'Enter your email to get replies by email.',
  'form.failed': 'Your comment was not posted. Your text is kept.',
  'form.backOnline': 'You are back online.',
  'form.postNow': 'Post now',
};
export type WriteKey = keyof typeof enWrite & MessageKey;

/** What the form hands the part on each render. */
export interface FormView {
  widget: WidgetContextValue;
  form: ReplyFormState;
  parentId: string | null;
  /** The form's useId(): its fields are `${id}-body`, `${id}-name`… */
  id: string;
  ref: RefObject<HTMLFormElement>;
}

/** The part's pieces of one render of a form. */
export interface FormSlots {
  /** Posts the form; when a field needs the reader, focus goes to the first such field. */
  submit(): Promise<void>;
  /** A field's attributes (aria-invalid, aria-describedby) and its message, when it has one. */
  field(name: FieldName): [attributes: object | undefined, message: preact.JSX.Element | null];
  /** Why the post failed (with Retry), or that the reader is back online (with Post now). */
  notice: preact.JSX.Element | null;
  /** The submit button's words while posting. */
  submitLabel: string | undefined;
}

export type WriteForm = (view: FormView) => FormSlots;

/** The slots, on the given Preact (plain jsx() calls: JSX would import Preact itself). */
export function writeForm([h]: PartDeps, errorText: typeof ErrorText): WriteForm {
  return ({ widget: { store, t }, form, parentId, id, ref }) => {
    // The locale's words, else the English that came with this file.
    const tr = (key: WriteKey) => t(key) || enWrite[key];
    const fieldErrors = form.fieldErrors.value;
    const failed = form.status.value === 'error' ? form.error.value : null;

    const submit = async () => {
      if (await store.submit(parentId)) return;
      // Take the reader to the first field that needs them.
      const errors = form.fieldErrors.peek();
      const first = (['name', 'email', 'body'] as const).find((name) => errors[name]);
      if (first) ref.current?.querySelector<HTMLElement>(`[name="${first}"]`)?.focus();
    };
    const retry = (label: string) =>
      h('button', { type: 'button', class: 'confab-button', onClick: () => void submit(), children: label });

    return {
      submit,
      field(name) {
        const message = fieldErrors[name];
        if (!message) return [undefined, null];
        const messageId = `${id}-${name}-error`;
        return [
          { 'aria-invalid': true, 'aria-describedby': messageId },
          h('p', {
            class: 'confab-field-error',
            id: messageId,
            // Our own checks give a key; a server's per-field message is shown as it came.
            children: message.startsWith('form.error.') ? tr(message as WriteKey) : message,
          }),
        ];
      },
      notice:
        failed &&
        h('div', {
          class: 'confab-notice confab-notice--error',
          role: 'alert',
          children:
            failed.code === 'offline'
              ? // Offline: nothing was sent. Back online, the reader decides when to post.
                [
                  h('p', { children: store.online.value ? tr('form.backOnline') : errorText(t, failed) }),
                  store.online.value && retry(tr('form.postNow')),
                ]
              : [h('p', { children: [tr('form.failed'), ' ', errorText(t, failed)] }), retry(t('action.retry'))],
        }),
      submitLabel: form.status.value === 'posting' ? tr('form.posting') : undefined,
    };
  };
}
