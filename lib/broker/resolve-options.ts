import { hostname } from "node:os";
import { BrokerOptionsError } from "../errors";
import { PROTOCOL_VERSIONS } from "../transit/packets";
import { MAX_TIMER_MS } from "../utils/timer-limits";
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
  checkTimerOptions(options);
  if (options.protocolVersion !== undefined && !PROTOCOL_VERSIONS.includes(options.protocolVersion)) {
    const got = String(options.protocolVersion as unknown);
    throw new BrokerOptionsError(`Option 'protocolVersion' must be "4" or "5" (a string); got ${got}.`, { protocolVersion: got });
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

/**
 * Every broker option that ends up in a timer, with its unit in ms. A value
 * past what Node's timers take (2^31 - 1 ms) would fire at once, so it is a
 * `BrokerOptionsError` at construction naming the option (per-call values
 * are clamped instead, see `clampDelay`).
 */
function checkTimerOptions(o: BrokerOptions): void {
  const zeroIsNone = new Set(["requestTimeout", "transit.connectTimeout"]);
  const timers: Array<[string, unknown, number]> = [
    ["requestTimeout", o.requestTimeout, 1],
    ["heartbeatInterval", o.heartbeatInterval, 1000],
    ["heartbeatTimeout", o.heartbeatTimeout, 1000],
    ["retryPolicy.delay", o.retryPolicy?.delay, 1],
    ["retryPolicy.maxDelay", o.retryPolicy?.maxDelay, 1],
    ["circuitBreaker.halfOpenTime", o.circuitBreaker?.halfOpenTime, 1],
    ["circuitBreaker.windowTime", o.circuitBreaker?.windowTime, 1000],
    ["tracking.shutdownTimeout", o.tracking?.shutdownTimeout, 1],
    ["transit.discoverWait", o.transit?.discoverWait, 1],
    ["transit.stopDelay", o.transit?.stopDelay, 1],
    ["transit.connectTimeout", o.transit?.connectTimeout, 1],
  ];
  for (const [name, value, unit] of timers) {
    if (value === undefined) continue;
    const unitName = unit === 1000 ? "s" : "ms";
    if (typeof value !== "number" || !(value >= 0)) {
      throw new BrokerOptionsError(`Option '${name}' must be a number >= 0 (${unitName}); got ${String(value)}.`, { [name]: value });
    }
    if (value * unit > MAX_TIMER_MS) {
      throw new BrokerOptionsError(
        `Option '${name}' is ${value} ${unitName}, more than a Node.js timer can take ` +
          `(${MAX_TIMER_MS} ms, about 24.8 days); it would fire at once.` +
          (zeroIsNone.has(name) ? " Use 0 for no timeout." : ""),
        { [name]: value, max: MAX_TIMER_MS / unit },
      );
    }
  }
}
