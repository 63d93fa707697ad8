import { hostname } from "node:os";
import { BrokerOptionsError } from "../errors";
import type { BrokerOptions, ResolvedOptions } from "./options";

/** Applies Moleculer's defaults and rejects options that cannot work. */
export function resolveOptions(options: BrokerOptions): ResolvedOptions {
  const nodeID = options.nodeID ?? `${hostname().toLowerCase()}-${process.pid}`;
  if (typeof nodeID !== "string" || nodeID.length === 0 || /[\s*>]/.test(nodeID)) {
    throw new BrokerOptionsError(`Invalid nodeID '${String(nodeID)}': a non-empty string without spaces, '*' or '>'.`, {
      nodeID,
    });
  }
  const requestTimeout = options.requestTimeout ?? 0;
  const maxCallLevel = options.maxCallLevel ?? 0;
  for (const [key, value] of Object.entries({ requestTimeout, maxCallLevel })) {
    if (typeof value !== "number" || !(value >= 0)) {
      throw new BrokerOptionsError(`Option '${key}' must be a number >= 0.`, { [key]: value });
    }
  }
  return {
    ...options,
    nodeID,
    namespace: options.namespace ?? "",
    requestTimeout,
    maxCallLevel,
    registry: { preferLocal: true, ...options.registry },
    metadata: options.metadata ?? {},
  };
}
