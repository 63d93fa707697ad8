import type { ExportResult } from "@opentelemetry/core";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import type { BatchOptions, TraceExporter } from "nucleon";

/** An exporter that keeps what it is given (the spec's window on the spans). */
export class CollectingExporter implements TraceExporter {
  readonly spans: ReadableSpan[] = [];
  readonly batch: BatchOptions = { scheduledDelayMillis: 10 };

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.spans.push(...spans);
    done({ code: 0 as ExportResult["code"] });
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }

  byName(name: string): ReadableSpan {
    const span = this.spans.find((s) => s.name === name);
    if (!span) throw new Error(`no span '${name}' among ${this.spans.map((s) => s.name).join(", ")}`);
    return span;
  }
}

export const idsOf = (s: ReadableSpan) => ({
  traceId: s.spanContext().traceId,
  spanId: s.spanContext().spanId,
  parentId: s.parentSpanContext?.spanId ?? null,
});
