import type { Context } from "../broker/context";
import { RequestTimeoutError } from "../errors";
import type { ActionHandler } from "../registry/endpoint";
import type { Middleware } from "./middleware";

/**
 * Rejects with `RequestTimeoutError` when `ctx.timeout` (resolved per call
 * from call options, the action and `requestTimeout`, capped by the parent's
 * deadline) runs out. No timer at all when there is no timeout.
 */
export function timeoutMiddleware(): Middleware {
  const wrap = (next: ActionHandler): ActionHandler => {
    return (ctx) => (ctx.timeout > 0 ? withTimeout(next, ctx) : next(ctx));
  };
  // Remote calls time out in transit's pending-request table (one timer, and the entry is cleaned up).
  return { name: "Timeout", localAction: wrap };
}

function withTimeout(next: ActionHandler, ctx: Context): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new RequestTimeoutError({ action: ctx.action?.name ?? "", nodeID: ctx.endpoint?.id ?? ctx.nodeID }));
    }, ctx.timeout);
    next(ctx).then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err);
      },
    );
  });
}
