import type { PacketCommand } from "../transporters/transporter";

/** What a node subscribes to: each command, broadcast (false) or targeted at it (true). */
export const SUBSCRIPTIONS: ReadonlyArray<readonly [PacketCommand, boolean]> = [
  ["EVENT", true],
  ["REQ", true],
  ["RES", true],
  ["DISCOVER", false],
  ["DISCOVER", true],
  ["INFO", false],
  ["INFO", true],
  ["HEARTBEAT", false],
  ["DISCONNECT", false],
  ["PING", false],
  ["PING", true],
  ["PONG", true],
];

/** Packets a node also handles when it sent them itself (its own calls through the transport). */
export const OWN_PACKETS_HANDLED = new Set<PacketCommand>(["REQ", "RES", "EVENT"]);
