/*
 * Moleculer ids ↔ OpenTelemetry ids, deterministic so that one call tree is
 * one trace whichever node (nucleon or Moleculer) exports a span of it.
 *
 * Moleculer's spans use `ctx.requestID` as the trace id, `ctx.id` as the
 * span id and `ctx.parentID` as the parent; its Zipkin exporter sends an id
 * as its first 16 hex digits without dashes (`convertID`). So, for the UUIDs
 * both frameworks generate:
 *   span id  = first 16 hex digits of the id, dashes removed
 *   trace id = 16 zeros + span id of the requestID (32 hex digits; Zipkin
 *              stores a 128-bit id with zero high bits as the 64-bit one,
 *              so Moleculer's 16-digit trace ids and ours meet)
 * Ids that are not (at least 16 digits of) hex, such as a requestID taken
 * from an HTTP header, are hashed (FNV-1a, 64 bits) instead: still
 * deterministic across nucleon nodes, though Moleculer's exporters cannot
 * match them. A caller-side span has no context of its own, so its id is
 * the hash of `<ctx.id>/caller`.
 */

const HEX16 = /^[0-9a-f]{16}/;
const ZERO16 = "0000000000000000";

const hex4 = (n: number): string => n.toString(16).padStart(4, "0");

/**
 * FNV-1a (64 bits) over the UTF-16 code units, 16 hex digits, never all
 * zeros (OTel rejects that id). In four 16-bit limbs, so every step stays a
 * small integer: the prime is 2^40 + 0x1b3, so h·prime adds h·0x1b3 and h
 * shifted up by 40 bits (limbs 0 and 1, moved 8 bits into limbs 2 and 3).
 */
function hash64(text: string): string {
  let h0 = 0x2325;
  let h1 = 0x8422;
  let h2 = 0x9ce4;
  let h3 = 0xcbf2;
  for (let i = 0; i < text.length; i++) {
    h0 ^= text.charCodeAt(i);
    const t0 = h0 * 0x1b3;
    const t1 = h1 * 0x1b3 + (t0 >>> 16);
    const t2 = h2 * 0x1b3 + (h0 << 8) + (t1 >>> 16);
    const t3 = h3 * 0x1b3 + (h1 << 8) + (t2 >>> 16);
    h0 = t0 & 0xffff;
    h1 = t1 & 0xffff;
    h2 = t2 & 0xffff;
    h3 = t3 & 0xffff;
  }
  const hex = hex4(h3) + hex4(h2) + hex4(h1) + hex4(h0);
  return hex === ZERO16 ? "0000000000000001" : hex;
}

/** The 16-hex-digit OTel span id of a context id (what Moleculer's exporters send for it). */
export function spanIdOf(id: string): string {
  const stripped = id.replace(/-/g, "").toLowerCase();
  const match = HEX16.exec(stripped);
  return match !== null && match[0] !== ZERO16 ? match[0] : hash64(id);
}

const W3C_TRACE_ID = /^[0-9a-f]{32}$/;

/**
 * The 32-hex-digit OTel trace id of a request id. A request id that is
 * already one (32 lowercase hex digits, no dashes: a W3C trace id adopted
 * from a `traceparent`) is its own trace id.
 */
export function traceIdOf(requestID: string): string {
  if (requestID.length === 32 && W3C_TRACE_ID.test(requestID) && requestID !== ZERO16 + ZERO16) return requestID;
  return ZERO16 + spanIdOf(requestID);
}

/** The span id of the caller-side span of a remote call whose context id is `ctxID`. */
export function callerSpanIdOf(ctxID: string): string {
  return hash64(`${ctxID}/caller`);
}

/** The span id of the cache read of the context `ctxID` (tracing's `cache` option). */
export function cacheSpanIdOf(ctxID: string): string {
  return hash64(`${ctxID}/cache`);
}
