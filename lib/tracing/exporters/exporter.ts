import type { ExportResult } from "@opentelemetry/core";
import type { ReadableSpan, SpanExporter } from "@opentelemetry/sdk-trace-base";
import type { Logger } from "pino";
import type { EmitOptions } from "../../context/context";

/** OTel's `ExportResultCode` values, without loading `@opentelemetry/core` at import. */
export const EXPORT_SUCCESS = 0 as ExportResult["code"];
export const EXPORT_FAILED = 1 as ExportResult["code"];

/**
 * The batch queue in front of each exporter (`SpanBatcher`, with the OTel
 * batch processor's settings). `maxQueueSize` bounds
 * memory when the exporter's endpoint is slow or down: spans past it are
 * dropped and counted (`Tracer.stats().dropped`), never queued without limit.
 */
export interface BatchOptions {
  /** Spans waiting for export, at most (2048). */
  maxQueueSize?: number;
  /** Spans per export request (512). */
  maxExportBatchSize?: number;
  /** ms between exports (5000; the Console and Event exporters default to 1000). */
  scheduledDelayMillis?: number;
  /** ms an export may take before it counts as failed (30000). */
  exportTimeoutMillis?: number;
}

/** A span exporter (OTel's `SpanExporter`) and the batching it wants in front of it. */
export interface TraceExporter extends SpanExporter {
  readonly batch?: BatchOptions;
}

/** What an exporter may use of the broker: an exporter plugin's second constructor argument. */
export interface TraceExporterHost {
  readonly nodeID: string;
  readonly logger: Logger;
  /** The OTel resource's `service.name`. */
  readonly serviceName: string;
  emit(event: string, payload?: unknown, options?: EmitOptions): Promise<void>;
  broadcast(event: string, payload?: unknown, options?: EmitOptions): Promise<void>;
}

/** Duck-typed, so exporters from OTel packages or other libraries are accepted as they are. */
export function isTraceExporter(value: unknown): value is TraceExporter {
  if (typeof value !== "object" || value === null) return false;
  const e = value as Partial<Record<keyof SpanExporter, unknown>>;
  return typeof e.export === "function" && typeof e.shutdown === "function";
}

const BATCH_KEYS = ["maxQueueSize", "maxExportBatchSize", "scheduledDelayMillis", "exportTimeoutMillis"] as const;

/** The batch settings among an exporter's options. */
export function batchOptionsOf(options: Record<string, unknown>, defaults: BatchOptions = {}): BatchOptions {
  const batch: BatchOptions = { ...defaults };
  for (const key of BATCH_KEYS) if (typeof options[key] === "number") batch[key] = options[key] as number;
  return batch;
}

/** An OTel exporter built from a driver, behind nucleon's plugin shape. */
export abstract class DelegatingExporter implements TraceExporter {
  readonly batch: BatchOptions;

  protected constructor(
    private readonly inner: SpanExporter,
    options: Record<string, unknown>,
  ) {
    this.batch = batchOptionsOf(options);
  }

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.inner.export(spans, done);
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}
