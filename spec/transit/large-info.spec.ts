import { ServiceBroker } from "nucleon";
import { JSONSerializer } from "../../lib/serializers/json";
import { MemoryBus, MemoryTransporter } from "../../lib/transporters/memory";
import type { TransitOptions } from "../../lib/transit/options";
import { waitUntil } from "./cluster";

function bigInfo(sender: string, count: number): Record<string, unknown> {
  const services = [];
  for (let i = 0; i < count; i++) {
    const name = `s${i}`;
    services.push({
      name,
      fullName: name,
      settings: {},
      metadata: {},
      actions: { [`${name}.a`]: { name: `${name}.a`, rawName: "a" }, [`${name}.b`]: { name: `${name}.b`, rawName: "b" } },
      events: { [`${name}.happened`]: { name: `${name}.happened` } },
    });
  }
  return { ver: "4", sender, services, instanceID: `${sender}-1`, seq: 1, ipList: [], hostname: "h", client: { type: "nodejs", version: "0", langVersion: "v20" }, metadata: {} };
}

/**
 * A huge INFO is registered in linear time (the registry no longer re-scans
 * its whole service list per service), and an INFO over the configured caps
 * is dropped with a warning instead of blocking the event loop.
 */
describe("a large INFO", () => {
  let broker: ServiceBroker;
  let bus: MemoryBus;
  const warnings: string[] = [];

  async function start(transit: TransitOptions = {}): Promise<void> {
    bus = new MemoryBus();
    broker = new ServiceBroker({ nodeID: "a", logger: false, transporter: new MemoryTransporter({ bus }), transit: { discoverWait: 1, stopDelay: 1, ...transit } });
    await broker.start();
    jest.spyOn(broker.logger, "warn").mockImplementation(((obj: unknown, msg?: string) => void warnings.push(msg ?? String(obj))) as never);
  }

  function send(packet: Record<string, unknown>): void {
    // The packet as it would arrive from the transport.
    bus.publish("MOL.INFO", new JSONSerializer().serialize(packet));
  }

  beforeEach(() => (warnings.length = 0));
  afterEach(async () => {
    jest.restoreAllMocks();
    await broker.stop();
  });

  it("registers all 10,000 services, scanning each list element a bounded number of times", async () => {
    await start();
    const N = 10_000;
    // Count the elements array scans visit during registration: quadratic code visits ~N²/2.
    let visited = 0;
    const { filter, find, some } = Array.prototype;
    const counting = <F extends (...args: never[]) => unknown>(original: F) =>
      function (this: unknown[], ...args: Parameters<F>) {
        visited += this.length;
        return original.apply(this, args);
      };
    jest.spyOn(Array.prototype, "filter").mockImplementation(counting(filter) as never);
    jest.spyOn(Array.prototype, "find").mockImplementation(counting(find) as never);
    jest.spyOn(Array.prototype, "some").mockImplementation(counting(some) as never);
    send(bigInfo("big", N));
    await waitUntil(() => broker.registry.getNode("big") !== undefined, 10_000);
    jest.restoreAllMocks();

    expect(visited).toBeLessThan(50 * N);
    expect(broker.registry.getServices({ nodeID: "big" })).toHaveLength(N);
    expect(broker.registry.actions.get("s9999.b")?.getByNode("big")?.action.rawName).toBe("b");
    expect(broker.registry.events.match("s0.happened")).toHaveLength(1);
    expect(broker.registry.actions.names().filter((n) => n.startsWith("s"))).toHaveLength(2 * N);
  }, 20_000);

  it("drops an INFO that declares more services than maxInfoServices", async () => {
    await start({ maxInfoServices: 100 });
    send(bigInfo("over", 101));
    send(bigInfo("within", 100));
    await waitUntil(() => broker.registry.getNode("within") !== undefined);
    expect(broker.registry.getNode("over")).toBeUndefined();
    expect(broker.registry.getServices({ nodeID: "within" })).toHaveLength(100);
    expect(warnings).toContain("Dropped an INFO that declares more than transit allows");
  });

  it("drops an INFO that declares more actions and events than maxInfoEndpoints", async () => {
    await start({ maxInfoEndpoints: 30 });
    send(bigInfo("over", 11)); // 33 endpoints
    send(bigInfo("within", 10)); // 30
    await waitUntil(() => broker.registry.getNode("within") !== undefined);
    expect(broker.registry.getNode("over")).toBeUndefined();
    expect(warnings).toContain("Dropped an INFO that declares more than transit allows");
  });

  it("allows 10,000 services and 100,000 endpoints by default", async () => {
    await start();
    send(bigInfo("big", 10_000));
    await waitUntil(() => broker.registry.getNode("big") !== undefined, 10_000);
    expect(broker.registry.getServices({ nodeID: "big" })).toHaveLength(10_000);
    send(bigInfo("bigger", 10_001));
    send(bigInfo("after", 1));
    await waitUntil(() => broker.registry.getNode("after") !== undefined, 10_000);
    expect(broker.registry.getNode("bigger")).toBeUndefined();
  }, 20_000);
});
