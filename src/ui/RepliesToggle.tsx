// "Hide 12 replies": its own component, so that a reply landing deep in the tree updates the
// counts of its ancestors without re-rendering the ancestors themselves.
import { WidgetContext, type WidgetContextValue } from './context';
import type { CommentAction } from './comment-events';
import type { CommentNode } from '../store/thread-store';

export function RepliesToggle(
  { node, controls, tabIndex }: { node: CommentNode; controls: string | undefined; tabIndex: number },
  { t }: WidgetContextValue,
) {
  const collapsed = node.collapsed.value;
  return (
    <button
      type="button"
      class="confab-link-button confab-toggle"
      data-action={'toggle' satisfies CommentAction}
      aria-expanded={!collapsed}
      aria-controls={controls}
      tabIndex={tabIndex}
    >
      {t(collapsed ? 'comment.showReplies' : 'comment.hideReplies', { count: node.replyCount.value })}
    </button>
  );
}
RepliesToggle.contextType = WidgetContext;
