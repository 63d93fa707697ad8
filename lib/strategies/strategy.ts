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
  /** Releases background work (the Latency strategy's ping timer); called at broker stop. */
  stop?(): void;
}

export type StrategyFactory = new (options: Record<string, unknown>, services: StrategyServices) => Strategy;

/** Facilities a strategy may need from the running broker (ping samples, …). */
export interface StrategyServices {
  nodeID: string;
  /** Round trip to `nodeID` in ms, `null` when the ping failed or timed out (Latency strategy). */
  ping?: (nodeID: string) => Promise<number | null>;
  /** Ids of the remote nodes currently known and online (Latency strategy pings these). */
  nodeIDs?: () => string[];
}
