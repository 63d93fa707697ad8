import { hostname, networkInterfaces } from "node:os";
import type { ActionDescriptor, EventDescriptor, ServiceDescriptor } from "../service/descriptor";
import { redactCredentials } from "../utils/redact";
import { STREAM_WINDOW_FIELD } from "./streams";
import type { ActionPayload, EventPayload, InfoPacket, ServicePayload } from "./packets";
import type { TransitHost } from "./transit-host";

const NUCLEON_VERSION = "0.1.0";

/** What INFO tells of this node. */
export type LocalNodeSource = Pick<TransitHost, "instanceID" | "metadata" | "localNode" | "localServices">;

/** This node's INFO (without ver/sender); while leaving, an empty service list. */
export function buildInfo(local: LocalNodeSource, leaving: boolean, streamWindow = 0): Omit<InfoPacket, "ver" | "sender"> {
  const services = leaving ? [] : local.localServices().map(descriptorToPayload);
  return {
    services,
    ipList: ipList(),
    hostname: hostname(),
    client: { type: "nodejs", version: NUCLEON_VERSION, langVersion: process.version },
    config: {},
    instanceID: local.instanceID,
    // Published to every peer: a URL password or a `token` key put there by mistake is masked.
    metadata: redactCredentials(local.metadata) as Record<string, unknown>,
    seq: local.localNode.seq,
    // nucleon peers grant stream credit (Moleculer ignores the field); absent when off.
    ...(streamWindow > 0 ? { [STREAM_WINDOW_FIELD]: streamWindow } : {}),
  };
}

/** External IPv4 addresses; loopback only when there are none. */
function ipList(): string[] {
  const external: string[] = [];
  const internal: string[] = [];
  for (const list of Object.values(networkInterfaces())) {
    for (const iface of list ?? []) {
      if (iface.family !== "IPv4") continue;
      (iface.internal ? internal : external).push(iface.address);
    }
  }
  return external.length > 0 ? external : internal;
}

/**
 * Local descriptors ⇄ the `services` of an INFO packet. What crosses must be
 * plain JSON: a DTO class schema does not travel (the owning node validates).
 */
export function descriptorToPayload(d: ServiceDescriptor): ServicePayload {
  const actions: Record<string, ActionPayload> = {};
  for (const a of d.actions) {
    if (a.visibility === "private") continue;
    actions[a.name] = {
      ...plain(a.options),
      name: a.name,
      rawName: a.rawName,
      visibility: a.visibility,
      ...(isPlainSchema(a.params) ? { params: a.params } : {}),
      ...(a.timeout !== undefined ? { timeout: a.timeout } : {}),
      ...(a.cache ? { cache: a.cache.keys ? { keys: a.cache.keys, ttl: a.cache.ttl } : true } : {}),
    };
  }
  const events: Record<string, EventPayload> = {};
  for (const e of d.events) events[e.name] = { ...plain(e.options), name: e.name, group: e.group };
  return {
    name: d.name,
    ...(d.version !== undefined ? { version: d.version } : {}),
    fullName: d.fullName,
    settings: publicSettings(d.settings),
    metadata: d.metadata,
    ...(d.dependencies.length > 0 ? { dependencies: d.dependencies } : {}),
    actions,
    events,
  };
}

/** A remote service as a descriptor; protected/private actions are not callable from here. */
export function payloadToDescriptor(s: ServicePayload): ServiceDescriptor {
  const fullName = typeof s.fullName === "string" ? s.fullName : s.name;
  const actions: ActionDescriptor[] = [];
  for (const a of Object.values(s.actions ?? {})) {
    if (!a || typeof a.name !== "string") continue;
    if (a.visibility === "protected" || a.visibility === "private") continue;
    const rawName = typeof a.rawName === "string" ? a.rawName : a.name.slice(fullName.length + 1);
    actions.push({
      name: a.name,
      rawName,
      method: rawName,
      visibility: a.visibility === "public" ? "public" : "published",
      params: false,
      timeout: typeof a.timeout === "number" ? a.timeout : undefined,
      options: {},
    });
  }
  const events: EventDescriptor[] = [];
  for (const [key, e] of Object.entries(s.events ?? {})) {
    const name = e && typeof e.name === "string" ? e.name : key;
    events.push({ name, group: typeof e?.group === "string" ? e.group : s.name, method: name, options: {} });
  }
  return {
    name: s.name,
    version: s.version,
    fullName,
    settings: isRecord(s.settings) ? s.settings : {},
    metadata: isRecord(s.metadata) ? s.metadata : {},
    dependencies: [],
    actions,
    events,
  };
}

/** Keys listed in `settings.$secureSettings` never leave the node. */
function publicSettings(settings: Record<string, unknown>): Record<string, unknown> {
  const secure = settings.$secureSettings;
  if (!Array.isArray(secure)) return plain(settings);
  const out = plain(settings);
  for (const key of secure) delete out[String(key)];
  delete out.$secureSettings;
  return out;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isPlainSchema(v: unknown): v is Record<string, unknown> {
  return isRecord(v) && Object.getPrototypeOf(v) === Object.prototype;
}

/** A JSON-safe copy (functions and classes vanish, as Moleculer's JSON pass does). */
function plain(v: Record<string, unknown>): Record<string, unknown> {
  try {
    return JSON.parse(JSON.stringify(v)) as Record<string, unknown>;
  } catch {
    return {};
  }
}
