// Small checks every layer needs (the boundary, the HTML sanitizer, the body renderer, the store).
// A leaf: imports nothing, so no layer reaches into another through it.

/** A plain JSON object (not null, not an array). */
export const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Only absolute http(s) URLs survive: no `javascript:`, `data:` or relative tricks. */
export function safeHttpUrl(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  if (!/^https?:\/\//i.test(trimmed)) return null;
  try {
    const url = new URL(trimmed);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

/**
 * An unguessable id (Idempotency-Key, X-Voter). getRandomValues works on http:// pages too,
 * where crypto.randomUUID is missing.
 */
export function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
