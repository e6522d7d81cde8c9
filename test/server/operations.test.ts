// @vitest-environment node
// What the people who run the server rely on: health and readiness checks, request logs that
// keep readers' data out, metrics, the cap on event streams per client, the widget's files
// served compressed and cacheable, counts from the cache, and a graceful shutdown.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { EventEmitter } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StreamRegistry } from '../../server/src/http.js';
import { createMetrics } from '../../server/src/metrics.js';
import { MIGRATIONS } from '../../server/src/migrations.js';
import {
  type App,
  bearer,
  call,
  captureLogger,
  commentsPath,
  eventually,
  newThread,
  openEvents,
  post,
  rawEventStream,
  slowPost,
  start,
} from './helpers';

const ADMIN_TOKEN = 'operations-admin-token-0123456789';

/**
 * A raw GET, so that compressed bodies arrive as they were sent, and the path goes out as written
 * (a URL would fold "/a/../b" into "/b" before sending it).
 */
function rawGet(url: string, headers: Record<string, string> = {}, method = 'GET') {
  const { hostname, port } = new URL(url);
  const path = url.replace(/^http:\/\/[^/]+/, '');
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    const req = http.request({ host: hostname, port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('health and readiness', () => {
  let app: App;
  beforeAll(async () => {
    app = await start({ rateLimit: { burst: 1, perMinute: 1 } });
  });
  afterAll(() => app?.close());

  it('answers /healthz and /readyz with 200, outside the rate limit', async () => {
    for (let i = 0; i < 5; i++) {
      const health = await fetch(`${app.url}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok' });
      const ready = await fetch(`${app.url}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ status: 'ready' });
    }
  });

  it('is not ready, and says why, when the database lacks this version’s migrations', async () => {
    await app.db.query('UPDATE schema_migrations SET version = -version');
    try {
      const ready = await fetch(`${app.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({
        status: 'unavailable',
        reason: `database schema at version -1, this server needs ${Math.max(...MIGRATIONS.map((m) => m.version))}`,
      });
      expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    } finally {
      await app.db.query('UPDATE schema_migrations SET version = -version');
    }
  });

  it('is not ready when the database cannot be reached', async () => {
    const other = await start();
    await other.db.close();
    const ready = await fetch(`${other.url}/readyz`);
    expect(ready.status).toBe(503);
    // The database's own words (hosts, users) go to the log, not to whoever asks.
    expect(await ready.json()).toEqual({ status: 'unavailable', reason: 'database unreachable' });
    await other.server.drain(1_000);
  });
});

describe('request logs', () => {
  it('writes one JSON line per request with the route pattern, status, duration and request id, and no reader data', async () => {
    const { logger, lines } = captureLogger('info');
    const app = await start({ logger, adminToken: ADMIN_TOKEN });
    try {
      const thread = `private-thread-${newThread()}`;
      const secrets = ['A body nobody may log', 'reader@example.com', 'https://reader.example/home', thread];
      const { comment, editToken } = await post(
        app,
        thread,
        {
          body: secrets[0],
          author: { name: 'Ann', email: secrets[1], url: secrets[2] },
        },
        { 'X-Request-Id': 'req-from-the-proxy-1', 'X-Forwarded-For': '203.0.113.9' },
      );
      await call(app, 'PATCH', `${commentsPath(thread)}/${comment.id}`, {
        body: { body: 'Edited text' },
        headers: bearer(editToken),
      });
      await call(app, 'GET', `/admin/pending`, { headers: bearer(ADMIN_TOKEN) });
      const missing = await fetch(`${app.url}/nowhere/${thread}`);
      expect(missing.headers.get('x-request-id')).toMatch(/^[0-9a-f]{8}-[0-9a-z]+$/);

      await eventually(() => expect(lines.filter((line) => line.msg === 'request')).toHaveLength(4));
      const requests = lines.filter((line) => line.msg === 'request');
      expect(requests.map(({ method, route, status }) => [method, route, status])).toEqual([
        ['POST', '/api/threads/:threadId/comments', 201],
        ['PATCH', '/api/threads/:threadId/comments/:id', 200],
        ['GET', '/api/admin/pending', 200],
        ['GET', 'unmatched', 404],
      ]);
      expect(requests[0]).toMatchObject({ level: 'info', reqId: 'req-from-the-proxy-1', ms: expect.any(Number) });
      const written = JSON.stringify(lines);
      for (const secret of [...secrets, editToken, ADMIN_TOKEN, '203.0.113.9', 'Edited text']) {
        expect(written).not.toContain(secret);
      }
      // The client's address appears nowhere but in the server's own listening URL.
      const aboutClients = JSON.stringify(lines.filter((line) => line.msg !== 'listening'));
      expect(aboutClients).not.toContain('127.0.0.1');
    } finally {
      await app.close();
    }
  });

  it('leaves request lines to the proxy with LOG_REQUESTS=off, keeping the other info lines', async () => {
    const { logger, lines } = captureLogger('info');
    const app = await start({ logger, logRequests: false });
    try {
      const thread = newThread();
      await post(app, thread);
      expect((await call(app, 'GET', commentsPath(thread))).status).toBe(200);
      await eventually(() => expect(lines.some((line) => line.msg === 'listening')).toBe(true));
      expect(lines.filter((line) => line.msg === 'request')).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('logs a refused origin by name, once a minute', async () => {
    const { logger, lines } = captureLogger('warn');
    const app = await start({ logger, allowedOrigins: ['https://blog.example.com'] });
    try {
      for (let i = 0; i < 3; i++) {
        const answer = await call(app, 'GET', commentsPath('t1'), { headers: { Origin: 'https://typo.example.com' } });
        expect(answer.status).toBe(403);
      }
      expect((await call(app, 'GET', commentsPath('t1'), { headers: { Origin: 'https://blog.example.com' } })).status).toBe(200);
      expect(lines).toEqual([
        expect.objectContaining({
          level: 'warn',
          origin: 'https://typo.example.com',
          msg: 'refused a browser request from an origin not in ALLOWED_ORIGINS',
        }),
      ]);
    } finally {
      await app.close();
    }
  });
});

describe('metrics', () => {
  let app: App;
  beforeAll(async () => {
    app = await start({ adminToken: ADMIN_TOKEN, metricsPort: 0 });
  });
  afterAll(() => app?.close());

  const scrape = async (url = `${app.url}/metrics`, headers: Record<string, string> = bearer(ADMIN_TOKEN)) => {
    const answer = await fetch(url, { headers });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return answer.text();
  };

  it('needs the admin token on the main port', async () => {
    expect((await fetch(`${app.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${app.url}/metrics`, { headers: bearer('not-the-admin-token-at-all') })).status).toBe(401);
  });

  it('counts requests by route and status, times them, and counts open event streams', async () => {
    const thread = newThread();
    await post(app, thread);
    await call(app, 'GET', commentsPath(thread));
    await call(app, 'GET', `${commentsPath(thread)}?sort=nonsense`);
    const events = await openEvents(app, thread);
    try {
      const text = await scrape();
      expect(text).toMatch(
        /^confab_http_requests_total\{method="POST",route="\/api\/threads\/:threadId\/comments",status="201"\} 1$/m,
      );
      expect(text).toMatch(
        /^confab_http_requests_total\{method="GET",route="\/api\/threads\/:threadId\/comments",status="400"\} 1$/m,
      );
      expect(text).toMatch(
        /^confab_http_request_duration_seconds_count\{method="GET",route="\/api\/threads\/:threadId\/comments"\} 2$/m,
      );
      expect(text).toMatch(/^confab_event_streams_open 1$/m);
      expect(text).not.toContain(thread);
      expect(text).toMatch(/^confab_process_cpu_seconds_total /m);
    } finally {
      events.close();
    }
    await eventually(async () => expect(await scrape()).toMatch(/^confab_event_streams_open 0$/m));
  });

  it('counts database errors', async () => {
    const before = Number(/^confab_database_errors_total (\d+)$/m.exec(await scrape())?.[1]);
    const { logger, lines } = captureLogger('warn');
    const other = await start({ adminToken: ADMIN_TOKEN, logger });
    try {
      const thread = newThread();
      const { comment } = await post(other, thread);
      await other.db.query('ALTER TABLE votes RENAME TO votes_gone');
      const answer = await call(other, 'POST', `${commentsPath(thread)}/${comment.id}/votes`, {
        body: { value: 1 },
        headers: { 'X-Voter': 'v1' },
      });
      expect(answer.status).toBe(500);
      const text = await scrape(`${other.url}/metrics`);
      expect(text).toMatch(/^confab_database_errors_total 1$/m);
      expect(lines.map((line) => line.msg)).toEqual(['internal error']);
    } finally {
      await other.close();
    }
    // Each server counts its own.
    expect(await scrape()).toMatch(new RegExp(`^confab_database_errors_total ${before}$`, 'm'));
  });

  it('serves /metrics on METRICS_PORT without the token, and nothing else there', async () => {
    expect(app.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await scrape(`${app.metricsUrl}/metrics`, {})).toMatch(/^confab_http_requests_total/m);
    expect((await fetch(`${app.metricsUrl}/api/counts`)).status).toBe(404);
    expect((await fetch(`${app.metricsUrl}/healthz`)).status).toBe(404);
  });
});

describe('event streams per client', () => {
  it('caps the streams one address holds (an IPv6 /64 is one address), then answers 429', async () => {
    const app = await start({ maxStreamsPerClient: 2, trustProxy: true });
    const open: Array<Awaited<ReturnType<typeof openEvents>>> = [];
    try {
      const thread = newThread();
      const from = (address: string) => ({ 'X-Forwarded-For': address });
      open.push(await openEvents(app, thread, from('2001:db8:1:2::1')));
      open.push(await openEvents(app, thread, from('2001:db8:1:2:ffff::9')));
      const third = await call(app, 'GET', `/threads/${thread}/events`, { headers: from('2001:db8:1:2::3') });
      expect(third.status).toBe(429);
      expect(third.body).toEqual({ error: { code: 'rate_limited', message: 'Too many open event streams from this address' } });
      expect(third.headers.get('retry-after')).toBe('60');
      // Another /64, and another IPv4 address, have streams of their own.
      open.push(await openEvents(app, thread, from('2001:db8:1:3::1')));
      open.push(await openEvents(app, thread, from('198.51.100.7')));
      expect(open.map((stream) => stream.response.status)).toEqual([200, 200, 200, 200]);
      // A stream that closes frees its place.
      open.shift()!.close();
      await eventually(async () => {
        const again = await openEvents(app, thread, from('2001:db8:1:2::4'));
        open.push(again);
        expect(again.response.status).toBe(200);
      });
    } finally {
      for (const stream of open) stream.close();
      await app.close();
    }
  });
});

describe('the widget’s files', () => {
  let app: App;
  let dir: string;
  const bundle = `window.Confab = { version: "9.9.9" }; // ${'padding '.repeat(200)}`;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'confab-widget-'));
    mkdirSync(join(dir, 'locales'));
    writeFileSync(join(dir, 'confab.iife.js'), bundle);
    writeFileSync(join(dir, 'confab-isso.iife.js'), 'window.ConfabIsso = {};');
    writeFileSync(join(dir, 'locales', 'de.iife.js'), 'Confab.registerLocale("de", {});');
    writeFileSync(join(dir, 'manifest.json'), '{ "version": "9.9.9" }');
    writeFileSync(join(dir, 'secret.txt'), 'not for readers');
    app = await start({ widgetDir: dir });
  });
  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the versioned bundle compressed, with an ETag, cacheable for a year', async () => {
    const url = `${app.url}/widget/9.9.9/confab.iife.js`;
    const br = await rawGet(url, { 'Accept-Encoding': 'gzip, deflate, br' });
    expect(br.status).toBe(200);
    expect(br.headers).toMatchObject({
      'content-type': 'text/javascript; charset=utf-8',
      'content-encoding': 'br',
      'cache-control': 'public, max-age=31536000, immutable',
      vary: 'Accept-Encoding',
      'cross-origin-resource-policy': 'cross-origin',
    });
    expect(brotliDecompressSync(br.body).toString()).toBe(bundle);
    expect(br.body.length).toBeLessThan(bundle.length / 5);

    const gz = await rawGet(url, { 'Accept-Encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).toString()).toBe(bundle);
    const plain = await rawGet(url, { 'Accept-Encoding': 'br;q=0, identity' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toBe(bundle);
    expect(new Set([br.headers.etag, gz.headers.etag, plain.headers.etag]).size).toBe(3);

    const again = await rawGet(url, { 'Accept-Encoding': 'br', 'If-None-Match': br.headers.etag! });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    const head = await rawGet(url, { 'Accept-Encoding': 'br' }, 'HEAD');
    expect(head.status).toBe(200);
    expect(Number(head.headers['content-length'])).toBe(br.body.length);
  });

  it('serves the locales next to the bundle, versioned and not', async () => {
    const versioned = await rawGet(`${app.url}/widget/9.9.9/locales/de.iife.js`);
    expect(versioned.status).toBe(200);
    expect(versioned.body.toString()).toBe('Confab.registerLocale("de", {});');
    const plain = await rawGet(`${app.url}/locales/de.iife.js`);
    expect(plain.status).toBe(200);
    expect(plain.headers['cache-control']).toBe('no-cache');
    expect(plain.headers.etag).toBe(versioned.headers.etag);
    expect((await rawGet(`${app.url}/confab-isso.iife.js`)).status).toBe(200);
    expect((await rawGet(`${app.url}/confab.iife.js`)).headers['cache-control']).toBe('no-cache');
  });

  it('sends a page that names an older version to this one, and serves nothing else from the folder', async () => {
    const old = await rawGet(`${app.url}/widget/0.0.1/locales/de.iife.js`);
    expect(old.status).toBe(302);
    expect(old.headers.location).toBe('/widget/9.9.9/locales/de.iife.js');
    for (const path of [
      '/widget/9.9.9/secret.txt',
      '/secret.txt',
      '/manifest.json',
      '/widget/9.9.9/locales/xx.iife.js',
      '/widget/9.9.9/../secret.txt',
      '/widget/9.9.9/%2e%2e/secret.txt',
      '/locales/../secret.txt',
      '/widget/0.0.1/nope.iife.js',
    ]) {
      expect((await rawGet(`${app.url}${path}`)).status, path).toBe(404);
    }
  });

  it('says where the widget is at /', async () => {
    const home = await fetch(`${app.url}/`);
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('/widget/9.9.9/confab.iife.js');
  });
});

describe('counts', () => {
  it('answers from the cache and follows every change', async () => {
    const app = await start({ adminToken: ADMIN_TOKEN, moderation: 'pre' });
    try {
      const thread = newThread();
      const count = async () => (await call(app, 'GET', `/counts?thread=${thread}&thread=other-${thread}`)).body.counts;
      expect(await count()).toEqual({ [thread]: 0, [`other-${thread}`]: 0 });
      const { comment, editToken } = await post(app, thread);
      expect((await count())[thread]).toBe(0); // pending: not counted
      await call(app, 'POST', `${commentsPath(thread)}/${comment.id}/approve`, { headers: bearer(ADMIN_TOKEN) });
      expect((await count())[thread]).toBe(1);
      // Served from the cache: a count the database no longer agrees with stays until a change.
      await app.db.query(`UPDATE comments SET status = 'deleted' WHERE id = $1`, [comment.id]);
      expect((await count())[thread]).toBe(1);
      await call(app, 'DELETE', `${commentsPath(thread)}/${comment.id}`, { headers: bearer(editToken) });
      expect((await count())[thread]).toBe(0);
    } finally {
      await app.close();
    }
  });
});

describe('graceful shutdown', () => {
  it('opens no event stream once streams have been ended for a shutdown', () => {
    const registry = new StreamRegistry(2, createMetrics());
    const response = () => Object.assign(new EventEmitter(), { end() {} }) as unknown as http.ServerResponse;
    expect(registry.open('a', response())).toBe('ok');
    expect(registry.open('a', response())).toBe('ok');
    expect(registry.open('a', response())).toBe('full');
    registry.endAll();
    expect(registry.open('b', response())).toBe('closing');
  });

  it('drops the events still on their way to a stream it has ended, instead of crashing', async () => {
    const app = await start();
    const thread = newThread();
    const stream = await rawEventStream(app.url, thread);
    // Too big for a notification: each is read from the database before it is sent, so
    // deliveries are still queued when the shutdown ends the stream.
    const body = 'x'.repeat(9_000);
    for (let i = 0; i < 50; i++) await app.store.post(thread, { body, author: { name: 'A' } });
    await app.shutdown();
    expect(await stream.ended).toMatch(/retry: 1000\n\n$/);
  });

  it('finishes a request in flight, ends event streams with a reconnect hint, then refuses connections', async () => {
    const app = await start();
    const thread = newThread();
    const stream = await rawEventStream(app.url, thread);
    const slow = await slowPost(app.url, thread);
    await new Promise((resolve) => setTimeout(resolve, 100));

    const started = Date.now();
    const stopped = app.shutdown();
    await new Promise((resolve) => setTimeout(resolve, 300));
    slow.finish();
    await stopped;
    expect(Date.now() - started).toBeLessThan(5_000);
    const answer = await slow.closed;
    expect(answer).toMatch(/^HTTP\/1\.1 201 Created\r\n/);
    // Told, so that the client does not send another request on a connection about to close.
    expect(answer).toMatch(/\r\nConnection: close\r\n/i);
    expect(await stream.ended).toMatch(/^: connected\n\n[\s\S]*retry: 1000\n\n$/);
    await expect(fetch(`${app.url}/healthz`)).rejects.toThrow();
  });
});
