/** Label values by label name, as prom-client takes them. */
export type Labels = Record<string, string | number>;

/**
 * Which calls read the clock. Two clock reads cost more than the rest of a
 * metered local call (~40 ns each on a VM), so under a burst of calls — many
 * in one event-loop turn, as a loaded server or a tight loop makes them — a
 * cell times one call in `every` and the calls in between take the duration
 * of the cell's last timed call ("sample and hold"): counts stay exact, only
 * the time histogram is sampled. The first call of a cell in each turn is
 * always timed, so light traffic is timed call by call; `every: 1` times
 * every call.
 */
export class TimingPolicy {
  private readonly held: RequestCell[] = [];
  private resetScheduled = false;

  constructor(readonly every: number) {}

  /** Whether this call of `cell` reads the clock. */
  timeNext(cell: RequestCell): boolean {
    if (!cell.holding) {
      cell.holding = true;
      cell.untimed = 0;
      this.held.push(cell);
      if (!this.resetScheduled) {
        this.resetScheduled = true;
        setImmediate(this.reset);
      }
      return true;
    }
    if (++cell.untimed < this.every) return false;
    cell.untimed = 0;
    return true;
  }

  /** A new turn: every cell times its next call again. */
  private readonly reset = (): void => {
    this.resetScheduled = false;
    for (const cell of this.held) cell.holding = false;
    this.held.length = 0;
  };
}

/**
 * The counters of one label set (one endpoint and caller), bumped on the hot
 * path as plain numbers: no label object, no hash, no lookup per call.
 * prom-client reads them when it is scraped (`RequestFamily.flush`).
 */
export class RequestCell {
  total = 0;
  active = 0;
  count = 0;
  sum = 0;
  /** Per bucket, not cumulative; the last one is +Inf. */
  readonly buckets: number[];
  /** `total` as last handed to prom-client (counters take increments). */
  flushed = 0;
  /** Set by `TimingPolicy`: a call was timed in this turn, and calls since then (`untimed`) hold its duration. */
  holding = false;
  untimed = 0;
  private lastMs = 0;
  private lastBucket = 0;

  constructor(
    readonly labels: Labels,
    private readonly bounds: readonly number[],
  ) {
    this.buckets = new Array<number>(bounds.length + 1).fill(0);
  }

  /** One finished call that took `ms`. */
  observe(ms: number): void {
    this.active--;
    this.count++;
    this.sum += ms;
    const { bounds } = this;
    let i = 0;
    while (i < bounds.length && ms > bounds[i]) i++;
    this.buckets[i]++;
    this.lastMs = ms;
    this.lastBucket = i;
  }

  /** One finished call that was not timed: it takes the last timed call's duration. */
  hold(): void {
    this.active--;
    this.count++;
    this.sum += this.lastMs;
    this.buckets[this.lastBucket]++;
  }
}

/**
 * The cells of one endpoint, one per caller. The last caller's cell is kept
 * at hand, so a run of calls from one caller (the usual case) finds its cell
 * without a Map lookup.
 */
export class CallerCells {
  private lastCaller: string | null = null;
  private last: RequestCell;
  private readonly byCaller = new Map<string | null, RequestCell>();

  constructor(private readonly make: (caller: string | null) => RequestCell) {
    this.last = this.create(null);
  }

  of(caller: string | null): RequestCell {
    if (caller === this.lastCaller) return this.last;
    const cell = this.byCaller.get(caller) ?? this.create(caller);
    this.lastCaller = caller;
    this.last = cell;
    return cell;
  }

  private create(caller: string | null): RequestCell {
    const cell = this.make(caller);
    this.byCaller.set(caller, cell);
    return cell;
  }
}
