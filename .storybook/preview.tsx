// Every story: the widget's CSS, the themed frame with <ConfabProvider>, and the controls for
// tokens, light/dark, locale, direction, max depth and the fake server's latency.
import type { Preview } from '@storybook/preact';
import '../src/styles/widget.css';
import { widgetArgs, widgetArgTypes, withWidget } from '../stories/support/widget';

const preview: Preview = {
  decorators: [withWidget],
  args: { ...widgetArgs },
  argTypes: widgetArgTypes,
  parameters: {
    layout: 'fullscreen',
    controls: { expanded: true, sort: 'none' },
    // The a11y panel runs axe on every story; violations show there (test: 'todo' keeps them
    // from failing Storybook's own test runner, our vitest run checks them itself).
    // axe leaves WCAG 2.2's target-size (24 x 24 px) off by default: on here.
    a11y: { test: 'todo', config: { rules: [{ id: 'target-size', enabled: true }] } },
    options: { storySort: { order: ['Introduction', 'Widget', ['Thread', 'Comment', 'ReplyForm']] } },
  },
};

export default preview;
