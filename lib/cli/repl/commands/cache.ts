import type { Cacher } from "../../../cachers";
import { matchGlob } from "../../../utils/wildcard";
import { ReplInputError } from "../args";
import { formatTable } from "../table";
import type { Command, ReplContext } from "./types";

function cacherOf(ctx: ReplContext): Cacher {
  const cacher = ctx.broker.cacher;
  if (!cacher) throw new ReplInputError("No cacher is configured on this broker (see the `cacher` option).");
  return cacher;
}

const cache: Command = {
  name: "cache",
  usage: "cache keys [--filter <glob>] | cache clear [pattern]",
  description: "List the cacher's keys, or clear them (all, or those matching a glob)",
  parse: { string: ["filter"] },
  complete: ["cache"],
  async run(args, ctx) {
    const [sub, pattern] = args.positional;
    const { out } = ctx;
    if (sub === "keys") {
      const cacher = cacherOf(ctx);
      if (!cacher.keys) throw new ReplInputError(`The ${cacher.constructor.name} cannot list its keys (it has no keys() method).`);
      const filter = typeof args.flags.filter === "string" ? args.flags.filter : undefined;
      const keys = (await cacher.keys()).filter((k) => filter === undefined || matchGlob(k, filter)).sort();
      out.line(keys.length === 0 ? "The cache is empty." : formatTable(["Key"], keys.map((k) => [k]), out.style));
      if (keys.length > 0) out.line(out.style.dim(`${keys.length} keys`));
      return;
    }
    if (sub === "clear") {
      await cacherOf(ctx).clean(pattern);
      out.line(out.style.green(pattern === undefined ? ">> Cache cleared." : `>> Cache entries matching '${pattern}' cleared.`));
      return;
    }
    throw new ReplInputError("Usage: " + cache.usage);
  },
};

export const cacheCommands: Command[] = [cache];
