import { numberOption, pickLowest } from "./sampling";
import type { SelectableEndpoint, Strategy } from "./strategy";

/**
 * Lowest CPU usage (Moleculer's CpuUsage): samples `sampleCount` endpoints and
 * takes one whose node reports less than `lowCpuUsage` %, else the least busy
 * one sampled. CPU comes from heartbeats; nodes that never reported (`null`)
 * are passed over, and if no sampled node reported, a random endpoint is used.
 */
export class CpuUsageStrategy implements Strategy {
  readonly sampleCount: number;
  readonly lowCpuUsage: number;

  constructor(options: Record<string, unknown> = {}) {
    this.sampleCount = numberOption(options, "sampleCount", 3);
    this.lowCpuUsage = numberOption(options, "lowCpuUsage", 10);
  }

  select<E extends SelectableEndpoint>(endpoints: readonly E[]): E {
    return pickLowest(endpoints, this.sampleCount, this.lowCpuUsage, cpuOf);
  }
}

function cpuOf(endpoint: SelectableEndpoint): number | null {
  const cpu = endpoint.node.cpu;
  return typeof cpu === "number" && Number.isFinite(cpu) ? cpu : null;
}
