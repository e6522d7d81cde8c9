// Where the dashboard is: the URL's hash (#/pending, #/all?thread=t1, #set-password=<token>).
// Hash routes need nothing from the server beyond /admin/index.html. Tests and stories use a
// memory router with the same shape.
import { computed, signal, type ReadonlySignal, type Signal } from '@preact/signals';

export const VIEWS = ['pending', 'reported', 'spam', 'all', 'threads', 'bans', 'moderators', 'audit'] as const;
export type ViewName = (typeof VIEWS)[number];

export type Route = { screen: 'set-password'; link: string } | { screen: 'view'; view: ViewName; thread: string };

export function parseRoute(hash: string): Route {
  const text = hash.replace(/^#/, '');
  if (text.startsWith('set-password='))
    return { screen: 'set-password', link: decodeURIComponent(text.slice('set-password='.length)) };
  const [path = '', query = ''] = text.replace(/^\//, '').split('?');
  const view = (VIEWS as readonly string[]).includes(path) ? (path as ViewName) : 'pending';
  return { screen: 'view', view, thread: new URLSearchParams(query).get('thread') ?? '' };
}

export function hrefOf(view: ViewName, thread = ''): string {
  return `#/${view}${thread ? `?${new URLSearchParams({ thread })}` : ''}`;
}

export interface Router {
  readonly hash: Signal<string>;
  readonly route: ReadonlySignal<Route>;
  navigate(hash: string): void;
  /** Leaves the set-password link out of the address (and the history) once it is used. */
  replace(hash: string): void;
}

export function createMemoryRouter(initial = '#/pending'): Router {
  const hash = signal(initial);
  return {
    hash,
    route: computed(() => parseRoute(hash.value)),
    navigate: (to) => void (hash.value = to),
    replace: (to) => void (hash.value = to),
  };
}

export function createHashRouter(win: Window = window): Router {
  const hash = signal(win.location.hash);
  win.addEventListener('hashchange', () => void (hash.value = win.location.hash));
  return {
    hash,
    route: computed(() => parseRoute(hash.value)),
    navigate(to) {
      win.location.hash = to;
      hash.value = to;
    },
    replace(to) {
      win.history.replaceState(null, '', `${win.location.pathname}${win.location.search}${to}`);
      hash.value = to;
    },
  };
}
