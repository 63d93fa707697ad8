import type { Readable } from "node:stream";
import type { EventPacket, RequestPacket } from "./packets";
import { withoutFlags } from "./streams/stream-packets";
import type { Context, TransitHost } from "./transit-host";

/** Contexts are made by the host (they call back into it); transit fills in what crossed the wire. */
type ContextMaker = Pick<TransitHost, "createContext">;

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
  // v5: the caller's headers (a v4 packet has none).
  if (p.headers) ctx.headers = p.headers;
  return ctx;
}

/**
 * A REQ's context; its `timeout` (if any) becomes the call's own timeout.
 * With a request stream the timeout is the stream's idle timeout instead
 * (see transit/streams): a long upload that keeps moving never times out;
 * a Moleculer 0.14 caller sends `null` params, read as `{}`.
 */
export function requestContext(host: ContextMaker, p: RequestPacket, stream?: Readable): Context {
  if (stream === undefined) return fill(host.createContext(p.params, typeof p.timeout === "number" ? { timeout: p.timeout } : {}), p);
  // timeout 0, not absent: the broker's requestTimeout would otherwise cut a long transfer that keeps moving.
  const ctx = fill(host.createContext(p.params ?? {}, { timeout: 0 }), p);
  ctx.stream = stream;
  const meta = withoutFlags(ctx.hasMeta ? ctx.meta : undefined);
  if (meta) ctx.meta = meta;
  if (ctx.hasHeaders) ctx.headers = withoutFlags(ctx.headers) ?? {};
  return ctx;
}

export function eventContext(host: ContextMaker, p: EventPacket): Context {
  const ctx = fill(host.createContext(p.data, {}), p);
  ctx.eventName = p.event;
  ctx.eventType = p.broadcast ? "broadcast" : "emit";
  ctx.eventGroups = Array.isArray(p.groups) ? p.groups : null;
  return ctx;
}
