import type { Context } from "../context/context";
import { RequestTimeoutError } from "../errors";
import type { ActionHandler } from "../registry/endpoint";
import { Deadline, deadlines } from "../utils/deadline-timers";
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

/** The pending call's side of a deadline: settles the outer promise once. */
class TimedCall implements Deadline {
  handle: Set<Deadline> | null = null;
  constructor(
    private readonly ctx: Context,
    private readonly resolve: (value: unknown) => void,
    private readonly reject: (err: unknown) => void,
  ) {}

  fire(): void {
    this.handle = null;
    const { ctx } = this;
    this.reject(new RequestTimeoutError({ action: ctx.action?.name ?? "", nodeID: ctx.endpoint?.id ?? ctx.nodeID }));
  }

  ok(value: unknown): void {
    if (this.handle !== null) deadlines.cancel(this.handle, this);
    this.resolve(value);
  }

  fail(err: unknown): void {
    if (this.handle !== null) deadlines.cancel(this.handle, this);
    this.reject(err);
  }
}

function withTimeout(next: ActionHandler, ctx: Context): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const call = new TimedCall(ctx, resolve, reject);
    call.handle = deadlines.add(call, ctx.timeout);
    next(ctx).then(
      (value) => call.ok(value),
      (err: unknown) => call.fail(err),
    );
  });
}
