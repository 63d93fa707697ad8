/** Label values by label name, as prom-client takes them. */
export type Labels = Record<string, string | number>;

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
