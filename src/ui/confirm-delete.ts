// "Delete this comment?" with its two buttons, as a group in a comment's toolbar: the reader's
// own Delete (the events part) and a moderator's (the sign-in part) ask the same way. Built with
// the Preact of the part that draws it (PartDeps' jsx).
import type { ComponentChildren, VNode } from 'preact';
import type { PartDeps } from './load-part';
import type { Translate } from '../i18n/translate';

export const confirmDeleteGroup = (h: PartDeps[0], t: Translate, confirm: ComponentChildren, cancel: ComponentChildren): VNode =>
  h('span', {
    class: 'confab-confirm',
    role: 'group',
    'aria-label': t('comment.confirmDelete'),
    children: [h('span', { children: t('comment.confirmDelete') }), confirm, cancel],
  });
