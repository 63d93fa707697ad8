/* eslint-disable no-console -- a profiling tool prints its results */
/**
 * Calls between two brokers in one process over NATS, Redis or TCP with C
 * in flight, for profiling the remote path at load: with `PROF=file`, a CPU
 * profile of the timed loop only (after a warm-up) is written there.
 *
 *   T=nats C=100 N=200000 PROF=/tmp/nats.cpuprofile node -r @swc-node/register bench/profile-remote.ts
 */
import "reflect-metadata";
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector";
import { ServiceBroker } from "../lib";
import type { BrokerOptions } from "../lib";
import { freePort } from "./free-port";
import { MathService, post } from "./profile-support";

async function transporter(kind: string): Promise<BrokerOptions["transporter"]> {
  if (kind === "nats") return "nats://127.0.0.1:4222";
  if (kind === "redis") return "redis://127.0.0.1:6379";
  const urls = { caller: `127.0.0.1:${await freePort()}`, responder: `127.0.0.1:${await freePort()}` };
  return { type: "TCP", options: { host: "127.0.0.1", urls, udpDiscovery: false } };
}

async function loop(caller: ServiceBroker, n: number, c: number): Promise<void> {
  let left = n;
  const worker = async () => {
    while (left-- > 0) await caller.call("math.add", { a: 5, b: 3 });
  };
  await Promise.all(Array.from({ length: c }, worker));
}

async function main(): Promise<void> {
  const n = Number(process.env.N ?? 100_000);
  const c = Number(process.env.C ?? 100);
  const namespace = `prof-${process.pid}`;
  const t = await transporter(process.env.T ?? "nats");
  const common: BrokerOptions = { namespace, logger: false, transporter: t, serializer: process.env.S ?? "JSON", transit: { discoverWait: 10 } };
  const responder = new ServiceBroker({ ...common, nodeID: "responder" });
  responder.register(MathService);
  const caller = new ServiceBroker({ ...common, nodeID: "caller" });
  await Promise.all([responder.start(), caller.start()]);
  await caller.waitForServices("math", 15_000);
  await loop(caller, 20_000, c);
  const session = new Session();
  if (process.env.PROF) {
    session.connect();
    await post(session, "Profiler.enable");
    await post(session, "Profiler.setSamplingInterval", { interval: 100 });
    await post(session, "Profiler.start");
  }
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  await loop(caller, n, c);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(c0);
  if (process.env.PROF) {
    const { profile } = (await post(session, "Profiler.stop")) as { profile: unknown };
    writeFileSync(process.env.PROF, JSON.stringify(profile));
    session.disconnect();
  }
  console.log(`${n} calls, ${c} in flight: ${(n / seconds).toFixed(0)}/s, CPU ${((cpu.user + cpu.system) / n).toFixed(1)} µs/call (user ${(cpu.user / n).toFixed(1)}, system ${(cpu.system / n).toFixed(1)})`);
  await Promise.all([caller.stop(), responder.stop()]);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
