// Renders the dashboard over the fake server, as the page does (an .adm root), for the tests.
import { render } from '@testing-library/preact';
import userEvent from '@testing-library/user-event';
import { createApi } from '../../server/admin/src/api';
import { createApp } from '../../server/admin/src/app-store';
import { App } from '../../server/admin/src/components/App';
import { ENGLISH, type I18n } from '../../server/admin/src/i18n/i18n';
import { createMemoryRouter } from '../../server/admin/src/router';
import { createFakeServer, type FakeServerSeed } from './fake-server';
import { MODERATOR_ACTOR } from './fixtures';

export function renderApp({
  hash = '#/pending',
  liveRetryMs,
  i18n = ENGLISH,
  ...seed
}: FakeServerSeed & { hash?: string; liveRetryMs?: number; i18n?: I18n } = {}) {
  const server = createFakeServer({ signedIn: MODERATOR_ACTOR, ...seed });
  const api = createApi({ fetch: server.fetch, eventSource: server.eventSource, t: i18n.t });
  const router = createMemoryRouter(hash);
  const titles: string[] = [];
  const app = createApp({
    api,
    router,
    i18n,
    setTitle: (title) => void titles.push(title),
    ...(liveRetryMs === undefined ? {} : { liveRetryMs }),
  });
  const user = userEvent.setup();
  const view = render(
    <div class="adm">
      <App app={app} />
    </div>,
  );
  return { ...view, server, api, app, router, user, titles, title: () => titles.at(-1) };
}
