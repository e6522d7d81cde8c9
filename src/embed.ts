// Script-tag entry (dist/confab.iife.js): reads data-* options and mounts into #confab, every
// [data-confab] element, or right after the script tag. Defines window.Confab.
import { mount } from './mount';
import type { ConfabOptions } from './options';
import { ConfabError, isConfabError } from './errors';
import { COUNT_SELECTOR, fillCounts } from './counts';
import { loadLocale } from './i18n/load-locale';
import { registerLocale } from './i18n/registry';

const script = document.currentScript as HTMLScriptElement | null;

const TEXT_OPTIONS = ['endpoint', 'thread', 'locale', 'sort', 'theme', 'title', 'url', 'nonce', 'loading'] as const;
/** Locale files sit in `locales/` next to this script. */
const localeUrl = script?.src ? new URL('locales/', script.src).href : undefined;
const NUMBER_OPTIONS = ['pageSize', 'maxDepth', 'timeout'] as const;

/**
 * data-page-size → pageSize, as text: options.ts checks every value and names a bad one.
 * The container's attributes win over the script's.
 */
function readOptions(...sources: (HTMLElement | null)[]): ConfabOptions {
  const data: Record<string, string> = {};
  for (const source of sources) if (source) Object.assign(data, source.dataset);
  const options: Record<string, unknown> = {};
  for (const key of [...TEXT_OPTIONS, ...NUMBER_OPTIONS]) {
    if (data[key] !== undefined) options[key] = data[key];
  }
  if (data.shadow !== undefined) options.shadow = data.shadow !== 'false';
  if (data.live !== undefined) options.live = data.live !== 'false';
  if (localeUrl) options.localeUrl = localeUrl;
  // A nonce is only readable from the element's property, not its (hidden) attribute.
  if (script?.nonce && options.nonce === undefined) options.nonce = script.nonce;
  return options as ConfabOptions;
}

function containers(): HTMLElement[] {
  const found = new Set<HTMLElement>();
  const byId = document.getElementById('confab');
  if (byId) found.add(byId);
  document.querySelectorAll<HTMLElement>('[data-confab]').forEach((el) => found.add(el));
  // A listing page with only counts on it gets no widget of its own.
  if (found.size === 0 && script?.parentNode && !document.querySelector(COUNT_SELECTOR)) {
    const after = document.createElement('div');
    script.after(after);
    found.add(after);
  }
  return [...found];
}

function autoMount() {
  if (script?.dataset.endpoint && document.querySelector(COUNT_SELECTOR)) {
    const { endpoint } = script.dataset;
    const locale = script.dataset.locale || document.documentElement.lang || 'en';
    const ready = localeUrl ? loadLocale(locale, localeUrl, script.nonce) : Promise.resolve(false);
    void ready.then(() => fillCounts({ endpoint, locale }));
  }
  for (const element of containers()) {
    try {
      mount(element, readOptions(script, element));
    } catch (error) {
      // mount() reports its own problems; this is the last guard for the host page.
      console.error(isConfabError(error) ? error : new ConfabError('config', String(error), { cause: error }));
    }
  }
}

if (script && script.dataset.autoMount !== 'false') {
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', autoMount, { once: true });
  else autoMount();
}

export { mount, fillCounts, registerLocale };
export { ConfabError, isConfabError };
