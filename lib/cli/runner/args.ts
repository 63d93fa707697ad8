import { availableParallelism } from "node:os";
import { Command, InvalidArgumentError } from "commander";

/** The runner's flags (Moleculer runner's), parsed. */
export interface RunnerArgs {
  /** Service files, folders or globs; none = `SERVICEDIR`/`SERVICES` from the environment. */
  paths: string[];
  config?: string;
  repl: boolean;
  hot: boolean;
  silent: boolean;
  /** Load `.env` from the working directory. */
  env: boolean;
  envfile?: string;
  /** Worker processes; absent = this process runs the broker itself. */
  instances?: number;
  /** Which files of a folder are services. */
  mask: string;
}

export const DEFAULT_MASK = "**/*.service.{ts,js}";

/** `4` or `max` (one worker per CPU) → a count ≥ 1. */
export function parseInstances(value: string): number {
  if (value === "max") return availableParallelism();
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new InvalidArgumentError("expected a positive integer or 'max'.");
  return Number(value);
}

/** The `nucleon` command line: `nucleon [start] [options] [paths...]`. */
export function createProgram(): Command {
  return new Command("nucleon")
    .description("Starts a nucleon broker with the services found in files, folders or globs.")
    .usage("[start] [options] [paths...]")
    .argument("[paths...]", "service files, folders (searched with --mask) or globs")
    .option("-c, --config <file>", "config file (default: nucleon.config.ts|js|json in the working directory, or NUCLEON_CONFIG)")
    .option("-r, --repl", "start an interactive REPL after the broker", false)
    .option("-H, --hot", "reload a service when its file changes", false)
    .option("-s, --silent", "no logging", false)
    .option("-e, --env", "load .env from the working directory", false)
    .option("-E, --envfile <file>", "load environment variables from this file")
    .option("-i, --instances <count>", "run <count> worker processes (a number or 'max')", parseInstances)
    .option("-m, --mask <glob>", "which files of a folder are services", DEFAULT_MASK)
    .showHelpAfterError();
}

/**
 * Parses the arguments after `node nucleon.js` (a leading `start` is
 * Moleculer's spelling and optional). Help and usage errors go through
 * `program`'s own handling: print and exit, unless `exitOverride()` was set.
 */
export function parseArgs(argv: readonly string[], program: Command = createProgram()): RunnerArgs {
  const args = argv[0] === "start" ? argv.slice(1) : [...argv];
  program.parse(args, { from: "user" });
  // commander's options object holds exactly the declared flags.
  return { paths: program.args, ...program.opts<Omit<RunnerArgs, "paths">>() };
}
