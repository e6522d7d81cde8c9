// The moderation dashboard (server/admin) in its main states, over the in-memory fake of the
// moderation API (test/admin/fake-server.ts): fixture data, no network. Each story makes a fresh
// server and app in its loader; play functions wait for the screen the story is about. The
// locale control plays the browser's language (the catalogs' `admin.*` strings, loaded as the
// page loads them); the play functions read English, so they hold for the default only.
import type { Meta, StoryContext, StoryObj } from '@storybook/preact';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import { createApi } from '../../server/admin/src/api';
import { createApp, type App as AppState } from '../../server/admin/src/app-store';
import { App } from '../../server/admin/src/components/App';
import { LANGUAGES, loadI18n } from '../../server/admin/src/i18n/i18n';
import { createMemoryRouter } from '../../server/admin/src/router';
import '../../server/admin/src/styles.css';
import { createFakeServer, type FakeServer, type FakeServerSeed } from '../../test/admin/fake-server';
import { MODERATOR_ACTOR } from '../../test/admin/fixtures';

interface Loaded {
  admin: { app: AppState; server: FakeServer };
}

function dashboard({
  hash = '#/pending',
  before,
  ...seed
}: FakeServerSeed & { hash?: string; before?: (server: FakeServer) => void } = {}) {
  return async ({ args }: { args: { locale?: string } }) => {
    const server = createFakeServer({ signedIn: MODERATOR_ACTOR, ...seed });
    before?.(server);
    const i18n = await loadI18n([args.locale ?? 'en']);
    const api = createApi({ fetch: server.fetch, eventSource: server.eventSource, t: i18n.t });
    const app = createApp({ api, router: createMemoryRouter(hash), i18n, setTitle: () => {} });
    return { admin: { app, server } } satisfies Loaded;
  };
}

/** Every catalog, then tags that read one (de-AT → de, pt → pt-BR, zh-HK → zh-TW) and one without (eo: English). */
const LOCALES = ['en', ...LANGUAGES, 'de-AT', 'pt', 'zh-HK', 'eo'];

const meta = {
  title: 'Dashboard/Moderation',
  args: { locale: 'en' },
  argTypes: {
    locale: {
      description:
        "The browser's language (navigator.languages): the dashboard's strings, dates, numbers, plurals and direction.",
      control: {
        type: 'select',
        labels: Object.fromEntries(
          LOCALES.map((tag) => [tag, `${tag} · ${new Intl.DisplayNames([tag], { type: 'language' }).of(tag) ?? tag}`]),
        ),
      },
      options: LOCALES,
    },
  },
  render: (_args, context) => (
    <div class="adm">
      <App app={(context.loaded as Loaded).admin.app} />
    </div>
  ),
  parameters: { controls: { include: ['locale'] } },
} satisfies Meta;

export default meta;
type Story = StoryObj<typeof meta>;

const screenOf = (context: Pick<StoryContext, 'canvasElement'>) => within(context.canvasElement);

export const SignIn: Story = {
  loaders: [dashboard({ signedIn: null })],
  play: async (context) => {
    const screen = screenOf(context);
    await screen.findByRole('heading', { name: 'Sign in' });
    await expect(screen.getByLabelText('Admin token')).toBeTruthy();
  },
};

/** An invitation link (#set-password=…) opens this. */
export const SetPassword: Story = {
  loaders: [dashboard({ signedIn: null, hash: '#set-password=invite-123' })],
  play: async (context) => {
    await screenOf(context).findByRole('heading', { name: 'Set your password' });
  },
};

/** Held comments with their reasons: too many links, a first comment, pre-moderation. */
export const PendingQueue: Story = {
  loaders: [dashboard()],
  play: async (context) => {
    const screen = screenOf(context);
    await screen.findByRole('article', { name: /^Ann/ });
    await expect(screen.getAllByRole('article')).toHaveLength(3);
  },
};

export const EmptyQueue: Story = {
  loaders: [dashboard({ comments: [] })],
  play: async (context) => {
    await screenOf(context).findByText('Nothing is waiting for approval.');
  },
};

/** Three readers reported it: the reasons and their notes. */
export const ReportedWithReasons: Story = {
  loaders: [dashboard({ hash: '#/reported' })],
  play: async (context) => {
    const screen = screenOf(context);
    const dana = await screen.findByRole('article', { name: /^Dana/ });
    await expect(within(dana).getByText('Reported 3 times: abuse 2, off-topic 1')).toBeTruthy();
  },
};

/** Two rows selected for the bulk actions, and the bulk delete asking first. */
export const BulkDeleteConfirmation: Story = {
  loaders: [dashboard()],
  play: async (context) => {
    const screen = screenOf(context);
    await screen.findByRole('article', { name: /^Ann/ });
    await userEvent.click(screen.getByRole('checkbox', { name: 'Select comment by Ann' }));
    await userEvent.click(screen.getByRole('checkbox', { name: 'Select comment by Bo' }));
    await userEvent.click(screen.getByRole('button', { name: 'Delete selected' }));
    await screen.findByRole('alertdialog', { name: /Delete 2 comments\?/ });
  },
};

export const AllCommentsSearch: Story = {
  loaders: [dashboard({ hash: '#/all' })],
  play: async (context) => {
    const screen = screenOf(context);
    await screen.findByRole('article', { name: /^Ann/ });
    await userEvent.type(screen.getByRole('searchbox', { name: 'Text' }), 'four');
    await userEvent.click(screen.getByRole('button', { name: 'Search' }));
    await waitFor(() => expect(screen.getAllByRole('article')).toHaveLength(2));
  },
};

export const Threads: Story = {
  loaders: [dashboard({ hash: '#/threads' })],
  play: async (context) => {
    await screenOf(context).findByRole('button', { name: 'Unlock' });
  },
};

/** The pending queue as a German-speaking moderator's browser shows it. */
export const InGerman: Story = {
  args: { locale: 'de' },
  loaders: [dashboard()],
  play: async (context) => {
    const screen = screenOf(context);
    await screen.findByRole('heading', { level: 1, name: 'Ausstehend' });
    await screen.findByRole('article', { name: /^Ann/ });
  },
};

/** Arabic: right to left, Arabic plurals, dates and digits. */
export const RightToLeft: Story = {
  args: { locale: 'ar' },
  loaders: [dashboard({ hash: '#/reported' })],
  play: async (context) => {
    const screen = screenOf(context);
    await screen.findByRole('article', { name: /^Dana/ });
    await expect(context.canvasElement.querySelector('.adm-shell')!.getAttribute('dir')).toBe('rtl');
  },
};

export const Bans: Story = {
  loaders: [dashboard({ hash: '#/bans' })],
  play: async (context) => {
    await screenOf(context).findByRole('heading', { name: 'Spam King' });
  },
};

/** Just added a moderator: the one-time link to copy, shown once. */
export const ModeratorsWithInvitation: Story = {
  loaders: [dashboard({ hash: '#/moderators' })],
  play: async (context) => {
    const screen = screenOf(context);
    await screen.findByRole('heading', { name: 'Moderator Mo (mo@example.com)' });
    await userEvent.type(screen.getByLabelText('Email'), 'kim@example.com');
    await userEvent.click(screen.getByRole('button', { name: 'Add moderator' }));
    await screen.findByRole('textbox', { name: 'One-time link' });
  },
};

export const AuditLog: Story = {
  loaders: [dashboard({ hash: '#/audit' })],
  play: async (context) => {
    await screenOf(context).findByText(/held a comment after reports/);
  },
};

export const HelpOverlay: Story = {
  loaders: [dashboard()],
  play: async (context) => {
    const screen = screenOf(context);
    await screen.findByRole('article', { name: /^Ann/ });
    await userEvent.click(screen.getByRole('button', { name: 'Shortcuts' }));
    await screen.findByRole('dialog', { name: 'Keyboard shortcuts' });
  },
};

/** A failed action: the server is down; the comment stays, the reason is announced. */
export const ActionFailed: Story = {
  loaders: [
    dashboard({
      before: (server) =>
        server.failAlways(/^POST \/threads\//, {
          status: 503,
          body: { error: { code: 'unavailable', message: 'The database is not answering. Try again in a minute.' } },
        }),
    }),
  ],
  play: async (context) => {
    const screen = screenOf(context);
    const ann = await screen.findByRole('article', { name: /^Ann/ });
    await userEvent.click(within(ann).getByRole('button', { name: 'Approve' }));
    await screen.findByRole('alert');
  },
};
