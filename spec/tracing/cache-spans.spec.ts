import { Action, Cached, Service, ServiceBroker } from "nucleon";
import type { TracingOptions } from "nucleon";
import { CollectingExporter, idsOf } from "./collect";

@Service({ name: "prices" })
class PricesService {
  @Cached({ keys: ["sku"] })
  @Action({ params: false })
  get(p: { sku: string }): number {
    return p.sku.length;
  }
}

async function run(tracing: TracingOptions): Promise<CollectingExporter> {
  const exporter = new CollectingExporter();
  const broker = new ServiceBroker({ nodeID: "c", logger: false, cacher: "Memory", tracing: { ...tracing, exporter } });
  broker.register(PricesService);
  await broker.start();
  try {
    expect(await broker.call("prices.get", { sku: "abc" })).toBe(3);
    expect(await broker.call("prices.get", { sku: "abc" })).toBe(3);
    await broker.tracer!.flush();
  } finally {
    await broker.stop();
  }
  return exporter;
}

describe("cache spans (tracing's `cache` option)", () => {
  it("gives each cache read an INTERNAL span under its action's span: the miss, then the hit", async () => {
    const exporter = await run({ cache: true });
    const reads = exporter.spans.filter((s) => s.name === "cache get 'prices.get'");
    const actions = exporter.spans.filter((s) => s.name === "action 'prices.get'");
    expect(reads).toHaveLength(2);
    expect(actions).toHaveLength(2);
    expect(reads.map((s) => s.attributes["cache.hit"])).toEqual([false, true]);
    for (let i = 0; i < 2; i++) {
      expect(reads[i].kind).toBe(0);
      expect(reads[i].attributes).toMatchObject({ "span.type": "cache", "action.name": "prices.get" });
      expect(String(reads[i].attributes["cache.key"])).toContain("prices.get:");
      expect(idsOf(reads[i])).toMatchObject({ traceId: idsOf(actions[i]).traceId, parentId: idsOf(actions[i]).spanId });
      expect(idsOf(reads[i]).spanId).not.toBe(idsOf(actions[i]).spanId);
    }
    expect(actions.map((s) => s.attributes.fromCache)).toEqual([false, true]);
  });

  it("makes none without the option, or for calls that are not sampled", async () => {
    expect((await run({})).spans.filter((s) => s.name.startsWith("cache get"))).toHaveLength(0);
    expect((await run({ cache: true, sampling: { rate: 0 } })).spans).toHaveLength(0);
  });
});
