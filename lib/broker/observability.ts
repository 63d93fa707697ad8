import type { Cacher } from "../cachers";
import type { HealthReport } from "../metrics/health";
import { Metrics, metricsEnabled } from "../metrics/metrics";
import type { Registry } from "../registry/registry";
import { registryProbe } from "./health";
import type { ResolvedOptions } from "./options";

/** What metrics read off the broker, lazily (transit is built after them). */
export interface MetricsBroker {
  readonly options: ResolvedOptions;
  readonly registry: Registry;
  readonly transit: { readonly orphanResponses: number } | null;
  health(): HealthReport;
}

/** The broker's metrics when the `metrics` option turns them on; the configured cacher is then counted too. */
export function createMetrics(broker: MetricsBroker, cacher: { cacher: Cacher } | null): Metrics | null {
  const options = metricsEnabled(broker.options.metrics);
  if (!options) return null;
  const metrics = new Metrics(options, {
    registry: registryProbe(broker.registry),
    transit: { orphanResponses: () => broker.transit?.orphanResponses ?? 0 },
    health: () => broker.health(),
  });
  if (cacher) cacher.cacher = metrics.observeCacher(cacher.cacher);
  return metrics;
}
