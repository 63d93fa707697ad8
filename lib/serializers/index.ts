import { PluginRegistry, type PluginSpec } from "../utils/plugin-registry";
import { JSONSerializer } from "./json";
import { MsgPackSerializer } from "./msgpack";
import type { Serializer } from "./serializer";

export type { Serializer } from "./serializer";
export { JSONSerializer } from "./json";
export { MsgPackSerializer } from "./msgpack";

/** Duck-typed, so serializers from other packages (or test doubles) are accepted. */
export function isSerializer(value: unknown): value is Serializer {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as Partial<Serializer>).serialize === "function" &&
    typeof (value as Partial<Serializer>).deserialize === "function"
  );
}

/** Serializers by their Moleculer name (any case); `Serializers.register("CBOR", CborSerializer)` adds one. */
export const Serializers = new PluginRegistry<Serializer>({ family: "serializer", isInstance: isSerializer })
  .register("JSON", JSONSerializer)
  .register("MsgPack", MsgPackSerializer);

/** A serializer given by name, `{ type, options }`, class or instance. */
export type SerializerSpec = PluginSpec<Serializer>;

/** `"JSON"` / `"msgpack"` (any case), `{ type, options }`, a class or a ready instance. */
export function resolveSerializer(spec: SerializerSpec): Serializer {
  return Serializers.resolve(spec);
}
