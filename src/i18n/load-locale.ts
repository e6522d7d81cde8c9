// Fetches a locale file for script-tag pages: a plain <script> from the folder next to
// confab.iife.js (so a strict `script-src 'self'` CSP allows it), once per language.
import { languageOf, registeredMessages } from './registry';

const LOAD_TIMEOUT_MS = 5_000;
const loading = new Map<string, Promise<boolean>>();

/** Resolves true once the language is registered, false if it could not be loaded. */
export function loadLocale(locale: string, folderUrl: string, nonce?: string): Promise<boolean> {
  if (registeredMessages(locale)) return Promise.resolve(true);
  const language = languageOf(locale);
  let promise = loading.get(language);
  if (!promise) {
    promise = new Promise<boolean>((resolve) => {
      const script = document.createElement('script');
      script.src = new URL(`${encodeURIComponent(language)}.iife.js`, folderUrl).href;
      script.async = true;
      if (nonce) script.nonce = nonce;
      const done = () => {
        clearTimeout(timer);
        script.remove();
        const ok = registeredMessages(locale) !== null;
        if (!ok) loading.delete(language); // a later widget may try again
        resolve(ok);
      };
      const timer = setTimeout(done, LOAD_TIMEOUT_MS);
      script.onload = script.onerror = done;
      document.head.append(script);
    });
    loading.set(language, promise);
  }
  return promise;
}
