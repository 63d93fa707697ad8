import type * as Api from "@opentelemetry/api";
import type { ExportResult } from "@opentelemetry/core";
import type * as Resources from "@opentelemetry/resources";
import type * as Sdk from "@opentelemetry/sdk-trace-base";
import { loadDriver } from "../utils/load-driver";
import { EXPORT_SUCCESS, TraceExporter } from "./exporters/exporter";

export type SpanKindName = "server" | "client" | "consumer";

/** A span to start, with the ids already mapped (see `ids.ts`). */
export interface SpanStart {
  name: string;
  kind: SpanKindName;
  traceId: string;
  spanId: string;
  /** null for a root span. */
  parentSpanId: string | null;
  attributes: Api.Attributes;
}

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

const API = "@opentelemetry/api";

/**
 * The OpenTelemetry SDK behind nucleon's spans: one `BasicTracerProvider`,
 * a `BatchSpanProcessor` per exporter. Sampling is decided by the caller
 * (Moleculer's way, carried in the `tracing` flag), so the SDK samples
 * everything it is given, and span and trace ids are the ones mapped from
 * the contexts: the id generator hands out the ids set just before each
 * synchronous `startSpan`.
 */
export class Tracer {
  private readonly api: typeof Api;
  private readonly provider: Sdk.BasicTracerProvider;
  private readonly tracer: Api.Tracer;
  private readonly next = { traceId: "", spanId: "" };
  private readonly counts = { exported: 0, failed: 0, dropped: 0 };
  private readonly queueReaders: Array<(result: { observe(value: number): void }) => void> = [];
  private readonly kinds: Record<SpanKindName, Api.SpanKind>;

  constructor(exporters: readonly TraceExporter[], resource: { serviceName: string; nodeID: string }) {
    this.api = loadDriver<typeof Api>(API, "Tracing");
    const sdk = loadDriver<typeof Sdk>("@opentelemetry/sdk-trace-base", "Tracing");
    const { resourceFromAttributes } = loadDriver<typeof Resources>("@opentelemetry/resources", "Tracing");
    const next = this.next;
    const meterProvider = this.selfObservation();
    this.provider = new sdk.BasicTracerProvider({
      resource: resourceFromAttributes({ "service.name": resource.serviceName, "service.instance.id": resource.nodeID }),
      sampler: new sdk.AlwaysOnSampler(),
      idGenerator: { generateTraceId: () => next.traceId, generateSpanId: () => next.spanId },
      spanProcessors: exporters.map((exporter) => {
        // The shim's config type omits `selfObsMeterProvider`, which it passes on to the processor all the same.
        const config: Sdk.BufferConfig = { ...exporter.batch, ...{ selfObsMeterProvider: meterProvider } };
        return new sdk.BatchSpanProcessor(this.counting(exporter), config);
      }),
    });
    this.tracer = this.provider.getTracer("nucleon");
    const { SpanKind } = this.api;
    this.kinds = { server: SpanKind.SERVER, client: SpanKind.CLIENT, consumer: SpanKind.CONSUMER };
  }

  startSpan(s: SpanStart): Api.Span {
    const api = this.api;
    this.next.traceId = s.traceId;
    this.next.spanId = s.spanId;
    const parent =
      s.parentSpanId === null
        ? api.ROOT_CONTEXT
        : api.trace.setSpanContext(api.ROOT_CONTEXT, {
            traceId: s.traceId,
            spanId: s.parentSpanId,
            traceFlags: api.TraceFlags.SAMPLED,
            isRemote: true,
          });
    return this.tracer.startSpan(s.name, { kind: this.kinds[s.kind], attributes: s.attributes }, parent);
  }

  /** Ends a span, marking it failed (OTel's ERROR status, plus Moleculer's `error.*` tags) when `error` is given. */
  endSpan(span: Api.Span, error?: unknown): void {
    if (error !== undefined) {
      const e = (error ?? {}) as { name?: unknown; message?: unknown; code?: unknown; type?: unknown };
      span.setStatus({ code: this.api.SpanStatusCode.ERROR, message: typeof e.message === "string" ? e.message : String(error) });
      span.setAttribute("error.name", typeof e.name === "string" ? e.name : "Error");
      if (typeof e.code === "number" || typeof e.code === "string") span.setAttribute("error.code", e.code);
      if (typeof e.type === "string") span.setAttribute("error.type", e.type);
    }
    span.end();
  }

  stats(): TracerStats {
    let queued = 0;
    for (const read of this.queueReaders) read({ observe: (value) => (queued += value) });
    return { ...this.counts, queued };
  }

  /** Exports what is queued now. */
  flush(): Promise<void> {
    return this.provider.forceFlush();
  }

  /** Flushes, then shuts the exporters down. */
  shutdown(): Promise<void> {
    return this.provider.shutdown();
  }

  /** The exporter with its results counted. */
  private counting(exporter: TraceExporter): Sdk.SpanExporter {
    const counts = this.counts;
    return {
      export(spans, done: (result: ExportResult) => void) {
        exporter.export(spans, (result) => {
          if (result.code === EXPORT_SUCCESS) counts.exported += spans.length;
          else counts.failed += spans.length;
          done(result);
        });
      },
      shutdown: () => exporter.shutdown(),
      forceFlush: () => exporter.forceFlush?.() ?? Promise.resolve(),
    };
  }

  /**
   * The batch processor reports spans it dropped on a full queue, and its
   * queue length, only as self-observability metrics: a meter provider that
   * keeps those two and ignores the rest.
   */
  private selfObservation(): Api.MeterProvider {
    const noop = this.api.createNoopMeter();
    const counts = this.counts;
    const readers = this.queueReaders;
    const meter: Api.Meter = Object.assign(Object.create(noop) as Api.Meter, {
      createCounter(name: string, options?: Api.MetricOptions): Api.Counter {
        if (!name.endsWith("span.processed")) return noop.createCounter(name, options);
        return {
          add(value: number, attributes?: Api.Attributes) {
            if (attributes?.["error.type"] === "queue_full") counts.dropped += value;
          },
        };
      },
      createObservableUpDownCounter(name: string, options?: Api.MetricOptions): Api.ObservableUpDownCounter {
        const base = noop.createObservableUpDownCounter(name, options);
        if (!name.endsWith("queue.size")) return base;
        return Object.assign(Object.create(base) as Api.ObservableUpDownCounter, {
          addCallback: (cb: Api.ObservableCallback) => readers.push(cb as (typeof readers)[number]),
          removeCallback: (cb: Api.ObservableCallback) => {
            const i = readers.indexOf(cb as (typeof readers)[number]);
            if (i >= 0) readers.splice(i, 1);
          },
        });
      },
    });
    return { getMeter: () => meter };
  }
}
