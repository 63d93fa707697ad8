import type { Context } from "../context/context";
import { GracefulStopTimeoutError, ServiceNotAvailableError } from "../errors";
import type { Middleware } from "./middleware";
import type { MiddlewareBroker } from "./middleware-broker";
import { TRACKING_DEFAULTS, TrackingOptions } from "./options";

type Handler<R> = (ctx: Context) => Promise<R>;

/** In-flight count of one service, and whoever waits for it to drain. */
export class InFlightCounter {
  inFlight = 0;
  private waiters: Array<() => void> = [];

  done(): void {
    if (--this.inFlight === 0 && this.waiters.length > 0) {
      const waiters = this.waiters;
      this.waiters = [];
      for (const w of waiters) w();
    }
  }

  drained(): Promise<void> {
    return this.inFlight === 0 ? Promise.resolve() : new Promise((resolve) => this.waiters.push(resolve));
  }
}

/**
 * Graceful stop: counts in-flight handlers per service; once the broker is
 * stopping, new root calls get `ServiceNotAvailableError` (nested calls of
 * work already running still go through), and `drain()` waits for the
 * counts to reach zero, up to `shutdownTimeout`.
 */
export class ContextTracker {
  private readonly opts: Required<TrackingOptions>;
  private readonly trackers = new Map<string, InFlightCounter>();

  constructor(
    private readonly broker: MiddlewareBroker,
    options: TrackingOptions | undefined,
  ) {
    this.opts = { ...TRACKING_DEFAULTS, ...options };
  }

  get enabled(): boolean {
    return this.opts.enabled;
  }

  /**
   * The counter of a service's in-flight handlers (`null` when tracking is
   * off). The innermost link of each handler chain counts, and only when the
   * handler returns a promise: a synchronous handler is never in flight.
   */
  counter(service: string): InFlightCounter | null {
    if (!this.enabled) return null;
    let t = this.trackers.get(service);
    if (!t) this.trackers.set(service, (t = new InFlightCounter()));
    return t;
  }

  private refuseWhenStopping<R>(next: Handler<R>, name: string): Handler<R> {
    const broker = this.broker;
    return (ctx) => {
      if (broker.stopping && ctx.level === 1) {
        return Promise.reject(new ServiceNotAvailableError({ action: name, nodeID: broker.nodeID }));
      }
      return next(ctx);
    };
  }

  middleware(): Middleware {
    return {
      name: "ContextTracker",
      localAction: (next, endpoint) => (this.enabled ? this.refuseWhenStopping(next, endpoint.action.name) : next),
      // The broker's own `$` events (`$services.changed` as services stop…) still reach their handlers while it stops.
      localEvent: (next, endpoint) => (this.enabled && !endpoint.event.name.startsWith("$") ? this.refuseWhenStopping(next, endpoint.event.name) : next),
    };
  }

  /**
   * Hands a service's counter over (the service is being removed or swapped
   * for a new version): its name gets a fresh counter from now on, and the
   * returned function waits for the handlers counted so far, at most
   * `shutdownTimeout`.
   */
  detach(service: string): () => Promise<void> {
    const counter = this.trackers.get(service);
    this.trackers.delete(service);
    if (!counter) return () => Promise.resolve();
    return async () => {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), this.opts.shutdownTimeout)));
      const timedOut = await Promise.race([counter.drained().then(() => false), late]);
      clearTimeout(timer);
      if (timedOut) this.broker.logger.warn({ service, inFlight: counter.inFlight }, "Service handlers still running after shutdownTimeout");
    };
  }

  /** In-flight handlers of a service (all services when absent). */
  inFlight(service?: string): number {
    if (service) return this.trackers.get(service)?.inFlight ?? 0;
    let sum = 0;
    for (const t of this.trackers.values()) sum += t.inFlight;
    return sum;
  }

  /**
   * Waits for every service's in-flight handlers (and `extra`, e.g. our own
   * pending remote requests); logs a `GracefulStopTimeoutError` on timeout.
   */
  async drain(extra?: () => Promise<void>): Promise<void> {
    if (!this.enabled) return;
    let timer: NodeJS.Timeout | undefined;
    let late = false;
    const timedOut = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        late = true;
        resolve();
      }, this.opts.shutdownTimeout);
    });
    // Loop: work queued behind finishing work (a bulkhead queue) starts after a tick.
    do {
      await Promise.race([Promise.all([...[...this.trackers.values()].map((t) => t.drained()), extra?.()]), timedOut]);
      if (!late) await new Promise((r) => setImmediate(r));
    } while (!late && this.inFlight() > 0);
    clearTimeout(timer);
    if (late) {
      const err = new GracefulStopTimeoutError({ nodeID: this.broker.nodeID });
      this.broker.logger.error({ err, inFlight: this.inFlight() }, err.message);
    }
  }
}
