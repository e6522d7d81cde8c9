// Storage that never throws: private modes, sandboxes and full quotas fall back to memory.
import { describe, expect, it } from 'vitest';
import { createStorage } from '../../src/store/storage';
import { readOnlyStorage, throwingStorage } from './storage-fakes';

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
