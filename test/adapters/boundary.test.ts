// The widget's store runs every adapter through the boundary validator (guardAdapter →
// parseComment). Through it, whatever one of these servers sends in a name, a website or an
// avatar comes out exactly as the protocol validator lets it through, for every hostile value of
// the project's XSS corpus: the adapters put each server field where the validator reads it.
// Bodies go on as `body` text and `bodyHtml`, which only ever reaches the page through sanitizeHtml.
import { describe, expect, it } from 'vitest';
import { guardAdapter } from '../../src/api/guard-adapter';
import { parseComment } from '../../src/api/validate';
import { createArtalkAdapter } from '../../src/adapters/artalk';
import { createIssoAdapter } from '../../src/adapters/isso';
import { createRemark42Adapter } from '../../src/adapters/remark42';
import { createWalineAdapter } from '../../src/adapters/waline';
import type { Adapter, Author } from '../../src/types';
import { XSS_CORPUS } from '../fixtures/xss-corpus';
import { fakeFetch, json } from './fake-fetch';

interface Hostile {
  name: string;
  url: string;
  avatarUrl: string;
  body: string;
}

/** Per server: an adapter answering one page that holds one comment with these values. */
const SERVERS: Record<string, (value: Hostile) => Adapter> = {
  remark42: (v) =>
    createRemark42Adapter({
      host: 'https://r.example',
      url: String,
      fetch: fakeFetch(() =>
        json({
          comments: [
            {
              comment: {
                id: 'c1',
                pid: '',
                text: v.body,
                orig: v.body,
                user: { name: v.name, picture: v.avatarUrl },
                time: '2026-11-20T00:00:00Z',
              },
            },
          ],
          info: { count: 1 },
        }),
      ).fetch,
    }),
  isso: (v) =>
    createIssoAdapter({
      url: 'https://i.example',
      fetch: fakeFetch(() =>
        json({
          id: null,
          total_replies: 1,
          hidden_replies: 0,
          replies: [
            {
              id: 1,
              parent: null,
              created: 1,
              mode: 1,
              text: v.body,
              author: v.name,
              website: v.url,
              gravatar_image: v.avatarUrl,
              likes: 0,
              dislikes: 0,
              replies: [],
            },
          ],
        }),
      ).fetch,
    }),
  artalk: (v) =>
    createArtalkAdapter({
      server: 'https://a.example',
      site: 'Blog',
      avatar: () => v.avatarUrl,
      fetch: fakeFetch(() =>
        json({
          comments: [
            {
              id: 1,
              rid: 0,
              content: v.body,
              content_marked: v.body,
              nick: v.name,
              link: v.url,
              email_encrypted: 'h',
              date: '2026-11-20 00:00:00',
            },
          ],
          count: 1,
          roots_count: 1,
          page: {},
        }),
      ).fetch,
    }),
  waline: (v) =>
    createWalineAdapter({
      serverURL: 'https://w.example',
      fetch: fakeFetch(() =>
        json({
          errno: 0,
          errmsg: '',
          data: {
            page: 1,
            totalPages: 1,
            pageSize: 10,
            count: 1,
            data: [
              {
                objectId: 1,
                comment: v.body,
                orig: v.body,
                nick: v.name,
                link: v.url,
                avatar: v.avatarUrl,
                status: 'approved',
                time: 1,
                children: [],
              },
            ],
          },
        }),
      ).fetch,
    }),
};

const SAFE: Hostile = { name: 'Ann', url: 'https://ann.example/', avatarUrl: 'https://cdn.example/a.png', body: '<p>hi</p>' };

/** What the protocol validator makes of an author. */
const expected = (v: Hostile, server: string): Author => {
  const author = parseComment({ id: 'x', author: { name: v.name, url: v.url, avatarUrl: v.avatarUrl } })!.author;
  // Remark42 users have no website field; Isso and Artalk have no avatar of their own here.
  return server === 'remark42' ? { ...author, url: null } : author;
};

describe.each(Object.keys(SERVERS))('%s adapter at the boundary', (server) => {
  const read = async (value: Hostile, guarded = true) => {
    const adapter = SERVERS[server]!(value);
    const page = await (guarded ? guardAdapter(adapter) : adapter).list('/t/', { sort: 'oldest', limit: 10, cursor: null });
    expect(page.comments).toHaveLength(1);
    return page.comments[0]!;
  };

  it('keeps a safe author as it is', async () => {
    expect((await read(SAFE)).author).toEqual(expected(SAFE, server));
  });

  it('lets hostile names, websites and avatars through exactly as parseComment does', async () => {
    for (const entry of XSS_CORPUS) {
      const field =
        entry.field === 'author.name'
          ? 'name'
          : entry.field === 'author.url'
            ? 'url'
            : entry.field === 'author.avatarUrl'
              ? 'avatarUrl'
              : null;
      if (!field) continue;
      const value = { ...SAFE, [field]: entry.payload };
      expect((await read(value)).author, entry.id).toEqual(expected(value, server));
    }
  });

  it('hands hostile bodies on as text and as bodyHtml, never as markup of their own', async () => {
    // (Iframe and stylesheet payloads left out: happy-dom's DOMParser, unlike a browser's, tries
    // to load them and logs that it may not; sanitize-html.test.ts covers them.)
    for (const entry of XSS_CORPUS.filter((e) => e.field === 'body' && !/<(iframe|link)/i.test(e.payload))) {
      const comment = await read({ ...SAFE, body: entry.payload }, false);
      expect(typeof comment.body).toBe('string');
      expect((comment as { bodyHtml?: unknown }).bodyHtml).toBe(entry.payload);
    }
  });
});
