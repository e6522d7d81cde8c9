// Comment counts for listing pages: every `[data-confab-count="threadId"]` element is filled
// ("12 comments", localized) from one batched request.
import { guardAdapter } from './api/guard-adapter';
import { createHttpAdapter } from './api/http-adapter';
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

export const COUNT_SELECTOR = '[data-confab-count]';

/** Fills the count elements; resolves to the counts it got, never rejects. */
export async function fillCounts(options: CountsOptions): Promise<Record<string, number>> {
  const elements = [...(options.root ?? document).querySelectorAll<HTMLElement>(COUNT_SELECTOR)];
  const ids = [...new Set(elements.map((el) => el.dataset.confabCount ?? '').filter(Boolean))];
  if (ids.length === 0) return {};
  try {
    const adapter =
      options.adapter ??
      (options.endpoint ? createHttpAdapter({ endpoint: new URL(options.endpoint, document.baseURI).href }) : null);
    // A site's adapter too: its counts are checked like every other answer it gives.
    const counts = adapter && (await guardAdapter(adapter).counts?.(ids));
    if (!counts) return {};
    const locale = options.locale ?? (document.documentElement.lang || 'en');
    const t = createTranslator(locale, messagesFor(locale));
    for (const element of elements) {
      const count = counts[element.dataset.confabCount ?? ''];
      if (count !== undefined) element.textContent = t('thread.heading', { count });
    }
    return counts;
  } catch (error) {
    // A count is decoration: the page keeps whatever text it had.
    options.onError?.(toConfabError(error));
    return {};
  }
}
