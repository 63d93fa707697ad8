import { Action, Event, Service, ServiceBroker } from "nucleon";
import { MemoryBus, MemoryTransporter } from "../../lib/transporters/memory";
import { JSONSerializer } from "../../lib/serializers/json";
import { waitUntil } from "./cluster";

@Service({ name: "echo" })
class Echo {
  @Action({ params: false })
  say(p: { text: string }): string {
    return p.text;
  }
}

const nodeEvents: Array<{ event: string; payload: Record<string, unknown> }> = [];
@Service({ name: "watch" })
class Watch {
  @Event("$node.*")
  on(payload: Record<string, unknown>, ctx: { eventName: string | null }) {
    nodeEvents.push({ event: ctx.eventName as string, payload });
  }
}

/** A raw client on the same bus: publishes hand-made packets like a foreign node. */
function rawClient(bus: MemoryBus, nodeID: string) {
  const t = new MemoryTransporter({ bus });
  const received: Array<{ cmd: string; payload: Record<string, unknown> }> = [];
  const json = new JSONSerializer();
  t.init({
    prefix: "MOL",
    nodeID,
    logger: { child: () => ({}) } as never,
    handlers: {
      onMessage: (cmd, data) => received.push({ cmd, payload: json.deserialize(data) as Record<string, unknown> }),
      onConnect: async () => undefined,
      onDisconnect: () => undefined,
    },
  });
  return {
    t,
    received,
    async connect() {
      await t.connect();
      for (const cmd of ["INFO", "DISCOVER", "RES", "REQ", "EVENT", "PONG"] as const) await t.subscribe(cmd, nodeID);
      await t.subscribe("INFO");
      await t.subscribe("DISCONNECT");
    },
    send(cmd: Parameters<MemoryTransporter["publish"]>[0], target: string | null, payload: unknown) {
      const data = Buffer.isBuffer(payload) ? payload : json.serialize(payload);
      return t.publish(cmd, target, data);
    },
  };
}

describe("discovery and heartbeats", () => {
  beforeEach(() => (nodeEvents.length = 0));

  it("raises $node.connected, updates on INFO with a higher seq, and sees a new service", async () => {
    const bus = new MemoryBus();
    const make = (nodeID: string) =>
      new ServiceBroker({ nodeID, logger: false, transporter: new MemoryTransporter({ bus }), transit: { discoverWait: 10, stopDelay: 5 } });
    const w = make("w");
    w.register(Watch);
    await w.start();
    const e = make("e");
    await e.start();
    const stop = () => Promise.all([w.stop(), e.stop()]);
    await waitUntil(() => nodeEvents.some((n) => n.event === "$node.connected"));
    expect(nodeEvents.find((n) => n.event === "$node.connected")?.payload).toMatchObject({ node: { id: "e" }, reconnected: false });
    const seqBefore = w.registry.nodes.get("e")!.seq;
    e.register(Echo);
    await w.waitForServices("echo", 2000);
    expect(w.registry.nodes.get("e")!.seq).toBeGreaterThan(seqBefore);
    await expect(w.call("echo.say", { text: "hi" })).resolves.toBe("hi");
    await stop();
  });

  it("takes a silent node offline after heartbeatTimeout (unexpected) and asks unknown heartbeaters to DISCOVER", async () => {
    const bus = new MemoryBus();
    const broker = new ServiceBroker({
      nodeID: "main",
      logger: false,
      transporter: new MemoryTransporter({ bus }),
      transit: { discoverWait: 10 },
      heartbeatInterval: 0.05,
      heartbeatTimeout: 0.2,
    });
    broker.register(Watch);
    await broker.start();
    const raw = rawClient(bus, "ghost");
    await raw.connect();
    await raw.send("INFO", null, {
      ver: "4",
      sender: "ghost",
      services: [{ name: "g", fullName: "g", settings: {}, metadata: {}, actions: { "g.x": { name: "g.x" } }, events: {} }],
      ipList: [],
      hostname: "h",
      client: { type: "test", version: "1", langVersion: "1" },
      config: {},
      instanceID: "i-1",
      metadata: {},
      seq: 3,
    });
    await waitUntil(() => broker.registry.hasService("g"));
    await waitUntil(() => nodeEvents.some((n) => n.event === "$node.disconnected"), 2000);
    expect(nodeEvents.find((n) => n.event === "$node.disconnected")?.payload).toMatchObject({ node: { id: "ghost" }, unexpected: true });
    expect(broker.registry.hasService("g")).toBe(false);

    // A heartbeat from an offline/unknown node gets a targeted DISCOVER.
    await raw.send("HEARTBEAT", null, { ver: "4", sender: "ghost", cpu: 5 });
    await waitUntil(() => raw.received.some((r) => r.cmd === "DISCOVER" && r.payload.sender === "main"));
    await raw.t.disconnect();
    await broker.stop();
  });

  it("drops garbage and malformed packets and keeps serving", async () => {
    const bus = new MemoryBus();
    const broker = new ServiceBroker({ nodeID: "target", logger: false, transporter: new MemoryTransporter({ bus }), transit: { discoverWait: 10 } });
    broker.register(Echo);
    await broker.start();
    const raw = rawClient(bus, "fuzzer");
    await raw.connect();
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const cmds = ["REQ", "RES", "EVENT", "INFO", "DISCOVER", "HEARTBEAT", "PING", "PONG", "DISCONNECT"] as const;
    const shapes: unknown[] = [
      null,
      42,
      "str",
      [],
      { ver: "4" },
      { ver: "4", sender: "fuzzer", id: 5 },
      { ver: "4", sender: "fuzzer", action: "echo.say" },
      { ver: "4", sender: "fuzzer", services: "nope" },
      { ver: "4", sender: "fuzzer", services: [null] },
      { ver: "4", sender: "fuzzer", event: 1 },
      { ver: "4", sender: "fuzzer", id: "x", success: "yes" },
      { ver: "4", sender: "fuzzer", cpu: "hot" },
      { ver: "3", sender: "fuzzer", id: "v3", action: "echo.say", params: { text: "old" } },
    ];
    for (let i = 0; i < 3000; i++) {
      const cmd = cmds[Math.floor(rand() * cmds.length)];
      const target = rand() < 0.5 ? "target" : null;
      if (rand() < 0.5) {
        const junk = Buffer.alloc(Math.floor(rand() * 64), Math.floor(rand() * 256));
        await raw.send(cmd, target, junk);
      } else await raw.send(cmd, target, shapes[Math.floor(rand() * shapes.length)]);
    }
    await raw.send("REQ", "target", Buffer.alloc(2 * 1024 * 1024, 0x7b)); // 2 MiB of "{"
    await new Promise((r) => setTimeout(r, 50));
    // A v3 request got no answer; a proper one does.
    expect(raw.received.some((r) => r.cmd === "RES" && r.payload?.id === "v3")).toBe(false);
    await raw.send("REQ", "target", {
      ver: "4",
      sender: "fuzzer",
      id: "ok-1",
      action: "echo.say",
      params: { text: "still here" },
      meta: {},
      timeout: null,
      level: 1,
      tracing: null,
      parentID: null,
      requestID: "ok-1",
      caller: null,
      stream: false,
    });
    await waitUntil(() => raw.received.some((r) => r.cmd === "RES" && r.payload?.id === "ok-1"));
    expect(raw.received.find((r) => r.payload?.id === "ok-1")?.payload).toMatchObject({ success: true, data: "still here" });
    await expect(broker.call("echo.say", { text: "local" })).resolves.toBe("local");
    await raw.t.disconnect();
    await broker.stop();
  });

  it("rejects a pending call at once when its RES is malformed", async () => {
    const bus = new MemoryBus();
    const broker = new ServiceBroker({ nodeID: "caller", logger: false, transporter: new MemoryTransporter({ bus }), transit: { discoverWait: 10 } });
    await broker.start();
    const raw = rawClient(bus, "bad-peer");
    await raw.connect();
    await raw.send("INFO", null, {
      ver: "4", sender: "bad-peer", services: [{ name: "bad", fullName: "bad", settings: {}, metadata: {}, actions: { "bad.x": { name: "bad.x" } }, events: {} }],
      ipList: [], hostname: "h", client: { type: "t", version: "1", langVersion: "1" }, config: {}, instanceID: "i", metadata: {}, seq: 1,
    });
    await broker.waitForServices("bad", 1000);
    const call = broker.call("bad.x", {});
    await waitUntil(() => raw.received.some((r) => r.cmd === "REQ"));
    const req = raw.received.find((r) => r.cmd === "REQ")!.payload;
    expect(req).toMatchObject({ ver: "4", sender: "caller", action: "bad.x", level: 1, stream: false });
    await raw.send("RES", "caller", { ver: "4", sender: "bad-peer", id: req.id, success: false });
    await expect(call).rejects.toMatchObject({ type: "INVALID_PACKET_DATA" });
    await raw.t.disconnect();
    await broker.stop();
  });
});
