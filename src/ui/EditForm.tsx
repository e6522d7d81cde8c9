// Editing an own comment in place: Save (or Ctrl+Enter) sends it, Cancel (or Escape) closes it.
import { useState } from 'preact/hooks';
import { useWidget } from './context';
import { errorText } from './error-text';
import type { CommentNode } from '../store/thread-store';

export function EditForm({ node }: { node: CommentNode }) {
  const { store, t, view } = useWidget();
  // The text lives in the view too: a new sort or a slice boundary may render this form anew.
  const [text, setTextState] = useState(() => view.editDrafts.get(node.id) ?? node.comment.peek().body);
  const setText = (value: string) => {
    view.editDrafts.set(node.id, value);
    setTextState(value);
  };
  const saving = node.busy.value === 'saving';
  const error = node.error.value;
  const id = `confab-edit-${node.id}`;
  const save = () => void store.saveEdit(node.id, text);
  return (
    <form
      class="confab-form confab-form--edit"
      onSubmit={(event) => {
        event.preventDefault();
        save();
      }}
      onKeyDown={(event) => {
        if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
          event.preventDefault();
          save();
        } else if (event.key === 'Escape') store.setEditing(node.id, false);
      }}
    >
      <label class="confab-visually-hidden" for={id}>
        {t('comment.editLabel')}
      </label>
      <textarea id={id} rows={3} value={text} readOnly={saving} onInput={(event) => setText(event.currentTarget.value)} />
      {error && (
        <p class="confab-notice confab-notice--error" role="alert">
          {errorText(t, error)}
        </p>
      )}
      <div class="confab-form-actions">
        <button type="submit" class="confab-button confab-button--primary" disabled={saving || text.trim() === ''}>
          {saving ? t('comment.saving') : t('comment.save')}
        </button>
        <button type="button" class="confab-button" onClick={() => store.setEditing(node.id, false)}>
          {t('comment.cancel')}
        </button>
      </div>
    </form>
  );
}
