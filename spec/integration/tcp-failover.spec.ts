import pino from "pino";
import { ServiceBroker } from "nucleon";
import { TcpTransporter } from "../../lib/transporters";
import { tally, WORKER_SCRIPT, workNodes, waitForWorkNodes } from "./support/cluster";
import { killAll, NodeProcess, startNode, waitUntil } from "./support/node-process";

// Ports of this spec file only (jest workers run files in parallel), below the
// ephemeral range (32768–60999) so that no outgoing socket can be holding one.
const BASE = 27300;
const WORKERS = ["tw1", "tw2", "tw3"];
const CALLER = "tcaller";
const LOOPS = 10;
const CALLS_PER_LOOP = 50;
const REQUEST_TIMEOUT = 2000;

/** Every node of the cluster at its fixed loopback port. */
const URLS: Record<string, string> = Object.fromEntries([...WORKERS, CALLER].map((id, i) => [id, `127.0.0.1:${BASE + i}`]));
const TCP_OPTIONS = { host: "127.0.0.1", udpDiscovery: false, urls: URLS, gossipPeriod: 1 };

interface CallRecord {
  startedAt: number;
  endedAt: number;
  nodeID: string | null;
  error: string | null;
}

/**
 * Over TCP there is no heartbeat: a worker killed with SIGKILL is seen gone
 * when its socket closes (our outgoing socket to it ends), and the others
 * learn it through gossip. With retries on, no call of a stream fails.
 */
describe("separate processes over TCP: a worker killed during a stream of calls", () => {
  let workers: NodeProcess[] = [];
  let caller: ServiceBroker;
  const logs: Array<{ msg: string }> = [];

  beforeAll(async () => {
    workers = WORKERS.map((nodeID) =>
      startNode(nodeID, WORKER_SCRIPT, {
        NUCLEON_TRANSPORTER: JSON.stringify({ type: "TCP", options: TCP_OPTIONS }),
        NUCLEON_NAMESPACE: "tcp-kill",
        NUCLEON_NODE_ID: nodeID,
        NUCLEON_ROLE: "worker",
        WORK_DELAY_MS: "5",
      }),
    );
    await Promise.all(workers.map((w) => w.waitForLine("READY", 15_000)));
    caller = new ServiceBroker({
      nodeID: CALLER,
      namespace: "tcp-kill",
      transporter: new TcpTransporter(TCP_OPTIONS),
      logger: pino({ level: "warn" }, { write: (line: string) => void logs.push(JSON.parse(line) as { msg: string }) }),
      transit: { discoverWait: 100, stopDelay: 50 },
      requestTimeout: REQUEST_TIMEOUT,
      retryPolicy: { enabled: true, retries: 5, delay: 50 },
    });
    await caller.start();
    await waitForWorkNodes(caller, WORKERS, 15_000);
  }, 40_000);

  afterAll(async () => {
    await caller?.stop();
    await Promise.all(workers.map((w) => w.kill("SIGTERM")));
    await killAll();
  }, 15_000);

  it("loses no call, and the survivors see the victim gone", async () => {
    const victim = workers[0];
    const records: CallRecord[] = [];
    let killedAt = Infinity;
    let detectedAt = Infinity;
    /** When each survivor's own node list shows the victim gone (its socket to it closed, or gossip told it). */
    const survivorsSawAt: Record<string, number> = {};
    const survivorSees = async (id: string) => {
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline) {
        const list = await caller.call<Array<{ id: string; available: boolean }>>("$node.list", {}, { nodeID: id });
        if (list.find((n) => n.id === victim.name)?.available === false) {
          survivorsSawAt[id] = Date.now();
          return;
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    const loop = async () => {
      for (let i = 0; i < CALLS_PER_LOOP; i++) {
        const record: CallRecord = { startedAt: Date.now(), endedAt: 0, nodeID: null, error: null };
        records.push(record);
        try {
          record.nodeID = await caller.call<string>("work.whoami");
        } catch (err) {
          record.error = (err as Error).message;
        }
        record.endedAt = Date.now();
        await new Promise((r) => setTimeout(r, 40));
      }
    };
    const killer = async () => {
      while (records.length < (LOOPS * CALLS_PER_LOOP) / 4) await new Promise((r) => setTimeout(r, 5));
      await victim.kill("SIGKILL");
      killedAt = Date.now();
      await waitUntil(() => caller.registry.nodes.get(victim.name)?.available === false, 10_000, "the victim declared gone");
      detectedAt = Date.now();
      await Promise.all(["tw2", "tw3"].map(survivorSees));
    };
    await Promise.all([...Array.from({ length: LOOPS }, loop), killer()]);

    expect(records.filter((r) => r.error !== null).map((r) => r.error)).toEqual([]);
    expect(records).toHaveLength(LOOPS * CALLS_PER_LOOP);
    expect(records.some((r) => r.nodeID === victim.name && r.endedAt <= killedAt)).toBe(true);
    const afterKill = records.filter((r) => r.startedAt > killedAt);
    expect(afterKill.length).toBeGreaterThan(100);
    expect(Object.keys(tally(afterKill.map((r) => r.nodeID!))).sort()).toEqual(["tw2", "tw3"]);
    expect(workNodes(caller)).toEqual(["tw2", "tw3"]);
    // The other workers learn it too, through their own sockets or gossip (gossipPeriod 1 s).
    expect(Object.keys(survivorsSawAt).sort()).toEqual(["tw2", "tw3"]);
    const survivors = Object.entries(survivorsSawAt).map(([id, at]) => `${id} after ${at - killedAt} ms`);
    // eslint-disable-next-line no-console -- the detection times, for the report
    console.log(`tcp: ${records.length} calls, ${afterKill.length} after the kill, victim gone at the caller after ${detectedAt - killedAt} ms, at ${survivors.join(", ")}`);
  }, 40_000);
});
