// <ReplyForm />: the form for a new comment or a reply, empty, refused by our own checks,
// waiting for the server, and failed with the text kept and Retry.
import type { Meta, StoryObj } from '@storybook/preact';
import { expect, waitFor } from 'storybook/test';
import { ConfabError } from '../src/errors';
import { ReplyForm } from '../src/ui/ReplyForm';
import { comment } from './support/data';
import { startPosting, widgetLoader, type WidgetArgs } from './support/widget';

const meta = {
  title: 'Widget/ReplyForm',
  render: () => <ReplyForm parentId={null} />,
} satisfies Meta<Partial<WidgetArgs>>;

export default meta;
type Story = StoryObj<typeof meta>;

/** The form for a new top-level comment. */
export const Empty: Story = {
  loaders: [widgetLoader()],
};

/** A reply: labelled with whom it answers, with Cancel (and Escape). */
export const ReplyToAComment: Story = {
  loaders: [widgetLoader({ comments: [comment('c1', 'Amira Haddad', 'Does anyone know when it was published?')] })],
  render: () => <ReplyForm parentId="c1" replyTo="Amira Haddad" onCancel={() => {}} />,
};

/** Submitted with no text, a name over 80 characters and a broken email address. */
export const ValidationErrors: Story = {
  loaders: [
    widgetLoader({
      prepare: async ({ store }) => {
        const form = store.form(null);
        form.name.value =
          'A name far longer than the eighty characters that this comment widget accepts for the name of a reader';
        form.email.value = 'reader@example';
        form.body.value = '   ';
        await store.submit(null);
      },
    }),
  ],
};

/** Sent; the server has not answered (and never will here): fields read-only, "Posting…". */
export const Posting: Story = {
  loaders: [widgetLoader({ prepare: startPosting })],
};

const DRAFT = 'A thoughtful comment that must not be lost.';

/** Interaction: the post fails (the network is down); the text stays, with the reason and Retry. */
export const FailedWithTextKeptAndRetry: Story = {
  loaders: [
    widgetLoader({
      before: (adapter) => adapter.failNext('post', new ConfabError('network', 'Could not reach the comment server.')),
    }),
  ],
  play: async ({ canvas, userEvent }) => {
    const body = canvas.getByLabelText('Your comment');
    await userEvent.type(body, DRAFT);
    await userEvent.click(canvas.getByRole('button', { name: 'Post comment' }));

    const alert = await canvas.findByRole('alert', {}, { timeout: 10_000 });
    await expect(alert).toHaveTextContent('Your comment was not posted. Your text is kept.');
    await expect(alert).toHaveTextContent('Could not reach the comment server.');
    await expect(alert.querySelector('button')).toHaveTextContent('Retry');
    await expect(body).toHaveValue(DRAFT);
    await waitFor(() => expect(body).not.toHaveAttribute('readonly'));
    await expect(canvas.getByRole('button', { name: 'Post comment' })).toBeEnabled();
  },
};

/** A server that sends reply emails (`features.notify`): the box ticked, so the form asks for the address. */
export const ReplyEmails: Story = {
  loaders: [
    widgetLoader({
      thread: { features: { guests: true, reports: true, notify: true } },
      prepare: ({ store }) => {
        store.form(null).notify.value = true;
      },
    }),
  ],
  play: async ({ canvas }) => {
    await expect(canvas.getByRole('checkbox', { name: 'Email me when someone replies' })).toBeChecked();
    await expect(canvas.getByRole('textbox', { name: 'Email for replies (never shown)' })).toBeVisible();
  },
};
