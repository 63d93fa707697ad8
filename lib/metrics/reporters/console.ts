import { every, nameFilter } from "./periodic";
import type { MetricReporter, ReporterHost } from "./reporter";

export interface ConsoleReporterOptions {
  /** Seconds between reports (5). */
  interval?: number;
  /** Prometheus names to log (`*` wildcards); the prefix's own metrics (`moleculer_*`) by default, not the process ones. */
  includes?: string | string[];
}

/**
 * Logs the metrics that have values, in Prometheus text, every `interval`
 * seconds through the broker's logger (one `info` line per report).
 */
export class ConsoleReporter implements MetricReporter {
  private stopTimer: () => void = () => undefined;

  constructor(private readonly options: ConsoleReporterOptions = {}) {}

  start(host: ReporterHost): void {
    const include = nameFilter(this.options.includes ?? `${host.metrics.prefix}*`);
    this.stopTimer = every(this.options.interval ?? 5, () => this.report(host, include), (err) =>
      host.broker.logger.warn({ err }, "Console metrics report failed"),
    );
  }

  /** One report now (the timer calls it; public so an owner can force one). */
  async report(host: ReporterHost, include: (name: string) => boolean = nameFilter(`${host.metrics.prefix}*`)): Promise<void> {
    const lines = (await host.metrics.text())
      .split("\n")
      .filter((line) => line !== "" && !line.startsWith("#") && include(line.split(/[{ ]/, 1)[0].replace(/_(bucket|sum|count)$/, "")));
    if (lines.length > 0) host.broker.logger.info({ metrics: lines.length }, `Metrics\n${lines.join("\n")}`);
  }

  stop(): void {
    this.stopTimer();
  }
}
