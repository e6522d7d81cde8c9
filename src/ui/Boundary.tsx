// Keeps a rendering bug inside the widget: the reader sees a message, the page goes on. Shared by
// mount() and the server rendering (ssr.tsx), whose trees must be the same for one to adopt the other.
import { Component, type ComponentChildren } from 'preact';
import { WidgetContext, type WidgetContextValue } from './context';

export class Boundary extends Component<{ children: ComponentChildren; onError: (e: unknown) => void }, { failed: boolean }> {
  // Inside <ConfabProvider>, for the message in the reader's language.
  static override contextType = WidgetContext;
  declare context: WidgetContextValue;
  override state = { failed: false };
  override componentDidCatch(error: unknown) {
    this.setState({ failed: true });
    this.props.onError(error);
  }
  override render() {
    return this.state.failed ? (
      <p class="confab-notice confab-notice--error" role="alert">
        {this.context.t('thread.crashed')}
      </p>
    ) : (
      this.props.children
    );
  }
}
