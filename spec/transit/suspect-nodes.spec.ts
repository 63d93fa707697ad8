import { Action, Context, Event, Service, ServiceBroker } from "nucleon";
import type { SelectableEndpoint, Strategy } from "../../lib/strategies/strategy";
import { MemoryBus, MemoryTransporter } from "../../lib/transporters/memory";
import { waitUntil } from "./cluster";

@Service({ name: "work" })
class Work {
  @Action({ params: false })
  who(_p: unknown, ctx: Context): string {
    return ctx.broker.nodeID;
  }

  @Action({ params: false })
  async slow(): Promise<string> {
    await new Promise((r) => setTimeout(r, 200));
    return "late";
  }
}

/** Always the lowest nodeID: the silent node ("a-silent") is picked whenever it is selectable. */
class LowestId implements Strategy {
  select<E extends SelectableEndpoint>(endpoints: readonly E[]): E {
    return [...endpoints].sort((x, y) => x.id.localeCompare(y.id))[0];
  }
}

const disconnected: Array<{ nodeID: string; unexpected: boolean }> = [];
const pongs: string[] = [];
@Service({ name: "watch" })
class Watch {
  @Event("$node.disconnected")
  gone(payload: { node: { id: string }; unexpected: boolean }): void {
    disconnected.push({ nodeID: payload.node.id, unexpected: payload.unexpected });
  }

  @Event("$node.pong")
  pong(payload: { nodeID: string }): void {
    pongs.push(payload.nodeID);
  }
}

/**
 * A node goes silent without a DISCONNECT (a kill -9). The heartbeat timeout
 * is 30 s, yet the first request to it that times out makes the caller ping
 * it; no PONG takes it out of selection at once, the retry avoids it, and a
 * later PONG brings it back.
 */
describe("a node that stops answering", () => {
  let bus: MemoryBus;
  let brokers: ServiceBroker[];

  const make = (nodeID: string, extra: ConstructorParameters<typeof ServiceBroker>[0] = {}): ServiceBroker => {
    const broker = new ServiceBroker({ nodeID, logger: false, transporter: new MemoryTransporter({ bus }), heartbeatTimeout: 30, transit: { discoverWait: 10, stopDelay: 5 }, ...extra });
    brokers.push(broker);
    return broker;
  };

  beforeEach(() => {
    disconnected.length = 0;
    pongs.length = 0;
    bus = new MemoryBus();
    brokers = [];
  });
  afterEach(() => Promise.all(brokers.map((b) => b.stop())));

  it("is marked unavailable after one timed-out request, and the retry goes to the other node", async () => {
    const silent = make("a-silent");
    const alive = make("b-alive");
    silent.register(Work);
    alive.register(Work);
    const caller = make("caller", { registry: { strategy: LowestId }, requestTimeout: 300, retryPolicy: { enabled: true, retries: 1, delay: 10 } });
    caller.register(Watch);
    await Promise.all(brokers.map((b) => b.start()));
    await waitUntil(() => caller.registry.actions.get("work.who")?.size === 2);
    await expect(caller.call("work.who")).resolves.toBe("a-silent");

    // kill -9: the transport drops the node, no DISCONNECT is sent.
    await silent.transit!.transporter.disconnect();
    // The first attempt times out on the silent node; its one retry must go elsewhere.
    await expect(caller.call("work.who")).resolves.toBe("b-alive");
    await waitUntil(() => disconnected.length > 0, 5000);
    expect(disconnected).toEqual([{ nodeID: "a-silent", unexpected: true }]);
    expect(caller.registry.getNode("a-silent")?.available).toBe(false);
    expect(caller.registry.actions.get("work.who")?.endpoints.map((e) => e.id)).toEqual(["b-alive"]);
    // Later calls go straight to the survivor.
    await expect(caller.call("work.who", {}, { retries: 0 })).resolves.toBe("b-alive");
  });

  it("is selectable again once it answers a ping", async () => {
    const silent = make("a-silent");
    make("b-alive").register(Work);
    silent.register(Work);
    const caller = make("caller", { registry: { strategy: LowestId }, requestTimeout: 300, retryPolicy: { enabled: true, retries: 1, delay: 10 } });
    caller.register(Watch);
    await Promise.all(brokers.map((b) => b.start()));
    await waitUntil(() => caller.registry.actions.get("work.who")?.size === 2);

    const transporter = silent.transit!.transporter;
    await transporter.disconnect();
    await caller.call("work.who");
    await waitUntil(() => caller.registry.getNode("a-silent")?.available === false, 5000);

    await transporter.connect();
    await waitUntil(() => silent.transit!.connected);
    // The PONG of a node taken offline makes the caller ask for its INFO.
    await caller.ping("a-silent", 1000);
    await waitUntil(() => caller.registry.actions.get("work.who")?.size === 2);
    expect(caller.registry.getNode("a-silent")?.available).toBe(true);
    await expect(caller.call("work.who")).resolves.toBe("a-silent");
  });

  it("stays selectable when it answers the ping (a slow action is not a dead node)", async () => {
    const slow = make("a-slow");
    slow.register(Work);
    const caller = make("caller", { requestTimeout: 300 });
    caller.register(Watch);
    await Promise.all(brokers.map((b) => b.start()));
    await waitUntil(() => caller.registry.actions.get("work.who")?.size === 1);
    // The request times out, but the node answers the probe's ping.
    await expect(caller.call("work.slow", {}, { timeout: 50 })).rejects.toThrow("timed out");
    await waitUntil(() => pongs.includes("a-slow"));
    expect(caller.registry.getNode("a-slow")?.available).toBe(true);
    expect(disconnected).toEqual([]);
  });
});
