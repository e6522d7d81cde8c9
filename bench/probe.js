// Injected first into every bench page (inline, before any widget), the same for every widget:
// an outside observer that knows nothing of any widget's markup. Every comment of a bench
// thread carries a token of its own in its text (`Zq<n>q`, bench/thread-gen.mjs); the probe
// watches the composed tree (the document, every shadow root: attachShadow is wrapped before any
// widget runs, and declarative shadow roots are picked up as their hosts arrive) with
// MutationObservers and records, as performance.now() (ms since navigation start), when
//   first      the first comment's text exists in the document or a shadow root
//   firstView  the text of as many comments as the widget's first page holds exists
//   all        the text of every comment of the thread exists (when expectAll is set)
// Text inside <script>, <style>, <template>, <noscript> and <textarea> does not count (a
// server-rendered page carries its data as JSON in a script). Each mark has a "…Painted" twin:
// a message posted from the next animation frame's callback, which runs after that frame's
// style, layout and paint: the time a reader can see it.
// It also keeps every long task (PerformanceObserver 'longtask', buffered) and sums layout
// shifts (CLS as Lighthouse counts it without session windows: the bench has no input).
// Configured by window.__BENCH = { expectFirst, expectAll, clickMore, timeoutMs }; clickMore is
// the one piece of markup it knows: the selector of a "Load more" button it clicks until done
// (a reader asking for everything), never used for timing.
(function () {
  'use strict';
  var cfg = window.__BENCH;
  // When the page's own HTML is being parsed (this script is in its <head>): the floor under
  // any text of the page, a widget's or a server-rendered one.
  var marks = { parsed: performance.now() };
  var longTasks = [];
  var seen = Object.create(null);
  var found = 0;
  var roots = [];
  window.__bench = {
    marks: marks,
    longTasks: longTasks,
    count: function () {
      return found;
    },
    done: false,
    clicks: 0,
  };
  try {
    new PerformanceObserver(function (list) {
      list.getEntries().forEach(function (e) {
        longTasks.push([Math.round(e.startTime), Math.round(e.duration)]);
      });
    }).observe({ type: 'longtask', buffered: true });
  } catch (e) {
    window.__bench.longTaskError = String(e);
  }
  window.__bench.layoutShift = 0;
  try {
    new PerformanceObserver(function (list) {
      list.getEntries().forEach(function (e) {
        if (!e.hadRecentInput) window.__bench.layoutShift += e.value;
      });
    }).observe({ type: 'layout-shift', buffered: true });
  } catch (e) {
    window.__bench.layoutShiftError = String(e);
  }

  var channel = new MessageChannel();
  channel.port1.onmessage = function (event) {
    marks[event.data + 'Painted'] = performance.now();
  };
  function mark(name) {
    if (marks[name] !== undefined) return;
    marks[name] = performance.now();
    requestAnimationFrame(function () {
      channel.port2.postMessage(name);
    });
  }

  var TOKEN = /Zq(\d+)q/g;
  var SKIP = { SCRIPT: 1, STYLE: 1, TEMPLATE: 1, NOSCRIPT: 1, TEXTAREA: 1 };
  function scanText(text) {
    if (text.indexOf('Zq') < 0) return;
    TOKEN.lastIndex = 0;
    var m;
    while ((m = TOKEN.exec(text))) {
      if (!seen[m[1]]) {
        seen[m[1]] = 1;
        found++;
      }
    }
  }
  function scan(node) {
    if (node.nodeType === 3) {
      var parent = node.parentNode;
      if (!parent || !SKIP[parent.nodeName]) scanText(node.data);
      return;
    }
    if (node.nodeType === 1) {
      if (SKIP[node.nodeName]) return;
      if (node.shadowRoot) watch(node.shadowRoot);
    } else if (node.nodeType !== 11 && node.nodeType !== 9) return;
    for (var child = node.firstChild; child; child = child.nextSibling) scan(child);
  }
  function check() {
    if (found > 0) mark('first');
    if (cfg.expectFirst && found >= cfg.expectFirst) mark('firstView');
    if (cfg.expectAll && found >= cfg.expectAll) mark('all');
  }
  var observer = new MutationObserver(function (records) {
    for (var i = 0; i < records.length; i++) {
      var record = records[i];
      if (record.type === 'characterData') scan(record.target);
      else for (var j = 0; j < record.addedNodes.length; j++) scan(record.addedNodes[j]);
    }
    check();
  });
  function watch(root) {
    if (roots.indexOf(root) >= 0) return;
    roots.push(root);
    observer.observe(root, { childList: true, subtree: true, characterData: true });
    scan(root);
  }
  var attachShadow = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function () {
    var root = attachShadow.apply(this, arguments);
    watch(root);
    return root;
  };
  watch(document);
  // A declarative shadow root attached after its host's record was delivered is not watched
  // yet: once the parser is done, one walk finds every root (and any text missed so far).
  document.addEventListener('DOMContentLoaded', function () {
    scan(document);
    check();
  });

  function frame() {
    if (cfg.clickMore && marks.all === undefined) {
      for (var r = 0; r < roots.length; r++) {
        var more = roots[r].querySelector && roots[r].querySelector(cfg.clickMore);
        if (more && !more.disabled && more.getAttribute('aria-busy') !== 'true') {
          more.click();
          window.__bench.clicks++;
          break;
        }
      }
    }
    var finished = cfg.expectAll ? marks.allPainted !== undefined : marks.firstViewPainted !== undefined;
    if (finished && marks.firstPainted !== undefined) {
      window.__bench.done = true;
      console.debug('bench:done');
      return;
    }
    if (performance.now() > cfg.timeoutMs) {
      window.__bench.done = true;
      window.__bench.timedOut = true;
      console.debug('bench:done');
      return;
    }
    requestAnimationFrame(frame);
  }
  requestAnimationFrame(frame);
})();
