// The form for a new comment (parentId null) or a reply. Its state lives in the store, so a
// draft survives the form closing, a failed post, and (through localStorage) a reload. On a
// thread that closed while the reader wrote, it keeps only their text, read-only, to copy.
import { useEffect, useId, useRef } from 'preact/hooks';
import { MAX_NAME, type FieldName } from '../store/forms';
import { useWidget } from './context';
import { errorText } from './error-text';
import type { MessageKey } from '../i18n/en';

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
  const bodyRef = useRef<HTMLTextAreaElement>(null);
  const posting = form.status.value === 'posting';
  const locked = store.locked.value;
  const failed = form.status.value === 'error' ? form.error.value : null;
  const fieldErrors = form.fieldErrors.value;

  useEffect(() => {
    if (autoFocus) bodyRef.current?.focus();
  }, [autoFocus]);

  // Our own checks give an i18n key; a server's per-field message is shown as it came.
  const fieldMessage = (field: FieldName) => {
    const message = fieldErrors[field];
    if (!message) return null;
    return message.startsWith('form.error.') ? t(message as MessageKey) : message;
  };

  const submit = async () => {
    const ok = await store.submit(parentId);
    if (!ok && Object.keys(form.fieldErrors.peek()).length > 0) {
      // Take the reader to the first field that needs them.
      const first = (['name', 'email', 'body'] as const).find((f) => form.fieldErrors.peek()[f]);
      bodyRef.current?.closest('form')?.querySelector<HTMLElement>(`[name="${first}"]`)?.focus();
    }
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void submit();
    } else if (event.key === 'Escape' && onCancel) {
      event.preventDefault();
      onCancel();
    }
  };

  const field = (name: FieldName, label: string, input: preact.JSX.Element) => {
    const message = fieldMessage(name);
    return (
      <div class={`confab-field confab-field--${name}`}>
        <label for={`${id}-${name}`}>{label}</label>
        {input}
        {message && (
          <p class="confab-field-error" id={`${id}-${name}-error`}>
            {message}
          </p>
        )}
      </div>
    );
  };
  const described = (name: FieldName) =>
    fieldErrors[name] ? { 'aria-invalid': true, 'aria-describedby': `${id}-${name}-error` } : {};

  const saveDraft = () => store.saveDraft(parentId);

  if (instead) return instead as preact.JSX.Element;

  return (
    <form
      class="confab-form"
      part="form"
      noValidate
      aria-busy={posting}
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
      onKeyDown={onKeyDown}
      // The post's composeMs counts from here (a reply form focuses itself as it opens).
      // and posting's code starts loading, so that Post does not wait for it.
      onFocusIn={() => {
        form.openedAt ??= Date.now();
        void store.preparePosting();
      }}
    >
      {field(
        'body',
        replyTo !== undefined ? t('form.replyBody', { name: replyTo || t('comment.guest') }) : t('form.body'),
        <textarea
          ref={bodyRef}
          id={`${id}-body`}
          name="body"
          rows={parentId === null ? 4 : 3}
          value={form.body.value}
          readOnly={posting || locked}
          onInput={(event) => {
            form.body.value = event.currentTarget.value;
            saveDraft();
          }}
          {...described('body')}
        />,
      )}
      {locked ? (
        <p class="confab-notice" role="status">
          {t('thread.locked')}
        </p>
      ) : (
        <>
          {identity ?? (
            <div class="confab-form-identity">
              {field(
                'name',
                t('form.name'),
                <input
                  id={`${id}-name`}
                  name="name"
                  autoComplete="name"
                  maxLength={MAX_NAME}
                  placeholder={t('form.namePlaceholder')}
                  value={form.name.value}
                  readOnly={posting}
                  onInput={(event) => (form.name.value = event.currentTarget.value)}
                  {...described('name')}
                />,
              )}
              {/* Asked only where it serves: a backend that does not say, or reply emails asked for. */}
              {(notify === undefined || form.notify.value) &&
                field(
                  'email',
                  t(notify ? 'form.emailForReplies' : 'form.email'),
                  <input
                    id={`${id}-email`}
                    name="email"
                    type="email"
                    autoComplete="email"
                    value={form.email.value}
                    readOnly={posting}
                    onInput={(event) => (form.email.value = event.currentTarget.value)}
                    {...described('email')}
                  />,
                )}
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
          {failed &&
            (failed.code === 'offline' ? (
              // Offline: nothing was sent. Back online, the reader decides when to post.
              <div class="confab-notice confab-notice--error" role="alert">
                <p>{store.online.value ? t('form.backOnline') : errorText(t, failed)}</p>
                {store.online.value && (
                  <button type="button" class="confab-button" onClick={() => void submit()}>
                    {t('form.postNow')}
                  </button>
                )}
              </div>
            ) : (
              <div class="confab-notice confab-notice--error" role="alert">
                <p>
                  {t('form.failed')} {errorText(t, failed)}
                </p>
                <button type="button" class="confab-button" onClick={() => void submit()}>
                  {t('action.retry')}
                </button>
              </div>
            ))}
        </>
      )}
      <div class="confab-form-actions">
        {!locked && (
          <button type="submit" class="confab-button confab-button--primary" disabled={posting}>
            {posting ? t('form.posting') : parentId === null ? t('form.submit') : t('form.submitReply')}
          </button>
        )}
        {onCancel && (
          <button type="button" class="confab-button" onClick={onCancel}>
            {t('comment.cancel')}
          </button>
        )}
        {!locked && <span class="confab-form-hint">{t('form.hint')}</span>}
      </div>
    </form>
  );
}
