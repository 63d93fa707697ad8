import type { MiddlewareBroker } from "../../middleware/middleware-broker";
import type { HealthReport } from "../health";
import type { MetricsRegistry } from "../metrics-registry";

/** What a reporter is given when metrics start. */
export interface ReporterHost {
  readonly metrics: MetricsRegistry;
  /** Its logger and event verbs (the Event reporter emits through them). */
  readonly broker: MiddlewareBroker;
  /** The broker's health, for reporters that serve it over HTTP. */
  health(): HealthReport;
}

/** A metrics reporter: started with the broker (before services, so health answers during start), stopped after it. */
export interface MetricReporter {
  start(host: ReporterHost): void | Promise<void>;
  stop(): void | Promise<void>;
}

/** Duck-typed, so reporters from other packages (or test doubles) are accepted. */
export function isMetricReporter(value: unknown): value is MetricReporter {
  if (typeof value !== "object" || value === null) return false;
  const r = value as Partial<Record<keyof MetricReporter, unknown>>;
  return typeof r.start === "function" && typeof r.stop === "function";
}
