// Comment counts for listing pages: every `[data-confab-count="threadId"]` element is filled
// ("12 comments", localized) from one batched request. The work is count-badges.ts; this gives
// it the API client and translator (the script-tag bundle loads it as a part instead: embed.ts).
import { guardAdapter } from './api/guard-adapter';
import { createHttpAdapter } from './api/http-adapter';
import { fillCountsWith, type CountsDeps } from './count-badges';
import { toConfabError, type ConfabError } from './errors';
import { createTranslator } from './i18n/translate';
import { messagesFor } from './i18n/messages-and-direction';
import type { Adapter } from './types';

export interface CountsOptions {
  endpoint?: string;
  adapter?: Adapter;
  locale?: string;
  /** Where to look for count elements (default: the whole document). */
  root?: ParentNode;
  onError?: (error: ConfabError) => void;
}

export { COUNT_SELECTOR } from './count-badges';

/** What the counts run on: this bundle's API client, boundary and translator. */
export const countsDeps: CountsDeps = [createHttpAdapter, guardAdapter, createTranslator, messagesFor, toConfabError];

/** Fills the count elements; resolves to the counts it got, never rejects. */
export const fillCounts = (options: CountsOptions): Promise<Record<string, number>> => fillCountsWith(options, countsDeps);
