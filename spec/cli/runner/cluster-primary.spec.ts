import cluster from "node:cluster";
import { EventEmitter } from "node:events";
import { join } from "node:path";
import { restartDelay, runClusterPrimary } from "../../../lib/cli/runner/cluster-primary";

describe("restartDelay", () => {
  it("doubles from the initial delay per restart, up to the cap", () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => restartDelay(n, 1000, 30_000))).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000]);
  });
});

/**
 * The primary with tiny workers (fixtures/worker.js) in place of runners;
 * the real runner workers run in bin-instances.spec.ts.
 */
describe("runClusterPrimary", () => {
  const signals = new EventEmitter();
  const logs: string[] = [];
  let exited: Promise<number>;
  let exit: (code: number) => void;

  // Its mode goes as an argument: jest gives the spec a copy of process.env, which cluster.fork does not see.
  const workerMode = (mode: "crash" | "serve" | "no-start") => cluster.setupPrimary({ exec: join(__dirname, "fixtures/worker.js"), args: [mode], silent: true });
  beforeEach(() => {
    logs.length = 0;
    signals.removeAllListeners();
    exited = new Promise<number>((r) => (exit = r));
  });
  afterEach(() => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill("SIGKILL"); // a failed test leaves none behind
  });

  it("restarts a crashing worker with backoff, counts the restarts, and gives up after the cap (exit 1)", async () => {
    workerMode("crash");
    runClusterPrimary({ instances: 1, log: (l) => logs.push(l), exit, signals, initialDelayMs: 5, maxDelayMs: 12, maxRestarts: 3 });
    expect(await exited).toBe(1);
    const lines = logs.map((l) => l.replace(/pid \d+/, "pid N"));
    expect(lines).toEqual([
      "Starting 1 worker(s)",
      "Worker 1 (pid N) exited with code 3; restart 1/3 in 5 ms",
      "Worker 1 (pid N) exited with code 3; restart 2/3 in 10 ms",
      "Worker 1 (pid N) exited with code 3; restart 3/3 in 12 ms",
      "Worker 1 (pid N) exited with code 3; restarted 3 times already, giving up on it",
    ]);
  });

  it("passes a stop signal on to every worker as a message, and exits 0 once they all stopped cleanly", async () => {
    workerMode("serve");
    const ready: string[] = [];
    const allReady = new Promise<void>((done) => {
      const onMessage = (_worker: unknown, message: string) => {
        ready.push(message);
        if (ready.length === 2) {
          cluster.off("message", onMessage);
          done();
        }
      };
      cluster.on("message", onMessage);
    });
    runClusterPrimary({ instances: 2, log: (l) => logs.push(l), exit, signals });
    await allReady;
    expect(ready.sort()).toEqual(["ready 1", "ready 2"]);
    signals.emit("SIGTERM");
    expect(await exited).toBe(0);
    expect(logs[1]).toBe("SIGTERM: stopping 2 worker(s) gracefully");
    expect(logs.slice(2).map((l) => l.replace(/pid \d+/, "pid N")).sort()).toEqual([
      "Worker 1 (pid N) exited with code 0",
      "Worker 2 (pid N) exited with code 0",
    ]);
  });

  it("stops every worker and exits 1 when one could not start (no restart loop on a config error)", async () => {
    workerMode("no-start");
    runClusterPrimary({ instances: 2, log: (l) => logs.push(l), exit, signals });
    expect(await exited).toBe(1);
    expect(logs.map((l) => l.replace(/pid \d+/, "pid N"))).toEqual([
      "Starting 2 worker(s)",
      "Worker 2 (pid N) could not start; stopping the others",
      "Worker 1 (pid N) exited with code 0",
    ]);
  });
});
