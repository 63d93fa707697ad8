import { PluginRegistry } from "../../utils/plugin-registry";
import { ConsoleTraceExporter } from "./console";
import { EventTraceExporter } from "./event";
import { isTraceExporter, TraceExporter, TraceExporterHost } from "./exporter";
import { OtlpTraceExporter } from "./otlp";
import { ZipkinTraceExporter } from "./zipkin";

export * from "./exporter";
export { ConsoleTraceExporter, formatSpan, type ConsoleExporterOptions } from "./console";
export { EventTraceExporter, type EventExporterOptions } from "./event";
export { OtlpTraceExporter, type OtlpExporterOptions } from "./otlp";
export { ZipkinTraceExporter, type ZipkinExporterOptions } from "./zipkin";
export { spanView, type SpanView } from "./span-view";

/**
 * Every trace exporter by name (any case). Drivers (the OTLP and Zipkin
 * exporter packages) load when an exporter is built, so registering costs
 * nothing. Users add theirs: `TraceExporters.register("Jaeger", MyExporter)`.
 */
export const TraceExporters = new PluginRegistry<TraceExporter, Record<string, unknown>, [TraceExporterHost]>({
  family: "trace exporter",
  isInstance: isTraceExporter,
})
  .register("Console", ConsoleTraceExporter)
  .register("Event", EventTraceExporter)
  .register("OTLP", OtlpTraceExporter)
  .register("Zipkin", ZipkinTraceExporter);
