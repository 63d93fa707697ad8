import type { ServiceBroker } from "../../broker";

/** What the runner needs of a started REPL: when it closes, the runner stops the broker. */
export interface ReplHandle {
  closed: Promise<void>;
}

/** The REPL module (lib/cli/repl) as the runner sees it. */
export interface ReplModule {
  startRepl(broker: ServiceBroker): ReplHandle | Promise<ReplHandle>;
}

export type ReplLoader = () => ReplModule;

/** Loaded on `--repl` only: a runner without it never pays for node:repl and the commands. */
export const loadRepl: ReplLoader = () => {
  // eslint-disable-next-line @typescript-eslint/no-var-requires -- lazy on purpose
  return require("../repl") as ReplModule;
};
