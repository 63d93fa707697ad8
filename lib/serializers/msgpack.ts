import type * as Msgpackr from "msgpackr";
import type { Options, Packr } from "msgpackr";
import { loadDriver } from "../utils/load-driver";
import type { Serializer } from "./serializer";

/**
 * msgpackr tuned to interoperate with Moleculer's `MsgPack` serializer
 * (msgpack5 6.x, default options) in both directions.
 *
 * `skipValues` exists at runtime (msgpackr ≥ 1.10) but not in its typings.
 */
const options: Options & { skipValues: unknown[] } = {
  // Records/structures are a msgpackr-only extension: msgpack5 can't read them.
  useRecords: false,
  mapsAsObjects: true,
  // No Set/Error/RegExp/typed-array extensions (their plain fallbacks are used).
  moreTypes: false,
  // msgpack5 (and JSON) drop keys whose value is undefined.
  skipValues: [undefined],
  // Elsewhere (arrays, top level) msgpackr would write fixext1 type 0, which
  // msgpack5 can't decode; nil is what JSON gives too.
  encodeUndefinedAsNil: true,
  // msgpack5 sends integers ≥ 2³² (PING/PONG `time`) as uint64 and decodes them
  // as numbers; msgpackr's default would give a bigint.
  int64AsType: "number",
};

// One shared encoder, made with the first serializer: the options are fixed, and
// packing is synchronous. Each `pack` returns a fresh slice of its internal
// slab, never overwritten later.
let shared: { packr: Packr; C1: unknown } | undefined;

function codec(): { packr: Packr; C1: unknown } {
  if (!shared) {
    const driver = loadDriver<typeof Msgpackr>("msgpackr", "The MsgPack serializer");
    shared = { packr: new driver.Packr(options), C1: driver.C1 };
  }
  return shared;
}

/**
 * MessagePack, wire-compatible with Moleculer's `MsgPack`: Buffers as `bin`,
 * Dates as the timestamp extension −1, no msgpackr extensions. Decoded Buffers
 * are views into the input buffer (no copy), as msgpack5's are.
 */
export class MsgPackSerializer implements Serializer {
  readonly name = "MsgPack";
  private readonly packr: Packr;
  /** msgpackr's marker for the reserved byte 0xc1. */
  private readonly c1: unknown;

  constructor() {
    const { packr, C1 } = codec();
    this.packr = packr;
    this.c1 = C1;
  }

  serialize(payload: unknown): Buffer {
    return this.packr.pack(payload);
  }

  deserialize(data: Buffer): unknown {
    // Throws on truncated input and on trailing bytes.
    const value: unknown = this.packr.unpack(data);
    // A lone reserved byte 0xc1 decodes to msgpackr's C1 marker rather than throwing.
    if (value === this.c1) throw new Error("Invalid MessagePack data: reserved byte 0xc1.");
    return value;
  }
}
