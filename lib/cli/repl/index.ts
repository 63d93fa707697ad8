import type { ServiceBroker } from "../../broker";
import type { ReplHandle, ReplOptions } from "./options";

export type { ReplHandle, ReplOptions } from "./options";

/**
 * An interactive prompt on `broker`: moleculer-repl's commands (`actions`,
 * `call`, `emit`, `bench`, …) on `node:repl`. There is no `broker.repl()`: the
 * broker sits below the CLI layer and cannot import it.
 *
 * ```ts
 * await broker.start();
 * const repl = startRepl(broker);
 * await repl.closed;
 * await broker.stop();
 * ```
 */
export function startRepl(broker: ServiceBroker, options: ReplOptions = {}): ReplHandle {
  // Loaded on first use: node:repl and the commands cost `import "nucleon"` nothing until a REPL starts.
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { createSession } = require("./session") as typeof import("./session");
  return createSession(broker, options);
}
