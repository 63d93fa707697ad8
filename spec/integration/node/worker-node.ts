/* eslint-disable no-console -- stdout is this process's protocol with the test */
/**
 * One nucleon node in its own process, for the multi-process integration
 * specs. Configured by env:
 *   NUCLEON_TRANSPORTER  transporter URL (nats://127.0.0.1:4222, redis://127.0.0.1:6379), or `{ type, options }` as JSON
 *   NUCLEON_NAMESPACE    cluster namespace (unique per test run)
 *   NUCLEON_NODE_ID      this node's id
 *   NUCLEON_ROLE         "worker" (the only role so far)
 *   WORK_DELAY_MS        optional delay before `work.whoami` answers
 *   HEARTBEAT_INTERVAL / HEARTBEAT_TIMEOUT  seconds (fast failure detection in tests)
 * Stdout carries only `READY` and one JSON line per handled event; logs go to stderr.
 */
import "reflect-metadata";
import pino from "pino";
import { Action, Context, Event, Service, ServiceBroker } from "nucleon";

function env(name: string, fallback?: string): string {
  const value = process.env[name] ?? fallback;
  if (value === undefined || value === "") throw new Error(`worker-node: env ${name} is required`);
  return value;
}

const nodeID = env("NUCLEON_NODE_ID");
const role = env("NUCLEON_ROLE", "worker");
const delayMs = Number(env("WORK_DELAY_MS", "0"));

@Service({ name: "work" })
class WorkService {
  @Action()
  async whoami(): Promise<string> {
    if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
    return nodeID;
  }

  // One handler per group: an `emit` must reach exactly one worker of "workers".
  @Event("job.done", { group: "workers" })
  jobDone(payload: unknown, ctx: Context): void {
    console.log(JSON.stringify({ kind: "event", event: ctx.eventName, nodeID, payload }));
  }
}

/** A URL, or `{ type, options }` as JSON (TCP needs its peers' addresses). */
function transporterSpec(value: string): string | { type: string; options: Record<string, unknown> } {
  return value.startsWith("{") ? (JSON.parse(value) as { type: string; options: Record<string, unknown> }) : value;
}

async function main(): Promise<void> {
  if (role !== "worker") throw new Error(`worker-node: unknown role '${role}'`);
  const broker = new ServiceBroker({
    nodeID,
    namespace: env("NUCLEON_NAMESPACE"),
    transporter: transporterSpec(env("NUCLEON_TRANSPORTER")),
    // Logs to stderr: stdout stays machine-readable for the test.
    logger: pino({ level: process.env.LOG_LEVEL ?? "warn" }, pino.destination(2)),
    heartbeatInterval: Number(env("HEARTBEAT_INTERVAL", "1")),
    heartbeatTimeout: Number(env("HEARTBEAT_TIMEOUT", "3")),
    transit: { discoverWait: 100, stopDelay: 100 },
  });
  broker.register(WorkService);

  let stopping = false;
  process.on("SIGTERM", () => {
    if (stopping) return;
    stopping = true;
    broker.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  });

  await broker.start();
  console.log("READY");
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
