import type { ExportResult } from "@opentelemetry/core";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { SpanBatcher, type SpanCounts } from "../../lib/tracing/span-batcher";
import type { BatchOptions, TraceExporter } from "nucleon";

type Done = (result: ExportResult) => void;

/** An exporter that holds each export's callback until the test answers it. */
class HeldExporter implements TraceExporter {
  readonly calls: Array<{ spans: ReadableSpan[]; done: Done }> = [];
  shutdowns = 0;
  constructor(readonly batch: BatchOptions) {}
  export(spans: ReadableSpan[], done: Done): void {
    this.calls.push({ spans, done });
  }
  shutdown(): Promise<void> {
    this.shutdowns++;
    return Promise.resolve();
  }
}

const span = (n: number) => ({ name: `s${n}` }) as unknown as ReadableSpan;
const OK = { code: 0 } as ExportResult;
const FAILED = { code: 1 } as ExportResult;

describe("SpanBatcher", () => {
  let counts: SpanCounts;
  beforeEach(() => (counts = { exported: 0, failed: 0, dropped: 0 }));

  it("exports a full batch at once, one export at a time, and drops (counted) past maxQueueSize", () => {
    const exporter = new HeldExporter({ maxQueueSize: 6, maxExportBatchSize: 3, scheduledDelayMillis: 60_000 });
    const batcher = new SpanBatcher(exporter, counts);
    for (let i = 0; i < 3; i++) batcher.add(span(i));
    expect(exporter.calls.map((c) => c.spans.length)).toEqual([3]);
    // While that export is in flight, the queue fills up to its bound; the rest is dropped.
    for (let i = 3; i < 12; i++) batcher.add(span(i));
    expect(exporter.calls).toHaveLength(1);
    expect(batcher.queued).toBe(6);
    expect(counts.dropped).toBe(3);
  });

  it("counts exported and failed batches, and an export past exportTimeoutMillis as failed", async () => {
    const exporter = new HeldExporter({ maxExportBatchSize: 2, scheduledDelayMillis: 60_000, exportTimeoutMillis: 20 });
    const batcher = new SpanBatcher(exporter, counts);
    batcher.add(span(1));
    batcher.add(span(2));
    exporter.calls[0].done(OK);
    await new Promise((r) => setImmediate(r));
    expect(counts.exported).toBe(2);
    batcher.add(span(3));
    batcher.add(span(4));
    exporter.calls[1].done(FAILED);
    await new Promise((r) => setImmediate(r));
    expect(counts.failed).toBe(2);
    batcher.add(span(5));
    batcher.add(span(6)); // never answered
    await new Promise((r) => setTimeout(r, 60));
    expect(counts).toEqual({ exported: 2, failed: 4, dropped: 0 });
  });

  it("exports a partial batch after scheduledDelayMillis, and flush() exports the rest now", async () => {
    const exporter = new HeldExporter({ maxExportBatchSize: 100, scheduledDelayMillis: 10 });
    const answer = () => exporter.calls.at(-1)!.done(OK);
    const batcher = new SpanBatcher(exporter, counts);
    batcher.add(span(1));
    expect(exporter.calls).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 40));
    expect(exporter.calls.map((c) => c.spans.length)).toEqual([1]);
    answer();
    batcher.add(span(2));
    batcher.add(span(3));
    const flushed = batcher.shutdown();
    await new Promise((r) => setImmediate(r));
    answer();
    await flushed;
    expect(exporter.calls.map((c) => c.spans.length)).toEqual([1, 2]);
    expect(counts.exported).toBe(3);
    expect(exporter.shutdowns).toBe(1);
  });
});
