import "reflect-metadata";
import { Action, Event, EventReporter, MetricSnapshot, Service, ServiceBroker } from "../../../lib";

let received: (list: MetricSnapshot[]) => void = () => undefined;

@Service({ name: "math" })
class MathService {
  @Action({ params: false })
  add(p: { a: number; b: number }): number {
    return p.a + p.b;
  }
}

@Service({ name: "dashboard" })
class Dashboard {
  @Event("$metrics.snapshot")
  onSnapshot(list: MetricSnapshot[]): void {
    received(list);
  }
}

describe("Event reporter", () => {
  it("emits $metrics.snapshot on its interval in Moleculer's shape, received by a service", async () => {
    const broker = new ServiceBroker({
      nodeID: "e1",
      logger: false,
      metrics: { reporter: { type: "Event", options: { interval: 0.02 } }, defaultMetrics: false },
    });
    broker.register(MathService, Dashboard);
    await broker.start();
    try {
      await broker.call("math.add", { a: 1, b: 2 });
      // The first snapshot after the call has it (the timer is unref'd; this waits on the event itself).
      const list = await new Promise<MetricSnapshot[]>((resolve) => (received = resolve));
      const total = list.find((m) => m.name === "moleculer.request.total")!;
      expect(total).toMatchObject({ type: "counter", labelNames: ["service", "action", "type", "caller"], unit: "request" });
      expect(total.values).toContainEqual(
        expect.objectContaining({ key: "math|math.add|local|null", value: 1, labels: { service: "math", action: "math.add", type: "local", caller: "null" } }),
      );
      const time = list.find((m) => m.name === "moleculer.request.time")!;
      expect(time.type).toBe("histogram");
      const item = time.values.find((v) => v.labels.action === "math.add")!;
      expect(item.count).toBe(1);
      expect(item.buckets!["10000"]).toBe(1);
    } finally {
      await broker.stop();
    }
  });

  it("filters by name and sends nothing before start", async () => {
    const reporter = new EventReporter({ interval: 0, includes: "moleculer_request_total" });
    const broker = new ServiceBroker({ nodeID: "e2", logger: false, metrics: { reporter, defaultMetrics: false } });
    broker.register(MathService, Dashboard);
    const lists: MetricSnapshot[][] = [];
    received = (list) => lists.push(list);
    await reporter.send(); // not started: nothing
    await broker.start();
    try {
      await reporter.send();
      expect(lists).toHaveLength(1);
      expect(lists[0].map((m) => m.name)).toEqual(["moleculer.request.total"]);
    } finally {
      await broker.stop();
    }
  });
});
