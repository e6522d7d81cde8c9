// The writing part (confab-write.iife.js; an import() in the npm build): what a reply form does
// beyond holding the reader's text, loaded on the form's first focus (see load-write.ts). It
// fills slots of the form's markup (ReplyForm.tsx): the submit that takes the reader to the field
// that needs them, the fields' messages, why a post failed and Retry, "Posting…", the preview
// and the formatting help (drawn by the formatter published comments use), and the counter near
// the length limit. In a form that is idle and has no errors the slots hold nothing visible, so
// the form looks the same before and after. Its own styles are set through the CSSOM (a strict
// style-src CSP allows that): they stay out of the first load's CSS.
// It imports nothing at run time: Preact comes from the bundle (`deps`), the strings and the
// store from the widget. Its English travels with it; locales translate the same keys.
import type { RefObject } from 'preact';
import type { FieldName, ReplyFormState } from '../store/forms';
import type { createTranslator as CreateTranslator } from '../i18n/translate';
import type { WidgetContextValue } from './context';
import type { errorText as ErrorText } from './error-text';
import type { CommentBody as CommentBodyComponent } from './CommentBody';
import type { PartDeps } from './load-part';

/** English, for the keys a locale (or a site's messages) does not translate. */
export const enWrite = {
  'form.posting': 'Posting…',
  'form.error.bodyEmpty': 'Write something first.',
  'form.error.bodyLong': 'Keep it to at most 10,000 characters.',
  'form.error.nameLong': 'Keep your name under 80 characters.',
  'form.error.email': 'This does not look like an email address.',
  'form.error.emailNeeded': 'Enter your email to get replies by email.',
  'form.failed': 'Your comment was not posted. Your text is kept.',
  'form.backOnline': 'You are back online.',
  'form.postNow': 'Post now',
  // One example per line, shown as typed and as it will look.
  'form.formatHelp': '**bold**\n*italic*\n`code`\n> a quote',
  'form.charsLeft': { one: '{count} character left', other: '{count} characters left' },
};
export type WriteKey = keyof typeof enWrite;

/** What the form hands the part on each render. */
export interface FormView {
  widget: WidgetContextValue;
  form: ReplyFormState;
  parentId: string | null;
  /** The form's useId(): its fields are `${id}-body`, `${id}-name`… */
  id: string;
  ref: RefObject<HTMLFormElement>;
  /** Preview and Formatting are on. */
  preview: boolean;
  help: boolean;
}

/** The part's pieces of one render of a form. */
export interface FormSlots {
  /** Posts the form; when a field needs the reader, focus goes to the first such field. */
  submit(): Promise<void>;
  /** A field's attributes (aria-invalid, aria-describedby) and its message, when it has one. */
  field(name: FieldName): [attributes: object | undefined, message: preact.ComponentChildren];
  /** Why the post failed (with Retry), or that the reader is back online (with Post now). */
  notice: preact.JSX.Element | null;
  /** The submit button's words while posting. */
  submitLabel: string | undefined;
  /** The draft as it will look, when Preview is on. */
  preview: preact.JSX.Element | false;
  /** What the marks look like, when Formatting is on. */
  help: preact.JSX.Element | false;
}

export type WriteForm = (view: FormView) => FormSlots;

/**
 * forms.ts' MAX_BODY, the limit our checks and the server apply (test/ui/writing.test.tsx holds
 * them together): importing it would, in the npm build, pull posting's checks into the first load.
 */
export const MAX_BODY = 10_000;
/** Characters left at which the counter shows. */
const NEAR = 1_000;
/** The counter is said (politely) only when the count crosses one of these, not on each key. */
const STEPS = [NEAR, 500, 100, 0];
/** Each form's last step said, and what was said. */
const said = new WeakMap<ReplyFormState, [step: number, text: string]>();
/** A link's example: the same in every language. */
const LINK_EXAMPLE = 'https://example.com';

/**
 * The slots, on the given Preact (plain jsx() calls: JSX would import Preact itself), with the
 * bundle's error wording, comment body and translator (for this file's English plurals).
 */
export function writeForm(
  [h]: PartDeps,
  errorText: typeof ErrorText,
  CommentBody: typeof CommentBodyComponent,
  createTranslator: typeof CreateTranslator,
): WriteForm {
  return ({ widget: { store, t, locale }, form, parentId, id, ref, preview, help }) => {
    // The locale's words (on script-tag pages they come with the part), else this file's English.
    const english = createTranslator(locale, enWrite);
    const tr = (key: WriteKey, values?: Record<string, number>) => t(key, values) || english(key, values);
    const fieldErrors = form.fieldErrors.value;
    const failed = form.status.value === 'error' ? form.error.value : null;
    const text = form.body.value;

    // Near the limit: what is left (or that it is over), seen at once, said at each step only.
    const left = MAX_BODY - text.trim().length;
    const step = left > NEAR ? -1 : STEPS.filter((limit) => left <= limit).length + (left < 0 ? 1 : 0);
    const counted = step < 0 ? '' : left < 0 ? tr('form.error.bodyLong') : tr('form.charsLeft', { count: left });
    let spoken = said.get(form);
    if (spoken?.[0] !== step) said.set(form, (spoken = [step, counted]));
    const countId = `${id}-count`;

    const submit = async () => {
      // The honeypot as the page has it (a bot may set it without an input event).
      form.website = (ref.current?.elements.namedItem('website') as HTMLInputElement | null)?.value || undefined;
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
        const messageId = `${id}-${name}-error`;
        const error =
          message &&
          h('p', {
            class: 'confab-field-error',
            id: messageId,
            // Our own checks give a key; a server's per-field message is shown as it came.
            children: message.startsWith('form.error.') ? tr(message as WriteKey) : message,
          });
        if (name !== 'body')
          return [message ? { 'aria-invalid': true, 'aria-describedby': messageId } : undefined, error || null];
        // The body's counter (unless its message says the same), and the polite line that says it.
        const count =
          counted &&
          message !== 'form.error.bodyLong' &&
          h('p', {
            id: countId,
            class: left < 0 ? 'confab-field-error' : 'confab-form-hint',
            style: { margin: 0 },
            children: counted,
          });
        const describedBy = [message && messageId, count && countId].filter(Boolean).join(' ');
        return [
          { 'aria-invalid': message ? true : undefined, 'aria-describedby': describedBy || undefined },
          // No wrapper: an empty box would add a gap to the field's grid (the line said is out of flow).
          [error, count, h('p', { class: 'confab-visually-hidden', 'aria-live': 'polite', children: spoken[1] })],
        ];
      },
      preview:
        preview &&
        h('div', {
          class: 'confab-preview',
          role: 'region',
          'aria-label': t('form.preview'),
          // A published body's indent (under the avatar) is not wanted here: the calc() comes to 0.
          style: {
            '--_avatar-size': '-8px',
            padding: '0.5em',
            border: '1px dashed var(--_border)',
            borderRadius: 'var(--_radius)',
          },
          children: text.trim()
            ? h(CommentBody, { text })
            : h('p', { class: 'confab-form-hint', children: tr('form.error.bodyEmpty') }),
        }),
      help:
        help &&
        h('dl', {
          id: `${id}-help`,
          class: 'confab-format-help',
          style: { '--_avatar-size': '-8px', display: 'grid', gridTemplateColumns: 'auto 1fr', gap: '4px 16px', margin: 0 },
          children: [...tr('form.formatHelp').split('\n'), LINK_EXAMPLE].map((example) => [
            h('dt', { children: h('code', { children: example }) }),
            h('dd', { style: { margin: 0 }, children: h(CommentBody, { text: example }) }),
          ]),
        }),
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
