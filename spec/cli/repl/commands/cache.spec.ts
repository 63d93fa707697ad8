import { Action, Cached, Service, ServiceBroker } from "nucleon";
import { ReplDriver } from "../repl-driver";

@Service({ name: "prices" })
class PricesService {
  @Action()
  @Cached({ keys: ["id"] })
  async get(params: { id: number }): Promise<number> {
    return params.id * 10;
  }
}

describe("REPL cache keys / cache clear (Memory cacher)", () => {
  let broker: ServiceBroker;
  let repl: ReplDriver;

  beforeEach(async () => {
    broker = new ServiceBroker({ nodeID: "cache", logger: false, cacher: "Memory" });
    broker.register(PricesService);
    await broker.start();
    repl = new ReplDriver(broker);
  });

  afterEach(async () => {
    await repl.close();
    await broker.stop();
  });

  const keys = async () => (await broker.cacher!.keys!()).sort();

  it("lists the keys the cached action filled, and clears them all", async () => {
    expect(await repl.run("cache keys")).toBe("The cache is empty.\n");
    for (const id of [1, 2, 3]) await broker.call("prices.get", { id });
    const printed = await repl.run("cache keys");
    const listed = printed.split("\n").filter((l) => l.startsWith("prices.get"));
    expect(listed).toEqual(await keys());
    expect(listed).toHaveLength(3);
    expect(printed).toContain("3 keys");

    expect(await repl.run("cache clear")).toBe(">> Cache cleared.\n");
    expect(await keys()).toEqual([]);
  });

  it("keys --filter and clear <pattern> act on matching keys only", async () => {
    await broker.call("prices.get", { id: 1 });
    await broker.cacher!.set("other.key", 1);
    const filtered = await repl.run("cache keys --filter other.*");
    expect(filtered).toContain("other.key");
    expect(filtered).not.toContain("prices.get");
    expect(await repl.run("cache clear prices.**")).toBe(">> Cache entries matching 'prices.**' cleared.\n");
    expect(await keys()).toEqual(["other.key"]);
  });

  it("a cacher without keys() says so in one line", async () => {
    const cacher = broker.cacher as { keys?: unknown };
    const own = cacher.keys;
    cacher.keys = undefined;
    try {
      expect(await repl.run("cache keys")).toBe("✖ The MemoryCacher cannot list its keys (it has no keys() method).\n");
    } finally {
      cacher.keys = own;
    }
  });

  it("cache with no subcommand prints its usage", async () => {
    expect(await repl.run("cache")).toMatch(/^✖ Usage: cache keys/);
  });
});
