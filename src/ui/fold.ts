// Folding a long comment after about 20 lines, behind "Show more". Loaded when a body that long
// is first drawn (a part, see load-part.ts and CommentBody.tsx): most threads never need it.
// The rest of the text goes into `hidden="until-found"`: the browser's find-in-page (and a
// #:~:text= link) still finds it and unfolds it, firing `beforematch`; a permalink to the comment
// unfolds it too (FocusManager.tsx dispatches the same event). Where `until-found` is unknown the
// rest is plainly hidden and the button still works. Built with DOM calls: text stays text.
import type { MessageKey, Translate } from '../i18n/translate';

/** English, for the keys a locale (or a site's messages) does not translate. */
export const enFold = {
  'comment.showMore': 'Show more',
  'comment.showLess': 'Show less',
};
export type FoldKey = keyof typeof enFold & MessageKey;

/** About 20 lines of a 600 px column are kept in view. */
const KEEP = 1000;
/** A paragraph that ends within this many characters after KEEP is kept whole. */
const SLACK = 400;

/** Folds the body element (once), open if the page's address is a permalink to it. */
export function fold(body: HTMLElement, t: Translate): void {
  if (body.querySelector('.confab-fold')) return;
  const cut = cutPoint(body);
  if (!cut) return;
  const range = document.createRange();
  range.setStartAfter(cut);
  range.setEndAfter(body.lastChild!);
  const rest = document.createElement('div');
  rest.className = 'confab-fold';
  rest.append(range.extractContents());
  if (!rest.textContent?.trim()) return void body.append(...rest.childNodes);

  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'confab-link-button confab-fold-button';
  const tr = (key: FoldKey) => t(key) || enFold[key];
  const show = (open: boolean) => {
    if (open) rest.removeAttribute('hidden');
    else rest.setAttribute('hidden', 'until-found');
    button.setAttribute('aria-expanded', String(open));
    button.textContent = tr(open ? 'comment.showLess' : 'comment.showMore');
  };
  button.addEventListener('click', () => show(rest.hasAttribute('hidden')));
  rest.addEventListener('beforematch', () => show(true));
  show(location.hash === `#${body.closest('article')?.id}`);
  body.append(rest, button);
}

/**
 * Where the kept part ends: after the block (paragraph, quote, list, code) that holds the KEEP-th
 * character when that block ends soon after, else after the last word that starts before it
 * (the text node split there, returned).
 */
function cutPoint(body: HTMLElement): Element | Text | null {
  let seen = 0;
  for (const block of body.children) {
    const length = block.textContent?.length ?? 0;
    if (seen + length <= KEEP) {
      seen += length;
      continue;
    }
    if (seen + length <= KEEP + SLACK) return block;
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    for (let text = walker.nextNode() as Text | null; text; text = walker.nextNode() as Text | null) {
      if (seen + text.length <= KEEP) {
        seen += text.length;
        continue;
      }
      const space = text.data.lastIndexOf(' ', KEEP - seen);
      if (space <= 0) return block;
      text.splitText(space);
      return text;
    }
    return block;
  }
  return null;
}
