import type { MiddlewareBroker } from "../middleware/middleware-broker";
import type { CacheSpans } from "../middleware/cacher";
import type { Middleware } from "../middleware/middleware";
import { cacheSpans } from "./cache-spans";
import { TraceExporters, TraceExporterHost } from "./exporters";
import { tracingMiddleware } from "./middleware";
import { resolveTracingOptions, TracingOption } from "./options";
import { TraceSampler } from "./sampler";
import { Tracer } from "./tracer";

export * from "./exporters";
export { cacheSpanIdOf, callerSpanIdOf, spanIdOf, traceIdOf } from "./ids";
export type { TagSpec, TagValue, TraceExporterSpec, TracingOption, TracingOptions } from "./options";
export { TraceSampler, type SamplingOptions } from "./sampler";
export { Tracer, type TracerStats } from "./tracer";
export { SpanRecord, type SpanKindName, type SpanOrigin, type SpanSite } from "./span-record";
export { SpanBatcher } from "./span-batcher";
export { tracingMiddleware, type TracingMiddlewareDeps } from "./middleware";
export { formatTraceparent, parseTraceparent, TRACEPARENT, type TraceParent } from "./traceparent";

/**
 * The broker's `tracing` option → its tracer, middleware and (with
 * `cache: true`) the cacher middleware's span port, or null when
 * tracing is off. Loads the OTel packages (and each exporter's) here, at
 * broker construction, never at `import "nucleon"`.
 */
export function createTracing(
  option: TracingOption | undefined,
  broker: MiddlewareBroker,
): { tracer: Tracer; middleware: Middleware; cacheSpans?: CacheSpans } | null {
  const options = resolveTracingOptions(option);
  if (options === null) return null;
  const host: TraceExporterHost = {
    nodeID: broker.nodeID,
    logger: broker.logger,
    serviceName: options.serviceName ?? "nucleon",
    emit: (e, p, o) => broker.emit(e, p, o),
    broadcast: (e, p, o) => broker.broadcast(e, p, o),
  };
  const specs = options.exporter === undefined ? [] : Array.isArray(options.exporter) ? options.exporter : [options.exporter];
  const exporters = specs.map((spec) => TraceExporters.resolve(spec, host));
  const tracer = new Tracer(exporters, { serviceName: host.serviceName, nodeID: broker.nodeID });
  const middleware = tracingMiddleware({
    tracer,
    sampler: new TraceSampler(options.sampling),
    options,
    nodeID: broker.nodeID,
    protocolVersion: broker.options.protocolVersion,
  });
  return { tracer, middleware, cacheSpans: options.cache === true ? cacheSpans(tracer) : undefined };
}
