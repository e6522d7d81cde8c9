// Moves keyboard focus where the store asks (a comment just posted, a permalink's target), and
// unfolds it if it is a long comment folded (ui/fold.ts listens for the browser's own event).
// One component reads the request, so comments never re-render for it.
import { useEffect, useRef } from 'preact/hooks';
import { useWidget } from './context';
import { commentDomId } from './permalink';

export function FocusManager() {
  const { store } = useWidget();
  const anchor = useRef<HTMLSpanElement>(null);
  const request = store.focusRequest.value;

  useEffect(() => {
    if (!request) return;
    // After the render that shows the comment: wait one frame.
    const frame = requestAnimationFrame(() => {
      const root = anchor.current?.getRootNode() as Document | ShadowRoot | undefined;
      const target = root?.getElementById(commentDomId(request.id));
      if (!target) return;
      const smooth = !matchMedia('(prefers-reduced-motion: reduce)').matches;
      target.querySelector('.confab-fold')?.dispatchEvent(new Event('beforematch'));
      target.focus({ preventScroll: true });
      target.scrollIntoView({ block: 'nearest', behavior: smooth ? 'smooth' : 'auto' });
    });
    return () => cancelAnimationFrame(frame);
  }, [request]);

  return <span ref={anchor} hidden />;
}
