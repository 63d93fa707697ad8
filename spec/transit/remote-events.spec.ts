import { Context, Event, Service, ServiceBroker } from "nucleon";
import { memoryCluster, waitUntil } from "./cluster";

const got: Array<{ node: string; handler: string; payload: unknown; ctx: Context }> = [];

@Service({ name: "mailer" })
class Mailer {
  @Event("order.created")
  onOrder(payload: unknown, ctx: Context) {
    got.push({ node: ctx.broker.nodeID, handler: "mailer", payload, ctx });
  }
}

@Service({ name: "stats" })
class Stats {
  @Event("order.*")
  onAny(payload: unknown, ctx: Context) {
    got.push({ node: ctx.broker.nodeID, handler: "stats", payload, ctx });
  }
}

describe("remote events", () => {
  let brokers: ServiceBroker[];
  let stop: () => Promise<void>;
  beforeAll(async () => {
    ({ brokers, stop } = await memoryCluster([
      { nodeID: "emitter" },
      { nodeID: "m1", services: [Mailer, Stats] },
      { nodeID: "m2", services: [Mailer] },
    ]));
    await brokers[0].waitForServices(["mailer", "stats"], 2000);
    await waitUntil(() => brokers[0].registry.events.match("order.created").every((l) => l.size >= 1));
    await waitUntil(() => (brokers[0].registry.events.match("order.created").find((l) => l.group === "mailer")?.size ?? 0) === 2);
  });
  afterAll(() => stop());
  beforeEach(() => (got.length = 0));

  it("emit delivers once per group across the cluster, balanced within the group", async () => {
    const [emitter] = brokers;
    for (let i = 0; i < 10; i++) await emitter.emit("order.created", { i }, { meta: { m: 1 } });
    await waitUntil(() => got.length === 20);
    const mailer = got.filter((g) => g.handler === "mailer");
    expect(mailer).toHaveLength(10);
    expect(new Set(mailer.map((g) => g.node))).toEqual(new Set(["m1", "m2"]));
    expect(got.filter((g) => g.handler === "stats")).toHaveLength(10);
    expect(got[0].ctx.meta).toEqual({ m: 1 });
    expect(got[0].ctx.eventType).toBe("emit");
    expect(got[0].ctx.nodeID).toBe("emitter");
  });

  it("broadcast reaches every handler on every node", async () => {
    await brokers[0].broadcast("order.created", { b: true });
    await waitUntil(() => got.length === 3);
    expect(got.map((g) => `${g.node}:${g.handler}`).sort()).toEqual(["m1:mailer", "m1:stats", "m2:mailer"]);
    expect(got.every((g) => g.ctx.eventType === "broadcast")).toBe(true);
  });

  it("emit with groups reaches only those groups", async () => {
    await brokers[0].emit("order.created", {}, { groups: ["stats"] });
    await waitUntil(() => got.length === 1);
    await new Promise((r) => setTimeout(r, 30));
    expect(got.map((g) => g.handler)).toEqual(["stats"]);
  });

  it("broadcastLocal never leaves the node", async () => {
    await brokers[0].broadcastLocal("order.created", {});
    await new Promise((r) => setTimeout(r, 30));
    expect(got).toHaveLength(0);
  });
});
