// @vitest-environment node
// The demo's "Sign in as …" switch (demo/host.mjs), on the server as `npm start` sets it up: the
// article page's sign-in attributes, the sign-in and sign-out pages and their cookie, redirects
// that stay on the site, and tokens the server takes. Also the server's generic hostPages option.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_COOKIE, demoSite } from '../../demo/host.mjs';
import { type App, call, seed, start } from './helpers';

const SECRET = 'the-demo-sso-secret-of-this-test-0123456789';

let demo: App;
let plain: App;
let distDir: string;

beforeAll(async () => {
  distDir = mkdtempSync(join(tmpdir(), 'confab-dist-'));
  writeFileSync(join(distDir, 'confab.iife.js'), 'window.Confab = {};');
  [demo, plain] = await Promise.all([
    start({ ...demoSite({ seed, ssoSecret: SECRET }), widgetDir: distDir }),
    start({ seed, widgetDir: distDir, ssoSecret: SECRET }),
  ]);
});

afterAll(async () => {
  await Promise.all([demo?.close(), plain?.close()]);
  rmSync(distDir, { recursive: true, force: true });
});

const cookieOf = (id: string) => ({ Cookie: `${DEMO_COOKIE}=${id}` });

async function page(path: string, headers: Record<string, string> = {}, app: App = demo) {
  const response = await fetch(`${app.url}${path}`, { headers, redirect: 'manual' });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/** A form sent as a browser sends it; redirects are not followed. */
async function submit(path: string, form: Record<string, string>, headers: Record<string, string> = {}, app: App = demo) {
  const response = await fetch(`${app.url}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form).toString(),
    redirect: 'manual',
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/** The value of the widget script tag's `name` attribute, or undefined. */
function scriptAttribute(html: string, name: string) {
  const tag = /<script [^>]*><\/script>/.exec(html)?.[0] ?? '';
  return new RegExp(` ${name}="([^"]*)"`).exec(tag)?.[1];
}

describe('the demo article page', () => {
  it('signed out: a login URL, no token, and the switch to sign in as someone', async () => {
    const { status, headers, text } = await page('/');
    expect(status).toBe(200);
    expect(headers.get('cache-control')).toBe('no-store');
    expect(scriptAttribute(text, 'data-login-url')).toBe('/demo/sign-in');
    expect(scriptAttribute(text, 'data-thread')).toBe(seed.thread.id);
    expect(text).not.toContain('data-sso-token');
    expect(text).not.toContain('data-logout-url');
    expect(text).toMatch(/Sign in as\s*<button[^>]*name="persona" value="ada"[^>]*>Ada \(reader\)<\/button>/);
    expect(text).toContain('>Grace (moderator)</button>');
  });

  it('signed in as the moderator: a fresh token the server takes, with the role', async () => {
    const { text } = await page('/', cookieOf('grace'));
    const token = scriptAttribute(text, 'data-sso-token')!;
    expect(token).toBeTruthy();
    expect(scriptAttribute(text, 'data-login-url')).toBe('/demo/sign-in');
    expect(scriptAttribute(text, 'data-logout-url')).toBe('/demo/sign-out');
    expect(text).toContain('Signed in as Grace Hopper (moderator)');
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({ sub: 'grace', name: 'Grace Hopper', role: 'moderator' });
    expect(claims.exp! - claims.iat!).toBe(3600);

    const answer = await call(demo, 'GET', '/user', { headers: { 'Confab-User': token } });
    expect(answer.status).toBe(200);
    expect(answer.body.user).toMatchObject({ name: 'Grace Hopper', role: 'moderator' });
  });

  it('signed in as the reader: a token without the moderator role', async () => {
    const token = scriptAttribute((await page('/', cookieOf('ada'))).text, 'data-sso-token')!;
    const answer = await call(demo, 'GET', '/user', { headers: { 'Confab-User': token } });
    expect(answer.body.user.name).toBe('Ada Lovelace');
    expect(answer.body.user.role).toBeUndefined();
  });

  it('reads a cookie that names no known persona as signed out', async () => {
    for (const id of ['mallory', '__proto__', '', 'Grace', 'ada,grace']) {
      const { text } = await page('/', cookieOf(id));
      expect(text, id).not.toContain('data-sso-token');
      expect(text, id).toContain('Sign in as');
    }
  });
});

describe('signing in and out', () => {
  it('shows the personas to sign in as, with the page to go back to', async () => {
    const { status, text } = await page(`/demo/sign-in?returnTo=${encodeURIComponent(`${demo.url}/?sort=new`)}`);
    expect(status).toBe(200);
    expect(text).toContain('Sign in as Ada Lovelace (reader)</button>');
    expect(text).toContain('Sign in as Grace Hopper (moderator)</button>');
    expect(text).toContain('<input type="hidden" name="returnTo" value="/?sort=new">');
  });

  it('escapes what it echoes', async () => {
    const { text } = await page(`/demo/sign-in?returnTo=${encodeURIComponent('/"><script>alert(1)</script>')}`);
    expect(text).not.toContain('<script>alert(1)');
    expect(text).not.toMatch(/value="\/"></);
  });

  it('sets an HttpOnly, SameSite=Lax cookie and goes back to the page (303)', async () => {
    const answer = await submit('/demo/sign-in', { persona: 'grace', returnTo: `${demo.url}/?sort=new#comments` });
    expect(answer.status).toBe(303);
    expect(answer.headers.get('location')).toBe('/?sort=new#comments');
    const cookie = answer.headers.get('set-cookie')!;
    expect(cookie).toMatch(new RegExp(`^${DEMO_COOKIE}=grace;`));
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).toContain('Path=/');
  });

  it.each(['https://evil.example/', '//evil.example/path', '/\\evil.example', 'http://127.0.0.1:1/', 'javascript:alert(1)'])(
    'goes to / instead of the off-site returnTo %s',
    async (returnTo) => {
      const answer = await submit('/demo/sign-in', { persona: 'ada', returnTo });
      expect(answer.status).toBe(303);
      expect(answer.headers.get('location')).toBe('/');
    },
  );

  it('goes to / without a returnTo, or with one whose path would read as another site', async () => {
    const forms: Record<string, string>[] = [{ persona: 'ada' }, { persona: 'ada', returnTo: `${demo.url}//evil.example/` }];
    for (const form of forms) {
      const answer = await submit('/demo/sign-in', form);
      expect(answer.headers.get('location')).toBe('/');
    }
  });

  it('refuses a persona it does not know (400, no cookie)', async () => {
    const answer = await submit('/demo/sign-in', { persona: 'mallory', returnTo: '/' });
    expect(answer.status).toBe(400);
    expect(answer.headers.get('set-cookie')).toBeNull();
    expect(answer.text).toContain('Pick one of the people below.');
  });

  it('refuses a sign-in form sent from another site (403)', async () => {
    const answer = await submit('/demo/sign-in', { persona: 'grace' }, { Origin: 'https://evil.example' });
    expect(answer.status).toBe(403);
    expect(answer.headers.get('set-cookie')).toBeNull();
  });

  it('signs out with GET (the widget’s link) and POST (the header’s button), clearing the cookie', async () => {
    const byLink = await page('/demo/sign-out', cookieOf('grace'));
    expect(byLink.status).toBe(303);
    expect(byLink.headers.get('location')).toBe('/');
    expect(byLink.headers.get('set-cookie')).toMatch(new RegExp(`^${DEMO_COOKIE}=;.*Max-Age=0`));

    const byButton = await submit('/demo/sign-out', { returnTo: '/?sort=new' }, cookieOf('grace'));
    expect(byButton.status).toBe(303);
    expect(byButton.headers.get('location')).toBe('/?sort=new');
    expect(byButton.headers.get('set-cookie')).toContain('Max-Age=0');
  });

  it('answers 405 to other methods', async () => {
    const response = await fetch(`${demo.url}/demo/sign-in`, { method: 'DELETE' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD, POST');
  });
});

describe('the hostPages option', () => {
  it('is absent from a server without it: no demo pages', async () => {
    expect((await page('/demo/sign-in', {}, plain)).status).toBe(404);
    expect((await page('/demo/sign-out', {}, plain)).status).toBe(404);
    expect((await submit('/demo/sign-in', { persona: 'grace' }, {}, plain)).status).toBe(405);
  });

  it('is not asked about the server’s own paths, and falls through to homePage and 404', async () => {
    const asked: string[] = [];
    const app = await start({
      widgetDir: distDir,
      homePage: () => 'the home page',
      hostPages: (req, res, { path }) => {
        asked.push(`${req.method} ${path}`);
        if (path !== '/hello') return false;
        res.writeHead(200, { 'Content-Type': 'text/plain' }).end(req.method === 'POST' ? 'posted' : 'hello');
        return true;
      },
    });
    try {
      expect((await page('/hello', {}, app)).text).toBe('hello');
      expect((await submit('/hello', {}, {}, app)).text).toBe('posted');
      expect((await page('/', {}, app)).text).toBe('the home page');
      expect((await page('/elsewhere', {}, app)).status).toBe(404);
      expect((await submit('/elsewhere', {}, {}, app)).status).toBe(405);
      for (const path of ['/healthz', '/readyz', '/confab.iife.js', '/api/user']) await page(path, {}, app);
      expect((await submit('/healthz', {}, {}, app)).status).toBe(405);
      expect(asked).toEqual(['GET /hello', 'POST /hello', 'GET /', 'GET /elsewhere', 'POST /elsewhere']);
    } finally {
      await app.close();
    }
  });
});
