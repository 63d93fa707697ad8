import { Action, InvalidPacketDataError, Service, ServiceBroker } from "nucleon";
import { JSONSerializer, MsgPackSerializer, type Serializer } from "../../lib/serializers";
import { MemoryBus, MemoryTransporter } from "../../lib/transporters/memory";

@Service({ name: "echo" })
class Echo {
  @Action({ params: false })
  say(p: { text: string }): string {
    return p.text;
  }
}

/** `{a:{a:…}}`, `levels` objects deep (built in a loop: no recursion here either). */
function nested(levels: number): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  let cur = root;
  for (let i = 1; i < levels; i++) cur = (cur.a = {}) as Record<string, unknown>;
  return root;
}

/** The MsgPack bytes of `nested(levels)`, written by hand: packing it would overflow the encoder's stack. */
function nestedMsgPack(levels: number): Buffer {
  return Buffer.concat([Buffer.from("81a161".repeat(levels - 1), "hex"), Buffer.from([0x80])]);
}

/** Swaps the placeholder string "MMMM" in a MsgPack packet for raw `meta` bytes. */
function withMeta(packet: Buffer, meta: Buffer): Buffer {
  const at = packet.indexOf(Buffer.from("a44d4d4d4d", "hex"));
  return Buffer.concat([packet.subarray(0, at), meta, packet.subarray(at + 5)]);
}

/** A `{"a":…}` JSON text nested `levels` deep, without building the object. */
function nestedJson(levels: number): string {
  return '{"a":'.repeat(levels - 1) + "{}" + "}".repeat(levels - 1);
}

describe.each<[string, Serializer, number]>([
  ["JSON", new JSONSerializer(), 10_000],
  ["MsgPack", new MsgPackSerializer(), 3_000],
])("a hostile REQ over %s", (name, serializer, levels) => {
  const unhandled: unknown[] = [];
  const trap = (reason: unknown) => unhandled.push(reason);
  let bus: MemoryBus;
  let target: ServiceBroker;
  let caller: ServiceBroker;

  beforeAll(async () => {
    process.on("unhandledRejection", trap);
    bus = new MemoryBus();
    const make = (nodeID: string) =>
      new ServiceBroker({ nodeID, logger: false, serializer: name, transporter: new MemoryTransporter({ bus }), transit: { discoverWait: 20, stopDelay: 10 } });
    target = make("target");
    target.register(Echo);
    caller = make("caller");
    await Promise.all([target.start(), caller.start()]);
    await caller.waitForServices("echo", 2000);
  });

  afterAll(async () => {
    await Promise.all([caller.stop(), target.stop()]);
    process.off("unhandledRejection", trap);
  });

  /** Publishes a raw REQ as node "mallory" and resolves with the RES the target sends back. */
  function attack(req: Buffer): Promise<Record<string, unknown>> {
    return new Promise((resolve) => {
      const sub = bus.subscribe("MOL.RES.mallory", (data) => {
        sub.unsubscribe();
        resolve(serializer.deserialize(data) as Record<string, unknown>);
      });
      bus.publish("MOL.REQ.target", req);
    });
  }

  const head = { ver: "4", sender: "mallory", id: "evil-1", action: "$node.list", params: {}, timeout: null, level: 1 };

  it(`answers a REQ whose meta is ${levels} levels deep with an error RES and keeps serving`, async () => {
    const req =
      name === "JSON"
        ? Buffer.from(`{"ver":"4","sender":"mallory","id":"evil-1","action":"$node.list","params":{},"meta":${nestedJson(levels)}}`)
        : withMeta(serializer.serialize({ ...head, meta: "MMMM" }), nestedMsgPack(levels));
    const res = await attack(req);
    expect(res).toMatchObject({ id: "evil-1", success: false, error: { name: "InvalidPacketDataError", type: "INVALID_PACKET_DATA" } });
    expect(String((res.error as { message: string }).message)).toContain("nested deeper than 100 levels");
    await expect(caller.call("echo.say", { text: "still here" })).resolves.toBe("still here");
    await expect(caller.call("$node.list", {}, { nodeID: "target" })).resolves.toEqual(expect.any(Array));
    expect(unhandled).toEqual([]);
  });

  it("serves a packet just under the depth limit (the RES echoes its meta)", async () => {
    // Packet level 1, meta level 2: a meta of 99 levels makes a packet of exactly 100.
    const res = await attack(serializer.serialize({ ...head, id: "ok-1", meta: nested(99) }));
    expect(res).toMatchObject({ id: "ok-1", success: true });
    expect(unhandled).toEqual([]);
  });
});

describe("transit.maxPacketDepth", () => {
  it("is configurable, and a caller whose REQ is refused gets InvalidPacketDataError at once", async () => {
    const bus = new MemoryBus();
    // Only the target is strict (the caller must still read the target's INFO).
    const make = (nodeID: string, maxPacketDepth?: number) =>
      new ServiceBroker({ nodeID, logger: false, transporter: new MemoryTransporter({ bus }), transit: { discoverWait: 20, stopDelay: 10, ...(maxPacketDepth ? { maxPacketDepth } : {}) } });
    const target = make("target", 4);
    target.register(Echo);
    const caller = make("caller");
    await Promise.all([target.start(), caller.start()]);
    await caller.waitForServices("echo", 2000);
    // packet → params → x → y: 4 levels, accepted; one more is refused.
    await expect(caller.call("echo.say", { text: "flat", x: { y: {} } })).resolves.toBe("flat");
    const err = await caller.call("echo.say", { text: "deep", x: { y: { z: {} } } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidPacketDataError);
    expect(caller.transit?.pending.size).toBe(0);
    await Promise.all([caller.stop(), target.stop()]);
  });
});

describe("transit options set to undefined", () => {
  it("keep their defaults: { maxPacketDepth: undefined } still refuses a packet nested past 100 levels", async () => {
    const bus = new MemoryBus();
    const make = (nodeID: string) =>
      new ServiceBroker({ nodeID, logger: false, transporter: new MemoryTransporter({ bus }), transit: { discoverWait: 20, stopDelay: 10, maxPacketDepth: undefined } });
    const target = make("target");
    target.register(Echo);
    const caller = make("caller");
    await Promise.all([target.start(), caller.start()]);
    try {
      await caller.waitForServices("echo", 2000);
      let deep: Record<string, unknown> = {};
      for (let i = 0; i < 120; i++) deep = { d: deep };
      const err = await caller.call("echo.say", { text: "deep", x: deep }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InvalidPacketDataError);
    } finally {
      await Promise.all([caller.stop(), target.stop()]);
    }
  });
});
