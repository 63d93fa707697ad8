import { inspect } from "node:util";
import type { ServiceBroker } from "../../broker";
import type { Context } from "../../context/context";
import { matchEventName } from "../../utils/wildcard";
import type { EventListeners, Printer } from "./commands/types";

/** The REPL's own service: one `**` subscription in its own group, so it sees events without taking them from other groups. */
export const LISTENER_SERVICE = "$repl";

/**
 * The `listener` command's patterns. The `$repl` service is registered on the
 * first `listener add` (not before: until then no node sends this one events it
 * does not need), and stays: the broker has no public way to remove a service,
 * so removing the last pattern only silences it.
 */
export function createEventListeners(broker: ServiceBroker, out: Printer): EventListeners & { close(): void } {
  const patterns = new Set<string>();
  let registered = false;
  let closed = false;

  const handlers = {
    onEvent(payload: unknown, ctx: Context): void {
      const name = ctx.eventName ?? "?";
      if (closed || ![...patterns].some((p) => matchEventName(name, p))) return;
      const from = ctx.nodeID === broker.nodeID ? "this node" : `'${ctx.nodeID}'`;
      out.notify(`${out.style.magenta(`>> Event '${name}' from ${from}:`)} ${inspect(payload, { depth: 4, breakLength: Infinity, colors: out.style.enabled })}`);
    },
  };

  return {
    async add(pattern) {
      patterns.add(pattern);
      if (registered) return;
      registered = true;
      broker.registerDescriptor(
        {
          name: LISTENER_SERVICE,
          fullName: LISTENER_SERVICE,
          settings: {},
          metadata: {},
          dependencies: [],
          actions: [],
          events: [{ name: "**", group: LISTENER_SERVICE, method: "onEvent", options: {} }],
        },
        handlers,
      );
      // A running broker starts the service in the background: wait until its subscription is in the registry.
      if (broker.started) await broker.waitForServices(LISTENER_SERVICE, 5000, 10);
    },
    remove(pattern) {
      return patterns.delete(pattern);
    },
    list() {
      return [...patterns];
    },
    close() {
      closed = true;
      patterns.clear();
    },
  };
}
