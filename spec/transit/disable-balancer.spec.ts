import { Action, Context, Event, Service, ServiceBroker } from "nucleon";
import { MemoryBus, MemoryTransporter } from "../../lib/transporters/memory";
import { BROKERS, uniqueNamespace } from "../support/brokers";
import { describeWith } from "../support/describe-with";
import { memoryCluster, waitUntil } from "./cluster";

const handled: string[] = [];

@Service({ name: "work" })
class Work {
  @Action({ params: false })
  who(_p: unknown, ctx: Context): string {
    return ctx.broker.nodeID;
  }

  @Event("job.*", { group: "workers" })
  onJob(_p: unknown, ctx: Context): void {
    handled.push(ctx.broker.nodeID);
  }
}

async function exercise(brokers: ServiceBroker[]): Promise<void> {
  const [caller] = brokers;
  await caller.waitForServices("work", 3000);
  // Queue subscriptions are made before each INFO; give both workers' INFO a moment.
  await waitUntil(() => caller.registry.getServices().filter((s) => s.name === "work").length === 2, 3000);
  const who = await Promise.all(Array.from({ length: 40 }, () => caller.call<string>("work.who")));
  expect(new Set(who)).toEqual(new Set(["w1", "w2"]));
  handled.length = 0;
  for (let i = 0; i < 20; i++) await caller.emit("job.done", { i });
  await waitUntil(() => handled.length === 20, 3000);
  await new Promise((r) => setTimeout(r, 50));
  expect(handled).toHaveLength(20);
}

describe("disableBalancer (memory bus queue groups)", () => {
  it("balances calls and emits through the transporter", async () => {
    const { brokers, stop } = await memoryCluster(
      [{ nodeID: "caller" }, { nodeID: "w1", services: [Work] }, { nodeID: "w2", services: [Work] }],
      { disableBalancer: true },
    );
    await exercise(brokers);
    await stop();
  });

  it("is ignored with a warning on a transporter without a balancer", () => {
    const warn = jest.fn();
    const logger = { level: "info", child: () => logger, warn, error: jest.fn(), info: jest.fn(), debug: jest.fn(), trace: jest.fn(), fatal: jest.fn() };
    const transporter = new MemoryTransporter({ bus: new MemoryBus() });
    Object.defineProperty(transporter, "hasBuiltInBalancer", { value: false });
    const broker = new ServiceBroker({ logger: logger as never, transporter, disableBalancer: true });
    expect(broker.transit?.balanced).toBe(false);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/disableBalancer is ignored/));
  });
});

describeWith("nats", "disableBalancer over NATS queue groups", () => {
  it("balances calls and emits through REQB/EVENTB", async () => {
    const namespace = uniqueNamespace("balancer");
    const brokers = ["caller", "w1", "w2"].map(
      (nodeID) =>
        new ServiceBroker({
          nodeID,
          namespace,
          logger: false,
          transporter: BROKERS.nats.url,
          disableBalancer: true,
          transit: { discoverWait: 100, stopDelay: 10 },
        }),
    );
    brokers[1].register(Work);
    brokers[2].register(Work);
    await Promise.all(brokers.map((b) => b.start()));
    try {
      await exercise(brokers);
    } finally {
      await Promise.all(brokers.map((b) => b.stop()));
    }
  });
});
