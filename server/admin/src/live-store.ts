// The counts in the navigation and the page title, kept current by the event stream, and the
// new pending and reported comments it announces, handed to whoever listens (the open view).
import { computed, signal } from '@preact/signals';
import type { Api } from './api';
import { ENGLISH, type Translate } from './i18n/i18n';
import type { AdminComment, Counts, View } from './types';

/** The page's title: the pending count first, when there are any. */
export function titleFor(counts: Counts | null, t: Translate = ENGLISH.t): string {
  return counts && counts.pending > 0 ? t('app.titlePending', { count: counts.pending }) : t('app.title');
}

/** Whether a comment belongs in a view's list (after an action, or when announced). */
export function belongsTo(view: View, comment: AdminComment): boolean {
  switch (view) {
    case 'pending':
      return comment.status === 'pending';
    case 'reported':
      return comment.reports.count > 0 && (comment.status === 'published' || comment.status === 'pending');
    case 'spam':
      return comment.status === 'spam';
    case 'all':
      return true;
  }
}

export const keyOf = (comment: Pick<AdminComment, 'threadId' | 'id'>) => `${comment.threadId}\n${comment.id}`;

/**
 * A list with an announced comment in it: a comment already shown is brought up to date in its
 * place; a new one that belongs to the view comes first (the lists are newest first). A
 * filtered list (a search) takes no new comments: they may not match the search.
 */
export function mergeIncoming(
  view: View,
  list: readonly AdminComment[],
  comment: AdminComment,
  filtered: boolean,
): AdminComment[] {
  const key = keyOf(comment);
  const at = list.findIndex((c) => keyOf(c) === key);
  if (at >= 0) return list.map((c, i) => (i === at ? comment : c));
  if (filtered || !belongsTo(view, comment)) return list as AdminComment[];
  return [comment, ...list];
}

const RETRY_MS = 10_000;

export function createLiveStore(api: Api, { retryMs = RETRY_MS, t = ENGLISH.t }: { retryMs?: number; t?: Translate } = {}) {
  const counts = signal<Counts | null>(null);
  const connected = signal(false);
  const listeners = new Set<(comment: AdminComment) => void>();
  let close: (() => void) | null = null;
  let retry: ReturnType<typeof setTimeout> | null = null;

  async function refresh() {
    try {
      counts.value = await api.counts();
    } catch {
      // The counts stay as they were; a 401 has already sent the page to the sign-in screen.
    }
  }

  function open() {
    close = api.events({
      counts(next) {
        connected.value = true;
        counts.value = next;
      },
      comment(comment) {
        for (const listener of listeners) listener(comment);
      },
      error(closed) {
        connected.value = false;
        if (!closed) return; // the browser reconnects on its own
        // The browser gave up (the server refused, maybe the session ended): ask for the counts
        // (a 401 there signs out), then try again a little later.
        close?.();
        close = null;
        void refresh();
        retry = setTimeout(() => {
          retry = null;
          if (!close) open();
        }, retryMs);
      },
    });
  }

  return {
    counts,
    connected,
    title: computed(() => titleFor(counts.value, t)),
    refresh,
    start() {
      if (close) return;
      void refresh();
      open();
    },
    stop() {
      close?.();
      close = null;
      if (retry) clearTimeout(retry);
      retry = null;
      connected.value = false;
    },
    /** Listens for announced comments; returns the function that stops listening. */
    onComment(listener: (comment: AdminComment) => void): () => void {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}

export type LiveStore = ReturnType<typeof createLiveStore>;
