// The moderation dashboard's built files (server/admin, built by Vite into dist/admin), served at
// /admin/ on the server's own origin. Read once at start; the hashed assets are cached for a year,
// the page is revalidated, and every answer forbids inline scripts and framing.
//
// The page's words before its script runs (its <title> and <noscript> line, and its lang and dir)
// are in the language of the browser's Accept-Language, by the widget's rule (region, then
// language, then English): the catalogs' `admin.app.title` and `admin.page.noscript`, which
// scripts/copy-widget.mjs writes into widget/dashboard-page.json; without it, English.
//
//   const dashboard = openDashboardFiles(`${PACKAGE_DIR}dist/admin`); // null when not built
//   dashboard?.serve(req, res, '/admin/');
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join } from 'node:path';
import { catalogFor, isRtl } from './mail-messages.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.map': 'application/json; charset=utf-8',
};

// Only what the page itself needs: its own scripts, styles, images and API (and its event stream).
const SECURITY_HEADERS = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
};

type File = { body: Buffer; type: string; etag: string; immutable: boolean };

/** A catalog's words for the page: its title and its <noscript> line. */
export type PageWords = Record<string, { 'app.title'?: string; 'page.noscript'?: string }>;

function readPageWords(): PageWords {
  try {
    return JSON.parse(readFileSync(new URL('../widget/dashboard-page.json', import.meta.url), 'utf8')) as PageWords;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
}

/**
 * The catalog for an Accept-Language header: its tags by their q (in order when equal), the first
 * that reads a catalog in `words` (`de-AT` → de, `pt` → pt-BR), or English for an English tag,
 * none, or none with a catalog.
 */
export function pageCatalog(header: string | undefined, words: PageWords): string {
  const tags = String(header ?? '')
    .split(',')
    .map((part, at) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((param) => /^\s*q\s*=\s*([\d.]+)\s*$/i.exec(param)?.[1]).find((value) => value !== undefined);
      return { tag: tag.trim(), q: q === undefined ? 1 : Number(q), at };
    })
    .filter(({ tag, q }) => tag !== '' && tag !== '*' && q > 0)
    .sort((a, b) => b.q - a.q || a.at - b.at);
  for (const { tag } of tags) {
    let locale: string;
    try {
      locale = Intl.getCanonicalLocales(tag)[0]!;
    } catch {
      continue;
    }
    if (new Intl.Locale(locale).language === 'en') return 'en';
    const catalog = catalogFor(locale);
    if (catalog !== 'en' && Object.hasOwn(words, catalog)) return catalog;
  }
  return 'en';
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** The page in one catalog's words: English's where the catalog has none. */
function translatedPage(html: string, catalog: string, words: PageWords[string]): string {
  let page = html.replace(/<html lang="en">/, `<html lang="${escapeHtml(catalog)}"${isRtl(catalog) ? ' dir="rtl"' : ''}>`);
  const title = words['app.title'];
  const noscript = words['page.noscript'];
  if (title) page = page.replace(/<title>[^<]*<\/title>/, `<title>${escapeHtml(title)}</title>`);
  if (noscript) page = page.replace(/<noscript>[^<]*<\/noscript>/, `<noscript>${escapeHtml(noscript)}</noscript>`);
  return page;
}

export type DashboardFiles = {
  serve(req: IncomingMessage, res: ServerResponse, path: string): void;
};

/** Null when the folder has no index.html (the dashboard was not built). */
export function openDashboardFiles(dir: string, words: PageWords = readPageWords()): DashboardFiles | null {
  if (!existsSync(join(dir, 'index.html'))) return null;
  const files = new Map<string, File>();
  const walk = (sub: string) => {
    for (const entry of readdirSync(join(dir, sub), { withFileTypes: true })) {
      const name = sub ? `${sub}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(name);
      else {
        const body = readFileSync(join(dir, name));
        files.set(name, {
          body,
          type: TYPES[extname(name)] ?? 'application/octet-stream',
          etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`,
          immutable: name.startsWith('assets/'),
        });
      }
    }
  };
  walk('');
  const index = files.get('index.html')!;
  // The page per catalog, made when first asked for (at most one per catalog).
  const pages = new Map<string, File>([['en', index]]);
  const pageFor = (catalog: string): File => {
    let page = pages.get(catalog);
    if (!page) {
      const body = Buffer.from(translatedPage(index.body.toString('utf8'), catalog, words[catalog] ?? {}));
      page = { ...index, body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"` };
      pages.set(catalog, page);
    }
    return page;
  };

  return {
    serve(req, res, path) {
      if (path === '/admin') {
        res.writeHead(308, { Location: '/admin/', 'Content-Length': 0 }).end();
        return;
      }
      const name = path.slice('/admin/'.length);
      // Any other path under /admin/ is the app's own (its views live in the URL's hash).
      const found = files.get(name) ?? (name.startsWith('assets/') ? undefined : index);
      if (!found) {
        res.writeHead(404, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found');
        return;
      }
      const isPage = found === index;
      const file = isPage ? pageFor(pageCatalog(req.headers['accept-language'], words)) : found;
      const headers = {
        ...SECURITY_HEADERS,
        'Content-Type': file.type,
        ETag: file.etag,
        'Cache-Control': file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
        ...(isPage ? { Vary: 'Accept-Language' } : {}),
      };
      if (req.headers['if-none-match'] === file.etag) {
        res.writeHead(304, headers).end();
        return;
      }
      res.writeHead(200, { ...headers, 'Content-Length': file.body.length });
      res.end(req.method === 'HEAD' ? undefined : file.body);
    },
  };
}
