// Headless Debian Chromium through playwright-core, with the flags this sandbox needs (root, no
// network but loopback) and a fresh profile per launch. Used by the e2e tests and the benchmarks.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** @returns {Promise<{ context: import('playwright-core').BrowserContext, close(): Promise<void> }>} */
/**
 * @param {{ javaScriptEnabled?: boolean, locale?: string }} [options] javaScriptEnabled false: a
 * reader with JavaScript off; locale: the browser's language (navigator.languages, Accept-Language)
 */
export async function launchBrowser({ javaScriptEnabled = true, locale } = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'confab-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    // Blink's own setting too: Playwright's option stops scripts but the parser still treats
    // <noscript> as for a reader with JavaScript.
    javaScriptEnabled,
    ...(locale ? { locale } : {}),
    headless: true,
    viewport: { width: 1000, height: 900 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...(javaScriptEnabled ? [] : ['--blink-settings=scriptEnabled=false']),
    ],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
