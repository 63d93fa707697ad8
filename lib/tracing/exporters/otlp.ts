import type * as OtlpHttp from "@opentelemetry/exporter-trace-otlp-http";
import { loadDriver } from "../../utils/load-driver";
import { DelegatingExporter, TraceExporterHost } from "./exporter";

export interface OtlpExporterOptions extends Record<string, unknown> {
  /** The collector's traces endpoint (`http://127.0.0.1:4318/v1/traces`). */
  url?: string;
  headers?: Record<string, string>;
  /** ms per HTTP request (10000). */
  timeoutMillis?: number;
}

/** OTLP over HTTP (JSON), through `@opentelemetry/exporter-trace-otlp-http`: what most tracing backends now take. */
export class OtlpTraceExporter extends DelegatingExporter {
  constructor(options: OtlpExporterOptions = {}, _host?: TraceExporterHost) {
    const { OTLPTraceExporter } = loadDriver<typeof OtlpHttp>("@opentelemetry/exporter-trace-otlp-http", "The OTLP trace exporter");
    super(
      new OTLPTraceExporter({
        url: options.url ?? "http://127.0.0.1:4318/v1/traces",
        headers: options.headers,
        timeoutMillis: options.timeoutMillis,
      }),
      options,
    );
  }
}
