import type { Cacher } from "../cachers/cacher";
import type { BulkheadOptions } from "../decorators/types";
import type { Validator } from "../validation/validator";
import { bulkheadMiddleware } from "./bulkhead";
import { CacheSpans, CacherMiddlewareOptions, cacherMiddleware } from "./cacher";
import { circuitBreakerMiddleware } from "./circuit-breaker";
import type { ContextTracker } from "./context-tracker";
import type { FaultObserver } from "./fault-observer";
import { fallbackMiddleware } from "./fallback";
import type { Middleware } from "./middleware";
import type { MiddlewareBroker } from "./middleware-broker";
import type { CircuitBreakerOptions, RetryPolicyOptions } from "./options";
import { Redispatch, retryMiddleware } from "./retry";
import { timeoutMiddleware } from "./timeout";
import { validatorMiddleware } from "./validator";

/** What the built-in middlewares are made from. */
export interface BuiltinDeps {
  readonly broker: MiddlewareBroker;
  readonly validator: Validator | null;
  readonly cacher: { readonly cacher: Cacher; readonly options: CacherMiddlewareOptions } | null;
  readonly tracker: ContextTracker;
  /** Selects an endpoint again for a retried context (the call dispatcher's). */
  readonly redispatch: Redispatch;
  readonly bulkhead?: BulkheadOptions;
  readonly circuitBreaker?: CircuitBreakerOptions;
  readonly retryPolicy?: RetryPolicyOptions;
  /** Told of breaker transitions, retries, fallbacks and bulkhead levels (metrics). */
  readonly observer?: FaultObserver;
  /** Spans for cache reads (tracing with `cache: true`). */
  readonly cacheSpans?: CacheSpans;
}

type BuiltinName = "Validator" | "Bulkhead" | "Cacher" | "ContextTracker" | "Timeout" | "CircuitBreaker" | "Retry" | "Fallback";

/**
 * The built-in middlewares, innermost (closest to the handler) first: the
 * one list of their order. Validation first so nothing runs on bad params;
 * the bulkhead before the cacher so a cache hit still takes a slot (as in
 * Moleculer); tracking outside both so drained work includes queued work;
 * timeout per attempt; the circuit breaker outside the timeout (it counts
 * timeouts); retry outside the breaker; fallback last (it answers for
 * whatever failed below it). A factory returns null when its feature is
 * not configured.
 */
const BUILTINS: ReadonlyArray<readonly [BuiltinName, (d: BuiltinDeps) => Middleware | null]> = [
  ["Validator", (d) => (d.validator ? validatorMiddleware(d.validator) : null)],
  ["Bulkhead", (d) => bulkheadMiddleware(d.bulkhead, d.broker.nodeID, d.observer)],
  ["Cacher", (d) => (d.cacher ? cacherMiddleware(d.cacher.cacher, d.cacher.options, d.cacheSpans) : null)],
  ["ContextTracker", (d) => d.tracker.middleware()],
  ["Timeout", () => timeoutMiddleware()],
  ["CircuitBreaker", (d) => circuitBreakerMiddleware(d.broker, d.circuitBreaker, d.observer)],
  ["Retry", (d) => retryMiddleware(d.retryPolicy, d.redispatch, d.observer)],
  ["Fallback", (d) => fallbackMiddleware(d.broker, d.observer)],
];

/** The built-in names in chain order, innermost first (documentation and specs read it). */
export const BUILTIN_ORDER: readonly BuiltinName[] = BUILTINS.map(([name]) => name);

/**
 * The broker's middleware list: the user's middlewares first (innermost, as
 * in Moleculer), then the configured built-ins in `BUILTIN_ORDER`.
 * Middlewares added later with `broker.use()` go outside all of them.
 */
export function middlewareStack<U>(user: readonly U[], deps: BuiltinDeps): Array<U | Middleware> {
  const list: Array<U | Middleware> = [...user];
  for (const [, make] of BUILTINS) {
    const mw = make(deps);
    if (mw !== null) list.push(mw);
  }
  return list;
}
