// One comment in a moderation list: its text (as text, never HTML), thread, author, reports and
// hold reason, its selection box and the buttons its status allows. Edit and Reply open a form
// in place; Ban author a small dialog. A form keeps what was typed until the server accepts it.
import { useEffect, useRef, useState } from 'preact/hooks';
import { authorOf, buttonsFor, DURATIONS, type CommentButton, type CommentsStore } from '../comments-store';
import { useI18n, type AdminKey } from '../i18n/i18n';
import { keyOf } from '../live-store';
import type { AdminComment, BanKind, CommentAction } from '../types';
import { Alert, safeUrl, Time } from './common';

const STATUS_LABELS: Record<AdminComment['status'], AdminKey> = {
  published: 'status.published',
  pending: 'view.pending',
  spam: 'view.spam',
  deleted: 'status.deleted',
};

/** The hold reasons the server gives, by their words' keys; another shows as its code. */
export const HOLD_REASONS: readonly string[] = [
  'links',
  'blocklist',
  'first-comment',
  'pre-moderation',
  'too-fast',
  'akismet',
  'akismet-error',
  'reports',
];

const BUTTON_LABELS: Record<CommentButton, AdminKey> = {
  approve: 'action.approve',
  spam: 'action.spam',
  delete: 'action.delete',
  restore: 'action.restore',
  edit: 'action.edit',
  pin: 'action.pin',
  unpin: 'action.unpin',
  reply: 'action.reply',
  ban: 'action.ban',
};

/** The report reasons of the protocol, by their words' keys; another shows as its code. */
const REPORT_REASONS: readonly string[] = ['spam', 'abuse', 'off-topic', 'other'];

type Panel = 'edit' | 'reply' | 'ban' | null;

export function CommentItem({
  comment,
  store,
  actorIsToken,
  onAction,
}: {
  comment: AdminComment;
  store: CommentsStore;
  actorIsToken: boolean;
  /** Runs an action the way the keyboard does (keeping the focus in the list). */
  onAction: (comment: AdminComment, action: CommentAction) => void;
}) {
  const { t, parts, list, number } = useI18n();
  const [panel, setPanel] = useState<Panel>(null);
  const author = authorOf(comment, t);
  const key = keyOf(comment);
  const busy = store.busy.value.has(key);
  const selected = store.selected.value.has(key);
  const buttons = buttonsFor(comment);
  const titleId = `comment-${comment.threadId}-${comment.id}`.replace(/[^A-Za-z0-9_-]/g, '_');
  const threadUrl = safeUrl(comment.thread.url);
  const authorUrl = safeUrl(comment.author.url);
  const reasons = Object.entries(comment.reports.reasons).filter(([, n]) => n > 0);
  const openerRef = useRef<Record<string, HTMLButtonElement | null>>({});

  const close = (from: Panel) => {
    setPanel(null);
    // Back to the button that opened the panel.
    setTimeout(() => openerRef.current[from ?? '']?.focus(), 0);
  };

  return (
    <article
      class={`adm-comment adm-comment--${comment.status}${selected ? ' adm-comment--selected' : ''}`}
      data-comment-key={key}
      tabIndex={-1}
      aria-labelledby={titleId}
      aria-busy={busy ? 'true' : undefined}
    >
      <header class="adm-comment-head">
        <input
          type="checkbox"
          class="adm-check"
          checked={selected}
          aria-label={t('comment.select', { name: author })}
          onChange={(event) => store.toggle(comment, event.currentTarget.checked)}
        />
        <div class="adm-comment-who">
          <h2 id={titleId} class="adm-comment-author">
            {authorUrl ? (
              <a href={authorUrl} rel="nofollow noopener noreferrer" target="_blank">
                {author}
              </a>
            ) : (
              author
            )}
            {comment.author.role === 'moderator' ? <span class="adm-badge">{t('moderator')}</span> : null}
          </h2>
          <p class="adm-meta">
            <span class={`adm-state adm-state--${comment.status}`}>{t(STATUS_LABELS[comment.status])}</span>
            {comment.pinned ? <span class="adm-badge">{t('comment.pinned')}</span> : null}
            <Time iso={comment.createdAt} />
            {comment.editedAt ? <span>{t('comment.edited')}</span> : null}
            {comment.hasEmail ? null : <span>{t('comment.noEmail')}</span>}
          </p>
          <p class="adm-meta">
            <span>
              {parts('comment.on', {
                thread: threadUrl ? (
                  <a href={threadUrl} rel="noopener noreferrer" target="_blank">
                    {comment.thread.title || comment.threadId}
                  </a>
                ) : (
                  comment.thread.title || comment.threadId
                ),
              })}
            </span>
            {comment.parentId ? <span>{t('comment.isReply')}</span> : null}
          </p>
        </div>
      </header>

      {comment.holdReason ? (
        <p class="adm-hold">
          {HOLD_REASONS.includes(comment.holdReason)
            ? t(`hold.${comment.holdReason}` as AdminKey)
            : t('hold.other', { reason: comment.holdReason })}
        </p>
      ) : null}
      {comment.reports.count > 0 ? (
        <div class="adm-reports">
          <p>
            {reasons.length
              ? t('comment.reportedFor', {
                  count: comment.reports.count,
                  reasons: list(
                    reasons.map(
                      ([reason, n]) =>
                        `${REPORT_REASONS.includes(reason) ? t(`reason.${reason}` as AdminKey) : reason} ${number(n)}`,
                    ),
                  ),
                })
              : t('comment.reported', { count: comment.reports.count })}
          </p>
          {comment.reports.notes.length ? (
            <ul class="adm-notes" aria-label={t('comment.notes')}>
              {comment.reports.notes.map((note, at) => (
                <li key={at} dir="auto">
                  {note}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}

      {/* The reader's own text, in its own direction (Hebrew in an English dashboard, English in an Arabic one). */}
      {comment.body ? (
        <p class="adm-body" dir="auto">
          {comment.body}
        </p>
      ) : (
        <p class="adm-body adm-body--empty">{t('comment.noText')}</p>
      )}

      {panel === 'edit' ? (
        <TextForm
          label={t('edit.label', { name: author })}
          initial={comment.body}
          submitLabel={t('save')}
          busyLabel={t('saving')}
          onSubmit={(body) => store.edit(comment, body)}
          onDone={() => close('edit')}
        />
      ) : null}
      {panel === 'reply' ? (
        <TextForm
          label={t('reply.label', { name: author })}
          initial=""
          submitLabel={t('reply.send')}
          busyLabel={t('reply.sending')}
          askName={actorIsToken}
          onSubmit={(body, name) => store.reply(comment, body, name)}
          onDone={() => close('reply')}
        />
      ) : null}
      {panel === 'ban' ? <BanDialog comment={comment} store={store} onDone={() => close('ban')} /> : null}

      <div class="adm-actions" role="group" aria-label={t('comment.actions', { name: author })}>
        {buttons.map((button) => (
          <button
            key={button}
            type="button"
            ref={(element) => void (openerRef.current[button] = element)}
            class={`adm-button adm-button--small${button === 'delete' ? ' adm-button--danger' : ''}${button === 'approve' ? ' adm-button--primary' : ''}`}
            disabled={busy}
            aria-expanded={button === 'edit' || button === 'reply' || button === 'ban' ? panel === button : undefined}
            onClick={() => {
              if (button === 'edit' || button === 'reply' || button === 'ban') setPanel(panel === button ? null : button);
              else onAction(comment, button);
            }}
          >
            {t(BUTTON_LABELS[button])}
          </button>
        ))}
      </div>
    </article>
  );
}

function TextForm({
  label,
  initial,
  submitLabel,
  busyLabel,
  askName = false,
  onSubmit,
  onDone,
}: {
  label: string;
  initial: string;
  submitLabel: string;
  busyLabel: string;
  askName?: boolean;
  onSubmit: (body: string, name?: string) => Promise<string | null>;
  onDone: () => void;
}) {
  const { t } = useI18n();
  const [text, setText] = useState(initial);
  const [name, setName] = useState(t('moderator'));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const box = useRef<HTMLTextAreaElement>(null);
  useEffect(() => box.current?.focus(), []);

  async function submit(event: Event) {
    event.preventDefault();
    if (!text.trim()) return setError(t('form.empty'));
    setBusy(true);
    setError(null);
    const failure = await onSubmit(text, askName ? name.trim() || t('moderator') : undefined);
    setBusy(false);
    // On failure the text stays in the box, with the reason above the buttons.
    if (failure) setError(failure);
    else onDone();
  }

  return (
    <form class="adm-inline-form" aria-label={label} onSubmit={(event) => void submit(event)}>
      {askName ? (
        <p class="adm-field">
          <label>
            {t('reply.name')}
            <input value={name} onInput={(event) => setName(event.currentTarget.value)} autocomplete="off" />
          </label>
        </p>
      ) : null}
      <p class="adm-field">
        <label>
          {label}
          <textarea
            dir="auto"
            ref={box}
            rows={4}
            value={text}
            onInput={(event) => setText(event.currentTarget.value)}
            onKeyDown={(event) => {
              if (event.key === 'Escape' && !busy) {
                event.preventDefault();
                onDone();
              }
            }}
          />
        </label>
      </p>
      <Alert message={error} />
      <p class="adm-row">
        <button type="submit" class="adm-button adm-button--primary" disabled={busy}>
          {busy ? busyLabel : submitLabel}
        </button>
        <button type="button" class="adm-button" onClick={onDone} disabled={busy}>
          {t('cancel')}
        </button>
      </p>
    </form>
  );
}

function BanDialog({ comment, store, onDone }: { comment: AdminComment; store: CommentsStore; onDone: () => void }) {
  const { t } = useI18n();
  const [byEmail, setByEmail] = useState(comment.hasEmail);
  const [byAddress, setByAddress] = useState(true);
  const [duration, setDuration] = useState('7');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const emailBox = useRef<HTMLInputElement>(null);
  const addressBox = useRef<HTMLInputElement>(null);
  const id = `ban-${comment.threadId}-${comment.id}`.replace(/[^A-Za-z0-9_-]/g, '_');
  useEffect(() => (comment.hasEmail ? emailBox : addressBox).current?.focus(), []);

  async function submit(event: Event) {
    event.preventDefault();
    const kinds: BanKind[] = [...(byEmail ? (['email'] as const) : []), ...(byAddress ? (['client'] as const) : [])];
    if (kinds.length === 0) return setError(t('ban.choose'));
    setBusy(true);
    setError(null);
    const failure = await store.ban(comment, { kinds, days: duration === 'forever' ? null : Number(duration), note });
    setBusy(false);
    if (failure) setError(failure);
    else onDone();
  }

  return (
    <div
      class="adm-dialog"
      role="dialog"
      aria-labelledby={`${id}-title`}
      onKeyDown={(event) => {
        if (event.key === 'Escape' && !busy) {
          event.preventDefault();
          event.stopPropagation();
          onDone();
        }
      }}
    >
      <h3 id={`${id}-title`}>{t('ban.title', { name: authorOf(comment, t) })}</h3>
      <form onSubmit={(event) => void submit(event)}>
        <fieldset>
          <legend>{t('ban.by')}</legend>
          <label class="adm-choice">
            <input
              ref={emailBox}
              type="checkbox"
              checked={byEmail}
              disabled={!comment.hasEmail}
              onChange={(event) => setByEmail(event.currentTarget.checked)}
            />
            {t(comment.hasEmail ? 'ban.email' : 'ban.emailNone')}
          </label>
          <label class="adm-choice">
            <input
              ref={addressBox}
              type="checkbox"
              checked={byAddress}
              onChange={(event) => setByAddress(event.currentTarget.checked)}
            />
            {t('ban.client')}
          </label>
        </fieldset>
        <p class="adm-field">
          <label for={`${id}-duration`}>{t('ban.duration')}</label>
          <select id={`${id}-duration`} value={duration} onChange={(event) => setDuration(event.currentTarget.value)}>
            {DURATIONS.map((days) => (
              <option key={String(days)} value={days === null ? 'forever' : String(days)}>
                {days === null ? t('ban.forever') : t('ban.days', { count: days })}
              </option>
            ))}
          </select>
        </p>
        <p class="adm-field">
          <label for={`${id}-note`}>{t('ban.note')}</label>
          <input id={`${id}-note`} value={note} maxLength={500} onInput={(event) => setNote(event.currentTarget.value)} />
        </p>
        <Alert message={error} />
        <p class="adm-row">
          <button type="submit" class="adm-button adm-button--danger" disabled={busy}>
            {busy ? t('ban.busy') : t('ban.submit')}
          </button>
          <button type="button" class="adm-button" onClick={onDone} disabled={busy}>
            {t('cancel')}
          </button>
        </p>
      </form>
    </div>
  );
}
