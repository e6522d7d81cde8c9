// Reply emails (issue 16) end to end: a real SMTP server (smtp-server) on 127.0.0.1 takes what
// the server sends, mailparser reads it. A commenter asks for reply emails, confirms from the
// email's link (a GET only shows the button, the POST confirms), gets one email for a reply by
// someone else and none for their own, and stops everything with RFC 8058's one-click POST.
import { createServer, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer } from '../../server/src/index.js';
import { smtpError, startSmtp, type TestSmtp } from './mail-fixtures.js';

const THREAD = 'mail-thread';
const seed = {
  thread: { id: THREAD, title: 'On reply emails', url: 'https://blog.example/reply-emails', locked: false },
  comments: [],
};

let smtp: TestSmtp | undefined;
let app: Awaited<ReturnType<typeof startServer>> | undefined;
afterEach(async () => {
  await app?.close();
  await smtp?.close();
  app = smtp = undefined;
});

/** A free port, so that PUBLIC_URL (the emails' links) can name the server before it starts. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

async function start(extra: Partial<Parameters<typeof startServer>[0]> = {}, smtpOptions: Parameters<typeof startSmtp>[0] = {}) {
  smtp = await startSmtp(smtpOptions);
  const port = await freePort();
  app = await startServer({
    ...extra,
    port,
    seed,
    publicUrl: `http://127.0.0.1:${port}`,
    smtpUrl: smtp.url,
    mailFrom: 'Confab <comments@blog.example>',
    rateLimit: { burst: 0, perMinute: 0 },
    outbox: { pollMs: 50, baseDelayMs: 100 },
  });
  return { smtp, app, url: app.url };
}

let keys = 0;
async function post(url: string, body: Record<string, unknown>) {
  const response = await fetch(`${url}/api/threads/${THREAD}/comments`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'Idempotency-Key': `mail-test-${++keys}`,
      'X-Forwarded-For': `10.0.0.${keys}`,
    },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { comment: { id: string } }).comment;
}

const linkIn = (text: string, route: string) => {
  const found = new RegExp(`http://127\\.0\\.0\\.1:\\d+/mail/${route}/[A-Za-z0-9_.-]+`).exec(text)?.[0];
  if (!found) throw new Error(`no /mail/${route}/ link in:\n${text}`);
  return found;
};

const emailRows = async () =>
  (await app!.db.query(`SELECT type, status FROM outbox WHERE channel = 'email' ORDER BY id`)).rows as {
    type: string;
    status: string;
  }[];

/** Waits until the outbox has delivered every email that is due (a digest waits for its hour). */
async function settled() {
  const due = async () =>
    (
      await app!.db.query(
        `SELECT count(*)::int AS n FROM outbox WHERE channel = 'email' AND status = 'pending' AND next_attempt_at <= now()`,
      )
    ).rows[0]?.n;
  await expect.poll(due, { timeout: 5_000 }).toBe(0);
}

describe('reply emails', () => {
  it('asks the widget for notify, confirms the address, emails a reply by someone else, and stops with one click', async () => {
    const { smtp, url } = await start();
    const thread = (await (await fetch(`${url}/api/threads/${THREAD}/comments`)).json()) as { thread: { features: object } };
    expect(thread.thread.features).toMatchObject({ notify: true });

    const mine = await post(url, {
      parentId: null,
      author: { name: 'Ada', email: 'ada@reader.example' },
      body: 'Tell me when someone answers',
      notify: true,
      locale: 'de',
    });
    const confirmation = await smtp.next();
    expect(confirmation.envelope.to).toEqual(['ada@reader.example']);
    expect(confirmation.mail.text).toContain('On reply emails');
    const confirmUrl = linkIn(confirmation.mail.text ?? '', 'confirm');

    // A reply before the address is confirmed: nothing goes to it (double opt-in).
    await post(url, { parentId: mine.id, author: { name: 'Early Bird' }, body: 'Too early for an email' });
    await settled();
    expect(smtp.received).toHaveLength(1);

    // The link's GET shows a button and changes nothing; its POST confirms.
    const shown = await fetch(confirmUrl);
    expect(shown.status).toBe(200);
    expect(await shown.text()).toContain('<form');
    expect((await app!.db.query('SELECT confirmed_at FROM mail_subscribers')).rows[0]?.confirmed_at).toBeNull();
    expect((await fetch(confirmUrl, { method: 'POST' })).status).toBe(200);

    // Her own reply: no email. Someone else's: one, with the reply's words as text, never as HTML.
    await post(url, { parentId: mine.id, author: { name: 'Ada', email: 'ADA@reader.example' }, body: 'Replying to myself' });
    await post(url, { parentId: mine.id, author: { name: 'Grace' }, body: 'An answer with <b>markup</b> in it' });
    const reply = await smtp.next();
    expect(reply.envelope.to).toEqual(['ada@reader.example']);
    expect(reply.mail.text).toContain('An answer with <b>markup</b> in it');
    expect(reply.mail.html).not.toContain('<b>markup</b>');
    expect(reply.mail.html).toContain('&lt;b&gt;markup&lt;/b&gt;');
    expect(reply.mail.text).toContain(`https://blog.example/reply-emails#comment-`);
    await settled();
    expect(smtp.received).toHaveLength(2);

    // RFC 8058: the mail client POSTs the List-Unsubscribe URL; nothing more is sent.
    const oneClick = /^List-Unsubscribe:\s*<([^>]+)>/im.exec(reply.raw)![1]!; // (a folded header)
    expect(reply.raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r?$/im);
    const stopped = await fetch(oneClick, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(stopped.status).toBe(200);
    await post(url, { parentId: mine.id, author: { name: 'Linus' }, body: 'After the unsubscribe' });
    await settled();
    expect(smtp.received).toHaveLength(2);
  });

  it.each([
    // The locale the widget sent with the comment; the browser's Accept-Language for the link's page.
    {
      locale: 'pt-BR',
      accept: 'pt, en;q=0.5',
      subject: 'Confirme que quer receber e-mails quando alguém responder ao seu comentário em “On reply emails”',
      text: 'Você pediu para receber um e-mail quando alguém responder ao seu comentário em “On reply emails”.',
      page: 'Avise-me por e-mail quando alguém responder',
      done: 'Você receberá um e-mail quando alguém responder ao seu comentário.',
      dir: 'ltr',
    },
    {
      locale: 'zh-TW',
      accept: 'zh-HK, zh;q=0.8',
      subject: '請確認：有人回覆你在「On reply emails」的留言時寄信通知你',
      text: '你要求在有人回覆你在「On reply emails」的留言時收到電子郵件。',
      page: '有人回覆時寄信通知我',
      done: '有人回覆你的留言時，你會收到電子郵件。',
      dir: 'ltr',
    },
    {
      locale: 'he',
      accept: 'he-IL',
      subject: 'אישור קבלת אימייל על תשובות לתגובה שלך ב„On reply emails”',
      text: 'ביקשת לקבל אימייל כשמישהו עונה לתגובה שלך ב„On reply emails”.',
      page: 'שלחו לי אימייל כשמגיבים לי',
      done: 'יישלח אליך אימייל כשמישהו יענה לתגובה שלך.',
      dir: 'rtl',
    },
  ])(
    'writes the confirmation in the language the reader opted in with ($locale), and its pages in the browser’s',
    async ({ locale, accept, subject, text, page, done, dir }) => {
      const { smtp, url } = await start();
      await post(url, {
        parentId: null,
        author: { name: 'Ada', email: 'ada@reader.example' },
        body: 'Tell me when someone answers',
        notify: true,
        locale,
      });
      const confirmation = await smtp.next();
      expect(confirmation.mail.subject).toBe(subject);
      expect(confirmation.mail.text).toContain(text);
      expect(confirmation.mail.html).toContain(`<html lang="${locale}" dir="${dir}">`);
      const confirmUrl = linkIn(confirmation.mail.text ?? '', 'confirm');

      const shown = await fetch(confirmUrl, { headers: { 'Accept-Language': accept } });
      const html = await shown.text();
      expect(html).toContain(`<html lang="${locale}" dir="${dir}">`);
      expect(html).toContain(`<h1>${page}</h1>`);
      const posted = await fetch(confirmUrl, { method: 'POST', headers: { 'Accept-Language': accept } });
      expect(posted.status).toBe(200);
      expect(await posted.text()).toContain(done);
    },
  );

  it('forgets the address from the unsubscribe page, with its queued emails, and refuses a forged link', async () => {
    const { smtp, url } = await start();
    await post(url, { parentId: null, author: { name: 'Bo', email: 'bo@reader.example' }, body: 'Notify me', notify: true });
    const confirmation = await smtp.next();
    const confirmUrl = linkIn(confirmation.mail.text ?? '', 'confirm');
    await fetch(confirmUrl, { method: 'POST' });

    const forged = confirmUrl.slice(0, -3) + (confirmUrl.endsWith('AAA') ? 'BBB' : 'AAA');
    const refused = await fetch(forged, { method: 'POST' });
    expect(refused.status).toBeGreaterThanOrEqual(400);

    const [root] = (await app!.db.query('SELECT comment_id FROM reply_subscriptions')).rows as { comment_id: string }[];
    await post(url, { parentId: root!.comment_id, author: { name: 'Cy' }, body: 'A reply for Bo' });
    const reply = await smtp.next();
    const stopThread = linkIn(reply.mail.text ?? '', 'unsubscribe');
    const forget = await fetch(stopThread, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'choice=forget',
    });
    expect(forget.status).toBe(200);
    expect((await app!.db.query('SELECT count(*)::int AS n FROM mail_subscribers')).rows[0]?.n).toBe(0);
    expect((await app!.db.query('SELECT count(*)::int AS n FROM reply_subscriptions')).rows[0]?.n).toBe(0);
  });

  it('alerts each moderator of a held comment, and its Approve link acts once, in the audit log under their name', async () => {
    const { smtp, url } = await start({ moderation: 'pre' });
    const { inviteToken } = await app!.moderators.add('mod@site.example', 'Mo Derator');
    await app!.moderators.setPassword(inviteToken, 'a long enough password');
    const held = await post(url, { parentId: null, author: { name: 'New' }, body: 'Please let me in' });

    const alert = await smtp.next();
    expect(alert.envelope.to).toEqual(['mod@site.example']);
    expect(alert.mail.text).toContain('Please let me in');
    const approve = linkIn(alert.mail.text ?? '', 'moderate');
    // The three links share one use: Approve is the first of them in the email.
    const shown = await fetch(approve);
    expect(shown.status).toBe(200);
    expect((await app!.db.query('SELECT status FROM comments WHERE id = $1', [held.id])).rows[0]?.status).toBe('pending');

    expect((await fetch(approve, { method: 'POST' })).status).toBe(200);
    expect((await app!.db.query('SELECT status FROM comments WHERE id = $1', [held.id])).rows[0]?.status).toBe('published');
    const again = await fetch(approve, { method: 'POST' });
    expect(again.status).toBe(410);
    const audit = await app!.db.query(`SELECT action, actor FROM audit_log WHERE comment_id = $1`, [held.id]);
    expect(audit.rows).toEqual([expect.objectContaining({ action: 'approve' })]);
    expect(JSON.stringify(audit.rows[0]!.actor)).toContain('Mo Derator');
  });

  it("follows each moderator's choice: an alert now, an hourly digest of what still waits, or nothing", async () => {
    const { smtp, url } = await start({ moderation: 'pre' });
    const accounts: Record<string, string> = {};
    for (const [email, name] of [
      ['ann@site.example', 'Ann'],
      ['bea@site.example', 'Bea'],
      ['cy@site.example', 'Cy'],
    ] as const) {
      const { moderator, inviteToken } = await app!.moderators.add(email, name);
      await app!.moderators.setPassword(inviteToken, 'a long enough password');
      accounts[name] = moderator.id;
    }
    // Bea chooses the digest on the dashboard, as herself; she may not choose for Ann.
    const signIn = await fetch(`${url}/api/admin/session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: url },
      body: JSON.stringify({ email: 'bea@site.example', password: 'a long enough password' }),
    });
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
    const choose = (id: string, alerts: string) =>
      fetch(`${url}/api/admin/moderators/${id}/alerts`, {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json', Origin: url, Cookie: cookie },
        body: JSON.stringify({ alerts }),
      });
    const chosen = await choose(accounts.Bea!, 'digest');
    expect(chosen.status).toBe(200);
    expect(((await chosen.json()) as { moderator: { alerts: string } }).moderator.alerts).toBe('digest');
    expect((await choose(accounts.Ann!, 'off')).status).toBe(403);
    expect((await choose(accounts.Bea!, 'weekly')).status).toBe(400);
    await app!.moderators.setAlerts('cy@site.example', 'off');

    const first = await post(url, { parentId: null, author: { name: 'First' }, body: 'First held comment' });
    const second = await post(url, { parentId: null, author: { name: 'Second' }, body: 'Second held comment' });
    await settled();
    // Ann has one alert per comment; Bea's wait in one digest, due in an hour; Cy gets nothing.
    expect(smtp.received.map((mail) => mail.envelope.to)).toEqual([['ann@site.example'], ['ann@site.example']]);
    const digests = await app!.db.query(`SELECT payload, next_attempt_at FROM outbox WHERE type = 'moderator-digest'`);
    expect(digests.rows).toHaveLength(1);
    expect(digests.rows[0]!.payload.items.map((item: { commentId: string }) => item.commentId)).toEqual([first.id, second.id]);
    expect(digests.rows[0]!.next_attempt_at.getTime()).toBeGreaterThan(Date.now() + 50 * 60_000);

    // Ann approves the first from her email; the hour passes: Bea's digest asks only about the second.
    const annFirst = smtp.received.find((mail) => mail.mail.text?.includes('First held comment'))!;
    expect((await fetch(linkIn(annFirst.mail.text ?? '', 'moderate'), { method: 'POST' })).status).toBe(200);
    await app!.db.query(`UPDATE outbox SET next_attempt_at = now() WHERE type = 'moderator-digest'`);
    await expect.poll(() => smtp.received.length, { timeout: 5_000 }).toBe(3);
    const digest = smtp.received[2]!;
    expect(digest.envelope.to).toEqual(['bea@site.example']);
    expect(digest.mail.text).toContain('Second held comment');
    expect(digest.mail.text).not.toContain('First held comment');
    // Its links act as Bea, once.
    const approve = linkIn(digest.mail.text ?? '', 'moderate');
    expect((await fetch(approve, { method: 'POST' })).status).toBe(200);
    expect((await app!.db.query('SELECT status FROM comments WHERE id = $1', [second.id])).rows[0]?.status).toBe('published');
    const audit = await app!.db.query(`SELECT action, actor FROM audit_log WHERE comment_id = $1`, [second.id]);
    expect(audit.rows).toEqual([expect.objectContaining({ action: 'approve', actor: expect.objectContaining({ name: 'Bea' }) })]);
    const changed = await app!.db.query(`SELECT actor, before, after FROM audit_log WHERE action = 'moderator.alerts'`);
    expect(changed.rows).toEqual([
      expect.objectContaining({
        actor: expect.objectContaining({ kind: 'moderator', name: 'Bea' }),
        before: { email: 'bea@site.example', alerts: 'immediate' },
        after: { email: 'bea@site.example', alerts: 'digest' },
      }),
    ]);
  });

  it('sends at most 10 reply emails an hour to one address, and the rest in one digest when the hour is over', async () => {
    const { smtp, url } = await start();
    const mine = await post(url, {
      parentId: null,
      author: { name: 'Popular', email: 'pop@reader.example' },
      body: 'Ask me anything',
      notify: true,
    });
    await fetch(linkIn((await smtp.next()).mail.text ?? '', 'confirm'), { method: 'POST' });
    for (let n = 1; n <= 13; n++) {
      await post(url, { parentId: mine.id, author: { name: `Reader ${n}` }, body: `Answer number ${n}` });
    }
    await settled();
    expect(smtp.received).toHaveLength(1 + 10);
    const digests = await app!.db.query(`SELECT payload, next_attempt_at FROM outbox WHERE type = 'reply-digest'`);
    expect(digests.rows).toHaveLength(1);
    expect(digests.rows[0]!.payload.replyIds).toHaveLength(3);
    expect(digests.rows[0]!.next_attempt_at.getTime()).toBeGreaterThan(Date.now() + 50 * 60_000);

    // The hour is over (moved here rather than waited for): one email with the three replies.
    await app!.db.query(`UPDATE outbox SET next_attempt_at = now() WHERE type = 'reply-digest'`);
    await expect.poll(() => smtp.received.length, { timeout: 5_000 }).toBe(12);
    const digest = smtp.received.at(-1)!;
    expect(digest.envelope.to).toEqual(['pop@reader.example']);
    for (const n of [11, 12, 13]) expect(digest.mail.text).toContain(`Answer number ${n}`);
    expect(digest.mail.text).not.toContain('Answer number 10');
    expect(digest.raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r?$/im);
  });

  it('gives up at once on an address its mail server refuses for good, and mails it no more', async () => {
    const { url } = await start(
      {},
      { onRcptTo: (_address, _session, callback) => callback(smtpError(550, '5.1.1 No such mailbox')) },
    );
    await post(url, { parentId: null, author: { name: 'Gone', email: 'gone@nowhere.example' }, body: 'Notify me', notify: true });
    await expect.poll(async () => (await emailRows()).map((row) => row.status), { timeout: 5_000 }).toEqual(['dead']);
    const { rows } = await app!.db.query('SELECT stopped_at FROM mail_subscribers');
    expect(rows[0]?.stopped_at).toBeInstanceOf(Date);
  });

  it('sends no email and ignores notify without a mail server', async () => {
    app = await startServer({ seed, rateLimit: { burst: 0, perMinute: 0 } });
    const thread = (await (await fetch(`${app.url}/api/threads/${THREAD}/comments`)).json()) as { thread: { features: object } };
    expect(thread.thread.features).not.toHaveProperty('notify');
    await post(app.url, { parentId: null, author: { name: 'Di', email: 'di@reader.example' }, body: 'Hello', notify: true });
    expect((await app.db.query('SELECT count(*)::int AS n FROM mail_subscribers')).rows[0]?.n).toBe(0);
    expect((await app.db.query('SELECT count(*)::int AS n FROM outbox')).rows[0]?.n).toBe(0);
  });
});
