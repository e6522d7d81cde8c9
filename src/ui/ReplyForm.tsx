// The form for a new comment (parentId null) or a reply. Its state lives in the store, so a
// draft survives the form closing, a failed post, and (through localStorage) a reload. On a
// thread that closed while the reader wrote, it keeps only their text, read-only, to copy.
// Most readers never write, so only the form as it first shows is in the first load: its fields,
// bound to the store (text typed at once is kept), and its buttons. What writing needs besides
// (posting and its errors, the fields' messages, the preview, the formatting help, the counter)
// is the writing part (WriteForm.ts), loaded on the form's first focus: it fills slots of this
// same markup, so its arrival moves nothing and keeps the focus, the caret and the text where
// they are. The honeypot is here too: bots fill a form without ever focusing it.
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { MAX_NAME, type FieldName } from '../store/forms';
import { useWidget } from './context';
import { errorText } from './error-text';
import { loadWriting, writing } from './load-write';
import type { FormSlots, FormView } from './WriteForm';

export interface ReplyFormProps {
  parentId: string | null;
  /** Name of the author answered, for the label. */
  replyTo?: string;
  /** Reply forms close on Escape and Cancel; the top-level form has neither. */
  onCancel?: () => void;
  autoFocus?: boolean;
}

export function ReplyForm({ parentId, replyTo, onCancel, autoFocus }: ReplyFormProps) {
  const widget = useWidget();
  const { store, t } = widget;
  // Sign-in from the host site, once its part has come: a view in place of the whole form
  // ("Sign in to comment"), or one in place of the name and email fields (who is signed in).
  const [instead, identity] = store.signIn.value?.form(widget, parentId) ?? [];
  const form = store.form(parentId);
  const notify = store.thread.value?.features.notify;
  const id = useId();
  const ref = useRef<HTMLFormElement>(null);
  // Preview and Formatting, toggled here (a click before the part has come counts too).
  const [preview, setPreview] = useState(false);
  const [help, setHelp] = useState(false);
  const posting = form.status.value === 'posting';
  const locked = store.locked.value;
  const view: FormView = { widget, form, parentId, id, ref, preview, help };
  // The writing part's pieces of this form; none until its code has come.
  const slots: FormSlots | undefined = writing.value?.(view);

  const failed = form.status.value === 'error' ? form.error.value : null;
  const online = store.online.value;

  useEffect(() => {
    if (autoFocus) ref.current?.querySelector('textarea')?.focus();
  }, [autoFocus]);
  // A post failed before the part came (offline, say): once back online, it comes, with "Post now".
  useEffect(() => {
    if (failed && online) loadWriting(widget.locale).catch(() => {});
  }, [failed, online]);

  // Post waits for the part if it is not here yet; without it, the store posts and the shell says why not.
  const submit = () =>
    void (slots
      ? slots.submit()
      : loadWriting(widget.locale).then(
          (write) => write(view).submit(),
          () => store.submit(parentId),
        ));

  const field = (name: FieldName, label: string, input: (attributes?: object) => preact.JSX.Element) => {
    const [attributes, message] = slots?.field(name) ?? [];
    return (
      <div class={`confab-field confab-field--${name}`}>
        <label for={`${id}-${name}`}>{label}</label>
        {input(attributes)}
        {message}
      </div>
    );
  };

  if (instead) return instead as preact.JSX.Element;

  return (
    <form
      ref={ref}
      class="confab-form"
      part="form"
      noValidate
      aria-busy={posting}
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
      onKeyDown={(event) => {
        if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
          event.preventDefault();
          submit();
        } else if (event.key === 'Escape' && onCancel) {
          event.preventDefault();
          onCancel();
        }
      }}
      // The post's composeMs counts from here (a reply form focuses itself as it opens), and the
      // code of posting and writing starts loading, so that Post does not wait for it.
      onFocusIn={() => {
        form.openedAt ??= Date.now();
        void store.preparePosting();
        loadWriting(widget.locale).catch(() => {}); // Post tries again, and says so if it cannot
      }}
    >
      {field(
        'body',
        replyTo !== undefined ? t('form.replyBody', { name: replyTo || t('comment.guest') }) : t('form.body'),
        (attributes) => (
          <textarea
            id={`${id}-body`}
            name="body"
            rows={parentId === null ? 4 : 3}
            value={form.body.value}
            readOnly={posting || locked}
            onInput={(event) => {
              form.body.value = event.currentTarget.value;
              store.saveDraft(parentId);
            }}
            {...attributes}
          />
        ),
      )}
      {slots?.preview}
      {/* The server's honeypot: hidden from people and assistive technology, out of the tab order. In a
          1 px box, as the form's inputs are as wide as their container, and this one would stick out of the page. */}
      <div class="confab-visually-hidden">
        <input name="website" tabIndex={-1} autoComplete="off" aria-hidden="true" />
      </div>
      {locked ? (
        <p class="confab-notice" role="status">
          {t('thread.locked')}
        </p>
      ) : (
        <>
          {identity ?? (
            <div class="confab-form-identity">
              {field('name', t('form.name'), (attributes) => (
                <input
                  id={`${id}-name`}
                  name="name"
                  autoComplete="name"
                  maxLength={MAX_NAME}
                  placeholder={t('form.namePlaceholder')}
                  value={form.name.value}
                  readOnly={posting}
                  onInput={(event) => (form.name.value = event.currentTarget.value)}
                  {...attributes}
                />
              ))}
              {/* Asked only where it serves: a backend that does not say, or reply emails asked for. */}
              {(notify === undefined || form.notify.value) &&
                field('email', t(notify ? 'form.emailForReplies' : 'form.email'), (attributes) => (
                  <input
                    id={`${id}-email`}
                    name="email"
                    type="email"
                    autoComplete="email"
                    value={form.email.value}
                    readOnly={posting}
                    onInput={(event) => (form.email.value = event.currentTarget.value)}
                    {...attributes}
                  />
                ))}
            </div>
          )}
          {notify && (
            <label class="confab-check">
              <input
                type="checkbox"
                name="notify"
                checked={form.notify.value}
                disabled={posting}
                onChange={(event) => (form.notify.value = event.currentTarget.checked)}
              />
              {t('form.notify')}
            </label>
          )}
          {slots
            ? slots.notice
            : // Without the part's code (it did not come), why the post failed, in a few words.
              failed && (
                <p class="confab-notice confab-notice--error" role="alert">
                  {errorText(t, failed)}
                </p>
              )}
        </>
      )}
      <div class="confab-form-actions">
        {!locked && (
          <button type="submit" class="confab-button confab-button--primary" disabled={posting}>
            {slots?.submitLabel ?? (parentId === null ? t('form.submit') : t('form.submitReply'))}
          </button>
        )}
        {onCancel && (
          <button type="button" class="confab-button" onClick={onCancel}>
            {t('comment.cancel')}
          </button>
        )}
        {!locked && (
          <>
            <button type="button" class="confab-link-button" aria-pressed={preview} onClick={() => setPreview(!preview)}>
              {t('form.preview')}
            </button>
            <button
              type="button"
              class="confab-link-button"
              aria-expanded={help}
              aria-controls={help ? `${id}-help` : undefined}
              onClick={() => setHelp(!help)}
            >
              {t('form.formatting')}
            </button>
            <span class="confab-form-hint">{t('form.hint')}</span>
          </>
        )}
      </div>
      {slots?.help}
    </form>
  );
}
