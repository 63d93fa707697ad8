/* eslint-disable no-console -- a benchmark prints its results */
import "reflect-metadata";
import { fork, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { ServiceBroker as MoleculerBroker } from "moleculer";
import { ServiceBroker } from "../lib";
import { RssWatch, drain, source } from "./stream-child";

/**
 * Streams between two processes over NATS (127.0.0.1:4222, MsgPack):
 * nucleon and Moleculer 0.14 side by side, one case at a time. Cases: a
 * request stream of `BENCH_STREAM_MB` (1024) MiB into a handler that
 * counts it, a response stream of the same size back, and a request stream
 * of `BENCH_SLOW_MB` (128) MiB into a handler reading at 10 MB/s (memory
 * under a slow reader). Per case: MB/s, and the RSS growth (peak − baseline)
 * of the caller and of the responder. Every case checks the byte count.
 */

const MiB = 1024 * 1024;
const SIZE = Number(process.env.BENCH_STREAM_MB ?? 1024) * MiB;
const SLOW_SIZE = Number(process.env.BENCH_SLOW_MB ?? 128) * MiB;
const SLOW_RATE = 10 * 1000 * 1000;
const CASE_TIMEOUT = Number(process.env.BENCH_STREAM_TIMEOUT_S ?? 600) * 1000;
type Impl = "nucleon" | "moleculer";

interface Caller {
  upload(size: number, rate: number): Promise<number>;
  download(size: number): Promise<number>;
  stop(): Promise<void>;
}

function child(impl: Impl, namespace: string): Promise<ChildProcess> {
  const proc = fork(join(__dirname, "stream-child.ts"), [], {
    execArgv: ["--expose-gc", "-r", "@swc-node/register"],
    env: { ...process.env, BENCH_IMPL: impl, BENCH_NAMESPACE: namespace },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  return new Promise((resolve, reject) => {
    proc.once("message", (m: { type: string; error?: string }) => (m.type === "ready" ? resolve(proc) : reject(new Error(m.error))));
    proc.once("exit", (code) => reject(new Error(`${impl} responder exited with ${code}`)));
  });
}

function ask<T>(proc: ChildProcess, msg: string, type: string): Promise<T> {
  return new Promise((resolve) => {
    const on = (m: { type: string }) => {
      if (m.type !== type) return;
      proc.off("message", on);
      resolve(m as T);
    };
    proc.on("message", on);
    proc.send(msg);
  });
}

async function stopChild(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null) return;
  const exited = new Promise((r) => proc.once("exit", r));
  proc.send("stop");
  const timer = setTimeout(() => proc.kill("SIGKILL"), 5000);
  await exited;
  clearTimeout(timer);
}

async function caller(impl: Impl, namespace: string): Promise<Caller> {
  const common = { nodeID: `caller-${namespace}`, namespace, transporter: "nats://127.0.0.1:4222", serializer: "MsgPack" as const };
  if (impl === "nucleon") {
    const broker = new ServiceBroker({ ...common, logger: false });
    await broker.start();
    await broker.waitForServices("sink", 10_000);
    return {
      upload: (size, rate) => broker.call<number>("sink.save", { rate }, { stream: source(size), timeout: 0 }),
      download: async (size) => drain(await broker.call<Readable>("sink.download", { size })),
      stop: () => broker.stop(),
    };
  }
  const broker = new MoleculerBroker({ ...common, logger: false });
  await broker.start();
  await broker.waitForServices("sink", 10_000);
  return {
    // 0.14: the stream is the params; the rate travels in meta.
    upload: (size, rate) => broker.call<number, Readable>("sink.save", source(size), { meta: { rate } }),
    download: async (size) => drain(await broker.call<Readable, { size: number }>("sink.download", { size })),
    stop: () => broker.stop(),
  };
}

interface Row {
  impl: Impl;
  kase: string;
  mbps: number | null;
  callerRss: number;
  responderRss: number;
  error?: string;
}

async function runCase(impl: Impl, kase: "request" | "response" | "slow request"): Promise<Row> {
  const namespace = `bench-stream-${process.pid}-${impl}-${kase.replace(" ", "-")}`;
  const proc = await child(impl, namespace);
  const call = await caller(impl, namespace);
  const watch = new RssWatch();
  await ask(proc, "rss-reset", "rss-reset");
  watch.reset();
  const size = kase === "slow request" ? SLOW_SIZE : SIZE;
  const started = process.hrtime.bigint();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no result after ${CASE_TIMEOUT / 1000} s`)), CASE_TIMEOUT)));
  let error: string | undefined;
  let mbps: number | null = null;
  try {
    const bytes = await Promise.race([kase === "response" ? call.download(size) : call.upload(size, kase === "slow request" ? SLOW_RATE : 0), timeout]);
    if (bytes !== size) throw new Error(`${bytes} bytes arrived, ${size} sent`);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    mbps = size / 1e6 / seconds;
  } catch (err) {
    error = (err as Error).message;
  } finally {
    clearTimeout(timer);
  }
  watch.sample();
  const remote = await ask<{ base: number; peak: number }>(proc, "rss", "rss");
  watch.stop();
  await call.stop().catch(() => undefined);
  await stopChild(proc);
  return { impl, kase, mbps, callerRss: (watch.peak - watch.base) / MiB, responderRss: (remote.peak - remote.base) / MiB, error };
}

async function main(): Promise<void> {
  console.log(`Streams over NATS/MsgPack, two processes: ${SIZE / MiB} MiB each way; slow reader ${SLOW_SIZE / MiB} MiB at 10 MB/s. ${new Date().toISOString()}`);
  const rows: Row[] = [];
  for (const kase of ["request", "response", "slow request"] as const) {
    for (const impl of ["nucleon", "moleculer"] as const) {
      const row = await runCase(impl, kase);
      rows.push(row);
      const rate = row.mbps === null ? `failed: ${row.error}` : `${row.mbps.toFixed(1)} MB/s`;
      console.log(`${kase.padEnd(13)} ${impl.padEnd(9)} ${rate.padEnd(16)} RSS growth caller ${row.callerRss.toFixed(0)} MiB, responder ${row.responderRss.toFixed(0)} MiB`);
    }
    const [n, m] = rows.slice(-2);
    if (n.mbps !== null && m.mbps !== null) console.log(`${kase.padEnd(13)} nucleon ÷ Moleculer: ×${(n.mbps / m.mbps).toFixed(2)}`);
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
