import type { PacketCommand } from "../packet-command";

/** Check byte, 4-byte big-endian total length, type id. */
export const HEADER_SIZE = 6;

/** The frame type ids of Moleculer's TCP transporter. */
export const FrameType = {
  EVENT: 1,
  REQ: 2,
  RES: 3,
  PING: 4,
  PONG: 5,
  GOSSIP_REQ: 6,
  GOSSIP_RES: 7,
  GOSSIP_HELLO: 8,
} as const;

export type FrameTypeId = (typeof FrameType)[keyof typeof FrameType];

/** The packet commands a TCP frame carries (everything else never crosses TCP). */
const COMMAND_TYPES: Partial<Record<PacketCommand, FrameTypeId>> = {
  EVENT: FrameType.EVENT,
  REQ: FrameType.REQ,
  RES: FrameType.RES,
  PING: FrameType.PING,
  PONG: FrameType.PONG,
};

const TYPE_COMMANDS: ReadonlyArray<PacketCommand | undefined> = [undefined, "EVENT", "REQ", "RES", "PING", "PONG"];

/** The frame type of a packet command; undefined when the command is not sent over TCP. */
export function frameTypeOf(cmd: PacketCommand): FrameTypeId | undefined {
  return COMMAND_TYPES[cmd];
}

/** The packet command of a data frame type (1–5); undefined for gossip frames. */
export function commandOfFrame(type: number): PacketCommand | undefined {
  return TYPE_COMMANDS[type];
}

/** The 6-byte header of a frame holding `payloadLength` bytes. */
export function frameHeader(type: FrameTypeId, payloadLength: number): Buffer {
  const header = Buffer.allocUnsafe(HEADER_SIZE);
  writeHeader(header, 0, type, payloadLength);
  return header;
}

/** Writes a frame header into `buffer` at `offset`; returns the offset after it. */
export function writeHeader(buffer: Buffer, offset: number, type: FrameTypeId, payloadLength: number): number {
  const total = payloadLength + HEADER_SIZE;
  buffer[offset + 1] = total >>> 24;
  buffer[offset + 2] = (total >>> 16) & 255;
  buffer[offset + 3] = (total >>> 8) & 255;
  buffer[offset + 4] = total & 255;
  buffer[offset + 5] = type;
  buffer[offset] = buffer[offset + 1] ^ buffer[offset + 2] ^ buffer[offset + 3] ^ buffer[offset + 4] ^ type;
  return offset + HEADER_SIZE;
}

/** Why a byte stream was refused; the socket it came from is closed. */
export class FrameError extends Error {
  constructor(
    readonly reason: "check-byte" | "length" | "too-large" | "type",
    message: string,
  ) {
    super(message);
    this.name = "FrameError";
  }
}

/**
 * Splits a byte stream into frames. Chunks are kept in a list and joined
 * only when a frame spans them, so a frame that arrives whole is handed on
 * as a slice of its chunk, without a copy. The header is checked as soon as
 * its six bytes are in: a bad one is refused before its body is awaited.
 */
export class FrameReader {
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** Total length of the frame being awaited, once its header is in (0 before). */
  private awaited = 0;
  /** Whether a frame has started but not ended (for the slow-sender timeout). */
  get partial(): boolean {
    return this.buffered > 0;
  }

  constructor(
    private readonly maxPacketSize: number,
    private readonly onFrame: (type: FrameTypeId, payload: Buffer) => void,
  ) {}

  /** Feeds bytes; returns a FrameError when the stream is malformed (the caller closes it), else null. */
  push(chunk: Buffer): FrameError | null {
    let data: Buffer;
    if (this.buffered === 0) data = chunk;
    else if (this.awaited > 0 && this.buffered + chunk.length < this.awaited) {
      // A large frame arriving in pieces: join once, when it is complete.
      this.chunks.push(chunk);
      this.buffered += chunk.length;
      return null;
    } else {
      this.chunks.push(chunk);
      data = Buffer.concat(this.chunks, this.buffered + chunk.length);
      this.chunks = [];
      this.buffered = 0;
      this.awaited = 0;
    }
    let offset = 0;
    while (data.length - offset >= HEADER_SIZE) {
      const check = data[offset + 1] ^ data[offset + 2] ^ data[offset + 3] ^ data[offset + 4] ^ data[offset + 5];
      if (check !== data[offset]) return new FrameError("check-byte", "Invalid frame check byte");
      const length = data.readInt32BE(offset + 1);
      if (length < HEADER_SIZE) return new FrameError("length", `Invalid frame length ${length}`);
      if (this.maxPacketSize > 0 && length > this.maxPacketSize) {
        return new FrameError("too-large", `Frame of ${length} bytes is over maxPacketSize (${this.maxPacketSize})`);
      }
      const type = data[offset + 5];
      if (type < FrameType.EVENT || type > FrameType.GOSSIP_HELLO) return new FrameError("type", `Unknown frame type ${type}`);
      if (data.length - offset < length) {
        this.awaited = length;
        break;
      }
      this.onFrame(type as FrameTypeId, data.subarray(offset + HEADER_SIZE, offset + length));
      offset += length;
    }
    if (offset < data.length) {
      // Copied: a slice would pin the whole (possibly large) chunk until the frame completes.
      const rest = Buffer.from(data.subarray(offset));
      this.chunks.push(rest);
      this.buffered = rest.length;
    }
    return null;
  }
}
