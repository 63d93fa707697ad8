import type { ExportResult } from "@opentelemetry/core";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { EXPORT_SUCCESS, type BatchOptions, type TraceExporter } from "./exporters/exporter";

/** What the batchers of one tracer count together. */
export interface SpanCounts {
  exported: number;
  failed: number;
  dropped: number;
}

const DEFAULTS: Required<BatchOptions> = { maxQueueSize: 2048, maxExportBatchSize: 512, scheduledDelayMillis: 5000, exportTimeoutMillis: 30000 };

/**
 * A bounded queue in front of one exporter, with the OTel batch processor's
 * settings and behaviour: a full batch is exported at once, a partial one
 * after `scheduledDelayMillis`; one export at a time; an export that takes
 * longer than `exportTimeoutMillis` counts as failed. A span that finds the
 * queue full is dropped and counted, so a slow or dead endpoint never grows
 * memory past `maxQueueSize` spans.
 */
export class SpanBatcher {
  private readonly opts: Required<BatchOptions>;
  private queue: ReadableSpan[] = [];
  private timer: NodeJS.Timeout | null = null;
  private exporting: Promise<void> | null = null;

  constructor(
    private readonly exporter: TraceExporter,
    private readonly counts: SpanCounts,
  ) {
    this.opts = { ...DEFAULTS, ...exporter.batch };
    if (this.opts.maxExportBatchSize > this.opts.maxQueueSize) this.opts.maxExportBatchSize = this.opts.maxQueueSize;
  }

  get queued(): number {
    return this.queue.length;
  }

  add(span: ReadableSpan): void {
    const queue = this.queue;
    if (queue.length >= this.opts.maxQueueSize) {
      this.counts.dropped++;
      return;
    }
    queue.push(span);
    this.schedule();
  }

  /** Exports everything queued now, batch by batch. */
  async flush(): Promise<void> {
    this.clearTimer();
    while (this.exporting !== null) await this.exporting;
    while (this.queue.length > 0) await this.exportOne();
    await this.exporter.forceFlush?.();
  }

  async shutdown(): Promise<void> {
    await this.flush();
    await this.exporter.shutdown();
  }

  /** One batch to the exporter; when it is done, the next if a full one waits, else the timer for the rest. */
  private exportOne(): Promise<void> {
    if (this.exporting !== null) return this.exporting;
    this.clearTimer();
    const batch = this.queue.length <= this.opts.maxExportBatchSize ? this.queue : this.queue.splice(0, this.opts.maxExportBatchSize);
    if (batch === this.queue) this.queue = [];
    const run = new Promise<void>((resolve) => {
      let settled = false;
      const done = (ok: boolean) => {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        if (ok) this.counts.exported += batch.length;
        else this.counts.failed += batch.length;
        resolve();
      };
      const deadline = setTimeout(() => done(false), this.opts.exportTimeoutMillis);
      deadline.unref();
      try {
        this.exporter.export(batch, (result: ExportResult) => done(result.code === EXPORT_SUCCESS));
      } catch {
        done(false);
      }
    });
    this.exporting = run.then(() => {
      this.exporting = null;
      this.schedule();
    });
    return this.exporting;
  }

  /** A full batch goes now; a partial one when the delay runs out (one export at a time). */
  private schedule(): void {
    if (this.exporting !== null || this.queue.length === 0) return;
    if (this.queue.length >= this.opts.maxExportBatchSize) {
      void this.exportOne();
    } else if (this.timer === null) {
      this.timer = setTimeout(() => {
        this.timer = null;
        void this.exportOne();
      }, this.opts.scheduledDelayMillis);
      this.timer.unref();
    }
  }

  private clearTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}
