// The adversarial corpus (test/fixtures/xss-corpus.ts) as one thread, rendered by the script-tag
// bundle in real Chromium. The page installs its guards before the widget loads: `__pwned()`
// (and a setter of that name), hooked alert/confirm/prompt/print/open, a report-only CSP whose
// violations are recorded, and a route that blocks every request off this origin. Then, for
// every payload: nothing ran, no element carries an on* attribute, no URL attribute holds a
// script or HTML scheme, only the formatter's element kinds appear in a comment body, the body
// keeps its text, names are isolated from the UI around them, and links read left to right.
// The corpus runs through the HTTP client into a shadow root and into the page's own DOM, and
// (a known gap, expected to fail for now) through a host page's custom adapter.
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../../scripts/chromium.mjs';
import { parseComment } from '../../src/api/validate';
import { XSS_CORPUS, type XssPayload } from '../fixtures/xss-corpus';

const BUNDLE = readFileSync(new URL('../../dist/confab.iife.js', import.meta.url), 'utf8');
const T0 = Date.UTC(2024, 0, 1);
const NONCE = 'guards';

type Wire = {
  id: string;
  parentId: string | null;
  author: { name: string; url: string | null; avatarUrl: string | null };
  body: string;
  createdAt: string;
  editedAt: string | null;
  status: string;
  score: number;
};

/** One comment per payload: the hostile value in its field, harmless values elsewhere. */
function wireFor(payload: XssPayload, index: number): Wire {
  const comment: Wire = {
    id: `xss-${payload.id}`,
    parentId: null,
    author: {
      name: `Tester ${payload.id}`,
      // Half the names are links, half are not: both ways of showing a name are checked.
      url: index % 2 === 0 ? `https://tester.example/${payload.id}` : null,
      avatarUrl: index % 3 === 0 ? `https://cdn.example/${payload.id}.png` : null,
    },
    body: `Payload ${payload.id}.`,
    createdAt: new Date(T0 + index * 60_000).toISOString(),
    editedAt: null,
    status: 'published',
    score: 0,
  };
  if (payload.field === 'body') comment.body = payload.payload;
  else if (payload.field === 'author.name') comment.author.name = payload.payload;
  else if (payload.field === 'author.url') comment.author.url = payload.payload;
  else if (payload.field === 'author.avatarUrl') comment.author.avatarUrl = payload.payload;
  else comment.id = payload.payload;
  return comment;
}

const CORPUS_COMMENTS = XSS_CORPUS.map(wireFor);

/** Every kind of markup the widget makes for benign content: the baseline to compare against. */
const BASELINE_COMMENTS: Wire[] = [
  {
    id: 'b1',
    parentId: null,
    author: { name: 'Ann Lee', url: 'https://ann.example/', avatarUrl: 'https://cdn.example/ann.png' },
    body: 'Hello **bold** and *italic* and `code` with https://example.com/a link.\nA second line.\n\n> a quote\n\n```\nconst a = 1;\n```',
    createdAt: new Date(T0).toISOString(),
    editedAt: new Date(T0 + 1000).toISOString(),
    status: 'published',
    score: 2,
  },
  {
    id: 'b2',
    parentId: 'b1',
    author: { name: '', url: null, avatarUrl: null },
    body: 'A reply from a guest.',
    createdAt: new Date(T0 + 2000).toISOString(),
    editedAt: null,
    status: 'pending',
    score: 0,
  },
  {
    id: 'b3',
    parentId: 'gone',
    author: { name: 'Bob', url: null, avatarUrl: null },
    body: 'An orphan.',
    createdAt: 'not a date',
    editedAt: null,
    status: 'published',
    score: 0,
  },
  {
    id: 'b4',
    parentId: 'b2',
    author: { name: 'Cy', url: null, avatarUrl: null },
    body: 'Deleted, with a reply below it.',
    createdAt: new Date(T0 + 3000).toISOString(),
    editedAt: null,
    status: 'deleted',
    score: 0,
  },
  {
    id: 'b5',
    parentId: 'b4',
    author: { name: 'Di', url: null, avatarUrl: null },
    body: 'Reply to a deleted comment.',
    createdAt: new Date(T0 + 4000).toISOString(),
    editedAt: null,
    status: 'published',
    score: 0,
  },
];

const THREADS: Record<string, Wire[]> = { xss: CORPUS_COMMENTS, baseline: BASELINE_COMMENTS };

/**
 * A report-only policy: it blocks nothing (a hole must show up as a run payload, not be
 * hidden by CSP), but every inline handler, javascript: URL, foreign script or injected style
 * that tries to run is reported to the page's `securitypolicyviolation` listener.
 */
const CSP_REPORT_ONLY = [
  "default-src 'self'",
  `script-src 'self' 'nonce-${NONCE}'`,
  "style-src 'self'",
  'img-src http: https:',
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-src 'none'",
].join('; ');

const GUARDS = `
  window.__hits = [];
  const hit = (what) => window.__hits.push(String(what));
  Object.defineProperty(window, '__pwned', {
    configurable: false,
    get: () => (id) => hit('pwned: ' + id),
    set: (value) => hit('set __pwned = ' + value),
  });
  for (const name of ['alert', 'confirm', 'prompt', 'print', 'open']) {
    window[name] = (...args) => { hit(name + '(' + args.join(', ') + ')'); return null; };
  }
  window.__violations = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__violations.push(e.violatedDirective + ' ' + (e.blockedURI || '') + ' ' + (e.sample || ''));
  }, true);
  window.addEventListener('error', (e) => hit('error: ' + e.message));
  window.addEventListener('unhandledrejection', (e) => hit('rejection: ' + e.reason));
`;

function pageHtml(thread: string, mode: string) {
  // "adapter": the host page mounts by hand with its own adapter, which hands the widget the
  // backend's comments as they came (dates as numbers), without the HTTP client's validator.
  const mount =
    mode === 'adapter'
      ? `<script src="/confab.iife.js" data-auto-mount="false"></script>
<script nonce="${NONCE}">
  fetch('/api/threads/${thread}/comments').then((r) => r.json()).then((page) => {
    const comments = page.comments.map((c) => ({ ...c, createdAt: Date.parse(c.createdAt), editedAt: null }));
    Confab.mount(document.querySelector('#confab'), {
      thread: '${thread}',
      adapter: { list: async () => ({ thread: page.thread, comments, nextCursor: null, skipped: 0 }) },
    });
  });
</script>`
      : `<script src="/confab.iife.js" data-endpoint="/api" data-thread="${thread}" data-shadow="${mode === 'shadow'}" data-page-size="100"></script>`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>XSS corpus</title><script nonce="${NONCE}">${GUARDS}</script></head>
<body><h1>Article</h1><div id="confab"></div>
${mount}
</body></html>`;
}

function startServer(): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const page = /^\/page\/(\w+)\/(shadow|light|adapter)$/.exec(url.pathname);
    const api = /^\/api\/threads\/(\w+)\/comments$/.exec(url.pathname);
    if (page) {
      res.writeHead(200, {
        'Content-Type': 'text/html; charset=utf-8',
        'Content-Security-Policy-Report-Only': CSP_REPORT_ONLY,
      });
      res.end(pageHtml(page[1]!, page[2]!));
    } else if (url.pathname === '/confab.iife.js') {
      res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8' });
      res.end(BUNDLE);
    } else if (/^\/confab-[a-z]+\.iife\.js$/.test(url.pathname)) {
      // The parts the bundle loads on demand (the comments' buttons, posting…), next to it.
      res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8' });
      res.end(readFileSync(new URL(`../../dist${url.pathname}`, import.meta.url)));
    } else if (api && THREADS[api[1]!]) {
      const comments = THREADS[api[1]!]!;
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(
        JSON.stringify({
          thread: { id: api[1], title: 'XSS corpus', url: null, commentCount: comments.length, locked: false },
          comments,
          nextCursor: null,
        }),
      );
    } else {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('not found');
    }
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }),
    );
  });
}

interface Seen {
  tags: string[];
  attributes: string[];
  hits: string[];
  violations: string[];
}

/** Opens a thread page, waits for `count` comments, and returns what the page saw. */
type Mode = 'shadow' | 'light' | 'adapter';

const ONE_PIXEL_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  'base64',
);

async function openThread(page: Page, origin: string, thread: string, mode: Mode, count: number) {
  const shadow = mode !== 'light';
  const offOrigin: string[] = [];
  await page.route(
    (url) => url.origin !== origin,
    (route) => {
      offOrigin.push(route.request().url());
      // Nothing leaves the machine; an avatar gets a real image, so the widget keeps its <img>
      // (a failed one falls back to initials).
      return route.request().resourceType() === 'image'
        ? route.fulfill({ contentType: 'image/png', body: ONE_PIXEL_PNG })
        : route.abort();
    },
  );
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(`${origin}/page/${thread}/${mode}`);
  await page.waitForFunction(
    ({ shadow, count }) => {
      const host = document.querySelector('#confab');
      const root = shadow ? host?.shadowRoot : host;
      return (root?.querySelectorAll('article').length ?? 0) >= count;
    },
    { shadow, count },
    { timeout: 15_000 },
  );
  // Give anything asynchronous a chance to fire: image errors, SVG animations, autofocus,
  // details toggles, meta refresh.
  await page.waitForTimeout(600);
  return { offOrigin, pageErrors };
}

/** Tags and attribute names in the widget, plus the page's guard records. */
function survey(page: Page, shadow: boolean): Promise<Seen> {
  return page.evaluate((shadow) => {
    const host = document.querySelector('#confab')!;
    const root = shadow ? host.shadowRoot! : host;
    const tags = new Set<string>();
    const attributes = new Set<string>();
    for (const el of root.querySelectorAll('*')) {
      tags.add(el.localName);
      for (const attr of el.attributes) attributes.add(`${el.localName}[${attr.name}]`);
    }
    const w = window as unknown as { __hits: string[]; __violations: string[] };
    return { tags: [...tags].sort(), attributes: [...attributes].sort(), hits: w.__hits, violations: w.__violations };
  }, shadow);
}

interface Check {
  entry: string;
  field: string;
  commentDomId: string;
  /** The name the widget should show: what the validator makes of it, or "Guest". */
  name: string;
  body: string | null;
}

/** Runs every per-payload check in the page; returns the problems found, by payload id. */
function inspect(page: Page, shadow: boolean, checks: Check[]) {
  return page.evaluate(
    ({ shadow, checks }) => {
      const host = document.querySelector('#confab')!;
      const root = (shadow ? host.shadowRoot! : host) as ParentNode & { getElementById?: (id: string) => Element | null };
      const byId = (id: string) => (shadow ? (root as ShadowRoot).getElementById(id) : document.getElementById(id));
      const URL_ATTRIBUTES = [
        'href',
        'src',
        'action',
        'formaction',
        'xlink:href',
        'srcset',
        'poster',
        'data',
        'background',
        'ping',
        'srcdoc',
      ];
      const FORBIDDEN_TAGS = [
        'script',
        'iframe',
        'frame',
        'object',
        'embed',
        'style',
        'base',
        'form',
        'meta',
        'link',
        'svg',
        'math',
        'input',
        'button',
        'textarea',
        'select',
        'img',
        'video',
        'audio',
        'source',
        'template',
        'noscript',
        'details',
        'marquee',
        'body',
      ];
      const BODY_TAGS = new Set(['p', 'br', 'code', 'strong', 'em', 'a', 'blockquote', 'pre']);
      const BODY_LINK_ATTRIBUTES = new Set(['href', 'rel', 'target', 'dir']);
      // Lower case, and no whitespace or control characters: what a URL parser would ignore.
      // eslint-disable-next-line no-control-regex -- control characters are what it strips
      const normalize = (value: string) => value.toLowerCase().replace(/[\u0000-\u0020\u007f-\u009f\s]/g, '');
      const dangerous = (value: string) => /^(javascript:|vbscript:|data:text\/html|data:image\/svg)/.test(normalize(value));
      const keep = (s: string) => s.replace(/[\s*`>]/g, '');
      // Pairs of neighbouring characters on one line must run left to right.
      const readsLeftToRight = (el: Element) => {
        const text = el.firstChild;
        if (!text || text.nodeType !== Node.TEXT_NODE) return true;
        const range = document.createRange();
        const rectAt = (i: number) => {
          range.setStart(text, i);
          range.setEnd(text, i + 1);
          return range.getBoundingClientRect();
        };
        const length = Math.min((text.textContent ?? '').length - 1, 12);
        for (let i = 0; i < length; i++) {
          const a = rectAt(i);
          const b = rectAt(i + 1);
          if (a.width === 0 || b.width === 0 || Math.abs(a.top - b.top) > 2) continue;
          if (b.left < a.left - 0.5) return false;
        }
        return true;
      };
      const isolates = (el: Element) => el.localName === 'bdi' || el.getAttribute('dir') === 'auto';

      const problems: Record<string, string[]> = {};
      for (const check of checks) {
        const found: string[] = [];
        const article = byId(check.commentDomId);
        if (!article) {
          problems[check.entry] = ['its comment is not shown'];
          continue;
        }
        const all = [article, ...article.querySelectorAll('*')];
        for (const el of all) {
          for (const attr of el.attributes) {
            if (/^on/i.test(attr.name)) found.push(`<${el.localName} ${attr.name}>`);
            if (URL_ATTRIBUTES.includes(attr.name.toLowerCase())) {
              const value = attr.value;
              if (dangerous(value)) found.push(`<${el.localName} ${attr.name}="${value.slice(0, 60)}">`);
              const ok =
                attr.name === 'href' ? /^https?:\/\//i.test(value) || value.startsWith('#comment-') : /^https?:\/\//i.test(value);
              if (!ok) found.push(`<${el.localName} ${attr.name}> is not http(s): ${value.slice(0, 60)}`);
            }
          }
        }
        const header = article.querySelector('.confab-meta');
        for (const tag of FORBIDDEN_TAGS) {
          for (const el of article.querySelectorAll(tag)) {
            // The widget's own avatar image is the one img it makes.
            if (tag === 'img' && el.classList.contains('confab-avatar') && el.parentElement === header) continue;
            // Its own buttons live in the actions bar and the reply toggle.
            if (tag === 'button' && (el.closest('.confab-actions') || el.classList.contains('confab-toggle'))) continue;
            found.push(`a <${tag}> element`);
          }
        }
        const body = article.querySelector(':scope > .confab-body');
        if (body) {
          for (const el of body.querySelectorAll('*')) {
            if (!BODY_TAGS.has(el.localName)) found.push(`<${el.localName}> in the body`);
            for (const attr of el.attributes) {
              if (el.localName !== 'a' || !BODY_LINK_ATTRIBUTES.has(attr.name))
                found.push(`<${el.localName} ${attr.name}> in the body`);
            }
          }
          for (const link of body.querySelectorAll('a')) {
            if (!readsLeftToRight(link)) found.push(`link text does not read left to right: ${link.textContent}`);
          }
          if (check.body !== null) {
            // Every character of the body is still there as text (markup and spaces aside).
            const shown = [...body.querySelectorAll(':scope > *')].map((el) => el.textContent).join('');
            if (keep(shown) !== keep(check.body)) found.push(`the body text changed: ${JSON.stringify(shown.slice(0, 80))}`);
          }
        } else found.push('no body');

        // The name: shown as text, isolated from the time and actions next to it.
        const author = article.querySelector('.confab-author');
        const bdi = author && [author, ...author.querySelectorAll('*')].find(isolates);
        if (!author || !bdi) found.push('the name is not isolated (no <bdi> or dir=auto)');
        else {
          if (bdi.textContent !== check.name)
            found.push(
              `the name shows as ${JSON.stringify(bdi.textContent?.slice(0, 40))}, not ${JSON.stringify(check.name.slice(0, 40))}`,
            );
          if (author.textContent !== bdi.textContent) found.push('the author element holds more than the name');
          if (bdi.querySelector('*')) found.push('the name holds elements');
          const time = article.querySelector('.confab-permalink');
          const actions = article.querySelector('.confab-actions');
          if (time && bdi.contains(time)) found.push('the time is inside the name');
          if (actions && bdi.contains(actions)) found.push('the actions are inside the name');
          // Layout: avatar, then name, then time, left to right (or the time wraps below).
          const avatar = header?.querySelector('.confab-avatar');
          const a = author.getBoundingClientRect();
          const v = avatar?.getBoundingClientRect();
          if (v && v.right > a.left + 0.5 && v.bottom > a.top + 2) found.push('the name is drawn over or before the avatar');
          if (time) {
            const t = time.getBoundingClientRect();
            if (t.left < a.right - 0.5 && t.top < a.bottom - 2) found.push('the time is drawn before the name');
          }
          if (/^[\u202A-\u202E\u2066-\u2069]*[A-Za-z]{2}/.test(check.name) && !readsLeftToRight(bdi))
            found.push('the name does not read in its own order');
          if (a.right > article.getBoundingClientRect().right + 1) found.push('the name overflows its comment');
        }
        if (found.length > 0) problems[check.entry] = found;
      }
      return problems;
    },
    { shadow, checks },
  );
}

const checks: Check[] = XSS_CORPUS.map((payload, index) => {
  const wire = CORPUS_COMMENTS[index]!;
  const parsed = parseComment(wire);
  return {
    entry: payload.id,
    field: payload.field,
    commentDomId: `comment-${encodeURIComponent(wire.id)}`,
    name: parsed?.author.name || 'Guest',
    body: payload.field === 'body' ? wire.body : null,
  };
});

describe('the XSS corpus in Chromium', () => {
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let server: Server;
  let origin: string;
  let baseline: Seen;

  beforeAll(async () => {
    ({ server, origin } = await startServer());
    browser = await launchBrowser();
    const page = await browser.context.newPage();
    await openThread(page, origin, 'baseline', 'shadow', 4);
    baseline = await survey(page, true);
    await page.close();
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('has at least 60 payloads over body, name, url and avatar, with unique ids and notes', () => {
    expect(XSS_CORPUS.length).toBeGreaterThanOrEqual(60);
    expect(new Set(XSS_CORPUS.map((p) => p.id)).size).toBe(XSS_CORPUS.length);
    for (const field of ['body', 'author.name', 'author.url', 'author.avatarUrl'] as const) {
      expect(XSS_CORPUS.filter((p) => p.field === field).length).toBeGreaterThanOrEqual(8);
    }
    for (const p of XSS_CORPUS) expect(p.note.length).toBeGreaterThan(5);
  });

  it('renders the benign baseline without any guard firing', () => {
    expect(baseline.hits).toEqual([]);
    expect(baseline.violations).toEqual([]);
    expect(baseline.tags).toEqual(
      expect.arrayContaining(['article', 'bdi', 'a', 'img', 'strong', 'em', 'code', 'pre', 'blockquote', 'br']),
    );
  });

  /** Opens the corpus in one mode and returns every problem found, by payload id. */
  async function runCorpus(mode: Mode) {
    const shadow = mode !== 'light';
    const page = await browser.context.newPage();
    try {
      const { offOrigin, pageErrors } = await openThread(page, origin, 'xss', mode, XSS_CORPUS.length);
      const seen = await survey(page, shadow);
      const problems = await inspect(page, shadow, checks);
      // Anything that ran is a failure of the payload whose id it names.
      for (const payload of XSS_CORPUS) {
        const mine = seen.hits.filter((hit) => hit.includes(`'${payload.id}'`) || hit.includes(`: ${payload.id}`));
        if (mine.length > 0) (problems[payload.id] ??= []).push(...mine.map((hit) => `ran: ${hit}`));
      }
      const inert = XSS_CORPUS.filter((p) => !problems[p.id]).length;
      console.log(`XSS corpus (${mode}): ${inert} payloads inert / ${XSS_CORPUS.length}`);
      return {
        problems,
        ran: seen.hits,
        pageErrors,
        violations: seen.violations,
        // Only element kinds and attributes the widget makes for benign content.
        newTags: seen.tags.filter((tag) => !baseline.tags.includes(tag)),
        newAttributes: seen.attributes.filter((attribute) => !baseline.attributes.includes(attribute)),
        handlers: seen.attributes.filter((attribute) => /\[on/i.test(attribute)),
        // No request left the page's origin except avatars the validator let through.
        offOrigin: offOrigin.filter((url) => new URL(url).host !== 'cdn.example'),
        polluted: await page.evaluate(() => ({}) as Record<string, unknown>).then((o) => o.polluted),
      };
    } finally {
      await page.close();
    }
  }

  const clean = {
    problems: {},
    ran: [],
    pageErrors: [],
    violations: [],
    newTags: [],
    newAttributes: [],
    handlers: [],
    offOrigin: [],
    polluted: undefined,
  };

  it.each([
    ['in a shadow root', 'shadow'],
    ['in the page (data-shadow="false")', 'light'],
  ] as const)('leaves every payload inert %s', async (_, mode) => {
    expect(await runCorpus(mode)).toEqual(clean);
  });

  // A host page's own adapter is untrusted too: the store validates whatever it hands over.
  it('leaves every payload inert when a custom adapter hands over the raw comments', async () => {
    expect(await runCorpus('adapter')).toEqual(clean);
  });

  it('keeps names isolated when the reader answers them', async () => {
    const page = await browser.context.newPage();
    try {
      await openThread(page, origin, 'xss', 'shadow', XSS_CORPUS.length);
      const article = page.locator('#comment-xss-name-rlo-ui');
      await article.getByRole('button', { name: 'Reply' }).click();
      const label = await page.getByRole('textbox', { name: /Your reply to/ }).evaluate((el) => {
        const text = (el as HTMLTextAreaElement).labels?.[0]?.textContent ?? '';
        // The name inside the label must not be able to reorder the words before it.
        return { text, bidi: /[\u202A-\u202E\u2066-\u2069]/.test(text) };
      });
      expect(label.text).toContain('Your reply to');
      expect(label.bidi).toBe(false);
    } finally {
      await page.close();
    }
  });
});
