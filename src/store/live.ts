// Keeps a thread live: one subscription at a time, reconnected with capped, jittered backoff,
// and a catch-up read after every (re)connect so a dropped stream never loses a comment.
import { signal } from '@preact/signals-core';
import type { ValidatedAdapter } from '../types';
import type { ThreadStore } from './thread-store';

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

export function startLive(store: ThreadStore, adapter: ValidatedAdapter, options: LiveOptions) {
  const status = signal<LiveStatus>('connecting');
  if (!adapter.subscribe) {
    status.value = 'stopped';
    return { status, stop() {} };
  }
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
        status.value = 'open';
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
        status.value = 'reconnecting';
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
      status.value = 'stopped';
    },
  };
}
