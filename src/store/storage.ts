// localStorage that never throws: private modes, sandboxed iframes and full quotas all fall
// back to memory, so a reader's draft is at worst kept for the page's lifetime.
export interface KeyValueStorage {
  get<T>(key: string): T | null;
  set(key: string, value: unknown): void;
  remove(key: string): void;
}

export function createStorage(prefix = 'confab:', backend?: Storage | null): KeyValueStorage {
  const memory = new Map<string, string>();
  let store: Storage | null = null;
  try {
    store = backend === undefined ? globalThis.localStorage ?? null : backend;
  } catch {
    store = null; // reading window.localStorage itself throws in some sandboxes
  }
  const read = (key: string) => {
    try {
      return store ? store.getItem(prefix + key) : (memory.get(key) ?? null);
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
      } catch {
        // Quota or privacy mode: the memory copy above still serves this page.
      }
    },
    remove(key) {
      memory.delete(key);
      try {
        store?.removeItem(prefix + key);
      } catch {
        // Nothing to clean up that matters.
      }
    },
  };
}
