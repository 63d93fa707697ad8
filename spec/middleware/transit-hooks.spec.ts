import { Action, Context, Event, Middleware, Service, ServiceBroker } from "nucleon";
import { memoryCluster, waitUntil } from "../transit/cluster";

const events: unknown[] = [];

@Service({ name: "echo" })
class Echo {
  @Action({ params: false })
  say(p: { text: string }, ctx: Context): { text: string; stamped: unknown } {
    return { text: p.text, stamped: ctx.meta.stamped };
  }

  @Event("said", { group: "listeners" })
  onSaid(payload: unknown): void {
    events.push(payload);
  }
}

/**
 * Prepends its tag byte on send and strips it on receive, refusing bytes
 * that do not start with it: two of these only work if receive undoes send
 * in the mirror order.
 */
function tagging(tag: string, trace: string[], nodeID: string): Middleware {
  const byte = tag.charCodeAt(0);
  return {
    name: `tag-${tag}`,
    transporterSend: (next) => (topic, data, meta) => {
      if (meta.packet.type === "REQ") trace.push(`${nodeID} send ${tag}`);
      return next(topic, Buffer.concat([Buffer.from([byte]), data]), meta);
    },
    transporterReceive: (next) => (cmd, data, source) => {
      if (cmd === "REQ") trace.push(`${nodeID} receive ${tag}`);
      if (data[0] !== byte) throw new Error(`${tag}: bytes not tagged by me`);
      return next(cmd, data.subarray(1), source);
    },
  };
}

describe("transit hooks", () => {
  beforeEach(() => {
    events.length = 0;
  });

  it("compose transporterSend with the first middleware nearest the wire, and transporterReceive in the mirror order", async () => {
    const trace: string[] = [];
    const { brokers, stop } = await memoryCluster([
      { nodeID: "caller", options: { middlewares: [tagging("A", trace, "caller"), tagging("B", trace, "caller")] } },
      { nodeID: "callee", services: [Echo], options: { middlewares: [tagging("A", trace, "callee"), tagging("B", trace, "callee")] } },
    ]);
    const [caller] = brokers;
    await caller.waitForServices("echo", 2000);
    await expect(caller.call("echo.say", { text: "hi" })).resolves.toEqual({ text: "hi" });
    expect(trace).toEqual(["caller send B", "caller send A", "callee receive A", "callee receive B"]);
    await caller.emit("said", { n: 1 });
    await waitUntil(() => events.length === 1);
    expect(events).toEqual([{ n: 1 }]);
    await stop();
  });

  it("drop the bytes a transporterReceive refuses, and the node keeps serving", async () => {
    const trace: string[] = [];
    const { brokers, stop } = await memoryCluster([
      // Only the callee tags: the caller's bytes are refused by the callee's receive hook.
      { nodeID: "caller", options: { requestTimeout: 300 } },
      { nodeID: "callee", services: [Echo] },
      { nodeID: "strict", options: { middlewares: [tagging("A", trace, "strict")] } },
    ]);
    const [caller] = brokers;
    await caller.waitForServices("echo", 2000);
    await expect(caller.call("echo.say", { text: "still" })).resolves.toEqual({ text: "still" });
    // The strict node never reads the others' untagged INFO.
    expect(brokers[2].registry.nodes.has("callee")).toBe(false);
    await stop();
  });

  it("show transitPublish every packet before serialization, which it may change", async () => {
    const published: string[] = [];
    const stamping: Middleware = {
      transitPublish: (next) => (packet) => {
        published.push(packet.type);
        if (packet.type === "REQ") packet.payload.meta = { ...packet.payload.meta, stamped: "yes" };
        return next(packet);
      },
    };
    const { brokers, stop } = await memoryCluster([
      { nodeID: "caller", options: { middlewares: [stamping] } },
      { nodeID: "callee", services: [Echo] },
    ]);
    const [caller] = brokers;
    await caller.waitForServices("echo", 2000);
    for (let i = 0; i < 3; i++) await expect(caller.call("echo.say", { text: `${i}` })).resolves.toEqual({ text: `${i}`, stamped: "yes" });
    expect(published.filter((t) => t === "REQ")).toHaveLength(3);
    expect(published).toEqual(expect.arrayContaining(["DISCOVER", "INFO"]));
    await caller.emit("said", { n: 2 });
    await waitUntil(() => events.length === 1);
    expect(published.filter((t) => t === "EVENT")).toHaveLength(1);
    await stop();
  });

  it("see the RES the serving node publishes", async () => {
    const responses: unknown[] = [];
    const watching: Middleware = {
      transitPublish: (next) => (packet) => {
        if (packet.type === "RES") responses.push(packet.payload.data);
        return next(packet);
      },
    };
    const { brokers, stop } = await memoryCluster([{ nodeID: "caller" }, { nodeID: "callee", services: [Echo], options: { middlewares: [watching] } }]);
    await brokers[0].waitForServices("echo", 2000);
    await brokers[0].call("echo.say", { text: "x" });
    expect(responses).toEqual([{ text: "x" }]);
    await stop();
  });

  it("reject the call with a transitPublish failure and leave no pending request", async () => {
    const failing: Middleware = {
      transitPublish: (next) => (packet) => (packet.type === "REQ" ? Promise.reject(new Error("refused by middleware")) : next(packet)),
    };
    const { brokers, stop } = await memoryCluster([{ nodeID: "caller", options: { middlewares: [failing] } }, { nodeID: "callee", services: [Echo] }]);
    const [caller] = brokers;
    await caller.waitForServices("echo", 2000);
    await expect(caller.call("echo.say", { text: "x" })).rejects.toThrow("refused by middleware");
    expect(caller.transit?.pending.size).toBe(0);
    await stop();
  });

  it("give transporterSend Moleculer's topics, and balanced: true for the transport's queues", async () => {
    const sent: { topic: string; balanced: boolean }[] = [];
    const recording: Middleware = {
      transporterSend: (next) => (topic, data, meta) => {
        if (meta.packet.type === "REQ" || meta.packet.type === "EVENT") sent.push({ topic, balanced: meta.balanced === true });
        return next(topic, data, meta);
      },
    };
    const { brokers, stop } = await memoryCluster(
      [{ nodeID: "caller", options: { middlewares: [recording] } }, { nodeID: "callee", services: [Echo] }],
      { disableBalancer: true, namespace: "hooks" },
    );
    const [caller] = brokers;
    await caller.waitForServices("echo", 2000);
    await waitUntil(() => caller.registry.getServices().some((s) => s.name === "echo"));
    await expect(caller.call("echo.say", { text: "b" })).resolves.toEqual({ text: "b" });
    await caller.emit("said", { n: 3 });
    await waitUntil(() => events.length === 1);
    expect(sent).toEqual([
      { topic: "MOL-hooks.REQB.echo.say", balanced: true },
      { topic: "MOL-hooks.EVENTB.listeners.said", balanced: true },
    ]);
    await stop();
  });

  it("are composed once, at start, including middlewares added with use()", async () => {
    let composed = 0;
    const late: Middleware = {
      transporterSend: (next) => {
        composed++;
        return next;
      },
    };
    const broker = new ServiceBroker({ nodeID: "solo", logger: false, transporter: "memory", transit: { discoverWait: 10, stopDelay: 0 } });
    broker.use(late);
    await broker.start();
    await broker.call("$node.list");
    expect(composed).toBe(1);
    await broker.stop();
  });
});
