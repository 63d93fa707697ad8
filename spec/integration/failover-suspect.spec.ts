import { uniqueNamespace } from "../support/brokers";
import { describeWith } from "../support/describe-with";
import { Caller, createCaller, startWorkers, tally, waitForWorkNodes, workNodes } from "./support/cluster";
import { killAll, NodeProcess, waitUntil } from "./support/node-process";

const WORKERS = ["w1", "w2", "w3"];
const LOOPS = 50;
const CALLS_PER_LOOP = 10;
const REQUEST_TIMEOUT = 1000;

/**
 * kill -9 of one of three workers under 50 concurrent call loops, with a
 * 30 s heartbeat timeout on the caller: the first request that times out on
 * the dead worker makes the caller ping it, and the silent worker is taken
 * out of selection long before the heartbeat check would; retries avoid it.
 */
describeWith("nats", "a worker killed while the caller's heartbeatTimeout is 30 s", () => {
  let workers: NodeProcess[] = [];
  let caller: Caller;

  beforeAll(async () => {
    const namespace = uniqueNamespace("it-suspect");
    workers = await startWorkers("nats", namespace, WORKERS, { WORK_DELAY_MS: "5" });
    caller = createCaller("nats", namespace, {
      heartbeatInterval: 10,
      heartbeatTimeout: 30,
      requestTimeout: REQUEST_TIMEOUT,
      retryPolicy: { enabled: true, retries: 5, delay: 50 },
    });
    await caller.broker.start();
    await waitForWorkNodes(caller.broker, WORKERS);
  }, 30_000);

  afterAll(async () => {
    await caller?.broker.stop();
    await Promise.all(workers.map((w) => w.kill("SIGTERM")));
    await killAll();
  }, 15_000);

  it("loses no call and marks the dead worker unavailable without waiting for the heartbeat timeout", async () => {
    const victim = workers[0];
    const latencies: number[] = [];
    const errors: string[] = [];
    const answeredBy: string[] = [];
    let killed = false;

    const loop = async () => {
      for (let i = 0; i < CALLS_PER_LOOP; i++) {
        const started = Date.now();
        try {
          answeredBy.push(await caller.broker.call<string>("work.whoami"));
        } catch (err) {
          errors.push((err as Error).message);
        }
        latencies.push(Date.now() - started);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    const killer = async () => {
      while (latencies.length < (LOOPS * CALLS_PER_LOOP) / 5) await new Promise((r) => setTimeout(r, 5));
      await victim.kill("SIGKILL");
      killed = true;
      // Well inside the 30 s heartbeat timeout (the spec's own timeout is 25 s).
      await waitUntil(() => caller.broker.registry.nodes.get(victim.name)?.available === false, 15_000, "the victim marked unavailable");
    };
    await Promise.all([...Array.from({ length: LOOPS }, loop), killer()]);

    expect(killed).toBe(true);
    expect(errors).toEqual([]);
    expect(latencies).toHaveLength(LOOPS * CALLS_PER_LOOP);
    expect(caller.logs.some((l) => l.msg.startsWith("A node did not answer a ping after a request timeout"))).toBe(true);
    expect(workNodes(caller.broker)).toEqual(["w2", "w3"]);
    expect(Object.keys(tally(answeredBy)).sort()).toEqual(WORKERS);

    const sorted = [...latencies].sort((a, b) => a - b);
    const p99 = sorted[Math.floor(sorted.length * 0.99) - 1];
    // eslint-disable-next-line no-console -- latency figures for the report, not asserted
    console.log(`kill -9 under ${LOOPS} loops: ${latencies.length} calls, p99 ${p99} ms, max ${sorted[sorted.length - 1]} ms (request timeout ${REQUEST_TIMEOUT} ms)`);
  }, 25_000);
});
