// The demo host site's pages: an article with the Confab widget under it, and the same look for
// the demo's other pages (host.mjs).
//
//   renderArticlePage({ article: { title, paragraphs }, thread: { id }, scriptSrc: '/confab.iife.js',
//     endpoint: 'http://127.0.0.1:4173/api' })
//   renderSitePage({ title: 'Sign in', main: '<h1>Sign in</h1>…' })

/** @param {unknown} value */
export function escapeHtml(value) {
  return String(value)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

// The host page's own look; the widget brings its own styles inside its shadow root.
const STYLE = `
  :root {
    color-scheme: light;
    --ink: #1f2328;
    --muted: #57606a;
    --paper: #faf8f4;
    --rule: #e2ddd3;
    --accent: #1d5a9e;
  }
  * { box-sizing: border-box; }
  body {
    margin: 0;
    background: var(--paper);
    color: var(--ink);
    font: 1.125rem/1.7 Charter, "Bitstream Charter", "Sitka Text", Cambria, Georgia, serif;
    -webkit-text-size-adjust: 100%;
  }
  a { color: var(--accent); }
  :focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
  .skip-link { position: absolute; left: 1rem; top: -3rem; padding: .5rem 1rem; background: #fff; }
  .skip-link:focus { top: 1rem; }
  .wrap { max-width: 42rem; margin: 0 auto; padding: 0 1.25rem; }
  .site-header { background: #fff; border-bottom: 1px solid var(--rule); }
  .site-header .wrap { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; column-gap: 1rem; }
  .site-nav, .button { font: .9375rem/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; }
  .site-nav { margin: 0; padding: .5rem 0; color: var(--muted); }
  .link-button { padding: 0; border: 0; background: none; color: var(--accent); font: inherit; text-decoration: underline; cursor: pointer; }
  .button { padding: .5rem 1rem; border: 1px solid var(--accent); border-radius: .375rem; background: #fff; color: var(--accent); cursor: pointer; }
  .site-name {
    display: inline-block;
    padding: 1rem 0;
    color: var(--ink);
    font: 600 1rem/1.2 system-ui, -apple-system, "Segoe UI", sans-serif;
    letter-spacing: .02em;
    text-decoration: none;
  }
  h1 {
    margin: 2.5rem 0 1.5rem;
    font-size: clamp(1.75rem, 1rem + 3vw, 2.5rem);
    line-height: 1.2;
    text-wrap: balance;
  }
  article p { margin: 0 0 1.25em; }
  .comments { margin: 3rem 0 4rem; padding-top: 2rem; border-top: 1px solid var(--rule); }
  .comments noscript p { color: var(--muted); }
`;

/**
 * A page of the demo site: its header (the site's name and `nav`, HTML), then `main` (HTML).
 * @param {{ title: string, main: string, nav?: string, skipLabel?: string, end?: string }} options
 *   `end`: HTML after the main part (the widget's script tag)
 * @returns {string} a complete HTML document
 */
export function renderSitePage({ title, main, nav = '', skipLabel = 'Skip to the content', end = '' }) {
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <link rel="icon" href="data:,">
  <title>${escapeHtml(title)} · Confab demo</title>
  <style>${STYLE}</style>
</head>
<body>
  <a class="skip-link" href="#main">${escapeHtml(skipLabel)}</a>
  <header class="site-header">
    <div class="wrap"><a class="site-name" href="/">Confab demo</a>${nav}</div>
  </header>
  <main id="main" class="wrap">
${main}
  </main>
${end}</body>
</html>
`;
}

/**
 * @param {{ article: { title: string, paragraphs: string[] }, thread: { id: string },
 *   scriptSrc: string, endpoint: string,
 *   sso?: { token?: string, loginUrl?: string, logoutUrl?: string }, nav?: string,
 *   commentsHtml?: string }} options
 *   `sso`: the sign-in attributes of the script tag (data-sso-token, …); `nav`: HTML for the header;
 *   `commentsHtml`: the server's rendering of the thread (GET /api/threads/{thread}/html), adopted by the widget
 * @returns {string} a complete HTML document
 */
export function renderArticlePage({ article, thread, scriptSrc, endpoint, sso = {}, nav = '', commentsHtml = '' }) {
  const attributes = {
    src: scriptSrc,
    'data-endpoint': endpoint,
    'data-thread': thread.id,
    'data-sso-token': sso.token,
    'data-login-url': sso.loginUrl,
    'data-logout-url': sso.logoutUrl,
  };
  const script = Object.entries(attributes)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => `${name}="${escapeHtml(value)}"`)
    .join(' ');
  const paragraphs = article.paragraphs.map((text) => `      <p>${escapeHtml(text)}</p>`).join('\n');
  return renderSitePage({
    title: article.title,
    nav,
    skipLabel: 'Skip to the article',
    main: `    <article>
      <h1>${escapeHtml(article.title)}</h1>
${paragraphs}
    </article>
    <section class="comments" aria-label="Comments">
      <div id="confab">${commentsHtml}</div>${commentsHtml ? '' : '\n      <noscript><p>Comments need JavaScript.</p></noscript>'}
    </section>`,
    end: `  <script ${script} async></script>\n`,
  });
}
