import type { Context } from "../broker/context";
import type { ServiceBroker } from "../broker/service-broker";
import { GracefulStopTimeoutError, ServiceNotAvailableError } from "../errors";
import type { Middleware } from "./middleware";
import { TRACKING_DEFAULTS, TrackingOptions } from "./options";

type Handler<R> = (ctx: Context) => Promise<R>;

/** In-flight count of one service, and whoever waits for it to drain. */
class Tracker {
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
  private readonly trackers = new Map<string, Tracker>();

  constructor(
    private readonly broker: ServiceBroker,
    options: TrackingOptions | undefined,
  ) {
    this.opts = { ...TRACKING_DEFAULTS, ...options };
  }

  get enabled(): boolean {
    return this.opts.enabled;
  }

  private tracker(service: string): Tracker {
    let t = this.trackers.get(service);
    if (!t) this.trackers.set(service, (t = new Tracker()));
    return t;
  }

  private wrap<R>(next: Handler<R>, service: string, name: string): Handler<R> {
    const t = this.tracker(service);
    const broker = this.broker;
    const onOk = (value: R) => {
      t.done();
      return value;
    };
    const onErr = (err: unknown) => {
      t.done();
      throw err;
    };
    return (ctx) => {
      if (broker.stopping && ctx.level === 1) {
        return Promise.reject(new ServiceNotAvailableError({ action: name, nodeID: broker.nodeID }));
      }
      t.inFlight++;
      return next(ctx).then(onOk, onErr);
    };
  }

  middleware(): Middleware {
    return {
      name: "ContextTracker",
      localAction: (next, endpoint) => (this.enabled ? this.wrap(next, endpoint.service.fullName, endpoint.action.name) : next),
      localEvent: (next, endpoint) => (this.enabled ? this.wrap(next, endpoint.service.fullName, endpoint.event.name) : next),
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
    const all = Promise.all([...[...this.trackers.values()].map((t) => t.drained()), extra?.()]);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), this.opts.shutdownTimeout);
    });
    const late = await Promise.race([all.then(() => false), timedOut]);
    clearTimeout(timer);
    if (late) {
      const err = new GracefulStopTimeoutError({ nodeID: this.broker.nodeID });
      this.broker.logger.error({ err, inFlight: this.inFlight() }, err.message);
    }
  }
}
