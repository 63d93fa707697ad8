import type { Logger } from "pino";
import { matchGlob } from "../utils/wildcard";
import type { Cacher } from "./cacher";
import { KeyedMutex } from "./keyed-mutex";
import { silentLogger } from "./silent-logger";

export type CloneOption = boolean | ((value: unknown) => unknown);

export interface MemoryCacherOptions {
  /** Default ttl in seconds; 0 (default) = entries never expire. */
  ttl?: number;
  /**
   * `false` (default) hands out the stored reference; `true` a
   * `structuredClone`; a function is used as the cloner.
   */
  clone?: CloneOption;
  logger?: Logger;
}

/** A stored value and its expiry (epoch ms; 0 = never). */
export interface MemoryEntry {
  value: unknown;
  expire: number;
}

/** The storage a memory cacher sits on: a plain `Map` or an `LruMap`. */
export interface EntryStore {
  readonly size: number;
  get(key: string): MemoryEntry | undefined;
  set(key: string, entry: MemoryEntry): unknown;
  delete(key: string): boolean;
  clear(): void;
  keys(): IterableIterator<string>;
  entries(): IterableIterator<[string, MemoryEntry]>;
}

/** How often expired entries nobody reads again are swept out. */
export const SWEEP_INTERVAL_MS = 30_000;

function toCloner(option: CloneOption | undefined): ((value: unknown) => unknown) | undefined {
  if (typeof option === "function") return option;
  return option === true ? (value) => structuredClone(value) : undefined;
}

function toPatterns(pattern: string | string[] | undefined): string[] {
  if (pattern === undefined) return ["**"];
  return Array.isArray(pattern) ? pattern : [pattern];
}

/** In-process cache: entries with expiry timestamps, lazily expired on read and swept periodically. */
export class MemoryCacher implements Cacher {
  protected readonly logger: Logger;
  protected readonly store: EntryStore;
  private readonly defaultTtl: number;
  private readonly cloner: ((value: unknown) => unknown) | undefined;
  private readonly locks = new KeyedMutex();
  private sweepTimer: NodeJS.Timeout | undefined;
  /** Entries removed because they expired (on read or by the sweep): the `cacher.expired.total` metric. */
  expired = 0;

  /** `store` is for subclasses (the LRU cacher passes a bounded one). */
  constructor(options: MemoryCacherOptions = {}, store: EntryStore = new Map<string, MemoryEntry>()) {
    this.logger = options.logger ?? silentLogger();
    this.defaultTtl = options.ttl ?? 0;
    this.cloner = toCloner(options.clone);
    this.store = store;
    this.sweepTimer = setInterval(() => this.sweep(), SWEEP_INTERVAL_MS);
    // A cache must never keep the process alive on its own.
    this.sweepTimer.unref();
  }

  /** Entries held, expired ones not yet swept included. */
  get size(): number {
    return this.store.size;
  }

  async get(key: string): Promise<unknown> {
    return this.getSync(key);
  }

  /** The value without a promise: lets the cacher middleware answer a hit with no extra tick. */
  getSync(key: string): unknown {
    const entry = this.store.get(key);
    if (entry === undefined) return undefined;
    if (entry.expire !== 0 && entry.expire <= Date.now()) {
      this.store.delete(key);
      this.expired++;
      return undefined;
    }
    return this.cloner ? this.cloner(entry.value) : entry.value;
  }

  async set(key: string, value: unknown, ttl?: number): Promise<void> {
    const seconds = ttl ?? this.defaultTtl;
    // Cloning on the way in too: the caller still holds (and may mutate) the original.
    this.store.set(key, {
      value: this.cloner ? this.cloner(value) : value,
      expire: seconds > 0 ? Date.now() + seconds * 1000 : 0,
    });
  }

  async del(keys: string | string[]): Promise<void> {
    for (const key of Array.isArray(keys) ? keys : [keys]) this.store.delete(key);
  }

  async clean(pattern?: string | string[]): Promise<void> {
    const patterns = toPatterns(pattern);
    if (pattern === undefined) {
      this.store.clear();
      return;
    }
    // Deleting the current key while iterating a Map is safe.
    for (const key of this.store.keys()) {
      if (patterns.some((p) => matchGlob(key, p))) this.store.delete(key);
    }
  }

  async keys(): Promise<string[]> {
    const now = Date.now();
    return [...this.store.entries()].filter(([, e]) => e.expire === 0 || e.expire > now).map(([key]) => key);
  }

  lock<T>(key: string, fn: () => Promise<T>, ttl?: number): Promise<T> {
    return this.locks.run(key, fn, ttl, () =>
      this.logger.warn({ key, ttl }, "Cache lock held longer than its ttl; letting the next caller in"),
    );
  }

  async close(): Promise<void> {
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.sweepTimer = undefined;
    this.store.clear();
  }

  /** Drops expired entries (runs on a timer; public so tests and owners can force it). */
  sweep(now = Date.now()): number {
    let removed = 0;
    for (const [key, entry] of this.store.entries()) {
      if (entry.expire !== 0 && entry.expire <= now) {
        this.store.delete(key);
        this.expired++;
        removed++;
      }
    }
    if (removed > 0) this.logger.debug({ removed }, "Swept expired cache entries");
    return removed;
  }
}
