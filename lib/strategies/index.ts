import { CpuUsageStrategy } from "./cpu-usage";
import { LatencyStrategy } from "./latency";
import { RandomStrategy } from "./random";
import { RoundRobinStrategy } from "./round-robin";
import { ShardStrategy } from "./shard";
import type { StrategyFactory } from "./strategy";

export * from "./strategy";
export { RoundRobinStrategy } from "./round-robin";
export { RandomStrategy } from "./random";
export { CpuUsageStrategy } from "./cpu-usage";
export { LatencyStrategy } from "./latency";
export { ShardStrategy } from "./shard";

/** Name → class table used by the plugin resolver. */
export const Strategies: Record<string, StrategyFactory> = {
  RoundRobin: RoundRobinStrategy,
  Random: RandomStrategy,
  CpuUsage: CpuUsageStrategy,
  Latency: LatencyStrategy,
  Shard: ShardStrategy,
};
