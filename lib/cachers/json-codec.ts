import type { ValueCodec } from "./value-codec";

/**
 * The Redis cacher's default codec: plain JSON, which is also what Moleculer's
 * Redis cacher stores by default, so both can share a cache.
 */
export const jsonCodec: ValueCodec = {
  name: "JSON",
  // `undefined` has no JSON form; it is stored as null.
  serialize: (payload) => Buffer.from(JSON.stringify(payload) ?? "null"),
  deserialize: (data) => JSON.parse(data.toString("utf8")) as unknown,
};
