// dist/confab-artalk.iife.js: the script-tag bundle with the Artalk adapter, for
// data-adapter="artalk" with data-artalk-server, data-artalk-site, data-artalk-utc-offset.
import { createArtalkAdapter } from './adapters/artalk';
import { adapterFactories } from './embed';
import { ConfabError } from './errors';

adapterFactories.artalk = (data) => {
  if (!data.artalkServer || !data.artalkSite)
    throw new ConfabError('config', "set data-artalk-server and data-artalk-site (Artalk's server and site name).");
  return createArtalkAdapter({ server: data.artalkServer, site: data.artalkSite, utcOffset: data.artalkUtcOffset });
};

export * from './embed';
