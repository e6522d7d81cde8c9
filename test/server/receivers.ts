// Webhook receivers for the tests: real HTTP servers on 127.0.0.1 that keep every request and
// answer as the test says (204 by default), and the signature check a receiver makes.
import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type Received = { headers: http.IncomingHttpHeaders; raw: string; body: any; at: number };
/** Answers one request; `n` counts the requests so far, this one included (from 1). */
export type Answer = (res: http.ServerResponse, request: Received, n: number) => void;

export const ok: Answer = (res) => res.writeHead(204).end();

export async function startReceiver(answer: Answer = ok, path = '/hook') {
  const received: Received[] = [];
  let respond = answer;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = JSON.parse(raw);
      } catch {
        body = raw;
      }
      const request = { headers: req.headers, raw, body, at: Date.now() };
      received.push(request);
      respond(res, request, received.length);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    received,
    /** Deliveries by their event type. */
    ofType: (type: string) => received.filter((r) => r.body?.type === type),
    answerWith(next: Answer) {
      respond = next;
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type Receiver = Awaited<ReturnType<typeof startReceiver>>;

/** Whether `header` (Confab-Signature) signs `raw` with `secret`. */
export function signatureValid(secret: string, raw: string, header: string | string[] | undefined) {
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(header ?? ''));
  if (!match) return false;
  const expected = createHmac('sha256', secret).update(`${match[1]}.${raw}`).digest();
  return timingSafeEqual(expected, Buffer.from(match[2]!, 'hex'));
}
