export { Metrics, metricsEnabled, type MetricsOptions, type MetricsPorts } from "./metrics";
export { MetricsRegistry, RequestFamily, type RegistryOptions } from "./metrics-registry";
export type { RegistryProbe } from "./metrics-middleware";
export { METRICS, DEFAULT_BUCKETS, promName, type MetricDefinition } from "./definitions";
export { metricsSnapshot, type MetricSnapshot, type MetricValueSnapshot } from "./snapshot";
export type { HealthCheck, HealthReport } from "./health";
export * from "./reporters";
