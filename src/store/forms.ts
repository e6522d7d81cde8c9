// Reply and edit form state: drafts that survive reloads, and the one Idempotency-Key that a
// logical submit keeps across its retries (kept here with the draft; made and cleared by
// submits.ts, which posting brings along).
import { signal, type Signal } from '@preact/signals-core';
import type { ConfabError } from '../errors';
import type { KeyValueStorage } from './storage';

export interface Identity {
  name: string;
  email: string;
}

export type FormStatus = 'idle' | 'posting' | 'error';
export type FieldName = 'name' | 'email' | 'body';
export type FieldErrors = Partial<Record<FieldName, string>>;

export interface ReplyFormState {
  readonly parentId: string | null;
  readonly name: Signal<string>;
  readonly email: Signal<string>;
  readonly body: Signal<string>;
  /** "Email me when someone replies": asked each time, never remembered. */
  readonly notify: Signal<boolean>;
  readonly status: Signal<FormStatus>;
  readonly error: Signal<ConfabError | null>;
  /** Messages keyed by field: the i18n key for our own checks, server text otherwise. */
  readonly fieldErrors: Signal<FieldErrors>;
  /** When the reader first focused the form (epoch ms), for the post's composeMs; the UI sets it. */
  openedAt: number | null;
  /** The honeypot field's value (see NewComment.website); the UI sets it as a post is sent. */
  website?: string;
}

interface StoredDraft {
  body: string;
  /** The key of a submit that may have reached the server: a Retry after reload reuses it. */
  key?: string;
  keyFor?: string;
}

export { MAX_BODY, MAX_NAME, validateReply } from './reply-checks';

export interface Attempt {
  key: string;
  content: string;
}

/**
 * The reply forms of one thread: each form's state, its saved draft, the reader's name and
 * email, and the Idempotency-Key of the submit under way.
 */
export interface ReplyForms {
  /** One form state per parent, created on first use with its saved draft restored. */
  form(parentId: string | null): ReplyFormState;
  /** Keeps the form's text (and the key of a submit under way) in storage. */
  saveDraft(parentId: string | null): void;
  /** Parents with a saved reply draft, so their forms can reopen after a reload. */
  openDrafts(): string[];
  /**
   * What posting's submits.ts works with (a part: its code loads on a form's first focus): the
   * storage, each form's submit under way (by parent id, '' for the top level), and, for a
   * parent, its draft's storage key and the mark that its reply draft is open.
   */
  readonly parts: readonly [
    storage: KeyValueStorage,
    attempts: Map<string, Attempt>,
    draftKey: (parentId: string | null) => string,
    markOpen: (parentId: string | null, open: boolean) => void,
  ];
}

export function createReplyForms(storage: KeyValueStorage, scope: string): ReplyForms {
  const forms = new Map<string, ReplyFormState>();
  const attempts = new Map<string, Attempt>();
  const draftKey = (parentId: string | null) => `draft:${scope}:${parentId ?? ''}`;
  const openKey = `drafts:${scope}`;

  function openDrafts(): string[] {
    const list = storage.get<unknown>(openKey);
    return Array.isArray(list) ? list.filter((id): id is string => typeof id === 'string') : [];
  }

  function markOpen(parentId: string | null, open: boolean) {
    if (parentId === null) return;
    const list = openDrafts().filter((id) => id !== parentId);
    if (open) list.push(parentId);
    storage.set(openKey, list);
  }

  /** The name and email the reader last posted with. */
  function identity(): Identity {
    const saved = storage.get<Partial<Identity>>('identity');
    return {
      name: typeof saved?.name === 'string' ? saved.name : '',
      email: typeof saved?.email === 'string' ? saved.email : '',
    };
  }

  function form(parentId: string | null): ReplyFormState {
    const id = parentId ?? '';
    let form = forms.get(id);
    if (form) return form;
    const { name, email } = identity();
    const draft = storage.get<StoredDraft>(draftKey(parentId));
    form = {
      parentId,
      name: signal(name),
      email: signal(email),
      body: signal(typeof draft?.body === 'string' ? draft.body : ''),
      notify: signal(false),
      status: signal<FormStatus>('idle'),
      error: signal<ConfabError | null>(null),
      fieldErrors: signal<FieldErrors>({}),
      openedAt: null,
    };
    if (draft?.key && typeof draft.keyFor === 'string') {
      attempts.set(id, { key: draft.key, content: draft.keyFor });
    }
    forms.set(id, form);
    return form;
  }

  function saveDraft(parentId: string | null) {
    const { body } = form(parentId);
    const attempt = attempts.get(parentId ?? '');
    const empty = body.value === '' && !attempt;
    if (openDrafts().includes(parentId ?? '') === empty) markOpen(parentId, !empty);
    if (empty) storage.remove(draftKey(parentId));
    else {
      const draft: StoredDraft = { body: body.value };
      if (attempt) Object.assign(draft, { key: attempt.key, keyFor: attempt.content });
      storage.set(draftKey(parentId), draft);
    }
  }

  return { form, saveDraft, openDrafts, parts: [storage, attempts, draftKey, markOpen] };
}
