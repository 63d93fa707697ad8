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
const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const MASK64 = 0xffffffffffffffffn;

/** FNV-1a over the UTF-16 code units, 16 hex digits, never all zeros (OTel rejects that id). */
function hash64(text: string): string {
  let h = FNV_OFFSET;
  for (let i = 0; i < text.length; i++) h = ((h ^ BigInt(text.charCodeAt(i))) * FNV_PRIME) & MASK64;
  const hex = h.toString(16).padStart(16, "0");
  return hex === ZERO16 ? "0000000000000001" : hex;
}

/** The 16-hex-digit OTel span id of a context id (what Moleculer's exporters send for it). */
export function spanIdOf(id: string): string {
  const stripped = id.replace(/-/g, "").toLowerCase();
  const match = HEX16.exec(stripped);
  return match !== null && match[0] !== ZERO16 ? match[0] : hash64(id);
}

/** The 32-hex-digit OTel trace id of a request id. */
export function traceIdOf(requestID: string): string {
  return ZERO16 + spanIdOf(requestID);
}

/** The span id of the caller-side span of a remote call whose context id is `ctxID`. */
export function callerSpanIdOf(ctxID: string): string {
  return hash64(`${ctxID}/caller`);
}
