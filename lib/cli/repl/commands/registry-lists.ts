import { matchGlob } from "../../../utils/wildcard";
import type { ParsedArgs } from "../args";
import { formatTable } from "../table";
import type { Command, ReplContext } from "./types";

/*
 * The lists read the cluster through the `$node` service's actions, the public
 * way any node (and moleculer-repl) does, not through the broker's internals.
 */

interface ActionRow {
  name: string;
  count: number;
  hasLocal: boolean;
  available: boolean;
  endpoints?: Array<{ nodeID: string; available: boolean }>;
}
interface EventRow {
  name: string;
  group: string;
  count: number;
  hasLocal: boolean;
  available: boolean;
  endpoints?: Array<{ nodeID: string }>;
}
interface ServiceRow {
  name: string;
  fullName: string;
  version?: number | string;
  nodes: string[];
  local: boolean;
  available: boolean;
  actions?: Record<string, unknown>;
}
interface NodeRow {
  id: string;
  available: boolean;
  local: boolean;
  cpu: number | null;
  hostname: string | null;
  client: { type: string; version: string; langVersion: string } | null;
}

const LIST_FLAGS = { boolean: ["local", "skipinternal"], string: ["filter"] };
const LIST_USAGE = "[--local] [--skipinternal] [--filter <glob>]";

function listQuery(args: ParsedArgs) {
  return { onlyLocal: args.flags.local === true, skipInternal: args.flags.skipinternal === true, withEndpoints: true, withActions: true };
}

function filtered<T>(rows: T[], args: ParsedArgs, nameOf: (row: T) => string): T[] {
  const filter = args.flags.filter;
  return typeof filter === "string" && filter !== "" ? rows.filter((row) => matchGlob(nameOf(row), filter)) : rows;
}

function mark(ctx: ReplContext, yes: boolean): string {
  return yes ? ctx.out.style.green("✔") : "";
}

function state(ctx: ReplContext, available: boolean): string {
  return available ? ctx.out.style.green("OK") : ctx.out.style.red("FAILED");
}

function printTable(ctx: ReplContext, header: string[], rows: string[][], what: string): void {
  if (rows.length === 0) return ctx.out.line(`No ${what}.`);
  ctx.out.line(formatTable(header, rows, ctx.out.style));
}

const actions: Command = {
  name: "actions",
  usage: `actions ${LIST_USAGE}`,
  description: "List the actions of the cluster, with the nodes serving them",
  parse: LIST_FLAGS,
  async run(args, ctx) {
    const list = filtered(await ctx.broker.call<ActionRow[]>("$node.actions", listQuery(args)), args, (a) => a.name);
    const rows = list.map((a) => [
      a.name,
      String(a.count),
      (a.endpoints ?? []).map((e) => e.nodeID).join(", "),
      mark(ctx, a.hasLocal),
      state(ctx, a.available),
    ]);
    printTable(ctx, ["Action", "Nodes", "Endpoints", "Local", "State"], rows, "actions");
  },
};

const events: Command = {
  name: "events",
  usage: `events ${LIST_USAGE}`,
  description: "List the event subscriptions of the cluster",
  parse: LIST_FLAGS,
  async run(args, ctx) {
    const list = filtered(await ctx.broker.call<EventRow[]>("$node.events", listQuery(args)), args, (e) => e.name);
    const rows = list.map((e) => [
      e.name,
      e.group,
      String(e.count),
      (e.endpoints ?? []).map((p) => p.nodeID).join(", "),
      mark(ctx, e.hasLocal),
      state(ctx, e.available),
    ]);
    printTable(ctx, ["Event", "Group", "Nodes", "Endpoints", "Local", "State"], rows, "event subscriptions");
  },
};

const services: Command = {
  name: "services",
  usage: `services ${LIST_USAGE}`,
  description: "List the services of the cluster",
  parse: LIST_FLAGS,
  async run(args, ctx) {
    const list = filtered(await ctx.broker.call<ServiceRow[]>("$node.services", listQuery(args)), args, (s) => s.fullName);
    const rows = list.map((s) => [
      s.fullName,
      s.version === undefined ? "" : String(s.version),
      String(Object.keys(s.actions ?? {}).length),
      s.nodes.join(", "),
      mark(ctx, s.local),
      state(ctx, s.available),
    ]);
    printTable(ctx, ["Service", "Version", "Actions", "Nodes", "Local", "State"], rows, "services");
  },
};

const nodes: Command = {
  name: "nodes",
  usage: "nodes [--all] [--filter <glob>]",
  description: "List the nodes of the cluster: availability, CPU, services (internal $node left out)",
  parse: { boolean: ["all"], string: ["filter"] },
  async run(args, ctx) {
    const [list, svcs] = await Promise.all([
      ctx.broker.call<NodeRow[]>("$node.list", { onlyAvailable: args.flags.all !== true }),
      ctx.broker.call<ServiceRow[]>("$node.services", { skipInternal: true }),
    ]);
    const perNode = new Map<string, number>();
    for (const s of svcs) for (const id of s.nodes) perNode.set(id, (perNode.get(id) ?? 0) + 1);
    const { style } = ctx.out;
    const rows = filtered(list, args, (n) => n.id).map((n) => [
      n.id,
      n.available ? style.green("yes") : style.red("no"),
      n.cpu === null ? "?" : `${Math.round(n.cpu)}%`,
      String(perNode.get(n.id) ?? 0),
      mark(ctx, n.local),
      n.client ? `${n.client.type} ${n.client.version}` : "",
      n.hostname ?? "",
    ]);
    printTable(ctx, ["Node ID", "Available", "CPU", "Services", "Local", "Client", "Hostname"], rows, "nodes");
  },
};

export const listCommands: Command[] = [actions, services, events, nodes];
