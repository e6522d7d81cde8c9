// Script-tag entry (dist/confab.iife.js): reads data-* options and mounts into #confab, every
// [data-confab] element, or right after the script tag. Defines window.Confab.
import { mount } from './mount';
import type { ConfabOptions } from './options';
import { ConfabError, isConfabError } from './errors';

const script = document.currentScript as HTMLScriptElement | null;

/** data-page-size → pageSize; the container's attributes win over the script's. */
function readOptions(...sources: (HTMLElement | null)[]): ConfabOptions {
  const options: Record<string, string> = {};
  for (const source of sources) {
    if (!source) continue;
    for (const [key, value] of Object.entries(source.dataset)) {
      if (key !== 'confab' && value !== undefined) options[key] = value;
    }
  }
  const { endpoint, thread, locale, sort, title, url } = options;
  const result: ConfabOptions = {};
  Object.assign(result, { endpoint, thread, locale, sort, title, url });
  if (options.pageSize) result.pageSize = options.pageSize as unknown as number;
  if (options.maxDepth) result.maxDepth = options.maxDepth as unknown as number;
  if (options.timeout) result.timeout = options.timeout as unknown as number;
  for (const key of Object.keys(result) as (keyof ConfabOptions)[]) if (result[key] === undefined) delete result[key];
  return result;
}

function containers(): HTMLElement[] {
  const found = new Set<HTMLElement>();
  const byId = document.getElementById('confab');
  if (byId) found.add(byId);
  document.querySelectorAll<HTMLElement>('[data-confab]').forEach((el) => found.add(el));
  if (found.size === 0 && script?.parentNode) {
    const after = document.createElement('div');
    script.after(after);
    found.add(after);
  }
  return [...found];
}

function autoMount() {
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

export { mount };
export { ConfabError, isConfabError };
