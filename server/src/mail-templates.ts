// The emails the server sends and the small pages their links open: pure functions from what
// happened to `{ to, subject, text, html, headers }` (or a page), in the reader's language
// (mail-messages.ts: the widget's catalogs, chosen as the widget chooses). Everything from a reader (names, titles, comment bodies) is text: escaped
// in the HTML, never read as HTML, its line breaks kept. No tracking pixel, no remote image, no
// script; the HTML part has only a little inline CSS, as mail clients allow nothing else.
//
//   const mail = replyEmail({ to, locale: 'de', article, reply, links: { unsubscribeThread, unsubscribeAll } });
//   await mailer.send({ ...mail, id: deliveryId });
//   const page = unsubscribePage({ locale: localeFromAcceptLanguage(req.headers['accept-language']), scope: 'all' });
//   res.writeHead(page.status, page.headers).end(page.body);
//
// The pages act only on POST: mail scanners open (GET) every link in a message, so a GET shows a
// button, and the server acts when the button's form is posted (or when a mail client posts the
// RFC 8058 one-click body to the List-Unsubscribe URL).
import { createHash } from 'node:crypto';
import { MAIL_EN, catalogFor, isRtl, stringsOf, type MailLocale, type MailStringKey } from './mail-messages.js';
import type { LinkRefusal, ModerateAction } from './signed-links.js';

export type { MailLocale };

/** What mail.ts sends, less the delivery id. */
export type Email = { to: string; subject: string; text: string; html: string; headers: Record<string, string> };
/** A thread as the page described it; either may be missing. */
export type Article = { title: string | null; url: string | null };
/** A comment as an email shows it: who wrote it and its text (the widget's light formatting, as typed). */
export type MailComment = { id: string; authorName: string; body: string };

// Lengths in characters (code points) of what a reader wrote, as shown in a subject or a digest.
const MAX_NAME = 60;
const MAX_TITLE = 100;
const MAX_IN_DIGEST = 500;
const MAX_IN_REPLY_TO = 300;

// ---------------------------------------------------------------------------------------------
// Language

/**
 * The catalog a locale reads, by the widget's rule ('de-AT' → 'de', 'pt' → 'pt-BR', 'zh-HK' →
 * 'zh-TW'); English for any other. `_` is read as `-` (`pt_BR`, as some systems write it).
 */
export function mailLocale(locale: unknown): MailLocale {
  return typeof locale === 'string' ? catalogFor(locale.trim().replace(/_/g, '-')) : 'en';
}

/** The reader's best supported language from an Accept-Language header, for the pages. */
export function localeFromAcceptLanguage(header: string | undefined): MailLocale {
  const ranked = (header ?? '')
    .split(',')
    .slice(0, 20)
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean);
      return { tag, q: q === undefined ? 1 : Number(q), index };
    })
    .filter(({ tag, q }) => tag && q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { tag } of ranked) {
    const locale = mailLocale(tag);
    if (locale !== 'en' || tag.toLowerCase().startsWith('en')) return locale;
  }
  return 'en';
}

type Vars = { name?: string; title?: string; count?: number };

function translate(locale: MailLocale, key: MailStringKey, vars: Vars = {}): string {
  const entry = stringsOf(locale)[key] ?? MAIL_EN[key];
  const template =
    typeof entry === 'string' ? entry : (entry[new Intl.PluralRules(locale).select(vars.count ?? 0)] ?? entry.other);
  // {count} is a number of the language, as the widget writes it (Persian and Bengali digits…).
  return template.replace(/\{(name|title|count)\}/g, (_, field: keyof Vars) =>
    field === 'count' ? new Intl.NumberFormat(locale).format(vars.count ?? 0) : (vars[field] ?? ''),
  );
}

// ---------------------------------------------------------------------------------------------
// Text from readers

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** Text as HTML text or attribute value: nothing in it can open a tag or leave an attribute. */
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => ESCAPES[char]!);

// Bidi embeddings, overrides and isolates have no place in a name or title, where they could turn
// the text around them ("replied to your comment") backwards; control characters neither.
const UNSAFE_IN_LINE = /[\p{Cc}\u202A-\u202E\u2066-\u2069]+/gu;

/** One line of at most `max` characters: for subjects, names and titles. */
function oneLine(text: string, max: number): string {
  const line = text.replace(UNSAFE_IN_LINE, ' ').replace(/\s+/g, ' ').trim();
  return shorten(line, max);
}

function shorten(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max
    ? text
    : `${chars
        .slice(0, max - 1)
        .join('')
        .trimEnd()}…`;
}

/** A comment body as sent: line breaks kept, other control characters (but tabs) out. */
const bodyText = (body: string, max = Infinity) =>
  shorten(
    body.replace(/\r\n?/g, '\n').replace(/[\p{Cc}]/gu, (char) => (char === '\n' || char === '\t' ? char : '')),
    max,
  ).trim();

/** An http(s) address as it may go into an href; null for anything else (javascript:, data:…). */
function httpUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
  } catch {
    return null;
  }
}

/** The comment's place on the article: the page's URL with #comment-<id>. */
export function commentUrl(articleUrl: string | null, commentId: string): string | null {
  const page = httpUrl(articleUrl);
  if (!page) return null;
  const url = new URL(page);
  url.hash = `comment-${commentId}`;
  return url.href;
}

function titleOf(article: Article, locale: MailLocale): string {
  const page = httpUrl(article.url);
  const fallback = page ? `${new URL(page).host}${new URL(page).pathname}` : translate(locale, 'untitled');
  return oneLine(article.title?.trim() || fallback, MAX_TITLE);
}

// ---------------------------------------------------------------------------------------------
// Emails: a list of parts, written out once as text and once as HTML

type Part =
  | { kind: 'p'; text: string }
  | { kind: 'quote'; text: string }
  | { kind: 'links'; links: { label: string; url: string }[]; buttons?: boolean }
  | { kind: 'footer'; text: string; links?: { label: string; url: string }[] };

const paragraph = (text: string): Part => ({ kind: 'p', text });
const quote = (text: string): Part => ({ kind: 'quote', text });
const link = (label: string, url: string | null): Part[] => (url ? [{ kind: 'links', links: [{ label, url }] }] : []);

function textOf(parts: Part[]): string {
  const blocks = parts.map((part) => {
    switch (part.kind) {
      case 'p':
        return part.text;
      case 'quote':
        return part.text
          .split('\n')
          .map((line) => (line ? `> ${line}` : '>'))
          .join('\n');
      case 'links':
        return part.links.map(({ label, url }) => `${label}: ${url}`).join('\n');
      case 'footer':
        // "-- " on its own line: mail clients show what follows as a signature.
        return ['-- ', part.text, ...(part.links ?? []).map(({ label, url }) => `${label}: ${url}`)].join('\n');
    }
  });
  return `${blocks.join('\n\n')}\n`;
}

function htmlOf(parts: Part[], locale: MailLocale, subject: string): string {
  const rtl = isRtl(locale);
  const start = rtl ? 'right' : 'left';
  const anchor = ({ label, url }: { label: string; url: string }, button = false) =>
    `<a href="${escapeHtml(url)}"${
      button
        ? ' style="display:inline-block;padding:8px 16px;margin:0 8px 8px 0;border:1px solid #888;border-radius:4px;text-decoration:none"'
        : ''
    }>${escapeHtml(label)}</a>`;
  const blocks = parts.map((part) => {
    switch (part.kind) {
      case 'p':
        return `<p style="margin:0 0 16px">${escapeHtml(part.text)}</p>`;
      case 'quote':
        // dir="auto": a reply in another script than the email reads in its own direction.
        return `<div dir="auto" style="margin:0 0 16px;padding:8px 12px;border-${start}:3px solid #ccc">${escapeHtml(
          part.text,
        ).replace(/\n/g, '<br>\n')}</div>`;
      case 'links':
        return `<p style="margin:0 0 16px">${part.links.map((item) => anchor(item, part.buttons)).join(part.buttons ? ' ' : ' · ')}</p>`;
      case 'footer':
        return `<p style="margin:24px 0 0;font-size:13px;color:#666">${escapeHtml(part.text)}${
          part.links?.length ? `<br>\n${part.links.map((item) => anchor(item)).join(' · ')}` : ''
        }</p>`;
    }
  });
  return (
    `<!doctype html>\n<html lang="${locale}" dir="${rtl ? 'rtl' : 'ltr'}"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width"><title>${escapeHtml(subject)}</title></head>\n` +
    `<body style="margin:0;padding:16px;font-family:sans-serif;font-size:16px;line-height:1.5;color:#222">\n` +
    `${blocks.join('\n')}\n</body></html>\n`
  );
}

function email(to: string, locale: MailLocale, subject: string, parts: Part[], headers: Record<string, string> = {}): Email {
  const line = oneLine(subject, 200);
  return {
    to,
    subject: line,
    text: textOf(parts),
    html: htmlOf(parts, locale, line),
    // RFC 3834: an automatic message, so that out-of-office replies are not sent back to it.
    headers: { 'Auto-Submitted': 'auto-generated', ...headers },
  };
}

/**
 * RFC 8058 one-click unsubscribe: a mail client shows "Unsubscribe" and POSTs
 * `List-Unsubscribe=One-Click` to the URL, without a sign-in and without opening a page. The
 * URL is the one that stops everything: that is what a reader pressing the client's button means.
 */
const unsubscribeHeaders = (oneClickUrl: string) => ({
  'List-Unsubscribe': `<${oneClickUrl}>`,
  'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
});

/** The double opt-in: nothing else goes to an address until this link is used. */
export function confirmationEmail({
  to,
  locale: requested,
  article,
  confirmUrl,
}: {
  to: string;
  locale?: string | null;
  article: Article;
  confirmUrl: string;
}): Email {
  const locale = mailLocale(requested);
  const title = titleOf(article, locale);
  return email(to, locale, translate(locale, 'confirm.subject', { title }), [
    paragraph(translate(locale, 'confirm.text', { title })),
    ...link(translate(locale, 'confirm.action'), confirmUrl),
    { kind: 'footer', text: translate(locale, 'confirm.ignore') },
  ]);
}

export type UnsubscribeLinks = { unsubscribeThread: string; unsubscribeAll: string };

/** One published direct reply to the reader's comment. */
export function replyEmail({
  to,
  locale: requested,
  article,
  reply,
  inReplyTo,
  links,
}: {
  to: string;
  locale?: string | null;
  article: Article;
  reply: MailComment;
  /** The reader's own comment, shortened, to remind them what was answered. */
  inReplyTo?: string;
  links: UnsubscribeLinks;
}): Email {
  const locale = mailLocale(requested);
  const vars = { name: oneLine(reply.authorName, MAX_NAME), title: titleOf(article, locale) };
  return email(
    to,
    locale,
    translate(locale, 'reply.subject', vars),
    [
      paragraph(translate(locale, 'reply.text', vars)),
      quote(bodyText(reply.body)),
      ...link(translate(locale, 'reply.view'), commentUrl(article.url, reply.id)),
      ...(inReplyTo ? [paragraph(translate(locale, 'reply.yours')), quote(bodyText(inReplyTo, MAX_IN_REPLY_TO))] : []),
      footer(locale, links),
    ],
    unsubscribeHeaders(links.unsubscribeAll),
  );
}

const footer = (locale: MailLocale, links: Partial<UnsubscribeLinks>): Part => ({
  kind: 'footer',
  text: translate(locale, 'footer'),
  links: [
    ...(links.unsubscribeThread ? [{ label: translate(locale, 'stop.thread'), url: links.unsubscribeThread }] : []),
    ...(links.unsubscribeAll ? [{ label: translate(locale, 'stop.all'), url: links.unsubscribeAll }] : []),
  ],
});

/**
 * Replies beyond the hourly allowance for one address, in one email. Each may carry its
 * thread's stop link; the email's footer stops everything.
 */
export function replyDigestEmail({
  to,
  locale: requested,
  replies,
  unsubscribeAll,
}: {
  to: string;
  locale?: string | null;
  replies: { article: Article; reply: MailComment; unsubscribeThread?: string }[];
  unsubscribeAll: string;
}): Email {
  const locale = mailLocale(requested);
  const count = replies.length;
  const items = replies.flatMap(({ article, reply, unsubscribeThread }): Part[] => {
    const vars = { name: oneLine(reply.authorName, MAX_NAME), title: titleOf(article, locale) };
    const view = commentUrl(article.url, reply.id);
    return [
      paragraph(translate(locale, 'digest.item', vars)),
      quote(bodyText(reply.body, MAX_IN_DIGEST)),
      {
        kind: 'links',
        links: [
          ...(view ? [{ label: translate(locale, 'reply.view'), url: view }] : []),
          ...(unsubscribeThread ? [{ label: translate(locale, 'stop.thread'), url: unsubscribeThread }] : []),
        ],
      },
    ];
  });
  return email(
    to,
    locale,
    translate(locale, 'digest.title', { count }),
    [paragraph(translate(locale, 'digest.title', { count })), ...items, footer(locale, { unsubscribeAll })],
    unsubscribeHeaders(unsubscribeAll),
  );
}

export type ModerationLinks = Record<ModerateAction, string>;
/** Why a moderator hears of a comment: it waits for approval, or readers reported it. */
export type ModerationReason = { why: 'pending' } | { why: 'reported'; reports: number };

const actionButtons = (locale: MailLocale, links: ModerationLinks): Part => ({
  kind: 'links',
  buttons: true,
  links: (['approve', 'spam', 'delete'] as const).map((action) => ({
    label: translate(locale, `mod.${action}`),
    url: links[action],
  })),
});

/** A new pending or reported comment, with one-click (then confirm) Approve, Spam, Delete. */
export function moderatorAlertEmail({
  to,
  locale: requested,
  article,
  comment,
  reason,
  links,
  dashboardUrl,
}: {
  to: string;
  locale?: string | null;
  article: Article;
  comment: MailComment;
  reason: ModerationReason;
  links: ModerationLinks;
  dashboardUrl?: string;
}): Email {
  const locale = mailLocale(requested);
  const vars = { name: oneLine(comment.authorName, MAX_NAME), title: titleOf(article, locale) };
  const pending = reason.why === 'pending';
  return email(to, locale, translate(locale, pending ? 'mod.pending.subject' : 'mod.reported.subject', vars), [
    paragraph(
      pending
        ? translate(locale, 'mod.pending.text', vars)
        : translate(locale, 'mod.reported.text', { ...vars, count: reason.reports }),
    ),
    quote(bodyText(comment.body)),
    actionButtons(locale, links),
    paragraph(translate(locale, 'mod.note')),
    ...link(translate(locale, 'mod.dashboard'), dashboardUrl ?? null),
  ]);
}

/** A moderator's hourly digest: every comment that came to wait in the hour, each with its links. */
export function moderatorDigestEmail({
  to,
  locale: requested,
  items,
  dashboardUrl,
}: {
  to: string;
  locale?: string | null;
  items: { article: Article; comment: MailComment; reason: ModerationReason; links: ModerationLinks }[];
  dashboardUrl?: string;
}): Email {
  const locale = mailLocale(requested);
  const count = items.length;
  return email(to, locale, translate(locale, 'mod.digest.subject', { count }), [
    paragraph(translate(locale, 'mod.digest.subject', { count })),
    ...items.flatMap(({ article, comment, reason, links }) => [
      paragraph(
        translate(locale, reason.why === 'pending' ? 'mod.digest.pending' : 'mod.digest.reported', {
          name: oneLine(comment.authorName, MAX_NAME),
          title: titleOf(article, locale),
        }),
      ),
      quote(bodyText(comment.body, MAX_IN_DIGEST)),
      actionButtons(locale, links),
    ]),
    paragraph(translate(locale, 'mod.note')),
    ...link(translate(locale, 'mod.dashboard'), dashboardUrl ?? null),
  ]);
}

// ---------------------------------------------------------------------------------------------
// Pages the links open

export type Page = { status: number; headers: Record<string, string>; body: string };

const PAGE_CSS =
  'body{font:16px/1.5 system-ui,sans-serif;margin:0;padding:2rem 1rem;color:#222;background:#fff}' +
  'main{max-width:36rem;margin:0 auto}h1{font-size:1.4rem;line-height:1.3}' +
  'button{font:inherit;padding:.5rem 1rem;margin:0 .5rem .5rem 0;cursor:pointer}' +
  'blockquote{margin:0 0 1rem;padding:.5rem 1rem;border-inline-start:3px solid #ccc;white-space:pre-wrap;overflow-wrap:anywhere}' +
  '.note{color:#555;font-size:.9rem}' +
  '@media (prefers-color-scheme:dark){body{color:#eee;background:#111}.note{color:#aaa}}';

/**
 * The pages' headers: no script at all, the one style element by its hash, forms only to this
 * server, no framing (no clickjacking of the buttons), no Referer (the token is in the URL),
 * and never cached or indexed.
 */
export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Type': 'text/html; charset=utf-8',
  'Content-Security-Policy':
    `default-src 'none'; style-src 'sha256-${createHash('sha256').update(PAGE_CSS).digest('base64')}'; ` +
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cache-Control': 'no-store',
  'X-Robots-Tag': 'noindex',
};

/** `main` is HTML made here from escaped parts. */
function page(locale: MailLocale, title: string, main: string, status = 200): Page {
  const body =
    `<!doctype html>\n<html lang="${locale}" dir="${isRtl(locale) ? 'rtl' : 'ltr'}"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex">` +
    `<title>${escapeHtml(title)}</title><style>${PAGE_CSS}</style></head>\n` +
    `<body><main><h1>${escapeHtml(title)}</h1>\n${main}\n</main></body></html>\n`;
  return { status, headers: { ...PAGE_HEADERS }, body };
}

/**
 * A form posting to `action`, or without one, to the page's own address (its token included).
 * Each button sends `choice=<value>`.
 */
function form(action: string | undefined, buttons: { label: string; value: string }[]): string {
  const target = action === undefined ? '' : ` action="${escapeHtml(action)}"`;
  return `<form method="post"${target}>${buttons
    .map(({ label, value }) => `<button type="submit" name="choice" value="${escapeHtml(value)}">${escapeHtml(label)}</button>`)
    .join('')}</form>`;
}

const p = (text: string, className?: string) => `<p${className ? ` class="${className}"` : ''}>${escapeHtml(text)}</p>`;

/** GET of a confirm link: a button that posts the confirmation. */
export function confirmPage({
  locale: requested,
  article,
  action,
}: {
  locale?: string | null;
  article: Article;
  action?: string;
}): Page {
  const locale = mailLocale(requested);
  return page(
    locale,
    translate(locale, 'page.confirm.title'),
    p(translate(locale, 'page.confirm.text', { title: titleOf(article, locale) })) +
      form(action, [{ label: translate(locale, 'confirm.action'), value: 'confirm' }]),
  );
}

/** What a POST to an unsubscribe URL asks: the page's forget button, or else unsubscribing (RFC 8058's body included). */
export function unsubscribeChoice(formBody: string | URLSearchParams): 'unsubscribe' | 'forget' {
  const fields = typeof formBody === 'string' ? new URLSearchParams(formBody) : formBody;
  return fields.get('choice') === 'forget' ? 'forget' : 'unsubscribe';
}

/** GET of a stop link: a button that posts the unsubscribe, and one that also forgets the address. */
export function unsubscribePage({
  locale: requested,
  scope,
  article,
  action,
}: {
  locale?: string | null;
  scope: 'thread' | 'all';
  article?: Article;
  action?: string;
}): Page {
  const locale = mailLocale(requested);
  const title = article ? titleOf(article, locale) : '';
  return page(
    locale,
    translate(locale, scope === 'thread' ? 'page.thread.title' : 'page.all.title'),
    p(translate(locale, scope === 'thread' ? 'page.thread.text' : 'page.all.text', { title })) +
      form(action, [{ label: translate(locale, 'page.unsubscribe'), value: 'unsubscribe' }]) +
      p(translate(locale, 'page.forget.text'), 'note') +
      form(action, [{ label: translate(locale, 'page.forget'), value: 'forget' }]),
  );
}

/** GET of a moderation link: the comment, and a button that posts the action. */
export function moderationPage({
  locale: requested,
  action: moderation,
  article,
  comment,
  formAction,
}: {
  locale?: string | null;
  action: ModerateAction;
  article: Article;
  comment: MailComment;
  formAction?: string;
}): Page {
  const locale = mailLocale(requested);
  const vars = { name: oneLine(comment.authorName, MAX_NAME), title: titleOf(article, locale) };
  const label = translate(locale, moderation === 'spam' ? 'page.spamAction' : `mod.${moderation}`);
  return page(
    locale,
    translate(locale, `page.${moderation}`),
    p(translate(locale, 'digest.item', vars)) +
      `<blockquote dir="auto">${escapeHtml(bodyText(comment.body))}</blockquote>` +
      form(formAction, [{ label, value: moderation }]),
  );
}

export type Done = 'confirmed' | 'unsubscribed-thread' | 'unsubscribed-all' | 'forgotten' | 'approved' | 'spammed' | 'deleted';

/** After a POST that acted. */
export function donePage({ locale: requested, done }: { locale?: string | null; done: Done }): Page {
  const locale = mailLocale(requested);
  return page(locale, translate(locale, 'done.title'), p(translate(locale, `done.${done}`)));
}

/**
 * A link that did not pass signed-links.ts' check, or was used already: nothing was done.
 * 410 for one that was good once (expired, used), 400 for the rest.
 */
export function invalidLinkPage({ locale: requested, reason }: { locale?: string | null; reason: LinkRefusal | 'used' }): Page {
  const locale = mailLocale(requested);
  const gone = reason === 'expired' || reason === 'used';
  const key = reason === 'expired' ? 'invalid.expired' : reason === 'used' ? 'invalid.used' : 'invalid.invalid';
  return page(locale, translate(locale, 'invalid.title'), p(translate(locale, key)), gone ? 410 : 400);
}
