import { MsgPackSerializer } from "../../lib/serializers";
import { behavesLikeSerializer, moleculerSerializer } from "./behaves-like-serializer";
import { PACKETS, withoutUndefined } from "./packets";

behavesLikeSerializer({
  name: "MsgPack",
  create: () => new MsgPackSerializer(),
  wire: withoutUndefined,
  sameBytes: false,
});

describe("MsgPackSerializer", () => {
  const ours = new MsgPackSerializer();
  const theirs = moleculerSerializer("MsgPack");
  const hex = (value: unknown): string => ours.serialize(value).toString("hex");

  it("writes Buffers as bin", () => {
    expect(hex({ b: Buffer.from([1, 2, 3]) })).toBe("81a162c403010203");
  });

  it("writes Dates as the timestamp extension −1", () => {
    expect(hex(new Date(1_700_000_000_123)).startsWith("d7ff")).toBe(true);
    expect(hex(new Date(1_700_000_000_000)).startsWith("d6ff")).toBe(true);
  });

  it("writes undefined in arrays as nil, never msgpackr's fixext 0", () => {
    expect(hex([undefined])).toBe("91c0");
    expect(theirs.deserialize(ours.serialize({ a: [undefined], b: undefined }), "")).toStrictEqual({ a: [null] });
  });

  it("uses no msgpackr records, even for repeated shapes", () => {
    const rows = Array.from({ length: 5 }, (_, id) => ({ id, title: `t${id}`, tags: ["x"] }));
    const first = ours.serialize({ rows });
    const second = ours.serialize({ rows });
    // Records would make the second encoding reference a structure defined by the first.
    expect(second.equals(first)).toBe(true);
    expect(theirs.deserialize(second, "")).toStrictEqual({ rows });
  });

  it("decodes msgpack5's uint64 and int64 as numbers, not bigints", () => {
    const bytes = theirs.serialize({ time: 1_732_000_000_123, neg: -(2 ** 40) }, "");
    expect(bytes.includes(0xcf)).toBe(true);
    const decoded = ours.deserialize(bytes) as Record<string, unknown>;
    expect(decoded).toStrictEqual({ time: 1_732_000_000_123, neg: -(2 ** 40) });
    expect(typeof decoded.time).toBe("number");
  });

  it("keeps msgpack5's float32 values exact", () => {
    const bytes = theirs.serialize({ x: 1.5 }, "");
    expect(bytes.toString("hex")).toBe("81a178ca3fc00000");
    expect(ours.deserialize(bytes)).toStrictEqual({ x: 1.5 });
  });

  it("decodes Buffers as Buffers", () => {
    const decoded = ours.deserialize(theirs.serialize({ b: Buffer.from([9, 8]) }, "")) as { b: unknown };
    expect(Buffer.isBuffer(decoded.b)).toBe(true);
  });

  it("rejects trailing bytes", () => {
    const bytes = Buffer.concat([ours.serialize(PACKETS.HEARTBEAT), Buffer.from([0x01])]);
    expect(() => ours.deserialize(bytes)).toThrow();
  });

  it("rejects unknown extension types", () => {
    expect(() => ours.deserialize(Buffer.from("d40501", "hex"))).toThrow();
  });
});
