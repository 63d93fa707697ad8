/**
 * Turns a packet payload (a plain object tree) into bytes and back. All nodes
 * of a cluster must use the same one: nothing negotiates it.
 */
export interface Serializer {
  /** Name as Moleculer spells it (`JSON`, `MsgPack`). */
  readonly name: string;
  serialize(payload: unknown): Buffer;
  /** Throws on malformed input; the caller logs and drops the packet. */
  deserialize(data: Buffer): unknown;
}
