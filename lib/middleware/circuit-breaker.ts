import type { ActionEndpoint, ActionHandler } from "../registry/endpoint";
import type { FaultObserver } from "./fault-observer";
import type { Middleware } from "./middleware";
import type { MiddlewareBroker } from "./middleware-broker";
import { CIRCUIT_BREAKER_DEFAULTS, CircuitBreakerOptions } from "./options";

type State = "closed" | "open" | "half-open" | "half-open-wait";

/** Counters and state of one endpoint (action × node). */
class Breaker {
  state: State = "closed";
  count = 0;
  failures = 0;
  timer: NodeJS.Timeout | null = null;

  constructor(readonly endpoint: ActionEndpoint) {}
}

/**
 * Per endpoint: opens when the failure rate in the window reaches the
 * threshold (with at least `minRequestCount` requests). An open endpoint is
 * skipped by selection (`available = false`); after `halfOpenTime` one trial
 * request decides: success closes it, failure opens it again.
 */
export function circuitBreakerMiddleware(
  broker: MiddlewareBroker,
  options: CircuitBreakerOptions | undefined,
  observer: FaultObserver = {},
): Middleware {
  const opts = { ...CIRCUIT_BREAKER_DEFAULTS, ...options };
  const breakers = new Set<Breaker>();
  let windowTimer: NodeJS.Timeout | null = null;

  const announce = (kind: "opened" | "half-opened" | "closed", b: Breaker, extra: Record<string, unknown> = {}) => {
    const payload = { nodeID: b.endpoint.id, action: b.endpoint.action.name, ...extra };
    broker.logger.warn(payload, `Circuit breaker ${kind}`);
    void broker.broadcast(`$circuit-breaker.${kind}`, payload);
  };

  const open = (b: Breaker) => {
    const rate = b.count > 0 ? b.failures / b.count : 1;
    b.state = "open";
    b.endpoint.available = false;
    if (b.timer) clearTimeout(b.timer);
    b.timer = setTimeout(() => halfOpen(b), opts.halfOpenTime);
    b.timer.unref();
    announce("opened", b, { failures: b.failures, count: b.count, rate });
    observer.breakerOpened?.(b.endpoint);
  };

  const halfOpen = (b: Breaker) => {
    b.state = "half-open";
    b.endpoint.available = true;
    b.timer = null;
    announce("half-opened", b);
    observer.breakerHalfOpened?.(b.endpoint);
  };

  const close = (b: Breaker) => {
    b.state = "closed";
    b.endpoint.available = true;
    b.count = 0;
    b.failures = 0;
    announce("closed", b);
    observer.breakerClosed?.(b.endpoint);
  };

  const success = (b: Breaker) => {
    b.count++;
    if (b.state === "half-open-wait") close(b);
  };

  const failure = (b: Breaker, err: unknown) => {
    if (!(err instanceof Error) || !opts.check(err)) return success(b);
    b.count++;
    b.failures++;
    if (b.state === "half-open-wait") return open(b);
    if (b.state === "closed" && b.count >= opts.minRequestCount && b.failures / b.count >= opts.threshold) open(b);
  };

  const wrap = (next: ActionHandler, endpoint: ActionEndpoint): ActionHandler => {
    if (!opts.enabled) return next;
    const b = new Breaker(endpoint);
    breakers.add(b);
    const onOk = (value: unknown) => {
      success(b);
      return value;
    };
    const onErr = (err: unknown) => {
      failure(b, err);
      throw err;
    };
    return (ctx) => {
      if (b.state === "half-open") {
        // Only this trial request passes until it settles.
        b.state = "half-open-wait";
        endpoint.available = false;
      }
      return next(ctx).then(onOk, onErr);
    };
  };

  return {
    name: "CircuitBreaker",
    localAction: wrap,
    remoteAction: wrap,
    started() {
      if (!opts.enabled) return;
      // Counters cover one window; a fresh window starts every windowTime.
      windowTimer = setInterval(() => {
        for (const b of breakers) {
          if (b.state === "closed") {
            b.count = 0;
            b.failures = 0;
          }
        }
      }, opts.windowTime * 1000);
      windowTimer.unref();
    },
    stopped() {
      if (windowTimer) clearInterval(windowTimer);
      for (const b of breakers) if (b.timer) clearTimeout(b.timer);
    },
  };
}
