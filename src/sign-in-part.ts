// The sign-in part (confab-signin.iife.js; an import() in the npm build): loaded only on pages
// with the `sso` option (see ui/load-part.ts). The network side is api/sign-in.ts, the views
// ui/SignIn.ts and, for moderators, ui/ModeratorTools.ts; this joins them. It imports nothing at
// run time from the bundle's modules: what it needs of them comes as arguments.
import type { Transport } from './adapters/server-client';
import { moderationClient } from './api/moderation';
import { withUser } from './api/sign-in';
import type { parseComment } from './api/validate';
import type { SsoOptions } from './options';
import type { ThreadStore } from './store/thread-store';
import type { PartDeps } from './ui/load-part';
import { moderatorTools } from './ui/ModeratorTools';
import { normalizeSso, signedInView } from './ui/SignIn';

/**
 * Checks the option (throws an Error that names what is wrong) and returns the widget's sign-in:
 * `wrap`, which sends the HTTP adapter's requests as the signed-in reader, and `show`, which
 * reads who that is (only when the page has a token) and hands the store what shows it.
 */
export function signIn(deps: PartDeps, options: SsoOptions, parse: typeof parseComment) {
  const sso = normalizeSso(options);
  const { read, wrap } = withUser(sso.token);
  // The HTTP adapter's transport, as the signed-in reader: a moderator's actions go through it too.
  let sendAs: Transport | undefined;
  return {
    wrap: (send: Transport) => (sendAs ??= wrap(send)),
    show: (store: ThreadStore) =>
      read()
        // null when no one is signed in, or the server cannot say who.
        .then((token) => (token && store.adapter.user?.()) || null)
        .catch(() => null)
        .then((user) => {
          const moderator =
            user?.role === 'moderator' && sendAs
              ? moderatorTools(deps, store, moderationClient(sendAs, store.threadId, parse))
              : undefined;
          store.signIn.value = signedInView(deps, sso, user, moderator);
        }),
  };
}
