import { inspect } from "node:util";
import type { EmitOptions } from "../../../context/context";
import { callInput, ReplInputError } from "../args";
import type { Command } from "./types";

type Verb = "emit" | "broadcast" | "broadcastLocal";

const DESCRIPTIONS: Record<Verb, string> = {
  emit: "Emit an event: one handler per group, cluster-wide",
  broadcast: "Broadcast an event to every handler on every node",
  broadcastLocal: "Broadcast an event to this node's handlers only",
};

function eventCommand(verb: Verb): Command {
  const command: Command = {
    name: verb,
    usage: `${verb} <event> [payload JSON] [meta JSON] [--key value …] [--#metaKey value] [--$groups name]`,
    description: DESCRIPTIONS[verb],
    complete: ["event"],
    async run(args, ctx) {
      const [event, ...rest] = args.positional;
      if (!event) throw new ReplInputError("Usage: " + command.usage);
      const input = callInput(rest, args.flags, []);
      const options: EmitOptions = { ...(input.options as EmitOptions), meta: input.meta };
      const { out } = ctx;
      out.line(out.style.yellow(`>> ${verb} '${event}' with payload: ${inspect(input.params, { breakLength: Infinity, depth: 4, colors: out.style.enabled })}`));
      await ctx.broker[verb](event, input.params, options);
      out.line(out.style.green(`>> Event '${event}' sent.`));
    },
  };
  return command;
}

const listener: Command = {
  name: "listener",
  usage: "listener add <event> | listener remove <event> | listener list",
  description: "Print incoming events matching a name or pattern (user.*, **)",
  complete: ["listener", "event"],
  async run(args, ctx) {
    const [sub, pattern] = args.positional;
    const { out, listeners } = ctx;
    if (sub === "list") {
      const list = listeners.list();
      out.line(list.length === 0 ? "No event listeners." : list.map((p) => `  ${p}`).join("\n"));
      return;
    }
    if ((sub !== "add" && sub !== "remove") || !pattern) throw new ReplInputError("Usage: " + listener.usage);
    if (sub === "add") {
      await listeners.add(pattern);
      out.line(out.style.green(`>> Listening to '${pattern}'.`));
    } else if (listeners.remove(pattern)) {
      out.line(out.style.green(`>> Stopped listening to '${pattern}'.`));
    } else {
      throw new ReplInputError(`No listener for '${pattern}'.`);
    }
  },
};

export const eventCommands: Command[] = [eventCommand("emit"), eventCommand("broadcast"), eventCommand("broadcastLocal"), listener];
