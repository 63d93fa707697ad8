/* eslint-disable no-console -- a benchmark prints its results */
import "reflect-metadata";
import { Socket } from "node:net";
import { ServiceBroker as MoleculerBroker } from "moleculer";
import { ServiceBroker } from "../lib";
import { assertEqual, Contender, DEFAULTS, fmt, fmtRate, fmtRatio, median, MultiResult, runMulti } from "./harness";
import { floorSide } from "./remote-floor";
import { transporterFor, type Transport } from "./remote-child";
import { childEnv, cpuWith, loopbackUrls, type Side, startChild, stopChild } from "./remote-process";

/**
 * Remote cases: the caller here, the responder in a child process, over the
 * real NATS and Redis on 127.0.0.1, and over TCP (no broker; the floor is
 * then length-prefixed JSON on one socket). Per transport and concurrency (1 and
 * 100 in flight) one case measures, one at a time in rotating order:
 * nucleon and Moleculer with JSON and with MsgPack, and the bare-client floor
 * (two fixed subjects, an id per call, a map of pending calls). Every side's
 * processes stop before the next case.
 */

type Codec = "JSON" | "MsgPack";

const RUN_ID = `${process.pid.toString(36)}${Date.now().toString(36)}`;
let nsCounter = 0;
/** A fresh namespace per side and case, so nothing left over from another run or case can answer. */
const namespace = (tag: string) => `bench-${RUN_ID}-${tag}-${++nsCounter}`;

const params = { a: 1, b: 2 };
const SERVICE_WAIT = 10_000;

// ── the sides ───────────────────────────────────────────────────────────

async function nucleonSide(transport: Transport, codec: Codec): Promise<Side> {
  const ns = namespace("n");
  const tcpUrls = await loopbackUrls(transport, [`caller-${ns}`, `responder-${ns}`]);
  const child = await startChild("remote-responder.ts", childEnv(transport, codec, ns, tcpUrls));
  const broker = new ServiceBroker({
    nodeID: `caller-${ns}`,
    namespace: ns,
    logger: false,
    transporter: transporterFor(transport, tcpUrls),
    serializer: codec,
    transit: { discoverWait: 100 },
  });
  try {
    await broker.start();
    await broker.waitForServices("math", SERVICE_WAIT);
  } catch (err) {
    await broker.stop().catch(() => undefined);
    await stopChild(child);
    throw err;
  }
  return {
    name: `nucleon ${codec}`,
    op: () => broker.call("math.add", params),
    cpu: cpuWith(child),
    stop: async () => {
      await broker.stop();
      await stopChild(child);
    },
  };
}

async function moleculerSide(transport: Transport, codec: Codec): Promise<Side> {
  const ns = namespace("m");
  const tcpUrls = await loopbackUrls(transport, [`caller-${ns}`, `responder-${ns}`]);
  const child = await startChild("remote-responder-moleculer.ts", childEnv(transport, codec, ns, tcpUrls));
  const broker = new MoleculerBroker({
    nodeID: `caller-${ns}`,
    namespace: ns,
    logger: false,
    transporter: transporterFor(transport, tcpUrls),
    serializer: codec,
  });
  try {
    await broker.start();
    await broker.waitForServices("math", SERVICE_WAIT);
  } catch (err) {
    await broker.stop().catch(() => undefined);
    await stopChild(child);
    throw err;
  }
  return {
    name: `moleculer ${codec}`,
    op: () => broker.call("math.add", params),
    cpu: cpuWith(child),
    stop: async () => {
      await broker.stop();
      await stopChild(child);
    },
  };
}

// ── availability ────────────────────────────────────────────────────────

/** Null when the server answers its protocol's hello (NATS INFO, Redis PONG), else the reason. */
function probe(port: number, hello: string | null, expect: string): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = new Socket();
    let got = "";
    const done = (reason: string | null) => {
      socket.destroy();
      resolve(reason);
    };
    socket.setTimeout(2000, () => done(`no answer on 127.0.0.1:${port} within 2 s`));
    socket.once("error", (err) => done(`127.0.0.1:${port}: ${err.message}`));
    socket.on("data", (chunk) => {
      got += chunk.toString();
      if (got.includes(expect)) done(null);
    });
    socket.connect(port, "127.0.0.1", () => {
      if (hello) socket.write(hello);
    });
  });
}

// ── the cases ───────────────────────────────────────────────────────────

const TRANSPORT_NAME: Record<Transport, string> = { nats: "NATS", redis: "Redis", tcp: "TCP" };

interface Row {
  transport: Transport;
  concurrency: number;
  result: MultiResult;
}

async function runRemoteCase(transport: Transport, concurrency: number): Promise<Row> {
  const sides: Side[] = [];
  try {
    // Started one after another (startup is CPU work, too).
    sides.push(await nucleonSide(transport, "JSON"));
    sides.push(await moleculerSide(transport, "JSON"));
    sides.push(await floorSide(transport, namespace("f")));
    sides.push(await nucleonSide(transport, "MsgPack"));
    sides.push(await moleculerSide(transport, "MsgPack"));
    const contenders: Contender[] = sides.map((s) => ({
      name: s.name,
      op: s.op,
      cpu: s.cpu,
      check: async () => assertEqual(await s.op(), 3, `${s.name} sum`),
    }));
    const name = `${TRANSPORT_NAME[transport]}, ${concurrency} in flight`;
    const result = await runMulti(name, concurrency, contenders, { ...DEFAULTS, batch: 1, latency: concurrency === 1 });
    report(result);
    return { transport, concurrency, result };
  } finally {
    for (const s of sides) await s.stop().catch((err: unknown) => console.error(`stopping ${s.name}:`, err));
  }
}

function p50(result: MultiResult, name: string): string {
  const v = result.p50[name];
  return v.length ? `p50 ${median(v).toFixed(0)} µs` : "";
}

function cpu(result: MultiResult, name: string): string {
  const v = result.cpuPerOp[name];
  return v.length ? `${median(v).toFixed(0)} µs` : "—";
}

function report(r: MultiResult): void {
  console.log(`remote call ${r.name}  (CPU = µs per call, caller + responder process)`);
  const line = (name: string, ...ratios: Array<[string, string]>) =>
    console.log(
      `  ${name.padEnd(18)} ${fmtRate(r.results[name]).padEnd(30)} ${p50(r, name).padEnd(13)} CPU ${cpu(r, name).padEnd(7)} ${ratios
        .map(([label, other]) => `${fmtRatio(r.ratio(name, other))} ${label}`)
        .join("  ")}`,
    );
  line("nucleon JSON", ["vs moleculer", "moleculer JSON"], ["vs floor", "floor"]);
  line("moleculer JSON", ["vs floor", "floor"]);
  line("floor");
  line("nucleon MsgPack", ["vs moleculer", "moleculer MsgPack"], ["vs floor", "floor"], ["vs nucleon JSON", "nucleon JSON"]);
  line("moleculer MsgPack", ["vs floor", "floor"], ["vs moleculer JSON", "moleculer JSON"]);
}

/** A markdown summary, pasted into RESULTS.md. */
function markdown(rows: Row[]): void {
  console.log(
    "\n| case | nucleon | Moleculer | floor | nucleon ÷ Moleculer | nucleon ÷ floor | Moleculer ÷ floor | p50 nucleon / Moleculer / floor | CPU µs/call nucleon / Moleculer / floor |",
  );
  console.log("|---|---|---|---|---|---|---|---|---|");
  for (const { transport, concurrency, result: r } of rows) {
    for (const codec of ["JSON", "MsgPack"] as const) {
      const n = `nucleon ${codec}`;
      const m = `moleculer ${codec}`;
      const lat = concurrency === 1 ? [n, m, "floor"].map((k) => median(r.p50[k]).toFixed(0)).join(" / ") + " µs" : "—";
      const cpus = [n, m, "floor"].map((k) => cpu(r, k)).join(" / ");
      console.log(
        `| ${TRANSPORT_NAME[transport]}/${codec}, ${concurrency} in flight | ${fmtRate(r.results[n])} | ${fmtRate(r.results[m])} | ${fmt(median(r.results.floor))} | ${fmtRatio(r.ratio(n, m))} | ${fmtRatio(r.ratio(n, "floor"))} | ${fmtRatio(r.ratio(m, "floor"))} | ${lat} | ${cpus} |`,
      );
    }
    console.log(
      `| ${TRANSPORT_NAME[transport]}, ${concurrency} in flight: MsgPack ÷ JSON | nucleon ${fmtRatio(r.ratio("nucleon MsgPack", "nucleon JSON"))} | Moleculer ${fmtRatio(r.ratio("moleculer MsgPack", "moleculer JSON"))} | | | | | | |`,
    );
  }
}

async function main(): Promise<void> {
  console.log(`remote: nucleon vs moleculer ${MoleculerBroker.MOLECULER_VERSION}, node ${process.version}, run ${RUN_ID}`);
  const down: Record<Transport, string | null> = {
    nats: await probe(4222, null, "INFO"),
    redis: await probe(6379, "PING\r\n", "+PONG"),
    tcp: null,
  };
  const rows: Row[] = [];
  let failed = false;
  // BENCH_REMOTE=nats|redis|tcp and BENCH_REMOTE_CONCURRENCY=1|100 narrow a re-run to some cases.
  const only = process.env.BENCH_REMOTE;
  const onlyConcurrency = process.env.BENCH_REMOTE_CONCURRENCY;
  for (const transport of ["nats", "redis", "tcp"] as const) {
    if (only && only !== transport) continue;
    const reason = down[transport];
    if (reason) {
      console.log(`remote ${TRANSPORT_NAME[transport]} cases skipped: ${TRANSPORT_NAME[transport]} does not answer (${reason})`);
      continue;
    }
    for (const concurrency of [1, 100]) {
      if (onlyConcurrency && Number(onlyConcurrency) !== concurrency) continue;
      try {
        rows.push(await runRemoteCase(transport, concurrency));
      } catch (err) {
        failed = true;
        console.error(`remote ${TRANSPORT_NAME[transport]}, ${concurrency} in flight failed:`, err);
      }
    }
  }
  if (rows.length) markdown(rows);
  if (failed) process.exitCode = 1;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
