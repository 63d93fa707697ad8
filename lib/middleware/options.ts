import type { BulkheadOptions } from "../decorators/types";

/** Moleculer's defaults (protocol doc §10): every feature is off unless enabled. */
export interface RetryPolicyOptions {
  enabled?: boolean;
  retries?: number;
  /** First delay, ms. */
  delay?: number;
  maxDelay?: number;
  factor?: number;
  /** Which errors to retry; `err.retryable` by default. */
  check?: (err: Error) => boolean;
}

export interface CircuitBreakerOptions {
  enabled?: boolean;
  /** Failure rate (0..1) in the window that opens the circuit. */
  threshold?: number;
  /** Window length, seconds. */
  windowTime?: number;
  minRequestCount?: number;
  /** ms before an open circuit lets one trial request through. */
  halfOpenTime?: number;
  /** Which errors count as failures; `code >= 500` by default. */
  check?: (err: Error) => boolean;
}

export interface TrackingOptions {
  /** Track in-flight requests so `stop()` drains them (default true). */
  enabled?: boolean;
  /** ms to wait for in-flight requests at stop. */
  shutdownTimeout?: number;
}

export const RETRY_DEFAULTS: Required<RetryPolicyOptions> = {
  enabled: false,
  retries: 5,
  delay: 100,
  maxDelay: 1000,
  factor: 2,
  check: (err) => (err as { retryable?: boolean }).retryable === true,
};

export const CIRCUIT_BREAKER_DEFAULTS: Required<CircuitBreakerOptions> = {
  enabled: false,
  threshold: 0.5,
  windowTime: 60,
  minRequestCount: 20,
  halfOpenTime: 10_000,
  check: (err) => ((err as { code?: number }).code ?? 500) >= 500,
};

export const BULKHEAD_DEFAULTS: Required<BulkheadOptions> = {
  enabled: false,
  concurrency: 10,
  maxQueueSize: 100,
};

export const TRACKING_DEFAULTS: Required<TrackingOptions> = {
  enabled: true,
  shutdownTimeout: 5000,
};
