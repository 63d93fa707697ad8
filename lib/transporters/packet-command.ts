/**
 * Every packet command of protocol v4, in one list: the `PacketCommand` type
 * and the run-time check of a topic's command both come from it. The command
 * travels in the topic, never inside the payload. `REQB`/`EVENTB` are the
 * balanced topics; their packets are ordinary REQ/EVENT payloads.
 */
export const PACKET_COMMANDS = ["EVENT", "REQ", "RES", "DISCOVER", "INFO", "DISCONNECT", "HEARTBEAT", "PING", "PONG", "EVENTB", "REQB"] as const;

export type PacketCommand = (typeof PACKET_COMMANDS)[number];

const COMMANDS: ReadonlySet<string> = new Set(PACKET_COMMANDS);

export function isPacketCommand(value: string): value is PacketCommand {
  return COMMANDS.has(value);
}
