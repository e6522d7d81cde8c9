// An example adapter: a read-only thread from a static JSON file (the protocol's page shape:
// `{ thread, comments }`), e.g. exported once from an old system and served by any web host.
// It has only `list`, so the widget hides its forms and vote buttons. The file's comments are
// checked by guardAdapter, as every adapter's answers are.
import { DEFAULT_TIMEOUT, protocolRefusal, readJson } from '../api/http-adapter';
import { fromCommentServer } from '../api/guard-adapter';
import type { WirePage } from '../api/wire';
import { isObject } from '../util/values';
import type { Adapter } from '../types';
import { createTransport } from './server-client';

export interface StaticJsonAdapterOptions {
  /** Where the JSON file is; fetched on the first read and kept. */
  url: string;
  timeout?: number;
}

/** The web host that serves the file, for messages. */
const SERVER = 'the comment server';

export function createStaticJsonAdapter({ url, timeout = DEFAULT_TIMEOUT }: StaticJsonAdapterOptions): Adapter {
  // A file is read once and never again by itself: no retries (the reader's Retry reads it again).
  const send = createTransport({
    prefixUrl: '',
    server: SERVER,
    timeout,
    retries: 0,
    refusal: protocolRefusal,
  });
  let file: Promise<unknown> | null = null;
  return fromCommentServer({
    async list(_threadId, _query, call) {
      try {
        file ??= send(url, {}, call, readJson);
        // The whole file is one page: it has been downloaded in full anyway.
        const page = await file;
        // (Anything but an object is refused by guardAdapter as no page.)
        return (isObject(page) ? { ...page, nextCursor: null } : page) as WirePage;
      } catch (error) {
        // A failed read is not kept: the reader's Retry fetches the file again.
        file = null;
        throw error;
      }
    },
  });
}
