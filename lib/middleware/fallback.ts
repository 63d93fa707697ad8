import type { Context } from "../broker/context";
import type { ActionEndpoint, ActionHandler } from "../registry/endpoint";
import type { ServiceBroker } from "../broker/service-broker";
import type { Middleware } from "./middleware";

type FallbackMethod = (params: unknown, ctx: Context, error: unknown) => unknown;

/**
 * On failure, answers with the call's `fallbackResponse` (a value or a
 * function of ctx and error) or the action's `fallback` method.
 */
export function fallbackMiddleware(broker: ServiceBroker): Middleware {
  const fromCall = (ctx: Context, err: unknown): unknown => {
    const response = ctx.options.fallbackResponse;
    return typeof response === "function" ? (response as (c: Context, e: unknown) => unknown)(ctx, err) : response;
  };

  return {
    name: "Fallback",
    localAction(next: ActionHandler, endpoint: ActionEndpoint): ActionHandler {
      const name = endpoint.action.fallback;
      const service = name ? broker.localServices.find((s) => s.fullName === endpoint.service.fullName) : undefined;
      const method = service && name ? (service.method(name) as FallbackMethod) : undefined;
      const instance = service?.instance;
      return (ctx) => {
        if (ctx.options.fallbackResponse !== undefined) return next(ctx).catch((err: unknown) => fromCall(ctx, err));
        if (method === undefined) return next(ctx);
        return next(ctx).catch((err: unknown) => method.call(instance, ctx.params, ctx, err));
      };
    },
    remoteAction(next: ActionHandler): ActionHandler {
      return (ctx) =>
        ctx.options.fallbackResponse === undefined ? next(ctx) : next(ctx).catch((err: unknown) => fromCall(ctx, err));
    },
  };
}
