import type { BrokerName } from "./brokers";

/**
 * `describe` for a suite that needs a real broker: skipped (with the reason
 * printed by the global setup) when it is not reachable outside CI. In CI the
 * global setup has already failed the run instead.
 */
export function describeWith(broker: BrokerName, name: string, fn: () => void): void {
  const flag = process.env[`NUCLEON_HAS_${broker.toUpperCase()}`];
  const available = flag === undefined || flag === "1";
  (available ? describe : describe.skip)(name, fn);
}
