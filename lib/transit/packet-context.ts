import { Context } from "../context/context";
import type { ServiceBroker } from "../broker/service-broker";
import type { EventPacket, RequestPacket } from "./packets";

/** Fields REQ and EVENT share: the caller's context as it crossed the wire. */
function fill(ctx: Context, p: RequestPacket | EventPacket): Context {
  if (typeof p.id === "string") ctx.id = p.id;
  if (typeof p.requestID === "string") ctx.requestID = p.requestID;
  ctx.parentID = typeof p.parentID === "string" ? p.parentID : null;
  ctx.level = typeof p.level === "number" ? p.level : 1;
  ctx.caller = typeof p.caller === "string" ? p.caller : null;
  ctx.tracing = typeof p.tracing === "boolean" ? p.tracing : null;
  ctx.nodeID = p.sender;
  ctx.remote = true;
  if (p.meta) ctx.meta = p.meta;
  return ctx;
}

/** A REQ's context; its `timeout` (if any) becomes the call's own timeout. */
export function requestContext(broker: ServiceBroker, p: RequestPacket): Context {
  return fill(new Context(broker, p.params, typeof p.timeout === "number" ? { timeout: p.timeout } : {}), p);
}

export function eventContext(broker: ServiceBroker, p: EventPacket): Context {
  const ctx = fill(new Context(broker, p.data, {}), p);
  ctx.eventName = p.event;
  ctx.eventType = p.broadcast ? "broadcast" : "emit";
  ctx.eventGroups = Array.isArray(p.groups) ? p.groups : null;
  return ctx;
}
