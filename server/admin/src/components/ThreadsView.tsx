// The Threads view: each thread's counts and latest comment, a link to its comments, Lock/Unlock.
import { useEffect, useState } from 'preact/hooks';
import { useI18n } from '../i18n/i18n';
import { hrefOf, type Router } from '../router';
import type { ThreadsStore } from '../threads-store';
import { Alert, LoadMore, safeUrl, Status, Time, ViewHeading } from './common';

export function ThreadsView({ store, router }: { store: ThreadsStore; router: Router }) {
  const { t, parts } = useI18n();
  const [query, setQuery] = useState(store.query.peek());
  useEffect(() => void store.load(), [store]);
  const threads = store.threads.value;
  return (
    <>
      <ViewHeading>{t('view.threads')}</ViewHeading>
      <div role="search" class="adm-search">
        <form
          aria-label={t('threads.search')}
          class="adm-row"
          onSubmit={(event) => {
            event.preventDefault();
            void store.search(query);
          }}
        >
          <label for="thread-search">{t('threads.query')}</label>
          <input id="thread-search" type="search" value={query} onInput={(event) => setQuery(event.currentTarget.value)} />
          <button type="submit" class="adm-button">
            {t('search')}
          </button>
        </form>
      </div>
      <Status message={store.notice.value} />
      <Alert message={store.error.value} />
      <ul class="adm-cards" aria-label={t('view.threads')}>
        {threads.map((thread) => {
          const url = safeUrl(thread.url);
          const href = hrefOf('all', thread.id);
          return (
            <li key={thread.id} class="adm-card">
              <h2 class="adm-card-title">
                {url ? (
                  <a href={url} rel="noopener noreferrer" target="_blank">
                    {thread.title || thread.id}
                  </a>
                ) : (
                  thread.title || thread.id
                )}
                {thread.locked ? <span class="adm-badge">{t('threads.locked')}</span> : null}
              </h2>
              <p class="adm-meta">
                <span>{t('threads.id', { id: thread.id })}</span>
                <span>{t('threads.counts', { count: thread.commentCount, pending: thread.pendingCount })}</span>
                {thread.lastCommentAt ? (
                  <span>{parts('threads.last', { time: <Time iso={thread.lastCommentAt} /> })}</span>
                ) : null}
              </p>
              <p class="adm-row">
                <a
                  href={href}
                  onClick={(event) => {
                    event.preventDefault();
                    router.navigate(href);
                  }}
                >
                  {t('threads.show')}
                </a>
                <button
                  type="button"
                  class="adm-button adm-button--small"
                  disabled={store.busy.value === thread.id}
                  onClick={() => void store.setLocked(thread, !thread.locked)}
                >
                  {thread.locked ? t('threads.unlock') : t('threads.lock')}
                </button>
              </p>
            </li>
          );
        })}
      </ul>
      {store.loaded.value && threads.length === 0 ? <p class="adm-empty">{t('threads.empty')}</p> : null}
      {!store.loaded.value && store.loading.value ? <p class="adm-empty">{t('loading')}</p> : null}
      <LoadMore show={store.nextCursor.value !== null} loading={store.loading.value} onClick={() => void store.loadMore()} />
    </>
  );
}
