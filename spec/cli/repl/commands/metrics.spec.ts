import { Action, Event, Service, ServiceBroker } from "nucleon";
import { ReplDriver } from "../repl-driver";

@Service({ name: "greeter" })
class GreeterService {
  @Action()
  async hello(params: { name: string }): Promise<string> {
    return `Hello ${params.name}`;
  }

  @Event("user.created")
  async onUserCreated(): Promise<void> {}
}

/** The table rows (below the header rule) whose name column is `name`. */
function rowsOf(printed: string, name: string): string[] {
  return printed.split("\n").filter((line) => line.startsWith(name + " "));
}

describe("REPL metrics", () => {
  let broker: ServiceBroker;
  let repl: ReplDriver;

  afterEach(async () => {
    await repl.close();
    await broker.stop();
  });

  describe("on a broker with metrics", () => {
    beforeEach(async () => {
      broker = new ServiceBroker({ nodeID: "metrics-repl", logger: false, metrics: { defaultMetrics: false } });
      broker.register(GreeterService);
      await broker.start();
      repl = new ReplDriver(broker);
    });

    it("lists each metric's label sets with their values, sorted by name", async () => {
      await broker.call("greeter.hello", { name: "Ann" });
      await broker.emit("user.created", { id: 1 });
      const printed = await repl.run("metrics");
      expect(printed).toMatch(/^Name\s+Type\s+Labels\s+Value\n─/);

      const total = rowsOf(printed, "moleculer.request.total").filter((r) => r.includes("action: greeter.hello"));
      expect(total).toHaveLength(1);
      expect(total[0]).toMatch(/^moleculer\.request\.total\s+counter\s+\{.*service: greeter.*\}\s+1$/);

      const time = rowsOf(printed, "moleculer.request.time").filter((r) => r.includes("action: greeter.hello"));
      expect(time).toHaveLength(1);
      expect(time[0]).toMatch(/histogram\s+\{.*\}\s+count: 1, sum: [\d.e-]+, mean: [\d.e-]+$/);

      expect(rowsOf(printed, "moleculer.event.emit.total").join("\n")).toMatch(/event: user\.created.*\s1$/);
      const names = printed.split("\n").filter((l) => l.startsWith("moleculer.")).map((l) => l.split(" ")[0]);
      expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
      expect(printed).toMatch(/\n\d+ metrics, \d+ rows\n$/);
    });

    it("counts every call: three calls show 3", async () => {
      for (let i = 0; i < 3; i++) await broker.call("greeter.hello", { name: "Bo" });
      const row = rowsOf(await repl.run("metrics --filter moleculer.request.total"), "moleculer.request.total").find((r) => r.includes("greeter.hello"));
      expect(row).toMatch(/\s3$/);
    });

    it("--filter keeps the metrics whose dotted name matches the glob", async () => {
      await broker.call("greeter.hello", { name: "Ann" });
      await broker.emit("user.created", {});
      const all = await repl.run("metrics");
      expect(all).toContain("moleculer.event.");

      const requests = await repl.run("metrics --filter moleculer.request.*");
      expect(rowsOf(requests, "moleculer.request.total").length).toBeGreaterThan(0);
      expect(requests).not.toContain("moleculer.event.");
      // `*` stays within a segment: the error counter (moleculer.request.error.total) is one more level down.
      expect(requests).not.toContain("moleculer.request.error.total");
      expect(await repl.run("metrics --filter moleculer.request.**")).toContain("moleculer.request.error.total");

      expect(await repl.run("metrics --filter nothing.*")).toBe("No metrics match 'nothing.*'.\n");
    });

    it("a metric with no label set yet shows <no values>", async () => {
      const printed = await repl.run("metrics --filter moleculer.request.timeout.total");
      expect(rowsOf(printed, "moleculer.request.timeout.total")).toEqual([expect.stringMatching(/counter\s+-\s+<no values>$/)]);
    });

    it("Tab completes the command and the metric names after --filter", async () => {
      const { complete } = repl.handle;
      expect(await complete("metr")).toEqual([["metrics"], "metr"]);
      const [names] = await complete("metrics --filter moleculer.request.t");
      expect(names).toEqual(expect.arrayContaining(["moleculer.request.total", "moleculer.request.time", "moleculer.request.timeout.total"]));
      expect(names.every((n) => n.startsWith("moleculer.request.t"))).toBe(true);
    });

    it("help lists it and says how histograms show", async () => {
      expect(await repl.run("help")).toMatch(/\nmetrics\s+List the metrics/);
      expect(await repl.run("help metrics")).toContain("metrics [--filter <glob>]\n  List the metrics with their values (histograms: count, sum and mean)");
    });
  });

  describe("on a broker without metrics", () => {
    beforeEach(async () => {
      broker = new ServiceBroker({ nodeID: "no-metrics-repl", logger: false });
      broker.register(GreeterService);
      await broker.start();
      repl = new ReplDriver(broker);
    });

    it("says so in one line, and the prompt stays", async () => {
      expect(await repl.run("metrics")).toBe("✖ Metrics are off: start the broker with `metrics: true`.\n");
      expect(await repl.run("call greeter.hello --name Cy")).toContain("'Hello Cy'");
      expect(await repl.handle.complete("metrics --filter mol")).toEqual([[], "mol"]);
    });
  });
});
