/* eslint-disable no-console -- a sample prints what it does */
/**
 * A nucleon cluster on one machine: a gateway (this process) and three nodes
 * in their own processes — greeter-1, greeter-2 and audit-1.
 *
 *   npm run start:cluster                                     (TCP: no message broker needed)
 *   TRANSPORTER=nats://127.0.0.1:4222 npm run start:cluster   (over NATS)
 *   TRANSPORTER=redis://127.0.0.1:6379 npm run start:cluster  (over Redis)
 *
 * It shows discovery ($node.list, $node.services), balancing (RoundRobin
 * over the two greeters) and event groups (emit vs broadcast), then stops
 * every node cleanly and exits 0.
 */
import "reflect-metadata";
import { createConnection, createServer } from "node:net";
import { ServiceBroker } from "nucleon";
import { ChildNode, countLines, until } from "./child-node";
import type { Greeting } from "./greeter.service";
import { clusterTransporter } from "./transporter";

/** A broker URL (nats://, redis://), or unset: TCP between the nodes, no broker at all. */
const TRANSPORTER = process.env.TRANSPORTER ?? "";
// A namespace per run: other runs (or test suites) on the same broker stay invisible.
const NAMESPACE = `cluster-sample-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
const NODE_IDS = ["gateway", "greeter-1", "greeter-2", "audit-1"];

async function main(): Promise<number> {
  if (TRANSPORTER !== "" && !(await brokerAnswers(TRANSPORTER))) {
    printHowToStartBroker(TRANSPORTER);
    return 1;
  }
  // Over TCP every node gets a free loopback port, and all of them the list (`urls`).
  const tcpUrls = TRANSPORTER === "" ? await loopbackUrls(NODE_IDS) : "";
  console.log(`cluster "${NAMESPACE}" on ${TRANSPORTER || `TCP (${tcpUrls})`}`);

  // The gateway calls and emits; it has no services of its own.
  const gateway = new ServiceBroker({
    nodeID: "gateway",
    namespace: NAMESPACE,
    transporter: clusterTransporter(TRANSPORTER, tcpUrls),
    logLevel: "warn",
  });
  await gateway.start();

  section("starting greeter-1, greeter-2 and audit-1 (one process each)");
  const env = { NAMESPACE, TRANSPORTER, TCP_URLS: tcpUrls };
  const nodes = [
    ChildNode.start("greeter-node.ts", "greeter-1", env),
    ChildNode.start("greeter-node.ts", "greeter-2", env),
    ChildNode.start("audit-node.ts", "audit-1", env),
  ];
  let ok = false;
  try {
    await Promise.all(nodes.map((node) => node.ready(20_000)));
    await showDiscovery(gateway);
    await showBalancing(gateway);
    await showEventGroups(gateway, nodes);
    ok = true;
  } finally {
    ok = (await stopAll(gateway, nodes)) && ok;
  }
  return ok ? 0 : 1;
}

/** Every node announces its services (INFO packets, or gossip over TCP): the gateway learns the cluster from them. */
async function showDiscovery(gateway: ServiceBroker): Promise<void> {
  const servicesOnline = async () => {
    const services = await gateway.call<ServiceEntry[]>("$node.services", { skipInternal: true, onlyAvailable: true });
    const nodesOf = (name: string) => services.find((s) => s.name === name)?.nodes.length ?? 0;
    return nodesOf("greeter") === 2 && nodesOf("audit") === 1;
  };
  await until(servicesOnline, 10_000, "the gateway to discover every node");

  section("discovery: what the gateway sees");
  const nodes = await gateway.call<NodeEntry[]>("$node.list");
  console.log("nodes ($node.list):");
  for (const n of nodes.sort((a, b) => a.id.localeCompare(b.id))) {
    console.log(`  ${n.id.padEnd(10)} ${n.local ? "local" : n.available ? "available" : "offline"}`);
  }
  const services = await gateway.call<ServiceEntry[]>("$node.services", { skipInternal: true });
  console.log("services ($node.services):");
  for (const s of services.sort((a, b) => a.name.localeCompare(b.name))) {
    console.log(`  ${s.name.padEnd(10)} on ${[...s.nodes].sort().join(", ")}`);
  }
}

/** Two nodes serve `greeter.hello`: the default RoundRobin strategy alternates between them. */
async function showBalancing(gateway: ServiceBroker): Promise<void> {
  section("balancing: 10 calls to greeter.hello");
  const answeredBy: Record<string, number> = {};
  for (let i = 1; i <= 10; i++) {
    const { greeting, servedBy } = await gateway.call<Greeting>("greeter.hello", { name: `visitor ${i}` });
    answeredBy[servedBy] = (answeredBy[servedBy] ?? 0) + 1;
    console.log(`  call ${String(i).padStart(2)} → ${greeting.padEnd(20)} answered by ${servedBy}`);
  }
  console.log(`  ${Object.entries(answeredBy).map(([node, n]) => `${node}: ${n} calls`).join(", ")}`);
}

/**
 * "user.signedUp" has two groups: "audit" (on audit-1) and "welcome" (on both
 * greeters). `emit` delivers to ONE handler per group; `broadcast` to all.
 * The handlers print in their own processes; we wait for their lines.
 */
async function showEventGroups(gateway: ServiceBroker, nodes: ChildNode[]): Promise<void> {
  section('events: emit "user.signedUp" 3 times → one handler per group');
  for (let userId = 1; userId <= 3; userId++) await gateway.emit("user.signedUp", { userId });
  // 3 emits × 2 groups = 6 handler runs.
  await until(() => countLines(nodes, (l) => l.includes("(emit")) >= 6, 10_000, "6 emit handler lines");

  section('events: broadcast "user.signedUp" once → every handler on every node');
  await gateway.broadcast("user.signedUp", { userId: 4 });
  await until(() => countLines(nodes, (l) => l.includes("(broadcast")) >= 3, 10_000, "3 broadcast handler lines");
}

/** SIGTERM each node (it stops its broker and exits), then stop the gateway. True if all exited with 0. */
async function stopAll(gateway: ServiceBroker, nodes: ChildNode[]): Promise<boolean> {
  section("stopping");
  const codes = await Promise.all(nodes.map((node) => node.stop(10_000)));
  nodes.forEach((node, i) => console.log(`  ${node.nodeID} exited with code ${codes[i]}`));
  await gateway.stop();
  console.log("  gateway stopped");
  return codes.every((code) => code === 0);
}

function section(title: string): void {
  console.log(`\n── ${title}`);
}

interface NodeEntry {
  id: string;
  local: boolean;
  available: boolean;
}

interface ServiceEntry {
  name: string;
  nodes: string[];
}

/** Whether something accepts TCP connections at the URL's host and port (within 1 s). */
function brokerAnswers(url: string): Promise<boolean> {
  const { hostname, port, protocol } = new URL(url);
  return new Promise((resolve) => {
    const socket = createConnection({ host: hostname, port: Number(port || (protocol.startsWith("redis") ? 6379 : 4222)) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

/** `127.0.0.1:<free port>/<nodeID>,…` for the TCP transporter's `urls`. */
async function loopbackUrls(nodeIDs: string[]): Promise<string> {
  const entries: string[] = [];
  for (const id of nodeIDs) entries.push(`127.0.0.1:${await freePort()}/${id}`);
  return entries.join(",");
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function printHowToStartBroker(url: string): void {
  const nats = url.startsWith("nats");
  console.error(
    [
      `Nothing answers at ${url}.`,
      nats ? "Start a local NATS server, then run the sample again:" : "Start a local Redis server, then run the sample again:",
      nats ? "  nats-server -a 127.0.0.1 -p 4222" : "  redis-server --bind 127.0.0.1 --port 6379",
      nats ? "  (or: docker run --rm -p 127.0.0.1:4222:4222 nats)" : "  (or: docker run --rm -p 127.0.0.1:6379:6379 redis)",
      "Or leave TRANSPORTER unset: the nodes then talk over TCP, with no broker at all.",
    ].join("\n"),
  );
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  },
);
