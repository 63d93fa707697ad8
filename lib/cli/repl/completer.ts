import type { ServiceBroker } from "../../broker";
import { findCommand, metricNames, type Command, type CompletionKind, type EventListeners } from "./commands";

const SUBCOMMANDS: Partial<Record<CompletionKind, string[]>> = {
  cache: ["keys", "clear"],
  listener: ["add", "remove", "list"],
};

/**
 * Tab completion: command names first, then what each command's arguments
 * are (action names, event names, node IDs), read fresh from the `$node`
 * service so that services that joined a moment ago complete too.
 */
export function createCompleter(broker: ServiceBroker, commands: readonly Command[], listeners: EventListeners) {
  const candidates = async (kind: CompletionKind | undefined, previous: string[]): Promise<string[]> => {
    switch (kind) {
      case "command":
        return commands.flatMap((c) => [c.name, ...(c.aliases ?? [])]);
      case "action":
        return (await broker.call<Array<{ name: string }>>("$node.actions")).map((a) => a.name);
      case "event":
        // `listener remove` completes the patterns being listened to.
        if (previous[previous.length - 1] === "remove") return listeners.list();
        // Subscriptions with wildcards are patterns, not names one can emit.
        return (await broker.call<Array<{ name: string }>>("$node.events")).map((e) => e.name).filter((n) => !/[*?]/.test(n));
      case "node":
        return (await broker.call<Array<{ id: string }>>("$node.list")).map((n) => n.id);
      case "cache":
      case "listener":
        return SUBCOMMANDS[kind] ?? [];
      case "metric":
        return broker.metrics ? metricNames(broker.metrics) : [];
      default:
        return [];
    }
  };

  return async (line: string): Promise<[string[], string]> => {
    const words = line.trimStart().split(/\s+/);
    const fragment = words[words.length - 1];
    if (fragment.startsWith("-")) return [[], fragment];
    const command = words.length === 1 ? undefined : findCommand(commands, words[0]);
    // A flag's value (`metrics --filter <Tab>`) completes by its flag, other words by their position.
    const previous = words[words.length - 2];
    const flagKind = previous?.startsWith("--") ? command?.completeFlags?.[previous.slice(2)] : undefined;
    const kind: CompletionKind | undefined = words.length === 1 ? "command" : (flagKind ?? command?.complete?.[words.length - 2]);
    const all = await candidates(kind, words.slice(0, -1));
    const matches = [...new Set(all)].filter((c) => c.startsWith(fragment)).sort();
    return [matches, fragment];
  };
}
