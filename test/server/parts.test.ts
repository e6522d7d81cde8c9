// @vitest-environment node
// The server's parts on their own: settings from the environment, the token bucket, the page
// cache's race with changes, sealed tokens, event payloads, and migrations.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { SETTINGS, readSettings, riskySettings } from '../../server/src/settings.js';
import { openDatabase } from '../../server/src/database.js';
import { eventPayload } from '../../server/src/events.js';
import { MIGRATIONS, migrate } from '../../server/src/migrations.js';
import { parseBlocklist } from '../../server/src/blocklist.js';
import { createMetrics } from '../../server/src/metrics.js';
import { createPageCache } from '../../server/src/page-cache.js';
import { clientKey, createRateLimiter } from '../../server/src/rate-limit.js';
import { hashSecret, newEditToken, openReplay, sealForReplay, secretMatches } from '../../server/src/tokens.js';

describe('readSettings', () => {
  const read = (env: Record<string, string>) => readSettings(env, { defaultDataDir: '/srv/data' });

  it('has safe defaults', () => {
    expect(read({})).toEqual({
      port: 4173,
      host: '127.0.0.1',
      dataDir: '/srv/data',
      databaseUrl: undefined,
      editWindowMs: 15 * 60_000,
      adminToken: undefined,
      moderation: 'off',
      maxLinks: 2,
      blocklist: undefined,
      minComposeSeconds: 3,
      akismetKey: undefined,
      akismetUrl: undefined,
      reportsToHold: 3,
      publicUrl: undefined,
      rateLimit: { burst: 20, perMinute: 10 },
      allowedOrigins: [],
      trustProxy: false,
      maxStreamsPerClient: 50,
      logLevel: 'info',
      logRequests: true,
      metricsPort: undefined,
      widgetDir: undefined,
      ssoSecret: undefined,
      ssoSecretPrevious: undefined,
      guests: true,
      webhookUrls: [],
      webhookSecret: undefined,
    });
  });

  it('reads every setting', () => {
    const config = read({
      PORT: '0',
      HOST: '0.0.0.0',
      DATA_DIR: '/var/lib/confab',
      DATABASE_URL: 'postgres://confab@db/confab',
      EDIT_WINDOW_MINUTES: '5',
      ADMIN_TOKEN: 'a'.repeat(32),
      MODERATION: 'first',
      MAX_LINKS: '0',
      BLOCKLIST: '/etc/confab/blocklist.txt',
      MIN_COMPOSE_SECONDS: '1.5',
      AKISMET_KEY: 'abc123',
      AKISMET_URL: 'http://127.0.0.1:9000/',
      REPORTS_TO_HOLD: '0',
      PUBLIC_URL: 'https://comments.example.com/',
      RATE_LIMIT_BURST: '0',
      RATE_LIMIT_PER_MINUTE: '30',
      ALLOWED_ORIGINS: 'https://blog.example.com, https://www.example.com/',
      TRUST_PROXY: '1',
      MAX_STREAMS_PER_CLIENT: '0',
      LOG_LEVEL: 'debug',
      LOG_REQUESTS: 'off',
      METRICS_PORT: '9464',
      WIDGET_DIR: '/opt/widget',
      SSO_SECRET: 's'.repeat(32),
      SSO_SECRET_PREVIOUS: 'p'.repeat(40),
      GUESTS: 'off',
      WEBHOOK_URL: 'https://hooks.example.com/confab',
      WEBHOOK_SECRET: 'w'.repeat(32),
    });
    expect(config).toEqual({
      port: 0,
      host: '0.0.0.0',
      dataDir: '/var/lib/confab',
      databaseUrl: 'postgres://confab@db/confab',
      editWindowMs: 5 * 60_000,
      adminToken: 'a'.repeat(32),
      moderation: 'first',
      maxLinks: 0,
      blocklist: '/etc/confab/blocklist.txt',
      minComposeSeconds: 1.5,
      akismetKey: 'abc123',
      akismetUrl: 'http://127.0.0.1:9000',
      reportsToHold: 0,
      publicUrl: 'https://comments.example.com',
      rateLimit: { burst: 0, perMinute: 30 },
      allowedOrigins: ['https://blog.example.com', 'https://www.example.com'],
      trustProxy: true,
      maxStreamsPerClient: 0,
      logLevel: 'debug',
      logRequests: false,
      metricsPort: 9464,
      widgetDir: '/opt/widget',
      ssoSecret: 's'.repeat(32),
      ssoSecretPrevious: 'p'.repeat(40),
      guests: false,
      webhookUrls: ['https://hooks.example.com/confab'],
      webhookSecret: 'w'.repeat(32),
    });
    expect(read({ ALLOWED_ORIGINS: '*' }).allowedOrigins).toBe('*');
  });

  it.each([
    [{ PORT: '70000' }, /PORT/],
    [{ EDIT_WINDOW_MINUTES: 'soon' }, /EDIT_WINDOW_MINUTES/],
    [{ ADMIN_TOKEN: 'short' }, /at least 24/],
    [{ MODERATION: 'post' }, /MODERATION must be one of off, pre, first/],
    [{ MAX_LINKS: '-1' }, /MAX_LINKS must be a whole number/],
    [{ DATABASE_URL: 'mysql://x' }, /postgres:\/\//],
    [{ ALLOWED_ORIGINS: 'blog.example.com' }, /not an origin/],
    [{ ALLOWED_ORIGINS: 'https://blog.example.com/path' }, /not an origin/],
    [{ RATE_LIMIT_PER_MINUTE: '0' }, /RATE_LIMIT_BURST=0/],
    [{ LOG_LEVEL: 'verbose' }, /LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent/],
    [{ METRICS_PORT: '-1' }, /METRICS_PORT/],
    [{ LOG_REQUESTS: 'no' }, /LOG_REQUESTS must be one of on, off/],
    [{ MAX_STREAMS_PER_CLIENT: 'many' }, /MAX_STREAMS_PER_CLIENT/],
    [{ PORT: '80.5' }, /PORT must be a whole number/],
    [{ RATE_LIMIT_BURST: '0.5' }, /RATE_LIMIT_BURST must be a whole number/],
    [{ PUBLIC_URL: 'comments.example.com' }, /PUBLIC_URL must be an http/],
    [{ AKISMET_URL: 'ftp://x' }, /AKISMET_URL must be an http/],
    [{ REPORTS_TO_HOLD: 'three' }, /REPORTS_TO_HOLD must be a whole number/],
    [{ MIN_COMPOSE_SECONDS: '-1' }, /MIN_COMPOSE_SECONDS/],
    [{ SSO_SECRET: 'too-short-a-secret' }, /SSO_SECRET must be at least 32 bytes/],
    // 31 bytes: what counts is bytes, not characters.
    [{ SSO_SECRET: 'é'.repeat(15) + 'x' }, /SSO_SECRET must be at least 32 bytes/],
    [{ SSO_SECRET: 's'.repeat(32), SSO_SECRET_PREVIOUS: 'short' }, /SSO_SECRET_PREVIOUS must be at least 32 bytes/],
    [{ SSO_SECRET_PREVIOUS: 'p'.repeat(32) }, /SSO_SECRET_PREVIOUS needs SSO_SECRET/],
    [{ GUESTS: 'no' }, /GUESTS must be one of on, off/],
    [{ GUESTS: 'off' }, /GUESTS=off needs SSO_SECRET/],
  ])('refuses %o', (env, message) => {
    expect(() => read(env)).toThrow(message);
  });

  it('are each documented in the server README with their default', () => {
    const readme = readFileSync(new URL('../../server/README.md', import.meta.url), 'utf8');
    for (const setting of SETTINGS) {
      const row = readme.split('\n').find((line) => line.startsWith(`| \`${setting.env}\` |`));
      expect(row, setting.env).toBeDefined();
      if (setting.default) expect(row, setting.env).toContain(`\`${setting.default}\``);
    }
  });

  it('names each risky setting in one line, and none for a careful set-up', () => {
    const careful = read({
      ADMIN_TOKEN: 'a'.repeat(32),
      ALLOWED_ORIGINS: 'https://blog.example.com',
      DATABASE_URL: 'postgres://confab@db/confab',
      TRUST_PROXY: '1',
    });
    expect(riskySettings(careful)).toEqual([]);
    const risky = riskySettings(read({ ALLOWED_ORIGINS: '*', TRUST_PROXY: '1', HOST: '0.0.0.0', METRICS_PORT: '9464' }));
    expect(risky).toHaveLength(5);
    expect(risky[0]).toMatch(/^ADMIN_TOKEN is not set/);
    expect(risky[1]).toMatch(/^ALLOWED_ORIGINS=\*/);
    expect(risky[2]).toMatch(/^TRUST_PROXY=1 while listening on 0\.0\.0\.0/);
    expect(risky[3]).toMatch(/^METRICS_PORT=9464 while listening on 0\.0\.0\.0: .*without the admin token/);
    expect(risky[4]).toMatch(/^PGlite in \/srv\/data: .*power cut/);
  });
});

describe('rate limiter', () => {
  it('allows a burst, then one change per refill interval, with a Retry-After that works', () => {
    let time = 0;
    const limiter = createRateLimiter({ burst: 2, perMinute: 4, now: () => time });
    expect([limiter.take('a'), limiter.take('a')]).toEqual([0, 0]);
    expect(limiter.take('a')).toBe(15);
    expect(limiter.take('b')).toBe(0);
    time += 10_000;
    expect(limiter.take('a')).toBe(5); // refused attempts do not push the wait further out
    time += 5_000;
    expect(limiter.take('a')).toBe(0);
    limiter.close();
  });

  it('can be turned off', () => {
    const limiter = createRateLimiter({ burst: 0, perMinute: 0 });
    for (let i = 0; i < 100; i++) expect(limiter.take('a')).toBe(0);
    limiter.close();
  });

  it('groups IPv6 addresses by /64 and unwraps IPv4-mapped ones', () => {
    expect(clientKey('198.51.100.4')).toBe('198.51.100.4');
    expect(clientKey('::ffff:198.51.100.4')).toBe('198.51.100.4');
    expect(clientKey('2001:db8:0:1::5')).toBe('2001:db8:0:1::/64');
    expect(clientKey('2001:0DB8:0000:0001:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:0:1::/64');
    expect(clientKey('::1')).toBe('0:0:0:0::/64');
  });
});

describe('page cache', () => {
  const page = (text: string) => Buffer.from(text);

  it('renders a page once, sharing it with requests that come meanwhile', async () => {
    const cache = createPageCache();
    let renders = 0;
    const render = async () => {
      renders += 1;
      await new Promise((resolve) => setTimeout(resolve, 10));
      return page('one');
    };
    const pages = await Promise.all([cache.get('t', 'k', render), cache.get('t', 'k', render)]);
    expect(pages.map(String)).toEqual(['one', 'one']);
    expect(String(await cache.get('t', 'k', render))).toBe('one');
    expect(renders).toBe(1);
  });

  it('never keeps a page rendered from data older than a change', async () => {
    const cache = createPageCache();
    let release: () => void = () => {};
    const slow = cache.get(
      't',
      'k',
      () =>
        new Promise((resolve) => {
          release = () => resolve(page('before the change'));
        }),
    );
    cache.drop('t');
    release();
    expect(String(await slow)).toBe('before the change');
    expect(String(await cache.get('t', 'k', async () => page('after the change')))).toBe('after the change');
  });

  it('forgets the oldest threads beyond its size, and keeps nothing while disabled', async () => {
    const cache = createPageCache({ maxPages: 2 });
    for (const thread of ['a', 'b', 'c']) await cache.get(thread, 'k', async () => page(thread));
    expect(String(await cache.get('a', 'k', async () => page('a again')))).toBe('a again');
    expect(String(await cache.get('c', 'k', async () => page('c again')))).toBe('c');

    cache.setEnabled(false);
    await cache.get('x', 'k', async () => page('x'));
    expect(String(await cache.get('x', 'k', async () => page('x again')))).toBe('x again');
  });

  it('lets a failed render be tried again', async () => {
    const cache = createPageCache();
    await expect(cache.get('t', 'k', async () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(String(await cache.get('t', 'k', async () => page('up')))).toBe('up');
  });

  it('keeps counts, loads only the missing ones in one call, and drops a count with its thread', async () => {
    const cache = createPageCache();
    const loads: string[][] = [];
    const database: Record<string, number> = { a: 1, b: 2, c: 3 };
    const load = async (ids: string[]) => {
      loads.push(ids);
      return Object.fromEntries(ids.filter((id) => id in database).map((id) => [id, database[id]!]));
    };
    expect(await cache.counts(['a', 'b'], load)).toEqual({ a: 1, b: 2 });
    database.a = 10;
    expect(await cache.counts(['b', 'a', 'c', 'nobody'], load)).toEqual({ b: 2, a: 1, c: 3, nobody: 0 });
    cache.drop('a');
    expect(await cache.counts(['a', 'b'], load)).toEqual({ a: 10, b: 2 });
    expect(loads).toEqual([['a', 'b'], ['c', 'nobody'], ['a']]);
  });

  it('never keeps a count read before a change', async () => {
    const cache = createPageCache();
    let release: () => void = () => {};
    const slow = cache.counts(
      ['t'],
      () =>
        new Promise((resolve) => {
          release = () => resolve({ t: 1 });
        }),
    );
    cache.drop('t');
    release();
    expect(await slow).toEqual({ t: 1 });
    expect(await cache.counts(['t'], async () => ({ t: 2 }))).toEqual({ t: 2 });
  });

  it('keeps a counts answer while its threads keep their counts, and makes it again after a change', async () => {
    const cache = createPageCache();
    let reads = 0;
    const readIds = () => {
      reads += 1;
      return ['a', 'b'];
    };
    const database: Record<string, number> = { a: 1, b: 2 };
    const load = async (ids: string[]) => Object.fromEntries(ids.map((id) => [id, database[id]!]));
    expect(String(await cache.countsAnswer('thread=a&thread=b', readIds, load))).toBe('{"counts":{"a":1,"b":2}}');
    expect(String(await cache.countsAnswer('thread=a&thread=b', readIds, load))).toBe('{"counts":{"a":1,"b":2}}');
    expect(reads).toBe(1);
    database.b = 3;
    cache.drop('b');
    expect(String(await cache.countsAnswer('thread=a&thread=b', readIds, load))).toBe('{"counts":{"a":1,"b":3}}');
    expect(reads).toBe(2);
    await expect(
      cache.countsAnswer(
        'bad',
        () => {
          throw new Error('400');
        },
        load,
      ),
    ).rejects.toThrow('400');
  });

  it('never keeps a counts answer made across a change', async () => {
    const cache = createPageCache();
    let release: () => void = () => {};
    const slow = cache.countsAnswer(
      'q',
      () => ['t'],
      () =>
        new Promise((resolve) => {
          release = () => resolve({ t: 1 });
        }),
    );
    cache.drop('t');
    // Another request reads the count after the change and keeps it.
    expect(
      String(
        await cache.countsAnswer(
          'other',
          () => ['t'],
          async () => ({ t: 2 }),
        ),
      ),
    ).toBe('{"counts":{"t":2}}');
    release();
    expect(String(await slow)).toBe('{"counts":{"t":1}}');
    expect(
      String(
        await cache.countsAnswer(
          'q',
          () => ['t'],
          async () => ({ t: 3 }),
        ),
      ),
    ).toBe('{"counts":{"t":2}}');
  });

  it('counts kept counts toward its size', async () => {
    const cache = createPageCache({ maxPages: 2 });
    await cache.counts(['a', 'b', 'c'], async () => ({ a: 1, b: 1, c: 1 }));
    expect(await cache.counts(['a', 'c'], async (ids) => Object.fromEntries(ids.map((id) => [id, 5])))).toEqual({ a: 5, c: 1 });
  });
});

describe('tokens', () => {
  it('makes 256-bit tokens, matches them only against their own hash', () => {
    const token = newEditToken();
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(newEditToken()).not.toBe(token);
    const hash = hashSecret(token);
    expect(hash).not.toContain(token);
    expect(secretMatches(token, hash)).toBe(true);
    expect(secretMatches(`${token}x`, hash)).toBe(false);
    expect(secretMatches(undefined, hash)).toBe(false);
    expect(secretMatches(token, null)).toBe(false);
  });

  it('seals a token that only the same Idempotency-Key opens', () => {
    const sealed = sealForReplay('the-token', 'key-1');
    expect(sealed).not.toContain('the-token');
    expect(openReplay(sealed, 'key-1')).toBe('the-token');
    expect(openReplay(sealed, 'key-2')).toBeNull();
    expect(openReplay(null, 'key-1')).toBeNull();
  });
});

describe('event payloads', () => {
  const comment = (body: string) => ({
    id: 'c1',
    parentId: null,
    author: { name: '', url: null, avatarUrl: null },
    body,
    createdAt: '2024-01-01T00:00:00.000Z',
    editedAt: null,
    status: 'published' as const,
    score: 0,
  });

  it('carries the comment when it fits in a notification, else only its id', () => {
    expect(JSON.parse(eventPayload('comment.created', 't', comment('short')))).toEqual({
      type: 'comment.created',
      threadId: 't',
      comment: comment('short'),
    });
    const large = eventPayload('comment.updated', 't', comment('€'.repeat(3_000)));
    expect(JSON.parse(large)).toEqual({ type: 'comment.updated', threadId: 't', id: 'c1' });
  });
});

describe('parseBlocklist', () => {
  const { blocklist, problems } = parseBlocklist(
    [
      '# words that hold a comment',
      'casino',
      '  buy   followers ',
      '!free money',
      '/\\bv[i1]agra\\b/i',
      '/unclosed(/',
      '!',
      '',
    ].join('\n'),
  );

  it('reads words, phrases, refusals and regular expressions, and names the lines it skips', () => {
    expect(blocklist.size).toBe(4);
    expect(problems).toEqual([expect.stringMatching(/^line 6: /)]);
  });

  it.each([
    ['Best CASINO in town!', 'hold'],
    ['casinos are not the word', null],
    ['Buy\n followers here', 'hold'],
    ['get FREE   money now', 'refuse'],
    ['casino and free money', 'refuse'],
    ['cheap v1agra', 'hold'],
    ['A comment about the article', null],
    ['Ünicode casino', 'hold'],
    ['kasinocasino', null],
  ])('%j → %s', (body, verdict) => {
    expect(blocklist.check(body)).toBe(verdict);
  });
});

describe('request metrics', () => {
  const route = '/api/threads/:threadId/comments';
  const series = (text: string, name: string) =>
    text
      .split('\n')
      .filter((line) => line.startsWith(`${name}{`) && line.includes(`method="GET",route="${route}"`))
      .map((line) => line.slice(line.lastIndexOf(' ') + 1))
      .map(Number);

  it('exports the latency histogram whole: cumulative buckets, +Inf equal to the count, the sum', async () => {
    const metrics = createMetrics();
    for (const seconds of [0.0004, 0.0005, 0.003, 0.2, 20]) metrics.observeRequest('GET', route, 200, seconds);
    metrics.observeRequest('GET', route, 404, 0.0001);
    metrics.observeRequest('GET', '/api/threads/:threadId/events', 200, 3600);
    const text = await metrics.registry.metrics();

    expect(text).toContain('# TYPE confab_http_request_duration_seconds histogram');
    const buckets = text.split('\n').filter((line) => line.startsWith('confab_http_request_duration_seconds_bucket{'));
    expect(buckets[0]).toBe(`confab_http_request_duration_seconds_bucket{le="0.0005",method="GET",route="${route}"} 3`);
    expect(series(text, 'confab_http_request_duration_seconds_bucket')).toEqual([3, 3, 3, 4, 4, 4, 4, 4, 5, 5, 5, 5, 5, 6]);
    expect(series(text, 'confab_http_request_duration_seconds_count')).toEqual([6]);
    expect(series(text, 'confab_http_request_duration_seconds_sum')[0]).toBeCloseTo(20.204, 9);
    // An event stream's duration is how long a reader stayed, not a latency: counted, not timed.
    expect(text).not.toMatch(/duration_seconds\w*\{[^}]*events/);
    expect(text).toMatch(
      /^confab_http_requests_total\{method="GET",route="\/api\/threads\/:threadId\/events",status="200"\} 1$/m,
    );
    expect(text).toMatch(
      /^confab_http_requests_total\{method="GET",route="\/api\/threads\/:threadId\/comments",status="404"\} 1$/m,
    );
    expect(text).toMatch(
      /^confab_http_requests_total\{method="GET",route="\/api\/threads\/:threadId\/comments",status="200"\} 5$/m,
    );
  });
});

describe('migrations', () => {
  let db: Awaited<ReturnType<typeof openDatabase>>;

  beforeAll(async () => {
    db = await openDatabase({});
  });
  afterAll(async () => {
    await db?.close();
  });

  it('applies each migration once, records it, and seeds a new database only', async () => {
    let seeded = 0;
    const seed = async () => {
      seeded += 1;
    };
    expect(await migrate(db, { seed })).toEqual({ fresh: true, applied: MIGRATIONS.map((m) => m.version) });
    expect(await migrate(db, { seed })).toEqual({ fresh: false, applied: [] });
    expect(seeded).toBe(1);
    const { rows } = await db.query('SELECT version, name FROM schema_migrations ORDER BY version');
    expect(rows).toEqual(MIGRATIONS.map(({ version, name }) => ({ version, name })));
  });

  it('refuses a database migrated by a newer server', async () => {
    await db.query("INSERT INTO schema_migrations (version, name) VALUES (9999, 'from the future')");
    await expect(migrate(db)).rejects.toThrow('newer version');
  });
});
