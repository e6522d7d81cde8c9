// Small pieces every view uses: times, links to untrusted addresses, the alert and status lines.
import type { JSX } from 'preact';
import { useI18n } from '../i18n/i18n';

/** Only http(s) addresses become links: a comment's or thread's URL comes from the public. */
export function safeUrl(url: string | null): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : null;
  } catch {
    return null;
  }
}

/** A date and time in the dashboard's language. */
export function Time({ iso }: { iso: string }) {
  return <time dateTime={iso}>{useI18n().date(iso)}</time>;
}

/** A failure a person must see: announced at once. */
export function Alert({ message }: { message: string | null }) {
  return message ? (
    <p role="alert" class="adm-alert">
      {message}
    </p>
  ) : null;
}

/** What just happened ("Approved: comment by Ann"), announced politely. Always in the page, so
 *  screen readers notice when its text changes. */
export function Status({ message }: { message: string | null }) {
  return (
    <p role="status" class="adm-status">
      {message ?? ''}
    </p>
  );
}

export function LoadMore({ show, loading, onClick }: { show: boolean; loading: boolean; onClick: () => void }) {
  const { t } = useI18n();
  if (!show) return null;
  return (
    <p class="adm-more">
      <button type="button" class="adm-button" onClick={onClick} disabled={loading}>
        {loading ? t('loading') : t('loadMore')}
      </button>
    </p>
  );
}

export function ViewHeading({ children, id = 'view-title' }: { children: JSX.Element | string; id?: string }) {
  return (
    <h1 id={id} tabIndex={-1} class="adm-title">
      {children}
    </h1>
  );
}
