import type { ServiceBroker } from "../broker/service-broker";
import type { RestAction, RestService } from "./aliases";

type Payload = { fullName?: unknown; name?: unknown; settings?: { rest?: unknown }; actions?: Record<string, { name?: unknown; rawName?: unknown; visibility?: unknown; rest?: unknown } | null> };

/** A remote node's services as its last INFO sent them (actions keep their `rest` option there). */
function remoteServices(rawInfo: Record<string, unknown> | null): Map<string, Payload> {
  const out = new Map<string, Payload>();
  const list = rawInfo?.services;
  if (!Array.isArray(list)) return out;
  for (const s of list as Payload[]) {
    const fullName = typeof s?.fullName === "string" ? s.fullName : typeof s?.name === "string" ? s.name : null;
    if (fullName !== null) out.set(fullName, s);
  }
  return out;
}

/**
 * Every service of the cluster with its actions' `rest` options, for
 * autoAliases: local ones from their descriptors, remote ones from the INFO
 * payload their node sent (the registry's descriptors of remote actions keep
 * only what calls need).
 */
export function restServices(broker: ServiceBroker): RestService[] {
  const out: RestService[] = [];
  const payloads = new Map<string, Map<string, Payload>>();
  for (const s of broker.registry.getServices()) {
    if (!s.node.available) continue;
    if (s.local) {
      out.push({
        fullName: s.fullName,
        rest: s.descriptor.settings.rest,
        actions: s.descriptor.actions.map((a) => ({ name: a.name, rawName: a.rawName, visibility: a.visibility, rest: a.options.rest })),
      });
      continue;
    }
    let byName = payloads.get(s.node.id);
    if (!byName) payloads.set(s.node.id, (byName = remoteServices(s.node.rawInfo)));
    const payload = byName.get(s.fullName);
    const actions: RestAction[] = [];
    for (const a of Object.values(payload?.actions ?? {})) {
      if (!a || typeof a.name !== "string") continue;
      actions.push({
        name: a.name,
        rawName: typeof a.rawName === "string" ? a.rawName : a.name.slice(s.fullName.length + 1),
        visibility: typeof a.visibility === "string" ? a.visibility : undefined,
        rest: a.rest,
      });
    }
    out.push({ fullName: s.fullName, rest: payload?.settings?.rest ?? s.settings.rest, actions });
  }
  return out;
}
