export { createProgram, parseArgs, parseInstances, DEFAULT_MASK } from "./args";
export type { RunnerArgs } from "./args";
export { startRunner, brokerOptions, loadEnvFiles, defaultDeps } from "./runner";
export type { RunnerDeps, RunningNode } from "./runner";
export { main } from "./main";
export type { ReplHandle, ReplModule, ReplLoader } from "./repl-loader";
export { RunnerError } from "./errors";
