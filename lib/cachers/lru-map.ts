/**
 * A bounded map with least-recently-used eviction, O(1) per operation. It
 * leans on `Map` keeping insertion order: a read re-inserts the key at the
 * end, so the first key is always the least recently used one.
 */
export class LruMap<V> {
  private readonly map = new Map<string, V>();

  constructor(
    readonly max: number,
    private readonly onEvict?: (key: string, value: V) => void,
  ) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`LRU 'max' must be a positive integer, got ${max}.`);
  }

  get size(): number {
    return this.map.size;
  }

  /** Reads `key` and marks it as the most recently used. */
  get(key: string): V | undefined {
    if (!this.map.has(key)) return undefined;
    const value = this.map.get(key) as V;
    this.map.delete(key);
    this.map.set(key, value);
    return value;
  }

  /** Reads without touching recency. */
  peek(key: string): V | undefined {
    return this.map.get(key);
  }

  has(key: string): boolean {
    return this.map.has(key);
  }

  set(key: string, value: V): this {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.max) {
      const oldest = this.map.keys().next();
      if (!oldest.done) {
        const evicted = this.map.get(oldest.value) as V;
        this.map.delete(oldest.value);
        this.onEvict?.(oldest.value, evicted);
      }
    }
    return this;
  }

  delete(key: string): boolean {
    return this.map.delete(key);
  }

  clear(): void {
    this.map.clear();
  }

  /** Oldest first; does not touch recency. */
  keys(): IterableIterator<string> {
    return this.map.keys();
  }

  entries(): IterableIterator<[string, V]> {
    return this.map.entries();
  }
}
