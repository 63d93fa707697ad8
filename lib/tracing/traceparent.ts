import type { Context } from "../context/context";
import { callerSpanIdOf, spanIdOf, traceIdOf } from "./ids";

/**
 * W3C Trace Context's `traceparent` (`00-<trace id>-<parent span id>-<flags>`)
 * in protocol v5 `headers`. Sent on REQ and EVENT packets; read from any
 * context's headers (a v5 packet's, or a call's `headers` option, e.g. a
 * gateway passing on an HTTP client's), and preferred there over the ids
 * mapped from `requestID`/`parentID`.
 */
export const TRACEPARENT = "traceparent";

export interface TraceParent {
  traceId: string;
  parentSpanId: string;
  sampled: boolean;
}

const FORMAT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(?:-|$)/;
const ZERO_TRACE = "0".repeat(32);
const ZERO_SPAN = "0".repeat(16);

/** The header's fields, or null when it is not a valid `traceparent` (version ff, all-zero ids, bad shape). */
export function parseTraceparent(value: unknown): TraceParent | null {
  if (typeof value !== "string" || value.length < 55) return null;
  const m = FORMAT.exec(value);
  if (m === null || m[1] === "ff" || m[2] === ZERO_TRACE || m[3] === ZERO_SPAN) return null;
  // Version 00 is exactly 55 characters; a later version may append fields.
  if (m[1] === "00" && value.length !== 55) return null;
  return { traceId: m[2], parentSpanId: m[3], sampled: (parseInt(m[4], 16) & 1) === 1 };
}

export function formatTraceparent(traceId: string, parentSpanId: string, sampled: boolean): string {
  return `00-${traceId}-${parentSpanId}-${sampled ? "01" : "00"}`;
}

/** The traceparent a context's headers carry, if valid. */
export function traceparentOf(ctx: Context): TraceParent | null {
  if (!ctx.hasHeaders) return null;
  const value = ctx.headers[TRACEPARENT];
  return value === undefined ? null : parseTraceparent(value);
}

/**
 * Makes a context follow the traceparent in its headers: when it names
 * another trace than the context's `requestID` maps to (a foreign tracer
 * started it), the W3C trace id becomes the `requestID`, so every call and
 * event under this context stays in that trace; an unset sampling flag takes
 * the header's. A traceparent nucleon sent itself already agrees: no change.
 */
export function adoptTraceparent(ctx: Context): void {
  const parent = traceparentOf(ctx);
  if (parent === null) return;
  if (traceIdOf(ctx.requestID) !== parent.traceId) ctx.requestID = parent.traceId;
  if (ctx.tracing === null) ctx.tracing = parent.sampled;
}

/** What an outgoing REQ or EVENT says of its context (the packet's fields). */
export interface PacketIds {
  id: string;
  requestID: string;
  parentID: string | null;
  tracing: boolean | null;
}

/**
 * The traceparent for an outgoing packet. A REQ's parent span is the
 * caller-side (CLIENT) span of the call when there is one; an EVENT's (and a
 * REQ's without a CLIENT span) is the emitting or calling handler's span;
 * a root emit has no parent span, so no traceparent.
 */
export function outgoingTraceparent(kind: "REQ" | "EVENT", p: PacketIds, clientSpans: boolean): string | null {
  const sampled = p.tracing === true;
  let parent: string;
  if (kind === "REQ" && clientSpans && sampled) parent = callerSpanIdOf(p.id);
  else if (p.parentID !== null) parent = spanIdOf(p.parentID);
  else return null;
  return formatTraceparent(traceIdOf(p.requestID), parent, sampled);
}
