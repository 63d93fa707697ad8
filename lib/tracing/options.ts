import type { Context } from "../context/context";
import type { PluginSpec } from "../utils/plugin-registry";
import type { TraceExporter, TraceExporterHost } from "./exporters/exporter";
import type { SamplingOptions } from "./sampler";

/** A span attribute value, as OpenTelemetry takes it. */
export type TagValue = string | number | boolean;

/**
 * Which extra tags a span gets: `params`/`meta` (and `response` for actions)
 * whole (`true`) or by key, or a function returning tags (called with the
 * response too once the handler resolved). Off by default: params and meta
 * may hold personal data, and copying them costs on every traced call.
 */
export type TagSpec =
  | { params?: boolean | string[]; meta?: boolean | string[]; response?: boolean | string[] }
  | ((ctx: Context, response?: unknown) => Record<string, unknown> | undefined);

/** An exporter: `"Console"`, `"Event"`, `"OTLP"`, `"Zipkin"` (any name in `TraceExporters`), `{ type, options }`, a class or an instance. */
export type TraceExporterSpec = PluginSpec<TraceExporter, Record<string, unknown>, [TraceExporterHost]>;

export interface TracingOptions {
  /** Default true when the object is given. */
  enabled?: boolean;
  /** One exporter or a list; none = spans are made (and sampled, and propagated) but go nowhere. */
  exporter?: TraceExporterSpec | TraceExporterSpec[];
  sampling?: SamplingOptions;
  /** Spans for action handlers and remote calls (default true). */
  actions?: boolean;
  /** Spans for event handlers (default true). */
  events?: boolean;
  /** A span per cache read of a `@Cached` action, under the action's span, tagged `cache.key` and `cache.hit` (default false). */
  cache?: boolean;
  tags?: { action?: TagSpec; event?: TagSpec };
  /** The OTel resource's `service.name` (default `"nucleon"`); each span also carries its service's full name. */
  serviceName?: string;
}

/** `tracing: true` or an options object; `false`/unset = off. */
export type TracingOption = boolean | TracingOptions;

/** The options in force, or null when tracing is off. */
export function resolveTracingOptions(option: TracingOption | undefined): TracingOptions | null {
  if (option === undefined || option === false) return null;
  if (option === true) return { enabled: true };
  return option.enabled === false ? null : option;
}
