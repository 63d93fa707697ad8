import { type NucleonError, PayloadTooLargeError, SerializationError, errorToPayload, isError } from "../errors";
import type { Readable } from "node:stream";
import type { RateLimitedLog } from "../utils/rate-limited-log";
import { isReadable } from "../utils/readable";
import type { PacketEncoder } from "./packet-encoder";
import { reasonOf } from "./packet-encoder";
import type { PacketHeaders, ProtocolVersion, ResponsePacket } from "./packets";
import type { RequestRef, RespondTo } from "./serve-request";
import type { PublishFunction } from "./transit-hooks";
import type { Context } from "./transit-host";

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
    /** v5 RES carry `headers` (the handler's `ctx.responseHeaders`); v4 ones are exactly what Moleculer 0.14 sends. */
    private readonly ver: ProtocolVersion,
    private readonly encoder: PacketEncoder,
    private readonly publish: (target: string, data: Buffer) => Promise<void>,
    private readonly log: RateLimitedLog,
    /** The `transitPublish`/`transporterSend` chain (see `Outbox`); while null, RES are encoded and sent here. */
    private readonly hooks: { readonly hooked: PublishFunction | null } = { hooked: null },
  ) {}

  /** Where a returned Readable goes (set by transit): it is sent as a response stream. */
  streams: { respond(p: RequestRef, ctx: Context, stream: Readable): void } | null = null;

  ok(p: RequestRef, ctx: Context, data: unknown): void {
    if (this.streams !== null && typeof data === "object" && data !== null && isReadable(data)) return this.streams.respond(p, ctx, data);
    const meta = ctx.hasMeta ? ctx.meta : NO_META;
    // JSON would silently drop a Symbol and MsgPack turn a small BigInt into a number: refuse both alike.
    if (typeof data === "symbol" || typeof data === "bigint") {
      return this.substitute(p, new SerializationError({ what: "response", action: p.action, reason: `a ${typeof data} has no wire form` }));
    }
    // `data` absent (not null) when the handler returned undefined, as Moleculer sends it.
    const packet: ResponsePacket =
      this.ver === "5"
        ? { ver: "5", sender: this.nodeID, id: p.id, success: true, data, meta, headers: ctx.hasResponseHeaders ? ctx.responseHeaders : {} }
        : { ver: "4", sender: this.nodeID, id: p.id, success: true, data, meta };
    if (this.hooks.hooked !== null) return this.viaHooks(this.hooks.hooked, p, packet, false);
    const encoded = this.encoder.response(packet, "response", p.action);
    if (encoded instanceof Error) this.substitute(p, encoded);
    else this.send(p, encoded);
  }

  /** Always `success: false` with an `error` (a Moleculer caller hangs otherwise), whatever was thrown. */
  fail(p: RequestRef, meta: Record<string, unknown>, err: unknown, headers?: PacketHeaders): void {
    let encoded: Buffer | NucleonError;
    try {
      const packet = this.errorPacket(p.id, err, meta, headers);
      if (this.hooks.hooked !== null) return this.viaHooks(this.hooks.hooked, p, packet, false);
      encoded = this.encoder.response(packet, "error", p.action);
    } catch (e) {
      // errorToPayload read a throwing getter on the thrown object
      encoded = new SerializationError({ what: "error", action: p.action, reason: reasonOf(e) });
    }
    if (!(encoded instanceof Error)) return this.send(p, encoded);
    if (encoded instanceof SerializationError) encoded.data.original = nameAndMessage(err);
    this.substitute(p, encoded);
  }

  private errorPacket(id: string, err: unknown, meta: Record<string, unknown>, headers?: PacketHeaders): ResponsePacket {
    const packet: ResponsePacket = { ver: this.ver, sender: this.nodeID, id, success: false, data: null, error: errorToPayload(err, this.nodeID), meta };
    // Errors are the cold path: a field added here costs nothing that matters.
    if (this.ver === "5") packet.headers = headers ?? {};
    return packet;
  }

  /** The RES could not be encoded: send why instead, without meta (or headers). */
  private substitute(p: RequestRef, error: NucleonError): void {
    this.log.warn("res-substituted", { action: p.action, target: p.sender, reason: error.message }, "A RES could not be sent as is; sent an error instead");
    let encoded: Buffer | NucleonError;
    try {
      const packet = this.errorPacket(p.id, error, NO_META);
      if (this.hooks.hooked !== null) return this.viaHooks(this.hooks.hooked, p, packet, true);
      encoded = this.encoder.response(packet, "error", p.action);
    } catch (e) {
      encoded = new SerializationError({ what: "error", action: p.action, reason: reasonOf(e) });
    }
    if (encoded instanceof Error) this.log.warn("res-dropped", { action: p.action, target: p.sender, reason: encoded.message }, "Dropped a RES that cannot be encoded");
    else this.send(p, encoded);
  }

  /**
   * Through the transit hooks, which run before encoding: a RES that then
   * fails to encode is replaced by an error RES, as on the direct path.
   */
  private viaHooks(hooked: PublishFunction, p: RequestRef, packet: ResponsePacket, substituted: boolean): void {
    let sent: Promise<void>;
    try {
      sent = hooked({ type: "RES", target: p.sender, payload: packet });
    } catch (err) {
      sent = Promise.reject(err);
    }
    sent.catch((err: unknown) => {
      if (!substituted && (err instanceof SerializationError || err instanceof PayloadTooLargeError)) this.substitute(p, err);
      else this.log.warn("res-send", { err, target: p.sender, action: p.action }, "Could not send RES");
    });
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
