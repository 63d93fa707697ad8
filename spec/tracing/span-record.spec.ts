import { Action, Context, Service, ServiceBroker, spanIdOf, traceIdOf } from "nucleon";
import { CollectingExporter } from "./collect";

const seen: Context[] = [];

@Service({ name: "rec" })
class RecService {
  @Action({ params: false })
  ok(_p: unknown, ctx: Context): number {
    seen.push(ctx);
    return 1;
  }

  @Action({ params: false })
  fail(_p: unknown, ctx: Context): never {
    seen.push(ctx);
    throw new Error("no");
  }
}

describe("SpanRecord (a sampled call's span, formatted when exported)", () => {
  let broker: ServiceBroker;
  let exporter: CollectingExporter;
  beforeEach(async () => {
    seen.length = 0;
    exporter = new CollectingExporter();
    broker = new ServiceBroker({ nodeID: "rec-node", logger: false, tracing: { exporter } });
    broker.register(RecService);
    await broker.start();
  });
  afterEach(() => broker.stop());

  it("reads the context's ids when exported: the same ids the context has", async () => {
    await broker.call("rec.ok");
    await broker.tracer!.flush();
    const span = exporter.byName("action 'rec.ok'");
    const ctx = seen[0];
    expect(span.spanContext()).toMatchObject({ spanId: spanIdOf(ctx.id), traceId: traceIdOf(ctx.requestID), traceFlags: 1 });
    expect(span.parentSpanContext).toBeUndefined();
    expect(span.ended).toBe(true);
    expect(span.resource.attributes["service.instance.id"]).toBe("rec-node");
  });

  it("keeps a failed attempt's ids even when the context gets new ones (a retry)", async () => {
    await expect(broker.call("rec.fail")).rejects.toThrow("no");
    const ctx = seen[0];
    const first = spanIdOf(ctx.id);
    ctx.id = "ffffffff-ffff-4fff-8fff-ffffffffffff";
    await broker.tracer!.flush();
    const span = exporter.byName("action 'rec.fail'");
    expect(span.spanContext().spanId).toBe(first);
    expect(span.status).toEqual({ code: 2, message: "no" });
    expect(span.attributes["error.name"]).toBe("Error");
  });

  it("has times in whole microseconds, start ≤ end, duration = end − start", async () => {
    await broker.call("rec.ok");
    await broker.tracer!.flush();
    const span = exporter.byName("action 'rec.ok'");
    const us = (t: [number, number]) => t[0] * 1e6 + t[1] / 1e3;
    for (const t of [span.startTime, span.endTime, span.duration]) expect(Number.isInteger(us(t))).toBe(true);
    expect(us(span.endTime)).toBeGreaterThanOrEqual(us(span.startTime));
    expect(Math.abs(us(span.endTime) - us(span.startTime) - us(span.duration))).toBeLessThanOrEqual(1);
    expect(Math.abs(us(span.startTime) / 1000 - Date.now())).toBeLessThan(60_000);
  });
});
