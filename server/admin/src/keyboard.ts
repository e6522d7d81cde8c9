// Keyboard shortcuts: j/k move between comments, a/s/d approve, mark as spam, delete the comment
// that has the focus, x selects it, ? opens the help. None fires while typing in a field, nor
// with Ctrl, Alt or Meta held (the browser's and the screen reader's own shortcuts).

export type Shortcut = 'next' | 'previous' | 'approve' | 'spam' | 'delete' | 'select' | 'help' | 'close';

/** The keys; what each does is `key.<shortcut>` in the dashboard's words (i18n/en.ts). */
export const SHORTCUTS: { key: string; shortcut: Shortcut }[] = [
  { key: 'j', shortcut: 'next' },
  { key: 'k', shortcut: 'previous' },
  { key: 'a', shortcut: 'approve' },
  { key: 's', shortcut: 'spam' },
  { key: 'd', shortcut: 'delete' },
  { key: 'x', shortcut: 'select' },
  { key: '?', shortcut: 'help' },
  { key: 'Escape', shortcut: 'close' },
];

const BY_KEY = new Map(SHORTCUTS.map((s) => [s.key, s.shortcut]));

/** A place where keys are text, not commands. */
export function isTyping(target: EventTarget | null): boolean {
  if (!target || typeof (target as Element).closest !== 'function') return false;
  const element = target as HTMLElement;
  if (element.isContentEditable) return true;
  const field = element.closest('input, textarea, select, [contenteditable=""], [contenteditable="true"]');
  if (!field) return false;
  // A checkbox or a button-like input takes no text: x and j/k still work from a row's checkbox.
  return !(field instanceof HTMLInputElement && ['checkbox', 'radio', 'button', 'submit', 'reset'].includes(field.type));
}

export function shortcutOf(event: KeyboardEvent): Shortcut | null {
  if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return null;
  if (event.key !== 'Escape' && isTyping(event.target)) return null;
  return BY_KEY.get(event.key) ?? null;
}

/** Calls `handle` for each shortcut pressed; a handler answering true keeps the key from the page. */
export function installShortcuts(target: Document, handle: (shortcut: Shortcut, event: KeyboardEvent) => boolean): () => void {
  const listener = (event: KeyboardEvent) => {
    const shortcut = shortcutOf(event);
    if (shortcut && handle(shortcut, event)) event.preventDefault();
  };
  target.addEventListener('keydown', listener);
  return () => target.removeEventListener('keydown', listener);
}

export const COMMENT_SELECTOR = '[data-comment-key]';

/** The comment element holding the focus (or being it), if any. */
export function focusedComment(container: Element): HTMLElement | null {
  const active = container.ownerDocument.activeElement;
  if (!active || !container.contains(active)) return null;
  return active.closest<HTMLElement>(COMMENT_SELECTOR);
}

/** Moves the focus to the next or previous comment; the first one when none has it. */
export function moveFocus(container: Element, step: 1 | -1): HTMLElement | null {
  const items = [...container.querySelectorAll<HTMLElement>(COMMENT_SELECTOR)];
  if (items.length === 0) return null;
  const current = focusedComment(container);
  const at = current ? items.indexOf(current) : -1;
  const next =
    at < 0 ? (step === 1 ? items[0] : items[items.length - 1]) : items[Math.min(items.length - 1, Math.max(0, at + step))];
  next?.focus();
  next?.scrollIntoView?.({ block: 'nearest' });
  return next ?? null;
}
