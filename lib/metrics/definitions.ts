/** What a metric is, in Moleculer's terms (its dotted name and label names), before a registry makes it. */
export interface MetricDefinition {
  /** Moleculer's name (`moleculer.request.total`); the Prometheus name is derived with `promName`. */
  readonly name: string;
  readonly type: "counter" | "gauge" | "histogram";
  readonly labels: readonly string[];
  readonly help: string;
  /** Moleculer's unit, carried in `$metrics.snapshot`. */
  readonly unit?: string;
}

const def = (
  name: string,
  type: MetricDefinition["type"],
  labels: readonly string[],
  help: string,
  unit?: string,
): MetricDefinition => ({ name, type, labels, help, unit });

const REQUEST = ["service", "action", "type", "caller"] as const;
const RECEIVED = ["service", "group", "event", "caller"] as const;
const BREAKER = ["affectedNodeID", "service", "action"] as const;

/**
 * Moleculer's metrics (its `metrics/constants.js`, and the labels its
 * middlewares, transit and registry give them), so dashboards built for
 * Moleculer read nucleon's. Times are in milliseconds, as there.
 */
export const METRICS = {
  REQUEST_TOTAL: def("moleculer.request.total", "counter", REQUEST, "Number of requests", "request"),
  REQUEST_ACTIVE: def("moleculer.request.active", "gauge", REQUEST, "Number of active requests", "request"),
  REQUEST_ERROR_TOTAL: def(
    "moleculer.request.error.total",
    "counter",
    [...REQUEST, "errorName", "errorCode", "errorType"],
    "Number of request errors",
    "request",
  ),
  REQUEST_TIME: def("moleculer.request.time", "histogram", REQUEST, "Request times in milliseconds", "msec"),
  REQUEST_LEVELS: def("moleculer.request.levels", "counter", ["level"], "Number of requests by call level", "request"),
  REQUEST_TIMEOUT_TOTAL: def("moleculer.request.timeout.total", "counter", ["service", "action"], "Number of timed out requests", "request"),
  REQUEST_RETRY_ATTEMPTS_TOTAL: def(
    "moleculer.request.retry.attempts.total",
    "counter",
    ["service", "action"],
    "Number of retries",
    "retry",
  ),
  REQUEST_FALLBACK_TOTAL: def("moleculer.request.fallback.total", "counter", ["service", "action"], "Number of fallbacked requests", "request"),
  REQUEST_BULKHEAD_INFLIGHT: def("moleculer.request.bulkhead.inflight", "gauge", ["action", "service"], "Number of in-flight calls"),
  REQUEST_BULKHEAD_QUEUE_SIZE: def("moleculer.request.bulkhead.queue.size", "gauge", ["action", "service"], "Number of queued calls"),
  EVENT_BULKHEAD_INFLIGHT: def("moleculer.event.bulkhead.inflight", "gauge", ["event", "service"], "Number of in-flight events"),
  EVENT_BULKHEAD_QUEUE_SIZE: def("moleculer.event.bulkhead.queue.size", "gauge", ["event", "service"], "Number of queued events"),

  EVENT_EMIT_TOTAL: def("moleculer.event.emit.total", "counter", ["event", "groups"], "Number of emitted events", "event"),
  EVENT_BROADCAST_TOTAL: def("moleculer.event.broadcast.total", "counter", ["event", "groups"], "Number of broadcast events", "event"),
  EVENT_BROADCASTLOCAL_TOTAL: def(
    "moleculer.event.broadcast-local.total",
    "counter",
    ["event", "groups"],
    "Number of local broadcast events",
    "event",
  ),
  EVENT_RECEIVED_TOTAL: def("moleculer.event.received.total", "counter", RECEIVED, "Number of received events", "event"),
  EVENT_RECEIVED_ACTIVE: def("moleculer.event.received.active", "gauge", RECEIVED, "Number of active event executions", "request"),
  EVENT_RECEIVED_ERROR_TOTAL: def(
    "moleculer.event.received.error.total",
    "counter",
    [...RECEIVED, "errorName", "errorCode", "errorType"],
    "Number of event execution errors",
    "request",
  ),
  EVENT_RECEIVED_TIME: def("moleculer.event.received.time", "histogram", RECEIVED, "Execution time of events in milliseconds", "msec"),

  TRANSIT_PUBLISH_TOTAL: def("moleculer.transit.publish.total", "counter", ["type"], "Number of published packets", "packet"),
  TRANSIT_RECEIVE_TOTAL: def("moleculer.transit.receive.total", "counter", ["type"], "Number of received packets", "packet"),
  TRANSIT_REQUESTS_ACTIVE: def("moleculer.transit.requests.active", "gauge", [], "Number of active remote requests", "request"),
  TRANSIT_ORPHAN_RESPONSE_TOTAL: def("moleculer.transit.orphan.response.total", "counter", [], "Number of orphan responses", "packet"),
  TRANSIT_PONG_TIME: def("moleculer.transit.pong.time", "gauge", ["targetNodeID"], "Ping round-trip time", "msec"),
  TRANSIT_PONG_SYSTIME_DIFF: def("moleculer.transit.pong.systime-diff", "gauge", ["targetNodeID"], "System time difference between nodes", "msec"),
  TRANSPORTER_PACKETS_SENT_TOTAL: def("moleculer.transporter.packets.sent.total", "counter", [], "Number of sent packets", "packet"),
  TRANSPORTER_PACKETS_SENT_BYTES: def("moleculer.transporter.packets.sent.bytes", "counter", [], "Number of sent bytes", "byte"),
  TRANSPORTER_PACKETS_RECEIVED_TOTAL: def(
    "moleculer.transporter.packets.received.total",
    "counter",
    [],
    "Number of received packets",
    "packet",
  ),
  TRANSPORTER_PACKETS_RECEIVED_BYTES: def(
    "moleculer.transporter.packets.received.bytes",
    "counter",
    [],
    "Number of received bytes",
    "byte",
  ),

  CIRCUIT_BREAKER_OPENED_ACTIVE: def("moleculer.circuit-breaker.opened.active", "gauge", BREAKER, "Number of active opened circuit breakers"),
  CIRCUIT_BREAKER_OPENED_TOTAL: def("moleculer.circuit-breaker.opened.total", "counter", BREAKER, "Number of opened circuit breakers"),
  CIRCUIT_BREAKER_HALF_OPENED_ACTIVE: def(
    "moleculer.circuit-breaker.half-opened.active",
    "gauge",
    BREAKER,
    "Number of active half-opened circuit breakers",
  ),

  CACHER_GET_TOTAL: def("moleculer.cacher.get.total", "counter", [], "Number of cache reads"),
  CACHER_FOUND_TOTAL: def("moleculer.cacher.found.total", "counter", [], "Number of cache hits"),
  CACHER_SET_TOTAL: def("moleculer.cacher.set.total", "counter", [], "Number of cache writes"),
  CACHER_DEL_TOTAL: def("moleculer.cacher.del.total", "counter", [], "Number of cache deletes"),
  CACHER_CLEAN_TOTAL: def("moleculer.cacher.clean.total", "counter", [], "Number of cache cleans"),
  CACHER_EXPIRED_TOTAL: def("moleculer.cacher.expired.total", "counter", [], "Number of expired cache entries"),

  REGISTRY_NODES_TOTAL: def("moleculer.registry.nodes.total", "gauge", [], "Number of known nodes"),
  REGISTRY_NODES_ONLINE_TOTAL: def("moleculer.registry.nodes.online.total", "gauge", [], "Number of online nodes"),
  REGISTRY_SERVICES_TOTAL: def("moleculer.registry.services.total", "gauge", [], "Number of services"),
  REGISTRY_ACTIONS_TOTAL: def("moleculer.registry.actions.total", "gauge", [], "Number of actions"),
  REGISTRY_EVENTS_TOTAL: def("moleculer.registry.events.total", "gauge", [], "Number of events"),
} as const;

/** Moleculer's default histogram buckets, in milliseconds. */
export const DEFAULT_BUCKETS: readonly number[] = [1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000];

/**
 * `moleculer.request.total` → `<prefix>request_total`: Moleculer's Prometheus
 * reporter's naming (dots and dashes to underscores), with its leading
 * `moleculer.` replaced by the prefix (`moleculer_` by default).
 */
export function promName(name: string, prefix: string): string {
  return prefix + name.replace(/^moleculer\./, "").replace(/[.-]/g, "_");
}
