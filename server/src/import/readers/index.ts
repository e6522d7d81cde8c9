// A placeholder until the format readers land (branch h-impa replaces this file).
import type { ImportFormat, ImportReader } from '../records.js';

export const READERS = {} as Record<Exclude<ImportFormat, 'confab'>, ImportReader>;
