import type { Serializer } from "../serializers/serializer";
import type { PacketCommand } from "../transporters/packet-command";
import type { RateLimitedLog } from "../utils/rate-limited-log";
import type { ResolvedTransitOptions } from "./options";
import { exceedsDepth } from "./packet-depth";
import { checkPacket } from "./packet-guards";
import type { IncomingPacket } from "./packets";

export type { IncomingPacket };

/** A packet that decoded but was refused (too deep, malformed): transit may still answer its sender. */
export type RefusedPacket = (cmd: PacketCommand, payload: unknown, reason: string) => void;

/**
 * Everything an incoming packet must pass before any handler sees it: size,
 * decoding, nesting depth (a 10,000-level `meta` decodes fine but overflows
 * the stack when echoed back), shape and protocol version. A refused packet
 * is dropped with a rate-limited log line: garbage at full speed must cost
 * neither the node nor its log.
 */
export class PacketIntake {
  constructor(
    private readonly serializer: Serializer,
    private readonly opts: Pick<ResolvedTransitOptions, "maxPacketSize" | "maxPacketDepth" | "disableVersionCheck" | "protocolVersion">,
    private readonly log: RateLimitedLog,
    private readonly refused: RefusedPacket,
  ) {}

  /** The typed packet, or null when it was dropped. */
  read(cmd: PacketCommand, data: Buffer): IncomingPacket | null {
    const { opts, log } = this;
    if (opts.maxPacketSize > 0 && data.length > opts.maxPacketSize) {
      log.warn("oversized", { cmd, size: data.length, limit: opts.maxPacketSize }, "Dropped an oversized packet");
      return null;
    }
    let payload: unknown;
    try {
      payload = this.serializer.deserialize(data);
    } catch (err) {
      log.warn("undecodable", { cmd, err: (err as Error).message }, "Dropped a packet that does not deserialize");
      return null;
    }
    if (opts.maxPacketDepth > 0 && exceedsDepth(payload, opts.maxPacketDepth)) {
      const reason = `nested deeper than ${opts.maxPacketDepth} levels`;
      log.warn("too-deep", { cmd, limit: opts.maxPacketDepth }, "Dropped a packet nested too deeply");
      this.refused(cmd, payload, reason);
      return null;
    }
    const packet = checkPacket(cmd, payload);
    if (typeof packet === "string") {
      log.warn("malformed", { cmd, field: packet }, "Dropped a malformed packet");
      this.refused(cmd, payload, `bad '${packet}'`);
      return null;
    }
    const { ver, sender } = packet.payload;
    if (ver !== opts.protocolVersion && !opts.disableVersionCheck) {
      log.warn("version", { cmd, sender, ver }, "Dropped a packet of another protocol version");
      return null;
    }
    return packet;
  }
}
