import { uniqueNamespace } from "../support/brokers";
import { describeWith } from "../support/describe-with";
import { Caller, createCaller, JobDoneLine, startWorkers, tally, TRANSPORTS, waitForWorkNodes } from "./support/cluster";
import { killAll, NodeProcess, waitUntil } from "./support/node-process";

const WORKERS = ["w1", "w2", "w3"];

/**
 * Three worker processes and a caller in this process, over a real broker:
 * discovery across processes, RoundRobin balancing, and an event group that
 * gets each `emit` exactly once.
 */
describe.each(TRANSPORTS)("separate processes over %s", (transport) => {
  describeWith(transport, "discovery, balancing and event groups", () => {
    let workers: NodeProcess[] = [];
    let caller: Caller;

    beforeAll(async () => {
      const namespace = uniqueNamespace(`it-bal-${transport}`);
      workers = await startWorkers(transport, namespace, WORKERS);
      caller = createCaller(transport, namespace);
      await caller.broker.start();
    }, 30_000);

    afterAll(async () => {
      await caller?.broker.stop();
      await Promise.all(workers.map((w) => w.kill("SIGTERM")));
      await killAll();
    }, 15_000);

    it("discovers all three worker nodes", async () => {
      await waitForWorkNodes(caller.broker, WORKERS);
      const nodes = (await caller.broker.call<Array<{ id: string; available: boolean; local: boolean }>>("$node.list"))
        .filter((n) => !n.local)
        .map((n) => `${n.id}:${n.available}`)
        .sort();
      expect(nodes).toEqual(["w1:true", "w2:true", "w3:true"]);
    });

    it("spreads 300 RoundRobin calls over all three nodes", async () => {
      await waitForWorkNodes(caller.broker, WORKERS);
      const answers: string[] = [];
      // 10 concurrent loops of 30 calls: concurrency must not break the rotation.
      await Promise.all(
        Array.from({ length: 10 }, async () => {
          for (let i = 0; i < 30; i++) answers.push(await caller.broker.call<string>("work.whoami"));
        }),
      );
      const counts = tally(answers);
      expect(answers).toHaveLength(300);
      expect(Object.keys(counts).sort()).toEqual(WORKERS);
      for (const id of WORKERS) expect(counts[id]).toBeGreaterThan(300 * 0.2);
    });

    it("delivers each of 30 emits to exactly one worker of the group", async () => {
      const group = () => caller.broker.registry.events.match("job.done").find((l) => l.group === "workers");
      await waitUntil(() => group()?.size === 3, 10_000, "3 job.done endpoints in group 'workers'");

      for (let seq = 0; seq < 30; seq++) await caller.broker.emit("job.done", { seq });

      const handled = () => workers.flatMap((w) => w.json<JobDoneLine>()).filter((l) => l.kind === "event");
      await waitUntil(() => handled().length >= 30, 10_000, () => `30 handled events (got ${handled().length})`);
      // A duplicate would arrive late: give it the chance to show up.
      await new Promise((r) => setTimeout(r, 300));

      const seqs = handled().map((l) => l.payload.seq).sort((a, b) => a - b);
      expect(seqs).toEqual(Array.from({ length: 30 }, (_, i) => i));
      // Balanced inside the group, too (RoundRobin: 10 each).
      const perNode = tally(handled().map((l) => l.nodeID));
      expect(Object.keys(perNode).sort()).toEqual(WORKERS);
    });
  });
});
