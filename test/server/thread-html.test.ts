// @vitest-environment node
// GET /api/threads/{thread}/html: the first page rendered by the widget's own server rendering
// (confab/ssr), in the reader's language, escaped, cached until the thread changes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, call, newThread, post, start } from './helpers';

let app: App;
beforeAll(async () => {
  app = await start();
});
afterAll(() => app?.close());

const htmlPath = (thread: string, query = '') => `/threads/${encodeURIComponent(thread)}/html${query}`;

describe('GET /api/threads/{thread}/html', () => {
  it('renders the first page into a declarative shadow root, in the asked language, with its page as JSON', async () => {
    const thread = newThread();
    const first = await post(app, thread, { body: 'First <script>alert(1)</script> & **bold**', author: { name: 'Ann' } });
    await post(app, thread, { body: 'A reply', parentId: first.comment.id, author: { name: 'Bo' } });

    const answer = await call(app, 'GET', htmlPath(thread, '?locale=de&sort=oldest&limit=20'));
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = answer.body as string;
    expect(html.startsWith('<template shadowrootmode="open">')).toBe(true);
    expect(html).toContain('<h2 id="P0-0" class="confab-heading" part="heading">2 Kommentare</h2>');
    // The comment's text is text: escaped, its formatting as elements.
    expect(html).toContain('First &lt;script>alert(1)&lt;/script> &amp; <strong>bold</strong>');
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toContain(`id="comment-${first.comment.id}"`);
    // The page the widget adopts, and schema.org for search engines.
    expect(html).toContain(`data-confab-ssr="oldest 20 ${thread}"`);
    const data = JSON.parse(/<script type="application\/json" data-confab-ssr>(.*?)<\/script>/.exec(html)![1]!);
    expect(data.thread).toMatchObject({ id: thread, commentCount: 2 });
    expect(data.comments.map((c: { body: string }) => c.body)).toEqual([first.comment.body, 'A reply']);
    const ld = JSON.parse(/<script type="application\/ld\+json">(.*?)<\/script>/.exec(html)![1]!);
    expect(ld).toMatchObject({
      '@type': 'DiscussionForumPosting',
      commentCount: 2,
      comment: [{ '@type': 'Comment', author: { name: 'Ann' }, comment: [{ text: 'A reply', author: { name: 'Bo' } }] }],
    });
  });

  it('is cached until the thread changes', async () => {
    const thread = newThread();
    await post(app, thread, { body: 'One' });
    const before = (await call(app, 'GET', htmlPath(thread))).body as string;
    expect((await call(app, 'GET', htmlPath(thread))).body).toBe(before);
    await post(app, thread, { body: 'Two, later' });
    const after = (await call(app, 'GET', htmlPath(thread))).body as string;
    expect(after).toContain('Two, later');
    expect(after).toContain('2 comments');
  });

  it('refuses a locale or theme that is not one', async () => {
    const thread = newThread();
    const badLocale = await call(app, 'GET', htmlPath(thread, '?locale=%3Cx%3E'));
    expect(badLocale.status).toBe(400);
    expect(badLocale.body).toMatchObject({ error: { code: 'invalid', fields: { locale: 'invalid' } } });
    expect((await call(app, 'GET', htmlPath(thread, '?theme=neon'))).status).toBe(400);
    expect((await call(app, 'GET', htmlPath(thread, '?sort=sideways'))).status).toBe(400);
  });
});
