/* eslint-disable no-console -- a benchmark prints its results */
import { fork, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import autocannon from "autocannon";

/**
 * HTTP gateway bench: `GET /api/math/add?a=1&b=2` through nucleon's gateway →
 * local action, moleculer-web → Moleculer 0.14 doing the same, and a bare
 * fastify route (the floor). Each server runs alone in a child process while
 * autocannon loads it from this one; the three alternate for BENCH_ROUNDS
 * rounds. Prints median requests/s and the ratios.
 *
 * Run only under the bench lock: `flock /tmp/bench.lock npm run bench:gateway`.
 */

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const KINDS = ["nucleon", "moleculer", "bare"] as const;
type Kind = (typeof KINDS)[number];

async function startServer(kind: Kind): Promise<{ child: ChildProcess; port: number }> {
  const child = fork(join(__dirname, "gateway-server.ts"), [], {
    execArgv: ["-r", "@swc-node/register"],
    env: { ...process.env, BENCH_GATEWAY: kind, NODE_ENV: "production" },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${kind} server not ready after 20 s`)), 20_000);
    child.once("message", (m: { type: string; port?: number; error?: string }) => {
      clearTimeout(timer);
      if (m.type === "ready" && m.port) resolve(m.port);
      else reject(new Error(`${kind} server failed: ${m.error}`));
    });
  });
  return { child, port };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGKILL");
  await exited;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function cpuOf(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    const on = (m: { type: string; us?: number }) => {
      if (m.type !== "cpu") return;
      child.off("message", on);
      resolve(m.us ?? 0);
    };
    child.on("message", on);
    child.send({ type: "cpu" });
  });
}

async function round(kind: Kind): Promise<{ rps: number; p99: number; cpuUs: number }> {
  const { child, port } = await startServer(kind);
  try {
    const url = `http://127.0.0.1:${port}/api/math/add?a=1&b=2`;
    const check = await fetch(url);
    const body = await check.text();
    if (check.status !== 200 || body !== "3") throw new Error(`${kind}: GET /api/math/add answered ${check.status} ${body}`);
    await autocannon({ url, connections: CONNECTIONS, duration: 1 }); // warm-up
    const cpu0 = await cpuOf(child);
    const r = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS });
    const cpu1 = await cpuOf(child);
    if (r.errors > 0 || r.non2xx > 0) throw new Error(`${kind}: ${r.errors} errors, ${r.non2xx} non-2xx answers`);
    return { rps: r.requests.average, p99: r.latency.p99, cpuUs: (cpu1 - cpu0) / r.requests.total };
  } finally {
    await stop(child);
  }
}

async function main(): Promise<void> {
  console.log(`gateway bench: ${ROUNDS} rounds × ${SECONDS} s, ${CONNECTIONS} connections, GET /api/math/add?a=1&b=2`);
  const results: Record<Kind, number[]> = { nucleon: [], moleculer: [], bare: [] };
  const p99: Record<Kind, number[]> = { nucleon: [], moleculer: [], bare: [] };
  const cpu: Record<Kind, number[]> = { nucleon: [], moleculer: [], bare: [] };
  for (let i = 0; i < ROUNDS; i++) {
    for (const kind of KINDS) {
      const r = await round(kind);
      results[kind].push(r.rps);
      p99[kind].push(r.p99);
      cpu[kind].push(r.cpuUs);
      console.log(`  round ${i + 1} ${kind.padEnd(9)} ${Math.round(r.rps).toString().padStart(7)} req/s  p99 ${r.p99} ms  server CPU ${r.cpuUs.toFixed(1)} µs/req`);
    }
  }
  const m = Object.fromEntries(KINDS.map((k) => [k, median(results[k])])) as Record<Kind, number>;
  console.log("\nmedian req/s:");
  for (const k of KINDS) console.log(`  ${k.padEnd(9)} ${Math.round(m[k]).toString().padStart(7)}  (p99 ${median(p99[k])} ms, server CPU ${median(cpu[k]).toFixed(1)} µs/req)`);
  // Paired per round (the three ran back to back): steadier than medians of each on a busy machine.
  const paired = (a: Kind, b: Kind) => median(results[a].map((x, i) => x / results[b][i])).toFixed(2);
  console.log(`per-round ratio medians: nucleon/moleculer-web ×${paired("nucleon", "moleculer")}, nucleon/bare ×${paired("nucleon", "bare")}`);
  const c = Object.fromEntries(KINDS.map((k) => [k, median(cpu[k])])) as Record<Kind, number>;
  console.log(`\nnucleon / moleculer-web: ×${(m.nucleon / m.moleculer).toFixed(2)} req/s, ×${(c.moleculer / c.nucleon).toFixed(2)} by server CPU per request  (target ≥ 1.5)`);
  console.log(`nucleon / bare fastify:  ×${(m.nucleon / m.bare).toFixed(2)} req/s, ×${(c.bare / c.nucleon).toFixed(2)} by server CPU per request  (target ≥ 0.7)`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
