// The demo plays the host site, sign-in included: a "Sign in as …" switch in its header, backed
// by demo-only pages, and the article page's script tag carrying a Confab-User token its back
// end signed (HS256, jose) with the secret it shares with the server, as a real site does.
//
//   const app = await startServer({ ...demoSite({ seed, ssoSecret }), widgetDir });
//
//   GET  /                   the article; signed in, its script tag has data-sso-token (1 hour)
//   GET  /demo/sign-in       the people to sign in as (?returnTo=<a page of this site>)
//   POST /demo/sign-in       persona=<id>&returnTo=…: sets the confab_demo_user cookie, 303 back
//   GET|POST /demo/sign-out  clears it, 303 to / (or returnTo)
//
// The cookie only names a persona of the list below; the token is only ever in the page's HTML,
// never in a cookie or a URL.
import { SignJWT } from 'jose';
import { escapeHtml, renderArticlePage, renderSitePage } from './page.mjs';

/** Who one may be on the demo site; `role` goes into the token. */
export const DEMO_PERSONAS = [
  { id: 'ada', name: 'Ada Lovelace', short: 'Ada', label: 'reader' },
  { id: 'grace', name: 'Grace Hopper', short: 'Grace', label: 'moderator', role: 'moderator' },
];
export const DEMO_COOKIE = 'confab_demo_user';
const SIGN_IN_PATH = '/demo/sign-in';
const SIGN_OUT_PATH = '/demo/sign-out';
const TOKEN_LIFETIME = '1h';
const MAX_FORM_BYTES = 8 * 1024;
const COOKIE_ATTRIBUTES = 'Path=/; HttpOnly; SameSite=Lax';

/**
 * The demo's options for startServer: its seed thread, the sign-in secret and its pages.
 * @template {{ article: { title: string, paragraphs: string[] }, thread: { id: string } }} Seed
 * @param {{ seed: Seed, ssoSecret: string }} options
 */
export function demoSite({ seed, ssoSecret }) {
  return { seed, ssoSecret, hostPages: demoHostPages({ seed, ssoSecret }) };
}

/**
 * The `hostPages` option of startServer for the demo: /, /demo/sign-in and /demo/sign-out.
 * @param {{ seed: { article: { title: string, paragraphs: string[] }, thread: { id: string } },
 *   ssoSecret: string }} options
 * @returns {(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse,
 *   where: { path: string, url: string, widgetSrc: string }) => Promise<boolean>}
 */
export function demoHostPages({ seed, ssoSecret }) {
  if (!ssoSecret) throw new Error('The demo site needs the SSO secret it shares with the server');
  const key = new TextEncoder().encode(ssoSecret);
  /** A fresh token for the persona, as the site's back end signs it. */
  const signToken = (persona) =>
    new SignJWT({ name: persona.name, ...(persona.role && { role: persona.role }) })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(persona.id)
      .setIssuedAt()
      .setExpirationTime(TOKEN_LIFETIME)
      .sign(key);

  return async (req, res, { path, url, widgetSrc }) => {
    const reading = req.method === 'GET' || req.method === 'HEAD';
    const posting = req.method === 'POST';
    const persona = signedInPersona(req);
    if (path === '/' && reading) {
      const sso = persona
        ? { token: await signToken(persona), loginUrl: SIGN_IN_PATH, logoutUrl: SIGN_OUT_PATH }
        : { loginUrl: SIGN_IN_PATH };
      const { article, thread } = seed;
      const nav = renderSwitch(persona, '/');
      // The thread's first page rendered by the server (confab/ssr), which the widget adopts:
      // comments show before any script runs. Without it (an error), the widget renders them.
      const commentsHtml = await fetch(`${url}/api/threads/${encodeURIComponent(thread.id)}/html`).then(
        (response) => (response.ok ? response.text() : ''),
        () => '',
      );
      sendHtml(
        res,
        200,
        renderArticlePage({ article, thread, scriptSrc: widgetSrc, endpoint: `${url}/api`, sso, nav, commentsHtml }),
      );
      return true;
    }
    if (path !== SIGN_IN_PATH && path !== SIGN_OUT_PATH) return false;
    if (!reading && !posting) res.writeHead(405, { Allow: 'GET, HEAD, POST' }).end();
    else if (posting && !sameOrigin(req)) {
      const main = '    <h1>Refused</h1>\n    <p>This form may only be sent from the demo site.</p>';
      sendHtml(res, 403, renderSitePage({ title: 'Refused', main }));
    } else {
      const form = posting ? await readForm(req) : new URLSearchParams(splitQuery(req.url));
      const returnTo = localPath(form.get('returnTo'), req);
      const chosen = findPersona(form.get('persona'));
      if (path === SIGN_OUT_PATH) redirect(res, returnTo, `${DEMO_COOKIE}=; ${COOKIE_ATTRIBUTES}; Max-Age=0`);
      else if (reading) sendHtml(res, 200, renderSignInPage(persona, returnTo));
      else if (chosen) redirect(res, returnTo, `${DEMO_COOKIE}=${chosen.id}; ${COOKIE_ATTRIBUTES}`);
      else sendHtml(res, 400, renderSignInPage(persona, returnTo, 'Pick one of the people below.'));
    }
    return true;
  };
}

/** The persona the request's cookie names, or null (no cookie, or not one of ours). */
function signedInPersona(req) {
  for (const pair of (req.headers.cookie ?? '').split(';')) {
    const [name, value] = pair.trim().split('=', 2);
    if (name === DEMO_COOKIE) return findPersona(value);
  }
  return null;
}

const findPersona = (id) => DEMO_PERSONAS.find((persona) => persona.id === id) ?? null;

/**
 * The page of this site that `returnTo` names (a path, or an absolute URL on this host), as a
 * path: the redirect never leaves the site. Anything else: /.
 */
function localPath(returnTo, req) {
  const host = req.headers.host;
  if (!returnTo || !host) return '/';
  let target;
  try {
    target = new URL(returnTo, `http://${host}`);
  } catch {
    return '/';
  }
  if (target.host !== host || (target.protocol !== 'http:' && target.protocol !== 'https:')) return '/';
  const path = `${target.pathname}${target.search}${target.hash}`;
  // "//evil.example" would be another site's address.
  return path.startsWith('//') ? '/' : path;
}

/** False when the browser says the form came from another site (login CSRF). */
function sameOrigin(req) {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

function splitQuery(url = '') {
  const at = url.indexOf('?');
  return at === -1 ? '' : url.slice(at + 1);
}

/** A form-encoded body of at most MAX_FORM_BYTES (more is cut off). */
async function readForm(req) {
  let text = '';
  for await (const chunk of req) {
    if (text.length < MAX_FORM_BYTES) text += chunk;
  }
  return new URLSearchParams(text.slice(0, MAX_FORM_BYTES));
}

function sendHtml(res, status, html) {
  const body = Buffer.from(html);
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': body.length,
    // The page holds a token for whoever asked: not for a cache.
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(body);
}

function redirect(res, location, cookie) {
  res.writeHead(303, { Location: location, 'Set-Cookie': cookie, 'Cache-Control': 'no-store' }).end();
}

/** The header's switch: sign in as one of the personas, or who is signed in and Sign out. */
function renderSwitch(persona, returnTo) {
  const hidden = `<input type="hidden" name="returnTo" value="${escapeHtml(returnTo)}">`;
  if (persona) {
    return `
      <form class="site-nav" method="post" action="${SIGN_OUT_PATH}">${hidden}
        Signed in as ${escapeHtml(persona.name)} (${escapeHtml(persona.label)}) ·
        <button class="link-button">Sign out</button>
      </form>`;
  }
  const buttons = DEMO_PERSONAS.map(
    (someone) =>
      `<button class="link-button" name="persona" value="${escapeHtml(someone.id)}">${escapeHtml(someone.short)} (${escapeHtml(someone.label)})</button>`,
  ).join(' / ');
  return `
      <form class="site-nav" method="post" action="${SIGN_IN_PATH}" aria-label="Sign in to the demo site">${hidden}
        Sign in as ${buttons}
      </form>`;
}

function renderSignInPage(persona, returnTo, problem) {
  const hidden = `<input type="hidden" name="returnTo" value="${escapeHtml(returnTo)}">`;
  const buttons = DEMO_PERSONAS.map(
    (someone) =>
      `        <p><button class="button" name="persona" value="${escapeHtml(someone.id)}">Sign in as ${escapeHtml(someone.name)} (${escapeHtml(someone.label)})</button></p>`,
  ).join('\n');
  const now = persona ? `\n    <p>You are signed in as ${escapeHtml(persona.name)}.</p>` : '';
  const alert = problem ? `\n    <p role="alert">${escapeHtml(problem)}</p>` : '';
  return renderSitePage({
    title: 'Sign in',
    nav: persona ? renderSwitch(persona, returnTo) : '',
    main: `    <h1>Sign in</h1>
    <p>This demo plays a site with its own accounts. Whoever you pick, the site signs the comment
    widget a token for them with the secret it shares with the comment server (SSO_SECRET).</p>${now}${alert}
      <form method="post" action="${SIGN_IN_PATH}">${hidden}
${buttons}
      </form>
    <p><a href="${escapeHtml(returnTo)}">Back</a></p>`,
  });
}
