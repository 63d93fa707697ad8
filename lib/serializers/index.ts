import { type PluginFamily, type PluginSpec, resolvePlugin } from "../utils/resolve-plugin";
import { JSONSerializer } from "./json";
import { MsgPackSerializer } from "./msgpack";
import type { Serializer } from "./serializer";

export type { Serializer } from "./serializer";
export { JSONSerializer } from "./json";
export { MsgPackSerializer } from "./msgpack";

/** Built-in serializers by their Moleculer name. */
export const Serializers = {
  JSON: JSONSerializer,
  MsgPack: MsgPackSerializer,
};

const family: PluginFamily<Serializer> = {
  family: "serializer",
  table: Serializers,
  isInstance: (value: unknown): value is Serializer =>
    typeof value === "object" &&
    value !== null &&
    typeof (value as Partial<Serializer>).serialize === "function" &&
    typeof (value as Partial<Serializer>).deserialize === "function",
};

/** `"JSON"` / `"msgpack"` (any case), `{ type, options }`, or a ready instance. */
export function resolveSerializer(spec: PluginSpec<Serializer>): Serializer {
  return resolvePlugin(family, spec);
}
