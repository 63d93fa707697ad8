/** Sampling as Moleculer's tracer does it, decided once per root and carried in the `tracing` flag. */
export interface SamplingOptions {
  /** 0 = never, 1 = always (default), 0 < x < 1 = every (1/x)-th root. */
  rate?: number;
  /** When set (> 0), a token bucket allows this many traces per second instead of `rate`. */
  tracesPerSecond?: number;
}

export class TraceSampler {
  private readonly rate: number;
  private readonly perSecond: number;
  private counter = 0;
  private balance: number;
  private last: number;

  constructor(options: SamplingOptions = {}, private readonly now: () => number = Date.now) {
    this.rate = options.rate ?? 1;
    this.perSecond = options.tracesPerSecond !== undefined && options.tracesPerSecond > 0 ? options.tracesPerSecond : 0;
    this.balance = Math.max(1, this.perSecond);
    this.last = now();
  }

  /** Whether a new root trace is recorded. Counting, not random: rate 0.1 records exactly 1 in 10. */
  sample(): boolean {
    if (this.perSecond > 0) return this.take();
    if (this.rate <= 0) return false;
    if (this.rate >= 1) return true;
    if (++this.counter * this.rate >= 1) {
      this.counter = 0;
      return true;
    }
    return false;
  }

  private take(): boolean {
    const now = this.now();
    this.balance = Math.min(Math.max(1, this.perSecond), this.balance + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    if (this.balance < 1) return false;
    this.balance -= 1;
    return true;
  }
}
