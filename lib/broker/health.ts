import type { HealthReport } from "../metrics/health";
import type { RegistryProbe } from "../metrics/metrics-middleware";
import type { Registry } from "../registry/registry";
import { dependencyNames } from "../service/describe";
import type { ServiceRuntime } from "../service/service-runtime";

/** What health is computed from. */
export interface HealthSource {
  readonly state: "created" | "starting" | "started" | "stopping" | "stopped";
  /** The transporter's state; null when the broker runs without one. */
  readonly transporterConnected: boolean | null;
  readonly localServices: readonly ServiceRuntime[];
  readonly registry: Registry;
}

/**
 * Live until stopped (a broker that is still starting is not dead); ready
 * once started, with the transporter connected (when there is one) and every
 * dependency a local service waits for available somewhere in the cluster.
 */
export function brokerHealth(s: HealthSource): HealthReport {
  const started = s.state === "started";
  const transporter =
    s.transporterConnected === null
      ? { ok: true, detail: "none configured" }
      : { ok: s.transporterConnected, detail: s.transporterConnected ? "connected" : "disconnected" };
  const missing = new Set<string>();
  for (const runtime of s.localServices) {
    for (const name of dependencyNames(runtime.descriptor)) if (!s.registry.hasService(name)) missing.add(name);
  }
  const dependencies = missing.size === 0 ? { ok: true } : { ok: false, detail: `missing: ${[...missing].join(", ")}` };
  return {
    live: s.state !== "stopped",
    ready: started && transporter.ok && dependencies.ok,
    checks: { started: { ok: started, detail: s.state }, transporter, dependencies },
  };
}

/** The registry gauges' view of the registry, read on each scrape. */
export function registryProbe(registry: Registry): RegistryProbe {
  return {
    nodes() {
      let online = 0;
      for (const node of registry.nodes.values()) if (node.available) online++;
      return { total: registry.nodes.size, online };
    },
    services: () => registry.getServices().length,
    actions: () => registry.actions.names().length,
    events() {
      const names = new Set<string>();
      for (const list of registry.events.all()) names.add(list.name);
      return names.size;
    },
  };
}
