// Sign-in from the host site (the `sso` option): who the reader is, read from the server
// (`GET /user`, only when the page has a token), their name in place of the name and email
// fields, and "Sign in to comment" where a server takes no guests. Only pages with `sso` need
// it: a part (see load-part.ts), loaded as the widget mounts. It imports nothing at run time:
// Preact comes from the bundle that loads it (`deps`), the strings and the store from `widget`.
// Its English travels with it; locales translate the same keys.
import type { SsoOptions } from '../options';
import type { SignedIn, SignedInUser } from '../types';
import type { CommentNode } from '../store/thread-store';
import type { Moderator } from './ModeratorTools';
import type { WidgetContextValue } from './context';
import type { PartDeps } from './load-part';

/** English, for the keys a locale (or a site's messages) does not translate. */
export const enSignIn = {
  'sso.signedInAs': 'Commenting as {name}',
  'sso.signOut': 'Sign out',
  'sso.signIn': 'Sign in to comment',
  'mod.approve': 'Approve',
  'mod.pin': 'Pin',
  'mod.unpin': 'Unpin',
  'mod.delete': 'Delete',
  'mod.lock': 'Lock thread',
  'mod.unlock': 'Unlock thread',
  'mod.failed': 'That did not work: {name}',
};
export type SignInKey = keyof typeof enSignIn;

/** SsoOptions checked: the URLs absolute http(s) (relative ones resolved) or null. */
export interface NormalizedSso {
  token: SsoOptions['token'];
  loginUrl: string | null;
  logoutUrl: string | null;
}

/** An http(s) URL (relative ones resolved against the page), or null when not given. */
function ssoUrl(value: unknown, name: string): string | null {
  if (value === undefined || value === null || value === '') return null;
  let url: URL | null = null;
  try {
    url = new URL(String(value), document.baseURI);
  } catch {
    // Not a URL at all: refused below.
  }
  if (typeof value !== 'string' || !/^https?:$/.test(url?.protocol ?? ''))
    throw new Error(`Confab: "sso.${name}" must be an http(s) URL, got ${JSON.stringify(value)}.`);
  return url!.href;
}

/** The option, or the script tag's data-* (embed.ts hands them over as they are). */
export function normalizeSso(sso: SsoOptions & { ssoToken?: string }): NormalizedSso {
  if (typeof sso !== 'object' || sso === null)
    throw new Error('Confab: "sso" must be an object: { token, loginUrl, logoutUrl }.');
  const token = 'ssoToken' in sso ? sso.ssoToken : sso.token;
  if (token !== null && token !== undefined && typeof token !== 'string' && typeof token !== 'function') {
    throw new Error('Confab: "sso.token" (data-sso-token) must be a text or a function that returns a promise of one.');
  }
  return {
    // The token lives here only, in memory: never in a cookie, a URL or storage.
    token: token ?? null,
    loginUrl: ssoUrl(sso.loginUrl, 'loginUrl'),
    logoutUrl: ssoUrl(sso.logoutUrl, 'logoutUrl'),
  };
}

/** The page's address with `returnTo=<current URL>` added to `loginUrl`. */
export function loginHref(loginUrl: string, here = location.href): string {
  const url = new URL(loginUrl);
  url.searchParams.set('returnTo', here);
  return url.href;
}

/** `t(key)`, or the part's English when no translation has the key. */
export const translator =
  ({ t }: WidgetContextValue) =>
  (key: SignInKey, name = ''): string =>
    (t(key, { name }) || enSignIn[key]).replace('{name}', name);

/**
 * What the widget shows of the sign-in, on the given Preact: the signed-in reader's name and Sign
 * out in place of the name and email fields, "Sign in to comment" in place of the form where the
 * server takes no guests, and, for a moderator, `moderator`'s lock switch and comment tools.
 */
export function signedInView(
  [h]: PartDeps,
  sso: NormalizedSso,
  user: SignedInUser | null,
  moderator?: Moderator,
): SignedIn<WidgetContextValue, CommentNode> {
  return {
    user,
    form(widget, parentId) {
      const tr = translator(widget);
      const thread = parentId === null && moderator?.threadSwitch(widget);
      if (!user)
        return widget.store.thread.value?.features.guests === false
          ? [
              h('p', {
                class: 'confab-sign-in',
                children: sso.loginUrl
                  ? h('a', {
                      class: 'confab-button confab-button--primary',
                      href: loginHref(sso.loginUrl),
                      children: tr('sso.signIn'),
                    })
                  : tr('sso.signIn'),
              }),
            ]
          : [];
      const identity = h('p', {
        class: 'confab-signed-in',
        children: [
          user.avatarUrl && h('img', { class: 'confab-avatar', src: user.avatarUrl, alt: '', width: 24, height: 24 }),
          h('bdi', { children: tr('sso.signedInAs', user.name || widget.t('comment.guest')) }),
          sso.logoutUrl && [' ', h('a', { href: sso.logoutUrl, children: tr('sso.signOut') })],
          thread && [' ', thread],
        ],
      });
      // A locked thread has no form: a moderator gets its notice with the switch to unlock it.
      return thread && widget.store.locked.value
        ? [
            h('div', {
              class: 'confab-form',
              children: [h('p', { class: 'confab-notice', role: 'status', children: widget.t('thread.locked') }), identity],
            }),
          ]
        : [undefined, identity];
    },
    tools: moderator && ((widget, node) => moderator.commentTools(widget, node)),
  };
}
