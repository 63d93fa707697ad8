import { uniqueNamespace } from "../support/brokers";
import { describeWith } from "../support/describe-with";
import { Caller, createCaller, startWorker, startWorkers, tally, TRANSPORTS, waitForWorkNodes } from "./support/cluster";
import { killAll, NodeProcess, waitUntil } from "./support/node-process";

const WORKERS = ["w1", "w2"];
const CALLER_OPTIONS = { requestTimeout: 2000, retryPolicy: { enabled: true, retries: 5, delay: 50 } };

/** `n` calls (5 at a time); every one must succeed. Returns who answered. */
async function callMany(caller: Caller, n: number): Promise<Record<string, number>> {
  const answers: string[] = [];
  await Promise.all(
    Array.from({ length: 5 }, async () => {
      for (let i = 0; i < n / 5; i++) answers.push(await caller.broker.call<string>("work.whoami"));
    }),
  );
  return tally(answers);
}

function instanceOf(caller: Caller, nodeID: string): string | null {
  return caller.broker.registry.nodes.get(nodeID)?.instanceID ?? null;
}

/**
 * Start order does not matter: a caller started before its workers learns
 * them from their INFO broadcast, one started after them from its DISCOVER.
 * A worker restarted under the same nodeID (a new process, so a new
 * instanceID) replaces its old entry and is called again.
 */
describe.each(TRANSPORTS)("separate processes over %s", (transport) => {
  describeWith(transport, "start order and restarts", () => {
    let workers: NodeProcess[] = [];
    let caller: Caller | undefined;

    afterEach(async () => {
      await caller?.broker.stop();
      caller = undefined;
      await Promise.all(workers.map((w) => w.kill("SIGTERM")));
      workers = [];
      await killAll();
    }, 15_000);

    it("converges when the caller starts first", async () => {
      const namespace = uniqueNamespace(`it-order-${transport}`);
      caller = createCaller(transport, namespace, CALLER_OPTIONS);
      await caller.broker.start();
      expect(caller.broker.registry.actions.get("work.whoami")).toBeUndefined();

      workers = await startWorkers(transport, namespace, WORKERS);
      await waitForWorkNodes(caller.broker, WORKERS);
      expect(Object.keys(await callMany(caller, 40)).sort()).toEqual(WORKERS);
    }, 30_000);

    it("converges when the workers start first", async () => {
      const namespace = uniqueNamespace(`it-order-${transport}`);
      workers = await startWorkers(transport, namespace, WORKERS);

      caller = createCaller(transport, namespace, CALLER_OPTIONS);
      await caller.broker.start();
      await waitForWorkNodes(caller.broker, WORKERS);
      expect(Object.keys(await callMany(caller, 40)).sort()).toEqual(WORKERS);
    }, 30_000);

    it("re-discovers and uses a worker restarted with the same nodeID", async () => {
      const namespace = uniqueNamespace(`it-restart-${transport}`);
      workers = await startWorkers(transport, namespace, WORKERS);
      const c = (caller = createCaller(transport, namespace, CALLER_OPTIONS));
      await c.broker.start();
      await waitForWorkNodes(c.broker, WORKERS);
      const first = instanceOf(c, "w1");
      expect(first).not.toBeNull();

      // 1) Killed and restarted at once: the caller still holds the old instance
      //    as alive (no heartbeat timeout yet) when the new INFO arrives.
      await workers[0].kill("SIGKILL");
      workers[0] = startWorker(transport, namespace, "w1");
      await workers[0].waitForLine("READY", 15_000);
      await waitUntil(() => instanceOf(c, "w1") !== first, 10_000, "w1's new instanceID");
      const second = instanceOf(c, "w1");
      await waitForWorkNodes(c.broker, WORKERS);
      expect(Object.keys(await callMany(c, 40)).sort()).toEqual(WORKERS);

      // 2) Stopped cleanly (DISCONNECT: the caller drops it at once), then restarted.
      await workers[0].kill("SIGTERM");
      expect(workers[0].exitCode).toBe(0);
      await waitForWorkNodes(c.broker, ["w2"]);
      expect(await callMany(c, 10)).toEqual({ w2: 10 });
      workers[0] = startWorker(transport, namespace, "w1");
      await workers[0].waitForLine("READY", 15_000);
      await waitForWorkNodes(c.broker, WORKERS);
      expect(instanceOf(c, "w1")).not.toBe(second);
      expect(Object.keys(await callMany(c, 40)).sort()).toEqual(WORKERS);
    }, 40_000);
  });
});
