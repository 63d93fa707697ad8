import { type Context, ServiceNotAvailableError, ServiceNotFoundError } from "nucleon";
import { JSONSerializer } from "../../lib/serializers/json";
import { TRANSIT_DEFAULTS } from "../../lib/transit/options";
import { Transit } from "../../lib/transit/transit";
import { MemoryBus, MemoryTransporter } from "../../lib/transporters/memory";
import { waitUntil } from "./cluster";
import { type FakeHost, descriptor, fakeHost } from "./fake-host";

const math = descriptor("math", "add", "order.created");

function transitFor(host: FakeHost, bus: MemoryBus): Transit {
  return new Transit(host, new MemoryTransporter({ bus }), new JSONSerializer(), { ...TRANSIT_DEFAULTS, discoverWait: 20, stopDelay: 10 });
}

/** A call context as the broker's dispatcher leaves it for a remote endpoint. */
function callTo(host: FakeHost, nodeID: string, action: string, params: unknown): Context {
  const ctx = host.createContext(params, {});
  ctx.endpoint = { id: nodeID, local: false };
  ctx.action = { ...math.actions[0], name: action };
  ctx.timeout = 2000;
  return ctx;
}

describe("Transit over a plain-object TransitHost (no ServiceBroker)", () => {
  let bus: MemoryBus;
  let a: FakeHost;
  let b: FakeHost;
  let ta: Transit;
  let tb: Transit;

  beforeEach(async () => {
    bus = new MemoryBus();
    a = fakeHost("a", [math]);
    b = fakeHost("b");
    a.actions.set("math.add", (p, ctx) => {
      const { x, y } = p as { x: number; y: number };
      ctx.meta.servedBy = "a";
      return x + y;
    });
    ta = transitFor(a, bus);
    tb = transitFor(b, bus);
    await Promise.all([ta.connect(), tb.connect()]);
    await Promise.all([ta.announceReady(), tb.announceReady()]);
    await waitUntil(() => b.servicesOf.some((s) => s.nodeID === "a"));
  });

  afterEach(async () => {
    await Promise.all([ta.disconnect(), tb.disconnect()]);
  });

  it("tells the host which services a node declared, and emits $node.connected", () => {
    expect(b.servicesOf).toEqual([{ nodeID: "a", services: ["math"] }]);
    expect(b.nodes.get("a")?.available).toBe(true);
    expect(b.emitted.map((e) => e.event)).toEqual(expect.arrayContaining(["$transporter.connected", "$node.connected", "$services.changed"]));
    // `a` announced before `b` did, so it learnt of `b` (no services) too.
    expect(a.servicesOf).toContainEqual({ nodeID: "b", services: [] });
  });

  it("a request is served by the other node's host: result and meta come back", async () => {
    const ctx = callTo(b, "a", "math.add", { x: 2, y: 3 });
    await expect(tb.request(ctx)).resolves.toBe(5);
    expect(ctx.meta).toEqual({ servedBy: "a" });
  });

  it("what the host cannot serve comes back as its error; a stopping host refuses", async () => {
    await expect(tb.request(callTo(b, "a", "math.sub", {}))).rejects.toBeInstanceOf(ServiceNotFoundError);
    a.stopping = true;
    await expect(tb.request(callTo(b, "a", "math.add", { x: 1, y: 1 }))).rejects.toBeInstanceOf(ServiceNotAvailableError);
  });

  it("an EVENT is delivered through the receiving host, with what crossed the wire", async () => {
    const ctx = b.createContext({ id: 7 }, {});
    ctx.eventName = "order.created";
    ctx.meta.m = 1;
    await tb.sendEvent("a", ctx, ["math"], false);
    await waitUntil(() => a.delivered.length === 1);
    const [got] = a.delivered;
    expect(got.groups).toEqual(["math"]);
    expect(got.broadcast).toBe(false);
    expect(got.ctx.params).toEqual({ id: 7 });
    expect(got.ctx.meta).toEqual({ m: 1 });
    expect(got.ctx).toMatchObject({ eventName: "order.created", eventType: "emit", nodeID: "b", remote: true, id: ctx.id });
  });

  it("a node that leaves reaches the host as nodeLeft, and its pending requests are rejected", async () => {
    a.actions.set("math.slow", () => new Promise(() => undefined));
    const outcome = tb.request(callTo(b, "a", "math.slow", {})).then(() => "resolved", (err: unknown) => err);
    await new Promise((r) => setTimeout(r, 20));
    await ta.disconnect();
    await waitUntil(() => b.left.includes("a"));
    expect(await outcome).toMatchObject({ name: "RequestRejectedError" });
    expect(b.nodes.get("a")?.available).toBe(false);
    expect(b.emitted.find((e) => e.event === "$node.disconnected")?.payload).toMatchObject({ unexpected: false });
  });
});

describe("local $-events that fail", () => {
  it("are logged, and transit carries on (a throwing and a rejecting handler)", async () => {
    const bus = new MemoryBus();
    const a = fakeHost("a", [math]);
    const b = fakeHost("b");
    // b's handlers fail: synchronously for $node.*, asynchronously for everything else.
    b.emitLocal = (event) => {
      if (event.startsWith("$node.")) throw new Error(`thrown on ${event}`);
      return Promise.reject(new Error(`rejected on ${event}`));
    };
    const ta = transitFor(a, bus);
    const tb = transitFor(b, bus);
    try {
      await Promise.all([ta.connect(), tb.connect()]);
      await Promise.all([ta.announceReady(), tb.announceReady()]);
      // The throw in $node.connected did not stop the INFO from registering a's services.
      await waitUntil(() => b.servicesOf.some((s) => s.nodeID === "a"));
      await waitUntil(() => b.logs.some((l) => l.event === "$services.changed"));
      const failures = b.logs.filter((l) => l.msg === "A local event handler failed");
      expect(failures.map((l) => [l.event, l.err?.message])).toEqual(
        expect.arrayContaining([
          ["$transporter.connected", "rejected on $transporter.connected"],
          ["$node.connected", "thrown on $node.connected"],
          ["$services.changed", "rejected on $services.changed"],
        ]),
      );
      expect(failures.every((l) => l.level === 40)).toBe(true);
      a.actions.set("math.add", () => "still serving");
      await expect(tb.request(callTo(b, "a", "math.add", {}))).resolves.toBe("still serving");
    } finally {
      await Promise.all([ta.disconnect(), tb.disconnect()]);
    }
  });
});
