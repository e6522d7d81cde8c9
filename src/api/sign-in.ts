// Sign-in from the host site, the network side (the `sso` option): the token on every request. Part of the sign-in part (../sign-in-part.ts), loaded only on pages with
// `sso`; the views are ui/SignIn.ts.
import type { Transport } from '../adapters/server-client';
import type { ConfabError } from '../errors';
import type { SsoOptions } from '../options';

/**
 * Sends every request as the signed-in reader: `Confab-User: <token>` when the page has one
 * (read once and kept in memory only: never a cookie, a URL or storage). On `sso_expired` the
 * page is asked for a new token and the request tried once more; a second failure is the
 * caller's. A token function that throws reads as signed out.
 */
export function withUser(token: SsoOptions['token']) {
  let current: Promise<string | null> | undefined;
  const read = (fresh?: boolean) =>
    (!fresh && current) ||
    (current = Promise.resolve()
      .then(() => (typeof token === 'function' ? token() : token))
      .then(
        (jwt) => (typeof jwt === 'string' && jwt) || null,
        () => null,
      ));
  const wrap =
    (send: Transport): Transport =>
    async (path, init, call, answer) => {
      const attempt = async (fresh?: boolean) => {
        const jwt = await read(fresh);
        const headers = { ...(init.headers as Record<string, string>) };
        if (jwt) headers['Confab-User'] = jwt;
        // A signed-in reader's own comment has no edit token (thread-store): the header speaks for them.
        if (headers.Authorization === 'Bearer ') delete headers.Authorization;
        return send(path, { ...init, headers }, call, answer);
      };
      try {
        return await attempt();
      } catch (error) {
        if ((error as ConfabError).serverCode !== 'sso_expired') throw error;
        return attempt(true);
      }
    };
  return { read, wrap };
}
