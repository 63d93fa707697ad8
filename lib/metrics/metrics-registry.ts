import type * as PromClient from "prom-client";
import { loadDriver } from "../utils/load-driver";
import { CallerCells, type Labels, RequestCell } from "./cells";
import { type MetricDefinition, promName } from "./definitions";

type Client = typeof PromClient;
type Counter = PromClient.Counter;
type Gauge = PromClient.Gauge;

/** How the registry names and labels what it holds. */
export interface RegistryOptions {
  /** Replaces Moleculer's leading `moleculer.` (`moleculer_` keeps Moleculer's names). */
  prefix: string;
  /** Labels added to every metric (`{ nodeID: "n1" }`). */
  defaultLabels?: Record<string, string>;
  /** prom-client's process and Node.js metrics (`process_cpu_seconds_total`, `nodejs_heap_size_used_bytes`, …). */
  defaultMetrics: boolean;
  /** Histogram buckets in milliseconds (Moleculer's by default). */
  buckets: readonly number[];
}

/** The calls (or event executions) of one metric family: total, active and time, one cell per endpoint and caller. */
export class RequestFamily {
  private readonly cells: RequestCell[] = [];

  constructor(private readonly buckets: readonly number[]) {}

  /** A cell factory for one endpoint: `base` labels plus `caller`. */
  callerCells(base: Labels): CallerCells {
    return new CallerCells((caller) => {
      const cell = new RequestCell({ ...base, caller: caller ?? "null" }, this.buckets);
      this.cells.push(cell);
      return cell;
    });
  }

  /** Hands the totals to prom-client (counters take increments). */
  flushTotals(counter: Counter): void {
    for (const cell of this.cells) {
      if (cell.total !== cell.flushed) counter.inc(cell.labels, cell.total - cell.flushed);
      cell.flushed = cell.total;
    }
  }

  flushActive(gauge: Gauge): void {
    for (const cell of this.cells) gauge.set(cell.labels, cell.active);
  }

  /** prom-client's histogram values (cumulative buckets, `_sum`, `_count`) from the cells. */
  histogramValues(name: string): Array<{ labels: Labels; value: number; metricName: string }> {
    const values: Array<{ labels: Labels; value: number; metricName: string }> = [];
    for (const cell of this.cells) {
      if (cell.count === 0) continue;
      let acc = 0;
      for (let i = 0; i < this.buckets.length; i++) {
        acc += cell.buckets[i];
        values.push({ labels: { ...cell.labels, le: this.buckets[i] }, value: acc, metricName: `${name}_bucket` });
      }
      values.push({ labels: { ...cell.labels, le: "+Inf" }, value: cell.count, metricName: `${name}_bucket` });
      values.push({ labels: cell.labels, value: cell.sum, metricName: `${name}_sum` });
      values.push({ labels: cell.labels, value: cell.count, metricName: `${name}_count` });
    }
    return values;
  }
}

/**
 * A prom-client `Registry` of its own (two brokers in one process do not
 * share metrics), holding Moleculer's metrics under Prometheus names.
 * prom-client loads here, when metrics are enabled, not at import.
 */
export class MetricsRegistry {
  readonly client: Client;
  readonly registry: PromClient.Registry;
  readonly prefix: string;
  readonly buckets: readonly number[];
  /** Prometheus name → definition, to give snapshots Moleculer's names back. */
  readonly definitions = new Map<string, MetricDefinition>();

  constructor(options: RegistryOptions) {
    this.client = loadDriver<Client>("prom-client", "Metrics (the `metrics` broker option)");
    this.registry = new this.client.Registry();
    this.prefix = options.prefix;
    this.buckets = options.buckets;
    if (options.defaultLabels) this.registry.setDefaultLabels(options.defaultLabels);
    if (options.defaultMetrics) this.client.collectDefaultMetrics({ register: this.registry });
  }

  /** `collect` runs when the registry is read: where values kept outside prom-client are handed over. */
  counter(def: MetricDefinition, collect?: (metric: Counter) => void): Counter {
    return new this.client.Counter({ ...this.config(def), collect: collect && (function (this: Counter) { collect(this); }) });
  }

  gauge(def: MetricDefinition, collect?: (metric: Gauge) => void): Gauge {
    return new this.client.Gauge({ ...this.config(def), collect: collect && (function (this: Gauge) { collect(this); }) });
  }

  /** total + active + time metrics whose values are the family's cells. */
  requestFamily(total: MetricDefinition, active: MetricDefinition, time: MetricDefinition): RequestFamily {
    const family = new RequestFamily(this.buckets);
    this.counter(total, (c) => family.flushTotals(c));
    this.gauge(active, (g) => family.flushActive(g));
    const name = this.name(time);
    // A prom-client Histogram, read from the cells: the hot path bumps plain numbers
    // instead of hashing a label set per observation as `observe()` does.
    const histogram = new this.client.Histogram({ ...this.config(time), buckets: [...this.buckets] });
    const read = async () => ({ name, help: time.help, type: "histogram" as const, values: family.histogramValues(name), aggregator: "sum" as const });
    Object.assign(histogram, { get: read, getForPromString: read });
    return family;
  }

  /** The Prometheus text exposition. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  name(def: MetricDefinition): string {
    return promName(def.name, this.prefix);
  }

  private config(def: MetricDefinition): { name: string; help: string; labelNames: string[]; registers: PromClient.Registry[] } {
    const name = this.name(def);
    this.definitions.set(name, def);
    return { name, help: def.help, labelNames: [...def.labels], registers: [this.registry] };
  }
}
