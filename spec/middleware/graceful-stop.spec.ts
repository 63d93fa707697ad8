import { Action, Context, Event, Service, ServiceBroker, ServiceNotAvailableError } from "nucleon";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let completed = 0;
let stoppedAt = 0;
let lastCompletedAt = 0;

@Service({ name: "slowpoke" })
class Slowpoke {
  @Action({ params: false })
  async work(p: { ms: number }, ctx: Context): Promise<number> {
    await sleep(p.ms);
    // Nested calls of in-flight work still go through while stopping.
    const n = await ctx.call<number>("slowpoke.inner");
    completed++;
    lastCompletedAt = Date.now();
    return n;
  }

  @Action() inner(): number {
    return 1;
  }

  stopped() {
    stoppedAt = Date.now();
  }
}

const changes: boolean[] = [];

@Service({ name: "watcher" })
class Watcher {
  @Event("$services.changed")
  onChange(p: { localService: boolean }): void {
    changes.push(p.localService);
  }
}

describe("graceful stop", () => {
  it("still delivers the broker's own $ events (services leaving) while it stops", async () => {
    const broker = new ServiceBroker({ logger: false });
    broker.register(Slowpoke, Watcher);
    await broker.start();
    changes.length = 0;
    const failed: unknown[] = [];
    const error = broker.logger.error.bind(broker.logger);
    broker.logger.error = ((...args: unknown[]) => {
      failed.push(args);
      return (error as (...a: unknown[]) => void)(...args);
    }) as typeof broker.logger.error;
    await broker.stop();
    expect(failed).toEqual([]);
    expect(changes.length).toBeGreaterThan(0);
  });

  beforeEach(() => {
    completed = 0;
    stoppedAt = 0;
  });

  it("drains 1,000 concurrent slow calls before stopping, refusing new ones", async () => {
    const broker = new ServiceBroker({ logger: false });
    broker.register(Slowpoke);
    await broker.start();
    const calls = Array.from({ length: 1000 }, (_, i) => broker.call<number>("slowpoke.work", { ms: 50 + (i % 50) }));
    await sleep(5);
    const stopping = broker.stop();
    await expect(broker.call("slowpoke.inner")).rejects.toBeInstanceOf(ServiceNotAvailableError);
    const results = await Promise.allSettled(calls);
    await stopping;
    expect(results.every((r) => r.status === "fulfilled" && r.value === 1)).toBe(true);
    expect(completed).toBe(1000);
    expect(stoppedAt).toBeGreaterThanOrEqual(lastCompletedAt);
  });

  it("logs (not throws) a GracefulStopTimeoutError when work outlives shutdownTimeout", async () => {
    const errors: unknown[] = [];
    const logger = {
      level: "info",
      child: () => logger,
      error: (obj: unknown) => errors.push(obj),
      warn: () => undefined,
      info: () => undefined,
      debug: () => undefined,
      trace: () => undefined,
      fatal: () => undefined,
    };
    const broker = new ServiceBroker({ logger: logger as never, tracking: { shutdownTimeout: 30 } });
    broker.register(Slowpoke);
    await broker.start();
    const call = broker.call("slowpoke.work", { ms: 200 });
    await sleep(5);
    await expect(broker.stop()).resolves.toBeUndefined();
    expect(JSON.stringify(errors)).toMatch(/GRACEFUL_STOP_TIMEOUT|GracefulStopTimeoutError|gracefully/);
    await call.catch(() => undefined);
  });
});
