import { JSONSerializer } from "../../lib/serializers";
import { behavesLikeSerializer, moleculerSerializer } from "./behaves-like-serializer";
import { throughJSON } from "./packets";

behavesLikeSerializer({ name: "JSON", create: () => new JSONSerializer(), wire: throughJSON, sameBytes: true });

describe("JSONSerializer", () => {
  const json = new JSONSerializer();

  it("writes Buffers as Node's Buffer#toJSON, like Moleculer", () => {
    const bytes = json.serialize({ params: Buffer.from([1, 2, 255]) });
    expect(bytes.toString("utf8")).toBe('{"params":{"type":"Buffer","data":[1,2,255]}}');
  });

  it("does not revive Buffers or Dates (ordinary params/data stay plain, as in Moleculer)", () => {
    const decoded = json.deserialize(json.serialize({ b: Buffer.from([1]), d: new Date(0) }));
    expect(decoded).toStrictEqual({ b: { type: "Buffer", data: [1] }, d: "1970-01-01T00:00:00.000Z" });
  });

  it("writes UTF-8", () => {
    const bytes = json.serialize({ s: "é👋" });
    expect(bytes.equals(Buffer.from('{"s":"é👋"}', "utf8"))).toBe(true);
    expect(bytes.equals(moleculerSerializer("JSON").serialize({ s: "é👋" }))).toBe(true);
  });

  it("serializes a top-level undefined as null instead of crashing", () => {
    expect(json.serialize(undefined).toString()).toBe("null");
  });
});
