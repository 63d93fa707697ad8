import type { PacketHeaders, ProtocolVersion, RequestPacket, ResponsePacket } from "../packets";

/*
 * The packets of one stream (shared/moleculer-protocol.md §6): seq 0 opens
 * it, seq 1..n carry chunks, seq n+1 ends it (`stream: false`) or fails it.
 * v4 flags the stream's object mode and error in `meta`, v5 in `headers`.
 *
 * nucleon's additions, ignored by Moleculer (it reads neither field):
 * - seq 0 of a v4 request stream still carries the call's params (Moleculer
 *   sends `null` there and ignores what it gets), so a nucleon handler gets
 *   its params with either protocol;
 * - `window` on seq 0: the sender waits for credit (see flow-control.ts);
 * - `credit` packets, sent only to nucleon peers.
 */

export const OBJECT_MODE = "$streamObjectMode";
export const STREAM_ERROR = "$streamError";

/** Where a stream's flags live in this protocol version's packets. */
function flagged(base: Record<string, unknown> | null | undefined, objectMode: boolean): Record<string, unknown> {
  const flags = Object.assign({}, base);
  if (objectMode) flags[OBJECT_MODE] = true;
  return flags;
}

/** Builds the REQ packets of one outgoing request stream from the call's plain REQ. */
export class RequestStreamPackets {
  private readonly template: RequestPacket;

  constructor(
    private readonly ver: ProtocolVersion,
    private readonly base: RequestPacket,
    private readonly objectMode: boolean,
  ) {
    // Chunks repeat the call's fields but not its meta (Moleculer: "it doesn't appear on the remote side").
    this.template = Object.assign({}, base, { meta: ver === "4" ? flagged({}, objectMode) : {}, stream: true });
    if (ver === "5") this.template.headers = flagged({}, objectMode);
  }

  /** seq 0: the call itself; `window` when the sender waits for credit. */
  start(window: number): RequestPacket {
    const p: RequestPacket = Object.assign({}, this.base, { stream: true, seq: 0 });
    if (this.ver === "4") p.meta = flagged(this.base.meta, this.objectMode);
    else p.headers = flagged(this.base.headers, this.objectMode);
    if (window > 0) p.window = window;
    return p;
  }

  chunk(seq: number, chunk: unknown): RequestPacket {
    return Object.assign({}, this.template, { seq, params: chunk });
  }

  end(seq: number): RequestPacket {
    return Object.assign({}, this.template, { seq, params: null, stream: false });
  }

  error(seq: number, error: Record<string, unknown>): RequestPacket {
    const p: RequestPacket = Object.assign({}, this.template, { seq, params: null, stream: false });
    if (this.ver === "4") p.meta = Object.assign({}, p.meta, { [STREAM_ERROR]: error });
    else p.headers = Object.assign({}, p.headers, { [STREAM_ERROR]: error });
    return p;
  }
}

/** Builds the RES packets of one outgoing response stream. */
export class ResponseStreamPackets {
  private readonly template: ResponsePacket;

  constructor(ver: ProtocolVersion, sender: string, id: string, meta: Record<string, unknown>, headers: PacketHeaders | null, objectMode: boolean) {
    // Every packet repeats meta (and v5 headers), as Moleculer sends them.
    this.template =
      ver === "4"
        ? { ver, sender, id, success: true, data: null, meta: flagged(meta, objectMode), stream: true, seq: 0 }
        : { ver, sender, id, success: true, data: null, meta, headers: flagged(headers, objectMode), stream: true, seq: 0 };
  }

  start(window: number): ResponsePacket {
    const p = Object.assign({}, this.template);
    if (window > 0) p.window = window;
    return p;
  }

  chunk(seq: number, chunk: unknown): ResponsePacket {
    return Object.assign({}, this.template, { seq, data: chunk });
  }

  end(seq: number): ResponsePacket {
    return Object.assign({}, this.template, { seq, stream: false });
  }

  error(seq: number, error: Record<string, unknown>): ResponsePacket {
    return Object.assign({}, this.template, { seq, stream: false, success: false, error });
  }
}

/** Whether a REQ belongs to a stream (Moleculer sends `stream: false` and no `seq` on plain calls). */
export function isStreamRequest(p: RequestPacket): boolean {
  return p.stream === true || typeof p.seq === "number";
}

/** Whether a RES belongs to a stream (a plain RES has neither field). */
export function isStreamResponse(p: ResponsePacket): boolean {
  return p.stream === true || (typeof p.seq === "number" && p.stream === false);
}

/** The stream flags of a packet: v5 puts them in headers, v4 in meta; either is read. */
export function flagOf(p: { meta?: Record<string, unknown> | null; headers?: PacketHeaders | null }, key: string): unknown {
  return p.headers?.[key] ?? p.meta?.[key];
}

/** Takes the protocol's stream flags out of what a handler or caller sees. */
export function withoutFlags(fields: Record<string, unknown> | null | undefined): Record<string, unknown> | null | undefined {
  if (fields === null || fields === undefined || (!(OBJECT_MODE in fields) && !(STREAM_ERROR in fields))) return fields;
  const copy = Object.assign({}, fields);
  delete copy[OBJECT_MODE];
  delete copy[STREAM_ERROR];
  return copy;
}
