import type { PacketPart } from "../errors";
import { balancedEventTopic, balancedRequestTopic, topicName } from "../transporters/base";
import type { Transporter } from "../transporters/transporter";
import type { PacketEncoder } from "./packet-encoder";
import type { EventPacket, PacketBase, RequestPacket, ResponsePacket } from "./packets";
import type { ControlCommand, OutgoingPacket, PublishFunction, SendFunction, TransitHooks } from "./transit-hooks";

/**
 * Every packet transit sends leaves through here (RES through the
 * `Responder`, which gets `hooked`). Without `transitPublish` or
 * `transporterSend` middlewares a packet is encoded and handed to the
 * transporter directly, as it always was; with them, the packet goes
 * through `transitPublish`, is encoded, and its bytes go through
 * `transporterSend` to the transport. The hooks are composed here, once.
 *
 * Nothing here throws: a transporter's synchronous throw becomes a
 * rejection, with an inline try (a closure per packet would cost on the hot path).
 */
export class Outbox {
  /** The composed publish, or null while no middleware hooks publishing or sending. */
  hooked: PublishFunction | null = null;

  constructor(
    private readonly encoder: PacketEncoder,
    private readonly transporter: Transporter,
    private readonly prefix: string,
  ) {}

  /**
   * Composes the hooks over the direct path, once per start (middlewares
   * can be added until then). A hook that wraps nothing (returns `next`)
   * leaves the direct path in place.
   */
  compose(hooks: TransitHooks): void {
    const { encoder, transporter, prefix } = this;
    const wire: SendFunction = (_topic, data, meta) => route(transporter, meta.packet, data);
    const send = hooks.send?.(wire) ?? wire;
    const encodeAndSend: PublishFunction = (packet) => {
      const data = encoder.encode(packet.payload, partOf(packet), actionOf(packet));
      if (data instanceof Error) return Promise.reject(data);
      const balanced = packet.target === null && (packet.type === "REQ" || packet.type === "EVENT");
      return send(topicOf(prefix, packet), data, balanced ? { packet, balanced } : { packet });
    };
    const publish = hooks.publish?.(encodeAndSend) ?? encodeAndSend;
    this.hooked = publish === encodeAndSend && send === wire ? null : publish;
  }

  /** INFO, DISCOVER, HEARTBEAT, PING, PONG, DISCONNECT. */
  control(type: ControlCommand, target: string | null, payload: PacketBase & Record<string, unknown>): Promise<void> {
    const hooked = this.hooked;
    if (hooked !== null) return publish(hooked, { type, target, payload });
    const data = this.encoder.encode(payload, "packet");
    if (data instanceof Error) return Promise.reject(data);
    try {
      return this.transporter.publish(type, target, data);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /**
   * A REQ's bytes, encoded before transit registers the request so a packet
   * that cannot be sent leaves no pending entry; `null` with hooks, which
   * run first (a failure then rejects `request()`, taking the entry back).
   */
  encodeRequest(packet: RequestPacket): Buffer | Error | null {
    return this.hooked !== null ? null : this.encoder.request(packet);
  }

  /** Sends a REQ to `target`, or through the transport's balancer when `null`; `data` from `encodeRequest`. */
  request(packet: RequestPacket, target: string | null, data: Buffer | null): Promise<void> {
    if (this.hooked !== null) return publish(this.hooked, { type: "REQ", target, payload: packet });
    if (data === null) return Promise.reject(new Error("Without hooks, a REQ is sent with the bytes encodeRequest() gave"));
    try {
      return target === null ? this.transporter.publishBalancedRequest(packet.action, data) : this.transporter.publish("REQ", target, data);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /**
   * One packet of a stream (or a credit). Rejects, nothing sent, with the
   * encoder's error when the packet cannot leave (`PayloadTooLargeError`:
   * the stream sender then halves its chunks).
   */
  stream(packet: { type: "REQ"; target: string | null; payload: RequestPacket } | { type: "RES"; target: string; payload: ResponsePacket }): Promise<void> {
    if (this.hooked !== null) return publish(this.hooked, packet);
    const data = this.encoder.encode(packet.payload, packet.type === "REQ" ? "request" : "response");
    if (data instanceof Error) return Promise.reject(data);
    try {
      if (packet.target === null && packet.type === "REQ") return this.transporter.publishBalancedRequest(packet.payload.action, data);
      return this.transporter.publish(packet.type, packet.target, data);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** One EVENT to a node. */
  event(target: string, packet: EventPacket): Promise<void> {
    if (this.hooked !== null) return publish(this.hooked, { type: "EVENT", target, payload: packet });
    const data = this.encoder.encode(packet, "event", packet.event);
    if (data instanceof Error) return Promise.reject(data);
    try {
      return this.transporter.publish("EVENT", target, data);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** One EVENT to `EVENTB.<group>.<event>`: the transport picks the handler. `packet.groups` is `[group]`. */
  balancedEvent(group: string, packet: EventPacket): Promise<void> {
    if (this.hooked !== null) return publish(this.hooked, { type: "EVENT", target: null, payload: packet });
    const data = this.encoder.encode(packet, "event", packet.event);
    if (data instanceof Error) return Promise.reject(data);
    try {
      return this.transporter.publishBalancedEvent(packet.event, group, data);
    } catch (err) {
      return Promise.reject(err);
    }
  }

}

/** Through the composed hooks; a middleware's synchronous throw becomes a rejection. */
function publish(hooked: PublishFunction, packet: OutgoingPacket): Promise<void> {
  try {
    return hooked(packet);
  } catch (err) {
    return Promise.reject(err);
  }
}

/** The transport call for a packet's bytes (Moleculer's `prepublish`: no target on REQ/EVENT means balanced). */
function route(transporter: Transporter, packet: OutgoingPacket, data: Buffer): Promise<void> {
  try {
    if (packet.target === null && packet.type === "REQ") return transporter.publishBalancedRequest(packet.payload.action, data);
    if (packet.target === null && packet.type === "EVENT") {
      const group = packet.payload.groups?.[0];
      if (group === undefined) return Promise.reject(new Error(`A balanced EVENT '${packet.payload.event}' needs its group`));
      return transporter.publishBalancedEvent(packet.payload.event, group, data);
    }
    return transporter.publish(packet.type, packet.target, data);
  } catch (err) {
    return Promise.reject(err);
  }
}

function topicOf(prefix: string, packet: OutgoingPacket): string {
  if (packet.target === null && packet.type === "REQ") return balancedRequestTopic(prefix, packet.payload.action);
  if (packet.target === null && packet.type === "EVENT") return balancedEventTopic(prefix, packet.payload.groups?.[0] ?? "", packet.payload.event);
  return topicName(prefix, packet.type, packet.target);
}

function partOf(packet: OutgoingPacket): PacketPart {
  switch (packet.type) {
    case "REQ":
      return "request";
    case "RES":
      return packet.payload.success ? "response" : "error";
    case "EVENT":
      return "event";
    default:
      return "packet";
  }
}

function actionOf(packet: OutgoingPacket): string | undefined {
  return packet.type === "REQ" ? packet.payload.action : packet.type === "EVENT" ? packet.payload.event : undefined;
}
