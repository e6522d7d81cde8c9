// The widget over each server adapter (src/adapters/), fed by that server's recorded answers
// (test/fixtures/adapters/<server>/): the real adapter code runs, only `fetch` is fake. Posting,
// replying and voting work against a small in-story server that answers in the server's own
// shapes. Avatars are left out of the answers: they would be requests to the recorded hosts.
import type { Meta, StoryObj } from '@storybook/preact';
import type { Loader } from '@storybook/preact';
import { createArtalkAdapter } from '../src/adapters/artalk';
import { createIssoAdapter } from '../src/adapters/isso';
import { createRemark42Adapter } from '../src/adapters/remark42';
import { createWalineAdapter } from '../src/adapters/waline';
import { createStorage } from '../src/store/storage';
import { createThreadStore } from '../src/store/thread-store';
import type { Adapter } from '../src/types';
import { Thread } from '../src/ui/Thread';
import { DEFAULT_LATENCY, type LoadedWidget, type WidgetArgs } from './support/widget';
import remark42Page1 from '../test/fixtures/adapters/remark42/find-page1.json';
import remark42Page2 from '../test/fixtures/adapters/remark42/find-page2.json';
import remark42Created from '../test/fixtures/adapters/remark42/comment-created.json';
import remark42Vote from '../test/fixtures/adapters/remark42/vote.json';
import issoPage1 from '../test/fixtures/adapters/isso/fetch-page1.json';
import issoPage2 from '../test/fixtures/adapters/isso/fetch-page2.json';
import issoNew from '../test/fixtures/adapters/isso/new.json';
import issoLike from '../test/fixtures/adapters/isso/like.json';
import artalkPage1 from '../test/fixtures/adapters/artalk/comments-page1.json';
import artalkPage2 from '../test/fixtures/adapters/artalk/comments-page2.json';
import artalkCreated from '../test/fixtures/adapters/artalk/comment-created.json';
import artalkVote from '../test/fixtures/adapters/artalk/vote-up.json';
import walinePage1 from '../test/fixtures/adapters/waline/comment-page1.json';
import walinePage2 from '../test/fixtures/adapters/waline/comment-page2.json';
import walineCreated from '../test/fixtures/adapters/waline/comment-created.json';
import walineLike from '../test/fixtures/adapters/waline/like.json';

type Json = Record<string, any>;
type Answer = (request: { method: string; url: URL; body: Json }) => unknown;

const THREAD = '/posts/statement/';

/** Deep copy without avatar addresses (no request leaves the story for a recorded host). */
function recorded<T>(value: T): T {
  return JSON.parse(JSON.stringify(value), (key, item) => (['picture', 'avatar', 'gravatar_image'].includes(key) ? '' : item));
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
/** What the servers render a plain comment as: one paragraph (their Markdown is not needed here). */
const paragraph = (text: string) => `<p>${escapeHtml(text).replace(/\n/g, '<br>')}</p>\n`;

let sequence = 1000;

/** A `fetch` that answers from `answer`, after the latency the story's control sets. */
function fakeServer(answer: Answer, latency: () => number): typeof fetch {
  return async (input, init) => {
    const request = input instanceof Request ? input : new Request(input, init);
    const text = request.method === 'GET' ? '' : await request.text();
    const wait = latency();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const body = answer({ method: request.method, url: new URL(request.url), body: text ? JSON.parse(text) : {} });
    return new Response(JSON.stringify(body), {
      status: request.method === 'POST' && request.url.includes('/api/v1/comment') ? 201 : 200,
      headers: { 'Content-Type': 'application/json' },
    });
  };
}

const SERVERS: Record<string, (fetch: typeof globalThis.fetch) => Adapter> = {
  remark42: (fetch) =>
    createRemark42Adapter({
      host: 'https://remark42.example.com',
      url: (id) => `https://blog.example.com${id}`,
      token: 'story-jwt',
      fetch,
    }),
  isso: (fetch) => createIssoAdapter({ url: 'https://comments.example.com/isso/', fetch }),
  artalk: (fetch) => createArtalkAdapter({ server: 'https://artalk.example.com', site: 'Blog', fetch }),
  waline: (fetch) => createWalineAdapter({ serverURL: 'https://waline.example.com', fetch }),
};

const ANSWERS: Record<string, Answer> = {
  remark42: ({ method, url, body }) => {
    if (url.pathname.startsWith('/api/v1/vote/')) return remark42Vote;
    if (method === 'POST')
      return {
        ...recorded(remark42Created),
        id: `story-${++sequence}`,
        pid: body.pid,
        orig: body.text,
        text: paragraph(body.text),
        time: new Date().toISOString(),
      };
    if (method === 'PUT')
      return {
        ...recorded(remark42Created),
        id: url.pathname.split('/').pop(),
        orig: body.text,
        text: paragraph(body.text ?? ''),
        delete: body.delete,
      };
    return recorded(url.searchParams.get('offset_id') ? remark42Page2 : remark42Page1);
  },
  isso: ({ method, url, body }) => {
    if (url.pathname.endsWith('/like') || url.pathname.endsWith('/dislike')) return issoLike;
    if (method === 'POST')
      return {
        ...recorded(issoNew),
        id: ++sequence,
        parent: body.parent,
        author: body.author,
        text: paragraph(body.text),
        created: Date.now() / 1000,
      };
    return recorded(Number(url.searchParams.get('offset')) > 0 ? issoPage2 : issoPage1);
  },
  artalk: ({ method, url, body }) => {
    if (url.pathname.includes('/votes/')) return artalkVote;
    if (method === 'POST') {
      return {
        ...recorded(artalkCreated),
        id: ++sequence,
        rid: body.rid,
        nick: body.name,
        content: body.content,
        content_marked: paragraph(body.content),
        date: new Date().toISOString().slice(0, 19).replace('T', ' '),
      };
    }
    return recorded(Number(url.searchParams.get('offset')) > 0 ? artalkPage2 : artalkPage1);
  },
  waline: ({ method, url, body }) => {
    if (method === 'PUT') return walineLike;
    if (method === 'POST') {
      const created = recorded(walineCreated);
      return {
        ...created,
        data: {
          ...created.data,
          objectId: ++sequence,
          pid: body.pid,
          rid: body.rid,
          nick: body.nick,
          orig: body.comment,
          comment: paragraph(body.comment),
          time: Date.now(),
        },
      };
    }
    return recorded(url.searchParams.get('page') === '2' ? walinePage2 : walinePage1);
  },
};

/** Like widgetLoader (stories/support/widget.tsx), over a server adapter instead of the memory one. */
function adapterLoader(server: string, pageSize: number): Loader {
  return async (context) => {
    let latency = 0;
    const adapter = SERVERS[server]!(fakeServer(ANSWERS[server]!, () => latency));
    const store = createThreadStore({ adapter, threadId: THREAD, pageSize, storage: createStorage('confab-story:', null) });
    await store.load();
    latency = (context.args as Partial<WidgetArgs>).latency ?? DEFAULT_LATENCY;
    // The decorator sets `latency` on the adapter object; the fake server reads it from there.
    const confab = {
      adapter: Object.defineProperty(adapter, 'latency', { set: (value: number) => void (latency = value), get: () => latency }),
      store,
      focus: null,
    };
    return { confab: confab as unknown as LoadedWidget };
  };
}

const meta = {
  title: 'Adapters',
  render: () => <Thread />,
} satisfies Meta<Partial<WidgetArgs>>;

export default meta;
type Story = StoryObj<typeof meta>;

/**
 * Remark42 (`createRemark42Adapter`) with a signed-in reader's token: a deleted comment that
 * keeps its reply, an edited one, Remark42's rendered HTML. "Load more" reads the second page
 * by `offset_id`, whose answer marks the post read-only (the form goes away).
 */
export const Remark42: Story = { loaders: [adapterLoader('remark42', 2)] };

/** Isso (`createIssoAdapter`): one level of replies, a deleted reply, likes and dislikes. */
export const Isso: Story = { loaders: [adapterLoader('isso', 2)] };

/** Artalk (`createArtalkAdapter`): a pending reply, page title from Artalk, pages by offset. */
export const Artalk: Story = { loaders: [adapterLoader('artalk', 2)] };

/** Waline (`createWalineAdapter`), answers recorded from a real Waline 1.39.3: likes only. */
export const Waline: Story = { loaders: [adapterLoader('waline', 2)] };
