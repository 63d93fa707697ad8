import { ServiceBroker } from "nucleon";
import { ReplDriver } from "../repl-driver";

describe("REPL info and env", () => {
  let broker: ServiceBroker;
  let repl: ReplDriver;

  beforeAll(async () => {
    broker = new ServiceBroker({ nodeID: "info-node", namespace: "ns1", logger: false, cacher: "MemoryLRU", requestTimeout: 1500 });
    await broker.start();
    repl = new ReplDriver(broker);
  });

  afterAll(async () => {
    await repl.close();
    await broker.stop();
  });

  it("info shows the process and the broker", async () => {
    const printed = await repl.run("info");
    expect(printed).toMatch(/^Node ID\s+info-node$/m);
    expect(printed).toMatch(/^Namespace\s+ns1$/m);
    expect(printed).toMatch(/^Cacher\s+MemoryLRUCacher$/m);
    expect(printed).toMatch(/^Request timeout\s+1500 ms$/m);
    expect(printed).toMatch(/^Transporter\s+none$/m);
    expect(printed).toMatch(new RegExp(`^PID\\s+${process.pid}$`, "m"));
    expect(printed).toMatch(new RegExp(`^Node.js\\s+${process.version.replace(/\./g, "\\.")}$`, "m"));
  });

  it("env lists the environment, --filter narrows it", async () => {
    process.env.NUCLEON_REPL_SPEC = "visible";
    try {
      const printed = await repl.run("env --filter nucleon_repl");
      expect(printed).toMatch(/^NUCLEON_REPL_SPEC\s+visible$/m);
      expect(printed).not.toMatch(/^PATH\s/m);
      expect(await repl.run("env")).toMatch(/^PATH\s/m);
    } finally {
      delete process.env.NUCLEON_REPL_SPEC;
    }
  });
});
