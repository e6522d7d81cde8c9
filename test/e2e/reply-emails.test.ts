// Reply emails from the widget in Chromium: a server with a mail server (a real SMTP server on
// 127.0.0.1) offers "Email me when someone replies"; ticking it asks for the address, and the
// post brings a confirmation email in the widget's language.
import { createServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../server/src/index.js';
import { launchBrowser } from '../../scripts/chromium.mjs';
import { startSmtp, type TestSmtp } from '../server/mail-fixtures';
import { THREAD, pageWith, seed } from './harness';

const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));
let server: Awaited<ReturnType<typeof startServer>>;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let smtp: TestSmtp;

beforeAll(async () => {
  smtp = await startSmtp();
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  server = await startServer({
    port,
    seed,
    widgetDir: DIST,
    publicUrl: `http://127.0.0.1:${port}`,
    smtpUrl: smtp.url,
    mailFrom: 'Confab <comments@blog.example>',
    rateLimit: { burst: 0, perMinute: 0 },
    minComposeSeconds: 0,
    outbox: { pollMs: 50 },
  });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await smtp?.close();
});

describe('reply emails from the widget in Chromium', () => {
  it('asks for the address only once the box is ticked, and the post brings a confirmation email in French', async () => {
    const page = await browser.context.newPage();
    page.setDefaultTimeout(10_000);
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    await page.route(`${server.url}/emails.html`, (route) =>
      route.fulfill({
        status: 200,
        contentType: 'text/html; charset=utf-8',
        body: pageWith(`data-endpoint="/api" data-thread="${THREAD}" data-locale="fr"`),
      }),
    );
    await page.goto(`${server.url}/emails.html`);
    const box = page.getByRole('checkbox', { name: 'M’avertir par e-mail des réponses' }).first();
    await box.waitFor();
    expect(await page.getByRole('textbox', { name: /E-mail/ }).count()).toBe(0);

    await page.getByRole('textbox', { name: 'Votre commentaire' }).first().fill('Prévenez-moi des réponses');
    await box.check();
    await page.getByRole('textbox', { name: 'E-mail pour les réponses (jamais affiché)' }).first().fill('lea@reader.example');
    await page.getByRole('button', { name: 'Publier le commentaire' }).click();

    const confirmation = await smtp.next();
    expect(confirmation.envelope.to).toEqual(['lea@reader.example']);
    expect(confirmation.mail.text).toMatch(/\/mail\/confirm\//);
    expect(confirmation.mail.subject).toMatch(/^Confirmez/);
    const stored = await server.db.query('SELECT locale FROM mail_subscribers');
    expect(stored.rows).toEqual([{ locale: 'fr' }]);
    expect(problems).toEqual([]);
    await page.close();
  });
});
