import type { Context } from "../context/context";
import { type NucleonError, SerializationError, errorToPayload, isError } from "../errors";
import type { RateLimitedLog } from "../utils/rate-limited-log";
import type { PacketEncoder } from "./packet-encoder";
import { reasonOf } from "./packet-encoder";
import { PROTOCOL_VERSION, type ResponsePacket } from "./packets";
import type { RequestRef, RespondTo } from "./serve-request";

const NO_META: Record<string, unknown> = {};

/**
 * Builds, encodes and sends RES packets so that every request gets an answer
 * its caller can see: a result or error that cannot be encoded (BigInt,
 * Symbol, circular, too large for the transport) is replaced by a typed
 * error RES, sent without meta (the meta may be what failed). Only when even
 * that cannot be encoded, or the transport refuses to send, is the RES
 * dropped, with a rate-limited log line. Nothing here throws or rejects.
 */
export class Responder implements RespondTo {
  constructor(
    private readonly nodeID: string,
    private readonly encoder: PacketEncoder,
    private readonly publish: (target: string, data: Buffer) => Promise<void>,
    private readonly log: RateLimitedLog,
  ) {}

  ok(p: RequestRef, ctx: Context, data: unknown): void {
    const meta = ctx.hasMeta ? ctx.meta : NO_META;
    // JSON would silently drop a Symbol and MsgPack turn a small BigInt into a number: refuse both alike.
    if (typeof data === "symbol" || typeof data === "bigint") {
      return this.substitute(p, new SerializationError({ what: "response", action: p.action, reason: `a ${typeof data} has no wire form` }));
    }
    // `data` absent (not null) when the handler returned undefined, as Moleculer sends it.
    const packet: ResponsePacket = { ver: PROTOCOL_VERSION, sender: this.nodeID, id: p.id, success: true, data, meta };
    const encoded = this.encoder.encode(packet, "response", p.action);
    if (encoded instanceof Error) this.substitute(p, encoded);
    else this.send(p, encoded);
  }

  /** Always `success: false` with an `error` (a Moleculer caller hangs otherwise), whatever was thrown. */
  fail(p: RequestRef, meta: Record<string, unknown>, err: unknown): void {
    let encoded: Buffer | NucleonError;
    try {
      encoded = this.encoder.encode(this.errorPacket(p.id, err, meta), "error", p.action);
    } catch (e) {
      // errorToPayload read a throwing getter on the thrown object
      encoded = new SerializationError({ what: "error", action: p.action, reason: reasonOf(e) });
    }
    if (!(encoded instanceof Error)) return this.send(p, encoded);
    if (encoded instanceof SerializationError) encoded.data.original = nameAndMessage(err);
    this.substitute(p, encoded);
  }

  private errorPacket(id: string, err: unknown, meta: Record<string, unknown>): ResponsePacket {
    return { ver: PROTOCOL_VERSION, sender: this.nodeID, id, success: false, data: null, error: errorToPayload(err, this.nodeID), meta };
  }

  /** The RES could not be encoded: send why instead, without meta. */
  private substitute(p: RequestRef, error: NucleonError): void {
    this.log.warn("res-substituted", { action: p.action, target: p.sender, reason: error.message }, "A RES could not be sent as is; sent an error instead");
    let encoded: Buffer | NucleonError;
    try {
      encoded = this.encoder.encode(this.errorPacket(p.id, error, NO_META), "error", p.action);
    } catch (e) {
      encoded = new SerializationError({ what: "error", action: p.action, reason: reasonOf(e) });
    }
    if (encoded instanceof Error) this.log.warn("res-dropped", { action: p.action, target: p.sender, reason: encoded.message }, "Dropped a RES that cannot be encoded");
    else this.send(p, encoded);
  }

  private send(p: RequestRef, data: Buffer): void {
    let sent: Promise<void>;
    try {
      sent = this.publish(p.sender, data);
    } catch (err) {
      sent = Promise.reject(err);
    }
    sent.catch((err: unknown) => this.log.warn("res-send", { err, target: p.sender, action: p.action }, "Could not send RES"));
  }
}

/** Strings only, so they always encode. */
function nameAndMessage(err: unknown): { name: string; message: string } {
  try {
    if (isError(err)) return { name: String(err.name), message: String(err.message) };
  } catch {
    // throwing getters: fall through
  }
  return { name: typeof err, message: "" };
}
