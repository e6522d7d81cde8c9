// <Comment />: one comment and its replies, in each state it can be in. The comment comes from
// a store over the in-memory adapter, as in the widget; the list around it is the thread's.
import type { Meta, StoryObj } from '@storybook/preact';
import { expect, waitFor } from 'storybook/test';
import { Comment } from '../src/ui/Comment';
import { FORMATTED_BODY, LONG_WORD, ago, comment, reply } from './support/data';
import { focusOf, startPosting, widgetLoader, type WidgetArgs } from './support/widget';

const meta = {
  title: 'Widget/Comment',
  render: (_args, context) => (
    <ul class="confab-list" role="list">
      <Comment id={focusOf(context, 'c1')} depth={0} />
    </ul>
  ),
} satisfies Meta<Partial<WidgetArgs>>;

export default meta;
type Story = StoryObj<typeof meta>;

const withReplies = () => [
  comment('c1', 'Amira Haddad', 'Does anyone know when the statement was first published?', { createdAt: ago(240), score: 5 }),
  reply('c2', 'c1', 'Jonas Berg', 'The same week as the report, as far as I can tell.', 200, { score: 2 }),
  reply('c3', 'c2', 'Amira Haddad', 'Thanks, that settles it.', 180),
  reply('c4', 'c1', 'Priya Raman', 'There is an archived copy with a date on it.', 90),
];

export const WithReplies: Story = {
  loaders: [widgetLoader({ comments: withReplies })],
};

/** No name given: "Guest" and a grey avatar. */
export const Guest: Story = {
  loaders: [widgetLoader({ comments: [comment('c1', '', 'I would rather not give my name, but I agree with the article.')] })],
};

/** A word and a link far wider than the column wrap instead of overflowing. */
export const LongUnbrokenWord: Story = {
  loaders: [
    widgetLoader({
      comments: [
        comment(
          'c1',
          'Wolfeschlegelsteinhausenbergerdorffwelchevoralternwarengewissenhaftschaferswessenschafewarenwohlgepflegeundsorgfaltigkeitbeschutzenvonangreifendurchihrraubgierigfeinde',
          LONG_WORD,
        ),
      ],
    }),
  ],
};

/** Quote, links, bold, emphasis, inline code and a code block; HTML stays text. */
export const LinksQuoteAndCode: Story = {
  loaders: [
    widgetLoader({
      comments: [
        comment('c1', 'Priya Raman', FORMATTED_BODY, {
          author: { name: 'Priya Raman', url: 'https://example.com/priya', avatarUrl: null },
        }),
      ],
    }),
  ],
};

/**
 * 10,000 characters: folded after about 20 lines behind "Show more" (the fold's code loads when
 * such a comment is drawn). The rest is `hidden="until-found"`: find-in-page opens it.
 */
export const LongCommentFolded: Story = {
  loaders: [
    widgetLoader({
      comments: [
        comment(
          'c1',
          'Long Writer',
          Array.from(
            { length: 16 },
            (_, i) =>
              `Part ${i + 1}. ` + 'The committee went through the figures again, line by line, and found them sound. '.repeat(7),
          ).join('\n\n'),
        ),
      ],
    }),
  ],
  play: async ({ canvas }) => {
    const more = await canvas.findByRole('button', { name: 'Show more' });
    await expect(more).toHaveAttribute('aria-expanded', 'false');
  },
};

/** Held for moderation by the backend. */
export const AwaitingModeration: Story = {
  loaders: [widgetLoader({ comments: [comment('c1', 'Olu Adeyemi', 'First time commenting here.', { status: 'pending' })] })],
};

/** Pinned by a moderator: first in its thread, with a "Pinned" label. */
export const Pinned: Story = {
  loaders: [
    widgetLoader({
      comments: [comment('c1', 'Amira Haddad', 'Please keep the discussion about the article itself.', { pinned: true })],
    }),
  ],
  play: async ({ canvas }) => {
    await expect(canvas.getByText('Pinned')).toBeInTheDocument();
  },
};

/** A moderator's reply: a "Moderator" badge by the name. */
export const ModeratorReply: Story = {
  loaders: [
    widgetLoader({
      comments: [
        comment('c1', 'Jonas Berg', 'Is the second chart from the same survey as the first?', { createdAt: ago(120) }),
        reply('c2', 'c1', 'Site team', 'Yes: both come from the 2024 survey, now linked under the chart.', 60, {
          author: { name: 'Site team', url: null, avatarUrl: null, role: 'moderator' },
        }),
      ],
    }),
  ],
  play: async ({ canvas }) => {
    await expect(canvas.getByText('Moderator')).toBeInTheDocument();
  },
};

/** Report (in the comment's "More actions" menu): the dialog, loaded on the first click, with a reason and an optional note. */
export const ReportDialog: Story = {
  loaders: [widgetLoader({ comments: [comment('c1', 'Cheap Pills', 'Best prices at https://spam.example/ today only!')] })],
  play: async ({ canvas, userEvent }) => {
    await userEvent.click(canvas.getByRole('button', { name: 'More actions' }));
    await userEvent.click(canvas.getByRole('button', { name: 'Report' }));
    const dialog = await waitFor(() => {
      const found = document.querySelector<HTMLElement>('dialog.confab-dialog');
      if (!found) throw new Error('no dialog yet');
      return found;
    });
    await expect(dialog).toHaveTextContent('Report this comment');
    await userEvent.click(dialog.querySelector<HTMLInputElement>('input[value="spam"]')!);
  },
};

/** Just sent, not yet confirmed by the server (which never answers here): "Posting…". */
export const Posting: Story = {
  loaders: [widgetLoader({ prepare: startPosting })],
};

/** The deleted comment keeps its place so its replies still make sense. */
export const DeletedWithReplies: Story = {
  loaders: [
    widgetLoader({
      comments: [
        comment('c1', 'Gone Reader', '', { status: 'deleted', createdAt: ago(300) }),
        reply('c2', 'c1', 'Jonas Berg', 'I think the comment above asked about the date.', 250),
        reply('c3', 'c1', 'Priya Raman', 'It did; the answer is in the article now.', 100),
      ],
    }),
  ],
};

/** "edited", with the exact time on hover. */
export const Edited: Story = {
  loaders: [
    widgetLoader({
      comments: [comment('c1', 'Sofia Rossi', 'Fixed a typo in the second sentence.', { createdAt: ago(30), editedAt: ago(25) })],
    }),
  ],
};

/** Posted from this browser (its edit token is in storage): Edit and Delete. */
export const OwnWithEditAndDelete: Story = {
  loaders: [
    widgetLoader({
      comments: [comment('c1', 'Jonas Berg', 'Someone else wrote this one.', { createdAt: ago(60) })],
      prepare: async ({ adapter, store }) => {
        const form = store.form(null);
        form.name.value = 'You';
        form.body.value = 'I wrote this one, so I can edit or delete it.';
        await store.submit(null);
        return adapter.comments.at(-1)!.id;
      },
    }),
  ],
};

/** Your own comment after Delete: the widget asks first. */
export const OwnDeleteConfirmation: Story = {
  loaders: OwnWithEditAndDelete.loaders,
  play: async ({ canvas, userEvent }) => {
    await userEvent.click(canvas.getByRole('button', { name: 'Delete' }));
    const confirm = await canvas.findByRole('group', { name: 'Delete this comment?' });
    await expect(confirm).toHaveTextContent('Delete this comment?');
    await expect(canvas.getByRole('button', { name: 'Cancel' })).toBeInTheDocument();
  },
};

/** Collapsed: the toggle says how many replies it hides. */
export const CollapsedWithReplyCount: Story = {
  loaders: [widgetLoader({ comments: withReplies, prepare: ({ store }) => store.toggleCollapsed('c1') })],
};

/** Reached through its `#comment-c3` permalink: collapsed ancestors open, the comment is marked. */
export const HighlightedPermalink: Story = {
  loaders: [
    widgetLoader({
      comments: withReplies,
      prepare: async ({ store }) => {
        store.toggleCollapsed('c1');
        await store.reveal('c3');
      },
    }),
  ],
};

/** Interaction: collapse a subtree and open it again. */
export const CollapseSubtree: Story = {
  loaders: [widgetLoader({ comments: withReplies })],
  play: async ({ canvas, userEvent }) => {
    const hide = canvas.getByRole('button', { name: 'Hide 3 replies' });
    await expect(hide).toHaveAttribute('aria-expanded', 'true');
    await expect(canvas.getByText('Thanks, that settles it.')).toBeInTheDocument();

    await userEvent.click(hide);
    const show = await canvas.findByRole('button', { name: 'Show 3 replies' });
    await expect(show).toHaveAttribute('aria-expanded', 'false');
    await expect(canvas.queryByText('Thanks, that settles it.')).toBeNull();
    await expect(canvas.queryByText('There is an archived copy with a date on it.')).toBeNull();

    await userEvent.click(show);
    await expect(await canvas.findByText('Thanks, that settles it.')).toBeInTheDocument();
    await expect(canvas.getByRole('button', { name: 'Hide 3 replies' })).toHaveAttribute('aria-expanded', 'true');
  },
};

/** Interaction: open the reply form, write a reply and post it; it lands under the comment. */
export const WriteAndPostReply: Story = {
  loaders: [widgetLoader({ comments: () => withReplies().slice(0, 1) })],
  play: async ({ canvas, userEvent }) => {
    await userEvent.click(canvas.getByRole('button', { name: 'Reply' }));
    const body = await canvas.findByLabelText('Your reply to Amira Haddad');
    await waitFor(() => expect(body).toHaveFocus());
    await userEvent.type(body, 'It was published on the 18th.');
    await userEvent.type(canvas.getByLabelText('Name'), 'Kenji Watanabe');
    await userEvent.click(canvas.getByRole('button', { name: 'Post reply' }));

    // Shown at once as "Posting…", then confirmed by the server: the badge goes, the form has
    // closed, and the reply sits in the comment's reply list.
    await waitFor(
      () => expect(canvas.getByRole('article', { name: 'Comment by Kenji Watanabe' })).not.toHaveTextContent('Posting…'),
      { timeout: 10_000 },
    );
    const posted = canvas.getByRole('article', { name: 'Comment by Kenji Watanabe' });
    await expect(posted).toHaveTextContent('It was published on the 18th.');
    await expect(posted.closest('ul')).toHaveClass('confab-replies');
    await expect(canvas.queryByLabelText('Your reply to Amira Haddad')).toBeNull();
    await expect(canvas.getByRole('button', { name: 'Hide 1 reply' })).toBeInTheDocument();
  },
};
