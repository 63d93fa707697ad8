import type { PacketCommand } from "../transporters/packet-command";
import type {
  DisconnectPacket,
  DiscoverPacket,
  EventPacket,
  HeartbeatPacket,
  IncomingPacket,
  InfoPacket,
  PacketBase,
  PingPacket,
  PongPacket,
  RequestPacket,
  ResponsePacket,
} from "./packets";

/**
 * One guard per command: a decoded payload becomes a typed packet only
 * through these, so no handler casts. A required field must be there with
 * its type; an optional one may be absent or `null` (Moleculer treats the
 * two alike) but, when present, must have its type. A packet that fails is
 * logged and dropped by the intake, with the field named.
 */

type Fields = Record<string, unknown>;
type Value = (v: unknown) => boolean;

/**
 * The field the last failing guard stopped at. Guards are type predicates
 * (so the packet is typed without a cast) and run synchronously, so one
 * slot suffices to carry the field name out of them.
 */
let badField = "";

function fail(field: string): false {
  badField = field;
  return false;
}

const isString = (v: unknown): v is string => typeof v === "string";
const isNumber = (v: unknown) => typeof v === "number";
const isBoolean = (v: unknown) => typeof v === "boolean";
const isObject = (v: unknown) => typeof v === "object" && v !== null;
const isRecord = (v: unknown): v is Fields => isObject(v) && !Array.isArray(v);
const isStringArray = (v: unknown) => Array.isArray(v) && v.every(isString);
const isNamed = (v: unknown) => isRecord(v) && isString(v.name);
const isClient = (v: unknown) => isRecord(v) && isString(v.type) && isString(v.version) && isString(v.langVersion);

function required(p: Fields, key: string, ok: Value): boolean {
  return ok(p[key]) || fail(key);
}

function optional(p: Fields, key: string, ok: Value): boolean {
  const v = p[key];
  return v === undefined || v === null || ok(v) || fail(key);
}

/** Fields REQ and EVENT share: the caller's context. */
function contextFields(p: Fields): boolean {
  return (
    optional(p, "meta", isRecord) &&
    optional(p, "headers", isRecord) &&
    optional(p, "level", isNumber) &&
    optional(p, "tracing", isBoolean) &&
    optional(p, "parentID", isString) &&
    optional(p, "requestID", isString) &&
    optional(p, "caller", isString)
  );
}

export function isRequestPacket(p: Fields): p is Fields & RequestPacket {
  return (
    required(p, "id", isString) &&
    required(p, "action", isString) &&
    contextFields(p) &&
    optional(p, "timeout", isNumber) &&
    optional(p, "stream", isBoolean) &&
    // A stream chunk without `seq` is never handled by Moleculer either.
    (p.stream === true ? required(p, "seq", isNumber) : optional(p, "seq", isNumber)) &&
    optional(p, "window", isNumber) &&
    optional(p, "credit", isNumber)
  );
}

export function isResponsePacket(p: Fields): p is Fields & ResponsePacket {
  return (
    required(p, "id", isString) &&
    required(p, "success", isBoolean) &&
    // A failure without an error object would leave a Moleculer caller waiting.
    (p.success === false ? required(p, "error", isObject) : true) &&
    optional(p, "meta", isRecord) &&
    optional(p, "headers", isRecord) &&
    optional(p, "stream", isBoolean) &&
    optional(p, "seq", isNumber) &&
    optional(p, "window", isNumber) &&
    optional(p, "credit", isNumber)
  );
}

export function isEventPacket(p: Fields): p is Fields & EventPacket {
  return (
    required(p, "event", isString) &&
    optional(p, "id", isString) &&
    optional(p, "groups", isStringArray) &&
    optional(p, "broadcast", isBoolean) &&
    contextFields(p)
  );
}

export function isInfoPacket(p: Fields): p is Fields & InfoPacket {
  return (
    (Array.isArray(p.services) ? p.services.every(isNamed) || fail("services[].name") : fail("services")) &&
    optional(p, "ipList", isStringArray) &&
    optional(p, "hostname", isString) &&
    optional(p, "client", isClient) &&
    optional(p, "config", isRecord) &&
    optional(p, "instanceID", isString) &&
    optional(p, "metadata", isRecord) &&
    optional(p, "seq", isNumber)
  );
}

export function isDiscoverPacket(p: Fields): p is Fields & DiscoverPacket {
  return optional(p, "instanceID", isString);
}

export function isHeartbeatPacket(p: Fields): p is Fields & HeartbeatPacket {
  return optional(p, "cpu", isNumber);
}

export function isPingPacket(p: Fields): p is Fields & PingPacket {
  return required(p, "time", isNumber) && optional(p, "id", isString);
}

export function isPongPacket(p: Fields): p is Fields & PongPacket {
  return required(p, "time", isNumber) && required(p, "id", isString) && required(p, "arrived", isNumber);
}

export function isDisconnectPacket(p: Fields): p is Fields & DisconnectPacket {
  return optional(p, "instanceID", isString);
}

/** What every packet carries: a payload object, a non-empty `sender` and a `ver`. */
function isPacket(payload: unknown): payload is Fields & PacketBase {
  if (!isRecord(payload)) return fail("payload");
  if (!isString(payload.sender) || payload.sender.length === 0) return fail("sender");
  return required(payload, "ver", isString);
}

/** The typed packet, or the name of its first bad field. */
export function checkPacket(cmd: PacketCommand, payload: unknown): IncomingPacket | string {
  if (!isPacket(payload)) return badField;
  const p: Fields & PacketBase = payload;
  switch (cmd) {
    case "REQ":
    case "REQB":
      return isRequestPacket(p) ? { cmd, payload: p } : badField;
    case "RES":
      return isResponsePacket(p) ? { cmd, payload: p } : badField;
    case "EVENT":
    case "EVENTB":
      return isEventPacket(p) ? { cmd, payload: p } : badField;
    case "INFO":
      return isInfoPacket(p) ? { cmd, payload: p } : badField;
    case "DISCOVER":
      return isDiscoverPacket(p) ? { cmd, payload: p } : badField;
    case "HEARTBEAT":
      return isHeartbeatPacket(p) ? { cmd, payload: p } : badField;
    case "PING":
      return isPingPacket(p) ? { cmd, payload: p } : badField;
    case "PONG":
      return isPongPacket(p) ? { cmd, payload: p } : badField;
    case "DISCONNECT":
      return isDisconnectPacket(p) ? { cmd, payload: p } : badField;
  }
}
