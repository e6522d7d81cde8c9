// @vitest-environment node
// Every comment answered with 201 is on disk: `npm start`'s server on PGlite is killed with
// SIGKILL in the middle of a stream of posts, started again on the same data folder, and every
// acknowledged comment is there, once.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { allComments, call, commentsPath, startServerProcess } from './helpers';

const THREAD = 'durability';
const WRITERS = 4;
const KILL_AFTER_ACKS = 60;

let dataDir: string;
const children: ChildProcess[] = [];

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'confab-durability-'));
});

afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

/** Starts `confab-server start` on the data folder; resolves with its URL once it listens. */
async function startChild(): Promise<{ child: ChildProcess; url: string }> {
  const started = await startServerProcess({ DATA_DIR: dataDir });
  children.push(started.child);
  return started;
}

it('keeps every acknowledged comment, once, after a SIGKILL mid-stream', async () => {
  const { child, url } = await startChild();
  const acknowledged = new Map<string, string>(); // body → comment id
  const sent = new Set<string>();
  let next = 0;
  let killed = false;

  const exited = new Promise((resolve) => child.once('exit', resolve));
  const writer = async () => {
    while (!killed) {
      const body = `Comment ${next++}`;
      sent.add(body);
      try {
        const answer = await call(url, 'POST', commentsPath(THREAD), { body: { body }, headers: { 'Idempotency-Key': body } });
        if (answer.status === 201) acknowledged.set(body, answer.body.comment.id);
      } catch {
        return; // the connection died with the server: this post was never acknowledged
      }
      if (acknowledged.size >= KILL_AFTER_ACKS && !killed) {
        killed = true;
        child.kill('SIGKILL');
      }
    }
  };
  await Promise.all(Array.from({ length: WRITERS }, writer));
  await exited;
  expect(acknowledged.size).toBeGreaterThanOrEqual(KILL_AFTER_ACKS);

  const restarted = await startChild();
  try {
    const stored = await allComments(restarted.url, THREAD);
    const bodies = stored.map((c) => c.body);
    expect(new Set(bodies).size).toBe(bodies.length);
    for (const [body, id] of acknowledged) expect(stored.find((c) => c.body === body)?.id).toBe(id);

    // Retrying the posts that were cut off creates each at most once.
    for (const body of sent) {
      const retry = await call(restarted.url, 'POST', commentsPath(THREAD), {
        body: { body },
        headers: { 'Idempotency-Key': body },
      });
      expect(retry.status).toBe(201);
    }
    const after = await allComments(restarted.url, THREAD);
    expect(after).toHaveLength(sent.size);
  } finally {
    restarted.child.kill('SIGTERM');
    await new Promise((resolve) => restarted.child.once('exit', resolve));
  }
});
