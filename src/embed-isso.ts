// dist/confab-isso.iife.js: the script-tag bundle with the Isso adapter, for data-adapter="isso"
// with data-isso (Isso's own attribute: its endpoint) and data-isso-cookies.
import { createIssoAdapter } from './adapters/isso';
import { adapterFactories } from './embed';
import { ConfabError } from './errors';

adapterFactories.isso = (data) => {
  if (!data.isso) throw new ConfabError('config', 'set data-isso to your Isso endpoint.');
  return createIssoAdapter({ url: data.isso, cookies: data.issoCookies === 'true' });
};

export * from './embed';
