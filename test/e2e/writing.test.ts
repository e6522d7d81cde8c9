// Writing in Chromium, with the script-tag bundle: the forms' writing half (confab-write.iife.js)
// is not in the first load; a reader who types before it has come keeps every character, in the
// same field, and nothing on the page moves when it arrives.
import { describe, expect, it } from 'vitest';
import { THREAD, pageWith, useHarness } from './harness';

const h = useHarness();
const NONCE = 'e2e-write';
/** Only scripts with the nonce run: the part's file too, or it never registers. */
const CSP = { 'Content-Security-Policy': `script-src 'nonce-${NONCE}'` };
const writeFile = () => h.requests.filter((r) => r.url().endsWith('/confab-write.iife.js'));

async function storedBody(body: string) {
  const answer = await fetch(`${h.server.url}/api/threads/${encodeURIComponent(THREAD)}/comments?limit=100&sort=newest`);
  return (await answer.json()).comments.find((c: { body: string }) => c.body === body);
}

describe('the writing half of the form in Chromium', () => {
  it('keeps every character typed before its code has come, moves nothing when it comes, and posts', async () => {
    const { page } = h;
    // The part's file is held back until the reader has typed.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/confab-write.iife.js', async (route) => {
      await released;
      await route.fallback();
    });
    await h.open('/write.html', pageWith(`data-endpoint="/api" data-thread="${THREAD}" nonce="${NONCE}"`), CSP);
    await page.getByRole('heading', { name: /\d+ comments/ }).waitFor();
    expect(writeFile()).toEqual([]); // not in the first load

    const box = page.getByRole('textbox', { name: 'Your comment' });
    const name = page.getByRole('textbox', { name: 'Name' });
    const text = 'Typed at once: äöü, «quotes», emoji 🙂 and a\nsecond line, every character kept.';
    const before = await box.elementHandle();
    const layout = () =>
      page.evaluate(() => {
        const root = document.querySelector('#confab')!.shadowRoot!;
        const rect = (selector: string) => {
          const { x, y, width, height } = root.querySelector(selector)!.getBoundingClientRect();
          return { x, y, width, height };
        };
        return { form: rect('form'), button: rect('button[type="submit"]'), first: rect('article') };
      });
    const shape = await layout();

    await box.click();
    await page.keyboard.type(text, { delay: 5 });
    // Tab goes to the name field as it always did, the part or not.
    await page.keyboard.press('Tab');
    await page.keyboard.type('Quick Typist');
    expect(writeFile()).toHaveLength(1); // asked for on focus, still on its way
    expect(await page.evaluate(() => Boolean((globalThis as { ConfabParts?: { write?: unknown } }).ConfabParts?.write))).toBe(
      false,
    );
    expect(await box.inputValue()).toBe(text);

    release();
    await page.waitForFunction(() => Boolean((globalThis as { ConfabParts?: { write?: unknown } }).ConfabParts?.write));
    // The same elements, the same text, the focus where it was, and nothing moved.
    expect(await box.evaluate((element, old) => element === old, before)).toBe(true);
    expect(await box.inputValue()).toBe(text);
    expect(await name.inputValue()).toBe('Quick Typist');
    expect(await page.evaluate(() => document.querySelector('#confab')!.shadowRoot!.activeElement?.getAttribute('name'))).toBe(
      'name',
    );
    expect(await layout()).toEqual(shape);

    await page.keyboard.press('Control+Enter');
    await page.locator('article').filter({ hasText: 'every character kept.' }).getByRole('button', { name: 'Edit' }).waitFor();
    const stored = await storedBody(text);
    expect(stored?.author.name).toBe('Quick Typist');
    expect(await box.inputValue()).toBe('');
    expect(writeFile()).toHaveLength(1);
    expect(h.problems).toEqual([]);
  });

  it('posts what was typed when the reader presses Post before the code has come', async () => {
    const { page } = h;
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/confab-write.iife.js', async (route) => {
      await released;
      await route.fallback();
    });
    await h.open('/write-early.html', pageWith(`data-endpoint="/api" data-thread="${THREAD}" nonce="${NONCE}"`), CSP);
    await page.getByRole('heading', { name: /\d+ comments/ }).waitFor();
    await page.getByRole('textbox', { name: 'Your comment' }).pressSequentially('Posted before the part came.');
    await page.getByRole('button', { name: 'Post comment' }).click();
    // Post waits for the code, then posts: nothing is sent twice, nothing lost.
    release();
    await page
      .locator('article')
      .filter({ hasText: 'Posted before the part came.' })
      .getByRole('button', { name: 'Edit' })
      .waitFor();
    expect(await storedBody('Posted before the part came.')).toBeTruthy();
    expect(h.requests.filter((r) => r.method() === 'POST' && r.url().endsWith('/comments'))).toHaveLength(1);
    expect(h.problems).toEqual([]);
  });

  it('previews a draft with the formatter of published comments, and shows the formatting help', async () => {
    const { page } = h;
    await h.open('/preview.html', pageWith(`data-endpoint="/api" data-thread="${THREAD}" nonce="${NONCE}"`), CSP);
    const box = page.getByRole('textbox', { name: 'Your comment' });
    await box.fill('A **bold** word, an *aside*, `code`\n> quoted\n<script>alert(1)</script> https://example.com/x');
    await page.getByRole('button', { name: 'Preview' }).click();
    const preview = page.getByRole('region', { name: 'Preview' });
    await expect.poll(() => preview.locator('strong').textContent()).toBe('bold');
    expect(await preview.locator('em').textContent()).toBe('aside');
    expect(await preview.locator('blockquote').textContent()).toBe('quoted');
    expect(await preview.locator('a').getAttribute('href')).toBe('https://example.com/x');
    expect(await preview.locator('script').count()).toBe(0);
    expect(await preview.textContent()).toContain('<script>alert(1)</script>');
    // Looks as the published comment will: the same body element and styles.
    expect(await preview.locator('.confab-body').evaluate((body) => getComputedStyle(body).marginInlineStart)).toBe('0px');

    const formatting = page.getByRole('button', { name: 'Formatting' });
    await formatting.click();
    expect(await formatting.getAttribute('aria-expanded')).toBe('true');
    const help = page.locator(`[id="${await formatting.getAttribute('aria-controls')}"]`);
    await expect.poll(() => help.locator('dd strong').textContent()).toBe('bold');
    expect(await help.locator('dt').allTextContents()).toEqual([
      '**bold**',
      '*italic*',
      '`code`',
      '> a quote',
      'https://example.com',
    ]);
    expect(h.problems).toEqual([]);
  });
});

describe('the writing half in another language', () => {
  it('brings its words with it: the first load’s locale file leaves them out', async () => {
    const { page } = h;
    await h.open('/de.html', pageWith(`data-endpoint="/api" data-thread="${THREAD}" data-locale="de" nonce="${NONCE}"`), CSP);
    await page.getByRole('heading', { name: /\d+ Kommentare/ }).waitFor();
    const words = () => h.requests.filter((r) => r.url().endsWith('/locales/de-write.iife.js'));
    expect(words()).toEqual([]);
    expect(h.requests.filter((r) => r.url().endsWith('/locales/de.iife.js'))).toHaveLength(1);
    const box = page.getByRole('textbox', { name: 'Ihr Kommentar' });
    await box.fill(''); // a draft an earlier test left in this browser's storage
    await expect.poll(() => words().length).toBe(1);
    await page.getByRole('button', { name: 'Kommentar senden' }).click();
    await page.getByText('Bitte schreiben Sie zuerst etwas.').waitFor();
    await box.fill('x'.repeat(9_990));
    await page.locator('[id$="-count"]', { hasText: 'Noch 10 Zeichen' }).waitFor();
    expect(h.problems).toEqual([]);
  });

  it('gives every part its words on first use, none in the first load: report dialog, edit form', async () => {
    const { page } = h;
    await h.open(
      '/de-parts.html',
      pageWith(`data-endpoint="/api" data-thread="${THREAD}" data-locale="de" nonce="${NONCE}"`),
      CSP,
    );
    await page.getByRole('heading', { name: /\d+ Kommentare/ }).waitFor();
    const wordsOf = (part: string) => h.requests.filter((r) => r.url().endsWith(`/locales/de-${part}.iife.js`));
    expect([wordsOf('report'), wordsOf('edit'), wordsOf('signin')]).toEqual([[], [], []]);
    // The first load's file has none of them.
    const first = await (await fetch(`${h.server.url}/locales/de.iife.js`)).text();
    expect(first).not.toContain('Diesen Kommentar melden');
    expect(first).not.toContain('Kommentar bearbeiten');

    await page.getByRole('button', { name: 'Weitere Aktionen' }).first().click();
    await page.getByRole('button', { name: 'Melden' }).first().click();
    await page.getByRole('dialog', { name: 'Diesen Kommentar melden' }).waitFor();
    expect(wordsOf('report')).toHaveLength(1);
    await page.keyboard.press('Escape');

    const box = page.getByRole('textbox', { name: 'Ihr Kommentar' });
    await box.fill('Von mir, auf Deutsch.');
    await page.getByRole('button', { name: 'Kommentar senden' }).click();
    const mine = page.locator('article').filter({ hasText: 'Von mir, auf Deutsch.' });
    await mine.getByRole('button', { name: 'Bearbeiten' }).click();
    await page.getByRole('textbox', { name: 'Kommentar bearbeiten' }).waitFor();
    expect(wordsOf('edit')).toHaveLength(1);
    expect(h.problems).toEqual([]);
  });
});

describe('the honeypot in Chromium', () => {
  const posts = () => h.requests.filter((r) => r.method() === 'POST' && r.url().endsWith('/comments'));

  it('is in the first render, hidden and out of reach; a filled one is refused by the server, an untouched one posts', async () => {
    const { page } = h;
    // The writing half never comes: the honeypot is there without it, as bots never focus a form.
    await page.route('**/confab-write.iife.js', () => {});
    await h.open('/honeypot.html', pageWith(`data-endpoint="/api" data-thread="${THREAD}" nonce="${NONCE}"`), CSP);
    await page.getByRole('heading', { name: /\d+ comments/ }).waitFor();
    const trap = page.locator('#confab form input[name="website"]');
    expect(await trap.count()).toBe(1);
    expect(await trap.getAttribute('tabindex')).toBe('-1');
    expect(await trap.getAttribute('autocomplete')).toBe('off');
    expect(await trap.getAttribute('aria-hidden')).toBe('true');
    // In a 1 px box out of the flow (it takes no room in the form, nor widens the page), clipped to nothing.
    expect(
      await trap.evaluate((input) => {
        const box = getComputedStyle(input.parentElement!);
        return [box.position, box.clipPath, box.overflow, input.parentElement!.getBoundingClientRect().width];
      }),
    ).toEqual(['absolute', 'inset(50%)', 'hidden', 1]);
    // Tab from the text goes to the name field, never into the trap.
    await page.getByRole('textbox', { name: 'Your comment' }).focus();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.querySelector('#confab')!.shadowRoot!.activeElement?.getAttribute('name'))).toBe(
      'name',
    );
    expect(writeFile()).toHaveLength(1);

    // A bot fills every field it finds.
    await page.unroute('**/confab-write.iife.js');
    await page.reload();
    await page.getByRole('heading', { name: /\d+ comments/ }).waitFor();
    await trap.evaluate((input: HTMLInputElement) => (input.value = 'https://spam.example'));
    await page.getByRole('textbox', { name: 'Your comment' }).fill('Buy cheap things at spam.example');
    await page.getByRole('button', { name: 'Post comment' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('The server did not accept this.');
    expect(posts().at(-1)!.postDataJSON().website).toBe('https://spam.example');
    expect(await storedBody('Buy cheap things at spam.example')).toBeUndefined();

    // A person's form (the trap untouched) posts as always, without the field.
    await page.reload();
    await page.getByRole('heading', { name: /\d+ comments/ }).waitFor();
    await page.getByRole('textbox', { name: 'Your comment' }).fill('Written by a person, trap untouched.');
    await page.getByRole('button', { name: 'Post comment' }).click();
    await page
      .locator('article')
      .filter({ hasText: 'Written by a person, trap untouched.' })
      .getByRole('button', { name: 'Edit' })
      .waitFor();
    expect(posts().at(-1)!.postDataJSON()).not.toHaveProperty('website');
    expect(await storedBody('Written by a person, trap untouched.')).toBeTruthy();
    // The refused post: one 400 in the console, nothing else.
    expect(h.problems.filter((p) => !p.includes('400'))).toEqual([]);
  });
});
