import { resolvePlugin, type PluginClass, type PluginFamily, type PluginSpec } from "../utils/resolve-plugin";
import { MemoryTransporter } from "./memory";
import { NatsTransporter } from "./nats";
import { RedisTransporter } from "./redis";
import type { Transporter } from "./transporter";

export * from "./transporter";
export { BaseTransporter, SubjectTransporter, topicName, commandFromTopic } from "./base";
export { NatsTransporter, type NatsTransporterOptions } from "./nats";
export { RedisTransporter, type RedisTransporterOptions } from "./redis";
export {
  MemoryBus,
  MemoryTransporter,
  sharedMemoryBus,
  type MemoryListener,
  type MemorySubscription,
  type MemoryTransporterOptions,
} from "./memory";

/** Name → class; names match case-insensitively (`"nats"`, `"Redis"`, `"memory"`). */
export const Transporters: Record<string, PluginClass<Transporter>> = {
  NATS: NatsTransporter,
  Redis: RedisTransporter,
  Memory: MemoryTransporter,
};

function isTransporter(value: unknown): value is Transporter {
  if (typeof value !== "object" || value === null) return false;
  const t = value as Partial<Record<keyof Transporter, unknown>>;
  return typeof t.publish === "function" && typeof t.subscribe === "function" && typeof t.connect === "function";
}

const family: PluginFamily<Transporter> = {
  family: "transporter",
  table: Transporters,
  schemes: { nats: "NATS", redis: "Redis", rediss: "Redis", memory: "Memory" },
  isInstance: isTransporter,
};

/** `"memory"`, `"nats://127.0.0.1:4222"`, `{ type, options }` or an instance → a transporter. */
export function resolveTransporter(spec: PluginSpec<Transporter>): Transporter {
  return resolvePlugin(family, spec);
}
