import { describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/preact';
import { createMemoryAdapter } from '../fixtures/memory-adapter';
import { makeComment } from '../fixtures/seed';
import { commentWith, renderThread } from './render-thread';

describe('<RepliesToggle />', () => {
  it('collapses and expands a subtree, saying how many replies it hides', async () => {
    const root = makeComment({ body: 'Root' });
    const child = makeComment({ body: 'Child', parentId: root.id });
    const grandchild = makeComment({ body: 'Grandchild', parentId: child.id });
    const { user } = await renderThread(createMemoryAdapter([root, child, grandchild]));
    const toggle = within(commentWith('Root')).getByRole('button', { name: 'Hide 2 replies' });
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    await user.click(toggle);
    expect(screen.queryByText('Child')).toBeNull();
    expect(screen.queryByText('Grandchild')).toBeNull();
    const show = within(commentWith('Root')).getByRole('button', { name: 'Show 2 replies' });
    expect(show.getAttribute('aria-expanded')).toBe('false');
    await user.click(show);
    expect(screen.getByText('Grandchild')).toBeTruthy();
  });
});
