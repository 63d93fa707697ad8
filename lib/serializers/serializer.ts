import type { RequestFields, ResponseFields } from "./json-envelope";

export type { RequestFields, ResponseFields };

/**
 * Turns a packet payload (a plain object tree) into bytes and back. All nodes
 * of a cluster must use the same one: nothing negotiates it.
 */
export interface Serializer {
  /** Name as Moleculer spells it (`JSON`, `MsgPack`). */
  readonly name: string;
  serialize(payload: unknown): Buffer;
  /**
   * Optional fast paths for the REQ and RES of a call, as transit builds
   * them (fixed fields in a fixed order): the same bytes `serialize` gives,
   * in less time. Transit uses them when there, `serialize` otherwise.
   */
  serializeRequest?(packet: RequestFields): Buffer;
  serializeResponse?(packet: ResponseFields): Buffer;
  /** Throws on malformed input; the caller logs and drops the packet. */
  deserialize(data: Buffer): unknown;
}
