import { Action, Cached, Context, Event, Service, ServiceBroker } from "nucleon";
import { memoryCluster, waitUntil } from "../transit/cluster";
import { CollectingExporter, idsOf } from "./collect";
import { spanIdOf, traceIdOf } from "nucleon";

@Service({ name: "outer" })
class OuterService {
  @Action({ params: false })
  async run(p: { n: number }, ctx: Context): Promise<number> {
    const doubled = await ctx.call<number>("inner.double", { n: p.n });
    await ctx.emit("ran", { n: doubled });
    return doubled;
  }

  @Action({ params: false })
  fail(): never {
    throw new Error("boom");
  }
}

@Service({ name: "inner" })
class InnerService {
  @Action({ params: false })
  double(p: { n: number }): number {
    return p.n * 2;
  }
}

@Service({ name: "prices" })
class PricesService {
  @Cached({ keys: ["sku"] })
  @Action({ params: false })
  get(p: { sku: string }): number {
    return p.sku.length;
  }
}

const seen: string[] = [];
@Service({ name: "listener" })
class ListenerService {
  @Event("ran")
  onRan(payload: { n: number }, ctx: Context): void {
    seen.push(`${ctx.broker.nodeID}:${payload.n}`);
  }
}

describe("tracing spans", () => {
  it("a local nested call is one trace: root action → child action → event, linked by parent ids", async () => {
    const exporter = new CollectingExporter();
    const broker = new ServiceBroker({ logger: false, tracing: { exporter, tags: { action: { params: true } } } });
    broker.register(OuterService, InnerService, ListenerService);
    await broker.start();
    expect(await broker.call("outer.run", { n: 21 })).toBe(42);
    await waitUntil(() => seen.length > 0);
    await broker.tracer!.flush();
    await broker.stop();

    const root = exporter.byName("action 'outer.run'");
    const child = exporter.byName("action 'inner.double'");
    const event = exporter.byName("event 'ran' in 'listener'");
    expect(idsOf(root).parentId).toBeNull();
    expect(idsOf(child).parentId).toBe(idsOf(root).spanId);
    expect(idsOf(event).parentId).toBe(idsOf(root).spanId);
    expect(new Set([root, child, event].map((s) => idsOf(s).traceId)).size).toBe(1);
    expect(idsOf(root).traceId).toBe(traceIdOf(String(root.attributes.requestID)));
    expect(root.attributes).toMatchObject({
      "action.name": "outer.run",
      "service.name": "outer",
      callingLevel: 1,
      remoteCall: false,
      nodeID: broker.nodeID,
      fromCache: false,
      "params.n": 21,
    });
    expect(child.attributes.callingLevel).toBe(2);
    expect(event.attributes).toMatchObject({ "event.name": "ran", eventName: "ran", "service.name": "listener" });
  });

  it("a cache hit is tagged fromCache; meta and response tags come on demand", async () => {
    const exporter = new CollectingExporter();
    const broker = new ServiceBroker({
      logger: false,
      cacher: "Memory",
      tracing: { exporter, tags: { action: { meta: ["tenant"], response: true } } },
    });
    broker.register(PricesService);
    await broker.start();
    await broker.call("prices.get", { sku: "abc" }, { meta: { tenant: "t1", secret: "x" } });
    await broker.call("prices.get", { sku: "abc" }, { meta: { tenant: "t1" } });
    await broker.tracer!.flush();
    await broker.stop();
    const [miss, hit] = exporter.spans.filter((s) => s.name === "action 'prices.get'");
    expect(miss.attributes).toMatchObject({ fromCache: false, "meta.tenant": "t1", response: 3 });
    expect(hit.attributes).toMatchObject({ fromCache: true });
    expect(miss.attributes["meta.secret"]).toBeUndefined();
    expect(miss.attributes["params.sku"]).toBeUndefined(); // params not asked for
  });

  it("a failed action's span has the ERROR status and the error's name", async () => {
    const exporter = new CollectingExporter();
    const broker = new ServiceBroker({ logger: false, tracing: { exporter } });
    broker.register(OuterService);
    await broker.start();
    await expect(broker.call("outer.fail")).rejects.toThrow("boom");
    await broker.tracer!.flush();
    await broker.stop();
    const span = exporter.byName("action 'outer.fail'");
    expect(span.status).toEqual({ code: 2, message: "boom" });
    expect(span.attributes["error.name"]).toBe("Error");
  });

  it("a remote call has a caller-side span on the caller and the responder's span on the other node, one trace", async () => {
    const a = new CollectingExporter();
    const b = new CollectingExporter();
    const cluster = await memoryCluster([
      { nodeID: "a", services: [OuterService], options: { tracing: { exporter: a } } },
      { nodeID: "b", services: [InnerService, ListenerService], options: { tracing: { exporter: b } } },
    ]);
    try {
      const [na, nb] = cluster.brokers;
      await na.waitForServices("inner", 2000);
      seen.length = 0;
      expect(await na.call("outer.run", { n: 2 })).toBe(4);
      await waitUntil(() => seen.includes("b:4"));
      await na.tracer!.flush();
      await waitUntil(() => b.spans.length >= 2);
      await nb.tracer!.flush();

      const root = a.byName("action 'outer.run'");
      const caller = a.byName("call 'inner.double'");
      const responder = b.byName("action 'inner.double'");
      const event = b.byName("event 'ran' in 'listener'");
      const trace = idsOf(root).traceId;
      for (const s of [caller, responder, event]) expect(idsOf(s).traceId).toBe(trace);
      expect(caller.kind).toBe(2); // CLIENT
      expect(responder.kind).toBe(1); // SERVER
      expect(idsOf(caller).parentId).toBe(idsOf(root).spanId);
      // The responder links to the calling handler, as Moleculer's spans do (ctx.parentID).
      expect(idsOf(responder).parentId).toBe(idsOf(root).spanId);
      expect(idsOf(caller).spanId).not.toBe(idsOf(responder).spanId);
      expect(responder.attributes).toMatchObject({ remoteCall: true, callerNodeID: "a", nodeID: "b", callingLevel: 2 });
      expect(idsOf(event).parentId).toBe(idsOf(root).spanId);
      expect(event.attributes).toMatchObject({ remoteCall: true, callerNodeID: "a" });
    } finally {
      await cluster.stop();
    }
  });

  it("sampling is decided at the root and travels with the call: rate 0 on the caller means no span on either node", async () => {
    const a = new CollectingExporter();
    const b = new CollectingExporter();
    const cluster = await memoryCluster([
      { nodeID: "a0", services: [OuterService], options: { tracing: { exporter: a, sampling: { rate: 0 } } } },
      { nodeID: "b0", services: [InnerService], options: { tracing: { exporter: b, sampling: { rate: 1 } } } },
    ]);
    try {
      const [na, nb] = cluster.brokers;
      await na.waitForServices("inner", 2000);
      for (let i = 0; i < 5; i++) await na.call("outer.run", { n: i });
      // b samples its own roots: the control that b's exporter works at all.
      await nb.call("inner.double", { n: 1 });
      await na.tracer!.flush();
      await nb.tracer!.flush();
      expect(a.spans).toHaveLength(0);
      expect(b.spans.map((s) => s.name)).toEqual(["action 'inner.double'"]);
      expect(b.spans[0].attributes.remoteCall).toBe(false);
    } finally {
      await cluster.stop();
    }
  });

  it("rate 0.1 records one root in ten, with all of its children", async () => {
    const exporter = new CollectingExporter();
    const broker = new ServiceBroker({ logger: false, tracing: { exporter, sampling: { rate: 0.1 }, events: false } });
    broker.register(OuterService, InnerService);
    await broker.start();
    for (let i = 0; i < 20; i++) await broker.call("outer.run", { n: i });
    await broker.tracer!.flush();
    await broker.stop();
    expect(exporter.spans.filter((s) => s.name === "action 'outer.run'")).toHaveLength(2);
    expect(exporter.spans.filter((s) => s.name === "action 'inner.double'")).toHaveLength(2);
  });

  it("an explicit requestID becomes the trace id; a context id the span id", async () => {
    const exporter = new CollectingExporter();
    const broker = new ServiceBroker({ logger: false, tracing: { exporter, events: false } });
    broker.register(InnerService);
    await broker.start();
    await broker.call("inner.double", { n: 1 }, { requestID: "http-req-42" });
    await broker.tracer!.flush();
    await broker.stop();
    const span = exporter.byName("action 'inner.double'");
    expect(idsOf(span).traceId).toBe(traceIdOf("http-req-42"));
    expect(span.attributes.requestID).toBe("http-req-42");
    expect(idsOf(span).spanId).not.toBe(spanIdOf("http-req-42"));
  });
});
