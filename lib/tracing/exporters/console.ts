import type { ExportResult } from "@opentelemetry/core";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { batchOptionsOf, BatchOptions, EXPORT_SUCCESS, TraceExporter, TraceExporterHost } from "./exporter";
import { spanView } from "./span-view";

export interface ConsoleExporterOptions extends Record<string, unknown> {
  /** Where lines go (default: stdout). */
  write?: (line: string) => void;
}

/**
 * One line per finished span:
 * `trace=<id> span=<id> parent=<id|-> 1.234ms OK action 'math.add' service=math node=n1`.
 * For development; a backend wants OTLP or Zipkin.
 */
export class ConsoleTraceExporter implements TraceExporter {
  readonly batch: BatchOptions;
  private readonly write: (line: string) => void;

  constructor(options: ConsoleExporterOptions = {}, _host?: TraceExporterHost) {
    this.write = options.write ?? ((line) => process.stdout.write(`${line}\n`));
    this.batch = batchOptionsOf(options, { scheduledDelayMillis: 1000 });
  }

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    for (const span of spans) this.write(formatSpan(span));
    done({ code: EXPORT_SUCCESS });
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

export function formatSpan(span: ReadableSpan): string {
  const v = spanView(span);
  const status = v.error ? `ERROR(${v.error.name}: ${v.error.message})` : "OK";
  const service = v.service ? ` service=${v.service.fullName}` : "";
  const node = typeof v.tags.nodeID === "string" ? ` node=${v.tags.nodeID}` : "";
  return `trace=${v.traceID} span=${v.id} parent=${v.parentID ?? "-"} ${v.duration.toFixed(3)}ms ${status} ${v.name}${service}${node}`;
}
