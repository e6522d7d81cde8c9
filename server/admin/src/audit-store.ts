// The Audit log view: who did what, when, with the fields before and after; newest first.
import { signal } from '@preact/signals';
import type { Api } from './api';
import type { Translate } from './i18n/i18n';
import { createPagedList } from './paged-list';
import type { AuditEntry } from './types';

export function createAuditStore(api: Api, t: Translate) {
  const error = signal<string | null>(null);
  const list = createPagedList(
    (cursor) => api.audit(cursor),
    (entry: AuditEntry) => entry.id,
    { error, t },
  );
  const { items: entries, nextCursor, loading, loaded, load, loadMore } = list;
  return { entries, nextCursor, loading, loaded, error, load, loadMore };
}

export type AuditStore = ReturnType<typeof createAuditStore>;
