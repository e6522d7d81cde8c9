// Filling `[data-confab-count]` elements, on the tools it is handed: on script-tag pages this is a
// part (confab-counts.iife.js, loaded only on pages with count elements; see ui/load-part.ts) that
// runs on the bundle's own API client and translator, so it imports nothing at run time.
import type { createHttpAdapter } from './api/http-adapter';
import type { guardAdapter } from './api/guard-adapter';
import type { toConfabError } from './errors';
import type { createTranslator } from './i18n/translate';
import type { messagesFor } from './i18n/messages-and-direction';
import type { CountsOptions } from './counts';

/** The bundle's code the counts run on (a tuple: its names cost the bundle no bytes). */
export type CountsDeps = readonly [
  typeof createHttpAdapter,
  typeof guardAdapter,
  typeof createTranslator,
  typeof messagesFor,
  typeof toConfabError,
];

export const COUNT_SELECTOR = '[data-confab-count]';

/** Fills the count elements; resolves to the counts it got, never rejects. */
export async function fillCountsWith(
  options: CountsOptions,
  [createHttpAdapter, guardAdapter, createTranslator, messagesFor, toConfabError]: CountsDeps,
): Promise<Record<string, number>> {
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
