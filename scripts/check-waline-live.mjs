// Checks the Waline adapter (src/adapters/waline.ts) against a real, running Waline server:
// reading and paging, posting and replying, a Retry after a lost answer (no second comment),
// likes, counts, and a signed-in user's edit and delete. It writes to the server: point it at a
// throwaway Waline, never at a site's real one. the README, "A local Waline for the live check" says how to start one here
// (`@waline/vercel` with SQLite, on 127.0.0.1, nothing sent elsewhere).
//
//   WALINE_URL=http://127.0.0.1:8360 node scripts/check-waline-live.mjs
//
// The server must allow several comments a minute from one address (IPQPS=0): Waline waits 60
// seconds between two comments from one address by default. Exits 0 when every check passes,
// 1 when one fails, 2 without WALINE_URL.
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { createServer } from 'vite';

const serverURL = process.env.WALINE_URL;
if (!serverURL) {
  console.error(
    'Set WALINE_URL to a throwaway Waline server, e.g. WALINE_URL=http://127.0.0.1:8360 (see the README, "A local Waline for the live check").',
  );
  process.exit(2);
}

const root = fileURLToPath(new URL('..', import.meta.url));
// Vite loads the TypeScript sources as they are, with the same resolution as the tests.
const vite = await createServer({
  root,
  configFile: false,
  logLevel: 'error',
  server: { middlewareMode: true, hmr: false },
  appType: 'custom',
});
const { createWalineAdapter } = await vite.ssrLoadModule('/src/adapters/waline.ts');
// As the widget uses an adapter: through the store's boundary validator.
const { guardAdapter } = await vite.ssrLoadModule('/src/api/guard-adapter.ts');

const api = (path) => new URL(`api/${path}`, serverURL.replace(/\/?$/, '/')).href;
async function waline(path, init = {}) {
  const response = await fetch(api(path), { ...init, headers: { 'Content-Type': 'application/json', ...init.headers } });
  return response.json();
}

const run = Date.now().toString(36);
const thread = `/confab-live-check/${run}/`;
const results = [];
async function check(name, body) {
  try {
    await body();
    results.push([name, 'ok']);
    console.log(`ok   ${name}`);
  } catch (error) {
    results.push([name, 'FAIL']);
    console.log(`FAIL ${name}\n     ${error?.stack ?? error}`);
  }
}

const rawGuest = createWalineAdapter({ serverURL, timeout: 10_000 });
const guest = guardAdapter(rawGuest);
const page = (cursor = null, sort = 'oldest', limit = 2) => guest.list(thread, { sort, limit, cursor });
let first;
let reply;

await check('an empty thread reads as empty', async () => {
  const empty = await page();
  assert.deepEqual(empty.comments, []);
  assert.equal(empty.nextCursor, null);
  assert.equal(empty.thread.commentCount, 0);
});

await check('a guest posts a top-level comment (Markdown → bodyHtml, source → body)', async () => {
  const posted = await guest.post(
    thread,
    { parentId: null, author: { name: 'Live Check', email: 'live@example.com' }, body: `Hello **${run}**` },
    'k1',
  );
  first = posted.comment;
  assert.equal(posted.editToken, null);
  assert.equal(first.body, `Hello **${run}**`);
  // Waline's HTML goes on as bodyHtml (the validator keeps it once the widget renders HTML bodies).
  const raw = (await rawGuest.list(thread, { sort: 'oldest', limit: 2, cursor: null })).comments[0];
  assert.match(raw.bodyHtml, /<strong>/);
  assert.equal(first.parentId, null);
  assert.equal(first.status, 'published');
});

await check('a reply to a reply is filed under the top-level comment (pid and rid)', async () => {
  const a = await guest.post(thread, { parentId: first.id, author: { name: 'Replier' }, body: `Reply one ${run}` }, 'k2');
  reply = a.comment;
  const b = await guest.post(thread, { parentId: reply.id, author: { name: 'Replier two' }, body: `Reply two ${run}` }, 'k3');
  assert.equal(b.comment.parentId, reply.id);
  const read = await page();
  const byId = Object.fromEntries(read.comments.map((c) => [c.id, c]));
  assert.equal(byId[reply.id]?.parentId, first.id);
  assert.equal(byId[b.comment.id]?.parentId, reply.id);
});

await check('a Retry whose first answer was lost returns the same comment and posts nothing', async () => {
  const before = (await guest.counts([thread]))[thread];
  const again = await guest.post(
    thread,
    { parentId: null, author: { name: 'Live Check', email: 'live@example.com' }, body: `Hello **${run}**` },
    'k1',
  );
  assert.equal(again.comment.id, first.id);
  assert.equal((await guest.counts([thread]))[thread], before);
});

await check('pages of top-level comments follow the cursor', async () => {
  for (const n of [2, 3]) {
    // SQLite keeps Waline's times to the second: a second apart, so "newest" has one answer.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await guest.post(thread, { parentId: null, author: { name: `Author ${n}` }, body: `Top ${n} ${run}` }, `t${n}`);
  }
  const one = await page();
  assert.equal(one.nextCursor, '2');
  const two = await page(one.nextCursor);
  assert.equal(two.nextCursor, null);
  const roots = [...one.comments, ...two.comments].filter((c) => c.parentId === null).map((c) => c.body);
  assert.deepEqual(roots, [`Hello **${run}**`, `Top 2 ${run}`, `Top 3 ${run}`]);
  assert.equal(one.thread.commentCount, 5);
  const newest = await page(null, 'newest', 1);
  assert.equal(newest.comments[0].body, `Top 3 ${run}`);
});

await check('a like counts, taking it back uncounts, a down-vote is refused', async () => {
  assert.ok((await guest.vote(thread, first.id, 1, 'v')) >= 1);
  assert.equal(await guest.vote(thread, first.id, 0, 'v'), 0);
  await assert.rejects(guest.vote(thread, first.id, -1, 'v'), (error) => error.name === 'ConfabError');
});

await check('counts several threads at once', async () => {
  assert.deepEqual({ ...(await guest.counts([thread, `${thread}none/`])) }, { [thread]: 5, [`${thread}none/`]: 0 });
});

await check('guests cannot edit or delete', async () => {
  assert.equal(guest.edit, undefined);
  assert.equal(guest.remove, undefined);
  // And Waline itself says so to anyone who tries without a token.
  const answer = await waline(`comment/${first.id}?lang=en`, { method: 'DELETE' });
  assert.equal(answer.errno, 401);
});

await check('a signed-in user edits and deletes their own comment, and only their own', async () => {
  // Without a mail service Waline signs up users at once; the very first becomes administrator,
  // so sign up one before the reader to be sure the reader is an ordinary user.
  const password = `pw-${run}`;
  for (const who of ['first', 'reader']) {
    const signup = await waline('user?lang=en', {
      method: 'POST',
      body: JSON.stringify({ display_name: `${who} ${run}`, email: `${who}-${run}@example.com`, password, url: '' }),
    });
    assert.equal(signup.errno, 0, JSON.stringify(signup));
  }
  const login = await waline('token?lang=en', {
    method: 'POST',
    body: JSON.stringify({ email: `reader-${run}@example.com`, password }),
  });
  assert.equal(login.errno, 0, JSON.stringify(login));
  const rawReader = createWalineAdapter({ serverURL, token: login.data.token });
  const reader = guardAdapter(rawReader);
  const mine = await reader.post(thread, { parentId: null, author: { name: 'ignored' }, body: `Mine ${run}` }, 'm1');
  assert.equal(mine.editToken, login.data.token);
  assert.equal(mine.comment.author.name, `reader ${run}`);
  const edited = await reader.edit(thread, mine.comment.id, `Mine, edited ${run}`, mine.editToken);
  assert.equal(edited.body, `Mine, edited ${run}`);
  await assert.rejects(reader.remove(thread, first.id, mine.editToken), (error) => error.code === 'http' && error.status === 403);
  const removed = await reader.remove(thread, mine.comment.id, mine.editToken);
  assert.equal(removed.status, 'deleted');
  const ids = (await guest.list(thread, { sort: 'oldest', limit: 10, cursor: null })).comments.map((c) => c.id);
  assert.ok(!ids.includes(mine.comment.id));
});

await vite.close();
const failed = results.filter(([, status]) => status !== 'ok').length;
console.log(`\n${results.length - failed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
