import type { Cacher } from "../cachers/cacher";
import type { BulkheadReport, FaultObserver } from "../middleware/fault-observer";
import type { ActionEndpoint } from "../registry/endpoint";
import { METRICS } from "./definitions";
import type { MetricsRegistry } from "./metrics-registry";

/**
 * The fault-tolerance built-ins' observer port, feeding Moleculer's circuit
 * breaker, retry, fallback and bulkhead metrics. Breaker transitions, retries
 * and fallbacks are rare, so they go to prom-client directly; bulkhead levels
 * change per call, so they are plain numbers read on scrape.
 */
export function faultMetrics(m: MetricsRegistry): FaultObserver {
  const opened = m.gauge(METRICS.CIRCUIT_BREAKER_OPENED_ACTIVE);
  const openedTotal = m.counter(METRICS.CIRCUIT_BREAKER_OPENED_TOTAL);
  const halfOpened = m.gauge(METRICS.CIRCUIT_BREAKER_HALF_OPENED_ACTIVE);
  const retries = m.counter(METRICS.REQUEST_RETRY_ATTEMPTS_TOTAL);
  const fallbacks = m.counter(METRICS.REQUEST_FALLBACK_TOTAL);

  const levels: Array<{ kind: "action" | "event"; labels: Record<string, string>; inFlight: number; queued: number }> = [];
  const readLevels = (kind: "action" | "event", field: "inFlight" | "queued") => (g: { set(l: Record<string, string>, v: number): void }) => {
    for (const l of levels) if (l.kind === kind) g.set(l.labels, l[field]);
  };
  m.gauge(METRICS.REQUEST_BULKHEAD_INFLIGHT, readLevels("action", "inFlight"));
  m.gauge(METRICS.REQUEST_BULKHEAD_QUEUE_SIZE, readLevels("action", "queued"));
  m.gauge(METRICS.EVENT_BULKHEAD_INFLIGHT, readLevels("event", "inFlight"));
  m.gauge(METRICS.EVENT_BULKHEAD_QUEUE_SIZE, readLevels("event", "queued"));

  const breaker = (e: ActionEndpoint) => ({ affectedNodeID: e.id, service: e.service.fullName, action: e.action.name });
  const action = (e: ActionEndpoint) => ({ service: e.service.fullName, action: e.action.name });

  return {
    breakerOpened(e) {
      const labels = breaker(e);
      opened.set(labels, 1);
      openedTotal.inc(labels);
      halfOpened.set(labels, 0);
    },
    breakerHalfOpened(e) {
      const labels = breaker(e);
      opened.set(labels, 0);
      halfOpened.set(labels, 1);
    },
    breakerClosed(e) {
      const labels = breaker(e);
      opened.set(labels, 0);
      halfOpened.set(labels, 0);
    },
    retry: (e) => retries.inc(action(e)),
    fallback: (e) => fallbacks.inc(action(e)),
    bulkhead(kind, name, service): BulkheadReport {
      const level = { kind, labels: { [kind]: name, service }, inFlight: 0, queued: 0 };
      levels.push(level);
      return (inFlight, queued) => {
        level.inFlight = inFlight;
        level.queued = queued;
      };
    },
  };
}

/**
 * The cacher with its reads, hits, writes, deletes, cleans and expirations counted. A
 * Proxy, so the result is still `instanceof` the cacher's class and its own
 * methods run on the real instance; counts are plain numbers read on scrape.
 */
export function observedCacher(cacher: Cacher, m: MetricsRegistry): Cacher {
  const n = { get: 0, found: 0, set: 0, del: 0, clean: 0 };
  const flushed = { ...n };
  const counter = (def: (typeof METRICS)["CACHER_GET_TOTAL"], key: keyof typeof n) =>
    m.counter(def, (c) => {
      if (n[key] !== flushed[key]) c.inc(n[key] - flushed[key]);
      flushed[key] = n[key];
    });
  counter(METRICS.CACHER_GET_TOTAL, "get");
  counter(METRICS.CACHER_FOUND_TOTAL, "found");
  counter(METRICS.CACHER_SET_TOTAL, "set");
  counter(METRICS.CACHER_DEL_TOTAL, "del");
  counter(METRICS.CACHER_CLEAN_TOTAL, "clean");
  // Counted by the store itself (it expires entries on read and on its sweep); read on scrape.
  let expiredFlushed = 0;
  m.counter(METRICS.CACHER_EXPIRED_TOTAL, (c) => {
    const expired = cacher.expired ?? 0;
    if (expired > expiredFlushed) c.inc(expired - expiredFlushed);
    expiredFlushed = expired;
  });

  const read = (value: unknown) => {
    n.get++;
    if (value !== undefined) n.found++;
    return value;
  };
  const getSync = cacher.getSync;
  const wrapped: Partial<Cacher> = {
    get: (key) => cacher.get(key).then(read),
    getSync: getSync && ((key) => read(getSync.call(cacher, key))),
    set: (key, value, ttl) => {
      n.set++;
      return cacher.set(key, value, ttl);
    },
    del: (keys) => {
      n.del++;
      return cacher.del(keys);
    },
    clean: (pattern) => {
      n.clean++;
      return cacher.clean(pattern);
    },
  };
  return new Proxy(cacher, {
    get(target, prop) {
      if (typeof prop === "string" && prop in wrapped) return wrapped[prop as keyof Cacher];
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
