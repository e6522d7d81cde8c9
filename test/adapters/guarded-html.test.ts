// Through the store's boundary (guardAdapter → parseComment), the servers' HTML survives as
// bodyHtml for the sanitizer, and never for a deleted comment.
import { expect, it } from 'vitest';
import { guardAdapter } from '../../src/api/guard-adapter';
import { createRemark42Adapter } from '../../src/adapters/remark42';
import { createWalineAdapter } from '../../src/adapters/waline';
import { fakeFetch, fixture, json } from './fake-fetch';

it('keeps bodyHtml through the validator, and drops it for a deleted comment', async () => {
  const waline = guardAdapter(
    createWalineAdapter({
      serverURL: 'https://w.example',
      fetch: fakeFetch(() => json(fixture('waline', 'comment-page1.json'))).fetch,
    }),
  );
  const page = await waline.list('/t/', { sort: 'oldest', limit: 2, cursor: null });
  expect(page.comments.every((c) => typeof c.bodyHtml === 'string')).toBe(true);
  const remark42 = guardAdapter(
    createRemark42Adapter({
      host: 'https://r.example',
      url: String,
      fetch: fakeFetch(() => json(fixture('remark42', 'find-page1.json'))).fetch,
    }),
  );
  const tree = await remark42.list('/t/', { sort: 'oldest', limit: 2, cursor: null });
  expect(tree.comments[0]!.bodyHtml).toContain('<blockquote>');
  expect(tree.comments.filter((c) => c.status === 'deleted').map((c) => c.bodyHtml)).toEqual([undefined]);
});
