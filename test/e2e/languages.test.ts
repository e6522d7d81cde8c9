// Every catalog in src/i18n/locales/, as a reader with a 320 px wide phone sees it: the widget in
// that language and direction, no key or {placeholder} showing raw, and no string longer than the
// layout allows (issue 21). A new catalog file is covered without touching this test.
//
// What "longer than the layout allows" means here, in the regions checked (the header with its
// sort switch, the top-level form, the first top-level comment's actions, and the reply form
// opened under that comment):
// - nothing passes the widget's content box on either side (so RTL is covered), and the page
//   does not scroll sideways;
// - every button keeps its text on one line, unclipped. The sort switch is a segmented control
//   that cannot wrap: a label too long for it breaks inside its button ("Mejor|es"), which is the
//   failure this catches. A form's action row and a comment's actions are flex rows that wrap by
//   design: where two labels do not fit side by side (de's "Antwort senden" and "Abbrechen" in
//   the 260 px of a reply form), Cancel goes to the next row, whole. That is not a failure (a
//   one-row rule would push translators to clipped phrasing); the summary line names those
//   languages.
// Replies deeper down get narrower forms (90 px at the fifth level at 320 px), where even
// English's "Post reply" wraps: a layout limit, not checked here.
//
// Widths need the script's font. A language whose letters this machine has no font for (its
// letters draw as the missing-glyph box) gets the language and raw-key checks but not the layout
// ones; the summary line names it. (Debian: fonts-noto-core and fonts-noto-cjk cover them all.)
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { en } from '../../src/i18n/en';
import { THREAD, pageWith, useHarness } from './harness';

const h = useHarness();
const script = `data-endpoint="/api" data-thread="${THREAD}"`;
const folder = new URL('../../src/i18n/locales/', import.meta.url);
type Catalog = Record<string, string | Record<string, string>>;
const catalogs = new Map<string, Catalog>(
  readdirSync(folder)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => [file.slice(0, -'.json'.length), JSON.parse(readFileSync(new URL(file, folder), 'utf8')) as Catalog]),
);
const WIDTH = 320;
/** A key's name as it would show if a lookup failed (`form.submit`, `sort.top`). */
const RAW_KEY = /\b(thread|comment|form|sort|error|action|report|sso|mod|ssr)\.[a-zA-Z]+/;
const PLACEHOLDER = /\{\w+\}/;

interface Button {
  /** Where: `sort`, `form`, `actions` (the first comment's) or `reply form`. */
  where: string;
  text: string;
  top: number;
  width: number;
  /** Lines its text takes: content height over line height, rounded. */
  lines: number;
  scrollWidth: number;
  clientWidth: number;
}
interface View {
  dir: string;
  heading: string;
  /** What the reader sees or hears outside comment bodies: text nodes, aria-label, placeholder, title. */
  chrome: string[];
  /** The same with comment bodies (for raw keys and placeholders). */
  all: string[];
  /** Letters of the headings, labels and buttons that this machine has no font for. */
  noFont: string;
  /** Elements of the checked regions that pass the widget's content box, with their edges. */
  outside: string[];
  pageScrollWidth: number;
  buttons: Button[];
  /** The sort switch's width with room for all its labels, and the width it has. */
  sortNeeds: number;
  sortHas: number;
}

/** Reads the widget as laid out now (runs in the page). */
function measure(): View {
  const root = document.querySelector('#confab')!.shadowRoot!;
  const container = root.querySelector<HTMLElement>('.confab')!;
  const box = container.getBoundingClientRect();
  const first = root.querySelector('.confab-list > .confab-item')!;
  const [header, form, article, reply] = [
    root.querySelector('.confab-header')!,
    root.querySelector('.confab-thread > .confab-form')!,
    first.querySelector(':scope > article')!,
    first.querySelector(':scope > .confab-form')!,
  ];

  const outside: string[] = [];
  for (const region of [header, form, article, reply])
    for (const element of [region, ...region.querySelectorAll('*')]) {
      const rect = element.getBoundingClientRect();
      if ((rect.width === 0 && rect.height === 0) || element.closest('.confab-visually-hidden')) continue;
      // Half a pixel for sub-pixel rounding.
      if (rect.left < box.left - 0.5 || rect.right > box.right + 0.5)
        outside.push(
          `${element.tagName.toLowerCase()}.${[...element.classList].join('.')} "${element.textContent!.trim().slice(0, 30)}" ` +
            `at ${rect.left.toFixed(1)}-${rect.right.toFixed(1)} px, the widget ${box.left}-${box.right} px`,
        );
    }

  // Buttons with words (an icon button's name is its aria-label: nothing of it can overflow). The
  // lines its text takes: the distinct lines of the text's own boxes (a button may be taller than
  // one line of text, a touch target).
  const buttons = (where: string, scope: Element, selector: string): Button[] =>
    [...scope.querySelectorAll<HTMLElement>(selector)]
      .filter((element) => element.textContent!.trim() && element.checkVisibility())
      .map((element) => {
        const range = document.createRange();
        range.selectNodeContents(element);
        const lineTops = new Set([...range.getClientRects()].map((box) => Math.round(box.top + box.height / 2)));
        const rect = element.getBoundingClientRect();
        return {
          where,
          text: element.textContent!.trim(),
          top: rect.top,
          width: rect.width,
          lines: lineTops.size,
          scrollWidth: element.scrollWidth,
          clientWidth: element.clientWidth,
        };
      });

  const chrome: string[] = [];
  const all: string[] = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const element = node instanceof Element ? node : node.parentElement!;
    if (element.closest('style, script')) continue;
    const found =
      node instanceof Element
        ? ['aria-label', 'placeholder', 'title'].map((name) => node.getAttribute(name)?.trim() ?? '')
        : [node.textContent!.trim()];
    for (const text of found.filter(Boolean)) {
      all.push(text);
      if (!element.closest('.confab-body')) chrome.push(text);
    }
  }

  // A letter without a font draws as the missing-glyph box: the same pixels as a code point no
  // font has (U+10FFFD, private use).
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = 40;
  const context = canvas.getContext('2d', { willReadFrequently: true })!;
  context.font = `24px ${getComputedStyle(container).fontFamily}`;
  const pixels = (text: string) => {
    context.clearRect(0, 0, 40, 40);
    context.fillText(text, 4, 30);
    return context.getImageData(0, 0, 40, 40).data.join();
  };
  const missing = pixels('\u{10FFFD}');
  const letters = new Set(
    [...[...root.querySelectorAll('h2, label, button')].map((element) => element.textContent).join('')].filter((c) =>
      /\p{L}/u.test(c),
    ),
  );

  // Last, as it changes the layout: the sort switch at its natural width.
  const sort = root.querySelector<HTMLElement>('.confab-sort')!;
  const sortHas = sort.getBoundingClientRect().width;
  sort.style.flex = 'none';
  sort.style.width = 'max-content';
  const sortNeeds = sort.getBoundingClientRect().width;
  sort.style.flex = sort.style.width = '';

  return {
    dir: container.dir,
    heading: header.querySelector('h2')!.textContent!.trim(),
    chrome,
    all,
    noFont: [...letters].filter((letter) => pixels(letter) === missing).join(''),
    outside,
    pageScrollWidth: document.documentElement.scrollWidth,
    buttons: [
      ...buttons('sort', header, '.confab-sort-button'),
      ...buttons('form', form, 'button'),
      ...buttons('actions', article, '.confab-actions button'),
      ...buttons('reply form', reply, 'button'),
    ],
    sortNeeds,
    sortHas,
  };
}

/** Loads the widget in `locale`, opens the reply form under the first comment, and reads it. */
async function view(locale: string): Promise<View> {
  // The widget renders once its catalog has loaded (mount.tsx): a comment there means the language is in.
  await h.open(`/languages/${locale}.html`, pageWith(`${script} data-locale="${locale}"`));
  await h.page.locator('#confab .confab-list > .confab-item > article [data-action="reply"]').first().click();
  await h.page.locator('#confab .confab-list > .confab-item > .confab-form textarea').waitFor();
  return h.page.evaluate(measure);
}

/** What the browser's own Intl says: the heading from the catalog's plural forms, and the direction. */
function expected([tag, forms, count]: readonly [string, Record<string, string>, number]) {
  const locale = new Intl.Locale(tag) as Intl.Locale & {
    getTextInfo?(): { direction: string };
    textInfo?: { direction: string };
  };
  const pattern = forms[new Intl.PluralRules(tag).select(count)] ?? forms.other!;
  return {
    heading: pattern.replace('{count}', new Intl.NumberFormat(tag).format(count)),
    direction: (locale.getTextInfo?.() ?? locale.textInfo)!.direction,
  };
}

describe('every language at 320 px wide', () => {
  it(`shows each of the ${catalogs.size} catalogs in its language, with no raw key and nothing too long`, async () => {
    const started = performance.now();
    await h.page.setViewportSize({ width: WIDTH, height: 900 });
    // English first: the count for the headings, and the layout at its tidiest.
    const english = await view('en');
    const count = Number(/^(\d+) comments$/.exec(english.heading)?.[1]);
    expect(count).toBeGreaterThan(0);
    expect(english.outside).toEqual([]);
    expect(english.buttons.filter((b) => b.lines !== 1)).toEqual([]);

    const problems: string[] = [];
    const noFont: string[] = [];
    const stacked: string[] = [];
    for (const [locale, catalog] of catalogs) {
      h.problems.length = 0;
      const seen = await view(locale);
      const fail = (what: string) => problems.push(`${locale}: ${what}`);

      // Its language and direction.
      const want = await h.page.evaluate(expected, [locale, catalog['thread.heading'] as Record<string, string>, count] as const);
      if (seen.heading !== want.heading) fail(`the heading is "${seen.heading}", the catalog gives "${want.heading}"`);
      if (seen.dir !== want.direction) fail(`dir="${seen.dir}" for a language written ${want.direction}`);
      for (const [key, english] of Object.entries(en))
        if (typeof english === 'string' && catalog[key] !== english && seen.chrome.includes(english))
          fail(`English "${english}" shows (${key}), the catalog has "${String(catalog[key])}"`);

      // Nothing raw.
      for (const text of seen.all) {
        if (RAW_KEY.test(text)) fail(`a raw key shows: "${text}"`);
        if (PLACEHOLDER.test(text)) fail(`an unfilled placeholder shows: "${text}"`);
      }
      for (const problem of h.problems) fail(problem);

      // Nothing too long, where this machine can draw the script.
      if (seen.noFont) {
        noFont.push(`${locale} (${[...seen.noFont].slice(0, 5).join('')}…)`);
        continue;
      }
      if (seen.pageScrollWidth > WIDTH) fail(`the page scrolls sideways: ${seen.pageScrollWidth} px wide`);
      for (const line of seen.outside) fail(`past the widget's edge: ${line}`);
      for (const b of seen.buttons) {
        const which = `the ${b.where} button "${b.text}" (${b.width.toFixed(1)} px)`;
        const sort =
          b.where === 'sort' ? `: the sort switch needs ${seen.sortNeeds.toFixed(1)} px, has ${seen.sortHas.toFixed(1)} px` : '';
        if (b.lines > 1) fail(`${which} breaks onto ${b.lines} lines${sort}`);
        if (b.scrollWidth > b.clientWidth) fail(`${which} clips its text: ${b.scrollWidth} px in ${b.clientWidth} px${sort}`);
      }
      const replyRows = new Set(seen.buttons.filter((b) => b.where === 'reply form').map((b) => Math.round(b.top)));
      if (replyRows.size > 1) stacked.push(locale);
    }
    console.log(
      `${catalogs.size} languages at ${WIDTH} px in ${((performance.now() - started) / 1000).toFixed(1)} s; ` +
        `no font here for ${noFont.join(', ') || 'none'} (layout not checked); ` +
        `a reply form's Cancel under its Post button in ${stacked.join(', ') || 'none'}`,
    );
    expect(problems).toEqual([]);
  }, 120_000);
});
