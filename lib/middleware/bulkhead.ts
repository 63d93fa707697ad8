import type { Context } from "../context/context";
import type { BulkheadOptions } from "../decorators/types";
import { QueueIsFullError } from "../errors";
import type { BulkheadReport, FaultObserver } from "./fault-observer";
import type { Middleware } from "./middleware";
import { BULKHEAD_DEFAULTS } from "./options";

type Handler<R> = (ctx: Context) => Promise<R>;

interface Queued {
  ctx: Context;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

/**
 * At most `concurrency` handlers run at once per action (or event handler);
 * the excess waits in a queue, and beyond `maxQueueSize` gets
 * `QueueIsFullError`. Options per action win over the broker's.
 */
function limit<R>(next: Handler<R>, opts: Required<BulkheadOptions>, name: string, nodeID: string, report?: BulkheadReport): Handler<R> {
  let inFlight = 0;
  const queue: Queued[] = [];
  const changed = report ? () => report(inFlight, queue.length) : () => undefined;

  const release = () => {
    inFlight--;
    const item = queue.shift();
    if (item) run(item.ctx).then(item.resolve, item.reject);
    else changed();
  };
  const run = (ctx: Context): Promise<R> => {
    inFlight++;
    changed();
    return next(ctx).then(
      (value) => {
        release();
        return value;
      },
      (err: unknown) => {
        release();
        throw err;
      },
    );
  };

  return (ctx) => {
    if (inFlight < opts.concurrency) return run(ctx);
    if (queue.length >= opts.maxQueueSize) {
      return Promise.reject(new QueueIsFullError({ action: name, nodeID, size: queue.length, limit: opts.maxQueueSize }));
    }
    return new Promise<R>((resolve, reject) => {
      queue.push({ ctx, resolve: resolve as (v: unknown) => void, reject });
      changed();
    });
  };
}

export function bulkheadMiddleware(options: BulkheadOptions | undefined, nodeID: string, observer: FaultObserver = {}): Middleware {
  const global = { ...BULKHEAD_DEFAULTS, ...options };
  const resolve = (own: BulkheadOptions | undefined) => ({ ...global, ...own });
  return {
    name: "Bulkhead",
    localAction(next, endpoint) {
      const opts = resolve(endpoint.action.bulkhead);
      if (!opts.enabled) return next;
      const { name } = endpoint.action;
      return limit(next, opts, name, nodeID, observer.bulkhead?.("action", name, endpoint.service.fullName));
    },
    localEvent(next, endpoint) {
      const opts = resolve(endpoint.event.bulkhead);
      if (!opts.enabled) return next;
      const { name } = endpoint.event;
      return limit(next, opts, name, nodeID, observer.bulkhead?.("event", name, endpoint.service.fullName));
    },
  };
}
