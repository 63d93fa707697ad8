/**
 * Errors on the wire (protocol §7): the RES `error` object (also the stream
 * `$streamError`), in the exact shape Moleculer's `Regenerator.extractPlainError`
 * sends, and the reverse rebuild, which mirrors `Regenerator.restore`.
 */
import { NucleonClientError, NucleonError, NucleonRetryableError, NucleonServerError } from "./base";
import {
  type ActionErrorData,
  BrokerDisconnectedError,
  BrokerOptionsError,
  GracefulStopTimeoutError,
  InvalidPacketDataError,
  MaxCallLevelError,
  ProtocolVersionMismatchError,
  QueueIsFullError,
  RequestRejectedError,
  RequestSkippedError,
  RequestTimeoutError,
  ServiceNotAvailableError,
  ServiceNotFoundError,
  ServiceSchemaError,
  ValidationError,
} from "./broker-errors";
import { toError } from "./thrown";
import { PayloadTooLargeError, type PayloadTooLargeErrorData, SerializationError, type SerializationErrorData } from "./transit-errors";

/** The plain error object of a RES `error` field. Undefined fields vanish in the serializer. */
export interface ErrorPayload {
  name: string;
  message: string;
  /** Node where the error was raised. */
  nodeID: string;
  code: number;
  type: string | undefined;
  /** Always sent: Moleculer copies the received value even when absent. */
  retryable: boolean;
  stack: string | undefined;
  data: unknown;
}

/** Our four base classes travel under Moleculer's names; every other name is shared. */
const TO_WIRE_NAME = new Map<string, string>([
  ["NucleonError", "MoleculerError"],
  ["NucleonRetryableError", "MoleculerRetryableError"],
  ["NucleonServerError", "MoleculerServerError"],
  ["NucleonClientError", "MoleculerClientError"],
]);

type Fields = Record<string, unknown>;

function isObject(value: unknown): value is Fields {
  return typeof value === "object" && value !== null;
}

/** Never throws (e.g. `String(Object.create(null))` does). */
function toText(value: unknown): string {
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/**
 * Error → wire payload, as Moleculer's `extractPlainError`: the same eight keys,
 * `nodeID` defaulting to this node's. Anything thrown that is not an error
 * (`null` included) is wrapped by `toError`, as Moleculer's error handler wraps
 * it in a `MoleculerError`.
 */
export function errorToPayload(err: unknown, nodeID: string): ErrorPayload {
  // Error-like also covers errors from another realm and plain `{name, message}` objects.
  const errorLike = err instanceof Error || (isObject(err) && typeof err.message === "string");
  const e = (errorLike ? err : toError(err)) as unknown as Fields;
  const name = typeof e.name === "string" && e.name !== "" ? e.name : "Error";
  return {
    name: TO_WIRE_NAME.get(name) ?? name,
    message: typeof e.message === "string" ? e.message : toText(e.message),
    nodeID: typeof e.nodeID === "string" && e.nodeID !== "" ? e.nodeID : nodeID,
    // Plain errors carry no HTTP-like code (Node's are strings such as "ENOENT").
    code: typeof e.code === "number" ? e.code : 500,
    type: typeof e.type === "string" ? e.type : undefined,
    retryable: typeof e.retryable === "boolean" ? e.retryable : false,
    stack: typeof e.stack === "string" ? e.stack : undefined,
    data: e.data,
  };
}

/** The ctor's data argument: our classes read fields from it, so never pass a non-object. */
function ctorData<T>(data: unknown): T {
  return (isObject(data) ? data : {}) as unknown as T;
}

type Rebuild = (message: string, data: unknown) => NucleonError;

/**
 * How each known name is constructed (Moleculer's `recreateError` table). The
 * shared fields are overwritten from the payload afterwards.
 */
const REBUILD = new Map<string, Rebuild>([
  ["NucleonError", (m) => new NucleonError(m)],
  ["NucleonRetryableError", (m) => new NucleonRetryableError(m)],
  ["NucleonServerError", (m) => new NucleonServerError(m)],
  ["NucleonClientError", (m) => new NucleonClientError(m)],
  ["ValidationError", (m) => new ValidationError(m)],
  ["ServiceNotFoundError", (_m, d) => new ServiceNotFoundError(ctorData<ActionErrorData>(d))],
  ["ServiceNotAvailableError", (_m, d) => new ServiceNotAvailableError(ctorData<ActionErrorData>(d))],
  ["RequestTimeoutError", (_m, d) => new RequestTimeoutError(ctorData<ActionErrorData>(d))],
  ["RequestSkippedError", (_m, d) => new RequestSkippedError(ctorData<ActionErrorData>(d))],
  ["RequestRejectedError", (_m, d) => new RequestRejectedError(ctorData<ActionErrorData>(d))],
  ["QueueIsFullError", (_m, d) => new QueueIsFullError(ctorData<ActionErrorData>(d))],
  ["MaxCallLevelError", (_m, d) => new MaxCallLevelError(ctorData<{ level: number }>(d))],
  ["GracefulStopTimeoutError", (_m, d) => new GracefulStopTimeoutError(ctorData<{ name?: string; version?: number | string }>(d))],
  [
    "ProtocolVersionMismatchError",
    (_m, d) => new ProtocolVersionMismatchError(ctorData<{ nodeID: string; actual: string; received: string }>(d)),
  ],
  ["InvalidPacketDataError", (_m, d) => new InvalidPacketDataError(ctorData<{ reason?: string }>(d))],
  ["ServiceSchemaError", (m, d) => new ServiceSchemaError(m, d)],
  ["BrokerOptionsError", (m, d) => new BrokerOptionsError(m, d)],
  ["SerializationError", (_m, d) => new SerializationError(ctorData<SerializationErrorData>(d))],
  ["PayloadTooLargeError", (_m, d) => new PayloadTooLargeError(ctorData<PayloadTooLargeErrorData>(d))],
  // Missing from Moleculer's table (a Moleculer caller gets a plain Error); we rebuild it properly.
  ["BrokerDisconnectedError", () => new BrokerDisconnectedError()],
]);

const FROM_WIRE_NAME = new Map<string, string>([...TO_WIRE_NAME].map(([ours, theirs]) => [theirs, ours]));

/**
 * Moleculer's ServiceNotFoundError constructor regenerates the message from
 * data, including a `{service, version}` form our constructor lacks.
 */
function serviceNotFoundMessage(data: unknown): string | undefined {
  if (!isObject(data)) return undefined;
  let msg: string | undefined;
  if (data.nodeID && data.action) msg = `Service '${data.action}' is not found on '${data.nodeID}' node.`;
  else if (data.action) msg = `Service '${data.action}' is not found.`;
  if (data.service && data.version) msg = `Service '${data.version}.${data.service}' not found.`;
  else if (data.service) msg = `Service '${data.service}' not found.`;
  return msg;
}

/**
 * Wire payload → error of the right class (by name), with the remote message,
 * code, type, data, retryable, nodeID (`fallbackNodeID`, normally the packet's
 * sender, when absent) and stack. Unknown names give a `NucleonError` that
 * keeps the remote `name`. Never throws: a payload that is not an object with
 * a `name` gives an `InvalidPacketDataError`.
 */
export function payloadToError(payload: unknown, fallbackNodeID: string): NucleonError {
  if (!isObject(payload) || typeof payload.name !== "string" || payload.name === "") {
    const err = new InvalidPacketDataError({
      packet: payload,
      reason: isObject(payload) ? "the error has no name" : "the error is not an object",
    });
    err.nodeID = fallbackNodeID;
    return err;
  }

  const remoteName = payload.name;
  const name = FROM_WIRE_NAME.get(remoteName) ?? remoteName;
  const message =
    typeof payload.message === "string" ? payload.message : payload.message == null ? "" : toText(payload.message);
  const data: unknown = payload.data;

  const rebuild = REBUILD.get(name);
  const err = rebuild ? rebuild(message, data) : new NucleonError(message);
  if (!rebuild) err.name = remoteName;

  err.message = name === "ServiceNotFoundError" ? (serviceNotFoundMessage(data) ?? message) : message;
  if (typeof payload.code === "number") err.code = payload.code;
  if (typeof payload.type === "string") err.type = payload.type;
  // Keep the ctor's value (e.g. ValidationError's []) when nothing was sent.
  if (data !== undefined) err.data = data;
  if (typeof payload.retryable === "boolean") err.retryable = payload.retryable;
  err.nodeID = typeof payload.nodeID === "string" && payload.nodeID !== "" ? payload.nodeID : fallbackNodeID;
  if (typeof payload.stack === "string" && payload.stack !== "") err.stack = payload.stack;
  return err;
}
