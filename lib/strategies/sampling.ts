import { BrokerOptionsError } from "../errors";

/** Reads a numeric strategy option; absent → `fallback`, anything but a finite number fails at creation. */
export function numberOption(options: Record<string, unknown>, name: string, fallback: number): number {
  const value = options[name];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new BrokerOptionsError(`Strategy option '${name}' must be a finite number.`, { option: name, value });
  }
  return value;
}

export function randomItem<E>(list: readonly E[]): E {
  return list[Math.floor(Math.random() * list.length)];
}

/**
 * Moleculer's sampling pick (CpuUsage, Latency). The list may be large, so only
 * `sampleCount` endpoints are looked at: all of them when the list is not longer,
 * random ones (with replacement) otherwise. The first one whose metric is under
 * `low` wins at once, else the lowest one sampled. An unknown metric (`null`)
 * never wins; when nothing sampled is known, any endpoint at random.
 */
export function pickLowest<E>(
  list: readonly E[],
  sampleCount: number,
  low: number,
  metric: (endpoint: E) => number | null,
): E {
  const count = sampleCount <= 0 || sampleCount >= list.length ? list.length : Math.floor(sampleCount);
  const whole = count === list.length;
  let best: E | null = null;
  let bestValue = Infinity;
  for (let i = 0; i < count; i++) {
    const endpoint = whole ? list[i] : randomItem(list);
    const value = metric(endpoint);
    if (value === null) continue;
    if (value < low) return endpoint;
    if (best === null || value < bestValue) {
      best = endpoint;
      bestValue = value;
    }
  }
  return best ?? randomItem(list);
}
