// The reader's side of issue 20 in Chromium, as a reader sees it: target sizes (axe's
// target-size rule included), focus rings no ancestor cuts off, and `theme: 'auto'` readable
// on a light-only page and on a dark page.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { SEED_COUNT, THREAD, pageWith, useHarness } from './harness';

const h = useHarness();
const script = `data-endpoint="/api" data-thread="${THREAD}"`;
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

async function openSeed(attributes = script, body?: string, head?: string) {
  await h.open('/reading.html', pageWith(attributes, body, head));
  await h.page.waitForFunction(
    (count) => (document.querySelector('#confab')?.shadowRoot?.querySelectorAll('article').length ?? 0) >= count,
    SEED_COUNT,
  );
}

/**
 * Every visible control in the widget that is not a link inside a comment's text, with its size
 * (off-screen comments laid out: content-visibility would give them none).
 */
const controlSizes = () =>
  h.page.evaluate(() => {
    const root = document.querySelector('#confab')!.shadowRoot!;
    const laidOut = new CSSStyleSheet();
    laidOut.replaceSync('.confab-list > .confab-item { content-visibility: visible !important }');
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, laidOut];
    return [...root.querySelectorAll<HTMLElement>('button, a[href], input, textarea, [tabindex="0"]')]
      .filter((element) => element.checkVisibility() && !element.closest('.confab-body'))
      .map((element) => {
        const { width, height } = element.getBoundingClientRect();
        const label = element.getAttribute('aria-label') ?? element.textContent?.trim() ?? '';
        return { what: `${element.localName}.${element.className} "${label}"`, width, height };
      });
  });

describe('targets', () => {
  it('makes every control at least 24 x 24 px, and axe target-size passes', async () => {
    await openSeed();
    const controls = await controlSizes();
    expect(controls.length).toBeGreaterThan(SEED_COUNT * 3);
    // The form's checkbox is a native box beside its label: axe's spacing exception covers it.
    const small = controls.filter((c) => !c.what.startsWith('input') && (c.width < 24 || c.height < 24));
    expect(small).toEqual([]);

    await h.page.addScriptTag({ path: AXE });
    const violations = await h.page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run(context: object, options: object): Promise<{ violations: unknown[] }> } })
        .axe;
      const result = await axe.run({ include: [['#confab']] }, { runOnly: ['target-size'] });
      return result.violations;
    });
    expect(violations).toEqual([]);
  });

  it('makes the vote buttons and the actions 44 px tall on a touch screen', async () => {
    const cdp = await h.page.context().newCDPSession(h.page);
    await cdp.send('Emulation.setTouchEmulationEnabled', { enabled: true, maxTouchPoints: 1 });
    await cdp.send('Emulation.setEmitTouchEventsForMouse', { enabled: true, configuration: 'mobile' });
    await openSeed();
    expect(await h.page.evaluate(() => matchMedia('(pointer: coarse)').matches)).toBe(true);
    const controls = (await controlSizes()).filter((c) => /confab-(vote|link-button|sort-button)/.test(c.what));
    expect(controls.length).toBeGreaterThan(SEED_COUNT * 2);
    expect(controls.filter((c) => c.height < 44)).toEqual([]);
    expect(controls.filter((c) => c.what.includes('confab-vote') && c.width < 44)).toEqual([]);
  });
});

/**
 * Where the focused element's outline is drawn past what one of its ancestors shows: each
 * ancestor (across the shadow root) that clips (overflow other than visible, or
 * content-visibility's paint containment, whose clip edge overflow-clip-margin moves out).
 */
const clippedFocusRing = () =>
  h.page.evaluate(() => {
    const element = document.querySelector('#confab')!.shadowRoot!.activeElement as HTMLElement | null;
    if (!element) return 'nothing focused';
    const style = getComputedStyle(element);
    if (!element.matches(':focus-visible') || style.outlineStyle === 'none' || parseFloat(style.outlineWidth) === 0)
      return `${element.localName}.${element.className}: no focus ring`;
    const reach = parseFloat(style.outlineOffset) + parseFloat(style.outlineWidth);
    const box = element.getBoundingClientRect();
    const ring = { left: box.left - reach, top: box.top - reach, right: box.right + reach, bottom: box.bottom + reach };
    const name = `${element.localName}.${element.className}`;
    for (let up = element.parentElement ?? (element.getRootNode() as ShadowRoot).host; up;) {
      const s = getComputedStyle(up);
      const paintContained = s.contentVisibility !== 'visible' || /paint|strict|content/.test(s.contain);
      const clipsX = s.overflowX !== 'visible' || paintContained;
      const clipsY = s.overflowY !== 'visible' || paintContained;
      if (clipsX || clipsY) {
        const r = up.getBoundingClientRect();
        const usesMargin = paintContained || s.overflowX === 'clip';
        const margin = usesMargin ? parseFloat(s.overflowClipMargin) || 0 : 0;
        const edge = {
          left: r.left + parseFloat(s.borderLeftWidth) - margin,
          right: r.right - parseFloat(s.borderRightWidth) + margin,
          top: r.top + parseFloat(s.borderTopWidth) - margin,
          bottom: r.bottom - parseFloat(s.borderBottomWidth) + margin,
        };
        const cut =
          (clipsX && (ring.left < edge.left - 0.5 || ring.right > edge.right + 0.5)) ||
          (clipsY && (ring.top < edge.top - 0.5 || ring.bottom > edge.bottom + 0.5));
        if (cut) return `${name}: its ring is cut by ${up.localName}.${up.className}`;
      }
      up = up.parentElement ?? (up.getRootNode() as ShadowRoot).host ?? null;
    }
    return null;
  });

describe('focus rings', () => {
  it('draws every control’s focus ring whole, the reply textarea’s included', async () => {
    await openSeed(script, '<div id="confab" style="padding: 0 12px"></div>');
    // Open a reply form in the first top-level comment: its textarea spans the comment's width.
    const first = h.page.locator('li.confab-item').first();
    await first.getByRole('button', { name: 'Reply', exact: true }).first().click();
    await h.page.keyboard.press('Tab'); // the last interaction is the keyboard's: focus shows
    const cut: string[] = [];
    const controls = await h.page.evaluate(() => {
      const root = document.querySelector('#confab')!.shadowRoot!;
      const all = [...root.querySelectorAll<HTMLElement>('button, a[href], textarea, input:not([type=checkbox]), article')];
      // (The honeypot field is no reader's control: aria-hidden, out of the tab order, clipped.)
      return all.filter((e) => e.checkVisibility() && !e.closest('[aria-hidden="true"]')).length;
    });
    for (let i = 0; i < controls; i++) {
      await h.page.evaluate((at) => {
        const root = document.querySelector('#confab')!.shadowRoot!;
        const all = [...root.querySelectorAll<HTMLElement>('button, a[href], textarea, input:not([type=checkbox]), article')];
        const element = all.filter((e) => e.checkVisibility() && !e.closest('[aria-hidden="true"]'))[at]!;
        element.scrollIntoView({ block: 'center' });
        element.focus();
      }, i);
      const problem = await clippedFocusRing();
      if (problem) cut.push(problem);
    }
    expect(controls).toBeGreaterThan(SEED_COUNT * 3);
    expect([...new Set(cut)]).toEqual([]);
  });
});

/** WCAG contrast of two rgb() colours. */
function contrast(a: number[], b: number[]) {
  const lum = ([r, g, b]: number[]) => {
    const [R, G, B] = [r!, g!, b!].map((v) => {
      const c = v / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * R! + 0.7152 * G! + 0.0722 * B!;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

/** The first comment's text colour and the colour actually behind it (the first opaque background up to the page). */
const textOnBackground = () =>
  h.page.evaluate(() => {
    const rgb = (value: string) => value.match(/[\d.]+/g)!.map(Number);
    const body = document.querySelector('#confab')!.shadowRoot!.querySelector('.confab-body')!;
    for (let up: Element | null = body; up; up = up.parentElement ?? (up.getRootNode() as ShadowRoot).host ?? null) {
      const background = rgb(getComputedStyle(up).backgroundColor);
      if (background.length === 3 || background[3] === 1)
        return { text: rgb(getComputedStyle(body).color), background: background.slice(0, 3) };
    }
    return { text: rgb(getComputedStyle(body).color), background: [255, 255, 255] };
  });

describe("theme: 'auto'", () => {
  const auto = `${script} data-theme="auto"`;
  const lightOnly = '<style>body { background: #fff; color: #111; }</style>';
  const darkPage = '<style>:root { color-scheme: dark; } body { background: #202124; color: #eee; }</style>';

  it('keeps the text readable for a dark-mode reader on a page with no dark styles', async () => {
    await h.page.emulateMedia({ colorScheme: 'dark' });
    await openSeed(auto, undefined, lightOnly);
    const { text, background } = await textOnBackground();
    expect(contrast(text, background)).toBeGreaterThanOrEqual(4.5);
    expect(Math.max(...background)).toBeLessThan(64); // its own dark surface, not the white page
  });

  it('keeps the text readable for a dark-mode reader on a dark page, and light on light', async () => {
    await h.page.emulateMedia({ colorScheme: 'dark' });
    await openSeed(auto, undefined, darkPage);
    let { text, background } = await textOnBackground();
    expect(contrast(text, background)).toBeGreaterThanOrEqual(4.5);

    await h.page.emulateMedia({ colorScheme: 'light' });
    await openSeed(auto, undefined, lightOnly);
    ({ text, background } = await textOnBackground());
    expect(contrast(text, background)).toBeGreaterThanOrEqual(4.5);
    expect(background).toEqual([255, 255, 255]); // light: the page's own background shows through
  });
});
