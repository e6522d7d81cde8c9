// <Thread />: the whole widget, in each state a reader can meet. Every story runs over the
// in-memory adapter (test/fixtures/memory-adapter.ts): nothing touches the network.
import type { Meta, StoryObj } from '@storybook/preact';
import { expect, userEvent, waitFor } from 'storybook/test';
import { ConfabError } from '../src/errors';
import { Thread } from '../src/ui/Thread';
import {
  ago,
  arabicThread,
  bigThread,
  comment,
  conversation,
  flatThread,
  reply,
  replyChain,
  seedComments,
  seedThread,
} from './support/data';
import { openLiveStream, widgetLoader, type WidgetArgs } from './support/widget';

const meta = {
  title: 'Widget/Thread',
  render: () => <Thread />,
} satisfies Meta<Partial<WidgetArgs>>;

export default meta;
type Story = StoryObj<typeof meta>;

/** The demo article's 57 reader comments (demo/seed/thread.json). */
export const SeedThread: Story = {
  loaders: [widgetLoader({ comments: seedComments, thread: { title: seedThread.title } })],
};

export const Empty: Story = {
  loaders: [widgetLoader()],
};

/** The first page never arrives: the loading notice stays. */
export const Loading: Story = {
  loaders: [widgetLoader({ comments: conversation, load: 'start', before: (adapter) => void adapter.hold('list') })],
};

/** The first load fails with a timeout; Retry loads the thread. */
export const LoadErrorWithRetry: Story = {
  loaders: [
    widgetLoader({
      comments: conversation,
      before: (adapter) => adapter.failNext('list', new ConfabError('timeout', 'The comment server took too long to answer.')),
    }),
  ],
};

/** Closed for new comments: no form, no Reply buttons. */
export const Locked: Story = {
  loaders: [widgetLoader({ comments: conversation, thread: { locked: true } })],
};

/** 25 top-level comments, 10 per page. */
export const FirstPageWithLoadMore: Story = {
  loaders: [widgetLoader({ comments: () => flatThread(25), pageSize: 10 })],
};

/** 500 comments: 100 conversations of five, all on one page. */
export const FiveHundredComments: Story = {
  // `large`: the vitest run skips axe here (ten seconds in happy-dom for the same components
  // the other stories check); the Accessibility panel still runs it in the browser.
  tags: ['large'],
  loaders: [widgetLoader({ comments: () => bigThread(100), pageSize: 100 })],
};

/** Each comment answers the one before, 40 deep: past max depth they line up and say whom they answer. */
export const FortyDeepReplyChain: Story = {
  loaders: [widgetLoader({ comments: () => replyChain(40) })],
};

/**
 * A reply chain on a phone (a 343 px column, as at 375 px): the widget's width picks 16 px per
 * level, the text under the avatar, and past the fourth level no more indent, each reply saying
 * whom it answers. No text column under 200 px.
 */
export const NarrowDeepThread: Story = {
  args: { width: 343 },
  loaders: [widgetLoader({ comments: () => replyChain(9) })],
};

/** Tab from the page: "Skip comments", the widget's first stop, shows and takes focus past the thread. */
export const SkipLinkFocused: Story = {
  loaders: [widgetLoader({ comments: conversation })],
  play: async ({ canvas }) => {
    await userEvent.tab();
    const skip = canvas.getByRole('link', { name: 'Skip comments' });
    await waitFor(() => expect(skip).toHaveFocus());
  },
};

/** Arabic strings, names and bodies, right to left; dates, numbers and plurals in Arabic. */
export const ArabicRightToLeft: Story = {
  args: { locale: 'ar' },
  loaders: [widgetLoader({ comments: arabicThread })],
};

/** The `theme: 'dark'` option: the widget's own dark defaults for every colour token. */
export const DarkTheme: Story = {
  args: { theme: 'dark' },
  loaders: [widgetLoader({ comments: conversation })],
};

/**
 * `theme: 'auto'` for a dark-mode reader on a page with no dark styles (white): the widget paints
 * its own dark surface. Tagged `dark-mode`: .storybook/check-static.mjs opens it with
 * prefers-color-scheme: dark (elsewhere, switch the system or the browser's devtools to dark).
 */
export const DarkAutoOnALightOnlyPage: Story = {
  args: { theme: 'auto', page: '#ffffff' },
  tags: ['dark-mode'],
  loaders: [widgetLoader({ comments: conversation })],
};

/**
 * Live updates (the `live` option) while the reader is inside the thread: three new top-level
 * comments wait behind "Show 3 new comments" so the page does not shift; a reply lands in its
 * branch at once.
 */
export const LiveUpdatesArriving: Story = {
  loaders: [
    widgetLoader({
      comments: conversation,
      live: true,
      prepare: ({ adapter, store }) => {
        const stream = openLiveStream(adapter, store, () => true);
        stream.emit('comment.created', reply('live-1', 'conv-6', 'Ines Moreau', 'Just saw this. Agreed!', 0));
        stream.emit(
          'comment.created',
          comment('live-2', 'Yusuf Kaya', 'New here: is there a summary somewhere?', { createdAt: ago(0) }),
        );
        stream.emit(
          'comment.created',
          comment('live-3', 'Hannah Weiss', 'The follow-up article is out now.', { createdAt: ago(0) }),
        );
        stream.emit('comment.created', comment('live-4', 'Diego Alvarez', 'Thanks for the link.', { createdAt: ago(0) }));
      },
    }),
  ],
};

/**
 * Opened from a `#comment-flat-23` link: the store loads pages until the comment is there, then
 * marks it and moves focus to it.
 */
export const PermalinkOnALaterPage: Story = {
  loaders: [widgetLoader({ comments: () => flatThread(25), pageSize: 10, prepare: ({ store }) => void store.reveal('flat-23') })],
};

/** A read-only backend (only `list`, like createStaticJsonAdapter): no form, votes or Reply. */
export const ReadOnly: Story = {
  loaders: [widgetLoader({ comments: conversation, readOnly: true })],
};
