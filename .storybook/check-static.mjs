// Opens every story of the built Storybook (storybook-static/) in headless Chromium, served from
// 127.0.0.1: each must render the widget, finish its play function, log no errors, and pass
// the a11y addon's own axe run, which here has real layout (colour contrast counts). Also checks
// the manager UI and the introduction page, and saves screenshots to test-results/storybook/.
// Usage: npm run build-storybook && node .storybook/check-static.mjs [story-id-filter]
import { createServer } from 'node:http';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve } from 'node:path';
import { launchBrowser } from '../scripts/chromium.mjs';

const ROOT = resolve(import.meta.dirname, '../storybook-static');
const SHOTS = resolve(import.meta.dirname, '../test-results/storybook');
const STORY_TIMEOUT = 30_000;
const filter = process.argv[2] ?? '';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
};

if (!existsSync(join(ROOT, 'index.json'))) {
  console.error('storybook-static/ is missing: run `npm run build-storybook` first.');
  process.exit(1);
}

const server = createServer((request, response) => {
  const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
  let file = normalize(join(ROOT, path));
  if (!file.startsWith(ROOT)) return void response.writeHead(403).end();
  if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
  if (!existsSync(file)) return void response.writeHead(404).end();
  response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
  response.end(readFileSync(file));
});
await new Promise((done) => server.listen(0, '127.0.0.1', done));
const base = `http://127.0.0.1:${server.address().port}`;

// Storybook's preview reports each story's end (with the a11y addon's axe results) on its
// channel; catch the channel as it is created and keep what it says.
const listen = () => {
  window.__confab = { finished: [], errors: [] };
  let channel;
  Object.defineProperty(window, '__STORYBOOK_ADDONS_CHANNEL__', {
    configurable: true,
    get: () => channel,
    set(value) {
      channel = value;
      value.on('storyFinished', (payload) => window.__confab.finished.push(payload));
      for (const event of ['storyErrored', 'storyThrewException', 'playFunctionThrewException', 'unhandledErrorsWhilePlaying']) {
        value.on(event, (error) => window.__confab.errors.push({ event, error: JSON.stringify(error).slice(0, 500) }));
      }
    },
  });
};

const index = JSON.parse(readFileSync(join(ROOT, 'index.json'), 'utf8'));
const stories = Object.values(index.entries).filter((entry) => entry.type === 'story' && entry.id.includes(filter));
const failures = [];
const browser = await launchBrowser();
mkdirSync(SHOTS, { recursive: true });
const started = Date.now();

/**
 * axe's target-size rule finds what covers a target by hit-testing, which does not reach the
 * comments content-visibility: auto skips off screen: their buttons would all count as covered.
 * Here every comment is drawn, so the rule measures each one's real targets.
 */
const drawEveryComment = () =>
  document.addEventListener('DOMContentLoaded', () => {
    const style = document.createElement('style');
    style.textContent = '.confab-list > .confab-item { content-visibility: visible !important; }';
    document.head.append(style);
  });

/** A page that records its console errors and the preview's channel events. */
async function newPage() {
  const page = await browser.context.newPage();
  await page.addInitScript(listen);
  await page.addInitScript(drawEveryComment);
  page.consoleErrors = [];
  page.on('console', (message) => message.type() === 'error' && page.consoleErrors.push(message.text()));
  page.on('pageerror', (error) => page.consoleErrors.push(String(error)));
  return page;
}

/** Renders one story and lists what is wrong with it. */
async function check(page, story) {
  page.consoleErrors.length = 0;
  const problems = [];
  const notes = [];
  // A story tagged `dark-mode` shows what a reader whose system is dark sees (theme: 'auto').
  await page.emulateMedia({ colorScheme: story.tags?.includes('dark-mode') ? 'dark' : 'light' });
  await page.goto(`${base}/iframe.html?id=${story.id}&viewMode=story`);
  try {
    await page.waitForFunction((id) => window.__confab.finished.some((f) => f.storyId === id), story.id, {
      timeout: STORY_TIMEOUT,
    });
  } catch {
    problems.push(`did not finish within ${STORY_TIMEOUT / 1000} s`);
  }
  const state = await page.evaluate((id) => {
    const root = document.querySelector('#storybook-root');
    const finished = window.__confab.finished.find((f) => f.storyId === id);
    const a11y = finished?.reporters.find((r) => r.type === 'a11y');
    return {
      text: root?.textContent?.trim().length ?? 0,
      widget: Boolean(root?.querySelector('.confab > *')),
      status: finished?.status,
      errors: window.__confab.errors,
      violations: (a11y?.result?.violations ?? []).map(
        (v) =>
          `${v.id} (${v.impact}): ${v.help}\n      ${v.nodes
            .slice(0, 3)
            .map((n) => `${n.target.join(' ')}: ${n.any?.[0]?.message ?? ''}`)
            .join('\n      ')}`,
      ),
      a11yError: a11y?.result?.error ? String(a11y.result.error.message ?? a11y.result.error) : null,
    };
  }, story.id);
  if (!state.widget || state.text === 0) problems.push('rendered no widget or no text');
  if (state.status && state.status !== 'success') problems.push(`finished with status ${state.status}`);
  for (const error of state.errors) problems.push(`${error.event}: ${error.error}`);
  for (const error of page.consoleErrors) problems.push(`console: ${error}`);
  if (state.a11yError) problems.push(`axe failed: ${state.a11yError}`);
  // A story tagged `a11y-known-issue` shows a violation that is reported and waiting for a
  // fix in the component: listed, not failed, until it is fixed (then the tag must go).
  const known = story.tags?.includes('a11y-known-issue');
  if (known && state.violations.length === 0) problems.push('tagged a11y-known-issue but axe finds nothing now: remove the tag');
  for (const violation of state.violations) {
    if (known) notes.push(`a11y, known issue: ${violation}`);
    else problems.push(`a11y: ${violation}`);
  }
  await page.screenshot({ path: join(SHOTS, `${story.id}.png`) });
  return { problems, notes };
}

try {
  // Nothing may leave 127.0.0.1: the stories run on the in-memory adapter.
  const offsite = [];
  await browser.context.route(
    (url) => url.hostname !== '127.0.0.1',
    (route) => {
      offsite.push(route.request().url());
      return route.abort();
    },
  );

  // Two pages at a time (CI has two cores); results print in story order.
  const results = new Array(stories.length);
  let next = 0;
  const worker = async () => {
    const page = await newPage();
    while (next < stories.length) {
      const at = next++;
      results[at] = await check(page, stories[at]);
    }
    await page.close();
  };
  await Promise.all([worker(), worker()]);
  stories.forEach((story, at) => {
    const { problems, notes } = results[at];
    console.log(`${problems.length ? '✗' : '✓'} ${story.id}`);
    for (const line of [...problems, ...notes]) console.log(`    ${line}`);
    if (problems.length) failures.push(story.id);
  });

  const page = await newPage();
  if (!filter) {
    // The introduction (MDX) and the manager with its sidebar, canvas and controls.
    await page.goto(`${base}/iframe.html?id=introduction--docs&viewMode=docs`);
    const intro = await page
      .getByRole('heading', { name: 'Confab in Storybook' })
      .waitFor({ timeout: STORY_TIMEOUT })
      .then(
        () => true,
        () => false,
      );
    await page.screenshot({ path: join(SHOTS, 'introduction.png') });
    console.log(`${intro ? '✓' : '✗'} introduction (MDX)`);
    if (!intro) failures.push('introduction');

    // Controls reach the widget: token args from the URL, as the Controls panel sets them.
    await page.goto(
      `${base}/iframe.html?id=widget-replyform--empty&viewMode=story&args=accent:!hex(8250df);radius:2px;theme:dark`,
    );
    const button = page.locator('.confab-button--primary');
    await button.waitFor({ timeout: STORY_TIMEOUT });
    const themed = await button.evaluate((element) => {
      const style = getComputedStyle(element);
      return {
        background: style.backgroundColor,
        radius: style.borderTopLeftRadius,
        scheme: getComputedStyle(element.closest('.confab')).colorScheme,
      };
    });
    const tokensWork = themed.background === 'rgb(130, 80, 223)' && themed.radius === '2px' && themed.scheme === 'dark';
    console.log(`${tokensWork ? '✓' : '✗'} token and theme controls reach the widget ${JSON.stringify(themed)}`);
    if (!tokensWork) failures.push('token controls');

    await page.setViewportSize({ width: 1400, height: 900 });
    await page.goto(`${base}/?path=/story/widget-thread--seed-thread`);
    const frame = page.frameLocator('#storybook-preview-iframe');
    const manager = await frame
      .locator('.confab article')
      .first()
      .waitFor({ timeout: STORY_TIMEOUT })
      .then(
        () => true,
        () => false,
      );
    const controls = await page
      .getByText('--confab-accent')
      .first()
      .isVisible()
      .catch(() => false);
    await page.screenshot({ path: join(SHOTS, 'manager.png') });
    console.log(
      `${manager && controls ? '✓' : '✗'} manager: story in the canvas${controls ? ', token controls shown' : ', token controls MISSING'}`,
    );
    if (!manager || !controls) failures.push('manager');
  }
  if (offsite.length) {
    console.log(`✗ requests left 127.0.0.1: ${[...new Set(offsite)].join(', ')}`);
    failures.push('offsite requests');
  }
} finally {
  await browser.close();
  server.close();
}

console.log(`\n${stories.length} stories in ${((Date.now() - started) / 1000).toFixed(1)} s; screenshots in ${SHOTS}`);
if (failures.length) {
  console.log(`${failures.length} failed: ${failures.join(', ')}`);
  process.exit(1);
}
