/** The one logger method used here (pino's signature), so utils need no logger import. */
export interface WarnLogger {
  warn(obj: object, msg: string): void;
}

interface Window {
  until: number;
  suppressed: number;
}

/**
 * At most one log line per kind every `intervalMs`: a peer sending garbage at
 * full speed must not turn into a log flood. The first line of the next
 * window says how many were suppressed in between.
 */
export class RateLimitedLog {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly logger: WarnLogger,
    private readonly intervalMs = 10_000,
    /** Kinds remembered at most (a peer choosing kinds cannot grow the map without bound). */
    private readonly maxKinds = 100,
  ) {}

  /** Logs `msg` unless `kind` was logged less than `intervalMs` ago; returns whether it logged. */
  warn(kind: string, obj: Record<string, unknown>, msg: string): boolean {
    const now = Date.now();
    const w = this.windows.get(kind);
    if (w !== undefined && now < w.until) {
      w.suppressed++;
      return false;
    }
    const suppressed = w?.suppressed ?? 0;
    if (w === undefined) {
      if (this.windows.size >= this.maxKinds) this.windows.clear();
      this.windows.set(kind, { until: now + this.intervalMs, suppressed: 0 });
    } else {
      w.until = now + this.intervalMs;
      w.suppressed = 0;
    }
    this.logger.warn(suppressed > 0 ? { ...obj, suppressed } : obj, msg);
    return true;
  }
}
