// The Audit log: who did what and when, with the changed fields before and after.
import { useEffect } from 'preact/hooks';
import type { AuditStore } from '../audit-store';
import { useI18n, type AdminKey } from '../i18n/i18n';
import { actorName } from '../session-store';
import type { AuditEntry } from '../types';
import { Alert, LoadMore, Time, ViewHeading } from './common';

/** The actions the log names in words (`audit.<action>`); another shows as its code. */
const ACTIONS: readonly string[] = [
  'approve',
  'spam',
  'delete',
  'restore',
  'edit',
  'pin',
  'unpin',
  'reply',
  'lock',
  'unlock',
  'ban',
  'unban',
  'moderator.add',
  'moderator.remove',
  'reports.hold',
];

const show = (value: unknown) => (value === undefined ? '—' : typeof value === 'string' ? value : JSON.stringify(value));

function Changes({ entry }: { entry: AuditEntry }) {
  const { t } = useI18n();
  const keys = [...new Set([...Object.keys(entry.before ?? {}), ...Object.keys(entry.after ?? {})])];
  if (keys.length === 0) return null;
  return (
    <dl class="adm-changes">
      {keys.map((key) => (
        <div key={key} class="adm-change">
          <dt>{key}</dt>
          <dd>
            <span class="adm-before">
              <span class="adm-label">{t('audit.before')} </span>
              {show(entry.before?.[key])}
            </span>
            <span class="adm-after">
              <span class="adm-label">{t('audit.after')} </span>
              {show(entry.after?.[key])}
            </span>
          </dd>
        </div>
      ))}
    </dl>
  );
}

export function AuditView({ store }: { store: AuditStore }) {
  const { t, parts } = useI18n();
  useEffect(() => void store.load(), [store]);
  const entries = store.entries.value;
  return (
    <>
      <ViewHeading>{t('view.audit')}</ViewHeading>
      <Alert message={store.error.value} />
      <ol class="adm-cards" aria-label={t('audit.entries')}>
        {entries.map((entry) => (
          <li key={entry.id} class="adm-card">
            <p>
              {ACTIONS.includes(entry.action) ? (
                parts(`audit.${entry.action}` as AdminKey, { actor: <strong>{actorName(entry.actor, t)}</strong> })
              ) : (
                <>
                  <strong>{actorName(entry.actor, t)}</strong> {entry.action}
                </>
              )}
            </p>
            <p class="adm-meta">
              <Time iso={entry.at} />
              {entry.threadId ? <span>{t('audit.thread', { id: entry.threadId })}</span> : null}
              {entry.commentId ? <span>{t('audit.comment', { id: entry.commentId })}</span> : null}
            </p>
            <Changes entry={entry} />
          </li>
        ))}
      </ol>
      {store.loaded.value && entries.length === 0 ? <p class="adm-empty">{t('audit.empty')}</p> : null}
      {!store.loaded.value && store.loading.value ? <p class="adm-empty">{t('loading')}</p> : null}
      <LoadMore show={store.nextCursor.value !== null} loading={store.loading.value} onClick={() => void store.loadMore()} />
    </>
  );
}
