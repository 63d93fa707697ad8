import type { Attributes } from "@opentelemetry/api";
import type { Context } from "../context/context";
import { isFulfilled } from "../middleware/fulfilled";
import type { Middleware } from "../middleware/middleware";
import type { ActionHandler, EventHandler } from "../registry/endpoint";
import type { TagSpec, TracingOptions } from "./options";
import type { TraceSampler } from "./sampler";
import type { SpanRecord, SpanSite } from "./span-record";
import { endTags, startTags } from "./tags";
import { adoptTraceparent, outgoingTraceparent } from "./traceparent";
import type { Tracer } from "./tracer";

export interface TracingMiddlewareDeps {
  readonly tracer: Tracer;
  readonly sampler: TraceSampler;
  readonly options: TracingOptions;
  readonly nodeID: string;
  /** `"5"`: REQ and EVENT packets get a W3C `traceparent` header. */
  readonly protocolVersion?: "4" | "5";
}

/**
 * Spans as Moleculer makes them: one per action handler (span id = the
 * context's id), one per event handler, and one on the caller side of each
 * remote call (CLIENT kind, id derived from the context's id). Sampling is
 * decided once per root and travels in the context's `tracing` flag (and so
 * in REQ/EVENT packets): an unsampled call costs one flag check. A sampled
 * one costs a `SpanRecord` and two clock reads, and no `.then` when the
 * handler answered synchronously. Wrapping happens once per endpoint.
 */
export function tracingMiddleware(deps: TracingMiddlewareDeps): Middleware {
  const { tracer, sampler, options } = deps;
  const decide = (ctx: Context): boolean => ctx.tracing ?? (ctx.tracing = sampler.sample());
  // A context with headers may carry a traceparent (v5 packets always have headers): it is followed first.
  const sampled = (ctx: Context): boolean => {
    if (ctx.hasHeaders) adoptTraceparent(ctx);
    return decide(ctx);
  };
  const actionTags = options.tags?.action;
  const eventTags = options.tags?.event;

  const startExtra = (tags: TagSpec | undefined, ctx: Context): Attributes | null => {
    if (tags === undefined) return null;
    const out: Attributes = {};
    startTags(tags, ctx, out);
    return out;
  };

  /** Ends `span` when `result` settles (at once when it is already fulfilled and no response tags are asked for). */
  const settle = <R>(span: SpanRecord, ctx: Context, result: Promise<R>, tags: TagSpec | undefined): Promise<R> => {
    if (tags === undefined && isFulfilled(result)) {
      span.fromCache = ctx.cachedResult;
      tracer.end(span);
      return result;
    }
    return result.then(
      (value) => {
        span.fromCache = ctx.cachedResult;
        if (tags !== undefined) span.extra = Object.assign(span.extra ?? {}, endTags(tags, ctx, value));
        tracer.end(span);
        return value;
      },
      (err: unknown) => {
        tracer.fail(span, err);
        throw err;
      },
    );
  };

  const mw: Middleware = {
    name: "Tracing",
    // Flush what is queued when the broker stops; the tracer stays usable for a restart.
    stopped: () => tracer.flush(),
  };

  if (deps.protocolVersion === "5") {
    const clientSpans = options.actions !== false;
    mw.transitPublish = (next) => (packet) => {
      if (packet.type === "REQ" || packet.type === "EVENT") {
        const p = packet.payload;
        if (p.ver === "5" && typeof p.id === "string" && typeof p.requestID === "string") {
          const ids = { id: p.id, requestID: p.requestID, parentID: p.parentID ?? null, tracing: p.tracing ?? null };
          const traceparent = outgoingTraceparent(packet.type, ids, clientSpans);
          // A copy: the packet's headers may be the calling context's own object.
          if (traceparent !== null) p.headers = { ...p.headers, traceparent };
        }
      }
      return next(packet);
    };
  }

  if (options.actions !== false) {
    mw.localAction = (next: ActionHandler, endpoint): ActionHandler => {
      const { name, rawName } = endpoint.action;
      const service = endpoint.service.fullName;
      const spanName = `action '${name}'`;
      const site: SpanSite = {
        kind: "server",
        type: "action",
        role: "context",
        name: () => spanName,
        service: () => service,
        attributes: { "action.name": name, "action.rawName": rawName },
      };
      return (ctx) => {
        if (!sampled(ctx)) return next(ctx);
        const span = tracer.begin(site, ctx);
        span.extra = startExtra(actionTags, ctx);
        return settle(span, ctx, next(ctx), actionTags);
      };
    };

    mw.remoteAction = (next: ActionHandler, endpoint): ActionHandler => {
      const { name } = endpoint.action;
      const spanName = `call '${name}'`;
      const site: SpanSite = {
        kind: "client",
        type: "remoteAction",
        role: "caller",
        name: () => spanName,
        service: (ctx) => ctx.service?.fullName ?? endpoint.service.fullName,
        attributes: { "action.name": name, "remote.nodeID": endpoint.id },
      };
      return (ctx) => {
        if (!sampled(ctx)) return next(ctx);
        return settle(tracer.begin(site, ctx), ctx, next(ctx), undefined);
      };
    };
  }

  if (options.events !== false) {
    mw.localEvent = (next: EventHandler, endpoint): EventHandler => {
      const { name, group } = endpoint.event;
      const service = endpoint.service.fullName;
      const site: SpanSite = {
        kind: "consumer",
        type: "event",
        role: "context",
        name: (ctx) => `event '${ctx.eventName ?? name}' in '${service}'`,
        service: () => service,
        attributes: { "event.name": name, "event.group": group },
      };
      return (ctx) => {
        if (!sampled(ctx)) return next(ctx);
        const span = tracer.begin(site, ctx);
        span.extra = startExtra(eventTags, ctx);
        return settle(span, ctx, next(ctx), undefined);
      };
    };
  }
  return mw;
}
