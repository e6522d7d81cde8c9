// The report dialog: a reason (radio buttons) and an optional note, sent as this reader. A
// native modal <dialog>: focus moves into it, Escape closes it, and focus goes back to the
// Report button. Loaded on demand (a part, see load-part.ts), so it imports nothing at run time:
// Preact comes from the bundle that opens it (`deps`), and so do the strings, store and error
// words (`widget`). Its English travels with it; locales translate the same keys.
import type { ConfabError } from '../errors';
import type { ReportReason } from '../types';
import type { WidgetContextValue } from './context';
import type { errorText as ErrorText } from './error-text';
import type { PartDeps } from './load-part';

/** English, for the keys a locale (or a site's messages) does not translate. */
export const enReport = {
  'report.title': 'Report this comment',
  'report.reason': 'Reason',
  'report.spam': 'Spam',
  'report.abuse': 'Abuse',
  'report.off-topic': 'Off-topic',
  'report.other': 'Other',
  'report.note': 'Note for the moderators (optional)',
  'report.send': 'Send report',
  'report.sending': 'Sending…',
  'report.failed': 'Your report was not sent.',
  'report.thanks': 'Thanks, a moderator will look at it.',
  'report.close': 'Close',
};
export type ReportKey = keyof typeof enReport;

const REASONS: ReportReason[] = ['spam', 'abuse', 'off-topic', 'other'];
/** The protocol's limit for a note. */
export const MAX_NOTE = 500;

export interface ReportDialogProps {
  widget: WidgetContextValue;
  /** The comment reported. */
  id: string;
  errorText: typeof ErrorText;
  /** After the dialog closed (by Escape, Cancel or Close). */
  onClose: () => void;
}

/** The dialog component, on the given Preact (plain jsx() calls: JSX would import Preact itself). */
export function reportDialog([h, , useEffect, useRef, useState]: PartDeps) {
  return function ReportDialog({ widget, id, errorText, onClose }: ReportDialogProps) {
    const { t, store } = widget;
    // The locale's words, else the English that came with this file.
    const tr = (key: ReportKey) => t(key) || enReport[key];
    const ref = useRef<HTMLDialogElement>(null);
    const [reason, setReason] = useState<ReportReason | null>(null);
    const [note, setNote] = useState('');
    const [state, setState] = useState<'idle' | 'sending' | 'sent'>('idle');
    const [error, setError] = useState<ConfabError | null>(null);
    const close = () => ref.current?.close();

    useEffect(() => {
      ref.current?.showModal();
      // Where browsers put it too; said here for the ones that keep focus on the page.
      ref.current?.querySelector('input')?.focus();
    }, []);
    useEffect(() => {
      // After sending, the thanks take the form's place: focus goes to Close.
      if (state === 'sent') ref.current?.querySelector('button')?.focus();
    }, [state]);

    const send = async () => {
      if (!reason || state === 'sending') return;
      setState('sending');
      const trimmed = note.trim();
      try {
        await store.report(id, trimmed ? { reason, note: trimmed } : { reason });
        setState('sent');
      } catch (failure) {
        setError(failure as ConfabError);
        setState('idle');
      }
    };

    const titleId = `confab-report-${id}`;
    const button = (label: string, onClick?: () => void, primary?: boolean) =>
      h('button', {
        type: onClick ? 'button' : 'submit',
        class: primary ? 'confab-button confab-button--primary' : 'confab-button',
        disabled: primary && state === 'sending',
        onClick,
        children: label,
      });
    const form = h('form', {
      class: 'confab-form',
      onSubmit: (event: Event) => {
        event.preventDefault();
        void send();
      },
      children: [
        h('fieldset', {
          style: { border: 0, padding: 0, margin: 0 },
          children: [
            h('legend', { children: tr('report.reason') }),
            ...REASONS.map((value) =>
              h(
                'label',
                {
                  style: { display: 'block' },
                  children: [
                    h('input', {
                      type: 'radio',
                      name: 'reason',
                      value,
                      checked: reason === value,
                      required: true,
                      onChange: () => setReason(value),
                    }),
                    ' ',
                    tr(`report.${value}`),
                  ],
                },
                value,
              ),
            ),
          ],
        }),
        h('div', {
          class: 'confab-field',
          children: [
            h('label', { for: `${titleId}-note`, children: tr('report.note') }),
            h('textarea', {
              id: `${titleId}-note`,
              rows: 3,
              maxLength: MAX_NOTE,
              value: note,
              readOnly: state === 'sending',
              onInput: (event: Event) => setNote((event.currentTarget as HTMLTextAreaElement).value),
            }),
          ],
        }),
        error &&
          h('p', {
            class: 'confab-notice confab-notice--error',
            role: 'alert',
            children: `${tr('report.failed')} ${errorText(t, error)}`,
          }),
        h('div', {
          class: 'confab-form-actions',
          children: [
            button(state === 'sending' ? tr('report.sending') : tr('report.send'), undefined, true),
            button(t('comment.cancel'), close),
          ],
        }),
      ],
    });
    const thanks = h('div', {
      children: [
        h('p', { role: 'status', children: tr('report.thanks') }),
        h('div', { class: 'confab-form-actions', children: button(tr('report.close'), close) }),
      ],
    });
    return h('dialog', {
      ref: ref as never, // jsx() types a ref for any element at once
      class: 'confab-dialog',
      'aria-labelledby': titleId,
      onClose,
      // Browsers close a modal dialog on Escape themselves; this is for the ones that do not.
      onKeyDown: (event: KeyboardEvent) => {
        if (event.key !== 'Escape') return;
        event.preventDefault();
        close();
      },
      // CSSOM, not a style attribute: a strict style-src CSP allows it. The widget's tokens reach
      // the dialog (it sits inside the widget's container); the widget's CSS does not know it.
      style: {
        color: 'var(--_text)',
        background: 'var(--_surface)',
        border: '1px solid var(--_border)',
        borderRadius: 'var(--_radius)',
        padding: 'calc(2 * var(--_space))',
        width: 'min(440px, calc(100% - 32px))',
      },
      children: [
        h('h3', { id: titleId, style: { margin: '0 0 var(--_space)' }, children: tr('report.title') }),
        state === 'sent' ? thanks : form,
      ],
    });
  };
}

/**
 * Shows the dialog for comment `id` inside the widget's container (its tokens, language and
 * direction apply), then puts focus back on `button`. One dialog at a time per widget.
 */
export function openReportDialog(
  deps: PartDeps,
  widget: WidgetContextValue,
  id: string,
  button: HTMLElement,
  errorText: typeof ErrorText,
) {
  // The widget's container (mount() makes it); the thread's parent, or the button's, elsewhere.
  const container = button.closest('.confab') ?? button.closest('.confab-thread')?.parentElement ?? button.parentElement;
  if (!container || container.querySelector('.confab-dialog')) return;
  const host = document.createElement('div');
  container.append(host);
  const [jsx, render] = deps;
  const onClose = () => {
    render(null, host);
    host.remove();
    button.focus();
  };
  render(jsx(reportDialog(deps), { widget, id, errorText, onClose }), host);
}
