// Metrics for the people who run the server, in Prometheus's text format (prom-client), on a
// registry of this server's own: two servers in one process (tests) keep separate counts.
//
//   const metrics = createMetrics();
//   metrics.observeRequest('GET', '/api/counts', 200, 0.0012);
//   const text = await metrics.registry.metrics();
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics, type Metric } from 'prom-client';

const DELIVERY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** The outbox's rows waiting, by channel and status, and when the oldest due one was due. */
export type OutboxBacklog = Array<{ channel: string; status: 'pending' | 'dead'; rows: number; oldestDue: Date | null }>;

const DURATION_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10];
const EVENTS_ROUTE = '/api/threads/:threadId/events';

/** One method and route's answers: counted by status, timed into buckets. */
interface RequestSeries {
  method: string;
  route: string;
  byStatus: Map<number, number>;
  /** Not cumulative: bucketCounts[i] counts durations in (DURATION_BUCKETS[i-1], DURATION_BUCKETS[i]]; the last slot is above them all. */
  bucketCounts: number[];
  sum: number;
  count: number;
}

export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'confab_' });

  // Requests are counted in plain maps and arrays on the request path and handed to prom-client
  // when scraped: prom-client's labelled inc() and observe() validate and hash their labels on
  // every call, which cost more than the rest of a cached read's bookkeeping (4 µs of 80).
  const series = new Map<string, RequestSeries>();
  new Counter({
    name: 'confab_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const { method, route, byStatus } of series.values()) {
        for (const [status, count] of byStatus) this.inc({ method, route, status: String(status) }, count);
      }
    },
  });
  registry.registerMetric(requestDurations(series));
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

  const deliveries = new Counter({
    name: 'confab_outbox_deliveries_total',
    help: 'Delivery attempts of notifications (webhook, email), by channel and outcome: delivered, retry (failed, tried again later) or dead (given up)',
    labelNames: ['channel', 'outcome'] as const,
    registers: [registry],
  });
  const deliverySeconds = new Histogram({
    name: 'confab_outbox_delivery_seconds',
    help: "Time a delivery attempt took, until the receiver's answer or the failure",
    labelNames: ['channel'] as const,
    buckets: DELIVERY_BUCKETS,
    registers: [registry],
  });
  let watched: { read: () => Promise<OutboxBacklog>; channels: string[] } | null = null;
  // Read from the database when scraped (one indexed query): every instance reports the shared queue.
  const backlogRows = new Gauge({
    name: 'confab_outbox_rows',
    help: 'Notifications not delivered: pending (due or waiting for a retry) and dead (given up: confab-server outbox)',
    labelNames: ['channel', 'status'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'confab_outbox_oldest_due_seconds',
    help: 'How long the oldest pending notification has been due (0: none is): alert when it grows',
    labelNames: ['channel'] as const,
    registers: [registry],
    async collect() {
      backlogRows.reset();
      this.reset();
      if (!watched) return;
      // Zeros for this instance's channels, so that an alert sees an empty queue, not a missing one.
      for (const channel of watched.channels) {
        for (const status of ['pending', 'dead']) backlogRows.set({ channel, status }, 0);
        this.set({ channel }, 0);
      }
      const now = Date.now();
      for (const { channel, status, rows, oldestDue } of await watched.read()) {
        backlogRows.set({ channel, status }, rows);
        if (status === 'pending') this.set({ channel }, oldestDue ? Math.max(0, (now - oldestDue.getTime()) / 1000) : 0);
      }
    },
  });

  return {
    registry,
    openStreams,
    databaseErrors,
    /** A delivery attempt's outcome and duration (outbox.ts). */
    observeDelivery(channel: string, outcome: 'delivered' | 'retry' | 'dead', seconds: number) {
      deliveries.inc({ channel, outcome });
      deliverySeconds.observe({ channel }, seconds);
    },
    /** Where the outbox gauges are read from when scraped, and the channels this instance delivers. */
    watchOutbox(read: () => Promise<OutboxBacklog>, channels: string[]) {
      watched = { read, channels };
    },
    /** An answered request; `route` is the pattern, never the path (which holds thread ids). */
    observeRequest(method: string, route: string, status: number, seconds: number) {
      const key = `${method} ${route}`;
      let entry = series.get(key);
      if (!entry) {
        entry = { method, route, byStatus: new Map(), bucketCounts: DURATION_BUCKETS.map(() => 0).concat(0), sum: 0, count: 0 };
        series.set(key, entry);
      }
      entry.byStatus.set(status, (entry.byStatus.get(status) ?? 0) + 1);
      // An event stream's duration is how long a reader stayed: not a latency.
      if (route === EVENTS_ROUTE) return;
      let bucket = 0;
      while (bucket < DURATION_BUCKETS.length && seconds > DURATION_BUCKETS[bucket]!) bucket++;
      entry.bucketCounts[bucket]! += 1;
      entry.sum += seconds;
      entry.count += 1;
    },
  };
}

/**
 * The latency histogram as prom-client exports one (cumulative `_bucket` lines with `le`, then
 * `_sum` and `_count`), made from the series' counts when scraped.
 */
function requestDurations(series: Map<string, RequestSeries>): Metric {
  const name = 'confab_http_request_duration_seconds';
  const help = 'Time from a request arriving to its answer being sent (event streams excluded)';
  const get = async () => {
    const values = [];
    for (const { method, route, bucketCounts, sum, count } of series.values()) {
      if (route === EVENTS_ROUTE) continue;
      let cumulative = 0;
      DURATION_BUCKETS.forEach((le, i) => {
        cumulative += bucketCounts[i]!;
        values.push({ metricName: `${name}_bucket`, labels: { le, method, route }, value: cumulative });
      });
      values.push({ metricName: `${name}_bucket`, labels: { le: '+Inf', method, route }, value: count });
      values.push({ metricName: `${name}_sum`, labels: { method, route }, value: sum });
      values.push({ metricName: `${name}_count`, labels: { method, route }, value: count });
    }
    return { name, help, type: 'histogram', aggregator: 'sum', values };
  };
  // The registry asks only for a name and get(); the cast stands in for prom-client's own classes.
  return { name, help, type: 'histogram', aggregator: 'sum', get } as unknown as Metric;
}

export type Metrics = ReturnType<typeof createMetrics>;
