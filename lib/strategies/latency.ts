import { BrokerOptionsError } from "../errors";
import { numberOption, pickLowest } from "./sampling";
import type { SelectableEndpoint, Strategy, StrategyServices } from "./strategy";

type EndpointNode = SelectableEndpoint["node"];

/**
 * Ping samples of one broker. The broker makes one strategy per endpoint list
 * (so per action), but they all share one monitor through the services object:
 * the cluster is pinged once per interval, not once per action (Moleculer gets
 * the same effect with its "latency master" instance).
 */
class LatencyMonitor {
  private readonly history = new Map<string, number[]>();
  private readonly averages = new Map<string, number>();
  /** Remote nodes met in `select`, to write `latency` on and to ping when the broker lists none. */
  private readonly seen = new Map<string, EndpointNode>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running = false;
  /** Bumped on every start/stop so a round still in flight after `stop()` schedules nothing. */
  private generation = 0;
  private round: Promise<void> | null = null;

  constructor(
    private readonly services: StrategyServices,
    private readonly collectCount: number,
    private readonly intervalMs: number,
  ) {}

  latency(endpoint: SelectableEndpoint): number | null {
    if (endpoint.local || endpoint.id === this.services.nodeID) {
      if (endpoint.node.latency !== 0) endpoint.node.latency = 0;
      return 0;
    }
    if (this.seen.get(endpoint.id) !== endpoint.node) this.seen.set(endpoint.id, endpoint.node);
    const average = this.averages.get(endpoint.id);
    if (average !== undefined) {
      // Sampled before this node object was seen: keep the registry's view current.
      if (endpoint.node.latency !== average) endpoint.node.latency = average;
      return average;
    }
    // Not sampled by us yet: use what the registry knows, if anything.
    const known = endpoint.node.latency;
    return typeof known === "number" && Number.isFinite(known) ? known : null;
  }

  averageOf(nodeID: string): number | null {
    return this.averages.get(nodeID) ?? null;
  }

  /** Starts the ping loop (idempotent): one round now, then one every interval. */
  start(): void {
    if (this.running || !this.services.ping) return;
    this.running = true;
    void this.loop(++this.generation);
  }

  stop(): void {
    this.running = false;
    this.generation++;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** One ping round over the known remote nodes; concurrent callers share the round in flight. */
  collect(): Promise<void> {
    this.round ??= this.pingAll().finally(() => {
      this.round = null;
    });
    return this.round;
  }

  private async loop(generation: number): Promise<void> {
    try {
      await this.collect();
    } catch {
      // A broken round (e.g. nodeIDs() threw) must not kill the loop nor go unhandled.
    }
    if (!this.running || generation !== this.generation) return;
    this.timer = setTimeout(() => void this.loop(generation), this.intervalMs);
    // An idle timer must not keep the process alive.
    this.timer.unref?.();
  }

  private async pingAll(): Promise<void> {
    const ping = this.services.ping;
    if (!ping) return;
    const listed = this.services.nodeIDs?.();
    if (listed) this.forgetAllBut(new Set(listed));
    const ids = (listed ?? Array.from(this.seen.keys())).filter((id) => id !== this.services.nodeID);
    await Promise.all(
      ids.map(async (id) => {
        let elapsed: number | null;
        try {
          elapsed = await ping(id);
        } catch {
          elapsed = null;
        }
        // A lost ping leaves the previous average in place, like Moleculer (no pong, no update).
        if (elapsed === null || !Number.isFinite(elapsed) || elapsed < 0) return;
        this.record(id, elapsed);
      }),
    );
  }

  private record(nodeID: string, elapsed: number): void {
    let samples = this.history.get(nodeID);
    if (!samples) this.history.set(nodeID, (samples = []));
    samples.push(elapsed);
    if (samples.length > this.collectCount) samples.shift();
    const average = samples.reduce((sum, value) => sum + value, 0) / samples.length;
    this.averages.set(nodeID, average);
    const node = this.seen.get(nodeID);
    if (node) node.latency = average;
  }

  /** Nodes that left the cluster: drop their samples, so a returning node starts afresh. */
  private forgetAllBut(current: Set<string>): void {
    for (const map of [this.history, this.averages, this.seen]) {
      for (const id of map.keys()) if (!current.has(id)) map.delete(id);
    }
  }
}

/** Per broker (services object), per ping settings: monitors with the same cadence are shared. */
const monitors = new WeakMap<StrategyServices, Map<string, LatencyMonitor>>();

function monitorFor(services: StrategyServices, collectCount: number, pingInterval: number): LatencyMonitor {
  let byConfig = monitors.get(services);
  if (!byConfig) monitors.set(services, (byConfig = new Map()));
  const key = `${collectCount}:${pingInterval}`;
  let monitor = byConfig.get(key);
  if (!monitor) byConfig.set(key, (monitor = new LatencyMonitor(services, collectCount, pingInterval * 1000)));
  return monitor;
}

/**
 * Lowest network latency (Moleculer's Latency): like CpuUsage, on the average
 * of the last `collectCount` ping round trips per node. Pinging needs the
 * broker's `services.ping`; it starts on the first `select` (an idle broker
 * never pings) and repeats every `pingInterval` seconds until `stop()`. The
 * local node counts as 0 ms. Without samples yet, a random endpoint.
 */
export class LatencyStrategy implements Strategy {
  readonly sampleCount: number;
  readonly lowLatency: number;
  readonly collectCount: number;
  readonly pingInterval: number;
  private readonly monitor: LatencyMonitor;
  private readonly metric = (endpoint: SelectableEndpoint): number | null => this.monitor.latency(endpoint);

  constructor(options: Record<string, unknown> = {}, services: StrategyServices = { nodeID: "" }) {
    this.sampleCount = numberOption(options, "sampleCount", 5);
    this.lowLatency = numberOption(options, "lowLatency", 10);
    this.collectCount = Math.floor(numberOption(options, "collectCount", 5));
    this.pingInterval = numberOption(options, "pingInterval", 10);
    if (this.collectCount < 1) throw new BrokerOptionsError("Latency strategy: 'collectCount' must be at least 1.", options);
    if (this.pingInterval <= 0) throw new BrokerOptionsError("Latency strategy: 'pingInterval' must be positive (seconds).", options);
    this.monitor = monitorFor(services, this.collectCount, this.pingInterval);
  }

  select<E extends SelectableEndpoint>(endpoints: readonly E[]): E {
    // Pick first: sampling registers the remote nodes the first ping round needs.
    const picked = pickLowest(endpoints, this.sampleCount, this.lowLatency, this.metric);
    this.monitor.start();
    return picked;
  }

  /** Runs one ping round now (the timer does this every `pingInterval`). */
  collect(): Promise<void> {
    return this.monitor.collect();
  }

  /** Average round trip to `nodeID` in ms, `null` before its first answered ping. */
  latencyOf(nodeID: string): number | null {
    return this.monitor.averageOf(nodeID);
  }

  /** Stops the ping timer (shared by the broker's Latency strategies); the next `select` restarts it. */
  stop(): void {
    this.monitor.stop();
  }
}
