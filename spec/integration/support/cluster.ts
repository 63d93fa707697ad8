import pino from "pino";
import { BrokerOptions, ServiceBroker } from "nucleon";
import { BROKERS } from "../../support/brokers";
import { NodeProcess, startNode, waitUntil } from "./node-process";

export type Transport = "nats" | "redis";
export const TRANSPORTS: Transport[] = ["nats", "redis"];

export const WORKER_SCRIPT = "spec/integration/node/worker-node.ts";

/** Fast failure detection on every node: a silent node is gone after ~3-4 s instead of 30. */
export const FAST_HEARTBEAT = { heartbeatInterval: 1, heartbeatTimeout: 3 } as const;

export interface JobDoneLine {
  kind: "event";
  event: string;
  nodeID: string;
  payload: { seq: number };
}

/** Starts worker processes in parallel (each costs ~1 s of startup) and waits for their READY. */
export async function startWorkers(
  transport: Transport,
  namespace: string,
  nodeIDs: string[],
  extraEnv: Record<string, string> = {},
): Promise<NodeProcess[]> {
  const workers = nodeIDs.map((nodeID) => startWorker(transport, namespace, nodeID, extraEnv));
  await Promise.all(workers.map((w) => w.waitForLine("READY", 15_000)));
  return workers;
}

/** One worker process, not yet waited for. */
export function startWorker(transport: Transport, namespace: string, nodeID: string, extraEnv: Record<string, string> = {}): NodeProcess {
  return startNode(nodeID, WORKER_SCRIPT, {
    NUCLEON_TRANSPORTER: BROKERS[transport].url,
    NUCLEON_NAMESPACE: namespace,
    NUCLEON_NODE_ID: nodeID,
    NUCLEON_ROLE: "worker",
    HEARTBEAT_INTERVAL: String(FAST_HEARTBEAT.heartbeatInterval),
    HEARTBEAT_TIMEOUT: String(FAST_HEARTBEAT.heartbeatTimeout),
    ...extraEnv,
  });
}

export interface Caller {
  broker: ServiceBroker;
  /** Warnings and errors the caller logged (e.g. requests rejected because their node left). */
  logs: Array<{ level: number; msg: string; [field: string]: unknown }>;
}

/** The calling broker, in the test process; its logs are captured, not printed. */
export function createCaller(transport: Transport, namespace: string, options: BrokerOptions = {}): Caller {
  const logs: Caller["logs"] = [];
  const logger = pino({ level: "warn" }, { write: (line: string) => void logs.push(JSON.parse(line) as Caller["logs"][number]) });
  const broker = new ServiceBroker({
    nodeID: `caller-${process.pid}`,
    namespace,
    transporter: BROKERS[transport].url,
    logger,
    ...FAST_HEARTBEAT,
    transit: { discoverWait: 100, stopDelay: 50 },
    ...options,
  });
  return { broker, logs };
}

/** Available nodes (other than the caller) that offer `work.whoami`, as the caller sees them. */
export function workNodes(broker: ServiceBroker): string[] {
  const list = broker.registry.actions.get("work.whoami");
  return (list?.endpoints ?? []).filter((e) => e.available && e.node.available).map((e) => e.id).sort();
}

/** Waits until the caller sees exactly `nodeIDs` serving `work.whoami`. */
export function waitForWorkNodes(broker: ServiceBroker, nodeIDs: string[], timeoutMs = 10_000): Promise<void> {
  const want = [...nodeIDs].sort().join(",");
  return waitUntil(() => workNodes(broker).join(",") === want, timeoutMs, () => `work.whoami on [${want}] (seen: [${workNodes(broker).join(",")}])`);
}

/** Counts answers per node. */
export function tally(nodeIDs: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const id of nodeIDs) counts[id] = (counts[id] ?? 0) + 1;
  return counts;
}
