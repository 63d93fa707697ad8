import cluster, { type Worker } from "node:cluster";
import { STOP_SIGNALS, type SignalTarget } from "./stop-signals";

/** The environment variable that tells a worker its number (1-based): its nodeID suffix. */
export const WORKER_INDEX_ENV = "NUCLEON_WORKER_INDEX";
/**
 * A worker's exit code when it could not start (config, service files):
 * restarting would fail the same way, so the primary stops the others and
 * exits 1 (78 is `EX_CONFIG` of sysexits.h).
 */
export const STARTUP_FAILED_EXIT_CODE = 78;
/** What the primary sends a worker to stop it gracefully (a signal would also reach it from a terminal). */
export const STOP_MESSAGE = "nucleon:stop";

export interface ClusterOptions {
  instances: number;
  log: (line: string) => void;
  exit: (code: number) => void;
  signals?: SignalTarget;
  /** First restart delay (ms); doubled per restart of the same worker, up to `maxDelayMs`. */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** Restarts of one worker before the primary gives up on it. */
  maxRestarts?: number;
}

/** Backoff for the `restarts`-th restart (1-based). */
export function restartDelay(restarts: number, initialDelayMs: number, maxDelayMs: number): number {
  return Math.min(maxDelayMs, initialDelayMs * 2 ** (restarts - 1));
}

/**
 * `--instances N`: the primary runs no broker; it forks N workers (each
 * runs this same command line with its number in `NUCLEON_WORKER_INDEX`),
 * forwards a stop to them, and restarts a worker that dies on its own, with
 * an exponential backoff, counting and capping the restarts; a worker that
 * could not start stops them all. Exit code: 0 when every worker stopped
 * cleanly after a stop, 1 otherwise.
 */
export function runClusterPrimary(options: ClusterOptions): void {
  const { instances, log, exit } = options;
  const initialDelayMs = options.initialDelayMs ?? 1000;
  const maxDelayMs = options.maxDelayMs ?? 30_000;
  const maxRestarts = options.maxRestarts ?? 10;
  const signals = options.signals ?? process;
  const workers = new Map<number, Worker>();
  const restarts = new Map<number, number>();
  const pendingRestarts = new Set<NodeJS.Timeout>();
  let stopping = false;
  let failed = false;

  const fork = (index: number): void => {
    const worker = cluster.fork({ [WORKER_INDEX_ENV]: String(index) });
    workers.set(index, worker);
    worker.on("exit", (code, signal) => onExit(index, worker, code, signal));
  };

  const finishIfDone = (): void => {
    if (workers.size === 0 && pendingRestarts.size === 0) exit(failed ? 1 : 0);
  };

  const onExit = (index: number, worker: Worker, code: number | null, signal: string | null): void => {
    if (workers.get(index) === worker) workers.delete(index);
    const how = signal ? `signal ${signal}` : `code ${code}`;
    if (stopping) {
      if (code !== 0) failed = true;
      log(`Worker ${index} (pid ${worker.process.pid}) exited with ${how}`);
      return finishIfDone();
    }
    if (code === STARTUP_FAILED_EXIT_CODE) {
      failed = true;
      log(`Worker ${index} (pid ${worker.process.pid}) could not start; stopping the others`);
      return stopAll();
    }
    const count = (restarts.get(index) ?? 0) + 1;
    restarts.set(index, count);
    if (count > maxRestarts) {
      failed = true;
      log(`Worker ${index} (pid ${worker.process.pid}) exited with ${how}; restarted ${maxRestarts} times already, giving up on it`);
      return finishIfDone();
    }
    const delay = restartDelay(count, initialDelayMs, maxDelayMs);
    log(`Worker ${index} (pid ${worker.process.pid}) exited with ${how}; restart ${count}/${maxRestarts} in ${delay} ms`);
    const timer = setTimeout(() => {
      pendingRestarts.delete(timer);
      if (!stopping) fork(index);
      else finishIfDone();
    }, delay);
    pendingRestarts.add(timer);
  };

  const stopAll = (): void => {
    stopping = true;
    for (const timer of pendingRestarts) clearTimeout(timer);
    pendingRestarts.clear();
    for (const worker of workers.values()) if (worker.isConnected()) worker.send(STOP_MESSAGE);
    finishIfDone();
  };

  for (const signal of STOP_SIGNALS) {
    signals.on(signal, () => {
      if (stopping) {
        log(`${signal} again: killing the workers`);
        for (const worker of workers.values()) worker.process.kill("SIGKILL");
        return exit(1);
      }
      log(`${signal}: stopping ${workers.size} worker(s) gracefully`);
      stopAll();
    });
  }

  log(`Starting ${instances} worker(s)`);
  for (let i = 1; i <= instances; i++) fork(i);
}
