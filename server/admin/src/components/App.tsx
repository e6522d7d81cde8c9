// The dashboard: the sign-in and set-password screens, or the header, the navigation (with the
// live counts) and the open view; the help overlay on top.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { App as AppState } from '../app-store';
import { attributesOf, I18nContext, useI18n, type AdminKey } from '../i18n/i18n';
import { installShortcuts } from '../keyboard';
import { hrefOf, type ViewName } from '../router';
import { actorName } from '../session-store';
import type { View } from '../types';
import { AuditView } from './AuditView';
import { BansView } from './BansView';
import { CommentsView } from './CommentsView';
import { Alert } from './common';
import { HelpOverlay } from './HelpOverlay';
import { ModeratorsView } from './ModeratorsView';
import { SetPassword, SignIn } from './SignIn';
import { ThreadsView } from './ThreadsView';

const NAV: { view: ViewName; label: AdminKey; count?: 'pending' | 'reported' | 'spam' }[] = [
  { view: 'pending', label: 'view.pending', count: 'pending' },
  { view: 'reported', label: 'view.reported', count: 'reported' },
  { view: 'spam', label: 'view.spam', count: 'spam' },
  { view: 'all', label: 'view.all' },
  { view: 'threads', label: 'view.threads' },
  { view: 'bans', label: 'view.bans' },
  { view: 'moderators', label: 'view.moderators' },
  { view: 'audit', label: 'view.audit' },
];

const COMMENT_VIEWS: readonly ViewName[] = ['pending', 'reported', 'spam', 'all'];

/** The dashboard in its language (app.i18n): every screen carries its lang and dir. */
export function App({ app }: { app: AppState }) {
  useEffect(() => {
    app.start();
    return () => app.dispose();
  }, [app]);
  return (
    <I18nContext.Provider value={app.i18n}>
      <Screen app={app} />
    </I18nContext.Provider>
  );
}

function Screen({ app }: { app: AppState }) {
  const { t } = useI18n();
  const route = app.router.route.value;
  const state = app.session.state.value;
  if (route.screen === 'set-password') return <SetPassword app={app} link={route.link} />;
  if (state === 'checking')
    return (
      <main class="adm-signin" aria-label={t('app.title')} {...attributesOf(app.i18n)}>
        <p class="adm-empty">{t('loading')}</p>
      </main>
    );
  if (state === 'signed-out') return <SignIn app={app} />;
  return <Shell app={app} view={route.view} thread={route.thread} />;
}

function Shell({ app, view, thread }: { app: AppState; view: ViewName; thread: string }) {
  const { t, number } = useI18n();
  const [signOutError, setSignOutError] = useState<string | null>(null);
  const first = useRef(true);
  const counts = app.live.counts.value;

  useEffect(
    () =>
      installShortcuts(document, (shortcut) => {
        if (shortcut === 'help') {
          app.help.value = !app.help.peek();
          return true;
        }
        if (shortcut === 'close' && app.help.peek()) {
          app.help.value = false;
          return true;
        }
        return false;
      }),
    [app],
  );

  // A new view: the focus goes to its heading (not on the first screen, where the page starts).
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    document.getElementById('view-title')?.focus();
  }, [view, thread]);

  return (
    <div class="adm-shell" {...attributesOf(app.i18n)}>
      <header class="adm-header">
        <p class="adm-brand">{t('app.title')}</p>
        <p class="adm-who">{t('app.signedInAs', { name: actorName(app.session.actor.value, t) })}</p>
        <p class="adm-row">
          <button
            type="button"
            class="adm-button adm-button--small"
            aria-haspopup="dialog"
            onClick={() => (app.help.value = true)}
          >
            {t('app.shortcuts')}
          </button>
          <button
            type="button"
            class="adm-button adm-button--small"
            onClick={async () => {
              setSignOutError(await app.session.signOut());
            }}
          >
            {t('app.signOut')}
          </button>
        </p>
      </header>
      <Alert message={signOutError} />
      <nav class="adm-nav" aria-label={t('nav.label')}>
        <ul>
          {NAV.map((item) => {
            const href = hrefOf(item.view);
            const n = item.count && counts ? counts[item.count] : null;
            return (
              <li key={item.view}>
                <a
                  href={href}
                  aria-current={item.view === view ? 'page' : undefined}
                  onClick={(event) => {
                    event.preventDefault();
                    app.router.navigate(href);
                  }}
                >
                  {t(item.label)}
                  {n !== null ? (
                    <span class={`adm-count${n > 0 ? ' adm-count--some' : ''}`}>
                      <span class="adm-hidden"> (</span>
                      {number(n)}
                      <span class="adm-hidden">)</span>
                    </span>
                  ) : null}
                </a>
              </li>
            );
          })}
        </ul>
      </nav>
      <main id="main" class="adm-main" aria-labelledby="view-title">
        {COMMENT_VIEWS.includes(view) ? (
          <CommentsView app={app} store={app.stores.comments(view as View)} thread={view === 'all' ? thread : ''} />
        ) : view === 'threads' ? (
          <ThreadsView store={app.stores.threads} router={app.router} />
        ) : view === 'bans' ? (
          <BansView store={app.stores.bans} />
        ) : view === 'moderators' ? (
          <ModeratorsView store={app.stores.moderators} actor={app.session.actor.value} />
        ) : (
          <AuditView store={app.stores.audit} />
        )}
      </main>
      {app.help.value ? <HelpOverlay onClose={() => (app.help.value = false)} /> : null}
    </div>
  );
}
