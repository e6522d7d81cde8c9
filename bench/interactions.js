// Evaluated in a bench page once Confab shows every comment of the thread (window.__handle is
// the mount() handle). Measures, in this order:
//   insert   store.receive() of one reply under `deepParentId`: the time until Preact's render
//            (a microtask) is done ("script"), until the next frame is painted, and the renders;
//            then five more replies to the same parent, whose median is the warm script time
//   collapse a click on the reply toggle of `collapseId`
//   sort     a click on "Newest": until the list shows `newestFirstId` first, painted
//
// Renders are counted without exposing anything from the bundle: Preact keeps its root vnode on
// the container (`__k`) and each component instance on its vnode (`__c`); before each action
// every instance's `render` gets a counting wrapper, and instances that did not exist before
// count as one render each. Each render is named from its props (the names are minified).
// eslint-disable-next-line @typescript-eslint/no-unused-vars -- called by name from the page (bench/run.mjs)
async function confabInteractions({ deepParentId, deepDepth, collapseId, newestFirstId, total }) {
  const store = window.__handle.store;
  const container = document.getElementById('confab').shadowRoot.querySelector('.confab');
  // Preact renders in a microtask queued by the change; two microtask hops later it is done.
  // (A message would also wait for any frame the browser renders first: that is paint, not
  // script, and it is counted in "to paint".)
  const afterMicrotasks = () => new Promise((resolve) => queueMicrotask(() => queueMicrotask(() => resolve(performance.now()))));
  const nextPaint = () =>
    new Promise((resolve) =>
      requestAnimationFrame(() => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => resolve(performance.now());
        channel.port2.postMessage(0);
      }),
    );
  const Fragment = container.__k && container.__k.type;

  function name(vnode) {
    const p = (vnode && vnode.props) || {};
    if (vnode && vnode.type === Fragment) return 'Fragment';
    if ('listId' in p) return 'FlatReplies';
    if ('depth' in p && 'id' in p) return 'Comment';
    if ('node' in p && 'controls' in p) return 'RepliesToggle';
    if ('node' in p) return 'EditForm';
    if ('ids' in p && 'start' in p) return 'Slice';
    if ('headingId' in p) return 'Header';
    if ('parentId' in p) return 'ReplyForm';
    if ('store' in p) return 'ConfabProvider';
    if ('message' in p) return 'Boundary';
    return 'thread part';
  }
  function instances() {
    const found = new Set();
    const stack = [container.__k];
    while (stack.length > 0) {
      const vnode = stack.pop();
      if (!vnode) continue;
      if (typeof vnode.type === 'function' && vnode.__c) found.add(vnode.__c);
      const children = vnode.__k;
      if (children) for (let i = 0; i < children.length; i++) if (children[i]) stack.push(children[i]);
    }
    return found;
  }
  if (!container.__k) return { error: 'no Preact root vnode (__k) on the container: renders not countable' };

  const wrapped = new WeakSet();
  let log = null;
  function arm() {
    const before = instances();
    for (const instance of before) {
      if (wrapped.has(instance)) continue;
      const render = instance.render;
      instance.render = function (...args) {
        if (log) log.push(name(this.__v));
        return render.apply(this, args);
      };
      wrapped.add(instance);
    }
    log = [];
    return before;
  }
  function tally(before) {
    const names = log;
    log = null;
    for (const instance of instances()) if (!before.has(instance)) names.push(name(instance.__v) + ' (new)');
    const byName = {};
    for (const n of names) byName[n] = (byName[n] || 0) + 1;
    return { renders: names.length, byName };
  }
  const longTaskSince = (t) =>
    window.__bench.longTasks.filter(([start]) => start >= t - 1).reduce((max, [, d]) => Math.max(max, d), 0);
  const result = {};

  // 1. One reply, deep in the tree.
  {
    const before = arm();
    const reply = {
      id: 'bench-reply',
      parentId: deepParentId,
      author: { name: 'Bench Reader', url: null, avatarUrl: null },
      body: 'A reply that lands deep in the tree.',
      createdAt: Date.now(),
      editedAt: null,
      status: 'published',
      score: 0,
    };
    const start = performance.now();
    store.receive(reply);
    const scripted = await afterMicrotasks();
    const inDomAfterMicrotasks = container.querySelector('#comment-bench-reply') !== null;
    const painted = await nextPaint();
    result.insert = {
      parentDepth: deepDepth,
      replyDepth: deepDepth + 1,
      scriptMs: +(scripted - start).toFixed(2),
      paintedMs: +(painted - start).toFixed(1),
      inDomAfterMicrotasks,
      inDom: container.querySelector('#comment-bench-reply') !== null,
      ...tally(before),
    };
    // The first insert runs code the page has not run yet; five more to the same parent show
    // the warm cost.
    const warm = [];
    for (let i = 1; i <= 5; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      const t0 = performance.now();
      store.receive({ ...reply, id: `bench-reply-${i}`, createdAt: Date.now() });
      warm.push((await afterMicrotasks()) - t0);
    }
    warm.sort((a, b) => a - b);
    result.insert.warmScriptMs = +warm[2].toFixed(2);
  }
  await new Promise((resolve) => setTimeout(resolve, 300));

  // 2. Collapse the biggest top-level subtree. What the buttons do is a part that comes once the
  //    comments show (confab-events.iife.js): timed once it is here, as a reader's click would be.
  for (let waited = 0; !globalThis.ConfabParts?.events && waited < 5000; waited += 50) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  {
    const toggle = container.querySelector(`#comment-${CSS.escape(collapseId)} [data-action="toggle"]`);
    const before = arm();
    const start = performance.now();
    toggle.click();
    const scripted = await afterMicrotasks();
    const painted = await nextPaint();
    result.collapse = {
      scriptMs: +(scripted - start).toFixed(2),
      paintedMs: +(painted - start).toFixed(1),
      collapsed: toggle.getAttribute('aria-expanded') === 'false',
      commentsLeft: container.getElementsByClassName('confab-comment').length,
      ...tally(before),
    };
  }
  await new Promise((resolve) => setTimeout(resolve, 300));

  // 3. Sort by newest. Every comment is loaded here, so the widget re-sorts without a request
  //    (with pages left it would ask the server for the new first page).
  {
    const button = container.querySelectorAll('.confab-sort-button')[1];
    const before = arm();
    const start = performance.now();
    button.click();
    const firstId = `comment-${newestFirstId}`;
    const done = await new Promise((resolve) => {
      const check = () => {
        const first = container.querySelector('.confab-list > li > article');
        const count = container.getElementsByClassName('confab-comment').length;
        if (first && first.id === firstId && store.status.peek() === 'ready') {
          const channel = new MessageChannel();
          channel.port1.onmessage = () => resolve({ at: performance.now(), count });
          channel.port2.postMessage(0);
        } else if (performance.now() - start > 30_000) resolve({ at: NaN, count, timedOut: true });
        else requestAnimationFrame(check);
      };
      requestAnimationFrame(check);
    });
    result.sort = {
      paintedMs: +(done.at - start).toFixed(1),
      commentsShown: done.count,
      timedOut: !!done.timedOut,
      longestTaskMs: longTaskSince(start),
      ...tally(before),
    };
  }
  result.total = total;
  return result;
}
