import type { PacketCommand } from "../transporters/packet-command";
import type { EventPacket, PacketBase, RequestPacket, ResponsePacket } from "./packets";

/** Commands of the packets transit builds itself (not REQ, RES, EVENT). */
export type ControlCommand = "INFO" | "DISCOVER" | "HEARTBEAT" | "PING" | "PONG" | "DISCONNECT";

/**
 * Moleculer's `Packet`, as `transitPublish` sees it before serialization.
 * `target` is the node it goes to; `null` is a broadcast, or for REQ and
 * EVENT a send through the transport's balancer (`REQB`/`EVENTB` topics).
 */
export type OutgoingPacket =
  | { type: "REQ"; target: string | null; payload: RequestPacket }
  | { type: "RES"; target: string; payload: ResponsePacket }
  | { type: "EVENT"; target: string | null; payload: EventPacket }
  | { type: ControlCommand; target: string | null; payload: PacketBase & Record<string, unknown> };

/** What `transporterSend` gets beside the bytes, as in Moleculer: the packet, and whether it goes to a balanced queue. */
export interface SendMeta {
  packet: OutgoingPacket;
  balanced?: boolean;
}

/** Publishes one packet: serializes it and hands the bytes to the transport. */
export type PublishFunction = (packet: OutgoingPacket) => Promise<void>;

/**
 * Sends serialized bytes. `topic` is Moleculer's topic name
 * (`MOL-<ns>.REQ.<node>`, `MOL-<ns>.EVENTB.<group>.<event>`…); the transport
 * routes by `meta.packet`, so a hook changes the bytes, not the route.
 */
export type SendFunction = (topic: string, data: Buffer, meta: SendMeta) => Promise<void>;

/**
 * Handles bytes that arrived for `cmd`, before they are deserialized.
 * `source` is the transport's raw message where it gives one (none of
 * nucleon's transports do yet: it is `undefined`).
 */
export type ReceiveFunction = (cmd: PacketCommand, data: Buffer, source?: unknown) => void | Promise<void>;

/**
 * Transit's port for the middlewares' transit hooks (`transitPublish`,
 * `transporterSend`, `transporterReceive`), already composed over every
 * middleware by the broker side. Each wraps transit's own step once, when
 * the transit is built; a hook left out costs nothing per packet.
 */
export interface TransitHooks {
  publish?(next: PublishFunction): PublishFunction;
  send?(next: SendFunction): SendFunction;
  receive?(next: ReceiveFunction): ReceiveFunction;
}
