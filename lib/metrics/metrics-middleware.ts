import type { EmitFunction, EmitOptions } from "../context/context";
import { RequestTimeoutError } from "../errors";
import { isFulfilled } from "../middleware/fulfilled";
import type { Middleware } from "../middleware/middleware";
import type { ActionEndpoint, ActionHandler, EventEndpoint, EventHandler } from "../registry/endpoint";
import { type Labels, type RequestCell, TimingPolicy } from "./cells";
import { METRICS } from "./definitions";
import type { MetricsRegistry } from "./metrics-registry";

/** Under a burst, one call in this many per endpoint and caller reads the clock (`MetricsOptions.timeEvery`). */
export const DEFAULT_TIME_EVERY = 16;

/** What the registry gauges read on each scrape (a port: the broker implements it). */
export interface RegistryProbe {
  nodes(): { total: number; online: number };
  services(): number;
  actions(): number;
  events(): number;
}

/** What transit counts itself, read on each scrape (a port: the broker implements it). */
export interface TransitProbe {
  /** Responses that matched no pending request, since start. */
  orphanResponses(): number;
}

const now = () => performance.now();
/** The start time of a call that is not timed (see `TimingPolicy`). */
const UNTIMED = -1;
const finish = (cell: RequestCell, start: number): void => (start === UNTIMED ? cell.hold() : cell.observe(now() - start));

/** Moleculer's error labels; rare path, so a label object per error is fine. */
function errorLabels(base: Labels, err: unknown): Labels {
  const e = (err ?? {}) as { name?: unknown; code?: unknown; type?: unknown };
  return { ...base, errorName: String(e.name ?? "null"), errorCode: String(e.code ?? "null"), errorType: String(e.type ?? "null") };
}

/** Counts by a small key set (packet types: one lookup per packet, next to its serialization), handed to a counter on scrape. */
class KeyedCounts {
  private readonly counts = new Map<string | number, { n: number; flushed: number }>();
  bump(key: string | number): void {
    const c = this.counts.get(key);
    if (c) c.n++;
    else this.counts.set(key, { n: 1, flushed: 0 });
  }
  flush(counter: { inc(labels: Labels, value: number): void }, label: string): void {
    for (const [key, c] of this.counts) {
      if (c.n !== c.flushed) counter.inc({ [label]: key }, c.n - c.flushed);
      c.flushed = c.n;
    }
  }
}

/** Counts by call level: an array indexed by level, so a call costs no lookup. */
class LevelCounts {
  private readonly n: number[] = [];
  private readonly flushed: number[] = [];
  bump(level: number): void {
    this.n[level] = (this.n[level] ?? 0) + 1;
  }
  flush(counter: { inc(labels: Labels, value: number): void }): void {
    this.n.forEach((n, level) => {
      const before = this.flushed[level] ?? 0;
      if (n !== before) counter.inc({ level }, n - before);
      this.flushed[level] = n;
    });
  }
}

/** A counter bumped as a plain number and handed to prom-client on scrape. */
class Tally {
  n = 0;
  private flushed = 0;
  flush(counter: { inc(value: number): void }): void {
    if (this.n !== this.flushed) counter.inc(this.n - this.flushed);
    this.flushed = this.n;
  }
}

/**
 * Moleculer's request, event, transit and transporter metrics as one
 * middleware. Each wrapper is built once per endpoint and holds that
 * endpoint's cells: a call bumps plain numbers and reads the clock twice.
 * It goes outside the built-ins, so a request's time covers retries,
 * timeouts and fallbacks, as in Moleculer.
 */
export function metricsMiddleware(m: MetricsRegistry, probe?: RegistryProbe, transit?: TransitProbe, timeEvery = DEFAULT_TIME_EVERY): Middleware {
  const timing = new TimingPolicy(Math.max(1, Math.floor(timeEvery)));
  const requests = m.requestFamily(METRICS.REQUEST_TOTAL, METRICS.REQUEST_ACTIVE, METRICS.REQUEST_TIME);
  const requestErrors = m.counter(METRICS.REQUEST_ERROR_TOTAL);
  const timeouts = m.counter(METRICS.REQUEST_TIMEOUT_TOTAL);
  const levels = new LevelCounts();
  m.counter(METRICS.REQUEST_LEVELS, (c) => levels.flush(c));

  const received = m.requestFamily(METRICS.EVENT_RECEIVED_TOTAL, METRICS.EVENT_RECEIVED_ACTIVE, METRICS.EVENT_RECEIVED_TIME);
  const receivedErrors = m.counter(METRICS.EVENT_RECEIVED_ERROR_TOTAL);
  const emits = m.counter(METRICS.EVENT_EMIT_TOTAL);
  const broadcasts = m.counter(METRICS.EVENT_BROADCAST_TOTAL);
  const localBroadcasts = m.counter(METRICS.EVENT_BROADCASTLOCAL_TOTAL);

  const published = new KeyedCounts();
  const receivedPackets = new KeyedCounts();
  m.counter(METRICS.TRANSIT_PUBLISH_TOTAL, (c) => published.flush(c, "type"));
  m.counter(METRICS.TRANSIT_RECEIVE_TOTAL, (c) => receivedPackets.flush(c, "type"));
  let remoteActive = 0;
  m.gauge(METRICS.TRANSIT_REQUESTS_ACTIVE, (g) => g.set(remoteActive));
  const pongTime = m.gauge(METRICS.TRANSIT_PONG_TIME);
  const pongDiff = m.gauge(METRICS.TRANSIT_PONG_SYSTIME_DIFF);
  const sent = new Tally();
  const sentBytes = new Tally();
  const got = new Tally();
  const gotBytes = new Tally();
  m.counter(METRICS.TRANSPORTER_PACKETS_SENT_TOTAL, (c) => sent.flush(c));
  m.counter(METRICS.TRANSPORTER_PACKETS_SENT_BYTES, (c) => sentBytes.flush(c));
  m.counter(METRICS.TRANSPORTER_PACKETS_RECEIVED_TOTAL, (c) => got.flush(c));
  m.counter(METRICS.TRANSPORTER_PACKETS_RECEIVED_BYTES, (c) => gotBytes.flush(c));

  if (transit) {
    let flushed = 0;
    m.counter(METRICS.TRANSIT_ORPHAN_RESPONSE_TOTAL, (c) => {
      const n = transit.orphanResponses();
      if (n > flushed) c.inc(n - flushed);
      flushed = n;
    });
  }

  if (probe) {
    m.gauge(METRICS.REGISTRY_NODES_TOTAL, (g) => g.set(probe.nodes().total));
    m.gauge(METRICS.REGISTRY_NODES_ONLINE_TOTAL, (g) => g.set(probe.nodes().online));
    m.gauge(METRICS.REGISTRY_SERVICES_TOTAL, (g) => g.set(probe.services()));
    m.gauge(METRICS.REGISTRY_ACTIONS_TOTAL, (g) => g.set(probe.actions()));
    m.gauge(METRICS.REGISTRY_EVENTS_TOTAL, (g) => g.set(probe.events()));
  }

  const wrapAction = (type: "local" | "remote") => (next: ActionHandler, endpoint: ActionEndpoint): ActionHandler => {
    const base = { service: endpoint.service.fullName, action: endpoint.action.name, type };
    const cells = requests.callerCells(base);
    const remote = type === "remote";
    const failed = (err: unknown, caller: string | number | undefined) => {
      requestErrors.inc(errorLabels({ ...base, caller: caller ?? "null" }, err));
      if (err instanceof RequestTimeoutError) timeouts.inc({ service: base.service, action: base.action });
    };
    return (ctx) => {
      const cell = cells.of(ctx.caller);
      cell.total++;
      cell.active++;
      levels.bump(ctx.level);
      if (remote) remoteActive++;
      const start = timing.timeNext(cell) ? now() : UNTIMED;
      const result = next(ctx);
      // A synchronous handler's answer is already there: no `.then`, no microtask (remote calls never are).
      if (isFulfilled(result)) {
        finish(cell, start);
        return result;
      }
      return result.then(
        (res) => {
          finish(cell, start);
          if (remote) remoteActive--;
          return res;
        },
        (err: unknown) => {
          finish(cell, start);
          if (remote) remoteActive--;
          failed(err, cell.labels.caller);
          throw err;
        },
      );
    };
  };

  const wrapEvent = (next: EventHandler, endpoint: EventEndpoint): EventHandler => {
    const base = { service: endpoint.service.fullName, group: endpoint.event.group, event: endpoint.event.name };
    const cells = received.callerCells(base);
    return (ctx) => {
      const cell = cells.of(ctx.caller);
      cell.total++;
      cell.active++;
      const start = timing.timeNext(cell) ? now() : UNTIMED;
      const done = next(ctx);
      if (isFulfilled(done)) {
        finish(cell, start);
        return done;
      }
      return done.then(
        () => finish(cell, start),
        (err: unknown) => {
          finish(cell, start);
          receivedErrors.inc(errorLabels({ ...base, caller: cell.labels.caller }, err));
          throw err;
        },
      );
    };
  };

  const countEmits = (counter: typeof emits) => (next: EmitFunction): EmitFunction => {
    return (event, payload, options) => {
      counter.inc({ event, groups: groupsLabel(options) });
      return next(event, payload, options);
    };
  };

  return {
    name: "Metrics",
    localAction: wrapAction("local"),
    remoteAction: wrapAction("remote"),
    localEvent: wrapEvent,
    emit: countEmits(emits),
    broadcast: countEmits(broadcasts),
    broadcastLocal: (next) => {
      const counted = countEmits(localBroadcasts)(next);
      // Transit announces each PONG as `$node.pong` through this verb: Moleculer's pong gauges come from it.
      return (event, payload, options) => {
        if (event === "$node.pong") {
          const pong = payload as { nodeID: string; elapsedTime: number; timeDiff: number };
          pongTime.set({ targetNodeID: pong.nodeID }, pong.elapsedTime);
          pongDiff.set({ targetNodeID: pong.nodeID }, pong.timeDiff);
        }
        return counted(event, payload, options);
      };
    },
    transitPublish: (next) => (packet) => {
      published.bump(packet.type);
      return next(packet);
    },
    transporterSend: (next) => (topic, data, meta) => {
      sent.n++;
      sentBytes.n += data.length;
      return next(topic, data, meta);
    },
    transporterReceive: (next) => (cmd, data, source) => {
      got.n++;
      gotBytes.n += data.length;
      receivedPackets.bump(cmd);
      return next(cmd, data, source);
    },
  };
}

function groupsLabel(options: EmitOptions | undefined): string {
  const groups = options?.groups;
  if (groups === undefined) return "null";
  return Array.isArray(groups) ? groups.join(",") : groups;
}
