import { Event, Service, ServiceBroker } from "nucleon";
import { memoryCluster, waitUntil } from "../../../transit/cluster";
import { ReplDriver } from "../repl-driver";

const received: Array<{ node: string; event: string; payload: unknown }> = [];

@Service({ name: "audit" })
class AuditService {
  constructor(private readonly broker: ServiceBroker) {}

  @Event("user.created")
  async onUser(payload: unknown): Promise<void> {
    received.push({ node: this.broker.nodeID, event: "user.created", payload });
  }
}

describe("REPL emit, broadcast, broadcastLocal and listener", () => {
  let brokers: ServiceBroker[];
  let stop: () => Promise<void>;
  let repl: ReplDriver;

  beforeAll(async () => {
    ({ brokers, stop } = await memoryCluster([
      { nodeID: "here", services: [AuditService] },
      { nodeID: "there", services: [AuditService] },
    ]));
    await waitUntil(() => brokers[0].registry.events.match("user.created")[0]?.size === 2);
    repl = new ReplDriver(brokers[0]);
  });

  beforeEach(() => {
    received.length = 0;
  });

  afterAll(async () => {
    await repl.close();
    await stop();
  });

  it("emit reaches one handler of the group, with a JSON payload", async () => {
    const printed = await repl.run('emit user.created {"name": "Ann"}');
    expect(printed).toContain(">> Event 'user.created' sent.");
    await waitUntil(() => received.length === 1);
    expect(received[0].payload).toEqual({ name: "Ann" });
  });

  it("emit --key value reaches a local handler (preferLocal)", async () => {
    await repl.run("emit user.created --name Bob --age 30");
    await waitUntil(() => received.length === 1);
    expect(received[0]).toEqual({ node: "here", event: "user.created", payload: { name: "Bob", age: 30 } });
  });

  it("broadcast reaches every node; broadcastLocal only this one", async () => {
    await repl.run("broadcast user.created --n 1");
    await waitUntil(() => received.length === 2);
    expect(received.map((r) => r.node).sort()).toEqual(["here", "there"]);
    received.length = 0;
    await repl.run("broadcastLocal user.created --n 2");
    await waitUntil(() => received.length === 1);
    expect(received[0].node).toBe("here");
  });

  it("an invalid event name is one error line", async () => {
    expect(await repl.run("emit")).toMatch(/^✖ Usage: emit <event>/);
  });

  it("listener add prints later events, local and remote; remove and list", async () => {
    expect(await repl.run("listener list")).toBe("No event listeners.\n");
    expect(await repl.run("listener add order.*")).toBe(">> Listening to 'order.*'.\n");
    // The remote node learns of the $repl subscription from our INFO.
    await waitUntil(() => brokers[1].registry.events.match("order.shipped").some((l) => l.group === "$repl"));

    const mark = repl.printed.length;
    await brokers[1].emit("order.shipped", { id: 7 });
    await brokers[0].broadcastLocal("order.created", { id: 8 });
    await brokers[0].emit("user.created", { name: "ignored" });
    await repl.waitFor((p) => p.slice(mark).includes("order.created") && p.slice(mark).includes("order.shipped"));
    const later = repl.printed.slice(mark);
    expect(later).toContain(">> Event 'order.shipped' from 'there': { id: 7 }");
    expect(later).toContain(">> Event 'order.created' from this node: { id: 8 }");
    expect(later).not.toContain("ignored");
    // The REPL's own group did not take the event from the services' group.
    await waitUntil(() => received.length === 1);

    expect(await repl.run("listener list")).toBe("  order.*\n");
    expect(await repl.run("listener remove order.*")).toBe(">> Stopped listening to 'order.*'.\n");
    expect(await repl.run("listener remove order.*")).toBe("✖ No listener for 'order.*'.\n");
    const quiet = repl.printed.length;
    await brokers[0].broadcastLocal("order.created", { id: 9 });
    await repl.run("listener list");
    expect(repl.printed.slice(quiet)).not.toContain("id: 9");
  });
});
