// Sending email over SMTP with nodemailer's pooled transport: a few connections kept open and
// reused, so a burst of notifications does not pay a TCP and TLS handshake each. Every failure
// comes back as a MailRefused that says what the outbox should do: drop the message (and, for
// a refused address, stop mailing it) or try again later. Nothing here retries on its own.
//
//   const mailer = createMailer({ smtpUrl: 'smtp://user:pass@smtp.example.com:587', from: 'Confab <c@example.com>', logger });
//   const { messageId, response } = await mailer.send({ to, subject, text, html, headers, id: deliveryId });
//   // throws MailRefused: error.permanent (do not retry), error.kind ('recipient': stop mailing that address)
//   mailer.close();
import nodemailer from 'nodemailer';
import addressparser from 'nodemailer/lib/addressparser';
import type { Logger } from './logger.js';
import { isLoopback } from './settings.js';

/** What the templates make (mail-templates.ts), and the outbox delivery's id. */
export type MailMessage = {
  /** One bare address: `ann@example.com`. */
  to: string;
  subject: string;
  text: string;
  html: string;
  headers?: Record<string, string>;
  /**
   * The delivery's stable id (the outbox row's): it becomes the Message-ID, so a message
   * delivered twice after a crash is recognisably the same one.
   */
  id?: string;
};

/** The SMTP server's answer to the message: `250 2.0.0 Ok: queued as 4Bq…`. */
export type MailSent = { messageId: string; response: string };

/**
 * Why a message was not sent, as the outbox acts on it. Permanent: sending it again gets the same
 * answer.
 * - recipient (permanent): the server refused the address (5xx to RCPT TO); stop mailing it.
 * - message (permanent): the server refused this message after taking the address (5xx to the
 *   data: content, size); the address may still take others.
 * - deferred: a 4xx answer (mailbox busy, greylisting, rate limit); try later.
 * - connection: refused, reset, DNS or TLS failure, or closed in the middle of the message.
 * - timeout: no answer within timeoutMs.
 * - setup: the server refused us, not the address (login, sender, our host): the site's settings
 *   need fixing, so it is logged as an error, and retried, since the fix needs no new message.
 */
export type MailFailure = 'recipient' | 'message' | 'deferred' | 'connection' | 'timeout' | 'setup';

export class MailRefused extends Error {
  declare readonly kind: MailFailure;
  declare readonly permanent: boolean;
  /** The SMTP reply code (550, 451…), when the server gave one. */
  declare readonly responseCode: number | undefined;
  /** The command the server answered (RCPT TO, DATA, AUTH PLAIN…), or CONN for the connection. */
  declare readonly command: string | undefined;

  constructor(
    kind: MailFailure,
    message: string,
    { responseCode, command, cause }: { responseCode?: number; command?: string; cause?: unknown } = {},
  ) {
    super(message, { cause });
    this.name = 'MailRefused';
    this.kind = kind;
    this.permanent = kind === 'recipient' || kind === 'message';
    this.responseCode = responseCode;
    this.command = command;
  }
}

export type Mailer = {
  /** Resolves once the SMTP server has taken the message; rejects with a MailRefused. */
  send(message: MailMessage): Promise<MailSent>;
  /** Connects and logs in, to check the settings at start; rejects with a MailRefused. */
  verify(): Promise<void>;
  /** Closes the idle connections; one in the middle of a message finishes it first. */
  close(): void;
};

/**
 * RFC 5321 asks a client to wait minutes for some answers; a minute is enough for any working
 * server, and an outbox worker is not held longer by a dead one.
 */
export const DEFAULT_MAIL_TIMEOUT_MS = 60_000;
const PORTS = { 'smtp:': 587, 'smtps:': 465 } as const;

export type SmtpSettings = {
  host: string;
  port: number;
  /** smtps: TLS from the first byte. */
  secure: boolean;
  /** smtp: upgrade with STARTTLS, and refuse to go on without it (credentials over the network). */
  requireTLS: boolean;
  auth: { user: string; pass: string } | undefined;
};

/**
 * Reads SMTP_URL: `smtp://user:pass@host:587` (STARTTLS when the server offers it; required
 * when credentials would cross the network) or `smtps://user:pass@host:465` (TLS at once).
 * Throws an Error naming the setting, never quoting the password.
 */
export function readSmtpUrl(text: string, name = 'SMTP_URL'): SmtpSettings {
  let url: URL | null;
  try {
    url = new URL(text);
  } catch {
    url = null;
  }
  const shown = url ? withoutPassword(url) : '(not a URL)';
  if (!url || (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') || !url.hostname) {
    throw new Error(`${name} must look like smtp://user:password@host:587 or smtps://user:password@host:465, not ${shown}`);
  }
  if ((url.pathname && url.pathname !== '/') || url.search || url.hash) {
    throw new Error(`${name} takes no path or options after the host and port: ${shown}`);
  }
  if (url.password && !url.username) throw new Error(`${name} has a password but no user name: ${shown}`);
  const secure = url.protocol === 'smtps:';
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const auth = url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined;
  return {
    host,
    port: url.port ? Number(url.port) : PORTS[url.protocol as keyof typeof PORTS],
    secure,
    requireTLS: !secure && auth !== undefined && !isLoopback(host),
    auth,
  };
}

const withoutPassword = (url: URL) => {
  const copy = new URL(url.href);
  if (copy.password) copy.password = '***';
  return `"${copy.href}"`;
};

/**
 * Reads MAIL_FROM: `comments@example.com` or `Example comments <comments@example.com>`, one
 * address. Returns it as nodemailer takes it.
 */
export function readMailFrom(text: string, name = 'MAIL_FROM'): { name: string; address: string } {
  const parsed = /[\r\n]/.test(text) ? [] : addressparser(text);
  const only = parsed.length === 1 ? parsed[0] : undefined;
  if (!only || only.group || !isMailAddress(only.address)) {
    throw new Error(`${name} must be one address, like comments@example.com or "Example <comments@example.com>", not "${text}"`);
  }
  return { name: only.name, address: only.address };
}

/**
 * A single bare address, local@domain, that nodemailer cannot read as several (no comma, space,
 * angle bracket, quote or control character). The server takes any email at posting; one that
 * fails this gets no mail.
 */
export function isMailAddress(text: unknown): text is string {
  return (
    typeof text === 'string' &&
    text.length <= 254 &&
    /^[^\s@<>()[\]\\,;:"\p{Cc}]{1,64}@[^\s@<>()[\]\\,;:"\p{Cc}]+\.[^\s@<>()[\]\\,;:"\p{Cc}.]+$/u.test(text)
  );
}

export function createMailer({
  smtpUrl,
  from,
  logger,
  timeoutMs = DEFAULT_MAIL_TIMEOUT_MS,
  maxConnections = 5,
  tls,
}: {
  smtpUrl: string;
  from: string;
  logger: Logger;
  timeoutMs?: number;
  maxConnections?: number;
  /** Node's TLS options, for a server with its own certificate authority (and the tests' self-signed one). */
  tls?: import('node:tls').ConnectionOptions;
}): Mailer {
  const smtp = readSmtpUrl(smtpUrl);
  const sender = readMailFrom(from);
  const domain = sender.address.slice(sender.address.lastIndexOf('@') + 1);
  const transport = nodemailer.createTransport({
    pool: true,
    maxConnections,
    // One quick retry on a fresh connection when a pooled one is found closed; real retries,
    // with backoff, are the outbox's.
    maxRequeues: 1,
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    requireTLS: smtp.requireTLS,
    auth: smtp.auth,
    tls,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    // Before the socket timeout, so an idle connection is closed with a QUIT, not cut as an error.
    idleTimeout: Math.floor(timeoutMs / 2),
    // No transport logger: at debug it writes the whole SMTP session, addresses and text.
    logger: false,
  });

  return {
    async send(message) {
      if (!isMailAddress(message.to)) throw new MailRefused('recipient', 'Not a single email address');
      try {
        const info = await transport.sendMail({
          from: sender,
          to: { name: '', address: message.to },
          subject: message.subject,
          text: message.text,
          html: message.html,
          headers: message.headers,
          messageId: message.id ? `<${message.id}@${domain}>` : undefined,
          // Nothing in a message is fetched from a file or a URL by nodemailer.
          disableFileAccess: true,
          disableUrlAccess: true,
        });
        return { messageId: info.messageId, response: info.response };
      } catch (error) {
        const refused = toMailRefused(error);
        const fields = { kind: refused.kind, responseCode: refused.responseCode, command: refused.command };
        // The site's settings are wrong: every message will fail until someone fixes them.
        if (refused.kind === 'setup') logger.error(fields, `mail not sent: ${refused.message}`);
        else logger.warn(fields, `mail not sent: ${refused.message}`);
        throw refused;
      }
    },
    async verify() {
      try {
        await transport.verify();
      } catch (error) {
        throw toMailRefused(error);
      }
    },
    close() {
      transport.close();
    },
  };
}

type NodemailerError = Error & { code?: string; responseCode?: number; command?: string; response?: string };

/** The failure as the outbox sees it; its message quotes the server with addresses taken out. */
export function toMailRefused(error: unknown): MailRefused {
  if (error instanceof MailRefused) return error;
  const { code, responseCode, command, response } = (error ?? {}) as NodemailerError;
  const answer = response ? `: ${redactAddresses(response).slice(0, 300)}` : '';
  const details = { responseCode, command, cause: error };
  if (code === 'ETIMEDOUT') return new MailRefused('timeout', 'The SMTP server did not answer in time', details);
  if (responseCode !== undefined && responseCode >= 400) {
    // 503 is "bad sequence of commands": the session's state, not the message (nodemailer agrees).
    if (responseCode < 500 || responseCode === 503) {
      return new MailRefused('deferred', `The SMTP server asked to try later${answer}`, details);
    }
    if (command === 'RCPT TO') return new MailRefused('recipient', `The SMTP server refused the address${answer}`, details);
    if (command === 'DATA') return new MailRefused('message', `The SMTP server refused the message${answer}`, details);
    return new MailRefused('setup', `The SMTP server refused ${command ?? 'us'}${answer}`, details);
  }
  if (code === 'EAUTH' || code === 'ENOAUTH' || code === 'EREQUIRETLS' || code === 'ECONFIG') {
    return new MailRefused('setup', `SMTP settings: ${redactAddresses(messageOf(error))}`, details);
  }
  // Too large for the size the server announced: no answer code, but no later try will fit either.
  if (code === 'EMESSAGE') return new MailRefused('message', redactAddresses(messageOf(error)), details);
  return new MailRefused('connection', `SMTP connection failed: ${redactAddresses(messageOf(error))}`, details);
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Servers quote the address they refuse; the log keeps no email (logger.ts). */
const redactAddresses = (text: string) => text.replace(/[^\s<>"'@]+@[^\s<>"']+/g, '<address>');
