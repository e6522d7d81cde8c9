// Unguessable ids for Idempotency-Key and X-Voter; getRandomValues works on http:// pages too,
// where crypto.randomUUID is missing.
export function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
