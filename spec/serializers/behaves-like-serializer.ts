import { type ServiceBroker, type Serializer as MoleculerSerializer, Serializers } from "moleculer";
import type { Serializer } from "../../lib/serializers";
import { PACKETS, type Packet } from "./packets";

export interface SerializerUnderTest {
  /** Moleculer's name, also the key of `require("moleculer").Serializers`. */
  name: "JSON" | "MsgPack";
  create(): Serializer;
  /** What a payload becomes after one trip through this format. */
  wire(value: unknown): unknown;
  /** Whether our bytes must equal Moleculer's (JSON: yes; MsgPack picks other int/float/map widths). */
  sameBytes: boolean;
}

/** Moleculer 0.14's serializer of that name. `init` loads msgpack5; the broker is only used to report its absence. */
export function moleculerSerializer(name: SerializerUnderTest["name"]): MoleculerSerializer {
  const serializer = new Serializers[name]();
  serializer.init({} as ServiceBroker);
  return serializer;
}

const packets = Object.entries(PACKETS);

/** The contract every serializer meets, checked against Moleculer's serializer of the same name. */
export function behavesLikeSerializer(subject: SerializerUnderTest): void {
  describe(`${subject.name} serializer (shared behaviour)`, () => {
    const ours = subject.create();
    const theirs = moleculerSerializer(subject.name);

    it("is named as in Moleculer", () => {
      expect(ours.name).toBe(subject.name);
    });

    it("serializes to a Buffer", () => {
      expect(Buffer.isBuffer(ours.serialize(PACKETS.HEARTBEAT))).toBe(true);
    });

    describe.each(packets)("%s", (_label, packet: Packet) => {
      const expected = subject.wire(packet);

      it("round-trips", () => {
        expect(ours.deserialize(ours.serialize(packet))).toStrictEqual(expected);
      });

      it("is decoded by Moleculer", () => {
        expect(theirs.deserialize(ours.serialize(packet), "") as unknown).toStrictEqual(expected);
      });

      it("decodes Moleculer's bytes", () => {
        expect(ours.deserialize(theirs.serialize(packet, ""))).toStrictEqual(expected);
      });

      if (subject.sameBytes) {
        it("produces Moleculer's exact bytes", () => {
          expect(ours.serialize(packet).equals(theirs.serialize(packet, ""))).toBe(true);
        });
      }
    });

    it("drops undefined keys but keeps null ones", () => {
      const decoded = ours.deserialize(ours.serialize({ a: undefined, b: null, c: { d: undefined, e: 1 } }));
      expect(decoded).toStrictEqual({ b: null, c: { e: 1 } });
      expect(Object.keys(decoded as object)).toEqual(["b", "c"]);
    });

    it("turns undefined array items into null, as JSON does", () => {
      expect(ours.deserialize(ours.serialize({ list: [1, undefined, 3] }))).toStrictEqual({ list: [1, null, 3] });
    });

    it("leaves earlier results intact when serializing again", () => {
      const first = ours.serialize(PACKETS.EVENT);
      const copy = Buffer.from(first);
      for (let i = 0; i < 1000; i++) ours.serialize(PACKETS["REQ with params, meta and fractional timeout"]);
      expect(first.equals(copy)).toBe(true);
    });

    const truncated = (): Buffer => {
      const bytes = ours.serialize(PACKETS.INFO);
      return bytes.subarray(0, bytes.length - 1);
    };
    it.each<[string, () => Buffer]>([
      ["an empty buffer", () => Buffer.alloc(0)],
      ["a truncated packet", truncated],
      ["a reserved/invalid byte", () => Buffer.from([0xc1])],
      ["text that is neither format", () => Buffer.from("{not valid")],
    ])("throws on %s", (_label, bytes) => {
      expect(() => ours.deserialize(bytes())).toThrow();
    });
  });
}
