import cluster from "node:cluster";
import { parseArgs } from "./args";
import { runClusterPrimary, STARTUP_FAILED_EXIT_CODE, STOP_MESSAGE, WORKER_INDEX_ENV } from "./cluster-primary";
import { formatStartupError } from "./errors";
import { defaultDeps, startRunner, type RunningNode } from "./runner";

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
  // Listening from the start: a stop the primary sends while this worker is still starting is kept for after it.
  let node: RunningNode | null = null;
  let stopAsked = false;
  if (cluster.isWorker) {
    process.on("message", (message) => {
      if (message !== STOP_MESSAGE) return;
      if (node) node.shutdown("Stop from the primary");
      else stopAsked = true;
    });
  }
  try {
    node = await startRunner(args, deps);
    if (stopAsked) node.shutdown("Stop from the primary");
  } catch (err) {
    deps.log(`Startup failed: ${formatStartupError(err, debugging(deps.env))}`);
    deps.exit(cluster.isWorker ? STARTUP_FAILED_EXIT_CODE : 1);
  }
}
