// A fake `fetch` for the adapter tests: every request is recorded (method, URL, headers, body,
// credentials) and answered by a route function, from the recorded server answers in
// test/fixtures/adapters/<server>/. No network, no server process.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { isConfabError, type ConfabError } from '../../src/errors';

export interface Recorded {
  method: string;
  url: URL;
  headers: Headers;
  /** The JSON body, or the text when it is not JSON, or null without one. */
  body: unknown;
  credentials: RequestCredentials;
}

export type Route = (request: Recorded, index: number) => Response | Promise<Response>;

/** A fixture file, parsed when `.json`, as text otherwise. */
export function fixture<T = any>(server: string, name: string): T {
  // Tests run from the repository root (import.meta.url is not a file: URL under happy-dom).
  const path = join(process.cwd(), 'test/fixtures/adapters', server, name);
  const text = readFileSync(path, 'utf8');
  return (name.endsWith('.json') ? JSON.parse(text) : text) as T;
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
}

export function text(body: string, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(body, { status, headers: { 'Content-Type': 'text/html; charset=utf-8', ...headers } });
}

/** A fetch that never answers until its request is aborted (for timeouts and cancellation). */
export const hang = (request: Request) =>
  new Promise<Response>((_, reject) => {
    request.signal.addEventListener('abort', () => reject(request.signal.reason ?? new DOMException('Aborted', 'AbortError')));
  });

export function fakeFetch(route: Route) {
  const requests: Recorded[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request ? input : new Request(input, init);
    const raw = request.method === 'GET' || request.method === 'HEAD' ? '' : await request.clone().text();
    let body: unknown = null;
    if (raw) {
      try {
        body = JSON.parse(raw);
      } catch {
        body = raw;
      }
    }
    const recorded: Recorded = {
      method: request.method,
      url: new URL(request.url),
      headers: request.headers,
      body,
      credentials: request.credentials,
    };
    requests.push(recorded);
    if (request.signal.aborted) throw request.signal.reason;
    return route(recorded, requests.length - 1);
  };
  return { fetch: fetch as typeof globalThis.fetch, requests };
}

/** The ConfabError a promise rejects with; fails the test if it resolves or rejects otherwise. */
export async function failure(promise: Promise<unknown>): Promise<ConfabError> {
  let caught: unknown;
  let resolved = false;
  try {
    await promise;
    resolved = true;
  } catch (error) {
    caught = error;
  }
  expect(resolved, 'the call should have failed').toBe(false);
  expect(isConfabError(caught), `not a ConfabError: ${String(caught)}`).toBe(true);
  const error = caught as ConfabError;
  expect(error.message.trim()).not.toBe('');
  return error;
}

/** A fetch that fails as browsers do when nothing answers (offline, DNS, CORS). */
export const unreachable: typeof globalThis.fetch = () => Promise.reject(new TypeError('Failed to fetch'));
