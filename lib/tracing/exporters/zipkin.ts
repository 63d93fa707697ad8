import type * as ZipkinDriver from "@opentelemetry/exporter-zipkin";
import { loadDriver } from "../../utils/load-driver";
import { DelegatingExporter, TraceExporterHost } from "./exporter";

export interface ZipkinExporterOptions extends Record<string, unknown> {
  /** Zipkin's v2 spans endpoint (`http://127.0.0.1:9411/api/v2/spans`). */
  url?: string;
  headers?: Record<string, string>;
}

/**
 * Zipkin's v2 JSON API, through `@opentelemetry/exporter-zipkin`. Each span's
 * `service.name` tag (its service's full name, as Moleculer's Zipkin
 * exporter names it) becomes its local endpoint in Zipkin.
 */
export class ZipkinTraceExporter extends DelegatingExporter {
  constructor(options: ZipkinExporterOptions = {}, host?: TraceExporterHost) {
    const { ZipkinExporter } = loadDriver<typeof ZipkinDriver>("@opentelemetry/exporter-zipkin", "The Zipkin trace exporter");
    super(
      new ZipkinExporter({ url: options.url ?? "http://127.0.0.1:9411/api/v2/spans", headers: options.headers, serviceName: host?.serviceName }),
      options,
    );
  }
}
