// @vitest-environment node
// Several server instances on one real PostgreSQL behave as one: events posted through one
// reach the event streams of the others (LISTEN/NOTIFY), their cached pages follow each other's
// changes, and a lost LISTEN connection ends streams rather than silently dropping events.
// The database comes from global-setup.ts; without PostgreSQL these tests fail, saying how to
// install it.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../server/src/migrations.js';
import {
  type App,
  SEED_THREAD,
  allComments,
  bearer,
  call,
  commentsPath,
  createTestDatabase,
  eventually,
  newThread,
  openEvents,
  post,
  seed,
  start,
} from './helpers';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let first: App;
let second: App;

beforeAll(async () => {
  database = await createTestDatabase();
  // Started together: migrations and the seed must still happen exactly once.
  [first, second] = await Promise.all([start({ seed, databaseUrl: database.url }), start({ seed, databaseUrl: database.url })]);
});

afterAll(async () => {
  await Promise.all([first?.close(), second?.close()]);
  await database?.drop();
});

describe('two instances on one PostgreSQL', () => {
  it('migrated and seeded the database once', async () => {
    const { rows } = await first.db.query('SELECT count(*)::int AS migrations FROM schema_migrations');
    expect(rows[0]?.migrations).toBe(MIGRATIONS.length);
    expect((await call(second, 'GET', commentsPath(SEED_THREAD))).body.thread.commentCount).toBe(seed.comments.length);
  });

  it('delivers a comment posted through one instance to the event stream of the other', async () => {
    const thread = newThread();
    const events = await openEvents(second, thread);
    try {
      const { comment, editToken } = await post(first, thread, { body: 'Through the first instance' });
      expect(await events.next()).toEqual({ type: 'comment.created', data: comment });

      await call(first, 'PATCH', `${commentsPath(thread)}/${comment.id}`, {
        body: { body: 'Edited' },
        headers: bearer(editToken),
      });
      expect(await events.next()).toMatchObject({ type: 'comment.updated', data: { id: comment.id, body: 'Edited' } });

      // Too large for a notification: the other instance reads it from the database.
      const large = await post(first, thread, { body: 'ß'.repeat(6_000) });
      expect(await events.next()).toEqual({ type: 'comment.created', data: large.comment });
    } finally {
      events.close();
    }
  });

  it('keeps each instance’s cached pages in step with changes made through the other', async () => {
    const thread = newThread();
    await post(first, thread, { body: 'One' });
    expect(await allComments(second, thread)).toHaveLength(1); // now cached on the second instance
    await post(first, thread, { body: 'Two' });
    await eventually(async () => expect(await allComments(second, thread)).toHaveLength(2));
  });

  it('keeps each instance’s cached counts in step with changes made through the other', async () => {
    const thread = newThread();
    const count = async (app: App) => (await call(app, 'GET', `/counts?thread=${thread}`)).body.counts[thread];
    expect(await count(second)).toBe(0); // now cached on the second instance
    const { comment, editToken } = await post(first, thread, { body: 'One' });
    await eventually(async () => expect(await count(second)).toBe(1));
    await post(first, thread, { body: 'Two' });
    await eventually(async () => expect(await count(second)).toBe(2));
    await call(first, 'DELETE', `${commentsPath(thread)}/${comment.id}`, { headers: bearer(editToken) });
    await eventually(async () => expect(await count(second)).toBe(1));
  });

  it('stores one comment when one Idempotency-Key reaches both instances at once', async () => {
    const thread = newThread();
    const key = { 'Idempotency-Key': 'both-instances' };
    const answers = await Promise.all([
      post(first, thread, { body: 'Once' }, key),
      post(second, thread, { body: 'Once' }, key),
      post(first, thread, { body: 'Once' }, key),
    ]);
    expect(new Set(answers.map((a) => a.comment.id)).size).toBe(1);
    expect(new Set(answers.map((a) => a.editToken)).size).toBe(1);
    expect(await allComments(second, thread)).toHaveLength(1);
  });

  it('ends event streams when its LISTEN connection is lost, and delivers again once it is back', async () => {
    const thread = newThread();
    const events = await openEvents(second, thread);
    const ended = events.untilEnded();
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    try {
      // Both instances lose their LISTEN connection.
      await admin.query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'LISTEN%' AND datname = current_database()",
      );
      await ended;
      await eventually(async () => {
        const { rows } = await admin.query(
          "SELECT count(*)::int AS listening FROM pg_stat_activity WHERE query LIKE 'LISTEN%' AND datname = current_database()",
        );
        // Two channels (readers' events, the dashboards') on each of the two instances.
        expect(rows[0]?.listening).toBe(4);
      });
      const again = await openEvents(second, thread);
      try {
        const { comment } = await post(first, thread, { body: 'After the reconnect' });
        expect(await again.next()).toEqual({ type: 'comment.created', data: comment });
        expect((await allComments(second, thread)).map((c) => c.id)).toEqual([comment.id]);
      } finally {
        again.close();
      }
    } finally {
      await admin.end();
    }
  });
});
