// Live updates, the connection side (the `live` option): one subscription at a time,
// reconnected with capped, jittered backoff, and a catch-up after every (re)connect so a dropped
// stream never loses a comment. The store's side is store/live.ts. Only pages with `live` need
// this: a part (see ui/load-part.ts), loaded once the thread is shown. It imports nothing at run
// time (types only), so the part carries no second copy of the signals library.
import type { ThreadStore } from './thread-store';
// The store's side comes with the connection in the script-tag bundle (see live.ts).
export { createLiveUpdates } from './live';

export type LiveStatus = 'connecting' | 'open' | 'reconnecting' | 'stopped';

const FIRST_DELAY_MS = 1_000;
const MAX_DELAY_MS = 30_000;

export interface LiveOptions {
  /** True while the reader is scrolled into the thread (new top-level comments then wait). */
  readerInside: () => boolean;
  /** For tests: the delay before reconnect attempt `n` (0-based). */
  delay?: (attempt: number) => number;
}

const backoff = (attempt: number) => {
  const ceiling = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** attempt);
  return ceiling / 2 + Math.random() * (ceiling / 2);
};

/** Starts live updates for the store's thread; `status()` says where the connection is. */
export function startLive(store: ThreadStore, options: LiveOptions) {
  const { adapter } = store;
  let state: LiveStatus = adapter.subscribe ? 'connecting' : 'stopped';
  const status = () => state;
  if (!adapter.subscribe) return { status, stop() {} };
  const subscribe = adapter.subscribe.bind(adapter);
  const delay = options.delay ?? backoff;
  let attempt = 0;
  let close: (() => void) | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  const connect = () => {
    if (stopped) return;
    close = subscribe(store.threadId, {
      onOpen() {
        attempt = 0;
        state = 'open';
        // Whatever happened while no stream was open is read back now.
        void store.catchUp(options.readerInside);
      },
      onEvent(type, comment) {
        store.receiveLive(type, comment, options.readerInside());
      },
      onError() {
        close?.();
        close = null;
        if (stopped) return;
        state = 'reconnecting';
        timer = setTimeout(connect, delay(attempt++));
      },
    });
  };
  connect();

  return {
    status,
    stop() {
      stopped = true;
      clearTimeout(timer);
      close?.();
      close = null;
      state = 'stopped';
    },
  };
}
