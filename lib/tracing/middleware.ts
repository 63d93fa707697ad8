import type { Attributes, Span } from "@opentelemetry/api";
import type { Context } from "../context/context";
import type { Middleware } from "../middleware/middleware";
import type { ActionHandler, EventHandler } from "../registry/endpoint";
import { callerSpanIdOf, spanIdOf, traceIdOf } from "./ids";
import type { TagSpec, TracingOptions } from "./options";
import type { TraceSampler } from "./sampler";
import { endTags, startTags } from "./tags";
import type { Tracer } from "./tracer";

export interface TracingMiddlewareDeps {
  readonly tracer: Tracer;
  readonly sampler: TraceSampler;
  readonly options: TracingOptions;
  readonly nodeID: string;
}

/**
 * Spans as Moleculer makes them, on OpenTelemetry: one per action handler
 * (span id = the context's id), one per event handler, and one on the caller
 * side of each remote call (CLIENT kind, id derived from the context's id).
 * Sampling is decided once per root and travels in the context's `tracing`
 * flag (and so in REQ/EVENT packets): an unsampled call costs one flag check
 * and allocates nothing. Wrapping happens once per endpoint, not per call.
 */
export function tracingMiddleware(deps: TracingMiddlewareDeps): Middleware {
  const { tracer, sampler, options, nodeID } = deps;
  const sampled = (ctx: Context): boolean => ctx.tracing ?? (ctx.tracing = sampler.sample());
  const actionTags = options.tags?.action;
  const eventTags = options.tags?.event;

  /** Runs `next` inside a span made by `start` (only called for sampled contexts). */
  const traced = <R>(ctx: Context, span: Span, next: (ctx: Context) => Promise<R>, tags: TagSpec | undefined, onDone?: (span: Span) => void) =>
    next(ctx).then(
      (result) => {
        onDone?.(span);
        if (tags !== undefined) span.setAttributes(endTags(tags, ctx, result));
        tracer.endSpan(span);
        return result;
      },
      (err: unknown) => {
        tracer.endSpan(span, err ?? new Error("rejected"));
        throw err;
      },
    );

  const common = (ctx: Context, type: string, service: string): Attributes => ({
    "span.type": type,
    "service.name": service,
    nodeID,
    callerNodeID: ctx.nodeID,
    callingLevel: ctx.level,
    remoteCall: ctx.nodeID !== nodeID,
    requestID: ctx.requestID,
  });

  const parentOf = (ctx: Context): string | null => (ctx.parentID !== null ? spanIdOf(ctx.parentID) : null);
  const setCacheFlag = (ctx: Context) => (span: Span) => span.setAttribute("fromCache", ctx.cachedResult);

  const mw: Middleware = {
    name: "Tracing",
    // Flush what is queued when the broker stops; the provider stays usable for a restart.
    stopped: () => tracer.flush(),
  };

  if (options.actions !== false) {
    mw.localAction = (next: ActionHandler, endpoint): ActionHandler => {
      const { name, rawName } = endpoint.action;
      const service = endpoint.service.fullName;
      const spanName = `action '${name}'`;
      return (ctx) => {
        if (!sampled(ctx)) return next(ctx);
        const attributes = common(ctx, "action", service);
        attributes["action.name"] = name;
        attributes["action.rawName"] = rawName;
        if (ctx.options.timeout !== undefined) attributes["options.timeout"] = ctx.options.timeout;
        if (ctx.options.retries !== undefined) attributes["options.retries"] = ctx.options.retries;
        if (actionTags !== undefined) startTags(actionTags, ctx, attributes);
        const span = tracer.startSpan({
          name: spanName,
          kind: "server",
          traceId: traceIdOf(ctx.requestID),
          spanId: spanIdOf(ctx.id),
          parentSpanId: parentOf(ctx),
          attributes,
        });
        return traced(ctx, span, next, actionTags, setCacheFlag(ctx));
      };
    };

    mw.remoteAction = (next: ActionHandler, endpoint): ActionHandler => {
      const { name } = endpoint.action;
      const target = endpoint.id;
      const spanName = `call '${name}'`;
      return (ctx) => {
        if (!sampled(ctx)) return next(ctx);
        const attributes = common(ctx, "remoteAction", ctx.service?.fullName ?? endpoint.service.fullName);
        attributes["action.name"] = name;
        attributes["remote.nodeID"] = target;
        const span = tracer.startSpan({
          name: spanName,
          kind: "client",
          traceId: traceIdOf(ctx.requestID),
          spanId: callerSpanIdOf(ctx.id),
          parentSpanId: parentOf(ctx),
          attributes,
        });
        return traced(ctx, span, next, undefined);
      };
    };
  }

  if (options.events !== false) {
    mw.localEvent = (next: EventHandler, endpoint): EventHandler => {
      const { name, group } = endpoint.event;
      const service = endpoint.service.fullName;
      return (ctx) => {
        if (!sampled(ctx)) return next(ctx);
        const attributes = common(ctx, "event", service);
        attributes["event.name"] = name;
        attributes["event.group"] = group;
        if (ctx.eventName !== null) attributes.eventName = ctx.eventName;
        if (ctx.eventType !== null) attributes.eventType = ctx.eventType;
        if (eventTags !== undefined) startTags(eventTags, ctx, attributes);
        const span = tracer.startSpan({
          name: `event '${ctx.eventName ?? name}' in '${service}'`,
          kind: "consumer",
          traceId: traceIdOf(ctx.requestID),
          spanId: spanIdOf(ctx.id),
          parentSpanId: parentOf(ctx),
          attributes,
        });
        return traced(ctx, span, next, undefined);
      };
    };
  }
  return mw;
}
