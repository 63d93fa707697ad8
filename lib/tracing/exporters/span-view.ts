import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";

/** A span in the shape of Moleculer's `Span` (what its Event exporter emits), with OTel's hex ids. */
export interface SpanView {
  name: string;
  /** `action`, `remoteAction`, `event`, as the `span.type` tag says. */
  type: string;
  id: string;
  traceID: string;
  parentID: string | null;
  service: { name: string; fullName: string } | null;
  sampled: true;
  /** ms since the epoch, fractional. */
  startTime: number;
  finishTime: number;
  duration: number;
  error: { name: string; message: string } | null;
  logs: never[];
  /** Flat tags (`action.name`, `params.id`, …), as the span's attributes. */
  tags: Record<string, unknown>;
}

const ms = (t: readonly [number, number]): number => t[0] * 1e3 + t[1] / 1e6;

const STATUS_ERROR = 2;

export function spanView(span: ReadableSpan): SpanView {
  const ctx = span.spanContext();
  const tags = { ...span.attributes };
  const serviceName = tags["service.name"];
  const failed = span.status.code === STATUS_ERROR;
  return {
    name: span.name,
    type: typeof tags["span.type"] === "string" ? tags["span.type"] : "custom",
    id: ctx.spanId,
    traceID: ctx.traceId,
    parentID: span.parentSpanContext?.spanId ?? null,
    service: typeof serviceName === "string" ? { name: serviceName, fullName: serviceName } : null,
    sampled: true,
    startTime: ms(span.startTime),
    finishTime: ms(span.endTime),
    duration: ms(span.duration),
    error: failed ? { name: String(tags["error.name"] ?? "Error"), message: span.status.message ?? "" } : null,
    logs: [],
    tags,
  };
}
