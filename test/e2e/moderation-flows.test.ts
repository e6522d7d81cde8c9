// The moderation flows of issue 15, end to end in Chromium: the dashboard at /admin/ (signed in
// with the admin token, or with a moderator account) next to the widget on an article page,
// both served by one confab-server. What a moderator does in the dashboard is checked where
// readers see it: in the widget.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startServer } from '../../server/src/index.js';
import { launchBrowser } from '../../scripts/chromium.mjs';
import { pageWith } from './harness';

const ADMIN_TOKEN = 'e2e-moderation-admin-token-0123456789';
const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));
const axePath = fileURLToPath(import.meta.resolve('axe-core/axe.min.js'));

let server: Awaited<ReturnType<typeof startServer>>;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let threadCount = 0;

beforeAll(async () => {
  // TRUST_PROXY: the reporting readers below come from addresses of their own (X-Forwarded-For).
  server = await startServer({
    trustProxy: true,
    widgetDir: DIST,
    adminToken: ADMIN_TOKEN,
    rateLimit: { burst: 0, perMinute: 0 },
    duplicateWindowMs: 0,
  });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Calls the API as a script would (the admin token, or none). */
async function api(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.url}/api${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}
const asAdmin = { Authorization: `Bearer ${ADMIN_TOKEN}` };

/** A new thread with published comments, by `post` in order; returns its id and the comments' ids. */
async function threadWith(...bodies: Array<string | { body: string; author?: object; composeMs?: number }>) {
  const thread = `e2e-moderation-${++threadCount}-${Date.now()}`;
  const ids = [];
  for (const item of bodies) {
    const input = typeof item === 'string' ? { body: item, author: { name: 'Reader' } } : item;
    const answer = await api('POST', `/threads/${thread}/comments`, input);
    if (answer.status !== 201) throw new Error(`post answered ${answer.status}`);
    ids.push(answer.body.comment.id as string);
  }
  return { thread, ids };
}

/** A tab on the article page of `thread`, with the widget. */
async function openArticle(thread: string) {
  const page = await browser.context.newPage();
  await page.route(`${server.url}/article-${thread}.html`, (route) =>
    route.fulfill({
      contentType: 'text/html; charset=utf-8',
      body: pageWith(`data-endpoint="/api" data-thread="${thread}"`, '<main><h1>An article</h1><div id="confab"></div></main>'),
    }),
  );
  await page.goto(`${server.url}/article-${thread}.html`);
  await page.getByRole('heading', { name: /comments?$/ }).waitFor();
  return page;
}

/** The widget's comments' texts, in page order. */
const widgetTexts = (page: Page) => page.locator('li.confab-item .confab-body').allInnerTexts();

async function showView(page: Page, name: RegExp) {
  await page.getByRole('navigation').getByRole('link', { name }).click();
}

const commentIn = (page: Page, text: string) => page.getByRole('article').filter({ hasText: text });

describe('moderation, dashboard to widget', () => {
  // Signed in by the first test; the later ones use it as a moderator would, one tab all along.
  let dashboard: Page;

  afterAll(async () => {
    await dashboard?.close();
  });

  it('signs in with the admin token, shows the first screen within a second, and has no serious axe violations', async () => {
    dashboard = await browser.context.newPage();
    await dashboard.goto(`${server.url}/admin/`);
    await dashboard.getByLabel('Admin token', { exact: true }).fill(ADMIN_TOKEN);
    const started = Date.now();
    await dashboard.getByRole('button', { name: 'Sign in with token' }).click();
    await dashboard.getByRole('heading', { name: 'Pending', level: 1 }).waitFor();
    expect(Date.now() - started).toBeLessThan(1_000);
    // Evaluated, not added as a script tag: the dashboard's CSP refuses inline scripts.
    await dashboard.evaluate(readFileSync(axePath, 'utf8'));
    const violations = await dashboard.evaluate(async () => {
      const axe = (window as unknown as { axe: { run: () => Promise<{ violations: Array<{ id: string; impact: string }> }> } })
        .axe;
      const result = await axe.run();
      return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id);
    });
    expect(violations).toEqual([]);
  });

  it('shows a newly held comment without a reload, with the pending count in the title, and approves it by keyboard', async () => {
    await showView(dashboard, /Pending/);
    await dashboard.getByRole('heading', { name: 'Pending', level: 1 }).waitFor();
    const before = (await api('GET', '/admin/counts', undefined, asAdmin)).body.pending;
    const { thread } = await threadWith({ body: 'Arrived while watching', author: { name: 'Live' }, composeMs: 100 });
    const arrived = commentIn(dashboard, 'Arrived while watching');
    await arrived.waitFor();
    await dashboard.waitForFunction((n) => document.title.startsWith(`(${n})`), before + 1);
    // j moves to the first comment in the list (the newest, this one); a approves it.
    await dashboard.keyboard.press('j');
    expect(await arrived.evaluate((element) => element.contains(document.activeElement))).toBe(true);
    await dashboard.keyboard.press('a');
    await arrived.waitFor({ state: 'detached' });
    const article = await openArticle(thread);
    try {
      expect(await widgetTexts(article)).toEqual(['Arrived while watching']);
    } finally {
      await article.close();
    }
  });

  it('fits a 375 px wide screen without scrolling sideways', async () => {
    await dashboard.setViewportSize({ width: 375, height: 800 });
    try {
      for (const view of [/Pending/, /All comments/, /Threads/, /Bans/, /Moderators/, /Audit log/]) {
        await showView(dashboard, view);
        await dashboard.waitForTimeout(50);
        const overflow = await dashboard.evaluate(
          () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
        );
        expect(overflow, String(view)).toBeLessThanOrEqual(0);
      }
    } finally {
      await dashboard.setViewportSize({ width: 1000, height: 900 });
    }
  });

  it('approves a pending comment, which then shows in the widget', async () => {
    // Sent 0.1 s after its form opened: held as too fast.
    const { thread } = await threadWith('Already here', {
      body: 'Held for a moderator',
      author: { name: 'Quick' },
      composeMs: 100,
    });
    const article = await openArticle(thread);
    try {
      expect(await widgetTexts(article)).toEqual(['Already here']);
      await showView(dashboard, /Pending/);
      const held = commentIn(dashboard, 'Held for a moderator');
      await held.getByRole('button', { name: 'Approve' }).click();
      await held.waitFor({ state: 'detached' });
      await article.reload();
      await article.getByText('Held for a moderator').waitFor();
      expect(await widgetTexts(article)).toEqual(['Already here', 'Held for a moderator']);
    } finally {
      await article.close();
    }
  });

  it('marks a comment as spam: it leaves the widget and waits in the Spam view', async () => {
    const { thread } = await threadWith('A real opinion', 'Cheap watches here');
    await showView(dashboard, /All comments/);
    await dashboard.getByRole('button', { name: 'Load more' }).or(commentIn(dashboard, 'Cheap watches here')).first().waitFor();
    await commentIn(dashboard, 'Cheap watches here').getByRole('button', { name: 'Spam' }).click();
    await showView(dashboard, /Spam/);
    await commentIn(dashboard, 'Cheap watches here').waitFor();
    const article = await openArticle(thread);
    try {
      expect(await widgetTexts(article)).toEqual(['A real opinion']);
    } finally {
      await article.close();
    }
  });

  it('pins a comment, which the widget then shows first, labelled Pinned', async () => {
    const { thread } = await threadWith('First said', 'Second said', 'The one to pin');
    await showView(dashboard, /All comments/);
    await commentIn(dashboard, 'The one to pin').getByRole('button', { name: 'Pin' }).click();
    await commentIn(dashboard, 'The one to pin').getByRole('button', { name: 'Unpin' }).waitFor();
    const article = await openArticle(thread);
    try {
      expect(await widgetTexts(article)).toEqual(['The one to pin', 'First said', 'Second said']);
      const pinned = article.locator('li.confab-item').filter({ hasText: 'The one to pin' });
      expect(await pinned.getByText('Pinned', { exact: true }).isVisible()).toBe(true);
    } finally {
      await article.close();
    }
  });

  it('locks a thread: the widget says comments are closed and its forms and Reply go', async () => {
    const { thread } = await threadWith('Before the lock');
    const article = await openArticle(thread);
    try {
      expect(await article.getByRole('button', { name: 'Reply' }).count()).toBeGreaterThan(0);
      await showView(dashboard, /Threads/);
      await dashboard.getByLabel('Thread id or title').fill(thread);
      await dashboard.getByRole('button', { name: 'Search' }).click();
      await dashboard.getByRole('listitem').filter({ hasText: thread }).getByRole('button', { name: 'Lock' }).click();
      await dashboard.getByRole('listitem').filter({ hasText: thread }).getByRole('button', { name: 'Unlock' }).waitFor();
      await article.reload();
      await article.getByText('Comments are closed.').waitFor();
      expect(await article.getByRole('textbox').count()).toBe(0);
      expect(await article.getByRole('button', { name: 'Reply' }).count()).toBe(0);
    } finally {
      await article.close();
    }
  });

  it('bans an author by email, and their next post is refused in the widget with their text kept', async () => {
    const { thread } = await threadWith({ body: 'Trolling you all', author: { name: 'Troll', email: 'troll@example.com' } });
    await showView(dashboard, /All comments/);
    await commentIn(dashboard, 'Trolling you all').getByRole('button', { name: 'Ban author' }).click();
    const dialog = dashboard.getByRole('dialog');
    await dialog.getByRole('checkbox', { name: /email/i }).check();
    const byAddress = dialog.getByRole('checkbox', { name: /address/i });
    if (await byAddress.isChecked()) await byAddress.uncheck(); // every test here posts from 127.0.0.1
    await dialog.getByRole('button', { name: /^Ban/ }).click();
    await dialog.waitFor({ state: 'detached' });
    await showView(dashboard, /Bans/);
    await dashboard.getByText('Troll', { exact: true }).first().waitFor();

    const article = await openArticle(thread);
    try {
      await article.getByRole('textbox', { name: 'Name' }).first().fill('Troll');
      await article.getByRole('textbox', { name: /Email/ }).first().fill('troll@example.com');
      const body = article.getByRole('textbox', { name: /comment/i }).first();
      await body.fill('I am back');
      await article.getByRole('button', { name: 'Post comment' }).click();
      await article.getByText('You cannot comment on this site.').waitFor();
      expect(await body.inputValue()).toBe('I am back');
      expect(await widgetTexts(article)).toEqual(['Trolling you all']);
    } finally {
      await article.close();
    }
  });

  it('takes three readers reporting a comment out of the public thread until a moderator approves it', async () => {
    const { thread } = await threadWith('Harmless', 'Reported by many');
    const article = await openArticle(thread);
    try {
      for (let reader = 0; reader < 3; reader++) {
        // A new reader: the widget keeps its reader id in localStorage; the server also counts
        // each address once, so each reader comes from their own (as a proxy would say).
        await article.evaluate(() => localStorage.clear());
        await article.unroute('**/reports');
        await article.route('**/reports', (route) =>
          route.continue({ headers: { ...route.request().headers(), 'x-forwarded-for': `192.0.2.${reader + 1}` } }),
        );
        await article.reload();
        const item = article.locator('li.confab-item').filter({ hasText: 'Reported by many' });
        await item.getByRole('button', { name: 'More actions' }).first().click();
        await item.getByRole('button', { name: 'Report' }).click();
        const dialog = article.getByRole('dialog');
        await dialog.getByRole('radio', { name: 'Abuse' }).check();
        await dialog.getByRole('button', { name: 'Send report' }).click();
        await dialog.getByText('Thanks, a moderator will look at it.').waitFor();
      }
      await article.reload();
      await article.getByText('Harmless').waitFor();
      expect(await widgetTexts(article)).toEqual(['Harmless']);

      await showView(dashboard, /Reported/);
      const reported = commentIn(dashboard, 'Reported by many');
      await reported.waitFor();
      await reported.getByRole('button', { name: 'Approve' }).click();
      await reported.waitFor({ state: 'detached' });
      await article.reload();
      await article.getByText('Reported by many').waitFor();
      expect(await widgetTexts(article)).toEqual(['Harmless', 'Reported by many']);
    } finally {
      await article.close();
    }
  });
});

describe('a moderator account', () => {
  it('sets its password from the invitation link, signs out, and signs in with email and password', async () => {
    const added = await api('POST', '/admin/moderators', { email: 'mod@example.com', name: 'Mod' }, asAdmin);
    expect(added.status).toBe(201);
    const page = await browser.context.newPage();
    try {
      await page.goto(added.body.link);
      await page.getByLabel('New password').fill('correct horse battery');
      await page.getByLabel('Repeat the password').fill('correct horse battery');
      await page.getByRole('button', { name: 'Set password' }).click();
      await page.getByRole('navigation').waitFor();
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByLabel('Email').fill('mod@example.com');
      await page.getByLabel('Password', { exact: true }).fill('correct horse battery');
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.getByRole('navigation').waitFor();
      expect(
        await page
          .getByText('mod@example.com')
          .or(page.getByText('Mod', { exact: true }))
          .first()
          .isVisible(),
      ).toBe(true);
    } finally {
      await page.close();
    }
  });
});

describe("the dashboard in the browser's language", () => {
  /** A browser in `locale` on /admin/, with the requests it made and the CSP violations it met. */
  async function dashboardIn(locale: string) {
    const other = await launchBrowser({ locale });
    const page = await other.context.newPage();
    const requests: string[] = [];
    page.on('request', (request) => requests.push(new URL(request.url()).pathname));
    await page.addInitScript(() => {
      const seen: string[] = ((window as unknown as { cspViolations: string[] }).cspViolations = []);
      document.addEventListener('securitypolicyviolation', (event) => seen.push(event.violatedDirective));
    });
    await page.goto(`${server.url}/admin/`);
    const violations = () => page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);
    return { browser: other, page, requests, violations };
  }

  /** Every view at 375 px wide: no sideways scrolling, whatever the language's words and direction. */
  async function expectNoSidewaysScroll(page: Page) {
    await page.setViewportSize({ width: 375, height: 800 });
    for (const hash of ['#/pending', '#/all', '#/threads', '#/bans', '#/moderators', '#/audit']) {
      await page.locator(`.adm-nav a[href="${hash}"]`).click();
      await page.waitForTimeout(50);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, hash).toBeLessThanOrEqual(0);
    }
  }

  it('speaks German in a German browser: its own chunk from /admin/assets/ under the strict CSP, fitting 375 px', async () => {
    const { browser: german, page, requests, violations } = await dashboardIn('de-DE');
    try {
      await page.getByRole('heading', { name: 'Mit dem Admin-Token anmelden' }).waitFor();
      expect(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual(['de-DE', 'ltr']);
      expect(requests.filter((path) => /^\/admin\/assets\/de-[\w-]+\.js$/.test(path))).toHaveLength(1);
      // Only German: no other language's chunk.
      expect(requests.filter((path) => /^\/admin\/assets\/(?!de-|index-)[\w-]+\.js$/.test(path))).toEqual([]);
      await page.getByLabel('Admin-Token', { exact: true }).fill(ADMIN_TOKEN);
      await page.getByRole('button', { name: 'Mit Token anmelden' }).click();
      await page.getByRole('heading', { name: 'Ausstehend', level: 1 }).waitFor();
      await page.getByRole('link', { name: 'Alle Kommentare' }).waitFor();
      await expectNoSidewaysScroll(page);
      expect(await violations()).toEqual([]);
    } finally {
      await german.close();
    }
  });

  it('lays Arabic out right to left, fitting a 375 px wide screen', async () => {
    const { browser: arabic, page, violations } = await dashboardIn('ar-EG');
    try {
      await page.getByRole('heading', { name: 'تسجيل الدخول برمز الإدارة' }).waitFor();
      expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl');
      await page.getByLabel('رمز الإدارة', { exact: true }).fill(ADMIN_TOKEN);
      await page.getByRole('button', { name: 'تسجيل الدخول بالرمز' }).click();
      const shell = page.locator('.adm-shell');
      await shell.waitFor();
      expect(await shell.getAttribute('dir')).toBe('rtl');
      await expectNoSidewaysScroll(page);
      expect(await violations()).toEqual([]);
    } finally {
      await arabic.close();
    }
  });

  it('stays English, asking for no language, in a browser whose language has no catalog', async () => {
    const { browser: other, page, requests } = await dashboardIn('eo');
    try {
      await page.getByRole('heading', { name: 'Sign in with the admin token' }).waitFor();
      expect(requests.filter((path) => /^\/admin\/assets\/(?!index-)[\w-]+\.js$/.test(path))).toEqual([]);
    } finally {
      await other.close();
    }
  });

  it('fits every language at 375 px, right to left where it should, with every {placeholder} filled', async () => {
    const { browser: other, page } = await dashboardIn('en');
    try {
      await page.getByLabel('Admin token', { exact: true }).fill(ADMIN_TOKEN);
      await page.getByRole('button', { name: 'Sign in with token' }).click();
      await page.locator('.adm-shell').waitFor();
      await page.close();
      const tags = readdirSync(fileURLToPath(new URL('../../src/i18n/locales/', import.meta.url)))
        .map((name) => name.replace(/\.json$/, ''))
        .sort();
      expect(tags.length).toBeGreaterThanOrEqual(42);
      for (const tag of tags) {
        // The browser's language, as navigator.languages says it (the session cookie stays signed in).
        const tab = await other.context.newPage();
        try {
          await tab.addInitScript((language) => {
            Object.defineProperty(navigator, 'languages', { get: () => [language] });
          }, tag);
          await tab.goto(`${server.url}/admin/`);
          await tab.locator('.adm-shell').waitFor();
          expect(await tab.locator('.adm-shell').getAttribute('lang'), tag).toBe(tag);
          // Its own words, not English's (a catalog that failed to load would leave English).
          expect(await tab.locator('.adm-nav a').first().innerText(), tag).not.toMatch(/^Pending/);
          expect(await tab.evaluate(() => document.documentElement.dir), tag).toBe(
            ['ar', 'he', 'fa', 'ur'].includes(tag) ? 'rtl' : 'ltr',
          );
          await tab.setViewportSize({ width: 375, height: 800 });
          for (const hash of ['#/pending', '#/all', '#/threads', '#/bans', '#/moderators', '#/audit']) {
            await tab.locator(`.adm-nav a[href="${hash}"]`).click();
            await tab.waitForTimeout(30);
            const { overflow, text } = await tab.evaluate(() => ({
              overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
              text: document.body.innerText,
            }));
            expect(overflow, `${tag} ${hash}`).toBeLessThanOrEqual(0);
            expect(text.match(/\{\w+\}|admin\.\w/g), `${tag} ${hash}`).toBeNull();
          }
        } finally {
          await tab.close();
        }
      }
    } finally {
      await other.close();
    }
  }, 120_000);
});
