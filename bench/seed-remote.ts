/* eslint-disable no-console -- a benchmark prints its results */
/**
 * The seed's own remote case (icebob/microservices-benchmark): two nodes in
 * ONE process, one call in flight, `math.add({ a: 5, b: 3 })`, over loopback.
 * nucleon on its TCP transporter, Moleculer on its TCP transporter, Cote
 * (brokerless, axon sockets), and a floor: the same call as length-prefixed
 * JSON over one `net` socket pair. Rounds rotate the order; ratios per round.
 *
 *   flock /tmp/bench.lock npm run bench:seed
 */
import "reflect-metadata";
import { createServer, connect, type Server } from "node:net";
import { readFrames, sendFrame } from "./length-prefixed";
import { ServiceBroker as MoleculerBroker } from "moleculer";
import { Action, Service, ServiceBroker } from "../lib";
import { assertEqual, type Contender, DEFAULTS, fmtRate, fmtRatio, median, runMulti } from "./harness";
import { freePort } from "./free-port";

const params = { a: 5, b: 3 };

interface Side {
  contender: Contender;
  stop: () => Promise<void>;
}

@Service({ name: "math" })
class MathService {
  @Action({ params: false })
  add(p: { a: number; b: number }): number {
    return p.a + p.b;
  }
}

async function nucleon(): Promise<Side> {
  const urls = { "nuc-caller": `127.0.0.1:${await freePort()}`, "nuc-responder": `127.0.0.1:${await freePort()}` };
  const tcp = { type: "TCP", options: { host: "127.0.0.1", urls, udpDiscovery: false } };
  const responder = new ServiceBroker({ nodeID: "nuc-responder", logger: false, transporter: tcp, transit: { discoverWait: 10 } });
  responder.register(MathService);
  const caller = new ServiceBroker({ nodeID: "nuc-caller", logger: false, transporter: tcp, transit: { discoverWait: 10 } });
  await Promise.all([responder.start(), caller.start()]);
  await caller.waitForServices("math", 15_000);
  return { contender: { name: "nucleon TCP", op: () => caller.call("math.add", params) }, stop: async () => void (await Promise.all([caller.stop(), responder.stop()])) };
}

async function moleculer(): Promise<Side> {
  const urls = { "mol-caller": `127.0.0.1:${await freePort()}`, "mol-responder": `127.0.0.1:${await freePort()}` };
  const tcp = { type: "TCP", options: { urls, udpDiscovery: false } };
  const responder = new MoleculerBroker({ nodeID: "mol-responder", logger: false, transporter: tcp });
  responder.createService({ name: "math", actions: { add: (ctx) => (ctx.params as { a: number }).a + (ctx.params as { b: number }).b } });
  const caller = new MoleculerBroker({ nodeID: "mol-caller", logger: false, transporter: tcp });
  await Promise.all([responder.start(), caller.start()]);
  await caller.waitForServices("math", 15_000);
  return { contender: { name: "moleculer TCP", op: () => caller.call("math.add", params) }, stop: async () => void (await Promise.all([caller.stop(), responder.stop()])) };
}

interface CoteRequester {
  send(req: { type: string; a: number; b: number }): Promise<number>;
  close(): void;
}
interface CoteResponder {
  on(type: string, handler: (req: { a: number; b: number }) => Promise<number>): void;
  close(): void;
}
interface Cote {
  Requester: new (advertisement: Record<string, unknown>, discovery: Record<string, unknown>) => CoteRequester;
  Responder: new (advertisement: Record<string, unknown>, discovery: Record<string, unknown>) => CoteResponder;
}

async function cote(): Promise<Side> {
  // eslint-disable-next-line @typescript-eslint/no-var-requires -- cote ships no types; loaded only here
  const lib = require("cote") as Cote;
  // Discovery by broadcast on loopback only, on a port and key of this run.
  const discovery = { broadcast: "127.255.255.255", port: await freePort(), helloInterval: 200, log: false, statusLogsEnabled: false };
  const key = `bench-${process.pid}`;
  const responder = new lib.Responder({ name: "math responder", key }, discovery);
  responder.on("add", async (req) => req.a + req.b);
  const requester = new lib.Requester({ name: "math requester", key }, discovery);
  // The requester queues until it has discovered the responder: the first answer means it is wired.
  await requester.send({ type: "add", ...params });
  return {
    contender: { name: "cote", op: () => requester.send({ type: "add", ...params }) },
    stop: async () => {
      requester.close();
      responder.close();
    },
  };
}

/** The floor: `{ id, params }` length-prefixed over one socket, answered `{ id, data }` on the same socket. */
async function floor(): Promise<Side> {
  const server: Server = createServer({ noDelay: true }, (socket) => readFrames(socket, (msg) => {
    const req = JSON.parse(msg.toString()) as { id: number; params: { a: number; b: number } };
    sendFrame(socket, JSON.stringify({ id: req.id, data: req.params.a + req.params.b }));
  }));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const socket = connect({ host: "127.0.0.1", port: (server.address() as { port: number }).port, noDelay: true });
  await new Promise<void>((resolve) => socket.once("connect", resolve));
  const pending = new Map<number, (v: unknown) => void>();
  let seq = 0;
  readFrames(socket, (msg) => {
    const res = JSON.parse(msg.toString()) as { id: number; data: unknown };
    pending.get(res.id)?.(res.data);
    pending.delete(res.id);
  });
  return {
    contender: {
      name: "floor",
      op: () =>
        new Promise((resolve) => {
          const id = ++seq;
          pending.set(id, resolve);
          sendFrame(socket, JSON.stringify({ id, params }));
        }),
    },
    stop: async () => {
      socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function main(): Promise<void> {
  console.log(`seed remote case: two nodes in one process, 1 in flight; moleculer ${MoleculerBroker.MOLECULER_VERSION}, node ${process.version}`);
  const sides: Side[] = [];
  try {
    const only = process.env.SEED_ONLY?.split(",");
    for (const make of [nucleon, moleculer, cote, floor]) if (!only || only.includes(make.name)) sides.push(await make());
    // Both nodes live in this process: its CPU time per call is each contender's whole cost.
    const cpu = async () => {
      const { user, system } = process.cpuUsage();
      return user + system;
    };
    const contenders = sides.map(({ contender }) => ({ ...contender, cpu, check: async () => assertEqual(await contender.op(), 8, `${contender.name} sum`) }));
    const r = await runMulti("seed remote, 1 in flight", 1, contenders, { ...DEFAULTS, batch: 1, latency: true });
    const line = (name: string, ...pairs: Array<[string, string]>) => {
      if (r.results[name] === undefined) return;
      const ratios = pairs.filter(([, other]) => r.results[other] !== undefined);
      console.log(
        `  ${name.padEnd(14)} ${fmtRate(r.results[name]).padEnd(30)} p50 ${median(r.p50[name]).toFixed(0).padStart(4)} µs  CPU ${median(r.cpuPerOp[name]).toFixed(0).padStart(4)} µs/call  ${ratios
          .map(([label, other]) => `${fmtRatio(r.ratio(name, other))} ${label}`)
          .join("  ")}`,
      );
    };
    line("nucleon TCP", ["vs cote", "cote"], ["vs moleculer", "moleculer TCP"], ["vs floor", "floor"]);
    line("moleculer TCP", ["vs cote", "cote"], ["vs floor", "floor"]);
    line("cote", ["vs floor", "floor"]);
    line("floor");
  } finally {
    for (const s of sides) await s.stop().catch((err: unknown) => console.error("stop failed:", err));
  }
  // Cote's discovery keeps timers alive.
  process.exit(0);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
