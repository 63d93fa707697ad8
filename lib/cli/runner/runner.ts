import { relative, resolve } from "node:path";
import { config as loadDotenv } from "dotenv";
import { existsSync } from "node:fs";
import { hostname } from "node:os";
import { ServiceBroker } from "../../broker";
import { applyEnvOverrides, findConfigFile, loadConfigFile, type NucleonConfig } from "../config";
import { HotReloader } from "../hot-reload";
import type { RunnerArgs } from "./args";
import { RunnerError } from "./errors";
import { loadRepl as defaultLoadRepl, type ReplLoader } from "./repl-loader";
import { resolveServiceFiles } from "./service-files";
import { loadServiceModule, type ServiceModule } from "./service-module";
import { serviceOwners } from "./service-names";
import { handleStopSignals, type SignalTarget } from "./stop-signals";

type Env = Record<string, string | undefined>;

/** What the runner touches of its process; specs pass their own. */
export interface RunnerDeps {
  cwd: string;
  env: Env;
  exit: (code: number) => void;
  /** The runner's own messages (not the broker's logs). */
  log: (line: string) => void;
  loadRepl: ReplLoader;
  signals: SignalTarget;
  /** Set in a `--instances` worker: its nodeID gets `-<index>`. */
  workerIndex?: number;
}

export function defaultDeps(): RunnerDeps {
  return {
    cwd: process.cwd(),
    env: process.env,
    exit: (code) => process.exit(code),
    log: (line) => process.stderr.write(`[nucleon] ${line}\n`),
    loadRepl: defaultLoadRepl,
    signals: process,
  };
}

export interface RunningNode {
  broker: ServiceBroker;
  modules: ServiceModule[];
  /** Graceful stop as a first signal does (then `exit(0)`). */
  shutdown(reason: string): void;
  /** Releases signal listeners and the watcher without stopping the broker (specs). */
  dispose(): Promise<void>;
}

/** `--env` loads `.env` of the working directory, `--envfile` the named file; variables already set win (as in Moleculer). */
export function loadEnvFiles(args: Pick<RunnerArgs, "env" | "envfile">, cwd: string, env: Env): void {
  const files: string[] = [];
  const dotEnv = resolve(cwd, ".env");
  // Like `dotenv.config()` in Moleculer's runner: `--env` without a .env file is no error.
  if (args.env && existsSync(dotEnv)) files.push(dotEnv);
  if (args.envfile !== undefined) {
    const file = resolve(cwd, args.envfile);
    if (!existsSync(file)) throw new RunnerError(`Env file not found: ${file}`);
    files.push(file);
  }
  for (const path of files) {
    const result = loadDotenv({ path, processEnv: env as Record<string, string> });
    if (result.error) throw new RunnerError(`Env file ${path} failed to load: ${result.error.message}`);
  }
}

/** Config file (if any) → env overrides → flags: the options the broker is built with. */
export async function brokerOptions(args: RunnerArgs, deps: Pick<RunnerDeps, "cwd" | "env" | "workerIndex">): Promise<NucleonConfig> {
  const file = findConfigFile(deps.cwd, args.config, deps.env);
  const fromFile = file === null ? {} : await loadConfigFile(file);
  const options = applyEnvOverrides(fromFile, deps.env);
  if (args.silent) options.logger = false;
  if (deps.workerIndex !== undefined) {
    // Moleculer's rule: the configured (or default) nodeID plus the worker's number.
    const base = options.nodeID ?? `${hostname().toLowerCase()}-${process.pid}`;
    options.nodeID = `${base}-${deps.workerIndex}`;
  }
  return options;
}

/**
 * Starts one node: env files, config, service files, broker; then signals,
 * `--hot` and `--repl`. Throws (nothing left running) if any step fails.
 */
export async function startRunner(args: RunnerArgs, deps: RunnerDeps = defaultDeps()): Promise<RunningNode> {
  loadEnvFiles(args, deps.cwd, deps.env);
  const options = await brokerOptions(args, deps);
  const found = await resolveServiceFiles(args.paths, { cwd: deps.cwd, mask: args.mask, env: deps.env });
  const modules = found.files.map((file) => loadServiceModule(file));
  serviceOwners(modules, deps.cwd);

  const broker = new ServiceBroker(options);
  if (found.files.length === 0 && found.emptyFolders.length === 0) broker.logger.warn("No service files given: pass paths, or set SERVICEDIR or SERVICES");
  for (const folder of found.emptyFolders) broker.logger.warn(`No service file matches '${args.mask}' in ${folder}`);
  for (const m of modules) {
    for (const name of m.undecorated) broker.logger.warn(`Class '${name}' in ${relative(deps.cwd, m.file)} has handlers but no @Service: skipped`);
    if (m.services.length === 0 && m.undecorated.length === 0) broker.logger.warn(`${relative(deps.cwd, m.file)} exports no @Service class`);
    broker.register(...m.services);
  }

  let hot: HotReloader | null = null;
  // A node serves until it is told to stop, even one with nothing else keeping the event loop busy (no transporter).
  const keepAlive = setInterval(() => undefined, 2 ** 30);
  const signals = handleStopSignals({
    stop: async () => {
      await hot?.close();
      await broker.stop();
      clearInterval(keepAlive);
    },
    exit: deps.exit,
    log: deps.log,
    target: deps.signals,
  });
  try {
    await broker.start();
    if (args.hot) {
      hot = new HotReloader(broker, modules, { cwd: deps.cwd, log: deps.log });
      await hot.start();
    }
    if (args.repl) {
      const repl = await deps.loadRepl().startRepl(broker);
      void repl.closed.then(() => signals.trigger("REPL closed"));
    }
  } catch (err) {
    // Leave nothing running: peers hear a DISCONNECT rather than wait for a heartbeat timeout.
    signals.dispose();
    clearInterval(keepAlive);
    await hot?.close();
    await broker.stop().catch(() => undefined);
    throw err;
  }
  return {
    broker,
    modules,
    shutdown: (reason) => signals.trigger(reason),
    dispose: async () => {
      signals.dispose();
      clearInterval(keepAlive);
      await hot?.close();
    },
  };
}
