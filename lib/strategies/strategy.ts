/** What a strategy sees of an endpoint. */
export interface SelectableEndpoint {
  /** Node id. */
  id: string;
  local: boolean;
  node: { cpu: number | null; latency?: number | null };
}

/** What a strategy may read of the call (the Shard strategy hashes on it). */
export interface SelectionContext {
  params: unknown;
  meta: Record<string, unknown>;
  options: { shardKey?: string };
}

/** Picks one endpoint among the available ones (never called with an empty list). */
export interface Strategy {
  select<E extends SelectableEndpoint>(endpoints: readonly E[], ctx?: SelectionContext): E;
}

export type StrategyFactory = new (options: Record<string, unknown>, services: StrategyServices) => Strategy;

/** Facilities a strategy may need from the running broker (ping samples, …). */
export interface StrategyServices {
  nodeID: string;
}
