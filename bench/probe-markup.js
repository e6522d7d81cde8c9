// Injected first into every bench page (inline, before any widget). Configured by
// window.__BENCH = { host, cls, expectFirst, expectAll, clickMore, timeoutMs }.
// Each animation frame it counts the widget's comment elements (a live HTMLCollection, inside
// the shadow root when there is one) and records, as performance.now() (ms since navigation
// start):
//   firstVisible  the first comment element is in the DOM, laid out and visible
//   firstView     the widget's whole first page of comments is in the DOM
//   all           every comment of the thread is in the DOM (when expectAll is set)
// Each mark has a "…Painted" twin: a message posted from that frame's requestAnimationFrame
// callback, which runs after the frame's style, layout and paint: the time the reader sees it.
// It also keeps every long task (PerformanceObserver 'longtask', buffered) and sums layout
// shifts (CLS as Lighthouse counts it without session windows: the bench has no input).
(function () {
  'use strict';
  var cfg = window.__BENCH;
  var marks = {};
  var longTasks = [];
  window.__bench = { marks: marks, longTasks: longTasks, count: count, done: false, clicks: 0 };
  try {
    new PerformanceObserver(function (list) {
      list.getEntries().forEach(function (e) {
        longTasks.push([Math.round(e.startTime), Math.round(e.duration)]);
      });
    }).observe({ type: 'longtask', buffered: true });
  } catch (e) {
    window.__bench.longTaskError = String(e);
  }
  // Layout shifts while the widget arrives (no input happens in the bench).
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
    channel.port2.postMessage(name);
  }

  var base = null;
  var items = null;
  function collection() {
    var host = document.getElementById(cfg.host);
    if (!host) return null;
    var next = host.shadowRoot ? host.shadowRoot.querySelector(cfg.shadowBase || '*') : host;
    if (!next) return null;
    if (next !== base) {
      base = next;
      items = base.getElementsByClassName(cfg.cls);
    }
    return items;
  }
  function count() {
    var list = collection();
    return list ? list.length : 0;
  }

  function frame() {
    var list = collection();
    var n = list ? list.length : 0;
    if (n > 0 && marks.firstVisible === undefined) {
      var first = list[0];
      var box = first.getBoundingClientRect();
      if (box.height > 0 && first.checkVisibility()) mark('firstVisible');
    }
    if (cfg.expectFirst && n >= cfg.expectFirst) mark('firstView');
    if (cfg.expectAll && n >= cfg.expectAll) mark('all');
    if (cfg.clickMore && base && marks.all === undefined) {
      // "Load more" until every comment is there, as a reader asking for all would.
      var more = base.querySelector(cfg.clickMore);
      if (more && !more.disabled && more.getAttribute('aria-busy') !== 'true') {
        more.click();
        window.__bench.clicks++;
      }
    }
    var finished = cfg.expectAll ? marks.all !== undefined : marks.firstView !== undefined;
    if (finished && marks.firstVisible !== undefined) {
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
