// Dropping Confab into other people's pages: hostile CSS, strict CSP, privacy, several widgets,
// counts, permalinks, accessibility and the keyboard, in real Chromium.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { SEED_COUNT, THREAD, pageWith, useHarness } from './harness';

const h = useHarness();
const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const script = `data-endpoint="/api" data-thread="${THREAD}"`;

async function waitForThread(selector = '#confab') {
  await h.page.waitForFunction(
    ([sel, count]) =>
      (document.querySelector(sel as string)?.shadowRoot?.querySelectorAll('article').length ?? 0) >= (count as number),
    [selector, SEED_COUNT] as const,
  );
}

describe('isolation', () => {
  it('keeps its look under a hostile host stylesheet and leaves the page alone', async () => {
    const hostile = `<style>
      * { all: unset !important; }
      html { font-size: 60px !important; }
      div { display: none !important; }
      button, textarea, article { color: red !important; font-size: 40px !important; }
    </style>`;
    const body = `<p class="confab-notice outside">Outside text</p><ul class="confab-list outside-list"><li>x</li></ul>
      <div>hidden by the page</div><section id="confab"></section>`;
    await h.open('/hostile.html', pageWith(script, body, hostile));
    await waitForThread();
    const inside = await h.page.evaluate(() => {
      const root = document.querySelector('#confab')!.shadowRoot!;
      const style = (selector: string) => getComputedStyle(root.querySelector(selector)!);
      const button = root.querySelector<HTMLElement>('.confab-button--primary')!;
      return {
        bodyFont: style('.confab-body').fontSize,
        bodyColor: style('.confab-body').color,
        heading: style('.confab-heading').fontSize,
        textareaDisplay: style('textarea').display,
        textareaBorder: style('textarea').borderTopStyle,
        buttonVisible: button.checkVisibility() && button.getBoundingClientRect().height > 20,
        articleDisplay: style('article').display,
      };
    });
    expect(inside).toEqual({
      bodyFont: '16px',
      bodyColor: 'rgb(31, 35, 40)',
      heading: '20px',
      textareaDisplay: 'block',
      textareaBorder: 'solid',
      buttonVisible: true,
      articleDisplay: 'grid', // the widget's own layout of a comment (avatar column, text beside it)
    });
    // The widget's classes used on the page itself get none of the widget's styles.
    const outside = await h.page.evaluate(() => ({
      notice: getComputedStyle(document.querySelector('.outside')!).borderTopStyle,
      list: getComputedStyle(document.querySelector('.outside-list')!).paddingInlineStart,
    }));
    expect(outside).toEqual({ notice: 'none', list: '0px' });
    expect(h.problems).toEqual([]);
  });

  it('mounts several widgets on one page, each with its own thread', async () => {
    const body = `<div data-confab data-thread="${THREAD}"></div><div data-confab data-thread="second-thread"></div>`;
    await h.open('/two.html', pageWith('data-endpoint="/api"', body));
    await h.page.waitForFunction(() => {
      const [a, b] = [...document.querySelectorAll('[data-confab]')].map((el) => el.shadowRoot);
      return a?.querySelectorAll('article').length && b?.querySelector('.confab-empty');
    });
    expect(h.problems).toEqual([]);
  });
});

describe('strict Content-Security-Policy', () => {
  it('renders and posts with zero violations', async () => {
    const csp = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:";
    await h.page.addInitScript(() => {
      (window as unknown as { violations: string[] }).violations = [];
      document.addEventListener('securitypolicyviolation', (event) => {
        (window as unknown as { violations: string[] }).violations.push(`${event.violatedDirective} ${event.blockedURI}`);
      });
    });
    await h.open('/csp.html', pageWith(script), { 'Content-Security-Policy': csp });
    await waitForThread();
    // The widget's own stylesheet applied: the primary button is our accent blue.
    const accent = await h.page.evaluate(
      () =>
        getComputedStyle(document.querySelector('#confab')!.shadowRoot!.querySelector('.confab-button--primary')!)
          .backgroundColor,
    );
    expect(accent).toBe('rgb(11, 87, 208)');
    await h.page.getByRole('textbox', { name: 'Your comment' }).fill('Posted under a strict CSP');
    await h.page.getByRole('button', { name: 'Post comment' }).click();
    await h.page.getByText('Posted under a strict CSP').waitFor();
    expect(await h.page.evaluate(() => (window as unknown as { violations: string[] }).violations)).toEqual([]);
    expect(h.problems).toEqual([]);
  });
});

describe('privacy', () => {
  it('sets no cookie and talks to nobody but the endpoint', async () => {
    await h.open('/private.html', pageWith(script));
    await waitForThread();
    await h.page.getByRole('textbox', { name: 'Your comment' }).fill('Private by default');
    await h.page.getByRole('button', { name: 'Post comment' }).click();
    await h.page.getByText('Private by default').waitFor();
    const origin = new URL(h.server.url).origin;
    const requests = h.requests.map((r) => `${r.method()} ${r.url().replace(origin, '')}`);
    expect(requests.every((line) => !/https?:\/\//.test(line))).toBe(true);
    const api = requests.filter((line) => line.includes('/api/'));
    expect(api).toEqual([`GET /api/threads/${THREAD}/comments?sort=oldest&limit=20`, `POST /api/threads/${THREAD}/comments`]);
    console.log(`requests recorded: ${requests.join(' | ')}`);
    expect(await h.page.context().cookies()).toEqual([]);
    expect(await h.page.evaluate(() => document.cookie)).toBe('');
  });
});

describe('counts and permalinks', () => {
  it('fills every count on a listing page from one request', async () => {
    const body = `<ul><li>Post <span data-confab-count="${THREAD}">…</span></li>
      <li>Other <span data-confab-count="empty-one">…</span></li>
      <li>Again <span data-confab-count="${THREAD}">…</span></li></ul>`;
    await h.open('/index.html', pageWith('data-endpoint="/api"', body));
    await h.page.waitForFunction(() => document.querySelector('[data-confab-count]')!.textContent !== '…');
    const texts = await h.page.locator('[data-confab-count]').allTextContents();
    expect(texts[0]).toMatch(/^\d+ comments$/);
    expect(texts[1]).toBe('0 comments');
    expect(texts[2]).toBe(texts[0]);
    expect(h.requests.filter((r) => r.url().includes('/api/counts'))).toHaveLength(1);
    expect(await h.page.locator('.confab').count()).toBe(0); // no widget on a listing page
  });

  it('opens a #comment-<id> link on that comment, marked and focused', async () => {
    await h.page.route(`${h.server.url}/post.html`, (route) =>
      route.fulfill({ contentType: 'text/html', body: pageWith(`${script} data-page-size="3"`) }),
    );
    await h.page.goto(`${h.server.url}/post.html#comment-c54`);
    const focused = await h.page.waitForFunction(() => {
      const active = document.querySelector('#confab')?.shadowRoot?.activeElement;
      return active?.id === 'comment-c54' && active.classList.contains('confab-comment--highlighted')
        ? active.textContent
        : false;
    });
    expect(await focused.jsonValue()).toContain('Volker Burkert');
  });
});

describe('accessibility', () => {
  for (const variant of [
    { name: 'light LTR', attributes: '', background: '#ffffff' },
    { name: 'dark LTR', attributes: 'data-theme="dark"', background: '#0d1117' },
    { name: 'light RTL', attributes: 'data-locale="ar"', background: '#ffffff' },
    { name: 'dark RTL', attributes: 'data-theme="dark" data-locale="ar"', background: '#0d1117' },
  ]) {
    it(`has no serious or critical axe violations (${variant.name})`, async () => {
      const head = `<style>body { background: ${variant.background}; }</style>`;
      await h.open(
        '/a11y.html',
        pageWith(`${script} ${variant.attributes}`, '<main><h1>Article</h1><div id="confab"></div></main>', head),
      );
      await waitForThread();
      await h.page.addScriptTag({ path: axePath });
      const violations = await h.page.evaluate(async () => {
        const axe = (
          window as unknown as {
            axe: {
              run(
                context: unknown,
                options: unknown,
              ): Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }>;
            };
          }
        ).axe;
        const result = await axe.run({ include: [['#confab']] }, { resultTypes: ['violations'] });
        return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }));
      });
      console.log(`axe ${variant.name}: ${violations.length === 0 ? 'no violations' : JSON.stringify(violations)}`);
      if (variant.attributes.includes('data-locale="ar"')) {
        // The Arabic strings arrived from locales/ar.iife.js, loaded on demand.
        expect(await h.page.getByRole('heading', { name: /^\S+ تعليقًا$/ }).count()).toBe(1);
      }
      expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
    });
  }

  it('lets a reply be written and posted with the keyboard alone', async () => {
    await h.open('/keyboard.html', pageWith(script));
    await waitForThread();
    const activeText = () =>
      h.page.evaluate(() => {
        const active = document.querySelector('#confab')!.shadowRoot!.activeElement as HTMLElement | null;
        return active ? `${active.tagName} ${active.textContent ?? ''}`.trim() : '';
      });
    // Tab from the top of the page to the first comment's toolbar, then the arrow keys to its Reply.
    let steps = 0;
    const inToolbar = () =>
      h.page.evaluate(() => !!document.querySelector('#confab')!.shadowRoot!.activeElement?.closest('[role=toolbar]'));
    while (!(await inToolbar()) && steps++ < 40) await h.page.keyboard.press('Tab');
    while ((await activeText()) !== 'BUTTON Reply' && steps++ < 45) await h.page.keyboard.press('ArrowRight');
    expect(await activeText()).toBe('BUTTON Reply');
    await h.page.keyboard.press('Enter');
    await h.page.waitForFunction(() => document.querySelector('#confab')!.shadowRoot!.activeElement?.tagName === 'TEXTAREA');
    await h.page.keyboard.type('Typed without a mouse');
    await h.page.keyboard.press('Control+Enter');
    await h.page.waitForFunction(() => {
      const active = document.querySelector('#confab')!.shadowRoot!.activeElement;
      return active?.tagName === 'ARTICLE' && active.textContent!.includes('Typed without a mouse');
    });
    expect(h.problems).toEqual([]);
  });
});
