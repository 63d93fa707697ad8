import type { ExportResult } from "@opentelemetry/core";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { batchOptionsOf, BatchOptions, EXPORT_FAILED, EXPORT_SUCCESS, TraceExporter, TraceExporterHost } from "./exporter";
import { spanView, SpanView } from "./span-view";

export interface EventExporterOptions extends Record<string, unknown> {
  /** `$tracing.spans`, as Moleculer's Event exporter. */
  eventName?: string;
  /** Broadcast instead of emit (default false). */
  broadcast?: boolean;
  groups?: string | string[];
  /** Converts each span before sending (default: Moleculer's span shape, `SpanView`). */
  spanConverter?: (span: SpanView) => unknown;
}

/**
 * Emits finished spans as a `$tracing.spans` event, an array per batch, like
 * Moleculer's Event exporter, so tools listening for it work unchanged. The
 * spans of handlers of that event itself are not sent (it would feed itself).
 */
export class EventTraceExporter implements TraceExporter {
  readonly batch: BatchOptions;
  private readonly eventName: string;

  constructor(
    private readonly options: EventExporterOptions = {},
    private readonly host?: TraceExporterHost,
  ) {
    this.eventName = options.eventName ?? "$tracing.spans";
    this.batch = batchOptionsOf(options, { scheduledDelayMillis: 1000 });
  }

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    const host = this.host;
    if (!host) return done({ code: EXPORT_FAILED, error: new Error("The Event trace exporter needs a broker.") });
    const convert = this.options.spanConverter;
    const payload = spans
      .filter((s) => s.attributes.eventName !== this.eventName)
      .map((s) => (convert ? convert(spanView(s)) : spanView(s)));
    if (payload.length === 0) return done({ code: EXPORT_SUCCESS });
    const opts = this.options.groups !== undefined ? { groups: this.options.groups } : undefined;
    const sent = this.options.broadcast ? host.broadcast(this.eventName, payload, opts) : host.emit(this.eventName, payload, opts);
    sent.then(
      () => done({ code: EXPORT_SUCCESS }),
      (error: Error) => done({ code: EXPORT_FAILED, error }),
    );
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
