import { Action, Service, ServiceBroker } from "nucleon";
import { summarize } from "../../../../lib/cli/repl/commands/bench";
import { ReplDriver } from "../repl-driver";

let calls = 0;

@Service({ name: "svc" })
class Svc {
  @Action()
  async ping(): Promise<string> {
    calls++;
    return "pong";
  }

  /** Slow on purpose: a timed bench of it spans the 1 s progress tick while staying off the CPU. */
  @Action()
  async slow(): Promise<string> {
    await new Promise((resolve) => setTimeout(resolve, 40));
    return "late";
  }

  @Action()
  async flaky(params: { n?: number }): Promise<string> {
    calls++;
    if (calls % 2 === 0) throw new Error(`flaky ${params.n ?? 0}`);
    return "ok";
  }
}

describe("REPL bench", () => {
  let broker: ServiceBroker;
  let repl: ReplDriver;

  beforeEach(async () => {
    calls = 0;
    broker = new ServiceBroker({ nodeID: "bench", logger: false });
    broker.register(Svc);
    await broker.start();
    repl = new ReplDriver(broker);
  });

  afterEach(async () => {
    await repl.close();
    await broker.stop();
  });

  it("--num 200: exactly that many calls (plus one probe), calls/s and a latency summary", async () => {
    const printed = await repl.run("bench svc.ping --num 200");
    expect(calls).toBe(201);
    expect(printed).toContain(">> Benchmarking 'svc.ping' (200 calls, concurrency 1)");
    expect(printed).toMatch(/>> 200 calls in \d+\.\d\d s: [\d,]+ calls\/s, 0 errors/);
    const m = /latency \(ms\)\s+min ([\d.]+)\s+mean ([\d.]+)\s+p50 ([\d.]+)\s+p99 ([\d.]+)\s+max ([\d.]+)/.exec(printed);
    expect(m).not.toBeNull();
    const [min, mean, p50, p99, max] = m!.slice(1).map(Number);
    expect(min).toBeLessThanOrEqual(p50);
    expect(p50).toBeLessThanOrEqual(p99);
    expect(p99).toBeLessThanOrEqual(max);
    expect(mean).toBeLessThanOrEqual(max);
  });

  it("--time bounds the run in time; --concurrency runs calls side by side", async () => {
    const started = Date.now();
    const printed = await repl.run("bench svc.ping --time 0.3 --concurrency 4");
    expect(Date.now() - started).toBeLessThan(3000);
    expect(printed).toContain("(0.3 s, concurrency 4)");
    expect(printed).toMatch(/calls\/s/);
  });

  it("prints a progress line each second of a longer run", async () => {
    const printed = await repl.run("bench svc.slow --time 1.3 --concurrency 2");
    const progress = printed.split("\n").filter((l) => /^ {3}\d+ calls in 1\.\d s, \d+ calls\/s, 0 errors$/.test(l));
    expect(progress).toHaveLength(1);
    expect(printed).toMatch(/>> \d+ calls in 1\.\d\d s: \d+ calls\/s, 0 errors/);
  });

  it("counts failing calls and shows the first error", async () => {
    // The probe call (1st) succeeds, then every even-numbered call throws.
    const printed = await repl.run("bench svc.flaky --num 10 --n 3");
    expect(printed).toMatch(/>> 10 calls in .* 5 errors/);
    expect(printed).toContain("✖ First error: Error: flaky 3");
  });

  it("an unknown action fails once, before the run", async () => {
    expect(await repl.run("bench nope.x --num 1000")).toBe("✖ ServiceNotFoundError: Service 'nope.x' is not found. [SERVICE_NOT_FOUND]\n");
  });

  it("summarize: nearest-rank percentiles", () => {
    const s = summarize(Float64Array.from([5, 1, 4, 2, 3, 6, 7, 8, 9, 10]), 0, 1);
    expect(s).toEqual({ calls: 10, errors: 0, seconds: 1, min: 1, mean: 5.5, p50: 5, p99: 10, max: 10 });
    expect(summarize(new Float64Array(0), 3, 1)).toMatchObject({ calls: 0, min: 0, p50: 0, max: 0 });
  });
});
