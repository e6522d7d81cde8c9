// Renders a whole thread over a memory adapter, as mount() would, minus the shadow root.
import { render, screen, waitFor, within } from '@testing-library/preact';
import { expect } from 'vitest';
import userEvent from '@testing-library/user-event';
import { createThreadStore, type ThreadStoreOptions } from '../../src/store/thread-store';
import { ConfabProvider } from '../../src/ui/ConfabProvider';
import { Thread } from '../../src/ui/Thread';
import { createMemoryAdapter, type MemoryAdapter } from '../fixtures/memory-adapter';

export async function renderThread(adapter: MemoryAdapter, options: Partial<ThreadStoreOptions> & { maxDepth?: number } = {}) {
  const store = createThreadStore({ adapter, threadId: 't', ...options });
  const user = userEvent.setup();
  const view = render(
    <ConfabProvider store={store} maxDepth={options.maxDepth}>
      <Thread />
    </ConfabProvider>,
  );
  await store.load();
  return {
    store,
    user,
    view,
    unmount: () => {
      view.unmount();
      store.dispose();
    },
  };
}

/** The <article> of the comment whose body contains `text`. */
export function commentWith(text: string | RegExp): HTMLElement {
  const article = screen.getByText(text).closest('article');
  if (!article) throw new Error(`no comment contains ${String(text)}`);
  return article as HTMLElement;
}

/** An empty thread with one comment the reader posted (so Edit and Delete are offered). */
export async function postOwnComment(text: string) {
  const adapter = createMemoryAdapter([]);
  const view = await renderThread(adapter);
  await view.user.type(screen.getByRole('textbox', { name: 'Your comment' }), text);
  await view.user.click(screen.getByRole('button', { name: 'Post comment' }));
  await waitFor(() => expect(within(commentWith(text)).queryByText('Posting…')).toBeNull());
  // Focus moves to the comment just posted (a frame later): a test goes on from there, as a reader would.
  await waitFor(() => expect(document.activeElement).toBe(commentWith(text)));
  return { ...view, adapter };
}
