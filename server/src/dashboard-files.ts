// The moderation dashboard's built files (server/admin, built by Vite into dist/admin), served at
// /admin/ on the server's own origin. Read once at start; the hashed assets are cached for a year,
// the page is revalidated, and every answer forbids inline scripts and framing.
//
//   const dashboard = openDashboardFiles(`${PACKAGE_DIR}dist/admin`); // null when not built
//   dashboard?.serve(req, res, '/admin/');
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join } from 'node:path';

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

export type DashboardFiles = {
  serve(req: IncomingMessage, res: ServerResponse, path: string): void;
};

/** Null when the folder has no index.html (the dashboard was not built). */
export function openDashboardFiles(dir: string): DashboardFiles | null {
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

  return {
    serve(req, res, path) {
      if (path === '/admin') {
        res.writeHead(308, { Location: '/admin/', 'Content-Length': 0 }).end();
        return;
      }
      const name = path.slice('/admin/'.length);
      // Any other path under /admin/ is the app's own (its views live in the URL's hash).
      const file = files.get(name) ?? (name.startsWith('assets/') ? undefined : index);
      if (!file) {
        res.writeHead(404, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found');
        return;
      }
      const headers = {
        ...SECURITY_HEADERS,
        'Content-Type': file.type,
        ETag: file.etag,
        'Cache-Control': file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
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
