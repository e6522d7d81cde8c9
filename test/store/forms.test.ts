// Reply forms: drafts that survive reloads, idempotency keys, and our own checks.
import { describe, expect, it } from 'vitest';
import { createReplyForms, MAX_BODY, MAX_NAME, validateReply } from '../../src/store/forms';
import { createStorage, type KeyValueStorage } from '../../src/store/storage';
import { submitsOf } from '../../src/store/submits';
import { randomId } from '../../src/util/values';
import { throwingStorage } from './storage-fakes';

describe('createReplyForms', () => {
  /** The forms, with what posting does to them (submits.ts). */
  const book = (storage: KeyValueStorage = createStorage(), scope = 'thread-1') => {
    const forms = createReplyForms(storage, scope);
    return { ...forms, ...submitsOf(forms, randomId) };
  };

  it('starts with an empty form and the remembered identity', () => {
    const storage = createStorage();
    book(storage).rememberIdentity({ name: 'Ann', email: 'ann@example.com' });
    const form = book(storage).form(null);
    expect(form.body.value).toBe('');
    expect(form.name.value).toBe('Ann');
    expect(form.email.value).toBe('ann@example.com');
    expect(form.status.value).toBe('idle');
  });

  it('ignores a stored identity of the wrong shape', () => {
    const storage = createStorage();
    storage.set('identity', { name: 5, email: ['x'] });
    const form = book(storage).form(null);
    expect([form.name.value, form.email.value]).toEqual(['', '']);
  });

  it('returns the same form for the same parent', () => {
    const drafts = book();
    expect(drafts.form('c1')).toBe(drafts.form('c1'));
    expect(drafts.form('c1')).not.toBe(drafts.form(null));
  });

  it('restores a saved draft in new reply forms on the same storage', () => {
    const storage = createStorage();
    const first = book(storage);
    first.form(null).body.value = 'top-level draft';
    first.saveDraft(null);
    first.form('c1').body.value = 'reply draft';
    first.saveDraft('c1');

    const reloaded = book(storage);
    expect(reloaded.form(null).body.value).toBe('top-level draft');
    expect(reloaded.form('c1').body.value).toBe('reply draft');
    expect(reloaded.openDrafts()).toEqual(['c1']);
  });

  it('keeps drafts of different threads apart', () => {
    const storage = createStorage();
    const one = book(storage, 'one');
    one.form(null).body.value = 'for one';
    one.saveDraft(null);
    expect(book(storage, 'two').form(null).body.value).toBe('');
  });

  it('gives the same key to a retry of the same content', () => {
    const drafts = book();
    const first = drafts.attemptFor(null, 'content');
    expect(drafts.attemptFor(null, 'content')).toEqual(first);
    expect(first.key).toMatch(/^[0-9a-f]{32}$/);
  });

  it('gives a new key once the content changed', () => {
    const drafts = book();
    const first = drafts.attemptFor(null, 'content');
    const second = drafts.attemptFor(null, 'changed content');
    expect(second.key).not.toBe(first.key);
    expect(drafts.attemptFor(null, 'content').key).not.toBe(first.key);
  });

  it('keeps keys of different parents apart', () => {
    const drafts = book();
    expect(drafts.attemptFor('c1', 'same').key).not.toBe(drafts.attemptFor('c2', 'same').key);
  });

  it('reuses the key of an unfinished submit after a reload', () => {
    const storage = createStorage();
    const first = book(storage);
    first.form('c1').body.value = 'my reply';
    const { key } = first.attemptFor('c1', 'payload');

    const reloaded = book(storage);
    expect(reloaded.attemptFor('c1', 'payload').key).toBe(key);
  });

  it('reuses the key after a reload once the form is shown again', () => {
    const storage = createStorage();
    const { key } = book(storage).attemptFor(null, 'payload');
    const reloaded = book(storage);
    reloaded.form(null);
    expect(reloaded.attemptFor(null, 'payload').key).toBe(key);
    expect(reloaded.attemptFor(null, 'other payload').key).not.toBe(key);
  });

  it('keeps the key when the draft is saved again while posting', () => {
    const storage = createStorage();
    const first = book(storage);
    first.form(null).body.value = 'text';
    const { key } = first.attemptFor(null, 'payload');
    first.saveDraft(null);
    expect(book(storage).attemptFor(null, 'payload').key).toBe(key);
  });

  it('clears the draft and the key after a successful post', () => {
    const storage = createStorage();
    const drafts = book(storage);
    const form = drafts.form('c1');
    form.body.value = 'posted';
    form.status.value = 'error';
    drafts.saveDraft('c1');
    const { key } = drafts.attemptFor('c1', 'payload');
    drafts.clear('c1');

    expect(form.body.value).toBe('');
    expect(form.status.value).toBe('idle');
    expect(drafts.openDrafts()).toEqual([]);
    expect(drafts.attemptFor('c1', 'payload').key).not.toBe(key);

    drafts.clear('c1');
    const reloaded = book(storage);
    expect(reloaded.form('c1').body.value).toBe('');
    expect(reloaded.openDrafts()).toEqual([]);
  });

  it('lists the parents with a saved reply draft', () => {
    const storage = createStorage();
    const drafts = book(storage);
    for (const id of ['c1', 'c2', 'c3']) {
      drafts.form(id).body.value = `reply to ${id}`;
      drafts.saveDraft(id);
    }
    drafts.form(null).body.value = 'top level';
    drafts.saveDraft(null);
    drafts.form('c2').body.value = '';
    drafts.saveDraft('c2');

    expect(drafts.openDrafts().sort()).toEqual(['c1', 'c3']);
    expect(book(storage).openDrafts().sort()).toEqual(['c1', 'c3']);
  });

  it('lists each parent once however often its draft is saved', () => {
    const drafts = book();
    drafts.form('c1').body.value = 'a';
    drafts.saveDraft('c1');
    drafts.form('c1').body.value = 'ab';
    drafts.saveDraft('c1');
    expect(drafts.openDrafts()).toEqual(['c1']);
  });

  it('ignores a stored list of drafts of the wrong shape', () => {
    const storage = createStorage();
    storage.set('drafts:thread-1', ['c1', 5, null, { id: 'x' }]);
    expect(book(storage).openDrafts()).toEqual(['c1']);
    storage.set('drafts:thread-1', 'c1');
    expect(book(storage).openDrafts()).toEqual([]);
  });

  it('works on a storage that throws on every call', () => {
    const drafts = book(createStorage('confab:', throwingStorage()));
    drafts.form('c1').body.value = 'kept in memory';
    drafts.saveDraft('c1');
    expect(drafts.openDrafts()).toEqual(['c1']);
    expect(drafts.attemptFor('c1', 'x').key).toBe(drafts.attemptFor('c1', 'x').key);
  });
});

describe('validateReply', () => {
  const form = (body: string, name = '', email = '') => {
    const state = createReplyForms(createStorage('confab:', null), 'v').form(null);
    state.body.value = body;
    state.name.value = name;
    state.email.value = email;
    return state;
  };

  it('accepts a plain comment', () => {
    expect(validateReply(form('Hello', 'Ann', 'ann@example.com'))).toEqual({});
  });

  it('accepts a guest without name or email', () => {
    expect(validateReply(form('Hello'))).toEqual({});
  });

  it('asks for a body when it is empty or blank', () => {
    expect(validateReply(form(''))).toEqual({ body: 'form.error.bodyEmpty' });
    expect(validateReply(form(' \n\t '))).toEqual({ body: 'form.error.bodyEmpty' });
  });

  it('refuses a body over the limit', () => {
    expect(MAX_BODY).toBe(10_000);
    expect(validateReply(form('x'.repeat(10_001)))).toEqual({ body: 'form.error.bodyLong' });
    expect(validateReply(form('x'.repeat(10_000)))).toEqual({});
  });

  it('measures the body without surrounding whitespace', () => {
    expect(validateReply(form(`  ${'x'.repeat(10_000)}  \n`))).toEqual({});
  });

  it('refuses a name over the limit', () => {
    expect(MAX_NAME).toBe(80);
    expect(validateReply(form('Hi', 'n'.repeat(81)))).toEqual({ name: 'form.error.nameLong' });
    expect(validateReply(form('Hi', 'n'.repeat(80)))).toEqual({});
  });

  it.each(['ann', 'ann@', '@example.com', 'ann@example', 'ann smith@example.com', 'a@b@c'])('refuses the email %s', (email) => {
    expect(validateReply(form('Hi', '', email))).toEqual({ email: 'form.error.email' });
  });

  it.each(['ann@example.com', ' ann.lee+tag@mail.example.co.uk '])('accepts the email %s', (email) => {
    expect(validateReply(form('Hi', '', email))).toEqual({});
  });

  it('reports every problem at once', () => {
    expect(validateReply(form('', 'n'.repeat(81), 'nope'))).toEqual({
      body: 'form.error.bodyEmpty',
      name: 'form.error.nameLong',
      email: 'form.error.email',
    });
  });
});
