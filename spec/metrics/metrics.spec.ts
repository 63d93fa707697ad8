import "reflect-metadata";
import { Action, Cached, Context, Event, MemoryCacher, MetricsOptions, RequestTimeoutError, Service, ServiceBroker } from "../../lib";
import { sample } from "./support";

@Service({ name: "math" })
class MathService {
  @Action({ params: false })
  add(p: { a: number; b: number }): number {
    return p.a + p.b;
  }

  @Action({ params: false })
  fail(): never {
    throw Object.assign(new Error("boom"), { code: 500, type: "BOOM" });
  }

  @Action({ params: false })
  async slow(): Promise<number> {
    await new Promise((r) => setTimeout(r, 100));
    return 0;
  }

  @Cached({ keys: ["a"] })
  @Action({ params: false })
  cached(p: { a: number }): number {
    return p.a;
  }

  @Action({ params: false })
  nested(_p: unknown, ctx: Context): Promise<unknown> {
    return ctx.call("math.add", { a: 1, b: 1 });
  }
}

const seen: string[] = [];

@Service({ name: "listener" })
class Listener {
  @Event("thing.happened")
  onThing(): void {
    seen.push("thing");
  }
}

async function start(options: { metrics?: MetricsOptions | boolean; [k: string]: unknown } = {}): Promise<ServiceBroker> {
  const broker = new ServiceBroker({ nodeID: "m1", logger: false, metrics: { defaultMetrics: false }, ...options });
  broker.register(MathService, Listener);
  await broker.start();
  return broker;
}

const add = { service: "math", action: "math.add", type: "local" };

describe("metrics: requests", () => {
  let broker: ServiceBroker;
  afterEach(() => broker.stop());

  it("counts a call: total, time histogram, level, active back to 0", async () => {
    broker = await start();
    await broker.call("math.add", { a: 1, b: 2 });
    await broker.call("math.add", { a: 1, b: 2 });
    expect(await sample(broker, "moleculer_request_total", { ...add, caller: "null" })).toBe(2);
    expect(await sample(broker, "moleculer_request_active", { ...add, caller: "null" })).toBe(0);
    expect(await sample(broker, "moleculer_request_time_count", { ...add, caller: "null" })).toBe(2);
    expect(await sample(broker, "moleculer_request_time_bucket", { ...add, caller: "null", le: "+Inf" })).toBe(2);
    expect(await sample(broker, "moleculer_request_levels", { level: "1" })).toBe(2);
    // A second scrape hands over only what is new.
    await broker.call("math.add", { a: 1, b: 2 });
    expect(await sample(broker, "moleculer_request_total", { ...add, caller: "null" })).toBe(3);
  });

  it("labels a nested call with its caller and level 2", async () => {
    broker = await start();
    await broker.call("math.nested");
    expect(await sample(broker, "moleculer_request_total", { ...add, caller: "math" })).toBe(1);
    expect(await sample(broker, "moleculer_request_levels", { level: "2" })).toBe(1);
  });

  it("counts an error with Moleculer's error labels", async () => {
    broker = await start();
    await expect(broker.call("math.fail")).rejects.toThrow("boom");
    const labels = { service: "math", action: "math.fail", type: "local", errorName: "Error", errorCode: "500", errorType: "BOOM" };
    expect(await sample(broker, "moleculer_request_error_total", labels)).toBe(1);
  });

  it("counts a timeout", async () => {
    broker = await start();
    await expect(broker.call("math.slow", {}, { timeout: 10 })).rejects.toBeInstanceOf(RequestTimeoutError);
    expect(await sample(broker, "moleculer_request_timeout_total", { service: "math", action: "math.slow" })).toBe(1);
    await new Promise((r) => setTimeout(r, 120)); // the handler finishes before stop
  });

  it("counts retries", async () => {
    broker = await start({ retryPolicy: { enabled: true, retries: 2, delay: 1, check: () => true } });
    await expect(broker.call("math.fail")).rejects.toThrow("boom");
    expect(await sample(broker, "moleculer_request_retry_attempts_total", { service: "math", action: "math.fail" })).toBe(2);
  });

  it("counts fallbacks", async () => {
    broker = await start();
    expect(await broker.call("math.fail", {}, { fallbackResponse: 7 })).toBe(7);
    expect(await sample(broker, "moleculer_request_fallback_total", { service: "math", action: "math.fail" })).toBe(1);
  });

  it("reports the circuit breaker opening", async () => {
    broker = await start({ circuitBreaker: { enabled: true, minRequestCount: 2, threshold: 0.5 } });
    for (let i = 0; i < 2; i++) await broker.call("math.fail").catch(() => undefined);
    const labels = { affectedNodeID: "m1", service: "math", action: "math.fail" };
    expect(await sample(broker, "moleculer_circuit_breaker_opened_total", labels)).toBe(1);
    expect(await sample(broker, "moleculer_circuit_breaker_opened_active", labels)).toBe(1);
    expect(await sample(broker, "moleculer_circuit_breaker_half_opened_active", labels)).toBe(0);
  });

  it("reports bulkhead levels", async () => {
    broker = await start({ bulkhead: { enabled: true, concurrency: 1, maxQueueSize: 10 } });
    const calls = [broker.call("math.slow"), broker.call("math.slow"), broker.call("math.slow")];
    const labels = { action: "math.slow", service: "math" };
    expect(await sample(broker, "moleculer_request_bulkhead_inflight", labels)).toBe(1);
    expect(await sample(broker, "moleculer_request_bulkhead_queue_size", labels)).toBe(2);
    await Promise.all(calls);
    expect(await sample(broker, "moleculer_request_bulkhead_inflight", labels)).toBe(0);
    expect(await sample(broker, "moleculer_request_bulkhead_queue_size", labels)).toBe(0);
  });
});

describe("metrics: cacher, events, registry, options", () => {
  let broker: ServiceBroker;
  afterEach(() => broker.stop());

  it("counts cache reads, hits and writes", async () => {
    broker = await start({ cacher: "Memory" });
    await broker.call("math.cached", { a: 1 });
    await broker.call("math.cached", { a: 1 });
    await broker.cacher!.clean();
    expect(await sample(broker, "moleculer_cacher_get_total")).toBe(2);
    expect(await sample(broker, "moleculer_cacher_found_total")).toBe(1);
    expect(await sample(broker, "moleculer_cacher_set_total")).toBe(1);
    expect(await sample(broker, "moleculer_cacher_clean_total")).toBe(1);
    // Counted through a Proxy: still the configured class, its own methods on the real instance.
    expect(broker.cacher).toBeInstanceOf(MemoryCacher);
    await broker.cacher!.del("x");
    expect(await sample(broker, "moleculer_cacher_del_total")).toBe(1);
  });

  it("counts expired cache entries, found on read and by the sweep", async () => {
    broker = await start({ cacher: "Memory" });
    const cacher = broker.cacher!;
    await cacher.set("on-read", 1, 1);
    await cacher.set("swept", 2, 1);
    await cacher.set("kept", 3, 0);
    const later = Date.now() + 5000;
    const clock = jest.spyOn(Date, "now").mockReturnValue(later);
    try {
      expect(await cacher.get("on-read")).toBeUndefined();
      expect((cacher as MemoryCacher).sweep(later)).toBe(1);
    } finally {
      clock.mockRestore();
    }
    expect(await cacher.get("kept")).toBe(3);
    expect(await sample(broker, "moleculer_cacher_expired_total")).toBe(2);
  });

  it("counts emits, broadcasts and received events", async () => {
    broker = await start();
    await broker.emit("thing.happened", {});
    await broker.broadcast("thing.happened", {}, { groups: ["listener"] });
    await broker.broadcastLocal("thing.happened");
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect(await sample(broker, "moleculer_event_emit_total", { event: "thing.happened", groups: "null" })).toBe(1);
    expect(await sample(broker, "moleculer_event_broadcast_total", { event: "thing.happened", groups: "listener" })).toBe(1);
    expect(await sample(broker, "moleculer_event_broadcast_local_total", { event: "thing.happened" })).toBe(1);
    const received = { service: "listener", group: "listener", event: "thing.happened" };
    expect(await sample(broker, "moleculer_event_received_total", received)).toBe(3);
  });

  it("reads registry gauges on scrape", async () => {
    broker = await start();
    expect(await sample(broker, "moleculer_registry_nodes_total")).toBe(1);
    expect(await sample(broker, "moleculer_registry_services_total")).toBe(3); // $node, math, listener
    expect(await sample(broker, "moleculer_registry_actions_total")).toBeGreaterThanOrEqual(6);
    expect(await sample(broker, "moleculer_registry_events_total")).toBe(1);
  });

  it("takes a prefix, default labels and prom-client's process metrics", async () => {
    broker = await start({ metrics: { prefix: "nucleon_", defaultLabels: { nodeID: "m1" } } });
    await broker.call("math.add", { a: 1, b: 2 });
    expect(await sample(broker, "nucleon_request_total", { ...add, nodeID: "m1" })).toBe(1);
    expect(await sample(broker, "process_cpu_user_seconds_total")).toBeGreaterThan(0);
  });

  it("is off unless asked for", () => {
    broker = new ServiceBroker({ logger: false });
    expect(broker.metrics).toBeNull();
    expect(new ServiceBroker({ logger: false, metrics: { enabled: false } }).metrics).toBeNull();
    expect(() => new ServiceBroker({ logger: false, metrics: { reporter: "Nope" } })).toThrow(/Unknown metric reporter 'Nope'/);
  });
});
