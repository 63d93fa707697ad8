import { Action, Context, Event, NucleonServerError, Service, ServiceBroker, ServiceNotAvailableError } from "nucleon";

let healthy = false;

@Service({ name: "cb" })
class CbService {
  @Action({ params: false })
  run(): string {
    if (!healthy) throw new NucleonServerError("down", 500);
    return "up";
  }

  @Action({ params: false })
  clientError(): never {
    throw new NucleonServerError("client", 400);
  }
}

const events: Array<{ name: string; payload: unknown }> = [];
@Service({ name: "cbWatch" })
class Watcher {
  @Event("$circuit-breaker.*")
  on(payload: unknown, ctx: Context) {
    events.push({ name: ctx.eventName as string, payload });
  }
}

describe("circuit breaker", () => {
  beforeEach(() => {
    healthy = false;
    events.length = 0;
  });

  async function start() {
    const broker = new ServiceBroker({
      logger: false,
      circuitBreaker: { enabled: true, threshold: 0.5, minRequestCount: 4, windowTime: 60, halfOpenTime: 50 },
    });
    broker.register(CbService, Watcher);
    await broker.start();
    return broker;
  }

  it("opens at the threshold, fails fast, half-opens and closes after a good trial", async () => {
    const broker = await start();
    for (let i = 0; i < 4; i++) await expect(broker.call("cb.run")).rejects.toThrow("down");
    await new Promise((r) => setImmediate(r));
    expect(events.map((e) => e.name)).toEqual(["$circuit-breaker.opened"]);
    expect(events[0].payload).toMatchObject({ action: "cb.run", nodeID: broker.nodeID, failures: 4, count: 4 });

    // Open: fails fast without running the handler.
    healthy = true;
    await expect(broker.call("cb.run")).rejects.toBeInstanceOf(ServiceNotAvailableError);

    await new Promise((r) => setTimeout(r, 80));
    expect(events.map((e) => e.name)).toContain("$circuit-breaker.half-opened");
    await expect(broker.call("cb.run")).resolves.toBe("up");
    await new Promise((r) => setImmediate(r));
    expect(events.map((e) => e.name)).toContain("$circuit-breaker.closed");
    await expect(broker.call("cb.run")).resolves.toBe("up");
    await broker.stop();
  });

  it("re-opens when the half-open trial fails", async () => {
    const broker = await start();
    for (let i = 0; i < 4; i++) await broker.call("cb.run").catch(() => undefined);
    await new Promise((r) => setTimeout(r, 80));
    await expect(broker.call("cb.run")).rejects.toThrow("down");
    await expect(broker.call("cb.run")).rejects.toBeInstanceOf(ServiceNotAvailableError);
    await new Promise((r) => setImmediate(r));
    expect(events.map((e) => e.name).filter((n) => n.endsWith("opened"))).toEqual([
      "$circuit-breaker.opened",
      "$circuit-breaker.half-opened",
      "$circuit-breaker.opened",
    ]);
    await broker.stop();
  });

  it("does not count client errors (code < 500)", async () => {
    const broker = await start();
    for (let i = 0; i < 10; i++) await broker.call("cb.clientError").catch(() => undefined);
    await expect(broker.call("cb.clientError")).rejects.toThrow("client");
    expect(events).toHaveLength(0);
    await broker.stop();
  });
});
