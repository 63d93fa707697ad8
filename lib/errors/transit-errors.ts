import { NucleonError } from "./base";

/** What a transit error is about: the packet being built when it happened. */
export type PacketPart = "request" | "response" | "error" | "event" | "packet";

export interface SerializationErrorData {
  /** Which packet failed to encode. */
  what: PacketPart;
  action?: string;
  /** The serializer's own message (e.g. "Do not know how to serialize a BigInt"). */
  reason: string;
  /** For an error that could not be sent: its name and message (strings always serialize). */
  original?: { name: string; message: string };
}

/**
 * A value that cannot cross the wire: a BigInt, a Symbol, a circular or too
 * deeply nested object in params, a result or an error's `data`. Moleculer
 * answers such a call with the serializer's TypeError; this is the typed form.
 */
export class SerializationError extends NucleonError {
  declare data: SerializationErrorData;
  constructor(data: SerializationErrorData) {
    super(
      `Could not serialize the ${data.what}${data.action ? ` of '${data.action}'` : ""}: ${data.reason}`,
      500,
      "SERIALIZATION_ERROR",
      data,
    );
  }
}

export interface PayloadTooLargeErrorData {
  what: PacketPart;
  action?: string;
  /** Encoded packet size, bytes. */
  size: number;
  /** The largest packet the transport takes (NATS `max_payload`), bytes. */
  limit: number;
}

/** A packet larger than the transport carries: sent nowhere, and the caller told at once. */
export class PayloadTooLargeError extends NucleonError {
  declare data: PayloadTooLargeErrorData;
  constructor(data: PayloadTooLargeErrorData) {
    super(
      `The ${data.what}${data.action ? ` of '${data.action}'` : ""} is ${data.size} bytes, over the transport's limit of ${data.limit} bytes.`,
      413,
      "PAYLOAD_TOO_LARGE",
      data,
    );
  }
}
