// An example adapter: a read-only thread from a static JSON file (the protocol's page shape:
// `{ thread, comments }`), e.g. exported once from an old system and served by any web host.
// It has only `list`, so the widget hides its forms and vote buttons.
import ky from 'ky';
import { readJson, toError } from '../api/http-adapter';
import { parsePage } from '../api/validate';
import { markValidated } from '../api/guard-adapter';
import type { Adapter } from '../types';

export interface StaticJsonAdapterOptions {
  /** Where the JSON file is; fetched on the first read and kept. */
  url: string;
  timeout?: number;
}

export function createStaticJsonAdapter({ url, timeout = 10_000 }: StaticJsonAdapterOptions): Adapter {
  let file: Promise<unknown> | null = null;
  return markValidated({
    async list(threadId, _query, call) {
      try {
        // A failed read is not kept: the reader's Retry fetches the file again.
        file ??= ky.get(url, { timeout, retry: 0, credentials: 'omit', signal: call?.signal }).then(readJson);
        // The whole file is one page: it has been downloaded in full anyway.
        return { ...parsePage(await file, threadId), nextCursor: null };
      } catch (error) {
        file = null;
        throw await toError(error);
      }
    },
  });
}
