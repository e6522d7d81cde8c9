// Sign-in from the host site in Chromium, with the script-tag bundle and a server that takes no
// guests: a signed-out reader gets "Sign in to comment"; a reader with a token (data-sso-token,
// signed here as the site's back end would) comments under their own name, marked Verified, and
// edits their own comment however old; a moderator's token lets its holder delete another
// reader's comment, pin one and lock the thread from the widget, written to the audit log.
import { fileURLToPath } from 'node:url';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startServer } from '../../server/src/index.js';
import { launchBrowser } from '../../scripts/chromium.mjs';
import { THREAD, pageWith, seed } from './harness';

const SECRET = 'e2e-sign-in-secret-of-at-least-32-bytes!';
const ADMIN_TOKEN = 'e2e-sign-in-admin-token';
const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));
let server: Awaited<ReturnType<typeof startServer>>;
let browser: Awaited<ReturnType<typeof launchBrowser>>;

beforeAll(async () => {
  server = await startServer({
    seed,
    widgetDir: DIST,
    rateLimit: { burst: 0, perMinute: 0 },
    minComposeSeconds: 0,
    ssoSecret: SECRET,
    guests: false,
    adminToken: ADMIN_TOKEN,
  });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const sign = (claims: Record<string, unknown>) =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(SECRET));

async function open(path: string, attributes: string): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.context.newPage();
  // A step that cannot happen fails here, named, before the test's own time runs out.
  page.setDefaultTimeout(10_000);
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  await page.route(`${server.url}${path}`, (route) =>
    route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: pageWith(attributes) }),
  );
  await page.goto(`${server.url}${path}`);
  return { page, problems };
}

describe('sign-in from the host site in Chromium', () => {
  it('shows a signed-out reader "Sign in to comment" where the server takes no guests', async () => {
    const { page, problems } = await open(
      '/signed-out.html',
      `data-endpoint="/api" data-thread="${THREAD}" data-login-url="https://site.example/login"`,
    );
    const link = page.getByRole('link', { name: 'Sign in to comment' });
    await link.waitFor();
    const href = new URL((await link.getAttribute('href'))!);
    expect(href.searchParams.get('returnTo')).toBe(`${server.url}/signed-out.html`);
    expect(await page.getByRole('textbox', { name: 'Your comment' }).count()).toBe(0);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('says it in the page’s language, the sign-in’s words loading with its part', async () => {
    const token = await sign({ sub: 'site-user-de', name: 'Ada Lovelace' });
    const { page, problems } = await open(
      '/signed-in-de.html',
      `data-endpoint="/api" data-thread="${THREAD}" data-locale="de" data-sso-token="${token}"`,
    );
    await page.getByText('Sie kommentieren als Ada Lovelace').first().waitFor();
    expect(problems).toEqual([]);
    await page.close();
  });

  it('lets a signed-in reader comment as themselves, marked Verified', async () => {
    const token = await sign({ sub: 'site-user-1', name: 'Ada Lovelace' });
    const { page, problems } = await open(
      '/signed-in.html',
      `data-endpoint="/api" data-thread="${THREAD}" data-sso-token="${token}" data-logout-url="https://site.example/logout"`,
    );
    await page.getByText('Commenting as Ada Lovelace').first().waitFor();
    expect(await page.getByRole('textbox', { name: 'Name' }).count()).toBe(0);
    await page.getByRole('textbox', { name: 'Your comment' }).first().fill('Signed in and verified');
    await page.getByRole('button', { name: 'Post comment' }).click();
    const posted = page.locator('article').filter({ hasText: 'Signed in and verified' }).first();
    await posted.getByText('Verified', { exact: true }).waitFor();
    expect(await posted.getByText('Ada Lovelace').count()).toBeGreaterThan(0);
    await posted.getByRole('button', { name: 'Edit' }).waitFor();
    expect(problems).toEqual([]);
    await page.close();
  });
});

describe('a signed-in reader and a moderator, acting from the widget', () => {
  const api = async (path: string, init: RequestInit = {}) => {
    const response = await fetch(`${server.url}/api/${path}`, init);
    return { status: response.status, body: await response.json() };
  };
  const comments = (page: Page, text: string) => page.locator('article').filter({ hasText: text }).first();

  it('edits their own comment posted two hours ago (no edit window for a verified reader)', async () => {
    const token = await sign({ sub: 'site-user-2', name: 'Grace Brewster' });
    const posted = await api(`threads/${THREAD}/comments`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Confab-User': token, 'Idempotency-Key': 'sign-in-e2e-old' },
      body: JSON.stringify({ parentId: null, author: { name: 'ignored' }, body: 'Written two hours ago' }),
    });
    expect(posted.status).toBe(201);
    await server.db.query(`UPDATE comments SET created_at = now() - interval '2 hours' WHERE id = $1`, [posted.body.comment.id]);

    // Newest first: the thread's first page then has it.
    const { page, problems } = await open(
      '/old-comment.html',
      `data-endpoint="/api" data-thread="${THREAD}" data-sort="newest" data-sso-token="${token}"`,
    );
    const mine = comments(page, 'Written two hours ago');
    await mine.getByRole('button', { name: 'Edit' }).click();
    const editor = page.getByRole('textbox', { name: 'Edit your comment' });
    await editor.fill('Written two hours ago, and edited now');
    await page.getByRole('button', { name: 'Save' }).click();
    await comments(page, 'and edited now').getByText('edited', { exact: true }).waitFor();
    const stored = await server.db.query('SELECT body FROM comments WHERE id = $1', [posted.body.comment.id]);
    expect(stored.rows[0]?.body).toBe('Written two hours ago, and edited now');
    expect(problems).toEqual([]);
    await page.close();
  });

  it("lets a moderator delete another reader's comment, pin one and lock the thread, each in the audit log", async () => {
    const token = await sign({ sub: 'site-mod-1', name: 'Margaret Hamilton', role: 'moderator' });
    const { page, problems } = await open(
      '/moderator.html',
      `data-endpoint="/api" data-thread="${THREAD}" data-sso-token="${token}"`,
    );
    const [first, second] = seed.comments.filter((c: { parentId: string | null }) => c.parentId === null);
    const firstWords = first.body.slice(0, 40);
    const secondWords = second.body.slice(0, 40);

    // Delete, after a confirmation, as the reader's own Delete asks.
    const target = comments(page, firstWords);
    await target.getByRole('button', { name: 'Delete' }).click();
    await target.getByRole('group', { name: 'Delete this comment?' }).getByRole('button', { name: 'Delete' }).click();
    await page.getByText('This comment was deleted.').first().waitFor();
    expect(await page.getByText(firstWords).count()).toBe(0);

    // Pin another: it says Pinned, and offers Unpin. The tools are in the comment's toolbar: the
    // arrow keys reach them, Tab does not stop at each (one tab stop per comment).
    const pinned = comments(page, secondWords);
    const toolbar = pinned.getByRole('toolbar').first();
    expect(
      await toolbar.locator('button:not([popover] *)').evaluateAll((all) => all.map((b) => b.getAttribute('tabindex'))),
    ).toEqual(['0', '-1', '-1', '-1', '-1', '-1', '-1']);
    await pinned.getByRole('button', { name: 'Pin', exact: true }).click();
    await pinned.getByRole('button', { name: 'Unpin' }).waitFor();
    await pinned.getByText('Pinned', { exact: true }).waitFor();

    // Lock: the form gives way to "Comments are closed." with the switch to unlock.
    await page.getByRole('button', { name: 'Lock thread' }).click();
    await page.getByText('Comments are closed.').first().waitFor();
    await page.getByRole('button', { name: 'Unlock thread' }).click();
    await page.getByRole('textbox', { name: 'Your comment' }).first().waitFor();

    const audit = await api('admin/audit?limit=10', { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } });
    const mine = audit.body.entries.filter((entry: { actor: { kind: string } }) => entry.actor?.kind === 'sso');
    expect(mine.map((entry: { action: string }) => entry.action).sort()).toEqual(['delete', 'lock', 'pin', 'unlock']);
    expect(mine.every((entry: { actor: { name: string } }) => entry.actor.name === 'Margaret Hamilton')).toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('shows a reader no moderator tools, and the server refuses them the moderation API', async () => {
    const token = await sign({ sub: 'site-user-3', name: 'Plain Reader' });
    const { page } = await open('/reader.html', `data-endpoint="/api" data-thread="${THREAD}" data-sso-token="${token}"`);
    await page.getByText('Commenting as Plain Reader').first().waitFor();
    expect(await page.getByRole('button', { name: 'Lock thread' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Pin', exact: true }).count()).toBe(0);
    const refused = await api(`admin/threads/${THREAD}/lock`, { method: 'POST', headers: { 'Confab-User': token } });
    expect(refused.status).toBe(403);
    await page.close();
  });
});
