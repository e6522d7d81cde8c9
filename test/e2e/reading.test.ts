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
    return (
      [...root.querySelectorAll<HTMLElement>('button, a[href], input, textarea, [tabindex="0"]')]
        .filter((element) => element.checkVisibility() && !element.closest('.confab-body'))
        // The skip link is a 1 px point until focused (its focused size: the skip link test).
        .filter((element) => !element.matches('.confab-skip:not(:focus)'))
        .map((element) => {
          const { width, height } = element.getBoundingClientRect();
          const label = element.getAttribute('aria-label') ?? element.textContent?.trim() ?? '';
          return { what: `${element.localName}.${element.className} "${label}"`, width, height };
        })
    );
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

/** Presses Tab from the page's start until focus has left the widget; what each stop was. */
async function tabThroughWidget(limit = 400) {
  const stops: { inArticle: boolean; inBody: boolean; what: string }[] = [];
  await h.page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  let entered = false;
  for (let i = 0; i < limit; i++) {
    await h.page.keyboard.press('Tab');
    const stop = await h.page.evaluate(() => {
      const focused = document.querySelector('#confab')!.shadowRoot!.activeElement as HTMLElement | null;
      if (!focused) return null;
      const label = focused.getAttribute('aria-label') ?? focused.textContent?.trim().slice(0, 30);
      return {
        inArticle: !!focused.closest('article'),
        inBody: !!focused.closest('.confab-body'),
        what: `${focused.localName} ${label}`,
      };
    });
    if (!stop && entered) break;
    if (stop) {
      entered = true;
      stops.push(stop);
    }
  }
  return stops;
}

describe('tab stops', () => {
  it('takes one tab stop per comment (its toolbar) plus the thread’s own controls', async () => {
    await openSeed(script, '<a href="#top">Before</a><div id="confab"></div><a href="#after">After</a>');
    const stops = await tabThroughWidget();
    const visible = await h.page.evaluate(
      () =>
        [...document.querySelector('#confab')!.shadowRoot!.querySelectorAll('article')].filter((a) => a.checkVisibility()).length,
    );
    const links = stops.filter((s) => s.inBody).length; // links in the comments' own text stay reachable
    const own = stops.filter((s) => !s.inArticle).length;
    expect(visible).toBe(SEED_COUNT);
    expect(stops.filter((s) => s.inArticle && !s.inBody)).toHaveLength(visible);
    expect(stops.length).toBeLessThanOrEqual(own + visible + links);
    expect(own).toBeLessThan(15); // skip link, sort switch, the form's fields and button
  });

  it('moves inside a toolbar with the arrow keys, Home and End, and keeps the last button used', async () => {
    await openSeed();
    const first = h.page.locator('article').first();
    const focusedName = () =>
      h.page.evaluate(() => {
        const focused = document.querySelector('#confab')!.shadowRoot!.activeElement!;
        return focused.getAttribute('aria-label') ?? focused.textContent?.trim();
      });
    await first.getByRole('button', { name: 'Upvote' }).focus();
    await h.page.keyboard.press('ArrowRight');
    expect(await focusedName()).toBe('Downvote');
    await h.page.keyboard.press('ArrowRight');
    expect(await focusedName()).toBe('Reply');
    await h.page.keyboard.press('End');
    expect(await focusedName()).toBe('Hide 12 replies');
    await h.page.keyboard.press('ArrowRight'); // wraps
    expect(await focusedName()).toBe('Upvote');
    await h.page.keyboard.press('ArrowLeft');
    expect(await focusedName()).toBe('Hide 12 replies');
    await h.page.keyboard.press('Home');
    await h.page.keyboard.press('ArrowRight');
    await h.page.keyboard.press('ArrowRight');
    expect(await focusedName()).toBe('Reply');
    await h.page.keyboard.press('Tab'); // leaves the toolbar: the next comment's
    expect(await focusedName()).toBe('Upvote');
    await h.page.keyboard.press('Shift+Tab'); // back where it was left
    expect(await focusedName()).toBe('Reply');
    expect(await first.locator('[role=toolbar] [tabindex="0"]').count()).toBe(1);
  });

  it('keeps Copy link and Report in a "More actions" menu the keyboard opens', async () => {
    await openSeed();
    const first = h.page.locator('article').first();
    expect(await first.getByRole('button', { name: 'Copy link' }).isVisible()).toBe(false);
    await first.getByRole('button', { name: 'Upvote' }).focus();
    await h.page.keyboard.press('End');
    await h.page.keyboard.press('ArrowLeft');
    await h.page.keyboard.press('Enter');
    expect(await first.getByRole('button', { name: 'Copy link' }).isVisible()).toBe(true);
    await h.page.keyboard.press('Tab');
    expect(await h.page.evaluate(() => document.querySelector('#confab')!.shadowRoot!.activeElement?.textContent)).toBe(
      'Copy link',
    );
    await h.page.keyboard.press('Escape');
    expect(await first.getByRole('button', { name: 'Copy link' }).isVisible()).toBe(false);
    expect(h.problems).toEqual([]);
  });
});

describe('skip link', () => {
  it('is the widget’s first tab stop, shows when focused, and takes focus past every comment', async () => {
    await openSeed(script, '<a href="#top">Before</a><div id="confab"></div><a id="after" href="#after">After</a>');
    const skip = h.page.getByRole('link', { name: 'Skip comments' });
    const box = async () => (await skip.boundingBox())!;
    expect((await box()).width).toBeLessThanOrEqual(1); // unseen until focused
    await h.page.keyboard.press('Tab'); // "Before"
    await h.page.keyboard.press('Tab');
    expect(await skip.evaluate((element) => element.matches(':focus'))).toBe(true);
    expect((await box()).width).toBeGreaterThan(60);
    expect((await box()).height).toBeGreaterThanOrEqual(24);
    await h.page.keyboard.press('Enter');
    await h.page.keyboard.press('Tab');
    expect(await h.page.evaluate(() => document.activeElement?.id)).toBe('after');
  });
});

describe('narrow screens', () => {
  for (const width of [320, 375, 768]) {
    it(`keeps every comment's text at least 200 px wide at ${width} px, the time beside the name`, async () => {
      await h.page.setViewportSize({ width, height: 800 });
      await openSeed();
      const layout = await h.page.evaluate(() => {
        const root = document.querySelector('#confab')!.shadowRoot!;
        const laidOut = new CSSStyleSheet();
        laidOut.replaceSync('.confab-list > .confab-item { content-visibility: visible !important }');
        root.adoptedStyleSheets = [...root.adoptedStyleSheets, laidOut];
        return [...root.querySelectorAll('article')].map((article) => {
          const center = (e: Element | null) => (e ? e.getBoundingClientRect().top + e.getBoundingClientRect().height / 2 : 0);
          const items = [...article.querySelectorAll<HTMLElement>('[role=toolbar] > :not(.confab-toggle, [popover])')];
          return {
            id: article.id,
            body: article.querySelector('.confab-body')?.getBoundingClientRect().width ?? 0,
            nameToTime: Math.abs(
              center(article.querySelector('.confab-author')) - center(article.querySelector('.confab-permalink')),
            ),
            // The votes, Reply and the menu stay on one line (only the replies' toggle may wrap).
            actionsWrap: items.some(
              (e, i) => i > 0 && e.getBoundingClientRect().top >= items[i - 1]!.getBoundingClientRect().bottom - 1,
            ),
            overflow: article.scrollWidth > article.clientWidth + 1,
          };
        });
      });
      expect(layout).toHaveLength(SEED_COUNT);
      expect(layout.filter((c) => c.body < 200)).toEqual([]);
      expect(layout.filter((c) => c.nameToTime > 2)).toEqual([]);
      expect(layout.filter((c) => c.actionsWrap)).toEqual([]);
      expect(layout.filter((c) => c.overflow)).toEqual([]);
      expect(await h.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    });
  }
});

describe('a long comment', () => {
  const LONG_THREAD = 'long-comment';
  const paragraph = (i: number) =>
    `Paragraph ${i}: ` + 'the committee met again and went through the figures line by line, '.repeat(12).trim();
  const needle = 'zebracrossingneedle';
  let longId = '';

  async function post(body: string) {
    const answer = await fetch(`${h.server.url}/api/threads/${LONG_THREAD}/comments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': `k-${body.length}-${body.slice(-8)}` },
      body: JSON.stringify({ parentId: null, author: { name: 'Long Writer' }, body }),
    });
    expect(answer.status).toBe(201);
    return (await answer.json()).comment.id as string;
  }

  /** The long comment (and a short one) in their own thread, posted once. */
  async function ensureLong() {
    if (longId) return;
    const paragraphs = Array.from({ length: 12 }, (_, i) => paragraph(i + 1));
    paragraphs.push(`The last one hides a ${needle} word.`);
    let body = paragraphs.join('\n\n');
    body += ' ' + 'end '.repeat((10_000 - body.length) / 4 - 1);
    expect(body.length).toBeLessThanOrEqual(10_000);
    expect(body.length).toBeGreaterThan(9_900);
    longId = await post(body);
    await post('A short reply to the long one, underneath it.');
  }

  async function openLong(hash = '') {
    await ensureLong();
    await h.open('/long.html', pageWith(`data-endpoint="/api" data-thread="${LONG_THREAD}"`));
    // (A route matches the address without its fragment: the page is served, then opened at it.)
    if (hash) await h.page.goto(`${h.server.url}/long.html${hash}`);
    await h.page.waitForFunction(() => !!document.querySelector('#confab')?.shadowRoot?.querySelector('.confab-fold-button'));
  }

  const state = () =>
    h.page.evaluate((id) => {
      const article = document.querySelector('#confab')!.shadowRoot!.getElementById(`comment-${id}`)!;
      const button = article.querySelector('.confab-fold-button')!;
      return {
        height: article.getBoundingClientRect().height,
        expanded: button.getAttribute('aria-expanded'),
        label: button.textContent,
        hidden: article.querySelector('.confab-fold')!.getAttribute('hidden'),
        needleShown: [...article.querySelectorAll('p')].some(
          (p) => p.textContent!.includes('zebracrossingneedle') && p.checkVisibility(),
        ),
      };
    }, longId);

  it('folds after about 20 lines behind "Show more", a real button that unfolds and folds it', async () => {
    await openLong();
    const folded = await state();
    expect(folded).toMatchObject({ expanded: 'false', label: 'Show more', hidden: 'until-found', needleShown: false });
    expect(folded.height).toBeLessThan(900);
    const button = h.page.getByRole('button', { name: 'Show more' });
    await button.click();
    const open = await state();
    expect(open).toMatchObject({ expanded: 'true', label: 'Show less', hidden: null, needleShown: true });
    expect(open.height).toBeGreaterThan(2500);
    await h.page.getByRole('button', { name: 'Show less' }).click();
    expect(await state()).toMatchObject({ expanded: 'false', hidden: 'until-found' });
    expect(h.problems).toEqual([]);
  });

  it('opens for a permalink to it, on arrival and from a link in the page', async () => {
    await ensureLong();
    await openLong(`#comment-${longId}`);
    await h.page.waitForFunction(() => !!document.querySelector('#confab')!.shadowRoot!.activeElement?.matches('article'));
    expect(await state()).toMatchObject({ expanded: 'true', hidden: null, needleShown: true });

    await openLong();
    expect((await state()).hidden).toBe('until-found');
    await h.page.evaluate((id) => (location.hash = `#comment-${id}`), longId);
    await h.page.waitForFunction(() => !!document.querySelector('#confab')!.shadowRoot!.activeElement?.matches('article'));
    await h.page.waitForFunction((id) => {
      const article = document.querySelector('#confab')!.shadowRoot!.getElementById(`comment-${id}`)!;
      return !article.querySelector('.confab-fold')!.hasAttribute('hidden');
    }, longId);
    expect(await state()).toMatchObject({ expanded: 'true', label: 'Show less' });
  });

  it('opens when the browser finds text in it: a #:~:text= link, find-in-page’s machinery', async () => {
    await openLong();
    expect((await state()).hidden).toBe('until-found');
    // The browser searches the page (the shadow root too), fires beforematch at the hidden part
    // that holds the text, shows it and scrolls to it: what Ctrl+F does, which a test cannot press.
    await h.page.goto(`${h.server.url}/long.html#:~:text=${needle}`);
    await h.page.waitForFunction(() => !!document.querySelector('#confab')?.shadowRoot?.querySelector('.confab-fold-button'));
    await h.page.waitForFunction((id) => {
      const article = document.querySelector('#confab')!.shadowRoot!.getElementById(`comment-${id}`)!;
      return article.querySelector('.confab-fold-button')!.getAttribute('aria-expanded') === 'true';
    }, longId);
    expect(await state()).toMatchObject({ expanded: 'true', label: 'Show less', hidden: null, needleShown: true });
  });

  it('opens when the browser finds text in it (beforematch)', async () => {
    await openLong();
    // The browser fires beforematch at a hidden="until-found" element it finds text in, then shows it.
    await h.page.evaluate((id) => {
      const article = document.querySelector('#confab')!.shadowRoot!.getElementById(`comment-${id}`)!;
      const fold = article.querySelector('.confab-fold')!;
      fold.dispatchEvent(new Event('beforematch', { bubbles: true }));
      fold.removeAttribute('hidden');
    }, longId);
    expect(await state()).toMatchObject({ expanded: 'true', label: 'Show less', needleShown: true });
  });
});

describe('a long branch', () => {
  const BRANCH_THREAD = 'long-branch';
  // A top-level comment with 160 replies (40 answers, 3 replies to each), then one more: posted in
  // reading order, so the oldest-first order is the order they are read in.
  const bodies: string[] = [];

  async function post(parentId: string | null, body: string) {
    const answer = await fetch(`${h.server.url}/api/threads/${BRANCH_THREAD}/comments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': `branch-${bodies.length}` },
      body: JSON.stringify({ parentId, author: { name: `Reader ${bodies.length % 7}` }, body }),
    });
    expect(answer.status).toBe(201);
    bodies.push(body);
    return (await answer.json()).comment.id as string;
  }

  it('paints the top of a 160-reply branch first, then the rest below it, in reading order, moving nothing', async () => {
    const root = await post(null, 'The branch starts here.');
    for (let a = 0; a < 40; a++) {
      const answer = await post(root, `Answer ${a} to the branch.`);
      for (let r = 0; r < 3; r++) await post(answer, `Reply ${r} to answer ${a}.`);
    }
    await post(null, 'A comment after the branch.');
    const watch = `<script>
      window.firstRender = 0; window.shifts = 0;
      new PerformanceObserver((list) => { for (const e of list.getEntries()) window.shifts += e.value; }).observe({ type: 'layout-shift', buffered: true });
      const attach = Element.prototype.attachShadow;
      Element.prototype.attachShadow = function (init) {
        const root = attach.call(this, init);
        new MutationObserver(() => {
          if (!window.firstRender) window.firstRender = root.querySelectorAll('article').length;
        }).observe(root, { childList: true, subtree: true });
        return root;
      };
    </script>`;
    await h.open(
      '/branch.html',
      pageWith(`data-endpoint="/api" data-thread="${BRANCH_THREAD}"`, '<div id="confab"></div>', watch),
    );
    const articles = h.page.locator('article');
    await articles.first().waitFor();
    const firstRender = await h.page.evaluate(() => (window as unknown as { firstRender: number }).firstRender);
    expect(firstRender).toBeGreaterThan(0);
    expect(firstRender).toBeLessThan(60); // the top of the branch, not all 161 of its comments
    await expect.poll(() => articles.count()).toBe(bodies.length);
    expect(await h.page.locator('article .confab-body').allTextContents()).toEqual(bodies);
    await h.page.waitForTimeout(300);
    expect(await h.page.evaluate(() => (window as unknown as { shifts: number }).shifts)).toBe(0);
    expect(h.problems).toEqual([]);
  });
});
