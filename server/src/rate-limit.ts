// A token bucket per client: `burst` changes at once, refilled at `perMinute`.
//
//   const limiter = createRateLimiter({ burst: 20, perMinute: 10 });
//   const wait = limiter.take(clientKey(ip)); // 0: go ahead; else seconds until the next token
//   limiter.close();
import { isIPv6 } from 'node:net';

const SWEEP_MS = 60_000;

/** `burst` 0: no limit. */
export function createRateLimiter({
  burst,
  perMinute,
  now = Date.now,
}: {
  burst: number;
  perMinute: number;
  now?: () => number;
}) {
  const perMs = perMinute / 60_000;
  const buckets = new Map<string, { tokens: number; at: number }>();

  const refill = (bucket: { tokens: number; at: number }, time: number) =>
    Math.min(burst, bucket.tokens + (time - bucket.at) * perMs);

  // Full buckets say nothing a new bucket would not, so they are dropped: memory stays bounded
  // by the clients of the last few minutes.
  const sweeper = setInterval(() => {
    const time = now();
    for (const [key, bucket] of buckets) if (refill(bucket, time) >= burst) buckets.delete(key);
  }, SWEEP_MS);
  sweeper.unref();

  return {
    /**
     * Takes one token for `key`.
     * @returns 0, or whole seconds to wait before trying again
     */
    take(key: string): number {
      if (burst <= 0) return 0;
      const time = now();
      const bucket = buckets.get(key) ?? { tokens: burst, at: time };
      const tokens = refill(bucket, time);
      const allowed = tokens >= 1;
      buckets.set(key, { tokens: allowed ? tokens - 1 : tokens, at: time });
      return allowed ? 0 : Math.max(1, Math.ceil((1 - tokens) / perMs / 1000));
    },

    close() {
      clearInterval(sweeper);
    },
  };
}

export type RateLimiter = ReturnType<typeof createRateLimiter>;

/**
 * Which bucket an address uses. One IPv6 host usually holds a whole /64, so the /64 is the
 * client; an IPv4 address in IPv6 form is the IPv4 address.
 */
export function clientKey(address: string) {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (!isIPv6(address)) return address;
  const [head = '', tail = ''] = address.split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const missing = address.includes('::') ? 8 - headGroups.length - tailGroups.length : 0;
  const groups = [...headGroups, ...Array<string>(missing).fill('0'), ...tailGroups];
  return `${groups
    .slice(0, 4)
    .map((group) => group.toLowerCase().replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
