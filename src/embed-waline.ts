// dist/confab-waline.iife.js: the script-tag bundle with the Waline adapter, for
// data-adapter="waline" with data-waline-server-url.
import { createWalineAdapter } from './adapters/waline';
import { adapterFactories } from './embed';
import { ConfabError } from './errors';

adapterFactories.waline = (data) => {
  if (!data.walineServerUrl) throw new ConfabError('config', 'set data-waline-server-url to your Waline server (serverURL).');
  return createWalineAdapter({ serverURL: data.walineServerUrl });
};

export * from './embed';
