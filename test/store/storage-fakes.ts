// Storage backends that fail the way browsers do, for the store's tests.
/** A Storage whose every method throws, like a sandboxed iframe or a disabled store. */
export function throwingStorage(): Storage {
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
export function readOnlyStorage(initial: Record<string, string> = {}): Storage & { data: Map<string, string> } {
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
