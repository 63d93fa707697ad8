import type { Context, Meta } from "./context";

/** Value or function used when a call fails and the fallback is taken. */
export type FallbackResponse = unknown | ((ctx: Context, error: Error) => unknown);

export interface CallOptions {
  /** ms; 0 = none. Wins over the action's and the broker's timeout. */
  timeout?: number;
  retries?: number;
  meta?: Meta;
  /** Call this node's endpoint only. */
  nodeID?: string;
  /** Makes the new context a child of this one (ids, level, meta, deadline). */
  parentCtx?: Context;
  fallbackResponse?: FallbackResponse;
  /** Explicit request id for a root call (e.g. from an HTTP header). */
  requestID?: string;
  /** Key the Shard strategy hashes on, if not from params. */
  shardKey?: string;
}

export interface EmitOptions {
  meta?: Meta;
  parentCtx?: Context;
  /** Deliver to these groups only. */
  groups?: string | string[];
  /** Deliver to this node's handlers only (broadcast). */
  nodeID?: string;
}

export interface McallDefinition {
  action: string;
  params?: unknown;
  options?: CallOptions;
}

export interface McallOptions extends CallOptions {
  /** Resolve to `{status, value|reason}` for each call instead of rejecting on the first error. */
  settled?: boolean;
}
