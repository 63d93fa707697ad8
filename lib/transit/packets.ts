/** Moleculer protocol v4 payloads (see shared/moleculer-protocol.md §3). */
export const PROTOCOL_VERSION = "4";

export interface PacketBase {
  ver: string;
  sender: string;
}

export interface RequestPacket extends PacketBase {
  id: string;
  action: string;
  params: unknown;
  meta: Record<string, unknown>;
  timeout: number | null;
  level: number;
  tracing: boolean | null;
  parentID: string | null;
  requestID: string;
  caller: string | null;
  stream: boolean;
  seq?: number;
}

export interface ResponsePacket extends PacketBase {
  id: string;
  success: boolean;
  data?: unknown;
  error?: unknown;
  meta: Record<string, unknown>;
  stream?: boolean;
  seq?: number;
}

export interface EventPacket extends PacketBase {
  id: string;
  event: string;
  data?: unknown;
  groups?: string[];
  broadcast: boolean;
  meta: Record<string, unknown>;
  level: number;
  tracing: boolean | null;
  parentID: string | null;
  requestID: string;
  caller: string | null;
  needAck: null;
}

/** A service as INFO carries it. */
export interface ServicePayload {
  name: string;
  version?: number | string;
  fullName: string;
  settings: Record<string, unknown>;
  metadata: Record<string, unknown>;
  dependencies?: unknown;
  actions: Record<string, ActionPayload>;
  events: Record<string, EventPayload>;
}

export interface ActionPayload {
  name: string;
  rawName?: string;
  visibility?: string;
  params?: unknown;
  timeout?: number;
  cache?: unknown;
  [extra: string]: unknown;
}

export interface EventPayload {
  name: string;
  group?: string;
  [extra: string]: unknown;
}

export interface InfoPacket extends PacketBase {
  services: ServicePayload[];
  ipList: string[];
  hostname: string;
  client: { type: string; version: string; langVersion: string };
  config: Record<string, unknown>;
  instanceID: string;
  metadata: Record<string, unknown>;
  seq: number;
}

export interface HeartbeatPacket extends PacketBase {
  cpu: number;
}

export interface PingPacket extends PacketBase {
  time: number;
  id: string;
}

/**
 * DISCONNECT: Moleculer sends only `ver`/`sender`. nucleon adds its
 * `instanceID` (Moleculer ignores extra fields), so a receiver can refuse a
 * DISCONNECT that does not come from the instance it knows.
 */
export interface DisconnectPacket extends PacketBase {
  instanceID?: string;
}

export interface PongPacket extends PingPacket {
  arrived: number;
}
