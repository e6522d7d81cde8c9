// Metrics for the people who run the server, in Prometheus's text format (prom-client), on a
// registry of this server's own: two servers in one process (tests) keep separate counts.
//
//   const metrics = createMetrics();
//   metrics.observeRequest('GET', '/api/counts', 200, 0.0012);
//   const text = await metrics.registry.metrics();
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'confab_' });

  // Counted in a plain map on the request path and handed to prom-client when scraped: a
  // labelled inc() per request cost more than the rest of a cached read's bookkeeping.
  const answered = new Map<string, { method: string; route: string; status: string; count: number }>();
  new Counter({
    name: 'confab_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const { count, ...labels } of answered.values()) this.inc(labels, count);
    },
  });
  const duration = new Histogram({
    name: 'confab_http_request_duration_seconds',
    help: 'Time from a request arriving to its answer being sent (event streams excluded)',
    labelNames: ['method', 'route'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [registry],
  });
  const openStreams = new Gauge({
    name: 'confab_event_streams_open',
    help: 'Event streams open now',
    registers: [registry],
  });
  const databaseErrors = new Counter({
    name: 'confab_database_errors_total',
    help: 'Queries the database refused or could not run',
    registers: [registry],
  });

  return {
    registry,
    openStreams,
    databaseErrors,
    /** An answered request; `route` is the pattern, never the path (which holds thread ids). */
    observeRequest(method: string, route: string, status: number, seconds: number) {
      const key = `${method} ${status} ${route}`;
      const seen = answered.get(key);
      if (seen) seen.count += 1;
      else answered.set(key, { method, route, status: String(status), count: 1 });
      if (route !== '/api/threads/:threadId/events') duration.observe({ method, route }, seconds);
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
