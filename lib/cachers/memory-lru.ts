import { LruMap } from "./lru-map";
import { MemoryCacher, type MemoryCacherOptions, type MemoryEntry } from "./memory";

export interface MemoryLRUCacherOptions extends MemoryCacherOptions {
  /** Most entries kept; the least recently used one is evicted beyond it. Default 1000. */
  max?: number;
}

/** The memory cacher bounded to `max` entries with least-recently-used eviction. */
export class MemoryLRUCacher extends MemoryCacher {
  readonly max: number;

  constructor(options: MemoryLRUCacherOptions = {}) {
    const max = options.max ?? 1000;
    // `this` does not exist yet while the store is built, hence the late-bound hook.
    const hooks: { evict?: (key: string) => void } = {};
    super(options, new LruMap<MemoryEntry>(max, (key) => hooks.evict?.(key)));
    this.max = max;
    hooks.evict = (key) => this.logger.debug({ key }, "Evicted least recently used cache entry");
  }
}
