// mount(element, options) → { unmount, refresh, store }: the one way a page gets a widget.
import { render } from 'preact';
import { ConfabError, isConfabError } from './errors';
import { normalizeOptions, type ConfabOptions, type NormalizedOptions } from './options';
import { createHttpAdapter } from './api/http-adapter';
import { createStore, type ThreadStore } from './store/thread-store';
import { ConfabProvider } from './ui/ConfabProvider';
import { Boundary } from './ui/Boundary';
import { Thread } from './ui/Thread';
import { adoptStyles } from './styles/adopt';
import { directionOf } from './i18n/messages-and-direction';
import { registeredMessages } from './i18n/registry';
import { loadLocale } from './i18n/load-locale';
import { commentIdFromHash } from './ui/permalink';
import { effect } from '@preact/signals';
import { loadPart, loadPartWords, partDeps } from './ui/load-part';
import type { ServerView } from './ui/adopt';
import { parseComment } from './api/validate';
import { warmUpTime } from './format/time';

export interface ConfabHandle {
  /** Removes everything the widget made: DOM, listeners, timers, requests in flight. */
  unmount(): void;
  /** Reads the thread again from the first page. */
  refresh(): Promise<void>;
  /** The thread store, for custom UIs; null when the options were invalid. */
  store: ThreadStore | null;
  /** Set when the options were invalid: the widget shows a message instead of a thread. */
  error: ConfabError | null;
}

const mounted = new WeakMap<Element, ConfabHandle>();

function reportConfigError(element: Element, error: ConfabError, onError?: (e: ConfabError) => void): ConfabHandle {
  const message = document.createElement('p');
  message.className = 'confab-config-error';
  message.setAttribute('role', 'alert');
  message.textContent = error.message;
  element.append(message);
  console.error(error);
  try {
    onError?.(error);
  } catch {
    // A failing host callback must not turn a config message into a crash.
  }
  return {
    unmount: () => message.remove(),
    refresh: () => Promise.resolve(),
    store: null,
    error,
  };
}

export function mount(element: Element, options: ConfabOptions): ConfabHandle {
  if (!(element instanceof Element)) {
    const error = new ConfabError('config', 'Confab: mount() needs a DOM element to render into.');
    console.error(error);
    return { unmount() {}, refresh: () => Promise.resolve(), store: null, error };
  }
  mounted.get(element)?.unmount(); // mounting twice replaces, never duplicates

  let config: NormalizedOptions;
  try {
    config = normalizeOptions(options);
  } catch (error) {
    const failure = isConfabError(error) ? error : new ConfabError('config', String(error), { cause: error });
    const handle = reportConfigError(element, failure, options?.onError);
    mounted.set(element, handle);
    return handle;
  }

  // Sign-in from the host site: a part, loaded only with `sso`, that sends the reader's token with
  // every request and brings the views that show who is signed in.
  // Without its code, or with a wrong `sso` option, the reader stays a guest (the error is logged).
  const { sso } = config;
  const signedIn = sso
    ? Promise.all([loadPart('signin'), loadPartWords('signin', config.locale)]).then(
        ([part]) => part.signIn(partDeps, sso, parseComment),
        (error) => console.error('Confab:', error),
      )
    : undefined;
  const shadow = config.shadow ? shadowOf(element) : null;
  const root = shadow ?? element;
  // The server's rendering of the first view, if the page has one (ssr.tsx): the part that reads
  // it loads first, then the widget adopts it in place, with the first page it carries.
  const adopting = [...root.children].some((child) => child.hasAttribute('data-confab-ssr'))
    ? loadPart('adopt').then((part) => part.readServerView(root, config))
    : null;
  let served: ServerView | null = null;
  const adapter =
    config.adapter ??
    createHttpAdapter({ endpoint: config.endpoint!, timeout: config.timeout, signedIn, firstPage: () => served?.firstPage });
  const store = createStore({
    adapter,
    threadId: config.thread,
    sort: config.sort,
    pageSize: config.pageSize,
    scope: config.endpoint ?? 'adapter',
    page: pageInfo(config),
    // Callbacks for code, DOM events on the host element for pages that only have markup.
    onError: (error) => {
      emit(element, 'confab:error', error);
      config.onError?.(error);
    },
    onPosted: (comment) => {
      emit(element, 'confab:posted', comment);
      config.onPosted?.(comment);
    },
    loadPosting: () => loadPart('posting'),
    loadLive: () => loadPart('live'),
    locale: config.locale,
  });

  void signedIn?.then((signIn) => signIn?.show(store));

  let container: HTMLElement = document.createElement('div');
  const releaseStyles = adoptStyles(shadow ?? document);
  const place = (view: ServerView | null) => {
    if ((served = view)) container = view.container;
    else root.append(container);
    container.className = `confab confab--${config.theme}`;
    container.lang = config.locale;
    container.dir = directionOf(config.locale);
  };
  const cleanups: (() => void)[] = [];
  let alive = true;

  const show = () => {
    if (!alive) return;
    // Into the server's view, this first render reuses its nodes (Preact diffs against the DOM
    // it finds, attributes and values included: a draft or a vote of this reader shows).
    render(
      <ConfabProvider store={store} locale={config.locale} messages={config.messages} maxDepth={config.maxDepth}>
        <Boundary onError={(e) => console.error('Confab:', e)}>
          <Thread />
        </Boundary>
      </ConfabProvider>,
      container,
    );
  };

  // A `#comment-…` link, on arrival or clicked later, shows and focuses that comment.
  const revealFromHash = () => {
    const id = commentIdFromHash(window.location.hash);
    if (id && store.status.peek() === 'ready') void store.reveal(id);
  };
  listen(window, 'hashchange', revealFromHash, cleanups);
  const updateOnline = () => (store.online.value = navigator.onLine !== false);
  listen(window, 'online', updateOnline, cleanups);
  listen(window, 'offline', updateOnline, cleanups);

  const start = () => {
    // The request goes out first (ky sends it a few microtasks from now). The shell (heading,
    // form, "Loading…") waits a moment for the answer: one that comes within it is shown with
    // the shell in one render (one style and layout pass, the first comments sooner); a slower
    // one finds the shell there. A language not yet registered is fetched meanwhile (English if
    // that fails). (With the server's view there is no request: its page is in the store at
    // once, and the render adopts the view.)
    const loaded = store.load();
    let timer: ReturnType<typeof setTimeout>;
    const waited = new Promise((resolve) => (timer = setTimeout(resolve, SHELL_WAIT_MS)));
    cleanups.push(() => clearTimeout(timer));
    const shown = Promise.all([
      registeredMessages(config.locale) === null && config.localeUrl && loadLocale(config.locale, config.localeUrl, config.nonce),
      Promise.race([loaded, waited]),
    ]).then(show);
    // `confab:ready` once the thread is in the page.
    void Promise.all([loaded, shown]).then(() => {
      const failure = store.error.peek();
      // The reader is told the comment server could not be reached; the site owner, here, why.
      if (alive && failure && config.endpoint && store.online.peek())
        console.error(
          `Confab: ${config.endpoint}: ${failure.message} Is the server up, is this its API's address, is ${location.origin} in its ALLOWED_ORIGINS?`,
        );
      if (!alive || store.status.peek() !== 'ready') return;
      emit(element, 'confab:ready', store.thread.peek());
      revealFromHash();
    });
    // With the server's view, Intl's first formatter (ui/context.ts) is built at once: the first
    // render must write the times the view already shows.
    if (served) warmUpTime(config.locale);
  };
  // Lazy: nothing is fetched or rendered until the reader comes near (unless a permalink
  // points into the thread, which needs it at once).
  const begin = () => {
    if (config.loading === 'lazy' && typeof IntersectionObserver === 'function' && !commentIdFromHash(window.location.hash)) {
      const observer = new IntersectionObserver(
        (entries) => {
          if (!entries.some((entry) => entry.isIntersecting)) return;
          observer.disconnect();
          start();
        },
        { rootMargin: LAZY_MARGIN },
      );
      observer.observe(element);
      cleanups.push(() => observer.disconnect());
    } else start();
  };
  if (adopting) {
    // Without the part's code the server's view stays, readable, and the widget does not start.
    adopting.then(
      (view) => {
        if (!alive) return;
        place(view);
        begin();
      },
      (error) => console.error('Confab:', error),
    );
  } else {
    place(null);
    begin();
  }

  // Live updates start once the thread is there (after a Retry, too), and only once; their
  // connection code is a part, loaded then (a page without `live` never fetches it).
  let live: { stop(): void } | undefined;
  let liveAsked = false;
  cleanups.push(
    effect(() => {
      if (!config.live || liveAsked || store.status.value !== 'ready') return;
      liveAsked = true;
      loadPart('live').then(
        ({ startLive }) => {
          if (alive)
            live = startLive(store, {
              // Inside the thread: its list starts above the top of the window.
              readerInside: () => (container.querySelector('.confab-list')?.getBoundingClientRect().top ?? 1) < 0,
            });
        },
        // Without its code the thread still works: it is only not live.
        (error) => console.error('Confab:', error),
      );
    }),
  );
  cleanups.push(() => live?.stop());

  const handle: ConfabHandle = {
    unmount() {
      if (mounted.get(element) !== handle) return;
      mounted.delete(element);
      alive = false;
      for (const cleanup of cleanups) cleanup();
      store.dispose();
      render(null, container);
      container.remove();
      releaseStyles();
    },
    refresh: () => store.load(),
    store,
    error: null,
  };
  mounted.set(element, handle);
  return handle;
}

/** How long the shell waits for the thread's answer before it shows alone (ms). */
const SHELL_WAIT_MS = 100;

/** How near (in px) the container must come before a lazy widget starts loading. */
const LAZY_MARGIN = '600px';

function pageInfo(config: NormalizedOptions): { title?: string; url?: string } {
  const page: { title?: string; url?: string } = {};
  if (config.title) page.title = config.title;
  if (config.url) page.url = config.url;
  return page;
}

function listen(target: EventTarget, type: string, listener: () => void, cleanups: (() => void)[]) {
  target.addEventListener(type, listener);
  cleanups.push(() => target.removeEventListener(type, listener));
}

/** `confab:ready` (detail: the thread), `confab:posted` (the comment), `confab:error` (a ConfabError). */
function emit(element: Element, type: string, detail: unknown) {
  element.dispatchEvent(new CustomEvent(type, { detail, bubbles: true }));
}

/**
 * The element's open shadow root, made if need be; null where there can be none: attachShadow
 * works only on custom elements and a fixed list of HTML elements, and not twice (a closed root).
 */
function shadowOf(element: Element): ShadowRoot | null {
  try {
    return element.shadowRoot ?? element.attachShadow({ mode: 'open' });
  } catch {
    return null;
  }
}
