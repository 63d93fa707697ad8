import type { Context } from "../context/context";
import type { ActionEndpoint, ActionHandler } from "../registry/endpoint";
import { clampDelay } from "../utils/timer-limits";
import type { FaultObserver } from "./fault-observer";
import type { Middleware } from "./middleware";
import { RETRY_DEFAULTS, RetryPolicyOptions } from "./options";

/** Selects an endpoint again for `ctx` (avoiding `avoidNodeID` when another is available) and runs it. */
export type Redispatch = (ctx: Context, avoidNodeID?: string) => Promise<unknown>;

/**
 * Retries retryable failures with exponential backoff. Each retry goes
 * through endpoint selection again, so with several nodes it may land on
 * another one. Attempts: per call `retries` > the action's > the policy's.
 */
export function retryMiddleware(options: RetryPolicyOptions | undefined, redispatch: Redispatch, observer: FaultObserver = {}): Middleware {
  const policy = { ...RETRY_DEFAULTS, ...options };
  const wrap = (next: ActionHandler, endpoint: ActionEndpoint): ActionHandler => {
    const actionRetries = endpoint.action.retries;
    const defaultRetries = actionRetries ?? (policy.enabled ? policy.retries : 0);
    return (ctx) => {
      // A retried attempt re-enters a chain: the outer loop owns the retrying.
      if (ctx.retryAttempt > 0) return next(ctx);
      const retries = ctx.options.retries ?? defaultRetries;
      if (!(retries > 0)) return next(ctx);
      return next(ctx).catch((err: unknown) => retry(ctx, err, retries, endpoint));
    };
  };

  const retry = async (ctx: Context, firstError: unknown, retries: number, endpoint: ActionEndpoint): Promise<unknown> => {
    let error = firstError;
    for (let attempt = 1; attempt <= retries; attempt++) {
      if (!(error instanceof Error) || !policy.check(error)) throw error;
      // A request stream read from cannot be sent again: what was read is gone.
      if (ctx.stream !== null && ctx.stream.readableDidRead) throw error;
      const delay = Math.min(policy.delay * Math.pow(policy.factor, attempt - 1), policy.maxDelay);
      await new Promise((resolve) => setTimeout(resolve, clampDelay(delay)));
      ctx.retryAttempt = attempt;
      observer.retry?.(endpoint, attempt);
      // The endpoint that just failed is avoided while another one is available.
      const failedNode = ctx.endpoint?.id;
      try {
        return await redispatch(ctx, failedNode);
      } catch (err) {
        error = err;
      } finally {
        ctx.retryAttempt = 0;
      }
    }
    throw error;
  };

  return { name: "Retry", localAction: wrap, remoteAction: wrap };
}
