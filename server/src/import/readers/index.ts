// The reader of each format `confab-server import --from` takes (our own export excepted: the
// writer reads that one).
import type { ImportFormat, ImportReader } from '../records.js';
import { readArtalk } from './artalk.js';
import { readCommento } from './commento.js';
import { readDisqus } from './disqus.js';
import { readIsso } from './isso.js';
import { readRemark42 } from './remark42.js';
import { readWaline } from './waline.js';
import { readWordPress } from './wordpress.js';

export const READERS: Record<Exclude<ImportFormat, 'confab'>, ImportReader> = {
  disqus: readDisqus,
  wordpress: readWordPress,
  commento: readCommento,
  remark42: readRemark42,
  isso: readIsso,
  artalk: readArtalk,
  waline: readWaline,
};
