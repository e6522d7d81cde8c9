// The edit form is code only authors need, within the edit window: a part, loaded on the first
// Edit click (see load-part.ts). Until it has come, the comment stays as it is.
import type { ComponentType } from 'preact';
import { ConfabError } from '../errors';
import type { CommentNode } from '../store/thread-store';
import type { WidgetContextValue } from './context';
import type { EditFormProps } from './EditForm';
import { errorText } from './error-text';
import { loadPart, loadPartWords, partDeps } from './load-part';

/** The form component, once its code has come (made once: a new component would lose the typed text). */
export let EditForm: ComponentType<EditFormProps> | undefined;

/**
 * Opens the edit form of `node`, with focus in its text. If the form's code does not come, the
 * comment says so (a network error) and the next click tries again.
 */
export function openEdit({ store, view, locale }: WidgetContextValue, node: CommentNode): Promise<void> {
  const { id } = node;
  view.editDrafts.delete(id); // a new edit starts from the comment as it is
  node.error.value = null; // a failure said again is announced again
  return Promise.all([loadPart('edit'), loadPartWords('edit', locale)]).then(
    ([part]) => {
      EditForm ??= part.editForm(partDeps, errorText);
      store.setEditing(id, true);
      // After the render that shows the form (the Edit button it replaces had focus).
      setTimeout(() => view.root?.getElementById(`confab-edit-${id}`)?.focus());
    },
    () => {
      node.error.value = new ConfabError('network', 'the edit form did not load');
    },
  );
}
