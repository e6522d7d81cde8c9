// Puts the widget's CSS where its DOM is: adopted into the shadow root (no <style> element, so
// a strict style-src CSP passes), or into the document when the host opted out of shadow DOM.
import css from './widget.css?inline';

/** The widget's CSS as text (the server rendering puts it in a <style>). */
export { css as widgetCss };

let shared: CSSStyleSheet | null = null;
/** How many widgets use each root, and the <style> fallback there if one was needed. */
const roots = new Map<Document | ShadowRoot, { count: number; fallback: HTMLStyleElement | null }>();

function sheet(): CSSStyleSheet | null {
  if (shared) return shared;
  try {
    shared = new CSSStyleSheet();
    shared.replaceSync(css);
  } catch {
    shared = null; // browsers before constructable stylesheets
  }
  return shared;
}

export function adoptStyles(root: Document | ShadowRoot, nonce?: string): () => void {
  const style = sheet();
  let entry = roots.get(root);
  if (!entry) {
    entry = { count: 0, fallback: null };
    roots.set(root, entry);
    if (style) root.adoptedStyleSheets = [...root.adoptedStyleSheets, style];
    else {
      entry.fallback = document.createElement('style');
      if (nonce) entry.fallback.nonce = nonce;
      entry.fallback.textContent = css;
      (root instanceof Document ? root.head : root).append(entry.fallback);
    }
  }
  entry.count++;
  let released = false;
  return () => {
    if (released || !entry) return;
    released = true;
    if (--entry.count > 0) return;
    roots.delete(root);
    if (style) root.adoptedStyleSheets = root.adoptedStyleSheets.filter((s) => s !== style);
    entry.fallback?.remove();
  };
}
