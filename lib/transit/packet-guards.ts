import type { PacketCommand } from "../transporters/transporter";

/**
 * Shape checks for incoming payloads: a packet that fails one is logged and
 * dropped, never handed on. Only the fields each handler relies on are
 * checked; a missing optional field and `null` mean the same.
 */
type Check = (p: Record<string, unknown>) => string | null;

const isString = (v: unknown): v is string => typeof v === "string";
const isObjectOrNull = (v: unknown) => v === undefined || v === null || (typeof v === "object" && !Array.isArray(v));
const isStringArray = (v: unknown) => Array.isArray(v) && v.every(isString);

const CHECKS: Partial<Record<PacketCommand, Check>> = {
  REQ: (p) =>
    !isString(p.id) ? "id" : !isString(p.action) ? "action" : !isObjectOrNull(p.meta) ? "meta" : p.stream === true && typeof p.seq !== "number" ? "seq" : null,
  RES: (p) =>
    !isString(p.id)
      ? "id"
      : typeof p.success !== "boolean"
        ? "success"
        : p.success === false && (typeof p.error !== "object" || p.error === null)
          ? "error"
          : !isObjectOrNull(p.meta)
            ? "meta"
            : null,
  EVENT: (p) =>
    !isString(p.event)
      ? "event"
      : p.groups !== undefined && p.groups !== null && !isStringArray(p.groups)
        ? "groups"
        : !isObjectOrNull(p.meta)
          ? "meta"
          : null,
  INFO: (p) =>
    !Array.isArray(p.services)
      ? "services"
      : !p.services.every((s) => typeof s === "object" && s !== null && isString((s as { name?: unknown }).name))
        ? "services[].name"
        : null,
  HEARTBEAT: (p) => (p.cpu !== undefined && p.cpu !== null && typeof p.cpu !== "number" ? "cpu" : null),
  PING: (p) => (typeof p.time !== "number" ? "time" : null),
  PONG: (p) => (typeof p.time !== "number" ? "time" : typeof p.arrived !== "number" ? "arrived" : null),
};

/** `null` when the payload is usable, else the name of the first bad field. */
export function invalidField(cmd: PacketCommand, payload: unknown): string | null {
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) return "payload";
  const p = payload as Record<string, unknown>;
  if (!isString(p.sender) || p.sender.length === 0) return "sender";
  if (!isString(p.ver)) return "ver";
  const check = CHECKS[cmd === "REQB" ? "REQ" : cmd === "EVENTB" ? "EVENT" : cmd];
  return check ? check(p) : null;
}
