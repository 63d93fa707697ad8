import { RandomStrategy } from "./random";
import { RoundRobinStrategy } from "./round-robin";
import type { StrategyFactory } from "./strategy";

export * from "./strategy";
export { RoundRobinStrategy } from "./round-robin";
export { RandomStrategy } from "./random";

/** Name → class table used by the plugin resolver. */
export const Strategies: Record<string, StrategyFactory> = {
  RoundRobin: RoundRobinStrategy,
  Random: RandomStrategy,
};
