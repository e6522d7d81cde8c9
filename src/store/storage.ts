// localStorage that never throws: private modes, sandboxed iframes and full quotas all fall
// back to memory, so a reader's draft is at worst kept for the page's lifetime.
export interface KeyValueStorage {
  get<T>(key: string): T | null;
  set(key: string, value: unknown): void;
  remove(key: string): void;
}

export function createStorage(prefix = 'confab:', backend?: Storage | null): KeyValueStorage {
  const memory = new Map<string, string>();
  // Keys whose last write or removal the backend refused: memory has the truth for them. Old
  // Safari private mode, for one, reads fine but throws on every write.
  const unsaved = new Set<string>();
  let store: Storage | null = null;
  try {
    store = backend === undefined ? (globalThis.localStorage ?? null) : backend;
  } catch {
    store = null; // reading window.localStorage itself throws in some sandboxes
  }
  const read = (key: string) => {
    try {
      return store && !unsaved.has(key) ? store.getItem(prefix + key) : (memory.get(key) ?? null);
    } catch {
      return memory.get(key) ?? null;
    }
  };
  return {
    get<T>(key: string): T | null {
      const raw = read(key);
      if (raw === null) return null;
      try {
        return JSON.parse(raw) as T;
      } catch {
        return null;
      }
    },
    set(key, value) {
      const raw = JSON.stringify(value);
      memory.set(key, raw);
      try {
        store?.setItem(prefix + key, raw);
        unsaved.delete(key);
      } catch {
        // Quota or privacy mode: the memory copy above still serves this page.
        unsaved.add(key);
      }
    },
    remove(key) {
      memory.delete(key);
      try {
        store?.removeItem(prefix + key);
        unsaved.delete(key);
      } catch {
        unsaved.add(key); // the backend may still hold the old value: do not read it back
      }
    },
  };
}
