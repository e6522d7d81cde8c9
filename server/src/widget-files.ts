// The widget's own files, served so that readers download them once: compressed (brotli or gzip,
// made on first request and kept), with an ETag, and under a versioned path that may be cached
// for a year.
//
//   /widget/0.1.0/confab.iife.js            Cache-Control: immutable (the path changes with the version)
//   /widget/0.1.0/locales/de.iife.js        the locales next to it, where the widget looks for them
//   /confab.iife.js, /locales/de.iife.js    the same files, revalidated on every use (ETag, 304)
//
// A page that still names an older version (the server was upgraded) is redirected to this one.
//
//   const files = openWidgetFiles('/path/to/widget'); // throws a readable Error on a bad folder
//   if (await files.serve(req, res, path)) return;
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

const VERSIONED_PREFIX = '/widget/';
const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';
// Only names a build writes: nothing from a request ever reaches the file system.
const FILE_NAME = /^(locales\/)?[A-Za-z0-9][A-Za-z0-9-]*\.iife\.js(\.map)?$/;

interface Encoded {
  body: Buffer;
  etag: string;
  encoding?: 'br' | 'gzip';
}
interface LoadedFile {
  contentType: string;
  identity: Encoded;
  br: Encoded;
  gzip: Encoded;
}

export interface WidgetFiles {
  /** The version in the immutable paths: the widget's package version, or a hash of its content. */
  version: string;
  /** The files found, as relative names (`confab.iife.js`, `locales/de.iife.js`). */
  names: string[];
  /** Answers the request when `path` is one of the widget's files; false when it is not. */
  serve(req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean>;
  /** The widget's server rendering (its `ssr.js`, the npm package's `confab/ssr`), null when the folder has none. */
  renderer(): Promise<ThreadRenderer | null>;
}

/** What `confab/ssr` exports (src/ssr.tsx in the widget). */
export interface ThreadRenderer {
  renderThreadHtml(options: {
    thread: string;
    page: unknown;
    sort?: string;
    pageSize?: number;
    locale?: string;
    theme?: string;
  }): Promise<string>;
}

/**
 * Lists the widget's files in `dir` (its `*.iife.js`, `locales/*.iife.js` and their maps). The
 * version comes from `manifest.json` beside them (written when the server package is built),
 * else from a hash of `confab.iife.js`.
 */
export function openWidgetFiles(dir: string): WidgetFiles {
  let names: string[];
  let version: string;
  try {
    const list = (sub: string) =>
      existsSync(join(dir, sub)) ? readdirSync(join(dir, sub)).map((name) => (sub ? `${sub}/${name}` : name)) : [];
    names = [...list(''), ...list('locales')].filter((name) => FILE_NAME.test(name)).sort();
    version = readVersion(dir, names.includes('confab.iife.js'));
  } catch (error) {
    throw new Error(`The widget folder ${dir} cannot be read: ${(error as Error).message}`, { cause: error });
  }
  const available = new Set(names);
  const loaded = new Map<string, Promise<LoadedFile>>();

  const load = (name: string) => {
    let file = loaded.get(name);
    if (!file) {
      file = loadFile(
        join(dir, name),
        name.endsWith('.map') ? 'application/json; charset=utf-8' : 'text/javascript; charset=utf-8',
      );
      loaded.set(name, file);
      // A failed read is tried again by the next request.
      file.catch(() => loaded.delete(name));
    }
    return file;
  };

  let renderer: Promise<ThreadRenderer | null> | undefined;
  return {
    version,
    names,
    renderer: () =>
      (renderer ??= existsSync(join(dir, 'ssr.js'))
        ? (import(pathToFileURL(join(dir, 'ssr.js')).href) as Promise<ThreadRenderer>)
        : Promise.resolve(null)),
    async serve(req, res, path) {
      let name: string;
      let cacheControl = REVALIDATE;
      if (path.startsWith(VERSIONED_PREFIX)) {
        const rest = path.slice(VERSIONED_PREFIX.length);
        const slash = rest.indexOf('/');
        if (slash === -1) return false;
        name = rest.slice(slash + 1);
        if (!available.has(name)) return false;
        if (rest.slice(0, slash) !== version) {
          res.writeHead(302, { Location: `${VERSIONED_PREFIX}${version}/${name}`, 'Cache-Control': REVALIDATE });
          res.end();
          return true;
        }
        cacheControl = IMMUTABLE;
      } else {
        name = path.slice(1);
        if (!available.has(name)) return false;
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') return false;

      const file = await load(name);
      const chosen = chooseEncoding(req.headers['accept-encoding'], file);
      const headers: Record<string, string | number> = {
        'Content-Type': file.contentType,
        'Cache-Control': cacheControl,
        ETag: chosen.etag,
        Vary: 'Accept-Encoding',
        'X-Content-Type-Options': 'nosniff',
        // Embedded by other sites by design, including those that require CORP (COEP pages).
        'Cross-Origin-Resource-Policy': 'cross-origin',
      };
      if (chosen.encoding) headers['Content-Encoding'] = chosen.encoding;
      if (etagMatches(req.headers['if-none-match'], chosen.etag)) {
        res.writeHead(304, headers).end();
        return true;
      }
      res.writeHead(200, { ...headers, 'Content-Length': chosen.body.length });
      res.end(req.method === 'HEAD' ? undefined : chosen.body);
      return true;
    },
  };
}

function readVersion(dir: string, hasBundle: boolean): string {
  const manifest = join(dir, 'manifest.json');
  if (existsSync(manifest)) {
    const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version?: unknown };
    if (typeof version === 'string' && /^[\w.+-]{1,64}$/.test(version)) return version;
  }
  if (!hasBundle) return 'none';
  return createHash('sha256')
    .update(readFileSync(join(dir, 'confab.iife.js')))
    .digest('hex')
    .slice(0, 12);
}

async function loadFile(file: string, contentType: string): Promise<LoadedFile> {
  const raw = await readFile(file);
  const hash = createHash('sha256').update(raw).digest('base64url').slice(0, 22);
  const [br, gz] = await Promise.all([
    brotli(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length } }),
    gzipAsync(raw, { level: 9 }),
  ]);
  return {
    contentType,
    identity: { body: raw, etag: `"${hash}"` },
    br: { body: br, etag: `"${hash}-br"`, encoding: 'br' },
    gzip: { body: gz, etag: `"${hash}-gz"`, encoding: 'gzip' },
  };
}

/** Brotli when the client takes it, else gzip, else the file as it is. */
function chooseEncoding(header: string | undefined, file: LoadedFile): Encoded {
  const accepted = new Set(
    (header ?? '')
      .split(',')
      .map((part) => part.trim().toLowerCase().split(';'))
      .filter(([, q]) => !/^\s*q\s*=\s*0(\.0*)?\s*$/.test(q ?? ''))
      .map(([coding]) => coding),
  );
  if (accepted.has('br')) return file.br;
  if (accepted.has('gzip') || accepted.has('*')) return file.gzip;
  return file.identity;
}

function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === etag);
}
