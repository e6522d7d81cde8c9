// Sign-in from the host site (the `sso` option), as the sign-in part shows it: a signed-in
// reader's form, "Sign in to comment" where the server takes no guests, and a moderator's tools
// in the thread. The part's views are put in the store directly, over the in-memory adapter; a
// moderator's actions go to an in-memory stand-in for the moderation API.
import type { Meta, StoryObj } from '@storybook/preact';
import { expect, within } from 'storybook/test';
import type { ThreadStore } from '../src/store/thread-store';
import type { Comment, ModerationClient, SignedInUser } from '../src/types';
import { partDeps } from '../src/ui/load-part';
import { moderatorTools } from '../src/ui/ModeratorTools';
import { normalizeSso, signedInView } from '../src/ui/SignIn';
import { Thread } from '../src/ui/Thread';
import { comment, reply } from './support/data';
import { widgetLoader, type WidgetArgs } from './support/widget';

const meta = {
  title: 'Widget/SignIn',
  render: () => <Thread />,
} satisfies Meta<Partial<WidgetArgs>>;

export default meta;
type Story = StoryObj<typeof meta>;

const SSO = normalizeSso({ token: 'a-token', loginUrl: 'https://site.example/login', logoutUrl: 'https://site.example/logout' });
const ADA: SignedInUser = { id: 'u_ada', name: 'Ada Lovelace', url: null, avatarUrl: null };
const GRACE: SignedInUser = { id: 'u_grace', name: 'Grace Hopper', url: null, avatarUrl: null, role: 'moderator' };

const conversation = () => [
  comment('c1', 'Amira Haddad', 'The second chapter reads much better than the first.'),
  reply('c2', 'c1', 'Jonas Berg', 'Agreed, the pacing finally settles.', 30),
  comment('c3', 'Mei Lin', 'Is there a print edition?'),
];

/** What a moderator's actions do here: the comment as the server would answer, changed. */
function moderationInMemory(store: ThreadStore): ModerationClient {
  const held: Comment = comment('h1', 'Newcomer', 'A first comment, held for approval.', { status: 'pending' });
  const current = (id: string) => store.node(id)?.comment.peek();
  return {
    held: async () => [held],
    async act(id, action) {
      const was = current(id);
      if (!was) return null;
      if (action === 'approve') return { ...was, status: 'published' };
      if (action === 'delete') return { ...was, status: 'deleted', body: '' };
      return { ...was, pinned: action === 'pin' };
    },
    setLocked: async (locked) => locked,
  };
}

/** Signed in: "Commenting as …" and Sign out in place of the name and email fields. */
export const SignedInReader: Story = {
  loaders: [
    widgetLoader({
      comments: conversation,
      prepare: ({ store }) => {
        store.signIn.value = signedInView(partDeps, SSO, ADA);
      },
    }),
  ],
  play: async ({ canvas }) => {
    await expect(await canvas.findByText('Commenting as Ada Lovelace')).toBeVisible();
    await expect(canvas.getByRole('link', { name: 'Sign out' })).toHaveAttribute('href', 'https://site.example/logout');
    await expect(canvas.queryByRole('textbox', { name: 'Name' })).toBeNull();
  },
};

/** The server takes no guests (GUESTS=off) and no one is signed in: a link to sign in instead of the form. */
export const SignInToComment: Story = {
  loaders: [
    widgetLoader({
      comments: conversation,
      thread: { features: { guests: false, reports: true } },
      prepare: ({ store }) => {
        store.signIn.value = signedInView(partDeps, SSO, null);
      },
    }),
  ],
  play: async ({ canvas }) => {
    const link = await canvas.findByRole('link', { name: 'Sign in to comment' });
    await expect(new URL(link.getAttribute('href')!).searchParams.get('returnTo')).toBe(location.href);
    await expect(canvas.queryByRole('textbox', { name: 'Your comment' })).toBeNull();
  },
};

/** Interaction: a moderator approves the held comment, pins one and locks the thread from the widget. */
export const ModeratorTools: Story = {
  loaders: [
    widgetLoader({
      comments: conversation,
      prepare: ({ store }) => {
        store.signIn.value = signedInView(partDeps, SSO, GRACE, moderatorTools(partDeps, store, moderationInMemory(store)));
      },
    }),
  ],
  play: async ({ canvas, userEvent }) => {
    const held = (await canvas.findByText('A first comment, held for approval.')).closest('article')!;
    await userEvent.click(within(held as HTMLElement).getByRole('button', { name: 'Approve' }));
    await expect(within(held as HTMLElement).queryByRole('button', { name: 'Approve' })).toBeNull();

    const printEdition = canvas.getByText('Is there a print edition?').closest('article') as HTMLElement;
    await userEvent.click(within(printEdition).getByRole('button', { name: 'Pin' }));
    await expect(await within(printEdition).findByRole('button', { name: 'Unpin' })).toBeVisible();

    await userEvent.click(canvas.getByRole('button', { name: 'Lock thread' }));
    await expect(await canvas.findByText('Comments are closed.')).toBeVisible();
    await expect(canvas.getByRole('button', { name: 'Unlock thread' })).toBeVisible();
  },
};
