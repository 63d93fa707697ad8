import type { Context } from "../context/context";
import type { ActionEndpoint, ActionHandler } from "../registry/endpoint";
import type { FaultObserver } from "./fault-observer";
import type { Middleware } from "./middleware";
import type { MiddlewareBroker } from "./middleware-broker";

type FallbackMethod = (params: unknown, ctx: Context, error: unknown) => unknown;

/**
 * On failure, answers with the call's `fallbackResponse` (a value or a
 * function of ctx and error) or the action's `fallback` method.
 */
export function fallbackMiddleware(broker: MiddlewareBroker, observer: FaultObserver = {}): Middleware {
  const fromCall = (ctx: Context, err: unknown, endpoint: ActionEndpoint): unknown => {
    observer.fallback?.(endpoint);
    const response = ctx.options.fallbackResponse;
    return typeof response === "function" ? (response as (c: Context, e: unknown) => unknown)(ctx, err) : response;
  };

  return {
    name: "Fallback",
    localAction(next: ActionHandler, endpoint: ActionEndpoint): ActionHandler {
      const name = endpoint.action.fallback;
      // Mixin methods are merged into the instance, so the method is found there (checked when the service was created).
      const instance = name ? broker.getLocalService(endpoint.service.fullName) : undefined;
      const found = instance && name ? (instance as Record<string, unknown>)[name] : undefined;
      const method = typeof found === "function" ? (found as FallbackMethod) : undefined;
      return (ctx) => {
        if (ctx.options.fallbackResponse !== undefined) return next(ctx).catch((err: unknown) => fromCall(ctx, err, endpoint));
        if (method === undefined) return next(ctx);
        return next(ctx).catch((err: unknown) => {
          observer.fallback?.(endpoint);
          return method.call(instance, ctx.params, ctx, err);
        });
      };
    },
    remoteAction(next: ActionHandler, endpoint: ActionEndpoint): ActionHandler {
      return (ctx) =>
        ctx.options.fallbackResponse === undefined ? next(ctx) : next(ctx).catch((err: unknown) => fromCall(ctx, err, endpoint));
    },
  };
}
