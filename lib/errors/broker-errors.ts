import { ErrorData, NucleonClientError, NucleonError, NucleonRetryableError } from "./base";

export interface ActionErrorData {
  action: string;
  nodeID?: string;
}

export class ServiceNotFoundError extends NucleonRetryableError {
  constructor(data: ActionErrorData) {
    super(ServiceNotFoundError.message(data), 404, "SERVICE_NOT_FOUND", data);
  }

  /** Moleculer regenerates the message from data, so we do the same. */
  static message(data: ActionErrorData): string {
    return data.nodeID
      ? `Service '${data.action}' is not found on '${data.nodeID}' node.`
      : `Service '${data.action}' is not found.`;
  }
}

export class ServiceNotAvailableError extends NucleonRetryableError {
  constructor(data: ActionErrorData) {
    super(
      data.nodeID
        ? `Service '${data.action}' is not available on '${data.nodeID}' node.`
        : `Service '${data.action}' is not available.`,
      404,
      "SERVICE_NOT_AVAILABLE",
      data,
    );
  }
}

export class RequestTimeoutError extends NucleonRetryableError {
  constructor(data: ActionErrorData) {
    super(`Request is timed out when call '${data.action}' action on '${data.nodeID}' node.`, 504, "REQUEST_TIMEOUT", data);
  }
}

export class RequestSkippedError extends NucleonError {
  constructor(data: ActionErrorData) {
    super(`Calling '${data.action}' is skipped because timeout reached on '${data.nodeID}' node.`, 514, "REQUEST_SKIPPED", data);
  }
}

export class RequestRejectedError extends NucleonRetryableError {
  constructor(data: ActionErrorData) {
    super(`Request is rejected when call '${data.action}' action on '${data.nodeID}' node.`, 503, "REQUEST_REJECTED", data);
  }
}

export class QueueIsFullError extends NucleonRetryableError {
  constructor(data: ActionErrorData & { size?: number; limit?: number }) {
    super(`Queue is full. Request '${data.action}' action on '${data.nodeID}' node is rejected.`, 429, "QUEUE_FULL", data);
  }
}

/** One failing field: which property, which rule, and the value it got. */
export interface ValidationFieldError {
  field: string;
  type: string;
  message: string;
  actual?: unknown;
}

export class ValidationError extends NucleonClientError {
  declare data: ValidationFieldError[];
  constructor(message: string, type = "VALIDATION_ERROR", data: ValidationFieldError[] = []) {
    super(message, 422, type, data);
  }
}

export class MaxCallLevelError extends NucleonError {
  constructor(data: { nodeID?: string; level: number }) {
    super(`Request level is reached the limit (${data.level}) on '${data.nodeID}' node.`, 500, "MAX_CALL_LEVEL", data);
  }
}

export class ServiceSchemaError extends NucleonError {
  constructor(message: string, data?: ErrorData) {
    super(message, 500, "SERVICE_SCHEMA_ERROR", data);
  }
}

export class BrokerOptionsError extends NucleonError {
  constructor(message: string, data?: ErrorData) {
    super(message, 500, "BROKER_OPTIONS_ERROR", data);
  }
}

export class GracefulStopTimeoutError extends NucleonError {
  /** `name`/`version` as Moleculer sends them for a service; neither for the whole broker. */
  constructor(data: { name?: string; version?: number | string; nodeID?: string }) {
    super(
      data.name
        ? `Unable to stop '${data.name}' service gracefully.`
        : `Unable to stop ServiceBroker gracefully.`,
      500,
      "GRACEFUL_STOP_TIMEOUT",
      data,
    );
  }
}

export class ProtocolVersionMismatchError extends NucleonError {
  constructor(data: { nodeID: string; actual: string; received: string }) {
    super("Protocol version mismatch.", 500, "PROTOCOL_VERSION_MISMATCH", data);
  }
}

export class InvalidPacketDataError extends NucleonError {
  constructor(data: { type?: string; packet?: unknown; reason?: string }) {
    super(`Invalid packet data${data.reason ? `: ${data.reason}` : "."}`, 500, "INVALID_PACKET_DATA", data);
  }
}

/** Publishing while the transporter is disconnected. */
export class BrokerDisconnectedError extends NucleonRetryableError {
  constructor() {
    super("The broker's transporter has disconnected. Please try again when a connection is reestablished.", 502, "BAD_GATEWAY");
  }
}

/** `start()` gave up: the transporter did not connect within `transit.connectTimeout`. */
export class TransporterConnectTimeoutError extends NucleonError {
  /** `address` must come without credentials (the message is logged and shown). */
  constructor(data: { address: string; timeout: number }) {
    super(
      `Could not connect to ${data.address} within ${data.timeout} ms (transit.connectTimeout); is the server running? ` +
        `Set transit.connectTimeout to 0 to wait forever.`,
      503,
      "TRANSPORTER_CONNECT_TIMEOUT",
      data,
    );
  }
}

/** A plugin's driver package (an optional peer dependency) is not installed. */
export class MissingDriverError extends BrokerOptionsError {
  constructor(data: { package: string; plugin: string }) {
    super(`${data.plugin} needs the \`${data.package}\` package: npm install ${data.package}`, data);
  }
}
