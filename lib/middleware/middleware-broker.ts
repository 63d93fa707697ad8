import type { Logger } from "pino";
import type { ContextBroker } from "../context/context";

/** The resolved broker options a middleware may read (a subset: the full type lives above `middleware/`). */
export interface MiddlewareBrokerOptions {
  readonly nodeID: string;
  readonly namespace: string;
  /** Default call timeout in ms (0 = none). */
  readonly requestTimeout: number;
  /** 0 = unlimited. */
  readonly maxCallLevel: number;
  readonly metadata: Record<string, unknown>;
  /** `"5"`: packets carry `headers` (tracing adds W3C `traceparent` there); default `"4"`. */
  readonly protocolVersion?: "4" | "5";
}

/**
 * What a middleware sees of the broker: the verbs (`call`, `emit`, …), its
 * identity, logger and options, its lifecycle state, and its local services
 * (the fallback middleware finds an action's fallback method there). A port:
 * `ServiceBroker` implements it, so a middleware typed against it runs in
 * any broker, and a spec can hand it a small fake.
 */
export interface MiddlewareBroker extends ContextBroker {
  readonly logger: Logger;
  readonly options: MiddlewareBrokerOptions;
  /** True once `start()` finished, until `stop()` begins. */
  readonly started: boolean;
  /** True while `stop()` drains in-flight work. */
  readonly stopping: boolean;
  /** The running instance of a local service, by full name. */
  getLocalService(fullName: string): object | undefined;
}
