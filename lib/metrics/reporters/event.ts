import { metricsSnapshot } from "../snapshot";
import { every, nameFilter } from "./periodic";
import type { MetricReporter, ReporterHost } from "./reporter";

export interface EventReporterOptions {
  /** `$metrics.snapshot` (Moleculer's). */
  eventName?: string;
  /** Broadcast instead of emit (false). */
  broadcast?: boolean;
  groups?: string | string[];
  /** Seconds between snapshots (5); 0 = only when `send()` is called. */
  interval?: number;
  /** Prometheus names to send (`*` wildcards); all by default. */
  includes?: string | string[];
}

/**
 * Moleculer's Event reporter: every `interval` seconds, emits (or
 * broadcasts) the list of metrics in Moleculer's `registry.list()` shape —
 * `{ type, name, description, labelNames, unit, values }`, Moleculer's dotted
 * names for its metrics — so tools built for Moleculer read it.
 */
export class EventReporter implements MetricReporter {
  private stopTimer: () => void = () => undefined;
  private host: ReporterHost | null = null;
  private readonly include: (name: string) => boolean;

  constructor(private readonly options: EventReporterOptions = {}) {
    this.include = nameFilter(options.includes);
  }

  start(host: ReporterHost): void {
    this.host = host;
    this.stopTimer = every(this.options.interval ?? 5, () => this.send(), (err) =>
      host.broker.logger.warn({ err }, "Metrics snapshot event failed"),
    );
  }

  /** Sends one snapshot now (once the broker has started: before, there is nobody to receive it). */
  async send(): Promise<void> {
    const host = this.host;
    if (!host || !host.broker.started) return;
    const list = await metricsSnapshot(host.metrics, this.include);
    if (list.length === 0) return;
    const { eventName = "$metrics.snapshot", broadcast = false, groups } = this.options;
    const opts = groups === undefined ? undefined : { groups };
    if (broadcast) await host.broker.broadcast(eventName, list, opts);
    else await host.broker.emit(eventName, list, opts);
  }

  stop(): void {
    this.stopTimer();
    this.host = null;
  }
}
