import { MemoryBus, MemoryTransporter } from "../../lib/transporters";
import { sleep, start, until } from "./helpers";
import { transporterBehaviour } from "./transporter-behaviour";

describe("MemoryTransporter", () => {
  describe("shared behaviour (own bus)", () => {
    let bus: MemoryBus;
    beforeEach(() => (bus = new MemoryBus()));
    transporterBehaviour(() => new MemoryTransporter({ bus }), { balanced: true });
  });

  describe("shared behaviour (shared default bus)", () => {
    transporterBehaviour(() => new MemoryTransporter(), { balanced: true });
  });

  it("passes the very Buffer published (no copy)", async () => {
    const bus = new MemoryBus();
    const a = new MemoryTransporter({ bus });
    const rec = await start(a, "MOL", "a");
    await a.subscribe("EVENT", "a");
    const data = Buffer.from("same");
    await a.publish("EVENT", "a", data);
    await until(() => rec.messages.length === 1, "event");
    expect(rec.messages[0].data).toBe(data);
    await a.disconnect();
  });

  it("keeps busses apart", async () => {
    const a = new MemoryTransporter({ bus: new MemoryBus() });
    const b = new MemoryTransporter({ bus: new MemoryBus() });
    const recB = await start(b, "MOL", "b");
    await start(a, "MOL", "a");
    await b.subscribe("INFO");
    await a.publish("INFO", null, Buffer.from("x"));
    await sleep(20);
    expect(recB.messages).toHaveLength(0);
    await Promise.all([a.disconnect(), b.disconnect()]);
  });

  it("round-robins a queue group evenly and survives a throwing listener", async () => {
    const bus = new MemoryBus();
    const got: string[] = [];
    bus.subscribe("s", () => got.push("1"), "q");
    bus.subscribe("s", () => got.push("2"), "q");
    bus.subscribe("s", () => {
      throw new Error("boom");
    });
    bus.subscribe("s", () => got.push("plain"));
    for (let i = 0; i < 4; i++) bus.publish("s", Buffer.alloc(0));
    await until(() => got.length === 8, "8 deliveries");
    expect(got.filter((g) => g === "1")).toHaveLength(2);
    expect(got.filter((g) => g === "2")).toHaveLength(2);
    expect(got.filter((g) => g === "plain")).toHaveLength(4);
  });

  it("lets timers run between deliveries (no microtask starvation)", async () => {
    const bus = new MemoryBus();
    let hops = 0;
    // A ping-pong that would never yield to the timer below if delivery used microtasks.
    const sub = bus.subscribe("ping", () => {
      hops++;
      bus.publish("ping", Buffer.alloc(0));
    });
    bus.publish("ping", Buffer.alloc(0));
    await sleep(20);
    expect(hops).toBeGreaterThan(0);
    sub.unsubscribe(); // also drops the delivery already queued
    sub.unsubscribe(); // idempotent
    const stopped = hops;
    await sleep(10);
    expect(hops).toBe(stopped);
  });
});
