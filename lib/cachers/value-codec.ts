/**
 * How the Redis cacher turns values into bytes and back. Any serializer of
 * the broker fits (they share this shape); declared here so cachers depend
 * on no other plugin family.
 */
export interface ValueCodec {
  readonly name: string;
  serialize(value: unknown): Buffer;
  /** Throws on malformed data; the cacher treats it as a miss. */
  deserialize(data: Buffer): unknown;
}
