// The Audit log: who did what and when, with the changed fields before and after.
import { useEffect } from 'preact/hooks';
import type { AuditStore } from '../audit-store';
import { actorName } from '../session-store';
import type { AuditEntry } from '../types';
import { Alert, LoadMore, Time, ViewHeading } from './common';

const ACTIONS: Record<string, string> = {
  approve: 'approved a comment',
  spam: 'marked a comment as spam',
  delete: 'deleted a comment',
  restore: 'restored a comment',
  edit: 'edited a comment',
  pin: 'pinned a comment',
  unpin: 'unpinned a comment',
  reply: 'replied',
  lock: 'locked a thread',
  unlock: 'unlocked a thread',
  ban: 'banned an author',
  unban: 'lifted a ban',
  'moderator.add': 'added a moderator',
  'moderator.remove': 'removed a moderator',
  'reports.hold': 'held a comment after reports',
};

const show = (value: unknown) => (value === undefined ? '—' : typeof value === 'string' ? value : JSON.stringify(value));

function Changes({ entry }: { entry: AuditEntry }) {
  const keys = [...new Set([...Object.keys(entry.before ?? {}), ...Object.keys(entry.after ?? {})])];
  if (keys.length === 0) return null;
  return (
    <dl class="adm-changes">
      {keys.map((key) => (
        <div key={key} class="adm-change">
          <dt>{key}</dt>
          <dd>
            <span class="adm-before">
              <span class="adm-label">Before: </span>
              {show(entry.before?.[key])}
            </span>
            <span class="adm-after">
              <span class="adm-label">After: </span>
              {show(entry.after?.[key])}
            </span>
          </dd>
        </div>
      ))}
    </dl>
  );
}

export function AuditView({ store }: { store: AuditStore }) {
  useEffect(() => void store.load(), [store]);
  const entries = store.entries.value;
  return (
    <>
      <ViewHeading>Audit log</ViewHeading>
      <Alert message={store.error.value} />
      <ol class="adm-cards" aria-label="Audit log entries">
        {entries.map((entry) => (
          <li key={entry.id} class="adm-card">
            <p>
              <strong>{actorName(entry.actor)}</strong> {ACTIONS[entry.action] ?? entry.action}
            </p>
            <p class="adm-meta">
              <Time iso={entry.at} />
              {entry.threadId ? <span>Thread {entry.threadId}</span> : null}
              {entry.commentId ? <span>Comment {entry.commentId}</span> : null}
            </p>
            <Changes entry={entry} />
          </li>
        ))}
      </ol>
      {store.loaded.value && entries.length === 0 ? <p class="adm-empty">Nothing has been done yet.</p> : null}
      {!store.loaded.value && store.loading.value ? <p class="adm-empty">Loading…</p> : null}
      <LoadMore show={store.nextCursor.value !== null} loading={store.loading.value} onClick={() => void store.loadMore()} />
    </>
  );
}
