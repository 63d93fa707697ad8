import type { ActionEndpoint } from "../registry/endpoint";

/** Reports one bulkhead's in-flight and queued counts after each change. */
export type BulkheadReport = (inFlight: number, queued: number) => void;

/**
 * An optional reporting port of the fault-tolerance built-ins (metrics
 * implements it, the built-ins import nothing of metrics). Each method runs
 * only when its event happens, never on a plain successful call; `bulkhead`
 * runs once per wrapped handler and returns the reporter it calls.
 */
export interface FaultObserver {
  breakerOpened?(endpoint: ActionEndpoint): void;
  breakerHalfOpened?(endpoint: ActionEndpoint): void;
  breakerClosed?(endpoint: ActionEndpoint): void;
  /** A retry attempt (1, 2, …) of a call to this action is about to run. */
  retry?(endpoint: ActionEndpoint, attempt: number): void;
  /** A failed call was answered by a fallback. */
  fallback?(endpoint: ActionEndpoint): void;
  bulkhead?(kind: "action" | "event", name: string, service: string): BulkheadReport;
}
