// dist/confab-remark42.iife.js: the script-tag bundle with the Remark42 adapter, for
// data-adapter="remark42" with data-remark42-host, data-remark42-site-id, data-remark42-anonymous.
import { createRemark42Adapter } from './adapters/remark42';
import { adapterFactories } from './embed';
import { ConfabError } from './errors';

adapterFactories.remark42 = (data) => {
  if (!data.remark42Host) throw new ConfabError('config', 'set data-remark42-host to your Remark42 server (remark_config.host).');
  return createRemark42Adapter({
    host: data.remark42Host,
    siteId: data.remark42SiteId,
    anonymous: data.remark42Anonymous === 'true',
  });
};

export * from './embed';
