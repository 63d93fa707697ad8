import { PluginRegistry, type PluginSpec } from "../utils/plugin-registry";
import { CpuUsageStrategy } from "./cpu-usage";
import { LatencyStrategy } from "./latency";
import { RandomStrategy } from "./random";
import { RoundRobinStrategy } from "./round-robin";
import { ShardStrategy } from "./shard";
import type { Strategy, StrategyServices } from "./strategy";

export * from "./strategy";
export { RoundRobinStrategy } from "./round-robin";
export { RandomStrategy } from "./random";
export { CpuUsageStrategy } from "./cpu-usage";
export { LatencyStrategy } from "./latency";
export { ShardStrategy } from "./shard";

export function isStrategy(value: unknown): value is Strategy {
  return typeof value === "object" && value !== null && typeof (value as Partial<Strategy>).select === "function";
}

/**
 * Every strategy by name (any case). A strategy is built with the broker's
 * `StrategyServices` after its options, one per endpoint list:
 * `Strategies.resolve({ type: "Latency", options }, services)`.
 */
export const Strategies = new PluginRegistry<Strategy, Record<string, unknown>, [StrategyServices]>({
  family: "strategy",
  isInstance: isStrategy,
})
  .register("RoundRobin", RoundRobinStrategy)
  .register("Random", RandomStrategy)
  .register("CpuUsage", CpuUsageStrategy)
  .register("Latency", LatencyStrategy)
  .register("Shard", ShardStrategy);

/** A strategy given by name, `{ type, options }` or class. */
export type StrategySpec = PluginSpec<Strategy, Record<string, unknown>, [StrategyServices]>;
