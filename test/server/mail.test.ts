// @vitest-environment node
// Issue 16's email parts on their own: the mailer against a real SMTP server on 127.0.0.1 (the
// messages parsed back with mailparser), how each kind of SMTP failure comes out, the templates
// and pages, and the signed links. Not yet wired into the server: see docs/notifications.md.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import type { ParsedMail } from 'mailparser';
import { createLogger } from '../../server/src/logger.js';
import { MAIL_LOCALES } from '../../server/src/mail-messages.js';
import { MailRefused, createMailer, isMailAddress, readMailFrom, readSmtpUrl, type Mailer } from '../../server/src/mail.js';
import {
  PAGE_HEADERS,
  confirmPage,
  confirmationEmail,
  donePage,
  invalidLinkPage,
  localeFromAcceptLanguage,
  mailLocale,
  moderationPage,
  moderatorAlertEmail,
  moderatorDigestEmail,
  replyDigestEmail,
  replyEmail,
  unsubscribeChoice,
  unsubscribePage,
  type MailComment,
} from '../../server/src/mail-templates.js';
import { LINK_LIFETIME_MS, expiresIn, signLink, verifyLink } from '../../server/src/signed-links.js';
import { closedPort, smtpError, startSilentServer, startSmtp, type TestSmtp } from './mail-fixtures';

const FROM = 'Confab <comments@blog.example>';
const SECRET = 'mail-test-link-secret-0123456789abcdef';
const NOW = new Date('2030-01-01T12:00:00Z');
const BASE = 'https://comments.blog.example';
const ARTICLE = { title: 'On lighthouses', url: 'https://blog.example/lighthouses' };
const HOSTILE = '<script>alert(1)</script>\n<b>bold</b> & "quoted" \'single\'\n\nlast line';

type LogLine = { level: string; msg: string; [field: string]: unknown };
function captureLogger() {
  const lines: LogLine[] = [];
  const logger = createLogger({ level: 'debug', destination: { write: (text: string) => void lines.push(JSON.parse(text)) } });
  return { logger, lines };
}

/** A mailer for a local test server (plain SMTP; STARTTLS only where the server offers it). */
function mailerFor(smtp: { url: string }, options: Partial<Parameters<typeof createMailer>[0]> = {}) {
  return createMailer({ smtpUrl: smtp.url, from: FROM, logger: captureLogger().logger, timeoutMs: 5_000, ...options });
}

const headerLine = (mail: ParsedMail, name: string) =>
  mail.headerLines.find((line) => line.key === name.toLowerCase())?.line.replace(/^[^:]+:\s*/, '');
const hrefs = (html: string) => [...html.matchAll(/href="([^"]*)"/g)].map((match) => match[1]!.replace(/&amp;/g, '&'));
const tagsIn = (html: string) => new Set([...html.matchAll(/<([a-z][a-z0-9]*)\b/gi)].map((match) => match[1]!.toLowerCase()));

function unsubscribeLinks(threadId = 't1') {
  return {
    unsubscribeThread: `${BASE}/mail/unsubscribe/${signLink({ kind: 'unsubscribe-thread', subject: 's_ann', threadId, expiresAt: null }, SECRET)}`,
    unsubscribeAll: `${BASE}/mail/unsubscribe/${signLink({ kind: 'unsubscribe-all', subject: 'a_ann', expiresAt: null }, SECRET)}`,
  };
}

function moderationLinks(commentId: string, id = `alert-${commentId}`) {
  const expiresAt = expiresIn(NOW, LINK_LIFETIME_MS.moderate);
  const link = (action: 'approve' | 'spam' | 'delete') =>
    `${BASE}/mail/moderate/${signLink({ kind: 'moderate', subject: 'm_1', action, threadId: 't1', commentId, expiresAt, id }, SECRET)}`;
  return { approve: link('approve'), spam: link('spam'), delete: link('delete') };
}

const tokenOf = (url: string) => url.slice(url.lastIndexOf('/') + 1);

describe('settings', () => {
  it('reads SMTP_URL: STARTTLS on 587 (required with credentials to another host), TLS on 465', () => {
    expect(readSmtpUrl('smtp://user:p%40ss@smtp.example.com')).toEqual({
      host: 'smtp.example.com',
      port: 587,
      secure: false,
      requireTLS: true,
      auth: { user: 'user', pass: 'p@ss' },
    });
    expect(readSmtpUrl('smtps://u:p@smtp.example.com')).toMatchObject({ port: 465, secure: true, requireTLS: false });
    expect(readSmtpUrl('smtp://smtp.example.com:2525')).toMatchObject({ port: 2525, requireTLS: false, auth: undefined });
    // A relay on this machine may offer no TLS; nothing crosses the network.
    expect(readSmtpUrl('smtp://u:p@127.0.0.1:25')).toMatchObject({ requireTLS: false });
    expect(readSmtpUrl('smtp://[::1]:25')).toMatchObject({ host: '::1' });
  });

  it('refuses a bad SMTP_URL with a message that names it and never shows the password', () => {
    for (const bad of [
      'http://u:secret@smtp.example.com',
      'smtp.example.com:587',
      'smtp://u:secret@smtp.example.com/path',
      'smtp://u:secret@smtp.example.com?pool=true',
      'smtp://:secret@smtp.example.com',
      'smtp://',
    ]) {
      expect(() => readSmtpUrl(bad), bad).toThrow(/^SMTP_URL /);
      try {
        readSmtpUrl(bad);
      } catch (error) {
        expect((error as Error).message).not.toContain('secret');
      }
    }
  });

  it('reads MAIL_FROM: one address, with or without a name', () => {
    expect(readMailFrom('comments@blog.example')).toEqual({ name: '', address: 'comments@blog.example' });
    expect(readMailFrom('"Blog comments" <comments@blog.example>')).toEqual({
      name: 'Blog comments',
      address: 'comments@blog.example',
    });
    for (const bad of [
      '',
      'comments',
      'a@blog.example, b@blog.example',
      'x@blog.example\r\nBcc: y@evil.example',
      'Group: a@b.c;',
    ]) {
      expect(() => readMailFrom(bad), bad).toThrow(/^MAIL_FROM must be one address/);
    }
  });

  it('takes only single bare addresses as recipients', () => {
    expect(isMailAddress('ann@example.com')).toBe(true);
    expect(isMailAddress('ann.o+tag@sub.example.co')).toBe(true);
    for (const bad of [
      'ann',
      'ann@localhost',
      'a@b.c, d@e.f',
      'Ann <ann@example.com>',
      'ann@example.com\r\nBcc: x@y.z',
      ' ann@example.com',
      'a"b@example.com',
    ]) {
      expect(isMailAddress(bad), bad).toBe(false);
    }
  });
});

describe('sending through a real SMTP server', () => {
  let smtp: TestSmtp;
  let mailer: Mailer;
  beforeAll(async () => {
    smtp = await startSmtp();
    mailer = mailerFor(smtp);
  });
  afterAll(async () => {
    mailer?.close();
    await smtp?.close();
  });

  it('sends the opt-in confirmation, with its link, from MAIL_FROM, with the delivery id as Message-ID', async () => {
    const confirmUrl = `${BASE}/mail/confirm/${signLink({ kind: 'confirm', subject: 's_1', expiresAt: expiresIn(NOW, LINK_LIFETIME_MS.confirm) }, SECRET)}`;
    const sent = await mailer.send({ ...confirmationEmail({ to: 'ann@example.com', article: ARTICLE, confirmUrl }), id: 'd_42' });
    expect(sent.response).toMatch(/^250 /);
    const { envelope, mail } = await smtp.next();
    expect(envelope).toEqual({ from: 'comments@blog.example', to: ['ann@example.com'] });
    expect(mail.subject).toBe('Confirm you want emails when someone replies to your comment on “On lighthouses”');
    expect(mail.from?.value).toEqual([{ name: 'Confab', address: 'comments@blog.example' }]);
    expect(mail.messageId).toBe('<d_42@blog.example>');
    expect(sent.messageId).toBe('<d_42@blog.example>');
    expect(mail.text).toContain(`Confirm: ${confirmUrl}`);
    expect(hrefs(mail.html as string)).toEqual([confirmUrl]);
    expect(headerLine(mail, 'Auto-Submitted')).toBe('auto-generated');
    // Not a list yet: nothing to unsubscribe from before the address is confirmed.
    expect(headerLine(mail, 'List-Unsubscribe')).toBeUndefined();
    // The token in the link is a confirm token for that subscription.
    expect(verifyLink(tokenOf(confirmUrl), SECRET, NOW, 'confirm')).toMatchObject({ ok: true, link: { subject: 's_1' } });
  });

  it('sends a reply notification whose text is text in both parts, with the one-click unsubscribe headers', async () => {
    const links = unsubscribeLinks();
    const reply: MailComment = { id: 'c_77', authorName: 'Bob <i>the</i> builder', body: HOSTILE };
    await mailer.send(
      replyEmail({ to: 'ann@example.com', article: ARTICLE, reply, inReplyTo: 'My <em>own</em> comment', links }),
    );
    const { mail } = await smtp.next();

    expect(mail.subject).toBe('Bob <i>the</i> builder replied to your comment on “On lighthouses”');
    // Plain text: the reply as written, line by line.
    expect(mail.text).toContain('> <script>alert(1)</script>\n> <b>bold</b> & "quoted" \'single\'\n>\n> last line');
    expect(mail.text).toContain(`View the reply: ${ARTICLE.url}#comment-c_77`);
    expect(mail.text).toContain(`Stop emails for this thread: ${links.unsubscribeThread}`);
    expect(mail.text).toContain(`Stop all emails: ${links.unsubscribeAll}`);

    // HTML: every character of the reply escaped, its line breaks kept, none of its tags.
    const html = mail.html as string;
    expect(html).toContain(
      '&lt;script&gt;alert(1)&lt;/script&gt;<br>\n&lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot; &#39;single&#39;',
    );
    expect(html).toContain('Bob &lt;i&gt;the&lt;/i&gt; builder');
    expect(html).toContain('My &lt;em&gt;own&lt;/em&gt; comment');
    for (const tag of ['script', 'b', 'i', 'em', 'img', 'style', 'link']) expect(tagsIn(html), tag).not.toContain(tag);
    expect(hrefs(html)).toEqual([`${ARTICLE.url}#comment-c_77`, links.unsubscribeThread, links.unsubscribeAll]);

    // RFC 8058: the one-click URL stops everything, and says it takes a POST.
    expect(headerLine(mail, 'List-Unsubscribe')).toBe(`<${links.unsubscribeAll}>`);
    expect(headerLine(mail, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    expect(verifyLink(tokenOf(links.unsubscribeAll), SECRET, NOW, 'unsubscribe-all').ok).toBe(true);
    expect(verifyLink(tokenOf(links.unsubscribeThread), SECRET, NOW, 'unsubscribe-thread')).toMatchObject({
      ok: true,
      link: { threadId: 't1' },
    });
  });

  it('keeps a reader-written name or title from adding headers or recipients, and drops links that are not http(s)', async () => {
    const article = { title: 'Title\r\nBcc: eve@evil.example', url: 'javascript:alert(1)' };
    const reply = { id: 'c_1', authorName: 'Eve\r\nBcc: eve@evil.example\u202E', body: 'Hi' };
    await mailer.send(replyEmail({ to: 'ann@example.com', article, reply, links: unsubscribeLinks() }));
    const { envelope, mail, raw } = await smtp.next();
    expect(envelope.to).toEqual(['ann@example.com']);
    expect(mail.bcc).toBeUndefined();
    expect(raw.split(/\r?\n\r?\n/)[0]).not.toMatch(/^Bcc:/im);
    expect(mail.subject).toBe('Eve Bcc: eve@evil.example replied to your comment on “Title Bcc: eve@evil.example”');
    expect(hrefs(mail.html as string).some((href) => !href.startsWith('https://'))).toBe(false);
    expect(mail.text).not.toContain('javascript:');
  });

  it('writes in the commenter’s language, English for one it does not know', async () => {
    const reply = { id: 'c_2', authorName: 'Bob', body: 'Hallo' };
    await mailer.send(replyEmail({ to: 'ann@example.com', locale: 'de-AT', article: ARTICLE, reply, links: unsubscribeLinks() }));
    expect((await smtp.next()).mail.subject).toBe('Bob hat auf Ihren Kommentar zu „On lighthouses“ geantwortet');
    await mailer.send(replyEmail({ to: 'ann@example.com', locale: 'ar', article: ARTICLE, reply, links: unsubscribeLinks() }));
    const arabic = (await smtp.next()).mail;
    expect(arabic.subject).toBe('ردّ Bob على تعليقك على «On lighthouses»');
    expect(arabic.html).toContain('<html lang="ar" dir="rtl">');
    await mailer.send(replyEmail({ to: 'ann@example.com', locale: 'pt-BR', article: ARTICLE, reply, links: unsubscribeLinks() }));
    expect((await smtp.next()).mail.subject).toBe('Bob respondeu ao seu comentário em “On lighthouses”');
    await mailer.send(replyEmail({ to: 'ann@example.com', locale: 'he-IL', article: ARTICLE, reply, links: unsubscribeLinks() }));
    const hebrew = (await smtp.next()).mail;
    expect(hebrew.subject).toBe('תשובה חדשה מ־Bob לתגובה שלך ב„On lighthouses”');
    expect(hebrew.html).toContain('<html lang="he" dir="rtl">');
    await mailer.send(replyEmail({ to: 'ann@example.com', locale: 'kl', article: ARTICLE, reply, links: unsubscribeLinks() }));
    expect((await smtp.next()).mail.subject).toBe('Bob replied to your comment on “On lighthouses”');
  });

  it('has the emails of every catalog the widget has (server/widget/mail-messages.json: build first)', () => {
    const catalogs = readdirSync(new URL('../../src/i18n/locales/', import.meta.url))
      .map((name) => name.replace(/\.json$/, ''))
      .concat('en')
      .sort();
    expect([...MAIL_LOCALES]).toEqual(catalogs);
  });

  it('sends a digest of the replies past the hourly allowance in one email', async () => {
    const links = unsubscribeLinks();
    const replies = Array.from({ length: 12 }, (_, i) => ({
      article: i < 6 ? ARTICLE : { title: 'Second post', url: 'https://blog.example/second' },
      reply: { id: `c_${i}`, authorName: `Reader ${i}`, body: i === 0 ? HOSTILE : `Reply number ${i}` },
      unsubscribeThread: links.unsubscribeThread,
    }));
    await mailer.send(replyDigestEmail({ to: 'ann@example.com', replies, unsubscribeAll: links.unsubscribeAll }));
    const { mail } = await smtp.next();
    expect(mail.subject).toBe('12 new replies to your comments');
    const html = mail.html as string;
    for (let i = 0; i < 12; i++) expect(mail.text).toContain(`#comment-c_${i}`);
    expect(mail.text).toContain('Reader 7 on “Second post”:');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(tagsIn(html)).not.toContain('script');
    expect(headerLine(mail, 'List-Unsubscribe')).toBe(`<${links.unsubscribeAll}>`);
    expect(headerLine(mail, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
  });

  it('sends a moderator alert with one Approve, one Spam and one Delete link, each signed for its action', async () => {
    const links = moderationLinks('c_9');
    const comment = { id: 'c_9', authorName: 'Spammy', body: 'Buy <a href="x">now</a>' };
    await mailer.send(
      moderatorAlertEmail({
        to: 'mod@blog.example',
        article: ARTICLE,
        comment,
        reason: { why: 'pending' },
        links,
        dashboardUrl: `${BASE}/admin/`,
      }),
    );
    const { mail } = await smtp.next();
    expect(mail.subject).toBe('New comment to approve on “On lighthouses”');
    expect(mail.text).toContain(`Approve: ${links.approve}\nSpam: ${links.spam}\nDelete: ${links.delete}`);
    expect(hrefs(mail.html as string)).toEqual([links.approve, links.spam, links.delete, `${BASE}/admin/`]);
    expect(mail.html).toContain('Buy &lt;a href=&quot;x&quot;&gt;now&lt;/a&gt;');
    const verified = (['approve', 'spam', 'delete'] as const).map((action) => {
      const result = verifyLink(tokenOf(links[action]), SECRET, NOW, 'moderate');
      expect(result).toMatchObject({ ok: true, link: { action, threadId: 't1', commentId: 'c_9', subject: 'm_1' } });
      return result.ok ? result.link.id : '';
    });
    // One alert, one single-use id: using any of the three spends the others.
    expect(new Set(verified)).toEqual(new Set(['alert-c_9']));
  });

  it('sends many messages at once over a few pooled connections', async () => {
    const connections = new Set<string>();
    const counting = await startSmtp({
      onConnect(session, callback) {
        connections.add(session.id);
        callback();
      },
    });
    const pooled = mailerFor(counting, { maxConnections: 3 });
    try {
      const reply = { id: 'c_1', authorName: 'Bob', body: 'Hi' };
      await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          pooled.send(replyEmail({ to: `reader${i}@example.com`, article: ARTICLE, reply, links: unsubscribeLinks() })),
        ),
      );
      expect(counting.received.map((r) => r.envelope.to[0]).sort()).toEqual(
        Array.from({ length: 30 }, (_, i) => `reader${i}@example.com`).sort(),
      );
      expect(connections.size).toBeLessThanOrEqual(3);
    } finally {
      pooled.close();
      await counting.close();
    }
  });
});

describe('TLS', () => {
  it('upgrades smtp:// with STARTTLS and logs in with the URL’s (decoded) credentials', async () => {
    const smtp = await startSmtp({
      disabledCommands: [],
      authOptional: false,
      onAuth(auth, _session, callback) {
        if (auth.username === 'mailer' && auth.password === 'p@ss:word') callback(null, { user: auth.username });
        else callback(smtpError(535, 'Bad credentials'));
      },
    });
    // The test server's certificate is self-signed: accepted here only.
    const mailer = mailerFor(
      { url: `smtp://mailer:p%40ss%3Aword@127.0.0.1:${smtp.port}` },
      { tls: { rejectUnauthorized: false } },
    );
    try {
      await mailer.send(confirmationEmail({ to: 'ann@example.com', article: ARTICLE, confirmUrl: `${BASE}/c` }));
      expect(await smtp.next()).toMatchObject({ secure: true, user: 'mailer' });
    } finally {
      mailer.close();
      await smtp.close();
    }
  });

  it('speaks TLS from the first byte with smtps://', async () => {
    const smtp = await startSmtp({ secure: true });
    const mailer = mailerFor({ url: `smtps://127.0.0.1:${smtp.port}` }, { tls: { rejectUnauthorized: false } });
    try {
      await mailer.send(confirmationEmail({ to: 'ann@example.com', article: ARTICLE, confirmUrl: `${BASE}/c` }));
      expect((await smtp.next()).secure).toBe(true);
    } finally {
      mailer.close();
      await smtp.close();
    }
  });

  it('refuses a certificate it cannot trust (the test server’s is self-signed) unless told: a connection failure, retried later', async () => {
    const smtp = await startSmtp({ secure: true });
    const mailer = mailerFor({ url: `smtps://127.0.0.1:${smtp.port}` });
    try {
      const error = await mailer
        .send(confirmationEmail({ to: 'ann@example.com', article: ARTICLE, confirmUrl: `${BASE}/c` }))
        .catch((e) => e);
      expect(error).toBeInstanceOf(MailRefused);
      expect(error).toMatchObject({ kind: 'connection', permanent: false });
      expect(smtp.received).toEqual([]);
    } finally {
      mailer.close();
      await smtp.close();
    }
  });
});

describe('failures: permanent for the address, or try again later', () => {
  const message = () => confirmationEmail({ to: 'bob@example.com', article: ARTICLE, confirmUrl: `${BASE}/c` });
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function failureFrom(
    server: { url: string; close(): Promise<void> },
    options: Partial<Parameters<typeof createMailer>[0]> = {},
  ) {
    const { logger, lines } = captureLogger();
    const mailer = mailerFor(server, { logger, ...options });
    cleanups.push(
      () => server.close(),
      () => mailer.close(),
    );
    const started = Date.now();
    const error = await mailer.send(message()).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(MailRefused);
    return { error: error as MailRefused, lines, ms: Date.now() - started };
  }

  it('550 to RCPT TO: the address is refused for good, and the log keeps no address', async () => {
    const smtp = await startSmtp({
      onRcptTo(address, _session, callback) {
        callback(smtpError(550, `5.1.1 <${address.address}>: Recipient address rejected: User unknown`));
      },
    });
    const { error, lines } = await failureFrom(smtp);
    expect(error).toMatchObject({ kind: 'recipient', permanent: true, responseCode: 550, command: 'RCPT TO' });
    expect(error.message).toContain('Recipient address rejected');
    expect(error.message).not.toContain('bob@example.com');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'warn', kind: 'recipient', responseCode: 550 });
    expect(JSON.stringify(lines)).not.toContain('bob@example.com');
  });

  it('451 to RCPT TO: deferred, try again', async () => {
    const smtp = await startSmtp({
      onRcptTo(_address, _session, callback) {
        callback(smtpError(451, '4.7.1 Greylisted, try again later'));
      },
    });
    const { error } = await failureFrom(smtp);
    expect(error).toMatchObject({ kind: 'deferred', permanent: false, responseCode: 451 });
  });

  it('451 after the message: deferred; 554 after the message: this message refused for good', async () => {
    const busy = await startSmtp({
      onData(stream, _session, callback) {
        stream.resume();
        stream.on('end', () => callback(smtpError(451, '4.3.0 Try later')));
      },
    });
    expect((await failureFrom(busy)).error).toMatchObject({ kind: 'deferred', permanent: false, command: 'DATA' });
    const strict = await startSmtp({
      onData(stream, _session, callback) {
        stream.resume();
        stream.on('end', () => callback(smtpError(554, '5.7.1 Message rejected as spam')));
      },
    });
    expect((await failureFrom(strict)).error).toMatchObject({ kind: 'message', permanent: true, responseCode: 554 });
  });

  it('a server that closes the connection in the middle of the message: try again', async () => {
    let smtp: TestSmtp | undefined = undefined;
    smtp = await startSmtp({
      onData(stream) {
        stream.once('data', () => smtp!.dropConnections());
        stream.resume();
      },
    });
    const { error } = await failureFrom(smtp);
    expect(error).toMatchObject({ kind: 'connection', permanent: false });
    expect(smtp.received).toEqual([]);
  });

  it('a server that refuses the connection: try again', async () => {
    const port = await closedPort();
    const { error } = await failureFrom({ url: `smtp://127.0.0.1:${port}`, close: async () => {} });
    expect(error).toMatchObject({ kind: 'connection', permanent: false });
  });

  it('a server that never answers: a timeout after timeoutMs, try again', async () => {
    const silent = await startSilentServer();
    const { error, ms } = await failureFrom(
      { url: `smtp://127.0.0.1:${silent.port}`, close: () => silent.close() },
      { timeoutMs: 300 },
    );
    expect(error).toMatchObject({ kind: 'timeout', permanent: false });
    expect(ms).toBeLessThan(3_000);
  });

  it('a refused login: the site’s settings, logged as an error and retried (not the address’s fault)', async () => {
    const smtp = await startSmtp({
      authOptional: false,
      allowInsecureAuth: true,
      onAuth(_auth, _session, callback) {
        callback(smtpError(535, '5.7.8 Authentication credentials invalid'));
      },
    });
    const { error, lines } = await failureFrom({ url: `smtp://mailer:wrong@127.0.0.1:${smtp.port}`, close: () => smtp.close() });
    expect(error).toMatchObject({ kind: 'setup', permanent: false, responseCode: 535 });
    expect(lines[0]).toMatchObject({ level: 'error', kind: 'setup' });
  });

  it('refuses, before any connection, a recipient that is not one plain address', async () => {
    const smtp = await startSmtp();
    const mailer = mailerFor(smtp);
    cleanups.push(
      () => smtp.close(),
      () => mailer.close(),
    );
    const error = await mailer.send({ ...message(), to: 'bob@example.com, eve@evil.example' }).catch((e) => e);
    expect(error).toMatchObject({ name: 'MailRefused', kind: 'recipient', permanent: true });
    expect(smtp.received).toEqual([]);
  });

  it('verify() checks the settings against the server', async () => {
    const smtp = await startSmtp();
    const mailer = mailerFor(smtp);
    cleanups.push(
      () => smtp.close(),
      () => mailer.close(),
    );
    await expect(mailer.verify()).resolves.toBeUndefined();
    const down = mailerFor({ url: `smtp://127.0.0.1:${await closedPort()}` });
    cleanups.push(() => down.close());
    await expect(down.verify()).rejects.toMatchObject({ kind: 'connection' });
  });

  it('refuses bad settings at creation', () => {
    const logger = captureLogger().logger;
    expect(() => createMailer({ smtpUrl: 'mail.example.com', from: FROM, logger })).toThrow(/^SMTP_URL/);
    expect(() => createMailer({ smtpUrl: 'smtp://127.0.0.1', from: 'nobody', logger })).toThrow(/^MAIL_FROM/);
  });
});

describe('templates without sending', () => {
  it('counts replies in the reader’s plural forms', () => {
    const replies = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ article: ARTICLE, reply: { id: `c_${i}`, authorName: 'A', body: 'b' } }));
    const subject = (locale: string, n: number) =>
      replyDigestEmail({ to: 'a@b.cd', locale, replies: replies(n), unsubscribeAll: `${BASE}/u` }).subject;
    expect(subject('ru', 11)).toBe('11 новых ответов на ваши комментарии');
    expect(subject('ru', 22)).toBe('22 новых ответа на ваши комментарии');
    expect(subject('ru', 21)).toBe('21 новый ответ на ваши комментарии');
    expect(subject('fr', 12)).toBe('12 nouvelles réponses à vos commentaires');
    expect(subject('zh', 12)).toBe('你的评论有 12 条新回复');
    expect(subject('ar', 11)).toBe('11 ردًا جديدًا على تعليقاتك');
    // Numbers as the language writes them, as in the widget.
    expect(subject('fa', 12)).toContain('۱۲');
    expect(subject('bn', 12)).toContain('১২');
    expect(subject('de', 1_234)).toContain('1.234');
  });

  it('writes a reported-comment alert and an hourly moderator digest with links for each comment', () => {
    const comment = { id: 'c_5', authorName: 'Ann', body: 'Fine words' };
    const alert = moderatorAlertEmail({
      to: 'mod@blog.example',
      article: ARTICLE,
      comment,
      reason: { why: 'reported', reports: 3 },
      links: moderationLinks('c_5'),
    });
    expect(alert.subject).toBe('Comment reported on “On lighthouses”');
    expect(alert.text).toContain('A comment by Ann on “On lighthouses” was reported 3 times:');

    const items = ['c_6', 'c_7', 'c_8'].map((id, i) => ({
      article: ARTICLE,
      comment: { id, authorName: `Reader ${i}`, body: `Comment ${i}` },
      reason: i === 0 ? ({ why: 'reported', reports: 1 } as const) : ({ why: 'pending' } as const),
      links: moderationLinks(id),
    }));
    const digest = moderatorDigestEmail({ to: 'mod@blog.example', items, dashboardUrl: `${BASE}/admin/` });
    expect(digest.subject).toBe('3 comments wait for moderation');
    expect(digest.text).toContain('Reader 0 on “On lighthouses”, reported:');
    expect(digest.text).toContain('Reader 1 on “On lighthouses”, waiting for approval:');
    expect(hrefs(digest.html)).toHaveLength(3 * 3 + 1);
    expect(digest.headers['List-Unsubscribe']).toBeUndefined();
  });

  it('shortens long names and titles in subjects, and comments in digests', () => {
    const long = 'x'.repeat(1_000);
    const mail = replyDigestEmail({
      to: 'a@b.cd',
      replies: [{ article: { title: long, url: null }, reply: { id: 'c', authorName: long, body: long } }],
      unsubscribeAll: `${BASE}/u`,
    });
    expect(mail.text).toContain(`${'x'.repeat(59)}… on “${'x'.repeat(99)}…”:`);
    expect(mail.text).toContain(`> ${'x'.repeat(499)}…`);
    expect(confirmationEmail({ to: 'a@b.cd', article: { title: null, url: null }, confirmUrl: `${BASE}/c` }).subject).toContain(
      '“Untitled page”',
    );
    expect(
      confirmationEmail({ to: 'a@b.cd', article: { title: '', url: ARTICLE.url }, confirmUrl: `${BASE}/c` }).subject,
    ).toContain('“blog.example/lighthouses”');
  });
});

describe('pages', () => {
  const csp = PAGE_HEADERS['Content-Security-Policy']!;

  it('run under a CSP without scripts or inline styles: the one style element goes by its hash', () => {
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("form-action 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('script-src');
    const page = unsubscribePage({ scope: 'all' });
    const style = /<style>([^<]*)<\/style>/.exec(page.body)![1]!;
    expect(csp).toContain(`'sha256-${createHash('sha256').update(style).digest('base64')}'`);
    expect(page.headers).toMatchObject({ 'Referrer-Policy': 'no-referrer', 'Cache-Control': 'no-store' });
    for (const body of [page.body, confirmPage({ article: ARTICLE }).body, donePage({ done: 'confirmed' }).body]) {
      expect(tagsIn(body)).not.toContain('script');
      expect(body).not.toMatch(/ on[a-z]+=/i);
      expect(body).not.toMatch(/ style=/);
    }
  });

  it('act only through a POST form; GET pages are buttons', () => {
    const thread = unsubscribePage({ locale: 'fr', scope: 'thread', article: ARTICLE });
    expect(thread.status).toBe(200);
    expect(thread.body).toContain('<html lang="fr" dir="ltr">');
    expect(thread.body).toContain('Plus d’e-mails pour cette discussion ?');
    expect(thread.body.match(/<form method="post">/g)).toHaveLength(2);
    expect(thread.body).toContain('<button type="submit" name="choice" value="unsubscribe">Arrêter les e-mails</button>');
    expect(thread.body).toContain('<button type="submit" name="choice" value="forget">Oublier mon adresse</button>');
    const confirm = confirmPage({ article: ARTICLE, action: '/mail/confirm/abc?x=1&y=2' });
    expect(confirm.body).toContain('<form method="post" action="/mail/confirm/abc?x=1&amp;y=2">');
  });

  it('read what a POST to the unsubscribe URL asks: RFC 8058 one-click, the page’s button, or forget', () => {
    expect(unsubscribeChoice('List-Unsubscribe=One-Click')).toBe('unsubscribe');
    expect(unsubscribeChoice('choice=unsubscribe')).toBe('unsubscribe');
    expect(unsubscribeChoice('')).toBe('unsubscribe');
    expect(unsubscribeChoice('choice=forget')).toBe('forget');
    expect(unsubscribeChoice(new URLSearchParams({ choice: 'forget' }))).toBe('forget');
  });

  it('show the comment to moderate as text', () => {
    const page = moderationPage({
      action: 'spam',
      article: { title: '<img src=x onerror=alert(1)>', url: ARTICLE.url },
      comment: { id: 'c_1', authorName: '"><svg onload=alert(1)>', body: HOSTILE },
    });
    expect(page.body).toContain('<h1>Mark this comment as spam?</h1>');
    expect(page.body).toContain('<button type="submit" name="choice" value="spam">Mark as spam</button>');
    const tags = tagsIn(page.body);
    for (const tag of ['script', 'img', 'svg', 'b']) expect(tags, tag).not.toContain(tag);
    expect(page.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;\n&lt;b&gt;bold&lt;/b&gt;');
  });

  it('say plainly that a link is not valid or was used, with a 4xx status', () => {
    expect(invalidLinkPage({ reason: 'forged' })).toMatchObject({ status: 400 });
    expect(invalidLinkPage({ reason: 'wrong-kind' }).body).toContain('It may have been cut short or changed. Nothing was done.');
    expect(invalidLinkPage({ reason: 'expired' })).toMatchObject({ status: 410 });
    const used = invalidLinkPage({ locale: 'ar', reason: 'used' });
    expect(used.status).toBe(410);
    expect(used.body).toContain('<html lang="ar" dir="rtl">');
    expect(used.body).toContain('<h1>هذا الرابط غير صالح أو استُخدم من قبل</h1>');
    expect(donePage({ locale: 'zh', done: 'forgotten' }).body).toContain('你的邮箱地址已删除');
  });

  it('pick the reader’s language from Accept-Language', () => {
    expect(localeFromAcceptLanguage('fr-CH, fr;q=0.9, en;q=0.8')).toBe('fr');
    expect(localeFromAcceptLanguage('pt-BR, de;q=0.5, es;q=0.7')).toBe('pt-BR');
    expect(localeFromAcceptLanguage('xx-YY, tlh;q=0.9, es;q=0.7')).toBe('es');
    expect(localeFromAcceptLanguage('zh-HK, en;q=0.5')).toBe('zh-TW');
    expect(localeFromAcceptLanguage('pt;q=0.9, en;q=0.5')).toBe('pt-BR');
    expect(localeFromAcceptLanguage('en-GB, de;q=0.9')).toBe('en');
    expect(localeFromAcceptLanguage('de;q=0, ru')).toBe('ru');
    expect(localeFromAcceptLanguage(undefined)).toBe('en');
    expect(mailLocale('ZH_tw')).toBe('zh-TW');
    expect(mailLocale('zh-CN')).toBe('zh');
    expect(mailLocale('pt-AO')).toBe('pt-PT');
    expect(mailLocale('iw')).toBe('he');
    expect(mailLocale('de-AT')).toBe('de');
    expect(mailLocale(42)).toBe('en');
  });
});

describe('signed links', () => {
  const later = expiresIn(NOW, LINK_LIFETIME_MS.moderate);
  const moderate = {
    kind: 'moderate',
    subject: 'm_Xb3k9a',
    action: 'delete',
    threadId: 'blog-2030-lighthouses',
    commentId: 'c_Q2hhcmxvdHRlIG1heQ',
    expiresAt: later,
  } as const;

  it('round-trips every kind, and stays short and URL-safe', () => {
    for (const link of [
      { kind: 'confirm', subject: 's_1', expiresAt: later },
      { kind: 'unsubscribe-thread', subject: 's_1', threadId: 't/1', expiresAt: null },
      { kind: 'unsubscribe-all', subject: 'a_1', expiresAt: null },
      moderate,
    ] as const) {
      const token = signLink(link, SECRET);
      expect(encodeURIComponent(token)).toBe(token);
      const result = verifyLink(token, SECRET, NOW, link.kind);
      expect(result).toEqual({ ok: true, link: { ...link, id: expect.stringMatching(/^[\w-]{16}$/) } });
    }
    expect(signLink(moderate, SECRET).length).toBeLessThan(180);
  });

  it('gives each token its own single-use id unless one is given', () => {
    const ids = new Set(
      Array.from({ length: 50 }, () => {
        const result = verifyLink(signLink(moderate, SECRET), SECRET, NOW, 'moderate');
        return result.ok ? result.link.id : null;
      }),
    );
    expect(ids.size).toBe(50);
    const given = verifyLink(signLink({ ...moderate, id: 'alert_1' }, SECRET), SECRET, NOW, 'moderate');
    expect(given).toMatchObject({ ok: true, link: { id: 'alert_1' } });
  });

  it('refuses a token whose claims or signature were changed', () => {
    const token = signLink(moderate, SECRET);
    const [payload, signature] = token.split('.') as [string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const changed = (edit: (claims: unknown[]) => void) => {
      const copy = structuredClone(claims);
      edit(copy);
      return `${Buffer.from(JSON.stringify(copy)).toString('base64url')}.${signature}`;
    };
    expect(
      verifyLink(
        changed((c) => (c[5] = 'approve')),
        SECRET,
        NOW,
        'moderate',
      ),
    ).toEqual({ ok: false, reason: 'forged' });
    expect(
      verifyLink(
        changed((c) => (c[3] = Number(c[3]) + 86_400)),
        SECRET,
        NOW,
        'moderate',
      ),
    ).toEqual({ ok: false, reason: 'forged' });
    const flipped = signature[0] === 'A' ? `B${signature.slice(1)}` : `A${signature.slice(1)}`;
    expect(verifyLink(`${payload}.${flipped}`, SECRET, NOW, 'moderate')).toEqual({ ok: false, reason: 'forged' });
  });

  it('refuses a token made with another secret', () => {
    const other = signLink(moderate, 'another-installation-secret-0123456789');
    expect(verifyLink(other, SECRET, NOW, 'moderate')).toEqual({ ok: false, reason: 'forged' });
  });

  it('refuses an expired token from its expiry on, and never expires one made without', () => {
    const token = signLink(moderate, SECRET);
    expect(verifyLink(token, SECRET, new Date(later.getTime() - 1_000), 'moderate').ok).toBe(true);
    expect(verifyLink(token, SECRET, later, 'moderate')).toEqual({ ok: false, reason: 'expired' });
    const forever = signLink({ kind: 'unsubscribe-all', subject: 'a_1', expiresAt: null }, SECRET);
    expect(verifyLink(forever, SECRET, new Date('2100-01-01'), 'unsubscribe-all').ok).toBe(true);
  });

  it('refuses a real token of another kind', () => {
    const unsubscribe = signLink({ kind: 'unsubscribe-thread', subject: 's_1', threadId: 't1', expiresAt: null }, SECRET);
    expect(verifyLink(unsubscribe, SECRET, NOW, 'moderate')).toEqual({ ok: false, reason: 'wrong-kind' });
    expect(verifyLink(unsubscribe, SECRET, NOW, ['unsubscribe-thread', 'unsubscribe-all']).ok).toBe(true);
  });

  it('refuses what is not a token', () => {
    const token = signLink(moderate, SECRET);
    for (const bad of [
      undefined,
      42,
      '',
      'abc',
      token.slice(0, -3),
      `${token}.x`,
      `${token}==`,
      'x'.repeat(5_000),
      `e30.${token.split('.')[1]}`,
    ]) {
      expect(verifyLink(bad, SECRET, NOW, 'moderate'), String(bad).slice(0, 40)).toMatchObject({ ok: false });
    }
    expect(verifyLink(token.slice(0, -3), SECRET, NOW, 'moderate')).toEqual({ ok: false, reason: 'malformed' });
  });

  it('refuses a short secret and a date that would read as "never"', () => {
    expect(() => signLink(moderate, 'short')).toThrow(/at least 32 bytes/);
    expect(() => verifyLink('a.b', 'short', NOW, 'confirm')).toThrow(/at least 32 bytes/);
    expect(() => signLink({ ...moderate, expiresAt: new Date(0) }, SECRET)).toThrow(/after 1970/);
    expect(() => signLink({ ...moderate, expiresAt: new Date(Number.NaN) }, SECRET)).toThrow(/valid date/);
  });
});
