import type * as Resources from "@opentelemetry/resources";
import type { Context } from "../context/context";
import { loadDriver } from "../utils/load-driver";
import type { TraceExporter } from "./exporters/exporter";
import { SpanBatcher, type SpanCounts } from "./span-batcher";
import { SpanRecord, type SpanOrigin, type SpanSite } from "./span-record";

/** What the exporters have done with the spans handed to them, summed over exporters. */
export interface TracerStats {
  /** Spans an exporter reported sent. */
  exported: number;
  /** Spans in batches an exporter reported failed (endpoint down, timeout). */
  failed: number;
  /** Spans dropped because an exporter's queue was full (`maxQueueSize`). */
  dropped: number;
  /** Spans waiting in the queues now. */
  queued: number;
}

const now = () => performance.now();

/**
 * Records nucleon's spans and hands them to OpenTelemetry exporters. A
 * sampled call costs one `SpanRecord` and two clock reads; the record is
 * itself an OTel `ReadableSpan` whose fields are built when an exporter
 * reads them. Each exporter has its own bounded batch queue (`SpanBatcher`,
 * the OTel batch processor's settings). Sampling is decided by the caller
 * (Moleculer's way, carried in the context's `tracing` flag); span and trace
 * ids are mapped from the contexts' ids (`ids.ts`).
 */
export class Tracer {
  private readonly counts: SpanCounts = { exported: 0, failed: 0, dropped: 0 };
  private readonly batchers: SpanBatcher[];
  private readonly origin: SpanOrigin;

  constructor(exporters: readonly TraceExporter[], resource: { serviceName: string; nodeID: string }) {
    const { resourceFromAttributes } = loadDriver<typeof Resources>("@opentelemetry/resources", "Tracing");
    this.origin = {
      nodeID: resource.nodeID,
      resource: resourceFromAttributes({ "service.name": resource.serviceName, "service.instance.id": resource.nodeID }),
      scope: { name: "nucleon" },
    };
    this.batchers = exporters.map((exporter) => new SpanBatcher(exporter, this.counts));
  }

  /** Starts a span of `site` for `ctx` (only called for sampled contexts). */
  begin(site: SpanSite, ctx: Context): SpanRecord {
    return new SpanRecord(site, ctx, this.origin, now());
  }

  /** Ends a span and queues it for every exporter. */
  end(span: SpanRecord): void {
    span.end = now();
    const batchers = this.batchers;
    for (let i = 0; i < batchers.length; i++) batchers[i].add(span);
  }

  /** Ends a span as failed (OTel's ERROR status, plus Moleculer's `error.*` tags). */
  fail(span: SpanRecord, error: unknown): void {
    span.failed = true;
    span.error = error ?? new Error("rejected");
    // A retry may give the context new ids: this attempt's are read now.
    span.capture();
    this.end(span);
  }

  stats(): TracerStats {
    let queued = 0;
    for (const b of this.batchers) queued += b.queued;
    return { ...this.counts, queued };
  }

  /** Exports what is queued now. */
  async flush(): Promise<void> {
    await Promise.all(this.batchers.map((b) => b.flush()));
  }

  /** Flushes, then shuts the exporters down. */
  async shutdown(): Promise<void> {
    await Promise.all(this.batchers.map((b) => b.shutdown()));
  }
}
