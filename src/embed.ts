// Script-tag entry (dist/confab.iife.js): reads data-* options and mounts into #confab, every
// [data-confab] element, or right after the script tag. Defines window.Confab.
import { mount } from './mount';
import type { ConfabOptions } from './options';
import { ConfabError, isConfabError, toConfabError } from './errors';
import { COUNT_SELECTOR, countsDeps, type CountsOptions } from './counts';
import { loadPart } from './ui/load-part';
import { loadLocale } from './i18n/load-locale';
import { registerLocale } from './i18n/registry';
import type { Adapter } from './types';

/**
 * Server adapters by `data-adapter` name, each made from the script's and container's data-*
 * attributes. Empty in confab.iife.js; each confab-<server>.iife.js registers its one adapter.
 */
export const adapterFactories: Record<string, (data: Record<string, string | undefined>) => Adapter> = Object.create(null);

/** The adapter `data-adapter` names; a ConfabError (shown in the widget's place) when it cannot be made. */
function adapterFor(name: string, data: Record<string, string | undefined>): Adapter | ConfabError {
  const factory = adapterFactories[name];
  if (!factory)
    return new ConfabError('config', `data-adapter="${name}" needs the confab-${name}.iife.js bundle instead of this one.`);
  try {
    return factory(data);
  } catch (error) {
    return isConfabError(error) ? error : new ConfabError('config', String(error), { cause: error });
  }
}

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
  // Sign-in from the host site: the token as the page's back end wrote it into the tag. The
  // sign-in part reads data-sso-token, data-login-url and data-logout-url from these (ui/SignIn.ts).
  if (data.ssoToken ?? data.loginUrl) options.sso = data;
  if (localeUrl) options.localeUrl = localeUrl;
  if (data.adapter !== undefined) options.adapter = adapterFor(data.adapter, data);
  // A nonce is only readable from the element's property, not its (hidden) attribute.
  if (script?.nonce && options.nonce === undefined) options.nonce = script.nonce;
  return options as ConfabOptions;
}

/**
 * `Confab.fillCounts`: the counts' code is a part (confab-counts.iife.js), loaded only by pages
 * that show counts. Resolves to the counts it got, never rejects.
 */
const fillCounts = (options: CountsOptions): Promise<Record<string, number>> =>
  (import.meta.env.MODE === 'iife' ? loadPart('counts') : import('./count-badges')).then(
    (part) => part.fillCountsWith(options, countsDeps),
    (error) => (options.onError?.(toConfabError(error)), {}),
  );

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
  if ((script?.dataset.endpoint || script?.dataset.adapter) && document.querySelector(COUNT_SELECTOR)) {
    const { endpoint, adapter: name } = script.dataset;
    const adapter = name ? adapterFor(name, { ...script.dataset }) : undefined;
    const locale = script.dataset.locale || document.documentElement.lang || 'en';
    const ready = localeUrl ? loadLocale(locale, localeUrl, script.nonce) : Promise.resolve(false);
    if (adapter instanceof ConfabError) console.error(adapter);
    else void ready.then(() => fillCounts({ endpoint, adapter, locale }));
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
  // A microtask later: a confab-<server>.iife.js bundle registers its adapter after this module ran.
  else queueMicrotask(autoMount);
}

export { mount, fillCounts, registerLocale };
export { ConfabError, isConfabError };
