// Puts the widget's CSS where its DOM is: adopted into the shadow root (no <style> element, so
// a strict style-src CSP passes), or into the document when the host opted out of shadow DOM.
// Every browser the bundle runs in (Vite's baseline: Chrome 111, Firefox 114, Safari 16.4) has
// constructable stylesheets, so there is no <style> fallback to carry.
import css from './widget.css?inline';

/** The widget's CSS as text (the server rendering puts it in a <style>). */
export { css as widgetCss };

let shared: CSSStyleSheet | undefined;
/** How many widgets use each root: the sheet leaves a root with the last of them. */
const roots = new Map<Document | ShadowRoot, number>();

/**
 * Adopts the widget's one stylesheet into `root`; returns its release. `_nonce` is no longer
 * needed (an adopted sheet is no element a CSP checks): kept so that earlier callers compile.
 */
export function adoptStyles(root: Document | ShadowRoot, _nonce?: string): () => void {
  if (!shared) (shared = new CSSStyleSheet()).replaceSync(css);
  const sheet = shared;
  const count = roots.get(root) ?? 0;
  if (count === 0) root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
  roots.set(root, count + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const left = roots.get(root)! - 1;
    if (left > 0) return void roots.set(root, left);
    roots.delete(root);
    root.adoptedStyleSheets = root.adoptedStyleSheets.filter((s) => s !== sheet);
  };
}
