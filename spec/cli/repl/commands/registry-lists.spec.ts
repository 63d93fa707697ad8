import { Action, Event, Service, type ServiceBroker } from "nucleon";
import { memoryCluster } from "../../../transit/cluster";
import { ReplDriver } from "../repl-driver";

@Service({ name: "users", version: 2 })
class UsersService {
  @Action()
  async find(): Promise<string[]> {
    return [];
  }

  @Event("order.created")
  async onOrder(): Promise<void> {}
}

@Service({ name: "orders" })
class OrdersService {
  @Action()
  async create(): Promise<string> {
    return "ok";
  }
}

/** The row of a table whose first cell is `first`, split into cells. */
function row(printed: string, first: string): string[] {
  const line = printed.split("\n").find((l) => l.split(/\s{2,}/)[0] === first);
  if (!line) throw new Error(`No row '${first}' in:\n${printed}`);
  return line.split(/\s{2,}/);
}

describe("REPL lists: actions, services, events, nodes", () => {
  let brokers: ServiceBroker[];
  let stop: () => Promise<void>;
  let repl: ReplDriver;

  beforeAll(async () => {
    ({ brokers, stop } = await memoryCluster([
      { nodeID: "local", services: [UsersService] },
      { nodeID: "remote", services: [OrdersService, UsersService] },
    ]));
    await brokers[0].waitForServices(["orders", "v2.users"], 3000, 10);
    repl = new ReplDriver(brokers[0]);
  });

  afterAll(async () => {
    await repl.close();
    await stop();
  });

  it("actions: name, node count, endpoints, local, state", async () => {
    const printed = await repl.run("actions");
    expect(row(printed, "Action")).toEqual(["Action", "Nodes", "Endpoints", "Local", "State"]);
    expect(row(printed, "v2.users.find")).toEqual(["v2.users.find", "2", "local, remote", "✔", "OK"]);
    expect(row(printed, "orders.create")).toEqual(["orders.create", "1", "remote", "OK"]);
    expect(printed).toContain("$node.list");
  });

  it("actions --local --skipinternal --filter narrow the list", async () => {
    expect(await repl.run("actions --local --skipinternal")).not.toMatch(/orders\.create|\$node/);
    const filtered = await repl.run("actions --filter orders.*");
    expect(filtered).toContain("orders.create");
    expect(filtered).not.toContain("v2.users.find");
    expect(await repl.run("actions --filter nothing.*")).toBe("No actions.\n");
  });

  it("services: full name, version, actions, nodes", async () => {
    const printed = await repl.run("services --skipinternal");
    expect(row(printed, "v2.users")).toEqual(["v2.users", "2", "1", "local, remote", "✔", "OK"]);
    // No version: the empty cell widens the gap, so the row splits into four cells.
    expect(row(printed, "orders")).toEqual(["orders", "1", "remote", "OK"]);
    expect(printed).not.toContain("$node");
  });

  it("events: name, group, nodes", async () => {
    const printed = await repl.run("events");
    expect(row(printed, "order.created")).toEqual(["order.created", "users", "2", "local, remote", "✔", "OK"]);
  });

  it("nodes: ID, available, CPU, services count, local", async () => {
    const printed = await repl.run("nodes");
    expect(row(printed, "Node ID").slice(0, 5)).toEqual(["Node ID", "Available", "CPU", "Services", "Local"]);
    expect(row(printed, "local").slice(0, 5)).toEqual(["local", "yes", "?", "1", "✔"]);
    const remote = row(printed, "remote");
    expect(remote.slice(0, 2)).toEqual(["remote", "yes"]);
    expect(remote[3]).toBe("2");
  });
});
