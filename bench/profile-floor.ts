/* eslint-disable no-console -- a profiling tool prints its results */
/**
 * The seed bench's floor alone (length-prefixed JSON, one process), for
 * comparing with bench/profile-tcp.ts: N sequential calls, latency spread,
 * CPU per call, `PROF=file` for a profile of the timed loop. `TWO=1` answers
 * on a second, one-way socket (the layout of Moleculer's TCP protocol: each
 * node writes only on its own outgoing socket) instead of the request's.
 */
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector";
import { createServer, connect, type Socket } from "node:net";
import { readFrames, sendFrame } from "./length-prefixed";
import { post } from "./profile-support";
async function main() {
  const params = { a: 5, b: 3 };
  const two = process.env.TWO === "1";
  let back: Socket | null = null;
  const server = createServer({ noDelay: true }, (socket) => readFrames(socket, (msg) => {
    const req = JSON.parse(msg.toString()) as { id: number; params: { a: number; b: number } };
    sendFrame(back ?? socket, JSON.stringify({ id: req.id, data: req.params.a + req.params.b }));
  }));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const socket = connect({ host: "127.0.0.1", port: (server.address() as { port: number }).port, noDelay: true });
  await new Promise<void>((resolve) => socket.once("connect", resolve));
  let incoming = socket;
  if (two) {
    const got = new Promise<Socket>((resolve) => { const s2 = createServer({ noDelay: true }, resolve); s2.listen(0, "127.0.0.1", () => { back = connect({ host: "127.0.0.1", port: (s2.address() as { port: number }).port, noDelay: true }); }); });
    incoming = await got;
  }
  const pending = new Map<number, (v: unknown) => void>();
  let seq = 0;
  readFrames(incoming, (msg) => {
    const res = JSON.parse(msg.toString()) as { id: number; data: unknown };
    pending.get(res.id)?.(res.data);
    pending.delete(res.id);
  });
  const op = () => new Promise((resolve) => { const id = ++seq; pending.set(id, resolve); sendFrame(socket, JSON.stringify({ id, params })); });
  const n = Number(process.env.N ?? 20000);
  for (let i = 0; i < 5000; i++) await op();
  const session = new Session();
  if (process.env.PROF) { session.connect(); await post(session, "Profiler.enable"); await post(session, "Profiler.setSamplingInterval", { interval: 50 }); await post(session, "Profiler.start"); }
  const t0 = process.hrtime.bigint(); const c0 = process.cpuUsage();
  const lat = new Float64Array(n);
  for (let i = 0; i < n; i++) { const t = performance.now(); await op(); lat[i] = (performance.now() - t) * 1000; }
  lat.sort();
  const q = (p: number) => lat[Math.min(n - 1, Math.floor(n * p))].toFixed(0);
  console.log(`latency µs p50 ${q(0.5)} p90 ${q(0.9)} p99 ${q(0.99)} p99.9 ${q(0.999)} max ${lat[n - 1].toFixed(0)} mean ${(lat.reduce((a, b) => a + b, 0) / n).toFixed(0)}`);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9; const cpu = process.cpuUsage(c0);
  if (process.env.PROF) { const { profile } = (await post(session, "Profiler.stop")) as { profile: unknown }; writeFileSync(process.env.PROF, JSON.stringify(profile)); }
  console.log(`floor ${n}: ${(n / seconds).toFixed(0)}/s, CPU ${((cpu.user + cpu.system) / n).toFixed(1)} µs/call (user ${(cpu.user / n).toFixed(1)}, system ${(cpu.system / n).toFixed(1)})`);
  socket.destroy(); server.close(); process.exit(0);
}
main();
