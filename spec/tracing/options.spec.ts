import { Action, BrokerOptionsError, Context, Service, ServiceBroker, TraceExporters } from "nucleon";
import { CollectingExporter } from "./collect";

@Service({ name: "probe" })
class ProbeService {
  @Action({ params: false })
  flag(_p: unknown, ctx: Context): boolean | null {
    return ctx.tracing;
  }
}

describe("the tracing option", () => {
  it("is off unless asked for: no tracer, no Tracing middleware, the flag stays unset", async () => {
    const broker = new ServiceBroker({ logger: false });
    broker.register(ProbeService);
    await broker.start();
    expect(broker.tracer).toBeNull();
    expect(broker.middlewares.names()).not.toContain("Tracing");
    expect(await broker.call("probe.flag")).toBeNull();
    await broker.stop();
  });

  it("`tracing: true` samples every root (the flag is set) with no exporter", async () => {
    const broker = new ServiceBroker({ logger: false, tracing: true });
    broker.register(ProbeService);
    await broker.start();
    expect(broker.tracer).not.toBeNull();
    expect(broker.middlewares.names()).toContain("Tracing");
    expect(await broker.call("probe.flag")).toBe(true);
    await broker.stop();
  });

  it("`enabled: false` and `tracing: false` turn it off", () => {
    expect(new ServiceBroker({ logger: false, tracing: { enabled: false } }).tracer).toBeNull();
    expect(new ServiceBroker({ logger: false, tracing: false }).tracer).toBeNull();
  });

  it("`actions: false` makes no action spans", async () => {
    const exporter = new CollectingExporter();
    const broker = new ServiceBroker({ logger: false, tracing: { exporter, actions: false } });
    broker.register(ProbeService);
    await broker.start();
    await broker.call("probe.flag");
    await broker.tracer!.flush();
    await broker.stop();
    expect(exporter.spans).toHaveLength(0);
  });

  it("`sampling.tracesPerSecond: 1` lets one of ten quick roots through", async () => {
    const exporter = new CollectingExporter();
    const broker = new ServiceBroker({ logger: false, tracing: { exporter, sampling: { tracesPerSecond: 1 } } });
    broker.register(ProbeService);
    await broker.start();
    const flags: unknown[] = [];
    for (let i = 0; i < 10; i++) flags.push(await broker.call("probe.flag"));
    await broker.tracer!.flush();
    await broker.stop();
    expect(flags.filter((f) => f === true)).toHaveLength(1);
    expect(exporter.spans).toHaveLength(1);
  });

  it("an unknown exporter name is a BrokerOptionsError naming the family", () => {
    expect(() => new ServiceBroker({ logger: false, tracing: { exporter: "Jaeger" } })).toThrow(BrokerOptionsError);
    expect(() => new ServiceBroker({ logger: false, tracing: { exporter: "Jaeger" } })).toThrow(/trace exporter/);
  });

  it("takes users' exporters by registered name, and several at once", async () => {
    const made: CollectingExporter[] = [];
    class Mine extends CollectingExporter {
      constructor() {
        super();
        made.push(this);
      }
    }
    TraceExporters.register("Mine", Mine);
    try {
      const broker = new ServiceBroker({ logger: false, tracing: { exporter: ["Mine", { type: "Mine" }] } });
      broker.register(ProbeService);
      await broker.start();
      await broker.call("probe.flag");
      await broker.tracer!.flush();
      await broker.stop();
      expect(made).toHaveLength(2);
      for (const e of made) expect(e.spans.map((s) => s.name)).toEqual(["action 'probe.flag'"]);
      expect(broker.tracer!.stats()).toMatchObject({ exported: 2, dropped: 0, failed: 0, queued: 0 });
    } finally {
      TraceExporters.unregister("Mine");
    }
  });
});
