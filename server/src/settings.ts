// Every setting of the server in one table: its environment variable, its command-line flag, its
// default and what it means. The command line's help, the parser and the README come from here.
//
//   const settings = readSettings({ ...process.env, ...flagsAsEnv(args) }, { defaultDataDir });
//   riskySettings(settings); // the warnings a site owner must see at start
import { resolve } from 'node:path';
import { readMailFrom, readSmtpUrl } from './mail.js';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
export const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** off: publish at once; pre: hold every comment; first: hold until one of the commenter's is approved. */
export type Moderation = 'off' | 'pre' | 'first';
export const MODERATIONS: readonly Moderation[] = ['off', 'pre', 'first'];

export interface Settings {
  port: number;
  host: string;
  /** PGlite's data lives in `dataDir/pgdata`; unused with `databaseUrl`. */
  dataDir: string;
  databaseUrl: string | undefined;
  adminToken: string | undefined;
  moderation: Moderation;
  /** A body with more http(s) URLs than this is held as pending. */
  maxLinks: number;
  /** A file of words and /regexes/ that hold (or, with "!", refuse) a comment; see blocklist.ts. */
  blocklist: string | undefined;
  /** A comment sent sooner than this after its form opened is held. */
  minComposeSeconds: number;
  akismetKey: string | undefined;
  akismetUrl: string | undefined;
  /** Distinct readers whose reports send a published comment back to pending; 0: never. */
  reportsToHold: number;
  /** The server's own address as browsers reach it (https://comments.example.com). */
  publicUrl: string | undefined;
  editWindowMs: number;
  /** `burst` 0: no limit. */
  rateLimit: { burst: number; perMinute: number };
  allowedOrigins: '*' | string[];
  trustProxy: boolean;
  maxStreamsPerClient: number;
  logLevel: LogLevel;
  /** A JSON line per request at info; off when the proxy in front keeps an access log already. */
  logRequests: boolean;
  /** A second port that serves only /metrics, without the admin token. */
  metricsPort: number | undefined;
  /** Where the widget's built files are; unset: the copy shipped in this package. */
  widgetDir: string | undefined;
  /** The HS256 secret the host site signs Confab-User tokens with (sso.ts); unset: no sign-in. */
  ssoSecret: string | undefined;
  /** The secret before a rotation, still accepted for readers' tokens (not moderators'). */
  ssoSecretPrevious: string | undefined;
  /** false (GUESTS=off): only signed-in users may post. */
  guests: boolean;
  /** Where each comment event is POSTed (webhooks.ts); empty: no webhooks. */
  webhookUrls: string[];
  /** The HMAC-SHA256 key of the webhooks' Confab-Signature; set whenever webhookUrls is not empty. */
  webhookSecret: string | undefined;
  /** Where emails go out (mail.ts: smtp:// with STARTTLS, smtps://); unset: no email at all. */
  smtpUrl: string | undefined;
  /** The emails' From (`Name <address>` or an address); set whenever smtpUrl is. */
  mailFrom: string | undefined;
}

export interface SettingSpec {
  env: string;
  flag: string;
  /** As shown in the help; '' for "unset". */
  default: string;
  help: string;
}

export const DEFAULTS = {
  port: 4173,
  host: '127.0.0.1',
  editWindowMinutes: 15,
  maxLinks: 2,
  minComposeSeconds: 3,
  reportsToHold: 3,
  rateLimit: { burst: 20, perMinute: 10 },
  maxStreamsPerClient: 50,
  logLevel: 'info' as LogLevel,
};

/** Admin tokens shorter than this are refused: they could be guessed. */
const MIN_ADMIN_TOKEN_LENGTH = 24;
/** HS256 wants a key at least as long as its hash: 32 bytes. */
export const MIN_SSO_SECRET_BYTES = 32;
/** The webhooks' HMAC-SHA256 key, likewise. */
export const MIN_WEBHOOK_SECRET_BYTES = 32;

export const SETTINGS: readonly SettingSpec[] = [
  { env: 'PORT', flag: 'port', default: String(DEFAULTS.port), help: 'port to listen on (0: any free port)' },
  {
    env: 'HOST',
    flag: 'host',
    default: DEFAULTS.host,
    help: 'address to listen on; 0.0.0.0 or :: to be reachable from other machines',
  },
  {
    env: 'DATABASE_URL',
    flag: 'database-url',
    default: '',
    help: 'postgres://user:password@host:5432/db; unset: embedded PGlite in DATA_DIR',
  },
  {
    env: 'DATA_DIR',
    flag: 'data-dir',
    default: './confab-data',
    help: "PGlite's data folder (DATA_DIR/pgdata); ignored with DATABASE_URL",
  },
  {
    env: 'ADMIN_TOKEN',
    flag: 'admin-token',
    default: '',
    help: `at least ${MIN_ADMIN_TOKEN_LENGTH} characters; "Authorization: Bearer <token>" moderates and reads /metrics (prefer the environment: a flag shows in ps)`,
  },
  {
    env: 'MODERATION',
    flag: 'moderation',
    default: 'off',
    help: "pre: new comments wait for approval; first: a commenter's comments wait until one of theirs is approved",
  },
  {
    env: 'MAX_LINKS',
    flag: 'max-links',
    default: String(DEFAULTS.maxLinks),
    help: 'a comment with more http(s) links than this waits for approval (0: any link)',
  },
  {
    env: 'BLOCKLIST',
    flag: 'blocklist',
    default: '',
    help: 'a file, one word or /regex/ per line: a matching comment waits for approval; a line starting with ! refuses it',
  },
  {
    env: 'MIN_COMPOSE_SECONDS',
    flag: 'min-compose-seconds',
    default: String(DEFAULTS.minComposeSeconds),
    help: 'a comment sent sooner than this after its form opened (as the widget measures) waits for approval; 0: off',
  },
  {
    env: 'AKISMET_KEY',
    flag: 'akismet-key',
    default: '',
    help: 'an Akismet API key: every new comment is checked; spam goes to Spam, a failed check (2 s) waits for approval',
  },
  {
    env: 'AKISMET_URL',
    flag: 'akismet-url',
    default: 'https://rest.akismet.com',
    help: "Akismet's address (another service speaking its API)",
  },
  {
    env: 'REPORTS_TO_HOLD',
    flag: 'reports-to-hold',
    default: String(DEFAULTS.reportsToHold),
    help: 'readers whose reports send a published comment back to pending until a moderator decides; 0: never',
  },
  {
    env: 'PUBLIC_URL',
    flag: 'public-url',
    default: '',
    help: "this server's address as browsers reach it (https://comments.example.com): invitation links, Secure cookies",
  },
  {
    env: 'EDIT_WINDOW_MINUTES',
    flag: 'edit-window-minutes',
    default: String(DEFAULTS.editWindowMinutes),
    help: 'how long authors may edit or delete their comment',
  },
  {
    env: 'RATE_LIMIT_BURST',
    flag: 'rate-limit-burst',
    default: String(DEFAULTS.rateLimit.burst),
    help: 'changes a client address may make at once; 0 turns the limit off',
  },
  {
    env: 'RATE_LIMIT_PER_MINUTE',
    flag: 'rate-limit-per-minute',
    default: String(DEFAULTS.rateLimit.perMinute),
    help: "how fast a client's allowance refills",
  },
  {
    env: 'ALLOWED_ORIGINS',
    flag: 'allowed-origins',
    default: '',
    help: 'comma-separated origins of the sites embedding the widget (https://blog.example.com); * for any; unset: own host only',
  },
  {
    env: 'TRUST_PROXY',
    flag: 'trust-proxy',
    default: '0',
    help: '1 behind a reverse proxy: the client address is the last one in X-Forwarded-For',
  },
  {
    env: 'MAX_STREAMS_PER_CLIENT',
    flag: 'max-streams-per-client',
    default: String(DEFAULTS.maxStreamsPerClient),
    help: 'open event streams per client address (an IPv6 /64 is one) before 429; 0: no cap',
  },
  {
    env: 'LOG_LEVEL',
    flag: 'log-level',
    default: DEFAULTS.logLevel,
    help: `${LOG_LEVELS.join(', ')}; info logs one JSON line per request`,
  },
  {
    env: 'LOG_REQUESTS',
    flag: 'log-requests',
    default: 'on',
    help: "off: no line per request (the proxy's access log has them); other info lines stay",
  },
  {
    env: 'METRICS_PORT',
    flag: 'metrics-port',
    default: '',
    help: 'serve /metrics (Prometheus) on this port too, without the admin token; keep it private',
  },
  {
    env: 'WIDGET_DIR',
    flag: 'widget-dir',
    default: '',
    help: 'folder with confab.iife.js and locales/ to serve; unset: the widget shipped with this server',
  },
  {
    env: 'SSO_SECRET',
    flag: 'sso-secret',
    default: '',
    help: `at least ${MIN_SSO_SECRET_BYTES} bytes, shared with the host site, which signs its users' Confab-User tokens (HS256) with it; unset: no sign-in`,
  },
  {
    env: 'SSO_SECRET_PREVIOUS',
    flag: 'sso-secret-previous',
    default: '',
    help: "the secret before a rotation: readers' tokens signed with it still pass (moderators' do not)",
  },
  {
    env: 'GUESTS',
    flag: 'guests',
    default: 'on',
    help: 'off: only users signed in on the host site (SSO_SECRET) may comment',
  },
  {
    env: 'WEBHOOK_URL',
    flag: 'webhook-url',
    default: '',
    help: 'one or more http(s) URLs, comma-separated: each gets a signed POST for every comment created, updated, deleted, held or reported',
  },
  {
    env: 'WEBHOOK_SECRET',
    flag: 'webhook-secret',
    default: '',
    help: `at least ${MIN_WEBHOOK_SECRET_BYTES} bytes, required with WEBHOOK_URL: receivers check each delivery's Confab-Signature with it`,
  },
  {
    env: 'SMTP_URL',
    flag: 'smtp-url',
    default: '',
    help: 'the mail server for reply emails: smtp://user:pass@host:587 (STARTTLS) or smtps://user:pass@host:465; needs MAIL_FROM and PUBLIC_URL; unset: no email',
  },
  {
    env: 'MAIL_FROM',
    flag: 'mail-from',
    default: '',
    help: 'the emails\' sender, as "Name <address>" or an address, required with SMTP_URL',
  },
];

/**
 * The settings from `values`, keyed by environment variable name; empty means unset.
 * Throws an Error naming the variable on a bad value.
 */
export function readSettings(
  values: Record<string, string | undefined>,
  { defaultDataDir }: { defaultDataDir: string },
): Settings {
  const text = (name: string) => (values[name] === undefined || values[name] === '' ? undefined : values[name]);
  const adminToken = text('ADMIN_TOKEN');
  if (adminToken && adminToken.length < MIN_ADMIN_TOKEN_LENGTH) {
    throw new Error(`ADMIN_TOKEN must be at least ${MIN_ADMIN_TOKEN_LENGTH} characters (try: openssl rand -hex 32)`);
  }
  const databaseUrl = text('DATABASE_URL');
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new Error('DATABASE_URL must start with postgres:// or postgresql://');
  }
  const rateLimit = {
    burst: readNumber(text('RATE_LIMIT_BURST'), 'RATE_LIMIT_BURST', DEFAULTS.rateLimit.burst),
    perMinute: readNumber(text('RATE_LIMIT_PER_MINUTE'), 'RATE_LIMIT_PER_MINUTE', DEFAULTS.rateLimit.perMinute, undefined, {
      fractional: true,
    }),
  };
  if (rateLimit.burst > 0 && rateLimit.perMinute === 0) {
    throw new Error('RATE_LIMIT_PER_MINUTE must be above 0 (RATE_LIMIT_BURST=0 turns the limit off)');
  }
  const metricsPort = text('METRICS_PORT');
  const widgetDir = text('WIDGET_DIR');
  const blocklist = text('BLOCKLIST');
  const publicUrl = readHttpUrl(text('PUBLIC_URL'), 'PUBLIC_URL');
  const ssoSecret = readSsoSecret(text('SSO_SECRET'), 'SSO_SECRET');
  const ssoSecretPrevious = readSsoSecret(text('SSO_SECRET_PREVIOUS'), 'SSO_SECRET_PREVIOUS');
  if (ssoSecretPrevious !== undefined && ssoSecret === undefined) {
    throw new Error('SSO_SECRET_PREVIOUS needs SSO_SECRET (the current secret) as well');
  }
  const guests = readChoice(text('GUESTS'), 'GUESTS', ['on', 'off'] as const, 'on') === 'on';
  if (!guests && ssoSecret === undefined) {
    throw new Error('GUESTS=off needs SSO_SECRET: without sign-in nobody could comment');
  }
  const webhookUrls = readWebhookUrls(text('WEBHOOK_URL'));
  const webhookSecret = text('WEBHOOK_SECRET');
  if (webhookUrls.length > 0 && webhookSecret === undefined) {
    throw new Error(
      'WEBHOOK_SECRET is required with WEBHOOK_URL: every delivery is signed with it, and receivers check the signature ' +
        '(try: openssl rand -hex 32)',
    );
  }
  if (webhookSecret !== undefined && Buffer.byteLength(webhookSecret, 'utf8') < MIN_WEBHOOK_SECRET_BYTES) {
    throw new Error(`WEBHOOK_SECRET must be at least ${MIN_WEBHOOK_SECRET_BYTES} bytes (try: openssl rand -hex 32)`);
  }
  const smtpUrl = text('SMTP_URL');
  const mailFrom = text('MAIL_FROM');
  if (smtpUrl !== undefined) {
    readSmtpUrl(smtpUrl, 'SMTP_URL');
    if (mailFrom === undefined) throw new Error('MAIL_FROM is required with SMTP_URL: the address the emails come from');
    // The emails' links (confirm, stop) point at this server: without its public address there are none.
    if (publicUrl === undefined) throw new Error('SMTP_URL needs PUBLIC_URL: the links in the emails start with it');
  }
  if (mailFrom !== undefined) readMailFrom(mailFrom, 'MAIL_FROM');
  return {
    port: readNumber(text('PORT'), 'PORT', DEFAULTS.port, 65_535),
    host: text('HOST') ?? DEFAULTS.host,
    dataDir: resolve(text('DATA_DIR') ?? defaultDataDir),
    databaseUrl,
    adminToken,
    moderation: readChoice(text('MODERATION'), 'MODERATION', MODERATIONS, 'off'),
    maxLinks: readNumber(text('MAX_LINKS'), 'MAX_LINKS', DEFAULTS.maxLinks),
    blocklist: blocklist === undefined ? undefined : resolve(blocklist),
    minComposeSeconds: readNumber(text('MIN_COMPOSE_SECONDS'), 'MIN_COMPOSE_SECONDS', DEFAULTS.minComposeSeconds, 3600, {
      fractional: true,
    }),
    akismetKey: text('AKISMET_KEY'),
    akismetUrl: readHttpUrl(text('AKISMET_URL'), 'AKISMET_URL'),
    reportsToHold: readNumber(text('REPORTS_TO_HOLD'), 'REPORTS_TO_HOLD', DEFAULTS.reportsToHold),
    publicUrl,
    editWindowMs:
      readNumber(text('EDIT_WINDOW_MINUTES'), 'EDIT_WINDOW_MINUTES', DEFAULTS.editWindowMinutes, undefined, {
        fractional: true,
      }) * 60_000,
    rateLimit,
    allowedOrigins: readOrigins(text('ALLOWED_ORIGINS')),
    trustProxy: readChoice(text('TRUST_PROXY'), 'TRUST_PROXY', ['0', '1'] as const, '0') === '1',
    maxStreamsPerClient: readNumber(text('MAX_STREAMS_PER_CLIENT'), 'MAX_STREAMS_PER_CLIENT', DEFAULTS.maxStreamsPerClient),
    logLevel: readChoice(text('LOG_LEVEL'), 'LOG_LEVEL', LOG_LEVELS, DEFAULTS.logLevel),
    logRequests: readChoice(text('LOG_REQUESTS'), 'LOG_REQUESTS', ['on', 'off'] as const, 'on') === 'on',
    metricsPort: metricsPort === undefined ? undefined : readNumber(metricsPort, 'METRICS_PORT', 0, 65_535),
    widgetDir: widgetDir === undefined ? undefined : resolve(widgetDir),
    ssoSecret,
    ssoSecretPrevious,
    guests,
    webhookUrls,
    webhookSecret,
    smtpUrl,
    mailFrom,
  };
}

/** WEBHOOK_URL: comma-separated http(s) URLs, each once; unset: none. */
function readWebhookUrls(text: string | undefined): string[] {
  const urls = (text ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)
    .map((item) => {
      const url = parseHttpUrl(item);
      if (!url) throw new Error(`WEBHOOK_URL: "${item}" is not an http:// or https:// URL`);
      return url.href;
    });
  return [...new Set(urls)];
}

/** A shared HMAC secret: at least MIN_SSO_SECRET_BYTES bytes (UTF-8), or unset. */
function readSsoSecret(text: string | undefined, name: string): string | undefined {
  if (text !== undefined && Buffer.byteLength(text, 'utf8') < MIN_SSO_SECRET_BYTES) {
    throw new Error(`${name} must be at least ${MIN_SSO_SECRET_BYTES} bytes (try: openssl rand -hex 32)`);
  }
  return text;
}

/**
 * One line for each setting that is risky in production, so that a site owner sees it at start.
 */
export function riskySettings(settings: Settings): string[] {
  const lines: string[] = [];
  if (!settings.adminToken) {
    lines.push('ADMIN_TOKEN is not set: nobody can moderate or read /metrics (set one: openssl rand -hex 32)');
  }
  if (settings.allowedOrigins === '*') {
    lines.push("ALLOWED_ORIGINS=*: any web page can post through its visitors' browsers; list your sites instead");
  }
  if (settings.trustProxy && !isLoopback(settings.host)) {
    lines.push(
      `TRUST_PROXY=1 while listening on ${settings.host}: a client that reaches the server directly can pick its own ` +
        'address (rate limits, stream caps); listen on 127.0.0.1 behind the proxy',
    );
  }
  if (settings.metricsPort !== undefined && !isLoopback(settings.host)) {
    lines.push(
      `METRICS_PORT=${settings.metricsPort} while listening on ${settings.host}: /metrics answers anyone there ` +
        'without the admin token; keep that port behind a firewall',
    );
  }
  for (const url of settings.webhookUrls) {
    const { protocol, hostname } = new URL(url);
    if (protocol === 'http:' && !isLoopback(hostname)) {
      lines.push(
        `WEBHOOK_URL ${new URL(url).origin} is not https: its deliveries (held comments included) cross the network ` +
          'unencrypted; use https',
      );
    }
  }
  if (!settings.databaseUrl) {
    lines.push(
      `PGlite in ${settings.dataDir}: a comment survives the process dying, but a power cut or kernel crash can lose ` +
        'the last seconds of writes (no fsync); use DATABASE_URL=postgres://… where that matters',
    );
  }
  return lines;
}

export const isLoopback = (host: string) =>
  host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);

/** A non-negative number (a whole one unless `fractional`); unset means the default. */
function readNumber(
  text: string | undefined,
  name: string,
  fallback: number,
  max = Number.MAX_SAFE_INTEGER,
  { fractional = false } = {},
): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0 || value > max || (!fractional && !Number.isInteger(value))) {
    throw new Error(`${name} must be a ${fractional ? 'number' : 'whole number'} from 0 to ${max}, not "${text}"`);
  }
  return value;
}

/** An http(s) URL without a trailing slash; unset stays unset. */
function readHttpUrl(text: string | undefined, name: string): string | undefined {
  if (text === undefined) return undefined;
  if (!parseHttpUrl(text)) throw new Error(`${name} must be an http:// or https:// address, not "${text}"`);
  return text.replace(/\/+$/, '');
}

/** `text` as an http(s) URL, or null. */
function parseHttpUrl(text: string): URL | null {
  let url;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? url : null;
}

function readChoice<T extends string>(text: string | undefined, name: string, choices: readonly T[], fallback: T): T {
  if (text === undefined) return fallback;
  if (!choices.includes(text as T)) throw new Error(`${name} must be one of ${choices.join(', ')}, not "${text}"`);
  return text as T;
}

/**
 * `*`, or a comma-separated list of origins such as `https://blog.example.com`. Unset means
 * none besides the server's own host.
 */
function readOrigins(text: string | undefined): '*' | string[] {
  if (text?.trim() === '*') return '*';
  return (text ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)
    .map((item) => {
      let origin;
      try {
        origin = new URL(item).origin;
      } catch {
        origin = 'null';
      }
      if (origin === 'null' || origin !== item.replace(/\/$/, '')) {
        throw new Error(`ALLOWED_ORIGINS: "${item}" is not an origin like https://blog.example.com`);
      }
      return origin;
    });
}
