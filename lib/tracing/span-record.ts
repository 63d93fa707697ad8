import type { Attributes, HrTime, Link, SpanContext, SpanStatus } from "@opentelemetry/api";
import type { InstrumentationScope } from "@opentelemetry/core";
import type { Resource } from "@opentelemetry/resources";
import type { ReadableSpan, TimedEvent } from "@opentelemetry/sdk-trace-base";
import type { Context } from "../context/context";
import { cacheSpanIdOf, callerSpanIdOf, spanIdOf, traceIdOf } from "./ids";
import { traceparentOf } from "./traceparent";

export type SpanKindName = "server" | "client" | "consumer" | "internal";

/** OTel's `SpanKind` and `SpanStatusCode` values, without loading `@opentelemetry/api` on the hot path. */
const KIND = { internal: 0, server: 1, client: 2, consumer: 4 } as const;
const STATUS_OK: SpanStatus = { code: 0 };
const STATUS_ERROR = 2;
const SAMPLED = 1;
const NONE: never[] = [];

/**
 * What every span of one endpoint shares, built once when its chain is
 * composed: the name, kind, and the attributes that do not change per call.
 */
export interface SpanSite {
  readonly kind: SpanKindName;
  /** `action`, `remoteAction` or `event` (Moleculer's `span.type` tag). */
  readonly type: string;
  /** The span's name; an event span names the emitted event, which a wildcard subscription only knows per call. */
  name(ctx: Context): string;
  /** The endpoint's own attributes (`action.name`, `remote.nodeID`, …). */
  readonly attributes: Attributes;
  /** The service named in `service.name` (a remote call's is the caller's, when it has one). */
  service(ctx: Context): string;
  /**
   * Whose span: the context's own (`context`: its handler, span id = the
   * context's id), the caller side of a remote call (`caller`), or a cache
   * read under the handler's span (`cache`); the last two derive their ids.
   */
  readonly role: "context" | "caller" | "cache";
}

/** What the tracer adds to every span: the node, the OTel resource and scope. */
export interface SpanOrigin {
  readonly nodeID: string;
  readonly resource: Resource;
  readonly scope: InstrumentationScope;
}

/** ms → OTel's [seconds, nanoseconds], in whole microseconds (Zipkin takes integers; a clock read is not finer). */
const ms2hr = (ms: number): HrTime => {
  const s = Math.floor(ms / 1000);
  const us = Math.round((ms - s * 1000) * 1000);
  return us >= 1e6 ? [s + 1, (us - 1e6) * 1000] : [s, us * 1000];
};

/**
 * One sampled span as the hot path records it: its site, its context, two
 * clock readings and the outcome — one small object, nothing formatted.
 * It is an OTel `ReadableSpan` all the same: ids, times and attributes are
 * built when an exporter first reads them (in the batch, off the call
 * path). The context's ids are read then too, so a call that nothing else
 * asks the id of never generates one for tracing. A failed span reads them
 * at once (`capture`): a retry gives the context a new id.
 */
export class SpanRecord implements ReadableSpan {
  end = 0;
  failed = false;
  error: unknown = undefined;
  fromCache = false;
  /** Tags asked for (`params`, `meta`, `response`), or null. */
  extra: Attributes | null = null;
  private ids: { traceId: string; spanId: string; parentSpanId: string | null } | null = null;
  private attrs: Attributes | null = null;

  constructor(
    readonly site: SpanSite,
    readonly ctx: Context,
    readonly origin: SpanOrigin,
    /** `performance.now()` at start. */
    readonly start: number,
  ) {}

  /** Reads the context's ids now (they may change afterwards). */
  capture(): void {
    if (this.ids !== null) return;
    const ctx = this.ctx;
    // A traceparent in the context's headers names the parent span (the caller's CLIENT span, or a foreign tracer's).
    const w3c = traceparentOf(ctx);
    const traceId = w3c?.traceId ?? traceIdOf(ctx.requestID);
    const role = this.site.role;
    if (role === "cache") {
      this.ids = { traceId, spanId: cacheSpanIdOf(ctx.id), parentSpanId: spanIdOf(ctx.id) };
      return;
    }
    this.ids = {
      traceId,
      spanId: role === "caller" ? callerSpanIdOf(ctx.id) : spanIdOf(ctx.id),
      parentSpanId: w3c !== null ? w3c.parentSpanId : ctx.parentID !== null ? spanIdOf(ctx.parentID) : null,
    };
  }

  private get idSet(): { traceId: string; spanId: string; parentSpanId: string | null } {
    this.capture();
    return this.ids as { traceId: string; spanId: string; parentSpanId: string | null };
  }

  get name(): string {
    return this.site.name(this.ctx);
  }

  get kind(): number {
    return KIND[this.site.kind];
  }

  spanContext(): SpanContext {
    const { traceId, spanId } = this.idSet;
    return { traceId, spanId, traceFlags: SAMPLED };
  }

  get parentSpanContext(): SpanContext | undefined {
    const { traceId, parentSpanId } = this.idSet;
    return parentSpanId === null ? undefined : { traceId, spanId: parentSpanId, traceFlags: SAMPLED, isRemote: true };
  }

  get startTime(): HrTime {
    return ms2hr(performance.timeOrigin + this.start);
  }

  get endTime(): HrTime {
    return ms2hr(performance.timeOrigin + this.end);
  }

  get duration(): HrTime {
    return ms2hr(this.end - this.start);
  }

  get ended(): boolean {
    return true;
  }

  get status(): SpanStatus {
    if (!this.failed) return STATUS_OK;
    const message = (this.error as { message?: unknown } | null)?.message;
    return { code: STATUS_ERROR, message: typeof message === "string" ? message : String(this.error) };
  }

  get attributes(): Attributes {
    return (this.attrs ??= this.buildAttributes());
  }

  get links(): Link[] {
    return NONE;
  }

  get events(): TimedEvent[] {
    return NONE;
  }

  get resource(): Resource {
    return this.origin.resource;
  }

  get instrumentationScope(): InstrumentationScope {
    return this.origin.scope;
  }

  get droppedAttributesCount(): number {
    return 0;
  }

  get droppedEventsCount(): number {
    return 0;
  }

  get droppedLinksCount(): number {
    return 0;
  }

  /** Moleculer's tags: common ones, the site's, the call's options, the outcome, then the ones asked for. */
  private buildAttributes(): Attributes {
    const { ctx, site } = this;
    const nodeID = this.origin.nodeID;
    const a: Attributes = {
      "span.type": site.type,
      "service.name": site.service(ctx),
      nodeID,
      callerNodeID: ctx.nodeID,
      callingLevel: ctx.level,
      remoteCall: ctx.nodeID !== nodeID,
      requestID: ctx.requestID,
      ...site.attributes,
    };
    if (site.type === "action") {
      if (ctx.options.timeout !== undefined) a["options.timeout"] = ctx.options.timeout;
      if (ctx.options.retries !== undefined) a["options.retries"] = ctx.options.retries;
      a.fromCache = this.fromCache;
    } else if (site.type === "event") {
      if (ctx.eventName !== null) a.eventName = ctx.eventName;
      if (ctx.eventType !== null) a.eventType = ctx.eventType;
    }
    if (this.extra !== null) Object.assign(a, this.extra);
    if (this.failed) {
      const e = (this.error ?? {}) as { name?: unknown; code?: unknown; type?: unknown };
      a["error.name"] = typeof e.name === "string" ? e.name : "Error";
      if (typeof e.code === "number" || typeof e.code === "string") a["error.code"] = e.code;
      if (typeof e.type === "string") a["error.type"] = e.type;
    }
    return a;
  }
}
