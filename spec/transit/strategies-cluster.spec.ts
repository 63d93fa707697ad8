import { Action, Context, Service, ServiceBroker } from "nucleon";
import { memoryCluster, waitUntil } from "./cluster";

@Service({ name: "carts", strategy: "Shard", strategyOptions: { shardKey: "userId" } })
class CartsService {
  @Action({ params: false })
  owner(_p: { userId: string }, ctx: Context): string {
    return ctx.broker.nodeID;
  }
}

@Service({ name: "plain" })
class PlainService {
  @Action({ params: false })
  who(_p: unknown, ctx: Context): string {
    return ctx.broker.nodeID;
  }
}

async function threeWorkers(common: ConstructorParameters<typeof ServiceBroker>[0] = {}) {
  const cluster = await memoryCluster(
    [
      { nodeID: "caller" },
      { nodeID: "w1", services: [CartsService, PlainService] },
      { nodeID: "w2", services: [CartsService, PlainService] },
      { nodeID: "w3", services: [CartsService, PlainService] },
    ],
    common,
  );
  const caller = cluster.brokers[0];
  await waitUntil(() => (caller.registry.actions.get("plain.who")?.size ?? 0) === 3 && (caller.registry.actions.get("carts.owner")?.size ?? 0) === 3);
  return { ...cluster, caller };
}

describe("strategies on a 3-node cluster", () => {
  it("a service's own strategy (Shard) wins over the broker's: one user, one node", async () => {
    const { caller, stop } = await threeWorkers();
    const owners = new Map<string, Set<string>>();
    for (let i = 0; i < 300; i++) {
      const userId = `u${i % 60}`;
      const node = await caller.call<string>("carts.owner", { userId });
      owners.set(userId, (owners.get(userId) ?? new Set()).add(node));
    }
    expect([...owners.values()].every((nodes) => nodes.size === 1)).toBe(true);
    expect(new Set([...owners.values()].map((s) => [...s][0])).size).toBeGreaterThan(1);
    // The other service keeps the broker's RoundRobin.
    const who = await Promise.all(Array.from({ length: 30 }, () => caller.call<string>("plain.who")));
    expect(["w1", "w2", "w3"].map((n) => who.filter((w) => w === n).length)).toEqual([10, 10, 10]);
    await stop();
  });

  it("CpuUsage sends calls to the least busy node", async () => {
    const { caller, stop } = await threeWorkers({ registry: { strategy: "CpuUsage", strategyOptions: { sampleCount: 3, lowCpuUsage: 5 } } });
    const cpu: Record<string, number> = { w1: 80, w2: 20, w3: 60 };
    for (const [id, value] of Object.entries(cpu)) caller.registry.nodes.get(id)!.cpu = value;
    const who = await Promise.all(Array.from({ length: 60 }, () => caller.call<string>("plain.who")));
    expect(who.every((w) => w === "w2")).toBe(true);
    await stop();
  });
});
