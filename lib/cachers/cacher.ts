/** A cache store. Keys are strings; values are whatever an action returned. */
export interface Cacher {
  /** `undefined` on a miss (and when the store is unreachable: a miss, never a failure). */
  get(key: string): Promise<unknown>;
  /** `ttl` in seconds; the cacher's default when absent; 0 = no expiry. */
  set(key: string, value: unknown, ttl?: number): Promise<void>;
  del(keys: string | string[]): Promise<void>;
  /** Removes keys matching a glob (`users.*`, `**`); all keys when absent. */
  clean(pattern?: string | string[]): Promise<void>;
  /**
   * Runs `fn` holding a lock on `key` so concurrent misses of one key compute
   * once; `ttl` (ms) bounds how long a lock may be held.
   */
  lock<T>(key: string, fn: () => Promise<T>, ttl?: number): Promise<T>;
  close(): Promise<void>;
  /** The keys held (expired ones excluded), for tools such as the REPL's `cache keys`; optional for third-party cachers. */
  keys?(): Promise<string[]>;
  /** Optional synchronous read for in-process stores (a hit then costs no extra tick). */
  getSync?(key: string): unknown;
  /** Entries found expired and removed since start, for stores that expire entries themselves (the memory cacher; Redis expires its own). */
  readonly expired?: number;
}
