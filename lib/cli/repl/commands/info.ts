import { hostname } from "node:os";
import { formatTable } from "../table";
import type { Command, ReplContext } from "./types";

interface Health {
  cpu: { load1: number; cores: number; utilization: number | null };
  mem: { free: number; total: number };
  os: { type: string; release: string; arch: string };
  process: { pid: number; memory: { heapUsed: number; rss: number }; uptime: number };
}

/** A plugin option as a short name: `"nats://…"`, `"Memory"`, or the class name of an instance. */
function pluginName(spec: unknown): string {
  if (spec === undefined || spec === null || spec === false) return "none";
  if (typeof spec === "string") return spec.replace(/\/\/[^@/]*@/, "//***@");
  if (spec === true) return "default";
  if (typeof spec === "function") return spec.name;
  if (typeof spec === "object") {
    const type = (spec as { type?: unknown }).type;
    if (type !== undefined) return pluginName(type);
    return spec.constructor.name;
  }
  return String(spec);
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

function section(ctx: ReplContext, title: string, rows: Array<[string, string]>): void {
  ctx.out.line(ctx.out.style.bold(ctx.out.style.cyan(title)));
  ctx.out.line(formatTable(["Key", "Value"], rows, ctx.out.style));
  ctx.out.line();
}

const info: Command = {
  name: "info",
  usage: "info",
  description: "Show this node and its broker: process, options, counts",
  async run(_args, ctx) {
    const { broker } = ctx;
    const [health, actions, events] = await Promise.all([
      broker.call<Health>("$node.health"),
      broker.call<unknown[]>("$node.actions", { skipInternal: true }),
      broker.call<unknown[]>("$node.events", { skipInternal: true }),
    ]);
    section(ctx, "Process", [
      ["Host", hostname()],
      ["OS", `${health.os.type} ${health.os.release} (${health.os.arch})`],
      ["CPU", `${health.cpu.cores} cores, load ${health.cpu.load1.toFixed(2)}`],
      ["Memory", `${mb(health.mem.total - health.mem.free)} used of ${mb(health.mem.total)}`],
      ["Node.js", process.version],
      ["PID", String(health.process.pid)],
      ["Heap / RSS", `${mb(health.process.memory.heapUsed)} / ${mb(health.process.memory.rss)}`],
      ["Uptime", `${Math.round(health.process.uptime)} s`],
    ]);
    const o = broker.options;
    section(ctx, "Broker", [
      ["Node ID", broker.nodeID],
      ["Namespace", broker.namespace || "(none)"],
      ["Instance ID", broker.instanceID],
      ["State", broker.started ? "started" : broker.stopping ? "stopping" : "not started"],
      ["Local services", String(broker.localServices.filter((s) => !s.fullName.startsWith("$")).length)],
      ["Actions (cluster)", String(actions.length)],
      ["Event subscriptions (cluster)", String(events.length)],
      ["Transporter", pluginName(o.transporter)],
      ["Serializer", pluginName(o.serializer ?? "JSON")],
      ["Cacher", broker.cacher ? broker.cacher.constructor.name : "none"],
      ["Strategy", pluginName(o.registry.strategy ?? "RoundRobin")],
      ["Prefer local", String(o.registry.preferLocal)],
      ["Request timeout", o.requestTimeout ? `${o.requestTimeout} ms` : "none"],
    ]);
  },
};

const env: Command = {
  name: "env",
  usage: "env [--filter <text>]",
  description: "List the environment variables of this process",
  parse: { string: ["filter"] },
  run(args, ctx) {
    const filter = typeof args.flags.filter === "string" ? args.flags.filter.toLowerCase() : "";
    const rows = Object.keys(process.env)
      .filter((key) => key.toLowerCase().includes(filter))
      .sort()
      .map((key) => [key, process.env[key] ?? ""]);
    ctx.out.line(formatTable(["Variable", "Value"], rows, ctx.out.style));
  },
};

export const infoCommands: Command[] = [info, env];
