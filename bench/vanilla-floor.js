// The floor for `npm run bench`: a minimal hand-written renderer of Confab's markup with plain
// DOM calls, no framework, no state. It reads the same protocol answer, builds the same
// elements (same classes, attributes and strings, same flat list past depth 6) in an open
// shadow root with Confab's CSS (CONFAB_CSS, prepended by the bench server), all in one go.
// What it leaves out: everything interactive (no listeners, no forms that work, no store).
// Script attributes: data-endpoint, data-thread, data-page-size.
(function () {
  'use strict';
  var script = document.currentScript;
  var endpoint = script.dataset.endpoint;
  var threadId = script.dataset.thread;
  var pageSize = Number(script.dataset.pageSize || 20);
  var MAX_DEPTH = 6;
  var locale = 'en';
  var relative = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  var plural = new Intl.PluralRules(locale);
  var UNITS = [
    ['year', 31536000],
    ['month', 2592000],
    ['week', 604800],
    ['day', 86400],
    ['hour', 3600],
    ['minute', 60],
  ];
  var now = Date.now();

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) for (var key in attrs) node.setAttribute(key, attrs[key]);
    if (children)
      for (var i = 0; i < children.length; i++) {
        var child = children[i];
        node.append(typeof child === 'string' ? document.createTextNode(child) : child);
      }
    return node;
  }
  function count(one, other, n) {
    return (plural.select(n) === 'one' ? one : other).replace('{count}', String(n));
  }
  function relativeTime(time) {
    var seconds = Math.round((time - Math.max(now, time)) / 1000);
    for (var i = 0; i < UNITS.length; i++) {
      if (Math.abs(seconds) >= UNITS[i][1]) return relative.format(Math.trunc(seconds / UNITS[i][1]), UNITS[i][0]);
    }
    return relative.format(0, 'second');
  }
  function initials(name) {
    var words = name.trim().split(/\s+/).filter(Boolean).slice(0, 2);
    return (
      words
        .map(function (w) {
          return Array.from(w)[0];
        })
        .join('')
        .toLocaleUpperCase() || '?'
    );
  }
  function colour(name) {
    var hash = 0x811c9dc5;
    for (var i = 0; i < name.length; i++) hash = Math.imul(hash ^ name.charCodeAt(i), 0x01000193);
    return (hash >>> 0) % 8;
  }

  // Body text → <p> with <br>, links, <strong>, <em> (the formats the bench threads use).
  var INLINE = /(https?:\/\/[^\s<>"']+)|\*\*([^*\n]+)\*\*|\*([^*\n]+)\*/g;
  function inline(parent, line) {
    var last = 0;
    var match;
    INLINE.lastIndex = 0;
    while ((match = INLINE.exec(line))) {
      if (match.index > last) parent.append(document.createTextNode(line.slice(last, match.index)));
      if (match[1]) {
        var url = match[1].replace(/[.,;:!?]+$/, '');
        parent.append(el('a', { href: url, rel: 'nofollow ugc noopener noreferrer', target: '_blank', dir: 'ltr' }, [url]));
        last = match.index + url.length;
        INLINE.lastIndex = last;
        continue;
      }
      parent.append(match[2] !== undefined ? el('strong', null, [match[2]]) : el('em', null, [match[3]]));
      last = match.index + match[0].length;
    }
    if (last < line.length) parent.append(document.createTextNode(line.slice(last)));
  }
  function body(text) {
    var container = el('div', { class: 'confab-body', part: 'body' });
    var paragraphs = text.split(/\n\s*\n/);
    for (var i = 0; i < paragraphs.length; i++) {
      var p = document.createElement('p');
      var lines = paragraphs[i].split('\n');
      for (var j = 0; j < lines.length; j++) {
        if (j > 0) p.append(document.createElement('br'));
        inline(p, lines[j]);
      }
      container.append(p);
    }
    return container;
  }

  var byId = new Map();
  var children = new Map();
  var replyCount = new Map();

  function countReplies(id) {
    // Iterative post-order: descendants of every comment.
    var order = [];
    var stack = [id];
    while (stack.length) {
      var next = stack.pop();
      order.push(next);
      var kids = children.get(next) || [];
      for (var i = 0; i < kids.length; i++) stack.push(kids[i]);
    }
    for (var k = order.length - 1; k >= 0; k--) {
      var total = 0;
      var list = children.get(order[k]) || [];
      for (var m = 0; m < list.length; m++) total += 1 + replyCount.get(list[m]);
      replyCount.set(order[k], total);
    }
  }

  function comment(id, depth) {
    var c = byId.get(id);
    var name = c.author.name || 'Guest';
    var time = Date.parse(c.createdAt);
    var kids = children.get(id) || [];
    var flat = depth > MAX_DEPTH;
    var repliesId = 'confab-replies-' + depth + '-' + id;
    var author = c.author.url
      ? el(
          'a',
          {
            class: 'confab-author',
            part: 'author',
            href: c.author.url,
            rel: 'nofollow ugc noopener noreferrer',
            target: '_blank',
          },
          [el('bdi', null, [name])],
        )
      : el('bdi', { class: 'confab-author', part: 'author' }, [name]);
    var header = el('header', { class: 'confab-meta' }, [
      el('span', { class: 'confab-avatar confab-avatar--' + colour(c.author.name), 'aria-hidden': 'true', part: 'avatar' }, [
        initials(c.author.name),
      ]),
      author,
      // The widget writes the exact time as a tooltip on first hover; the floor has no hover.
      el('a', { class: 'confab-permalink', href: '#comment-' + encodeURIComponent(id), 'data-time': String(time) }, [
        relativeTime(time),
      ]),
    ]);
    var parts = [header];
    if (flat)
      parts.push(
        el('p', { class: 'confab-context' }, [
          '↳ ',
          el('bdi', null, ['Replying to ' + (byId.get(c.parentId).author.name || 'Guest')]),
        ]),
      );
    parts.push(body(c.body));
    parts.push(
      el('div', { class: 'confab-actions', part: 'actions' }, [
        el(
          'span',
          {
            class: 'confab-votes',
            role: 'group',
            'aria-label': count('{count} point', '{count} points', c.score),
            'data-score': String(c.score),
          },
          [
            el('button', {
              type: 'button',
              class: 'confab-vote confab-vote--up',
              'data-action': 'upvote',
              'aria-label': 'Upvote',
              'aria-pressed': 'false',
            }),
            el('button', {
              type: 'button',
              class: 'confab-vote confab-vote--down',
              'data-action': 'downvote',
              'aria-label': 'Downvote',
              'aria-pressed': 'false',
            }),
          ],
        ),
        el('button', { type: 'button', class: 'confab-link-button', 'data-action': 'reply', 'aria-expanded': 'false' }, [
          'Reply',
        ]),
        el('button', { type: 'button', class: 'confab-link-button', 'data-action': 'copy' }, ['Copy link']),
      ]),
    );
    if (kids.length > 0) {
      var toggle = {
        type: 'button',
        class: 'confab-link-button confab-toggle',
        'data-action': 'toggle',
        'aria-expanded': 'true',
      };
      if (!flat) toggle['aria-controls'] = repliesId;
      parts.push(el('button', toggle, [count('Hide {count} reply', 'Hide {count} replies', replyCount.get(id))]));
    }
    var article = el(
      'article',
      {
        id: 'comment-' + encodeURIComponent(id),
        tabindex: '-1',
        class: 'confab-comment',
        'aria-label': 'Comment by ' + name,
        part: 'comment',
      },
      parts,
    );
    var item = el('li', { class: depth > 0 ? 'confab-item confab-item--reply' : 'confab-item' }, [article]);
    if (kids.length > 0 && depth < MAX_DEPTH) {
      var list = el('ul', { class: 'confab-replies', id: repliesId, role: 'list' });
      for (var i = 0; i < kids.length; i++) list.append(comment(kids[i], depth + 1));
      item.append(list);
    } else if (kids.length > 0 && depth === MAX_DEPTH) {
      // Every descendant in reading order, in one flat list.
      var flatList = el('ul', { class: 'confab-replies confab-replies--flat', id: repliesId, role: 'list' });
      var stack = kids.slice().reverse();
      while (stack.length) {
        var next = stack.pop();
        flatList.append(comment(next, depth + 1));
        var below = children.get(next) || [];
        for (var j = below.length - 1; j >= 0; j--) stack.push(below[j]);
      }
      item.append(flatList);
    }
    return item;
  }

  function field(cls, id, label, control) {
    return el('div', { class: 'confab-field ' + cls }, [el('label', { for: id }, [label]), control]);
  }

  function render(host, page) {
    var shadow = host.attachShadow({ mode: 'open' });
    var sheet = new CSSStyleSheet();
    sheet.replaceSync(CONFAB_CSS);
    shadow.adoptedStyleSheets = [sheet];
    var byTime = function (a, b) {
      return Date.parse(byId.get(a).createdAt) - Date.parse(byId.get(b).createdAt) || (a < b ? -1 : 1);
    };
    for (var i = 0; i < page.comments.length; i++) {
      var c = page.comments[i];
      byId.set(c.id, c);
    }
    byId.forEach(function (c) {
      var parent = c.parentId !== null && byId.has(c.parentId) ? c.parentId : null;
      if (!children.has(parent)) children.set(parent, []);
      children.get(parent).push(c.id);
    });
    children.forEach(function (ids) {
      ids.sort(byTime);
    });
    var roots = children.get(null) || [];
    for (var r = 0; r < roots.length; r++) countReplies(roots[r]);

    var container = el('div', { class: 'confab confab--light', lang: 'en', dir: 'ltr' });
    var list = el('ul', { class: 'confab-list', role: 'list', 'aria-busy': 'false' });
    for (var k = 0; k < roots.length; k++) list.append(comment(roots[k], 0));
    container.append(
      el(
        'section',
        { class: 'confab-thread', 'aria-labelledby': 'floor-heading', part: 'thread' },
        [
          el('header', { class: 'confab-header' }, [
            el('h2', { id: 'floor-heading', class: 'confab-heading', part: 'heading' }, [
              count('{count} comment', '{count} comments', page.thread.commentCount),
            ]),
            el('div', { class: 'confab-sort', role: 'group', 'aria-label': 'Sort comments' }, [
              el('button', { type: 'button', class: 'confab-sort-button', 'aria-pressed': 'true' }, ['Oldest']),
              el('button', { type: 'button', class: 'confab-sort-button', 'aria-pressed': 'false' }, ['Newest']),
              el('button', { type: 'button', class: 'confab-sort-button', 'aria-pressed': 'false' }, ['Top']),
            ]),
          ]),
          el('form', { class: 'confab-form', part: 'form', novalidate: '' }, [
            field(
              'confab-field--body',
              'floor-body',
              'Your comment',
              el('textarea', { id: 'floor-body', name: 'body', rows: '4' }),
            ),
            el('div', { class: 'confab-form-identity' }, [
              field(
                'confab-field--name',
                'floor-name',
                'Name',
                el('input', { id: 'floor-name', name: 'name', autocomplete: 'name', placeholder: 'Guest' }),
              ),
              field(
                'confab-field--email',
                'floor-email',
                'Email (optional, never shown)',
                el('input', { id: 'floor-email', name: 'email', type: 'email' }),
              ),
            ]),
            el('div', { class: 'confab-form-actions' }, [
              el('button', { type: 'submit', class: 'confab-button confab-button--primary' }, ['Post comment']),
            ]),
          ]),
          list,
        ].concat(
          page.nextCursor
            ? [
                el('div', { class: 'confab-more' }, [
                  el('button', { type: 'button', class: 'confab-button' }, ['Load more comments']),
                ]),
              ]
            : [],
        ),
      ),
    );
    shadow.append(container);
  }

  var host = document.getElementById('confab');
  var url = endpoint.replace(/\/$/, '') + '/threads/' + encodeURIComponent(threadId) + '/comments?sort=oldest&limit=' + pageSize;
  fetch(url, { credentials: 'omit' })
    .then(function (response) {
      return response.json();
    })
    .then(function (page) {
      render(host, page);
    });
})();
