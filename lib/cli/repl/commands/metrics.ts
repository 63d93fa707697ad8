import type { Metrics } from "../../../metrics/metrics";
import { metricsSnapshot, type MetricSnapshot, type MetricValueSnapshot } from "../../../metrics/snapshot";
import { matchGlob } from "../../../utils/wildcard";
import { ReplInputError } from "../args";
import type { Style } from "../style";
import { formatTable } from "../table";
import type { Command, ReplContext } from "./types";

function metricsOf(ctx: ReplContext): Metrics {
  const metrics = ctx.broker.metrics;
  if (!metrics) throw new ReplInputError("Metrics are off: start the broker with `metrics: true`.");
  return metrics;
}

/**
 * The names a person filters by: Moleculer's dotted name for Moleculer's
 * metrics, the Prometheus name for the others (prom-client's process metrics,
 * your own). Read without collecting values: this runs on Tab.
 */
export function metricNames(metrics: Metrics): string[] {
  const { registry, definitions } = metrics.registry;
  return registry.getMetricsAsArray().map((m) => definitions.get(m.name)?.name ?? m.name);
}

/** `{action: math.add, service: math}`, in the metric's label order, then any default labels. */
function labelsText(metric: MetricSnapshot, item: MetricValueSnapshot, style: Style): string {
  const names = [...metric.labelNames, ...Object.keys(item.labels).filter((n) => !metric.labelNames.includes(n))];
  const present = names.filter((n) => item.labels[n] !== undefined);
  if (present.length === 0) return style.dim("{}");
  return style.dim("{") + present.map((n) => `${style.dim(n)}: ${style.magenta(String(item.labels[n]))}`).join(", ") + style.dim("}");
}

/** Integers as they are; fractions to 4 significant digits (times in ms, seconds of CPU). */
function num(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(4)));
}

/**
 * moleculer-repl prints a histogram's min/mean/max; prom-client keeps no
 * min or max, so the count, the sum and their mean stand in for them.
 */
function valueText(metric: MetricSnapshot, item: MetricValueSnapshot, style: Style): string {
  if (metric.type !== "histogram") return style.green(num(item.value ?? 0));
  const count = item.count ?? 0;
  const sum = item.sum ?? 0;
  const mean = count === 0 ? 0 : sum / count;
  const part = (key: string, value: number) => `${style.dim(key)}: ${style.green(num(value))}`;
  return [part("count", count), part("sum", sum), part("mean", mean)].join(", ");
}

const metrics: Command = {
  name: "metrics",
  usage: "metrics [--filter <glob>]",
  description: "List the metrics with their values (histograms: count, sum and mean); --filter by name, e.g. 'moleculer.request.*'",
  parse: { string: ["filter"] },
  completeFlags: { filter: "metric" },
  async run(args, ctx) {
    const source = metricsOf(ctx);
    const filter = typeof args.flags.filter === "string" && args.flags.filter !== "" ? args.flags.filter : undefined;
    const { definitions } = source.registry;
    // Filtered by the dotted name before values are read, so a filter also saves the collection.
    const include = (promName: string) => filter === undefined || matchGlob(definitions.get(promName)?.name ?? promName, filter);
    const list = (await metricsSnapshot(source.registry, include)).sort((a, b) => a.name.localeCompare(b.name));
    const { out } = ctx;
    if (list.length === 0) {
      out.line(filter === undefined ? "No metrics are registered." : `No metrics match '${filter}'.`);
      return;
    }
    const rows: string[][] = [];
    for (const metric of list) {
      if (metric.values.length === 0) rows.push([metric.name, metric.type, "-", out.style.dim("<no values>")]);
      for (const item of metric.values) rows.push([metric.name, metric.type, labelsText(metric, item, out.style), valueText(metric, item, out.style)]);
    }
    out.line(formatTable(["Name", "Type", "Labels", "Value"], rows, out.style));
    out.line(out.style.dim(`${list.length} metrics, ${rows.length} rows`));
  },
};

export const metricsCommands: Command[] = [metrics];
