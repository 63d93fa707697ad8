/**
 * In-process per-key mutex: a promise chain per key, dropped when the key is
 * idle so the map only holds keys that are locked or awaited right now.
 */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<void>>();

  /** Keys currently held or awaited (for tests and diagnostics). */
  get size(): number {
    return this.tails.size;
  }

  isLocked(key: string): boolean {
    return this.tails.has(key);
  }

  /**
   * Runs `fn` once every earlier holder of `key` has finished. With `ttl` (ms)
   * the next waiter is let in after `ttl` even if `fn` still runs, so a hung
   * computation cannot block a key forever (`onExpire` is told).
   */
  async run<T>(key: string, fn: () => Promise<T>, ttl?: number, onExpire?: () => void): Promise<T> {
    const prev = this.tails.get(key);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    // `prev` only ever resolves (it is built from `held` promises), so the chain never rejects.
    const tail = prev ? prev.then(() => held) : held;
    this.tails.set(key, tail);
    if (prev) await prev;

    let timer: NodeJS.Timeout | undefined;
    if (ttl !== undefined && ttl > 0) {
      timer = setTimeout(() => {
        onExpire?.();
        release();
      }, ttl);
      timer.unref();
    }
    try {
      return await fn();
    } finally {
      if (timer) clearTimeout(timer);
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
