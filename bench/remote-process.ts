import { fork, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { cpuMicros, type ChildMessage, type Transport } from "./remote-child";
import { freePort } from "./free-port";

/** The remote bench's processes: a responder per side, started, measured and stopped from the caller's process. */

const CHILD_READY_TIMEOUT = 30_000;

export interface Side {
  name: string;
  op: () => Promise<unknown>;
  stop: () => Promise<void>;
  /** CPU µs so far of this process and the side's responder. */
  cpu: () => Promise<number>;
}

export async function startChild(file: string, env: Record<string, string>): Promise<ChildProcess> {
  const child = fork(join(__dirname, file), [], {
    execArgv: ["-r", "@swc-node/register"],
    env: { ...process.env, ...env },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${file} not ready after ${CHILD_READY_TIMEOUT} ms`)), CHILD_READY_TIMEOUT);
    const onMessage = (m: ChildMessage) => {
      if (m.type === "cpu") return;
      settle(m.type === "ready" ? null : new Error(`${file} failed: ${m.error}`));
    };
    const onExit = (code: number | null) => settle(new Error(`${file} exited with ${code} before it was ready`));
    const settle = (err: Error | null) => {
      clearTimeout(timer);
      child.off("message", onMessage);
      child.off("exit", onExit);
      if (err) reject(err);
      else resolve();
    };
    child.on("message", onMessage);
    child.on("exit", onExit);
  }).catch((err: unknown) => {
    if (child.exitCode === null) child.kill();
    throw err;
  });
  return child;
}

/** Asks the child to stop; kills it (this one pid) if it has not exited after 5 s. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.send("stop");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
  await exited;
  clearTimeout(timer);
}

/** The caller's CPU µs plus the child's (asked over IPC). */
export function cpuWith(child: ChildProcess): () => Promise<number> {
  return () =>
    new Promise((resolve, reject) => {
      const onMessage = (m: ChildMessage) => {
        if (m.type !== "cpu") return;
        child.off("message", onMessage);
        resolve(cpuMicros() + m.micros);
      };
      child.on("message", onMessage);
      if (!child.send("cpu")) reject(new Error("the responder's IPC channel is closed"));
    });
}

export function childEnv(transport: Transport, codec: "JSON" | "MsgPack", ns: string, tcpUrls: Record<string, string> = {}): Record<string, string> {
  return { BENCH_TRANSPORT: transport, BENCH_SERIALIZER: codec, BENCH_NAMESPACE: ns, BENCH_TCP_URLS: JSON.stringify(tcpUrls) };
}

/** Over TCP: a free loopback port for each node (unused otherwise). */
export async function loopbackUrls(transport: Transport, nodeIDs: string[]): Promise<Record<string, string>> {
  const urls: Record<string, string> = {};
  if (transport !== "tcp") return urls;
  for (const id of nodeIDs) urls[id] = `127.0.0.1:${await freePort()}`;
  return urls;
}

