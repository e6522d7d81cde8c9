// The benchmark's own server on 127.0.0.1: the widgets' scripts, the bench pages, and a small
// mock of each widget's API, all answering at once from data prepared in memory.
//
//   /s/confab.iife.js, /s/locales/*,      dist/ (npm run build)
//   /s/confab-<part>.iife.js
//   /s/artalk/Artalk.js, Artalk.css       node_modules/artalk/dist (the script-tag build)
//   /s/waline/waline.umd.js, waline.css   node_modules/@waline/client/dist (the script-tag build)
//   /s/vanilla-floor.js                   bench/vanilla-floor.js, with Confab's CSS inlined
//   /confab/paged/threads/{id}/comments   the Confab protocol, `limit` top-level per page
//   /confab/all/threads/{id}/comments     the same, every comment in one page (no nextCursor)
//   /artalk/{id}/api/v2/…                 Artalk 2.9's GET /conf, GET /comments, POST /pages/pv
//   /waline/{id}/api/…                    Waline 3's GET /comment (and /article)
//   /p/…                                  pages registered with setPage()
//
// Threads are registered with addThread(); `{id}` is the thread id (bench-1000, …).
import { createServer } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const file = (path) => readFileSync(root + path);

const STATIC = {
  '/s/artalk/Artalk.js': ['node_modules/artalk/dist/Artalk.js', 'text/javascript'],
  '/s/artalk/Artalk.css': ['node_modules/artalk/dist/Artalk.css', 'text/css'],
  '/s/waline/waline.umd.js': ['node_modules/@waline/client/dist/waline.umd.js', 'text/javascript'],
  '/s/waline/waline.css': ['node_modules/@waline/client/dist/waline.css', 'text/css'],
};

const AVATAR = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><rect width="40" height="40" fill="#9aa"/></svg>';

/** Confab's widget CSS, as the IIFE carries it (dist/styles/widget.js exports it as a string). */
async function confabCss() {
  const module = await import(new URL('../dist/styles/widget.js', import.meta.url).href + `?t=${Date.now()}`);
  return module.default;
}

const escapeHtml = (text) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

/** What a Waline server sends: its markdown rendered to HTML on the server. */
function markdownToHtml(body) {
  return body
    .split(/\n{2,}/)
    .map((paragraph) => {
      let html = escapeHtml(paragraph)
        .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
        .replace(/\*([^*]+)\*/g, '<em>$1</em>')
        .replace(/https?:\/\/[^\s<]+/g, (url) => `<a href="${url}" target="_blank" rel="nofollow noreferrer noopener">${url}</a>`)
        .replace(/\n/g, '<br>');
      return `<p>${html}</p>`;
    })
    .join('\n');
}

const pad = (n) => String(n).padStart(2, '0');
/** Artalk's date format: "2006-01-02 15:04:05". */
const artalkDate = (iso) => {
  const d = new Date(iso);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
};
const hashOf = (text) => {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0').repeat(8);
};

/** Everything the mocks need about one thread, computed once. */
function prepare(thread) {
  const { comments } = thread;
  const byId = new Map(comments.map((c) => [c.id, c]));
  const children = new Map();
  for (const c of comments) {
    if (!children.has(c.parentId)) children.set(c.parentId, []);
    children.get(c.parentId).push(c);
  }
  const roots = children.get(null) ?? [];
  const time = (c) => Date.parse(c.createdAt);
  const rootOrders = {
    oldest: [...roots].sort((a, b) => time(a) - time(b)),
    newest: [...roots].sort((a, b) => time(b) - time(a)),
    top: [...roots].sort((a, b) => b.score - a.score || time(a) - time(b)),
  };
  /** A root and every comment below it, parents first. */
  const subtree = new Map();
  const rootOf = new Map();
  for (const r of roots) {
    const list = [];
    const queue = [r];
    for (let i = 0; i < queue.length; i++) {
      list.push(queue[i]);
      rootOf.set(queue[i].id, r.id);
      for (const child of children.get(queue[i].id) ?? []) queue.push(child);
    }
    subtree.set(r.id, list);
  }
  const numeric = new Map(comments.map((c, i) => [c.id, i + 1]));
  return { thread, byId, roots, rootOrders, subtree, rootOf, numeric, cache: new Map() };
}

/**
 * @param {{ otherBuilds?: string[] }} [options] otherBuilds: folders each holding another
 *   build's confab.iife.js, its parts and locales/ (a copy of dist/), served under /b0/, /b1/…
 *   for bench/ab.mjs
 */
export async function startMockServer({ otherBuilds = [] } = {}) {
  const threads = new Map();
  const pages = new Map();
  // A snapshot of every script at start: others may rebuild dist/ while a run goes on, and
  // every load of one run must measure the same bundle.
  const css = await confabCss();
  const files = new Map();
  const snapshot = (path) => {
    if (!files.has(path)) files.set(path, file(path));
    return files.get(path);
  };
  for (const path of [
    'dist/confab.iife.js',
    'dist/confab.iife.js.map',
    'bench/vanilla-floor.js',
    ...Object.values(STATIC).map(([f]) => f),
  ])
    snapshot(path);
  const counts = new Map();
  let origin = '';

  const json = (res, status, body) => {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(status, {
      'Content-Type': 'application/json; charset=utf-8',
      'Cache-Control': 'no-store',
      'Access-Control-Allow-Origin': '*',
    });
    res.end(text);
  };
  const send = (res, type, body) => {
    res.writeHead(200, { 'Content-Type': `${type}; charset=utf-8`, 'Cache-Control': 'no-store' });
    res.end(body);
  };
  /** Cached JSON text per (thread, key): a 10,000-comment answer is built once. */
  const cached = (t, key, make) => {
    if (!t.cache.has(key)) t.cache.set(key, JSON.stringify(make()));
    return t.cache.get(key);
  };

  function confab(res, mode, threadId, query) {
    const t = threads.get(threadId);
    if (!t)
      return json(res, 200, {
        thread: { id: threadId, title: null, url: null, commentCount: 0, locked: false },
        comments: [],
        nextCursor: null,
      });
    const sort = ['oldest', 'newest', 'top'].includes(query.get('sort')) ? query.get('sort') : 'oldest';
    const order = t.rootOrders[sort];
    const limit = mode === 'all' ? order.length : Math.max(1, Math.min(100, Number(query.get('limit')) || 20));
    const offset = Math.max(0, Number(query.get('cursor')) || 0);
    const body = cached(t, `confab:${mode}:${sort}:${limit}:${offset}`, () => {
      const page = order.slice(offset, offset + limit);
      const end = offset + page.length;
      return {
        thread: t.thread.thread,
        comments: page.flatMap((r) => t.subtree.get(r.id)),
        nextCursor: end < order.length ? String(end) : null,
      };
    });
    json(res, 200, body);
  }

  function artalkComment(t, c) {
    return {
      id: t.numeric.get(c.id),
      content: c.body,
      content_marked: '',
      nick: c.author.name,
      email_encrypted: hashOf(c.author.name),
      link: c.author.url ?? '',
      rid: c.parentId === null ? 0 : t.numeric.get(c.parentId),
      ua: '',
      date: artalkDate(c.createdAt),
      is_collapsed: false,
      is_pending: false,
      is_pinned: false,
      is_verified: false,
      badge_name: '',
      badge_color: '',
      ip_region: '',
      is_allow_reply: true,
      page_key: t.thread.thread.url,
      page_url: t.thread.thread.url,
      visible: true,
      site_name: 'bench',
      user_id: 0,
      vote_up: c.score,
      vote_down: 0,
    };
  }

  function artalk(req, res, threadId, path, query) {
    const t = threads.get(threadId);
    if (path === '/conf') {
      return json(res, 200, { frontend_conf: {}, version: { app: 'artalk', version: '2.9.1', commit_hash: '' } });
    }
    if (path === '/pages/pv') return json(res, 200, { pv: 1 });
    if (path === '/comments' && req.method === 'GET' && t) {
      const limit = Math.max(1, Number(query.get('limit')) || 20);
      const offset = Math.max(0, Number(query.get('offset')) || 0);
      const body = cached(t, `artalk:${limit}:${offset}`, () => {
        const page = t.rootOrders.oldest.slice(offset, offset + limit);
        return {
          comments: page.flatMap((r) => t.subtree.get(r.id)).map((c) => artalkComment(t, c)),
          count: t.thread.comments.length,
          roots_count: t.roots.length,
          page: {
            id: 1,
            key: t.thread.thread.url,
            title: t.thread.thread.title,
            url: t.thread.thread.url,
            admin_only: false,
            site_name: 'bench',
            vote_up: 0,
            vote_down: 0,
            pv: 1,
            date: '',
          },
        };
      });
      return json(res, 200, body);
    }
    json(res, 404, { msg: 'not in the mock' });
  }

  function walineComment(t, c) {
    return {
      objectId: t.numeric.get(c.id),
      time: Date.parse(c.createdAt),
      comment: markdownToHtml(c.body),
      orig: c.body,
      like: c.score,
      nick: c.author.name,
      link: c.author.url ?? '',
      avatar: `${origin}/avatar.svg`,
      type: 'guest',
      browser: '',
      os: '',
      status: 'approved',
    };
  }

  function waline(req, res, threadId, path, query) {
    const t = threads.get(threadId);
    if (path === '/article') return json(res, 200, { errno: 0, errmsg: '', data: [{ time: 1 }] });
    if (path === '/comment' && req.method === 'GET' && t && !query.get('type')) {
      const pageSize = Math.max(1, Number(query.get('pageSize')) || 10);
      const page = Math.max(1, Number(query.get('page')) || 1);
      const body = cached(t, `waline:${pageSize}:${page}`, () => {
        const roots = t.rootOrders.oldest.slice((page - 1) * pageSize, page * pageSize);
        return {
          errno: 0,
          errmsg: '',
          data: {
            page,
            totalPages: Math.ceil(t.roots.length / pageSize),
            pageSize,
            count: t.thread.comments.length,
            data: roots.map((r) => {
              // Waline's server: every descendant of a root in one `children` list, newest
              // first, each with `pid` (parent), `rid` (root) and `reply_user` (the parent).
              const root = { ...walineComment(t, r), sticky: false, children: [] };
              root.children = t.subtree
                .get(r.id)
                .slice(1)
                .map((c) => {
                  const parent = t.byId.get(c.parentId);
                  return {
                    ...walineComment(t, c),
                    pid: t.numeric.get(c.parentId),
                    rid: t.numeric.get(r.id),
                    reply_user: { nick: parent.author.name, link: parent.author.url ?? '', avatar: `${origin}/avatar.svg` },
                  };
                })
                .reverse();
              return root;
            }),
          },
        };
      });
      return json(res, 200, body);
    }
    json(res, 404, { errno: 404, errmsg: 'not in the mock' });
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    const path = url.pathname;
    const key = path.split('/').slice(0, 3).join('/');
    counts.set(key, (counts.get(key) ?? 0) + 1);
    try {
      if (req.method === 'OPTIONS') {
        res.writeHead(204, {
          'Access-Control-Allow-Origin': '*',
          'Access-Control-Allow-Headers': '*',
          'Access-Control-Allow-Methods': 'GET, POST, PUT, DELETE',
        });
        return res.end();
      }
      let match;
      if ((match = path.match(/^\/confab\/(paged|all)\/threads\/([^/]+)\/comments$/)))
        return confab(res, match[1], decodeURIComponent(match[2]), url.searchParams);
      if ((match = path.match(/^\/confab\/(paged|all)\/threads\/([^/]+)\/events$/)))
        return json(res, 404, { error: { code: 'not_found', message: 'no events in the bench' } });
      if ((match = path.match(/^\/artalk\/([^/]+)\/api\/v2(\/.*)$/)))
        return artalk(req, res, decodeURIComponent(match[1]), match[2], url.searchParams);
      if ((match = path.match(/^\/waline\/([^/]+)\/api(\/[^/]*)$/)))
        return waline(req, res, decodeURIComponent(match[1]), match[2], url.searchParams);
      if (path === '/s/confab.iife.js') return send(res, 'text/javascript', snapshot('dist/confab.iife.js'));
      // The parts the script tag loads on demand (confab-adopt.iife.js on a page with the server's view).
      if ((match = path.match(/^\/s\/(confab-[a-z]+\.iife\.js)$/)) && existsSync(`${root}dist/${match[1]}`))
        return send(res, 'text/javascript', snapshot(`dist/${match[1]}`));
      if ((match = path.match(/^\/s\/locales\/([a-z]{2}\.iife\.js)$/)))
        return send(res, 'text/javascript', snapshot(`dist/locales/${match[1]}`));
      if ((match = path.match(/^\/b(\d+)\/((?:locales\/)?[a-zA-Z-]+\.iife\.js)$/)) && otherBuilds[match[1]]) {
        const file = `${otherBuilds[match[1]]}/${match[2]}`;
        if (!files.has(file) && existsSync(file)) files.set(file, readFileSync(file));
        if (files.has(file)) return send(res, 'text/javascript', files.get(file));
      }
      if (path === '/s/vanilla-floor.js') {
        return send(res, 'text/javascript', `var CONFAB_CSS = ${JSON.stringify(css)};\n${snapshot('bench/vanilla-floor.js')}`);
      }
      if (STATIC[path]) return send(res, STATIC[path][1], snapshot(STATIC[path][0]));
      if (path === '/avatar.svg') {
        res.writeHead(200, { 'Content-Type': 'image/svg+xml', 'Cache-Control': 'max-age=3600' });
        return res.end(AVATAR);
      }
      if (pages.has(path)) return send(res, 'text/html', pages.get(path));
      if (path === '/favicon.ico') {
        res.writeHead(204);
        return res.end();
      }
      json(res, 404, { error: { code: 'not_found', message: `nothing at ${path}` } });
    } catch (error) {
      json(res, 500, { error: { code: 'internal', message: String(error) } });
    }
  });
  server.keepAliveTimeout = 60_000;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${server.address().port}`;

  return {
    url: origin,
    /** The IIFE and its source map as served in this run. */
    bundle: snapshot('dist/confab.iife.js'),
    bundleMap: snapshot('dist/confab.iife.js.map').toString('utf8'),
    addThread(thread) {
      threads.set(thread.thread.id, prepare(thread));
    },
    setPage(path, html) {
      pages.set(path, html);
    },
    /** Top-level comments on the first page of `size` roots (oldest first), with their replies. */
    firstPageCount(threadId, roots) {
      const t = threads.get(threadId);
      return t.rootOrders.oldest.slice(0, roots).reduce((sum, r) => sum + t.subtree.get(r.id).length, 0);
    },
    requestCounts: () => Object.fromEntries(counts),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
