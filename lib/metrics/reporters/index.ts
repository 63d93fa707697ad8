import { PluginRegistry, type PluginSpec } from "../../utils/plugin-registry";
import { ConsoleReporter } from "./console";
import { EventReporter } from "./event";
import { PrometheusReporter } from "./prometheus";
import { isMetricReporter, type MetricReporter } from "./reporter";

export * from "./reporter";
export { ConsoleReporter, type ConsoleReporterOptions } from "./console";
export { EventReporter, type EventReporterOptions } from "./event";
export { PrometheusReporter, type PrometheusReporterOptions } from "./prometheus";

/**
 * Every metrics reporter by name (any case). Users add theirs the same way:
 * `MetricReporters.register("Datadog", DatadogReporter)`.
 */
export const MetricReporters = new PluginRegistry<MetricReporter>({ family: "metric reporter", isInstance: isMetricReporter })
  .register("Prometheus", PrometheusReporter)
  .register("Console", ConsoleReporter)
  .register("Event", EventReporter);

/** A reporter given by name, `{ type, options }`, class or instance. */
export type MetricReporterSpec = PluginSpec<MetricReporter>;
