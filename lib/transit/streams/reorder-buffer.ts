/** What became of one offered packet. */
export type Offered = "in-order" | "early" | "duplicate" | "too-far" | "pool-full" | "bad-seq";

/**
 * Puts one stream's packets back in `seq` order (0, 1, 2, …): a packet that
 * arrives early waits in a small pool until the ones before it came. Bounded
 * both ways: a `seq` more than `maxAhead` past the next expected one (a 2 GB
 * gap, a forged number) and anything beyond `maxPooled` waiting packets are
 * refused, never stored, so a peer cannot grow the pool. Duplicates and
 * packets already delivered are refused too.
 */
export class ReorderBuffer<T> {
  /** The next seq to deliver. */
  next = 0;
  private readonly pool = new Map<number, T>();

  constructor(
    private readonly maxAhead: number,
    private readonly maxPooled: number,
  ) {}

  get pooled(): number {
    return this.pool.size;
  }

  /**
   * Offers packet `seq`; `deliver` gets it, then every pooled packet it
   * unblocked, in order. `deliver` may throw: the buffer stays consistent.
   */
  offer(seq: number, item: T, deliver: (item: T, seq: number) => void): Offered {
    if (!Number.isSafeInteger(seq) || seq < 0) return "bad-seq";
    if (seq < this.next || this.pool.has(seq)) return "duplicate";
    if (seq - this.next > this.maxAhead) return "too-far";
    if (seq > this.next) {
      if (this.pool.size >= this.maxPooled) return "pool-full";
      this.pool.set(seq, item);
      return "early";
    }
    this.next = seq + 1;
    deliver(item, seq);
    while (this.pool.size > 0) {
      const waiting = this.pool.get(this.next);
      if (waiting === undefined) break;
      this.pool.delete(this.next);
      const s = this.next++;
      deliver(waiting, s);
    }
    return "in-order";
  }

  clear(): void {
    this.pool.clear();
  }
}
