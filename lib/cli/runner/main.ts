import cluster from "node:cluster";
import { parseArgs } from "./args";
import { runClusterPrimary, STOP_MESSAGE, WORKER_INDEX_ENV } from "./cluster-primary";
import { formatStartupError } from "./errors";
import { defaultDeps, startRunner } from "./runner";

/** Stacks are for debugging; an operator reads one line. */
function debugging(env: Record<string, string | undefined>): boolean {
  const level = (env.LOGLEVEL ?? "").toLowerCase();
  return level === "debug" || level === "trace";
}

/** The `nucleon` command: parses the flags, then runs a node, or a cluster primary with `--instances`. */
export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  const args = parseArgs(argv);
  const deps = defaultDeps();
  if (args.instances !== undefined && cluster.isPrimary) {
    if (args.repl) deps.log("--repl is ignored with --instances: the workers have no terminal");
    runClusterPrimary({ instances: args.instances, log: deps.log, exit: deps.exit });
    return;
  }
  const index = deps.env[WORKER_INDEX_ENV];
  if (cluster.isWorker && index !== undefined) {
    deps.workerIndex = Number(index);
    args.repl = false;
  }
  try {
    const node = await startRunner(args, deps);
    if (cluster.isWorker) process.on("message", (message) => message === STOP_MESSAGE && node.shutdown("Stop from the primary"));
  } catch (err) {
    deps.log(`Startup failed: ${formatStartupError(err, debugging(deps.env))}`);
    deps.exit(1);
  }
}
