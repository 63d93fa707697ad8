import { Action, Event, QueueIsFullError, Service, ServiceBroker } from "nucleon";

let running = 0;
let peak = 0;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function work(ms: number) {
  running++;
  peak = Math.max(peak, running);
  await sleep(ms);
  running--;
}

@Service({ name: "bh" })
class BhService {
  @Action({ params: false })
  async job(): Promise<string> {
    await work(20);
    return "ok";
  }

  @Action({ bulkhead: { enabled: true, concurrency: 1, maxQueueSize: 1 }, params: false })
  async single(): Promise<string> {
    await work(20);
    return "ok";
  }

  @Event("bh.evt")
  async onEvt(): Promise<void> {
    await work(10);
  }
}

describe("bulkhead", () => {
  beforeEach(() => {
    running = 0;
    peak = 0;
  });

  it("limits concurrency, queues the excess and rejects beyond the queue", async () => {
    const broker = new ServiceBroker({ logger: false, bulkhead: { enabled: true, concurrency: 3, maxQueueSize: 5 } });
    broker.register(BhService);
    await broker.start();
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => broker.call("bh.job")));
    expect(peak).toBe(3);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(8);
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(rejected).toHaveLength(2);
    expect(rejected[0].reason).toBeInstanceOf(QueueIsFullError);
    expect(rejected[0].reason).toMatchObject({ code: 429, retryable: true });
    await broker.stop();
  });

  it("applies per-action options even when the broker's bulkhead is off", async () => {
    const broker = new ServiceBroker({ logger: false });
    broker.register(BhService);
    await broker.start();
    const results = await Promise.allSettled([broker.call("bh.single"), broker.call("bh.single"), broker.call("bh.single")]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled", "rejected"]);
    expect(peak).toBe(1);
    await broker.stop();
  });

  it("limits event handlers too", async () => {
    const broker = new ServiceBroker({ logger: false, bulkhead: { enabled: true, concurrency: 2, maxQueueSize: 50 } });
    broker.register(BhService);
    await broker.start();
    await Promise.all(Array.from({ length: 8 }, () => broker.emit("bh.evt")));
    expect(peak).toBe(2);
    await broker.stop();
  });
});
