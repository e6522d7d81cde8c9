// The whole dashboard's state: the session, the route, the live counts, and one store per view
// (made when the view first opens, dropped on sign-out so the next person starts clean).
import { effect, signal } from '@preact/signals';
import type { Api } from './api';
import { createAuditStore } from './audit-store';
import { createBansStore } from './bans-store';
import { createCommentsStore, type CommentsStore } from './comments-store';
import { ENGLISH, type I18n } from './i18n/i18n';
import { createLiveStore } from './live-store';
import { createModeratorsStore } from './moderators-store';
import type { Router } from './router';
import { createSessionStore } from './session-store';
import { createThreadsStore } from './threads-store';
import type { View } from './types';

export interface AppOptions {
  api: Api;
  router: Router;
  /** The dashboard's language (i18n/i18n.ts' loadI18n); English by default. */
  i18n?: I18n;
  /** Where the title goes; the page's document by default. */
  setTitle?: (title: string) => void;
  /** Milliseconds before the event stream is tried again after the browser gave up. */
  liveRetryMs?: number;
}

export function createApp({
  api,
  router,
  i18n = ENGLISH,
  setTitle = (title) => void (document.title = title),
  liveRetryMs,
}: AppOptions) {
  const { t } = i18n;
  const session = createSessionStore(api, t);
  const live = createLiveStore(api, { t, ...(liveRetryMs === undefined ? {} : { retryMs: liveRetryMs }) });
  const help = signal(false);
  let stores: ReturnType<typeof makeStores> = makeStores();

  function makeStores() {
    const onChange = () => void live.refresh();
    const comments = new Map<View, CommentsStore>();
    return {
      comments(view: View): CommentsStore {
        let store = comments.get(view);
        if (!store) comments.set(view, (store = createCommentsStore(api, view, { onChange, t })));
        return store;
      },
      openComments: () => [...comments.values()],
      threads: createThreadsStore(api, t),
      bans: createBansStore(api, t),
      moderators: createModeratorsStore(api, t),
      audit: createAuditStore(api, t),
    };
  }

  live.onComment((comment) => {
    for (const store of stores.openComments()) store.receive(comment);
  });

  const disposers = [
    effect(() => setTitle(session.state.value === 'signed-in' ? live.title.value : t('app.titleSignIn'))),
    effect(() => {
      if (session.state.value === 'signed-in') live.start();
      else if (session.state.value === 'signed-out') {
        live.stop();
        live.counts.value = null;
        stores = makeStores();
        help.value = false;
      }
    }),
  ];

  return {
    api,
    router,
    i18n,
    session,
    live,
    help,
    get stores() {
      return stores;
    },
    start() {
      if (router.route.peek().screen === 'view') void session.check();
    },
    dispose() {
      live.stop();
      for (const dispose of disposers) dispose();
    },
  };
}

export type App = ReturnType<typeof createApp>;
