// Pending, Reported, Spam and All comments: the list of one view with its bulk bar, the search
// (All comments), Load more, and the comment shortcuts (j/k, a, s, d, x).
import { useEffect, useRef, useState } from 'preact/hooks';
import type { App } from '../app-store';
import { buttonsFor, type CommentsStore } from '../comments-store';
import { useI18n, type AdminKey } from '../i18n/i18n';
import { focusedComment, installShortcuts, moveFocus, COMMENT_SELECTOR } from '../keyboard';
import { keyOf } from '../live-store';
import { EMPTY_FILTERS, type AdminComment, type BulkAction, type CommentAction, type CommentFilters, type View } from '../types';
import { CommentItem } from './CommentItem';
import { Alert, LoadMore, Status, ViewHeading } from './common';

export const VIEW_TITLES: Record<View, AdminKey> = {
  pending: 'view.pending',
  reported: 'view.reported',
  spam: 'view.spam',
  all: 'view.all',
};

const EMPTY: Record<View, AdminKey> = {
  pending: 'comments.empty.pending',
  reported: 'comments.empty.reported',
  spam: 'comments.empty.spam',
  all: 'comments.empty.all',
};

export function CommentsView({ app, store, thread = '' }: { app: App; store: CommentsStore; thread?: string }) {
  const { t } = useI18n();
  const list = useRef<HTMLDivElement>(null);
  const actorIsToken = app.session.actor.value?.kind === 'token';

  useEffect(() => {
    if (store.view === 'all' && thread !== store.filters.peek().thread) void store.search({ ...store.filters.peek(), thread });
    else void store.load();
  }, [store, thread]);

  /** Runs an action; when its comment leaves the list, the focus goes to the one now in its place. */
  async function act(comment: AdminComment, action: CommentAction) {
    const container = list.current;
    const before = container ? [...container.querySelectorAll(COMMENT_SELECTOR)] : [];
    const at = before.findIndex((element) => element.getAttribute('data-comment-key') === keyOf(comment));
    const hadFocus = container?.contains(document.activeElement) ?? false;
    await store.act(comment, action);
    setTimeout(() => {
      if (!container || !hadFocus || container.contains(document.activeElement)) return;
      const items = [...container.querySelectorAll<HTMLElement>(COMMENT_SELECTOR)];
      const next = items[Math.min(at, items.length - 1)];
      if (next) next.focus();
      else document.getElementById('view-title')?.focus();
    }, 0);
  }

  useEffect(
    () =>
      installShortcuts(document, (shortcut, event) => {
        const container = list.current;
        if (!container || app.help.peek()) return false;
        if ((event.target as Element | null)?.closest?.('[role="dialog"], [role="alertdialog"]')) return false;
        if (shortcut === 'next' || shortcut === 'previous') return moveFocus(container, shortcut === 'next' ? 1 : -1) !== null;
        if (shortcut !== 'approve' && shortcut !== 'spam' && shortcut !== 'delete' && shortcut !== 'select') return false;
        const key = focusedComment(container)?.getAttribute('data-comment-key');
        const comment = store.comments.peek().find((c) => keyOf(c) === key);
        if (!comment) return false;
        if (shortcut === 'select') {
          store.toggle(comment);
          return true;
        }
        if (!buttonsFor(comment).includes(shortcut) || store.busy.peek().has(keyOf(comment))) {
          store.notice.value = t('comments.unavailable', { action: t(`action.${shortcut}`) });
          return true;
        }
        void act(comment, shortcut);
        return true;
      }),
    [store, t],
  );

  const comments = store.comments.value;
  const empty = store.loaded.value && comments.length === 0 && !store.loading.value;

  return (
    <>
      <ViewHeading>{t(VIEW_TITLES[store.view])}</ViewHeading>
      {store.view === 'all' ? <SearchForm store={store} /> : null}
      <Status message={store.notice.value} />
      <Alert message={store.error.value} />
      {comments.length > 0 ? <BulkBar store={store} /> : null}
      <div ref={list} class="adm-list">
        {comments.map((comment) => (
          <CommentItem
            key={keyOf(comment)}
            comment={comment}
            store={store}
            actorIsToken={actorIsToken}
            onAction={(c, a) => void act(c, a)}
          />
        ))}
      </div>
      {empty ? <p class="adm-empty">{store.filtered.value ? t('comments.noMatch') : t(EMPTY[store.view])}</p> : null}
      {!store.loaded.value && store.loading.value ? <p class="adm-empty">{t('loading')}</p> : null}
      <LoadMore show={store.nextCursor.value !== null} loading={store.loading.value} onClick={() => void store.loadMore()} />
    </>
  );
}

function BulkBar({ store }: { store: CommentsStore }) {
  const { t } = useI18n();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const confirmButton = useRef<HTMLButtonElement>(null);
  const count = store.selectedComments.value.length;
  const total = store.comments.value.length;
  const all = count > 0 && count === total;
  const selectAll = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (selectAll.current) selectAll.current.indeterminate = count > 0 && !all;
  }, [count, all]);
  useEffect(() => {
    if (confirming) confirmButton.current?.focus();
  }, [confirming]);
  useEffect(() => {
    if (count === 0) setConfirming(false);
  }, [count]);

  async function run(action: BulkAction) {
    setBusy(true);
    setConfirming(false);
    await store.bulk(action);
    setBusy(false);
  }

  const actions: BulkAction[] = store.view === 'spam' ? ['approve', 'delete'] : ['approve', 'spam', 'delete'];
  const names: Record<BulkAction, AdminKey> = { approve: 'bulk.approve', spam: 'bulk.spam', delete: 'bulk.delete' };

  return (
    <div class="adm-bulk" role="group" aria-label={t('bulk.label')}>
      <label class="adm-choice">
        <input ref={selectAll} type="checkbox" checked={all} onChange={(event) => store.selectAll(event.currentTarget.checked)} />
        {t('bulk.selectAll')}
      </label>
      <span class="adm-bulk-count">{count === 0 ? t('bulk.none') : t('bulk.count', { count })}</span>
      {actions.map((action) => (
        <button
          key={action}
          type="button"
          class={`adm-button adm-button--small${action === 'delete' ? ' adm-button--danger' : ''}`}
          disabled={count === 0 || busy}
          onClick={() => (action === 'delete' ? setConfirming(true) : void run(action))}
        >
          {t(names[action])}
        </button>
      ))}
      {confirming ? (
        <div class="adm-confirm" role="alertdialog" aria-labelledby="bulk-delete-question">
          <p id="bulk-delete-question">{t('bulk.confirm', { count })}</p>
          <p class="adm-row">
            <button ref={confirmButton} type="button" class="adm-button adm-button--danger" onClick={() => void run('delete')}>
              {t('bulk.confirmButton', { count })}
            </button>
            <button type="button" class="adm-button" onClick={() => setConfirming(false)}>
              {t('cancel')}
            </button>
          </p>
        </div>
      ) : null}
    </div>
  );
}

function SearchForm({ store }: { store: CommentsStore }) {
  const { t } = useI18n();
  const [draft, setDraft] = useState<CommentFilters>(store.filters.value);
  // A search set from outside (a thread's "Show its comments") shows in the fields.
  useEffect(() => setDraft(store.filters.value), [store.filters.value]);
  const field = (key: keyof CommentFilters, label: string, type = 'search') => (
    <p class="adm-field">
      <label for={`search-${key}`}>{label}</label>
      <input
        id={`search-${key}`}
        type={type}
        value={draft[key]}
        onInput={(event) => setDraft({ ...draft, [key]: event.currentTarget.value })}
      />
    </p>
  );
  return (
    <div role="search" class="adm-search">
      <form
        aria-label={t('search.label')}
        onSubmit={(event) => {
          event.preventDefault();
          void store.search(draft);
        }}
      >
        <div class="adm-search-fields">
          {field('q', t('search.text'))}
          {field('author', t('search.author'))}
          {field('email', t('email'), 'email')}
          {field('thread', t('search.thread'))}
        </div>
        <p class="adm-row">
          <button type="submit" class="adm-button adm-button--primary">
            {t('search')}
          </button>
          {store.filtered.value ? (
            <button
              type="button"
              class="adm-button"
              onClick={() => {
                setDraft(EMPTY_FILTERS);
                void store.search(EMPTY_FILTERS);
              }}
            >
              {t('search.clear')}
            </button>
          ) : null}
        </p>
      </form>
    </div>
  );
}
