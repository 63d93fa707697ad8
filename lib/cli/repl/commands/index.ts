import { ReplInputError } from "../args";
import { formatTable } from "../table";
import { benchCommands } from "./bench";
import { cacheCommands } from "./cache";
import { callCommands } from "./call";
import { eventCommands } from "./events";
import { infoCommands } from "./info";
import { metricsCommands } from "./metrics";
import { listCommands } from "./registry-lists";
import type { Command } from "./types";

export { metricNames } from "./metrics";
export type { Command, ReplContext, Printer, EventListeners, CompletionKind } from "./types";

const help: Command = {
  name: "help",
  usage: "help [command]",
  description: "List the commands, or show one command's usage",
  complete: ["command"],
  run(args, ctx) {
    const [name] = args.positional;
    const { out } = ctx;
    if (name !== undefined) {
      const command = findCommand(ctx.commands, name);
      if (!command) throw new ReplInputError(`Unknown command '${name}'. Type 'help' for the list.`);
      out.line(`${out.style.bold(command.usage)}\n  ${command.description}`);
      return;
    }
    const rows = ctx.commands.map((c) => [[c.name, ...(c.aliases ?? [])].join(", "), c.description]);
    out.line(formatTable(["Command", "Description"], rows, out.style));
    out.line(out.style.dim("`help <command>` shows its arguments. Params: JSON or --key value (--a.b 1 nests, #key → meta, $key → call options)."));
  },
};

const clear: Command = {
  name: "clear",
  aliases: ["cls"],
  usage: "clear",
  description: "Clear the screen (on a terminal; `cache clear` clears the cache)",
  run(_args, ctx) {
    ctx.out.clearScreen();
  },
};

const exit: Command = {
  name: "exit",
  aliases: ["quit", "q"],
  usage: "exit",
  description: "Leave the REPL",
  run(_args, ctx) {
    ctx.exit();
  },
};

/** Every command, in the order `help` lists them. */
export const COMMANDS: readonly Command[] = [
  ...listCommands,
  ...infoCommands,
  ...callCommands,
  ...eventCommands,
  ...benchCommands,
  ...cacheCommands,
  ...metricsCommands,
  clear,
  help,
  exit,
];

export function findCommand(commands: readonly Command[], name: string): Command | undefined {
  return commands.find((c) => c.name === name || c.aliases?.includes(name));
}
