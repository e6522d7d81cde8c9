// The server's rendering of the first view (ssr.tsx), found in the page and handed to mount(),
// which adopts it in place (its first render reuses the nodes: no flash, no second request). A
// part (see load-part.ts): its code loads only on pages that have server markup. It imports
// nothing at run time.

export interface ServerView {
  /** The `.confab` element the server rendered into; the widget renders into it from now on. */
  container: HTMLElement;
  /** The first page's JSON, as the comment server answered it (checked like any answer). */
  firstPage: string | undefined;
}

/**
 * The server's markup in `root` if it was made for these options (ssr.tsx writes "sort pageSize
 * thread" on it); markup made for other options is removed (the widget then renders as usual)
 * and null returned.
 */
export function readServerView(
  root: ParentNode,
  { sort, pageSize, thread }: { sort: string; pageSize: number; thread: string },
): ServerView | null {
  const [container, style, data] = ['div', 'style', 'script'].map((tag) =>
    [...root.children].find((child) => child.localName === tag && child.hasAttribute('data-confab-ssr')),
  ) as [HTMLElement | undefined, Element | undefined, Element | undefined];
  if (!container || container.dataset.confabSsr !== `${sort} ${pageSize} ${thread}`) {
    for (const made of [container, style, data]) made?.remove();
    return null;
  }
  container.removeAttribute('data-confab-ssr'); // a later mount() renders anew
  data?.remove();
  style?.remove(); // the same rules: mount() adopted the widget's own before this part came
  return { container, firstPage: data?.textContent ?? undefined };
}
