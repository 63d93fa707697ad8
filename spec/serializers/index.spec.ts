import { BrokerOptionsError } from "../../lib/errors";
import {
  JSONSerializer,
  MsgPackSerializer,
  type Serializer,
  Serializers,
  resolveSerializer,
} from "../../lib/serializers";

describe("resolveSerializer", () => {
  it("has Moleculer's names in its table", () => {
    expect(Serializers.names()).toEqual(["JSON", "MsgPack"]);
    expect(Serializers.get("json")).toBe(JSONSerializer);
    expect(Serializers.get("MSGPACK")).toBe(MsgPackSerializer);
  });

  it.each([
    ["JSON", JSONSerializer],
    ["json", JSONSerializer],
    ["MsgPack", MsgPackSerializer],
    ["msgpack", MsgPackSerializer],
    ["MSGPACK", MsgPackSerializer],
  ])("resolves the name %s", (name, Class) => {
    expect(resolveSerializer(name)).toBeInstanceOf(Class);
  });

  it("resolves { type, options }", () => {
    expect(resolveSerializer({ type: "MsgPack", options: {} })).toBeInstanceOf(MsgPackSerializer);
    expect(resolveSerializer({ type: "json" })).toBeInstanceOf(JSONSerializer);
  });

  it("returns an instance as it is", () => {
    const custom: Serializer = {
      name: "Custom",
      serialize: (payload) => Buffer.from(String(payload)),
      deserialize: (data) => data.toString(),
    };
    expect(resolveSerializer(custom)).toBe(custom);
    const json = new JSONSerializer();
    expect(resolveSerializer(json)).toBe(json);
  });

  it("rejects unknown names and invalid options", () => {
    expect(() => resolveSerializer("Avro")).toThrow(BrokerOptionsError);
    expect(() => resolveSerializer(42 as unknown as string)).toThrow(BrokerOptionsError);
  });
});
