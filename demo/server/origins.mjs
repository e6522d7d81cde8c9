// Which web pages may use the API from a browser (CORS). Requests without an Origin header
// (curl, other servers) are not a browser acting for a page and pass; the server's own pages
// always pass; other origins only when listed in ALLOWED_ORIGINS, or all with `*`.
//
//   const policy = createOriginPolicy(['https://blog.example.com']);
//   const { allowed, headers } = policy.check(req);

/** @param {'*' | string[]} allowedOrigins */
export function createOriginPolicy(allowedOrigins) {
  const listed = new Set(allowedOrigins === '*' ? [] : allowedOrigins);

  return {
    /**
     * @param {import('node:http').IncomingMessage} req
     * @returns {{ allowed: boolean, headers: Record<string, string> }} `headers` go on the answer
     */
    check(req) {
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

/** @param {string} origin @param {string | undefined} host */
function isSameHost(origin, host) {
  try {
    return host !== undefined && new URL(origin).host === host.toLowerCase();
  } catch {
    return false;
  }
}
