import type { Cacher } from "../cachers/cacher";
import type { FaultObserver } from "../middleware/fault-observer";
import type { Middleware } from "../middleware/middleware";
import type { MiddlewareBroker } from "../middleware/middleware-broker";
import { DEFAULT_BUCKETS } from "./definitions";
import { faultMetrics, observedCacher } from "./fault-metrics";
import type { HealthReport } from "./health";
import { metricsMiddleware, type RegistryProbe, type TransitProbe } from "./metrics-middleware";
import { MetricsRegistry } from "./metrics-registry";
import { MetricReporters, type MetricReporter, type MetricReporterSpec } from "./reporters";

/** The `metrics` broker option. */
export interface MetricsOptions {
  /** true when the object is given (`metrics: { reporter: "Prometheus" }`); false turns it off. */
  enabled?: boolean;
  /** `"Prometheus"`, `"Console"`, `"Event"`, `{ type, options }`, a class, an instance, or a list of them. */
  reporter?: MetricReporterSpec | MetricReporterSpec[];
  /** Prefix of the metric names, replacing Moleculer's `moleculer.`: `moleculer_` (default) keeps Moleculer's names. */
  prefix?: string;
  /** Labels on every metric (`{ nodeID: "n1" }`). */
  defaultLabels?: Record<string, string>;
  /** prom-client's process and Node.js metrics (true). */
  defaultMetrics?: boolean;
  /** Time histogram buckets in milliseconds (Moleculer's: 1 … 10000). */
  buckets?: number[];
  /**
   * Under a burst of calls (many in one event-loop turn), time one call in
   * this many per endpoint and caller; the others count with the last timed
   * duration (default 16; 1 = read the clock for every call). The first
   * call of each turn is always timed, so light traffic is timed call by
   * call. Counts (total, active, errors) are always exact.
   */
  timeEvery?: number;
}

/** What the broker gives metrics besides the options. */
export interface MetricsPorts {
  registry: RegistryProbe;
  /** Transit's own counts, when a transporter is configured. */
  transit?: TransitProbe;
  health(): HealthReport;
}

/** `true`, `{ enabled: true, … }` or `{ reporter: … }` → the options; false/undefined/`{ enabled: false }` → null. */
export function metricsEnabled(option: boolean | MetricsOptions | undefined): MetricsOptions | null {
  if (option === true) return {};
  if (typeof option !== "object" || option === null || option.enabled === false) return null;
  return option;
}

/**
 * A broker's metrics: the prom-client registry (`registry.registry` to add
 * your own metrics), the middleware the broker adds outside the built-ins,
 * the fault-tolerance observer, and the reporters, started with the broker.
 */
export class Metrics {
  readonly registry: MetricsRegistry;
  readonly middleware: Middleware;
  readonly observer: FaultObserver;
  readonly reporters: MetricReporter[];

  constructor(options: MetricsOptions, private readonly ports: MetricsPorts) {
    this.registry = new MetricsRegistry({
      prefix: options.prefix ?? "moleculer_",
      defaultLabels: options.defaultLabels,
      defaultMetrics: options.defaultMetrics ?? true,
      buckets: options.buckets ?? DEFAULT_BUCKETS,
    });
    // Reporters resolve first: an unknown name fails the broker's constructor, not its start.
    const specs = options.reporter === undefined ? [] : Array.isArray(options.reporter) ? options.reporter : [options.reporter];
    this.reporters = specs.map((spec) => MetricReporters.resolve(spec));
    this.observer = faultMetrics(this.registry);
    const inner = metricsMiddleware(this.registry, ports.registry, ports.transit, options.timeEvery);
    let broker: MiddlewareBroker | null = null;
    this.middleware = {
      ...inner,
      created: (b) => void (broker = b),
      // Before services start, so readiness answers (503) while the broker comes up.
      starting: async () => {
        if (broker) await this.start(broker);
      },
      stopped: () => this.stop(),
    };
  }

  /** The cacher, with its reads, hits and writes counted. */
  observeCacher(cacher: Cacher): Cacher {
    return observedCacher(cacher, this.registry);
  }

  /** The Prometheus text of everything registered. */
  text(): Promise<string> {
    return this.registry.text();
  }

  private async start(broker: MiddlewareBroker): Promise<void> {
    const host = { metrics: this.registry, broker, health: () => this.ports.health() };
    for (const reporter of this.reporters) await reporter.start(host);
  }

  /** Stops the reporters (the broker's `stopped` hook, or a start that failed). */
  async stop(): Promise<void> {
    for (const reporter of this.reporters) await reporter.stop();
  }
}
