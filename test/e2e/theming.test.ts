// What site owners and designers control from outside: tokens, ::part(), colour schemes, and
// where the script puts the widget.
import { describe, expect, it } from 'vitest';
import { SEED_COUNT, THREAD, pageWith, useHarness } from './harness';

const h = useHarness();
const script = `data-endpoint="/api" data-thread="${THREAD}"`;

const styleOf = (selector: string, property: string, host = '#confab') =>
  h.page.evaluate(
    ([hostSelector, inner, prop]) => {
      const root = document.querySelector(hostSelector!)!.shadowRoot!;
      return getComputedStyle(root.querySelector(inner!)!).getPropertyValue(prop!);
    },
    [host, selector, property],
  );

async function ready(host = '#confab') {
  await h.page.waitForFunction((sel) => !!document.querySelector(sel)?.shadowRoot?.querySelector('article'), host);
}

describe('theming from the host page', () => {
  it('takes --confab-* tokens and ::part() rules from the page', async () => {
    const head = `<style>
      #confab { --confab-accent: rgb(180, 0, 90); --confab-radius: 3px; --confab-font: Georgia, serif; }
      #confab::part(heading) { text-transform: uppercase; letter-spacing: 2px; }
    </style>`;
    await h.open('/themed.html', pageWith(script, '<div id="confab"></div>', head));
    await ready();
    expect(await styleOf('.confab-button--primary', 'background-color')).toBe('rgb(180, 0, 90)');
    expect(await styleOf('.confab-button--primary', 'border-top-left-radius')).toBe('3px');
    expect(await styleOf('.confab-body', 'font-family')).toBe('Georgia, serif');
    expect(await styleOf('.confab-heading', 'text-transform')).toBe('uppercase');
    expect(await styleOf('.confab-heading', 'letter-spacing')).toBe('2px');
  });

  it("switches colours with the theme, and auto follows the reader's system setting", async () => {
    await h.page.emulateMedia({ colorScheme: 'dark' });
    const body =
      '<div id="light" data-confab></div><div id="dark" data-confab data-theme="dark"></div><div id="auto" data-confab data-theme="auto"></div>';
    await h.open('/schemes.html', pageWith(script, body));
    for (const id of ['#light', '#dark', '#auto']) await ready(id);
    expect(await styleOf('.confab-body', 'color', '#light')).toBe('rgb(31, 35, 40)');
    expect(await styleOf('.confab-body', 'color', '#dark')).toBe('rgb(230, 237, 243)');
    expect(await styleOf('.confab-body', 'color', '#auto')).toBe('rgb(230, 237, 243)');
    await h.page.emulateMedia({ colorScheme: 'light' });
    expect(await styleOf('.confab-body', 'color', '#auto')).toBe('rgb(31, 35, 40)');
    expect(await styleOf('.confab-body', 'color', '#dark')).toBe('rgb(230, 237, 243)');
  });
});

describe('where the script tag mounts', () => {
  it('puts the widget right after the script when the page has no container', async () => {
    const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>t</title></head>
      <body><p id="before">Article text</p><script src="/confab.iife.js" ${script}></script><p id="after">Footer</p></body></html>`;
    await h.open('/no-container.html', html);
    await h.page.waitForFunction(() => !!document.querySelector('#before + script + div')?.shadowRoot?.querySelector('article'));
    expect(h.problems).toEqual([]);
  });

  it('with data-loading="lazy" fetches nothing until the reader scrolls near', async () => {
    await h.open(
      '/lazy.html',
      pageWith(`${script} data-loading="lazy"`, '<div style="height: 4000px">Long article</div><div id="confab"></div>'),
    );
    await h.page.waitForFunction(() => typeof (window as unknown as { Confab?: unknown }).Confab === 'object');
    await h.page.waitForTimeout(300);
    expect(h.requests.filter((r) => r.url().includes('/api/'))).toHaveLength(0);
    await h.page.evaluate(() => document.querySelector('#confab')!.scrollIntoView());
    await ready();
    expect(h.requests.filter((r) => r.url().includes('/api/'))).toHaveLength(1);
  });

  it('leaves mounting to the page with data-auto-mount="false" and window.Confab.mount', async () => {
    await h.open('/manual.html', pageWith(`${script} data-auto-mount="false"`));
    await h.page.waitForFunction(() => typeof (window as unknown as { Confab?: unknown }).Confab === 'object');
    expect(await h.page.evaluate(() => document.querySelector('#confab')!.shadowRoot)).toBeNull();
    const count = await h.page.evaluate(async (thread) => {
      const confab = (
        window as unknown as {
          Confab: { mount(el: Element, o: object): { store: { status: { value: string }; size(): number } } };
        }
      ).Confab;
      const handle = confab.mount(document.querySelector('#confab')!, { endpoint: '/api', thread, pageSize: 100 });
      while (handle.store.status.value !== 'ready') await new Promise((resolve) => setTimeout(resolve, 20));
      return handle.store.size();
    }, THREAD);
    expect(count).toBeGreaterThanOrEqual(SEED_COUNT);
  });
});
