// The edit form is a part (src/ui/load-part.ts): its code comes with the first Edit click (a
// dynamic import here, as in the npm build) and only then; if it does not come, the comment
// says so and the next click tries again. Each test starts from fresh widget modules, so the
// form's code has not been loaded yet.
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { screen, waitFor, within } from '@testing-library/preact';

const EDIT_FORM = '../../src/ui/EditForm';
/** How many times the form's module was loaded, and whether the next load fails. */
let loads = 0;
let failNext = false;

beforeEach(() => {
  loads = 0;
  failNext = false;
  vi.resetModules();
  vi.doMock(EDIT_FORM, async (importOriginal) => {
    loads++;
    if (failNext) {
      failNext = false;
      throw new TypeError('Failed to fetch dynamically imported module');
    }
    return importOriginal();
  });
});
afterAll(() => {
  vi.doUnmock(EDIT_FORM);
  vi.resetModules();
});

/** A thread with one own comment, on widget modules loaded after the mock above. */
async function ownComment(text: string) {
  const { commentWith, postOwnComment } = await import('./render-thread');
  const view = await postOwnComment(text);
  const editButton = () => within(commentWith(text)).getByRole('button', { name: 'Edit' });
  return { ...view, commentWith, editButton };
}

describe('the edit form, loaded on demand', () => {
  it('is not loaded with the thread, comes with the first Edit click, and only then', async () => {
    const { user, editButton } = await ownComment('Lazy');
    expect(loads).toBe(0);
    await user.click(editButton());
    const box = await screen.findByRole('textbox', { name: 'Edit your comment' });
    expect(loads).toBe(1);
    await waitFor(() => expect(document.activeElement).toBe(box));
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    await user.click(editButton());
    await screen.findByRole('textbox', { name: 'Edit your comment' });
    expect(loads).toBe(1);
  });

  it('says so in the comment when its code does not come, and a second click tries again', async () => {
    const { user, editButton, commentWith, adapter } = await ownComment('Offline edit');
    failNext = true;
    const article = commentWith('Offline edit');
    await user.click(editButton());
    const alert = await within(article).findByRole('alert');
    expect(alert.textContent).toBe('Could not reach the comment server.');
    expect(screen.queryByRole('textbox', { name: 'Edit your comment' })).toBeNull();
    // The comment stays as it was, its Edit button still there.
    await user.click(editButton());
    const box = await screen.findByRole('textbox', { name: 'Edit your comment' });
    expect(within(article).queryByRole('alert')).toBeNull();
    expect(loads).toBe(2);
    await user.type(box, ', saved');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(adapter.comments[0]!.body).toBe('Offline edit, saved'));
  });
});
