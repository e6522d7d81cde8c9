// Fetches a locale file for script-tag pages: a plain <script> from the folder next to
// confab.iife.js (so a strict `script-src 'self'` CSP allows it), once per catalog.
import { catalogOf, registeredMessages } from './registry';

const LOAD_TIMEOUT_MS = 5_000;
const loading = new Map<string, Promise<boolean>>();

/**
 * Runs the script at `src` (a locale, or a part's code: see ui/load-part.ts); resolves when it ran or
 * failed, or after 5 s: the caller checks what it registered.
 */
export function loadScript(src: string, nonce?: string): Promise<void> {
  return new Promise<void>((resolve) => {
    const script = document.createElement('script');
    script.src = src;
    script.async = true;
    if (nonce) script.nonce = nonce;
    const done = () => {
      clearTimeout(timer);
      script.remove();
      resolve();
    };
    const timer = setTimeout(done, LOAD_TIMEOUT_MS);
    script.onload = script.onerror = done;
    document.head.append(script);
  });
}

/**
 * Resolves true once the catalog `locale` reads (`pt-BR.iife.js` for pt-BR and pt, `de.iife.js`
 * for de-AT: registry.ts, catalogOf) is registered, false if it could not be loaded.
 */
export function loadLocale(locale: string, folderUrl: string, nonce?: string): Promise<boolean> {
  if (registeredMessages(locale)) return Promise.resolve(true);
  const catalog = catalogOf(locale);
  let promise = loading.get(catalog);
  if (!promise) {
    // A catalog name is letters and a hyphen (catalogOf): nothing to escape.
    promise = loadScript(new URL(`${catalog}.iife.js`, folderUrl).href, nonce).then(() => {
      const ok = registeredMessages(locale) !== null;
      if (!ok) loading.delete(catalog); // a later widget may try again
      return ok;
    });
    loading.set(catalog, promise);
  }
  return promise;
}
