// Reply and edit form state: drafts that survive reloads, and the one Idempotency-Key that a
// logical submit keeps across its retries.
import { signal, type Signal } from '@preact/signals-core';
import type { ConfabError } from '../errors';
import type { KeyValueStorage } from './storage';
import { randomId } from '../util/values';

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
  readonly status: Signal<FormStatus>;
  readonly error: Signal<ConfabError | null>;
  /** Messages keyed by field: the i18n key for our own checks, server text otherwise. */
  readonly fieldErrors: Signal<FieldErrors>;
}

interface StoredDraft {
  body: string;
  /** The key of a submit that may have reached the server: a Retry after reload reuses it. */
  key?: string;
  keyFor?: string;
}

export const MAX_NAME = 80;
export const MAX_BODY = 10_000;

export interface Attempt {
  key: string;
  content: string;
}

/**
 * The reply forms of one thread: each form's state, its saved draft, the reader's name and
 * email, and the Idempotency-Key of the submit under way.
 */
export class ReplyForms {
  private readonly forms = new Map<string, ReplyFormState>();
  private readonly attempts = new Map<string, Attempt>();

  constructor(
    private readonly storage: KeyValueStorage,
    private readonly scope: string,
  ) {}

  private draftKey(parentId: string | null) {
    return `draft:${this.scope}:${parentId ?? ''}`;
  }

  /** Parents with a saved reply draft, so their forms can reopen after a reload. */
  openDrafts(): string[] {
    const list = this.storage.get<unknown>(`drafts:${this.scope}`);
    return Array.isArray(list) ? list.filter((id): id is string => typeof id === 'string') : [];
  }

  private markOpen(parentId: string | null, open: boolean) {
    if (parentId === null) return;
    const list = this.openDrafts().filter((id) => id !== parentId);
    if (open) list.push(parentId);
    this.storage.set(`drafts:${this.scope}`, list);
  }

  identity(): Identity {
    const saved = this.storage.get<Partial<Identity>>('identity');
    return {
      name: typeof saved?.name === 'string' ? saved.name : '',
      email: typeof saved?.email === 'string' ? saved.email : '',
    };
  }

  rememberIdentity(identity: Identity) {
    this.storage.set('identity', identity);
  }

  /** One form state per parent, created on first use with its saved draft restored. */
  form(parentId: string | null): ReplyFormState {
    const id = parentId ?? '';
    let form = this.forms.get(id);
    if (form) return form;
    const identity = this.identity();
    const draft = this.storage.get<StoredDraft>(this.draftKey(parentId));
    form = {
      parentId,
      name: signal(identity.name),
      email: signal(identity.email),
      body: signal(typeof draft?.body === 'string' ? draft.body : ''),
      status: signal<FormStatus>('idle'),
      error: signal<ConfabError | null>(null),
      fieldErrors: signal<FieldErrors>({}),
    };
    if (draft?.key && typeof draft.keyFor === 'string') {
      this.attempts.set(id, { key: draft.key, content: draft.keyFor });
    }
    this.forms.set(id, form);
    return form;
  }

  hasDraft(parentId: string | null): boolean {
    return this.form(parentId).body.value.trim() !== '';
  }

  saveDraft(parentId: string | null) {
    const form = this.form(parentId);
    const attempt = this.attempts.get(parentId ?? '');
    const empty = form.body.value === '' && !attempt;
    if (this.openDrafts().includes(parentId ?? '') === empty) this.markOpen(parentId, !empty);
    if (empty) this.storage.remove(this.draftKey(parentId));
    else {
      const draft: StoredDraft = { body: form.body.value };
      if (attempt) Object.assign(draft, { key: attempt.key, keyFor: attempt.content });
      this.storage.set(this.draftKey(parentId), draft);
    }
  }

  /**
   * The key for submitting `content`: the same as last time while the content is unchanged
   * (a retry), a fresh one once the reader has changed what they send (a new submit).
   */
  attemptFor(parentId: string | null, content: string): Attempt {
    this.form(parentId); // restores the key saved before a reload, if the form was never shown
    const id = parentId ?? '';
    const previous = this.attempts.get(id);
    if (previous && previous.content === content) return previous;
    const attempt = { key: randomId(), content };
    this.attempts.set(id, attempt);
    this.saveDraft(parentId);
    return attempt;
  }

  /** After a successful post: nothing left to restore or retry. */
  clear(parentId: string | null) {
    const form = this.form(parentId);
    this.attempts.delete(parentId ?? '');
    form.body.value = '';
    form.status.value = 'idle';
    form.error.value = null;
    form.fieldErrors.value = {};
    this.storage.remove(this.draftKey(parentId));
    this.markOpen(parentId, false);
  }
}

/** Our own checks before anything is sent; values are i18n keys. */
export function validateReply(form: ReplyFormState): FieldErrors {
  const errors: FieldErrors = {};
  const body = form.body.value.trim();
  if (body === '') errors.body = 'form.error.bodyEmpty';
  else if (body.length > MAX_BODY) errors.body = 'form.error.bodyLong';
  if (form.name.value.trim().length > MAX_NAME) errors.name = 'form.error.nameLong';
  const email = form.email.value.trim();
  if (email !== '' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) errors.email = 'form.error.email';
  return errors;
}
