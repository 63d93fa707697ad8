import { Context, ServiceBroker } from "nucleon";
import { JSONSerializer } from "../../lib/serializers";
import { JSONEnvelope, type RequestFields, type ResponseFields } from "../../lib/serializers/json-envelope";
import { PacketEncoder } from "../../lib/transit/packet-encoder";
import { outgoingPackets } from "../../lib/transit/outgoing-packets";
import type { ResponsePacket } from "../../lib/transit/packets";
import { Responder } from "../../lib/transit/responder";
import { MemoryTransporter } from "../../lib/transporters";
import { RateLimitedLog } from "../../lib/utils/rate-limited-log";

/** Values of every kind a field can hold, the awkward ones included. */
const STRINGS = ["", "plain-id_1.2:3", "with space", 'quo"te', "back\\slash", "new\nline", "é👋", "\u2028", "\ud800", "</script>", "$node.list", "a/b+c=d#e@f"];
const VALUES: unknown[] = [
  ...STRINGS,
  0,
  -0,
  1.5,
  1e21,
  NaN,
  Infinity,
  true,
  false,
  null,
  undefined,
  {},
  [],
  { a: 1, b: [1, "x", null] },
  { nested: { deep: { s: "é" } }, u: undefined },
  Object.create(null) as object,
  new Date(0),
  Buffer.from([1, 2, 255]),
  { toJSON: () => "custom" },
  () => 1,
  Symbol("s"),
];

const baseRequest = (): RequestFields => ({
  ver: "4",
  sender: "caller-1",
  id: "2f1b7c2e-3b0a-4b8e-9d7e-1c2d3e4f5a6b",
  action: "math.add",
  params: { a: 5, b: 3 },
  meta: {},
  timeout: null,
  level: 1,
  tracing: null,
  parentID: null,
  requestID: "2f1b7c2e-3b0a-4b8e-9d7e-1c2d3e4f5a6b",
  caller: null,
  stream: false,
});

const baseResponse = (): ResponseFields => ({ ver: "4", sender: "responder-1", id: "abc", success: true, data: 8, meta: {} });

const envelope = new JSONEnvelope();
const requestJSON = (p: RequestFields) => envelope.request(p);
const responseJSON = (p: ResponseFields) => envelope.response(p);

describe("JSON envelope (REQ and RES field by field)", () => {
  it("writes every REQ field of every kind exactly as JSON.stringify does", () => {
    const keys = Object.keys(baseRequest()) as (keyof RequestFields)[];
    for (const key of keys) {
      for (const v of VALUES) {
        const p = { ...baseRequest(), [key]: v } as RequestFields;
        if (typeof v === "symbol" && ["ver", "sender", "id", "action"].includes(key)) continue;
        expect({ key, v, json: requestJSON(p) }).toEqual({ key, v, json: JSON.stringify(p) });
      }
    }
  });

  it("writes every RES field of every kind exactly as JSON.stringify does, v5 headers and errors included", () => {
    const variants: ResponseFields[] = [
      baseResponse(),
      { ver: "4", sender: "r", id: "x", success: true, data: undefined, meta: {} },
      { ver: "5", sender: "r", id: "x", success: true, data: { s: "é" }, meta: { m: 1 }, headers: {} },
      { ver: "4", sender: "r", id: "x", success: false, data: null, error: { name: "E", message: 'a "b"', code: 500, data: { f: 1 } }, meta: {} },
      { ver: "5", sender: "r", id: "x", success: false, data: null, error: { name: "E" }, meta: {}, headers: { h: "v" } },
    ];
    for (const base of variants) {
      for (const key of Object.keys(base) as (keyof ResponseFields)[]) {
        for (const v of VALUES) {
          if (typeof v === "symbol" && ["ver", "sender", "id"].includes(key)) continue;
          const p = { ...base, [key]: v } as ResponseFields;
          expect({ key, v, json: responseJSON(p) }).toEqual({ key, v, json: JSON.stringify(p) });
        }
      }
    }
  });

  it("throws on a BigInt as JSON.stringify does (the encoder turns that into a SerializationError)", () => {
    expect(() => requestJSON({ ...baseRequest(), params: { n: 1n } })).toThrow(TypeError);
  });

  describe("against the packets transit really builds", () => {
    const broker = new ServiceBroker({ nodeID: "out", logger: false });
    const callContext = (): Context => {
      const ctx = new Context(broker, { a: 1, s: "é" }, {});
      ctx.action = { name: "math.add", rawName: "add", options: {} };
      return ctx;
    };

    it("a REQ from either protocol's builder, with and without meta, headers, timeout and a parent", () => {
      for (const ver of ["4", "5"] as const) {
        const build = outgoingPackets(ver);
        const bare = callContext();
        const full = callContext();
        full.meta = { user: { id: 1 } };
        full.headers = { auth: "t" };
        full.timeout = 1500;
        full.parentID = "parent-1";
        full.requestID = "req-1";
        full.caller = "svc";
        full.tracing = true;
        for (const ctx of [bare, full]) {
          const packet = build.request("node-1", ctx);
          expect(requestJSON(packet)).toBe(JSON.stringify(packet));
        }
      }
    });

    it("a RES from the responder, v4 and v5, result and error, through the encoder's fast path", () => {
      for (const ver of ["4", "5"] as const) {
        const seen: ResponsePacket[] = [];
        const json = new JSONSerializer();
        const spy = Object.assign(Object.create(json) as JSONSerializer, {
          serializeResponse: (p: ResponsePacket) => {
            seen.push(p);
            return json.serializeResponse(p);
          },
        });
        const sent: Buffer[] = [];
        const encoder = new PacketEncoder(spy, new MemoryTransporter());
        const log = new RateLimitedLog({ warn: () => undefined });
        const responder = new Responder("node-1", ver, encoder, (_t, data) => (sent.push(data), Promise.resolve()), log);
        const ctx = callContext();
        ctx.meta = { back: "é" };
        ctx.responseHeaders = { r: 1 };
        const ref = { id: "req-1", sender: "caller", action: "math.add" };
        responder.ok(ref, ctx, { sum: 3 });
        responder.ok(ref, callContext(), undefined);
        responder.fail(ref, { m: 1 }, new Error('bad "thing"'), { h: "v" });
        expect(seen).toHaveLength(3);
        expect(sent.map((b) => b.toString())).toEqual(seen.map((p) => JSON.stringify(p)));
      }
    });

    it("a stream REQ (more fields) takes the generic path and keeps them", () => {
      const encoder = new PacketEncoder(new JSONSerializer(), new MemoryTransporter());
      const packet = { ...outgoingPackets("4").request("n", callContext()), stream: true, seq: 3 };
      const bytes = encoder.request(packet);
      expect(Buffer.isBuffer(bytes) && JSON.parse(bytes.toString())).toMatchObject({ stream: true, seq: 3 });
    });
  });
});
