import { PluginRegistry, type PluginSpec } from "../utils/plugin-registry";
import { MemoryTransporter } from "./memory";
import { NatsTransporter } from "./nats";
import { RedisTransporter } from "./redis";
import { TcpTransporter } from "./tcp";
import type { Transporter } from "./transporter";

export * from "./transporter";
export { BaseTransporter, SubjectTransporter, topicName, commandFromTopic } from "./base";
export { NatsTransporter, type NatsTransporterOptions, type NatsClientOptions, type NatsClient } from "./nats";
export { RedisTransporter, type RedisTransporterOptions, type RedisClientOptions, type RedisClient } from "./redis";
export { TcpTransporter, PeerUnreachableError, type TcpTransporterOptions } from "./tcp";
export {
  MemoryBus,
  MemoryTransporter,
  sharedMemoryBus,
  type MemoryListener,
  type MemorySubscription,
  type MemoryTransporterOptions,
} from "./memory";

/** Duck-typed, so transporters from other packages (or test doubles) are accepted. */
export function isTransporter(value: unknown): value is Transporter {
  if (typeof value !== "object" || value === null) return false;
  const t = value as Partial<Record<keyof Transporter, unknown>>;
  return typeof t.publish === "function" && typeof t.subscribe === "function" && typeof t.connect === "function";
}

/**
 * Every transporter by name (any case) and by the URL schemes it declares.
 * Drivers load when a transporter is built, so registering costs nothing.
 * Users add theirs the same way: `Transporters.register("MQTT", MqttTransporter, { schemes: ["mqtt", "mqtts"] })`.
 */
export const Transporters = new PluginRegistry<Transporter>({ family: "transporter", isInstance: isTransporter })
  .register("NATS", NatsTransporter, { schemes: ["nats"] })
  .register("Redis", RedisTransporter, { schemes: ["redis", "rediss"] })
  .register("Memory", MemoryTransporter, { schemes: ["memory"] })
  .register("TCP", TcpTransporter, { schemes: ["tcp"] });

/** A transporter given by name, URL, `{ type, options }`, class or instance. */
export type TransporterSpec = PluginSpec<Transporter>;

/** `"memory"`, `"nats://127.0.0.1:4222"`, `{ type, options }`, a class or an instance → a transporter. */
export function resolveTransporter(spec: TransporterSpec): Transporter {
  return Transporters.resolve(spec);
}
