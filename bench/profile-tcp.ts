/* eslint-disable no-console -- a profiling tool prints its results */
/**
 * N sequential calls over TCP between two brokers in one process, for
 * profiling the remote path without start-up noise: with `PROF=file`, a CPU
 * profile of the timed loop only (after a warm-up) is written there.
 *
 *   N=50000 PROF=/tmp/tcp.cpuprofile node -r @swc-node/register bench/profile-tcp.ts
 */
import "reflect-metadata";
import { writeFileSync } from "node:fs";
import { fork } from "node:child_process";
import { Session } from "node:inspector";
import { ServiceBroker } from "../lib";
import { freePort } from "./free-port";
import { MathService, post } from "./profile-support";

function responderBroker(urls: Record<string, string>): ServiceBroker {
  const tcp = { type: "TCP", options: { host: "127.0.0.1", urls, udpDiscovery: false } };
  const responder = new ServiceBroker({ nodeID: "responder", logger: false, transporter: tcp, transit: { discoverWait: 10 } });
  responder.register(MathService);
  return responder;
}

/** With `SPLIT=1` the responder runs in a child process (this file, started with the addresses). */
async function child(urls: Record<string, string>): Promise<void> {
  const responder = responderBroker(urls);
  await responder.start();
  process.send?.("ready");
  process.on("message", (m) => {
    const { user, system } = process.cpuUsage();
    if (m === "cpu") process.send?.({ cpu: user + system });
    else void responder.stop().then(() => process.exit(0));
  });
}

async function main(): Promise<void> {
  if (process.env.PROFILE_TCP_CHILD) return child(JSON.parse(process.env.PROFILE_TCP_CHILD) as Record<string, string>);
  const n = Number(process.env.N ?? 20_000);
  const urls = { caller: `127.0.0.1:${await freePort()}`, responder: `127.0.0.1:${await freePort()}` };
  const tcp = { type: "TCP", options: { host: "127.0.0.1", urls, udpDiscovery: false } };
  const split = process.env.SPLIT === "1";
  const proc = split ? fork(__filename, [], { execArgv: ["-r", "@swc-node/register"], env: { ...process.env, PROFILE_TCP_CHILD: JSON.stringify(urls), PROF: "" } }) : null;
  if (proc) await new Promise((resolve) => proc.once("message", resolve));
  const responder = split ? null : responderBroker(urls);
  const caller = new ServiceBroker({ nodeID: "caller", logger: false, transporter: tcp, transit: { discoverWait: 10 } });
  await Promise.all([responder?.start(), caller.start()]);
  await caller.waitForServices("math", 15_000);
  for (let i = 0; i < 5000; i++) await caller.call("math.add", { a: 5, b: 3 });
  const session = new Session();
  if (process.env.PROF) {
    session.connect();
    await post(session, "Profiler.enable");
    await post(session, "Profiler.setSamplingInterval", { interval: 50 });
    await post(session, "Profiler.start");
  }
  const childCpu = () => new Promise<number>((resolve) => {
    if (!proc) return resolve(0);
    proc.once("message", (m) => resolve((m as { cpu: number }).cpu));
    proc.send("cpu");
  });
  const childBefore = await childCpu();
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  const lat = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await caller.call("math.add", { a: 5, b: 3 });
    lat[i] = (performance.now() - t) * 1000;
  }
  lat.sort();
  const q = (p: number) => lat[Math.min(n - 1, Math.floor(n * p))].toFixed(0);
  console.log(`latency µs p50 ${q(0.5)} p90 ${q(0.9)} p99 ${q(0.99)} p99.9 ${q(0.999)} max ${lat[n - 1].toFixed(0)} mean ${(lat.reduce((a, b) => a + b, 0) / n).toFixed(0)}`);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(c0);
  const childAfter = await childCpu();
  if (process.env.PROF) {
    const { profile } = (await post(session, "Profiler.stop")) as { profile: unknown };
    writeFileSync(process.env.PROF, JSON.stringify(profile));
    session.disconnect();
  }
  console.log(`${n} calls: ${(n / seconds).toFixed(0)}/s, CPU ${((cpu.user + cpu.system) / n).toFixed(1)} µs/call (user ${(cpu.user / n).toFixed(1)}, system ${(cpu.system / n).toFixed(1)})`);
  if (proc) {
    console.log(`responder process CPU ${((childAfter - childBefore) / n).toFixed(1)} µs/call`);
    proc.send("stop");
  }
  await Promise.all([caller.stop(), responder?.stop()]);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
