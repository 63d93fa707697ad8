import { IsInt, Min } from "class-validator";
import {
  Action,
  Context,
  NucleonClientError,
  RequestTimeoutError,
  Service,
  ServiceBroker,
  ServiceNotFoundError,
  ValidationError,
} from "nucleon";
import { memoryCluster, waitUntil } from "./cluster";

class SquareParams {
  @IsInt() @Min(0) n!: number;
}

@Service({ name: "calc", version: 1 })
class CalcService {
  @Action()
  square(p: SquareParams, ctx: Context): { result: number; node: string; caller: string | null; level: number } {
    ctx.meta.servedBy = ctx.broker.nodeID;
    return { result: p.n * p.n, node: ctx.broker.nodeID, caller: ctx.caller, level: ctx.level };
  }

  @Action({ params: false })
  teapot(): never {
    throw new NucleonClientError("bad", 418, "TEAPOT", { x: 1 });
  }

  @Action({ params: false })
  async slow(p: { ms: number }): Promise<string> {
    await new Promise((r) => setTimeout(r, p.ms));
    return "slow done";
  }

  @Action({ visibility: "protected" })
  internal(): string {
    return "local only";
  }

  @Action({ params: false })
  nothing(): void {}
}

@Service({ name: "front" })
class FrontService {
  @Action({ params: false })
  async viaRemote(p: { n: number }, ctx: Context): Promise<unknown> {
    const r = await ctx.call("v1.calc.square", { n: p.n });
    return { r, meta: ctx.meta };
  }
}

describe("remote calls over transit (memory bus)", () => {
  let brokers: ServiceBroker[];
  let stop: () => Promise<void>;
  let a: ServiceBroker;
  let b: ServiceBroker;

  beforeAll(async () => {
    ({ brokers, stop } = await memoryCluster([
      { nodeID: "node-a", services: [FrontService] },
      { nodeID: "node-b", services: [CalcService] },
    ]));
    [a, b] = brokers;
    await a.waitForServices(["v1.calc"], 2000);
  });
  afterAll(() => stop());

  it("discovers the other node's services", async () => {
    expect(a.registry.nodes.get("node-b")?.available).toBe(true);
    expect(b.registry.hasService("front")).toBe(true);
    const services = (await a.call("$node.services", { skipInternal: true })) as Array<{ fullName: string; nodes: string[] }>;
    expect(services.find((s) => s.fullName === "v1.calc")?.nodes).toEqual(["node-b"]);
  });

  it("calls a remote action with params and gets meta changes back", async () => {
    const res = (await a.call("front.viaRemote", { n: 7 }, { meta: { user: "ada" } })) as {
      r: { result: number; node: string; caller: string; level: number };
      meta: Record<string, unknown>;
    };
    expect(res.r).toEqual({ result: 49, node: "node-b", caller: "front", level: 2 });
    expect(res.meta).toEqual({ user: "ada", servedBy: "node-b" });
  });

  it("targets a node with nodeID", async () => {
    await expect(a.call("v1.calc.square", { n: 3 }, { nodeID: "node-b" })).resolves.toMatchObject({ result: 9 });
    await expect(a.call("v1.calc.square", { n: 3 }, { nodeID: "node-z" })).rejects.toBeInstanceOf(ServiceNotFoundError);
  });

  it("rebuilds remote errors as the same classes with their data and nodeID", async () => {
    const validation = await a.call("v1.calc.square", { n: -1 }).catch((e: unknown) => e);
    expect(validation).toBeInstanceOf(ValidationError);
    expect(validation).toMatchObject({ code: 422, nodeID: "node-b", data: [expect.objectContaining({ field: "n", type: "min" })] });
    const teapot = await a.call("v1.calc.teapot").catch((e: unknown) => e);
    expect(teapot).toBeInstanceOf(NucleonClientError);
    expect(teapot).toMatchObject({ message: "bad", code: 418, type: "TEAPOT", data: { x: 1 }, nodeID: "node-b" });
  });

  it("times out a remote call and drops the late response as an orphan", async () => {
    const err = await a.call("v1.calc.slow", { ms: 200 }, { timeout: 50 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RequestTimeoutError);
    expect(a.transit?.pending.size).toBe(0);
    await new Promise((r) => setTimeout(r, 200));
    await expect(a.call("v1.calc.slow", { ms: 1 })).resolves.toBe("slow done");
  });

  it("does not expose protected actions to other nodes", async () => {
    await expect(a.call("v1.calc.internal")).rejects.toBeInstanceOf(ServiceNotFoundError);
    await expect(b.call("v1.calc.internal")).resolves.toBe("local only");
  });

  it("returns undefined results as undefined", async () => {
    await expect(a.call("v1.calc.nothing")).resolves.toBeUndefined();
  });

  it("pings a node and every node", async () => {
    const pong = await a.ping("node-b");
    expect(pong).toMatchObject({ nodeID: "node-b" });
    expect(pong!.elapsedTime).toBeGreaterThanOrEqual(0);
    const all = await a.ping();
    expect(Object.keys(all)).toEqual(["node-b"]);
    await expect(a.ping("ghost", 50)).resolves.toBeNull();
  });

  it("answers $node actions remotely", async () => {
    const list = (await a.call("$node.list", {}, { nodeID: "node-b" })) as Array<{ id: string; local: boolean }>;
    expect(list.map((n) => n.id).sort()).toEqual(["node-a", "node-b"]);
    const health = (await a.call("$node.health", {}, { nodeID: "node-b" })) as { process: { pid: number } };
    expect(health.process.pid).toBe(process.pid);
    const actions = (await a.call("$node.actions", { skipInternal: true })) as Array<{ name: string }>;
    expect(actions.map((x) => x.name)).toEqual(expect.arrayContaining(["v1.calc.square", "front.viaRemote"]));
    const events = await b.call("$node.events", { onlyLocal: true });
    expect(Array.isArray(events)).toBe(true);
  });

  it("sees a node leave gracefully and reject its pending calls", async () => {
    const { brokers: [x, y], stop: stopAll } = await memoryCluster([
      { nodeID: "x", services: [FrontService] },
      { nodeID: "y", services: [CalcService] },
    ]);
    await x.waitForServices("v1.calc", 2000);
    const seen: unknown[] = [];
    x.registerDescriptor(
      { name: "watch", fullName: "watch", settings: {}, metadata: {}, dependencies: [], actions: [], events: [{ name: "$node.disconnected", group: "watch", method: "on", options: {} }] },
      { on: (p: unknown) => seen.push(p) },
    );
    await waitUntil(() => x.registry.hasService("watch"));
    const slow = x.call("v1.calc.slow", { ms: 100 });
    await waitUntil(() => y.tracker.inFlight() > 0);
    await y.stop();
    // Graceful: in-flight work finished before y left.
    await expect(slow).resolves.toBe("slow done");
    await waitUntil(() => seen.length > 0);
    expect(seen[0]).toMatchObject({ node: { id: "y" }, unexpected: false });
    expect(x.registry.hasService("v1.calc")).toBe(false);
    await expect(x.call("v1.calc.square", { n: 1 })).rejects.toBeInstanceOf(ServiceNotFoundError);
    await stopAll();
  });
});
