import type { MetricsRegistry } from "./metrics-registry";

type LabelSet = Record<string, string | number>;

/** One label set's value, as Moleculer's `metric.snapshot()` gives it. */
export interface MetricValueSnapshot {
  key: string;
  labels: LabelSet;
  /** Counters and gauges. */
  value?: number;
  /** Histograms: observation count, sum and cumulative bucket counts by upper bound. */
  count?: number;
  sum?: number;
  buckets?: Record<string, number>;
  timestamp: number;
}

/** One metric as Moleculer's `registry.list()` gives it: what `$metrics.snapshot` carries. */
export interface MetricSnapshot {
  type: string;
  /** Moleculer's dotted name for Moleculer's metrics, the Prometheus name for the others. */
  name: string;
  description: string;
  labelNames: string[];
  unit?: string;
  values: MetricValueSnapshot[];
}

/** Moleculer keys a label set by its values joined with `|`. */
const keyOf = (labelNames: string[], labels: LabelSet) => labelNames.map((n) => labels[n] ?? "").join("|");

/** The registry's metrics in Moleculer's shape (only metrics whose Prometheus name passes `include`). */
export async function metricsSnapshot(metrics: MetricsRegistry, include: (promName: string) => boolean = () => true): Promise<MetricSnapshot[]> {
  const now = Date.now();
  const list: MetricSnapshot[] = [];
  for (const metric of await metrics.registry.getMetricsAsJSON()) {
    if (!include(metric.name)) continue;
    const def = metrics.definitions.get(metric.name);
    const labelNames = def ? [...def.labels] : labelNamesOf(metric.values);
    const type = String(metric.type);
    const out: MetricSnapshot = {
      type,
      name: def?.name ?? metric.name,
      description: metric.help,
      labelNames,
      unit: def?.unit,
      values: [],
    };
    if (type === "histogram") out.values = histogramValues(metric.name, metric.values, labelNames, now);
    else out.values = metric.values.map((v) => ({ key: keyOf(labelNames, v.labels as LabelSet), labels: v.labels as LabelSet, value: v.value, timestamp: now }));
    list.push(out);
  }
  return list;
}

function labelNamesOf(values: Array<{ labels: object }>): string[] {
  return [...new Set(values.flatMap((v) => Object.keys(v.labels)))].filter((n) => n !== "le");
}

/** prom-client's flat `_bucket`/`_sum`/`_count` rows, grouped back into one item per label set. */
function histogramValues(
  name: string,
  rows: Array<{ labels: object; value: number; metricName?: string }>,
  labelNames: string[],
  now: number,
): MetricValueSnapshot[] {
  const items = new Map<string, MetricValueSnapshot>();
  for (const row of rows) {
    const { le, ...labels } = row.labels as LabelSet;
    const key = keyOf(labelNames, labels);
    let item = items.get(key);
    if (!item) items.set(key, (item = { key, labels, count: 0, sum: 0, buckets: {}, timestamp: now }));
    if (row.metricName === `${name}_sum`) item.sum = row.value;
    else if (row.metricName === `${name}_count`) item.count = row.value;
    else if (le !== undefined && le !== "+Inf") item.buckets![String(le)] = row.value;
  }
  return [...items.values()];
}
