import { PayloadTooLargeError, SerializationError, describeValue, isError, type PacketPart } from "../errors";
import type { Serializer } from "../serializers/serializer";
import type { Transporter } from "../transporters/transporter";
import type { RequestPacket, ResponsePacket } from "./packets";

/**
 * Encodes outgoing packets, turning the two ways a packet cannot leave into
 * typed errors instead of throws: the serializer refuses a value (BigInt,
 * Symbol, circular or too deep), or the bytes exceed what the transport
 * takes (NATS `max_payload`), which the transport would refuse without the
 * other side ever hearing of it.
 */
export class PacketEncoder {
  constructor(
    private readonly serializer: Serializer,
    private readonly transporter: Transporter,
  ) {}

  /** The bytes, or the error saying why this packet cannot be sent. */
  encode(packet: object, what: PacketPart, action?: string): Buffer | SerializationError | PayloadTooLargeError {
    let data: Buffer;
    try {
      data = this.serializer.serialize(packet);
    } catch (err) {
      return new SerializationError({ what, action, reason: reasonOf(err) });
    }
    return this.checked(data, what, action);
  }

  /** A call's REQ as `requestPacket` builds it (the serializer's fast path when it has one). */
  request(packet: RequestPacket): Buffer | SerializationError | PayloadTooLargeError {
    const serializer = this.serializer;
    // A stream packet carries more fields than the fast path writes.
    if (serializer.serializeRequest === undefined || packet.stream !== false) return this.encode(packet, "request", packet.action);
    let data: Buffer;
    try {
      data = serializer.serializeRequest(packet);
    } catch (err) {
      return new SerializationError({ what: "request", action: packet.action, reason: reasonOf(err) });
    }
    return this.checked(data, "request", packet.action);
  }

  /** A RES as the responder builds it (the serializer's fast path when it has one). */
  response(packet: ResponsePacket, what: "response" | "error", action: string): Buffer | SerializationError | PayloadTooLargeError {
    const serializer = this.serializer;
    if (serializer.serializeResponse === undefined) return this.encode(packet, what, action);
    let data: Buffer;
    try {
      data = serializer.serializeResponse(packet);
    } catch (err) {
      return new SerializationError({ what, action, reason: reasonOf(err) });
    }
    return this.checked(data, what, action);
  }

  private checked(data: Buffer, what: PacketPart, action: string | undefined): Buffer | PayloadTooLargeError {
    const limit = this.transporter.maxPayload;
    if (limit > 0 && data.length > limit) return new PayloadTooLargeError({ what, action, size: data.length, limit });
    return data;
  }
}

/** A serializer's failure as one line (a stack overflow says so instead of its generic text). */
export function reasonOf(err: unknown): string {
  if (err instanceof RangeError && /call stack/i.test(err.message)) return "the value is circular or nested too deeply";
  return isError(err) ? err.message : describeValue(err);
}
