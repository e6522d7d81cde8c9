// <ReplyForm />: the form for a new comment or a reply, empty, refused by our own checks,
// waiting for the server, failed with the text kept and Retry, previewed, with the formatting
// help open, and with the counter near and over the length limit.
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

const FORMATTED = 'A **bold** claim, an *aside* and `code`.\n> A quoted line\n\nMore at https://example.com/source.';

/** Interaction: Preview shows the draft as the thread will, drawn by the same formatter (no HTML from the text). */
export const Preview: Story = {
  loaders: [widgetLoader({ prepare: ({ store }) => void (store.form(null).body.value = FORMATTED) })],
  play: async ({ canvas, userEvent }) => {
    const toggle = canvas.getByRole('button', { name: 'Preview' });
    await userEvent.click(toggle);
    await expect(toggle).toHaveAttribute('aria-pressed', 'true');
    const preview = await canvas.findByRole('region', { name: 'Preview' });
    await waitFor(() => expect(preview.querySelector('strong')).toHaveTextContent('bold'));
    await expect(preview.querySelector('em')).toHaveTextContent('aside');
    await expect(preview.querySelector('code')).toHaveTextContent('code');
    await expect(preview.querySelector('blockquote')).toHaveTextContent('A quoted line');
    await expect(preview.querySelector('a')).toHaveAttribute('href', 'https://example.com/source');
  },
};

/** Interaction: Formatting opens what each mark looks like, as typed and as shown. */
export const FormattingHelpOpen: Story = {
  loaders: [widgetLoader()],
  play: async ({ canvas, userEvent }) => {
    const toggle = canvas.getByRole('button', { name: 'Formatting' });
    await userEvent.click(toggle);
    await expect(toggle).toHaveAttribute('aria-expanded', 'true');
    const help = await canvas.findByText('**bold**');
    await expect(help.closest('dl')).toHaveAttribute('id', toggle.getAttribute('aria-controls'));
    await waitFor(() => expect(help.closest('dl')!.querySelector('dd strong')).toHaveTextContent('bold'));
  },
};

/** 9,950 characters typed: the counter says how many are left (and says it politely, not on every key). */
export const CounterNearTheLimit: Story = {
  loaders: [widgetLoader({ prepare: ({ store }) => void (store.form(null).body.value = 'x'.repeat(9_950)) })],
  play: async ({ canvas }) => {
    const counter = await canvas.findByText('50 characters left', { selector: '[id$="-count"]' });
    await expect(canvas.getByRole('textbox', { name: 'Your comment' })).toHaveAccessibleDescription('50 characters left');
    await expect(counter).toBeVisible();
  },
};

/** 10,020 characters: the counter says what is allowed, and Post says it again at the field. */
export const CounterOverTheLimit: Story = {
  loaders: [widgetLoader({ prepare: ({ store }) => void (store.form(null).body.value = 'x'.repeat(10_020)) })],
  play: async ({ canvas }) => {
    const counter = await canvas.findByText('Keep it to at most 10,000 characters.', { selector: '[id$="-count"]' });
    await expect(counter).toBeVisible();
  },
};
