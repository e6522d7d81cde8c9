// One comment view's state (Pending, Reported, Spam, All comments): the loaded pages, the
// search, the selection, and every action on its comments. Actions answer with the comment as
// the server now has it; one that no longer belongs in a queue leaves it.
import { batch, computed, signal } from '@preact/signals';
import { BULK_LIMIT, messageOf, type Api } from './api';
import { ENGLISH, type AdminKey, type Translate } from './i18n/i18n';
import { belongsTo, keyOf, mergeIncoming } from './live-store';
import { createPagedList } from './paged-list';
import {
  EMPTY_FILTERS,
  type AdminComment,
  type BanKind,
  type BulkAction,
  type CommentAction,
  type CommentFilters,
  type View,
} from './types';

export const PAGE_SIZE = 50;

const DONE: Record<CommentAction, AdminKey> = {
  approve: 'done.approve',
  spam: 'done.spam',
  delete: 'done.delete',
  restore: 'done.restore',
  pin: 'done.pin',
  unpin: 'done.unpin',
};

const BULK_DONE: Record<BulkAction, AdminKey> = { approve: 'bulk.approved', spam: 'bulk.spammed', delete: 'bulk.deleted' };

export type CommentButton = CommentAction | 'edit' | 'reply' | 'ban';

/** The buttons that make sense for a comment in its status. */
export function buttonsFor(comment: AdminComment): CommentButton[] {
  switch (comment.status) {
    case 'pending':
      return ['approve', 'spam', 'delete', 'edit', 'ban'];
    case 'published':
      return [
        ...(comment.reports.count > 0 ? (['approve'] as const) : []),
        'spam',
        'delete',
        'edit',
        ...(comment.parentId === null ? [comment.pinned ? ('unpin' as const) : ('pin' as const)] : []),
        'reply',
        'ban',
      ];
    case 'spam':
      return ['restore', 'delete', 'ban'];
    case 'deleted':
      return ['restore'];
  }
}

/** A ban's lengths, in days (null: for ever). */
export const DURATIONS: (number | null)[] = [1, 7, 30, null];

/** A comment's author as the dashboard names them (Guest without a name). */
export const authorOf = (comment: AdminComment, t: Translate) => comment.author.name || t('guest');

export function createCommentsStore(
  api: Api,
  view: View,
  { onChange, t = ENGLISH.t }: { onChange?: () => void; t?: Translate } = {},
) {
  const error = signal<string | null>(null);
  const notice = signal<string | null>(null);
  const filters = signal<CommentFilters>(EMPTY_FILTERS);
  const selected = signal<ReadonlySet<string>>(new Set());
  const busy = signal<ReadonlySet<string>>(new Set());
  const list = createPagedList((cursor) => api.comments(view, filters.peek(), cursor, PAGE_SIZE), keyOf, {
    error,
    t,
    onReset: () => (selected.value = new Set()),
  });
  const { items: comments, nextCursor, loading, loaded, load } = list;

  const filtered = computed(() => Object.values(filters.value).some((value) => value.trim() !== ''));
  const selectedComments = computed(() => comments.value.filter((c) => selected.value.has(keyOf(c))));

  function setBusy(key: string, on: boolean) {
    const next = new Set(busy.peek());
    if (on) next.add(key);
    else next.delete(key);
    busy.value = next;
  }

  /** The comment as the server now has it: in place, or out of a queue it left. */
  function update(comment: AdminComment) {
    const key = keyOf(comment);
    batch(() => {
      comments.value = belongsTo(view, comment)
        ? comments.peek().map((c) => (keyOf(c) === key ? comment : c))
        : comments.peek().filter((c) => keyOf(c) !== key);
      if (!belongsTo(view, comment) && selected.peek().has(key)) {
        const next = new Set(selected.peek());
        next.delete(key);
        selected.value = next;
      }
    });
  }

  async function run<T>(key: string, work: () => Promise<T>): Promise<T | { failed: string }> {
    setBusy(key, true);
    error.value = null;
    try {
      return await work();
    } catch (failure) {
      return { failed: messageOf(failure, t) };
    } finally {
      setBusy(key, false);
    }
  }

  const failed = (value: unknown): value is { failed: string } =>
    typeof value === 'object' && value !== null && 'failed' in value && typeof (value as { failed: unknown }).failed === 'string';

  return {
    view,
    comments,
    nextCursor,
    loading,
    loaded,
    error,
    notice,
    filters,
    filtered,
    selected,
    selectedComments,
    busy,
    load,
    loadMore: list.loadMore,
    search(next: CommentFilters) {
      filters.value = next;
      return load();
    },

    /** Approve, Spam, Delete, Restore, Pin, Unpin. Failures show in `error`. */
    async act(comment: AdminComment, action: CommentAction): Promise<boolean> {
      const result = await run(keyOf(comment), () => api.act(comment, action));
      if (failed(result)) {
        error.value = result.failed;
        return false;
      }
      update(result);
      notice.value = t(DONE[action], { name: authorOf(comment, t) });
      onChange?.();
      return true;
    },

    /** Edit and Reply answer with the error for their form (which keeps the text), or null. */
    async edit(comment: AdminComment, body: string): Promise<string | null> {
      const result = await run(keyOf(comment), () => api.edit(comment, body));
      if (failed(result)) return result.failed;
      update(result);
      notice.value = t('done.edit', { name: authorOf(comment, t) });
      return null;
    },

    async reply(comment: AdminComment, body: string, name?: string): Promise<string | null> {
      const result = await run(keyOf(comment), () => api.reply(comment, body, name));
      if (failed(result)) return result.failed;
      const at = comments.peek().findIndex((c) => keyOf(c) === keyOf(comment));
      if (belongsTo(view, result) && at >= 0 && !filtered.peek()) {
        comments.value = [...comments.peek().slice(0, at), result, ...comments.peek().slice(at)];
      }
      notice.value = t('done.reply', { name: authorOf(comment, t) });
      return null;
    },

    async ban(comment: AdminComment, input: { kinds: BanKind[]; days: number | null; note: string }): Promise<string | null> {
      const result = await run(keyOf(comment), () => api.ban({ threadId: comment.threadId, commentId: comment.id, ...input }));
      if (failed(result)) return result.failed;
      const name = authorOf(comment, t);
      notice.value = input.days === null ? t('done.banForever', { name }) : t('done.ban', { name, count: input.days });
      return null;
    },

    toggle(comment: AdminComment, on = !selected.peek().has(keyOf(comment))) {
      const next = new Set(selected.peek());
      if (on) next.add(keyOf(comment));
      else next.delete(keyOf(comment));
      selected.value = next;
    },

    selectAll(on: boolean) {
      selected.value = on ? new Set(comments.peek().map(keyOf)) : new Set();
    },

    /** Approve, Spam or Delete the selected comments, 100 a request. */
    async bulk(action: BulkAction): Promise<boolean> {
      const targets = selectedComments.peek();
      if (targets.length === 0) return false;
      error.value = null;
      let done = 0;
      try {
        for (let at = 0; at < targets.length; at += BULK_LIMIT) {
          const answered = await api.bulk(action, targets.slice(at, at + BULK_LIMIT));
          batch(() => answered.forEach(update));
          done += answered.length;
        }
      } catch (failure) {
        // What was done is shown done (and out of a queue); the rest stays selected to try again.
        error.value = done > 0 ? `${messageOf(failure, t)} ${t('bulk.partial', { count: done })}` : messageOf(failure, t);
        onChange?.();
        return false;
      }
      selected.value = new Set();
      notice.value = t(BULK_DONE[action], { count: done });
      onChange?.();
      return true;
    },

    /** A comment the event stream announced. */
    receive(comment: AdminComment) {
      if (!loaded.peek()) return;
      comments.value = mergeIncoming(view, comments.peek(), comment, filtered.peek());
    },
  };
}

export type CommentsStore = ReturnType<typeof createCommentsStore>;
