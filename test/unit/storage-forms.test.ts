// Drafts, idempotency keys and form checks; storage that never throws; strings, times, avatars.
import { describe, expect, it } from 'vitest';
import { AVATAR_COLOURS, colourIndex, initials } from '../../src/format/avatar';
import { exactTime, relativeTime } from '../../src/format/time';
import { createTranslator } from '../../src/i18n/translate';
import { createReplyForms, MAX_BODY, MAX_NAME, validateReply } from '../../src/store/forms';
import { createStorage, type KeyValueStorage } from '../../src/store/storage';

/** A Storage whose every method throws, like a sandboxed iframe or a disabled store. */
function throwingStorage(): Storage {
  const fail = () => {
    throw new DOMException('The operation is insecure.', 'SecurityError');
  };
  return {
    get length(): number {
      return fail();
    },
    clear: fail,
    getItem: fail,
    key: fail,
    removeItem: fail,
    setItem: fail,
  };
}

/** A Storage that reads fine but refuses every write, like Safari's old private mode or a full quota. */
function readOnlyStorage(initial: Record<string, string> = {}): Storage & { data: Map<string, string> } {
  const data = new Map(Object.entries(initial));
  return {
    data,
    get length() {
      return data.size;
    },
    clear: () => data.clear(),
    getItem: (key: string) => data.get(key) ?? null,
    key: (index: number) => [...data.keys()][index] ?? null,
    removeItem: () => {
      throw new DOMException('Quota exceeded', 'QuotaExceededError');
    },
    setItem: () => {
      throw new DOMException('Quota exceeded', 'QuotaExceededError');
    },
  };
}

describe('createStorage', () => {
  it('keeps values as JSON in localStorage under its prefix', () => {
    const storage = createStorage('test:');
    storage.set('draft', { body: 'hi', n: 1 });
    expect(localStorage.getItem('test:draft')).toBe('{"body":"hi","n":1}');
    expect(storage.get('draft')).toEqual({ body: 'hi', n: 1 });
    expect(createStorage('test:').get('draft')).toEqual({ body: 'hi', n: 1 });
  });

  it('removes values', () => {
    const storage = createStorage();
    storage.set('a', 1);
    storage.remove('a');
    expect(storage.get('a')).toBeNull();
    expect(localStorage.getItem('confab:a')).toBeNull();
  });

  it('reads a missing key as null', () => {
    expect(createStorage().get('missing')).toBeNull();
  });

  it('reads a value that is not JSON as null', () => {
    localStorage.setItem('confab:broken', '{not json');
    expect(createStorage().get('broken')).toBeNull();
  });

  it('falls back to memory when the backend throws on every call', () => {
    const storage = createStorage('confab:', throwingStorage());
    expect(storage.get('x')).toBeNull();
    expect(() => storage.set('x', { body: 'kept' })).not.toThrow();
    expect(storage.get('x')).toEqual({ body: 'kept' });
    expect(() => storage.remove('x')).not.toThrow();
    expect(storage.get('x')).toBeNull();
  });

  it('keeps values in memory when the backend reads but refuses writes', () => {
    const backend = readOnlyStorage();
    const storage = createStorage('confab:', backend);
    storage.set('draft', 'kept for this page');
    expect(storage.get('draft')).toBe('kept for this page');
    expect(backend.data.size).toBe(0);
  });

  it('does not read back an older value that a refused write could not replace', () => {
    const backend = readOnlyStorage({ 'confab:draft': '"old"' });
    const storage = createStorage('confab:', backend);
    expect(storage.get('draft')).toBe('old');
    storage.set('draft', 'new');
    expect(storage.get('draft')).toBe('new');
    storage.remove('draft');
    expect(storage.get('draft')).toBeNull();
  });

  it('uses memory only when given no backend', () => {
    const storage = createStorage('confab:', null);
    storage.set('a', [1, 2]);
    expect(storage.get('a')).toEqual([1, 2]);
    expect(localStorage.getItem('confab:a')).toBeNull();
  });

  it('falls back to memory when reading localStorage itself throws', () => {
    const original = Object.getOwnPropertyDescriptor(globalThis, 'localStorage');
    Object.defineProperty(globalThis, 'localStorage', {
      configurable: true,
      get() {
        throw new DOMException('Access denied', 'SecurityError');
      },
    });
    try {
      const storage = createStorage();
      storage.set('a', 'memory');
      expect(storage.get('a')).toBe('memory');
    } finally {
      if (original) Object.defineProperty(globalThis, 'localStorage', original);
      else Reflect.deleteProperty(globalThis, 'localStorage');
    }
  });
});

describe('createReplyForms', () => {
  const book = (storage: KeyValueStorage = createStorage(), scope = 'thread-1') => createReplyForms(storage, scope);

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

  it.each(['ann', 'ann@', '@example.com', 'ann@example', 'ann smith@example.com', 'a@b@c'])(
    'refuses the email %s',
    (email) => {
      expect(validateReply(form('Hi', '', email))).toEqual({ email: 'form.error.email' });
    },
  );

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

describe('createTranslator', () => {
  const t = createTranslator('en');

  it('picks the English plural form by count', () => {
    expect(t('thread.heading', { count: 1 })).toBe('1 comment');
    expect(t('thread.heading', { count: 2 })).toBe('2 comments');
    expect(t('thread.heading', { count: 0 })).toBe('0 comments');
  });

  it('formats numbers for the locale', () => {
    expect(t('thread.heading', { count: 1234 })).toBe('1,234 comments');
  });

  it('fills placeholders', () => {
    expect(t('comment.byline', { name: 'Ann' })).toBe('Comment by Ann');
    expect(t('error.http', { status: 502 })).toBe('The comment server had a problem (error 502).');
  });

  it('leaves a placeholder without a value as it is', () => {
    expect(t('comment.byline')).toBe('Comment by {name}');
  });

  it('does not read placeholders inside values', () => {
    expect(t('comment.byline', { name: '{name} <b>' })).toBe('Comment by {name} <b>');
  });

  it('uses the locale messages and falls back to English for a missing key', () => {
    const fr = createTranslator('fr', {
      'thread.label': 'Commentaires',
      'thread.heading': { one: '{count} commentaire', other: '{count} commentaires' },
    });
    expect(fr('thread.label')).toBe('Commentaires');
    expect(fr('thread.sort')).toBe('Sort comments');
    expect(fr('thread.heading', { count: 0 })).toBe('0 commentaire');
    expect(fr('thread.heading', { count: 2 })).toBe('2 commentaires');
  });

  it('uses plural rules of the locale, with "other" for forms the messages lack', () => {
    const pl = createTranslator('pl', {
      'thread.heading': { one: '{count} komentarz', few: '{count} komentarze', other: '{count} komentarzy' },
      'comment.score': { one: '{count} punkt', other: '{count} punktów' },
    });
    expect(pl('thread.heading', { count: 1 })).toBe('1 komentarz');
    expect(pl('thread.heading', { count: 3 })).toBe('3 komentarze');
    expect(pl('thread.heading', { count: 5 })).toBe('5 komentarzy');
    expect(pl('comment.score', { count: 3 })).toBe('3 punktów');
  });
});

describe('relativeTime', () => {
  const now = Date.UTC(2024, 5, 15, 12);
  const hour = 3600_000;
  const day = 24 * hour;

  it('says how many hours ago', () => {
    expect(relativeTime(now - 3 * hour, now, 'en')).toContain('3 hours');
    expect(relativeTime(now - 3 * hour, now, 'en')).toBe('3 hours ago');
  });

  it('says now for the last few seconds', () => {
    expect(relativeTime(now - 20_000, now, 'en')).toBe('now');
    expect(relativeTime(now, now, 'en')).toBe('now');
  });

  it('uses minutes, days, weeks, months and years', () => {
    expect(relativeTime(now - 5 * 60_000, now, 'en')).toBe('5 minutes ago');
    expect(relativeTime(now - day, now, 'en')).toBe('yesterday');
    expect(relativeTime(now - 3 * day, now, 'en')).toBe('3 days ago');
    expect(relativeTime(now - 14 * day, now, 'en')).toBe('2 weeks ago');
    expect(relativeTime(now - 90 * day, now, 'en')).toBe('3 months ago');
    expect(relativeTime(now - 800 * day, now, 'en')).toBe('2 years ago');
  });

  it('rounds down to the larger unit', () => {
    expect(relativeTime(now - (2 * hour - 1000), now, 'en')).toBe('1 hour ago');
  });

  it('speaks the locale', () => {
    expect(relativeTime(now - 3 * hour, now, 'de')).toBe('vor 3 Stunden');
  });
});

describe('exactTime', () => {
  it('gives a long date with the time', () => {
    const text = exactTime(Date.UTC(2017, 5, 10, 12), 'en');
    expect(text).toMatch(/June (9|10|11), 2017/);
    expect(text).toMatch(/\d{1,2}:\d{2}/);
  });
});

describe('initials', () => {
  it.each([
    ['Ann Lee', 'AL'],
    ['ann', 'A'],
    ['  ann   marie lee ', 'AM'],
    ['', '?'],
    ['   ', '?'],
    ['élodie durand', 'ÉD'],
    ['😀 Smile', '😀S'],
    ['\u202Eevil twin', 'ET'],
    ['\u200B\u200Dann \u2066lee', 'AL'],
    ['\u0000\u200B', '?'],
  ])('gives %j the initials %j', (name, expected) => {
    expect(initials(name)).toBe(expected);
  });
});

describe('colourIndex', () => {
  it('gives the same name the same colour', () => {
    expect(colourIndex('Ann Lee')).toBe(colourIndex('Ann Lee'));
  });

  it('stays within the palette', () => {
    const names = ['', 'a', 'Ann', 'Bob', 'Zoë', '😀', 'x'.repeat(1000), ...Array.from({ length: 200 }, (_, i) => `user${i}`)];
    for (const name of names) {
      const index = colourIndex(name);
      expect(Number.isInteger(index)).toBe(true);
      expect(index).toBeGreaterThanOrEqual(0);
      expect(index).toBeLessThan(AVATAR_COLOURS);
    }
    expect(AVATAR_COLOURS).toBe(8);
  });

  it('spreads names over the palette', () => {
    const used = new Set(Array.from({ length: 200 }, (_, i) => colourIndex(`user${i}`)));
    expect(used.size).toBe(AVATAR_COLOURS);
  });
});
