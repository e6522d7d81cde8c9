// Which web pages may use the API from a browser (CORS). Requests without an Origin header
// (curl, other servers) are not a browser acting for a page and pass; the server's own pages
// always pass; other origins only when listed in ALLOWED_ORIGINS, or all with `*`.
//
//   const policy = createOriginPolicy(['https://blog.example.com']);
//   const { allowed, headers } = policy.check(req);
import type { IncomingMessage } from 'node:http';

export function createOriginPolicy(allowedOrigins: '*' | string[]) {
  const listed = new Set(allowedOrigins === '*' ? [] : allowedOrigins);

  return {
    /** @returns `headers` go on the answer */
    check(req: IncomingMessage): { allowed: boolean; headers: Record<string, string> } {
      const origin = req.headers.origin;
      if (allowedOrigins === '*') return { allowed: true, headers: { 'Access-Control-Allow-Origin': '*' } };
      // The answer depends on the Origin header, which caches must know.
      const vary = { Vary: 'Origin' };
      if (origin === undefined) return { allowed: true, headers: vary };
      const allowed = listed.has(origin) || isSameHost(origin, req.headers.host);
      return { allowed, headers: allowed ? { ...vary, 'Access-Control-Allow-Origin': origin } : vary };
    },
  };
}

export type OriginPolicy = ReturnType<typeof createOriginPolicy>;

function isSameHost(origin: string, host: string | undefined) {
  try {
    return host !== undefined && new URL(origin).host === host.toLowerCase();
  } catch {
    return false;
  }
}
