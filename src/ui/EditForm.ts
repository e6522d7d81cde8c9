// Editing an own comment in place: Save (or Ctrl+Enter) sends it, Cancel (or Escape) closes it.
// Loaded on the first Edit click (a part, see load-part.ts and comment-events.ts), so it imports
// nothing at run time: Preact comes from the bundle that opens it (`deps`), the strings, store
// and view from `widget`. Its English travels with it; locales translate the same keys.
import type { CommentNode } from '../store/thread-store';
import type { WidgetContextValue } from './context';
import type { errorText as ErrorText } from './error-text';
import type { PartDeps } from './load-part';

/** English, for the keys a locale (or a site's messages) does not translate. */
export const enEdit = {
  'comment.editLabel': 'Edit your comment',
  'comment.save': 'Save',
  'comment.saving': 'Saving…',
};
export type EditKey = keyof typeof enEdit;

export interface EditFormProps {
  node: CommentNode;
  widget: WidgetContextValue;
}

/** The form component, on the given Preact (plain jsx() calls: JSX would import Preact itself). */
export function editForm([h, , , , useState]: PartDeps, errorText: typeof ErrorText) {
  return function EditForm({ node, widget }: EditFormProps) {
    const { store, t, view } = widget;
    // The locale's words, else the English that came with this file.
    const tr = (key: EditKey) => t(key) || enEdit[key];
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
    const close = () => store.setEditing(node.id, false);
    return h('form', {
      class: 'confab-form confab-form--edit',
      onSubmit: (event: Event) => {
        event.preventDefault();
        save();
      },
      onKeyDown: (event: KeyboardEvent) => {
        if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
          event.preventDefault();
          save();
        } else if (event.key === 'Escape') close();
      },
      children: [
        h('label', { class: 'confab-visually-hidden', for: id, children: tr('comment.editLabel') }),
        h('textarea', {
          id,
          rows: 3,
          value: text,
          readOnly: saving,
          onInput: (event: Event) => setText((event.currentTarget as HTMLTextAreaElement).value),
        }),
        error && h('p', { class: 'confab-notice confab-notice--error', role: 'alert', children: errorText(t, error) }),
        h('div', {
          class: 'confab-form-actions',
          children: [
            h('button', {
              type: 'submit',
              class: 'confab-button confab-button--primary',
              disabled: saving || text.trim() === '',
              children: saving ? tr('comment.saving') : tr('comment.save'),
            }),
            h('button', { type: 'button', class: 'confab-button', onClick: close, children: t('comment.cancel') }),
          ],
        }),
      ],
    });
  };
}
