/** Moleculer protocol payloads, v4 and v5 (see shared/moleculer-protocol.md §3 and §11). */

/** `"4"`: Moleculer 0.14; `"5"`: Moleculer 0.15 (the same packets plus `headers` on REQ, RES and EVENT). */
export type ProtocolVersion = "4" | "5";
export const PROTOCOL_VERSIONS: readonly ProtocolVersion[] = ["4", "5"];
/** The default: what Moleculer 0.14 speaks. */
export const PROTOCOL_VERSION: ProtocolVersion = "4";

/** v5 call, response and event headers (`ctx.headers`, `ctx.responseHeaders`). */
export type PacketHeaders = Record<string, unknown>;

export type PacketBase = {
  ver: string;
  sender: string;
};

/*
 * The payloads below are what a receiver may rely on once `checkPacket`
 * (packet-guards.ts) accepted a packet: a required field is there with its
 * type; an optional one is absent, `null` where the protocol allows it, or
 * of its type. Moleculer drops `undefined` fields and treats missing and
 * `null` alike, so only what a handler cannot do without is required.
 */

export interface RequestPacket extends PacketBase {
  id: string;
  action: string;
  params?: unknown;
  meta?: Record<string, unknown> | null;
  /** v5 only: the call's `headers`. */
  headers?: PacketHeaders | null;
  /** ms, may be fractional; `0` or `null`: none. */
  timeout?: number | null;
  level?: number | null;
  tracing?: boolean | null;
  parentID?: string | null;
  requestID?: string | null;
  caller?: string | null;
  stream?: boolean | null;
  /** Present (and required) only in stream packets. */
  seq?: number | null;
  /** nucleon only, on seq 0 of a stream: the sender waits for `credit` (see transit/streams). */
  window?: number | null;
  /** nucleon only: credit for the response stream of request `id` (see transit/streams). */
  credit?: number | null;
}

export interface ResponsePacket extends PacketBase {
  id: string;
  success: boolean;
  data?: unknown;
  /** An object whenever `success` is false. */
  error?: unknown;
  meta?: Record<string, unknown> | null;
  /** v5 only: the handler's `ctx.responseHeaders`. */
  headers?: PacketHeaders | null;
  stream?: boolean | null;
  seq?: number | null;
  /** nucleon only, on seq 0 of a stream: the sender waits for `credit` (see transit/streams). */
  window?: number | null;
  /** nucleon only: credit for the request stream of request `id` (see transit/streams). */
  credit?: number | null;
}

export interface EventPacket extends PacketBase {
  id?: string | null;
  event: string;
  data?: unknown;
  /** Omitted for a plain broadcast. */
  groups?: string[] | null;
  broadcast?: boolean | null;
  meta?: Record<string, unknown> | null;
  /** v5 only: the emit's `headers`. */
  headers?: PacketHeaders | null;
  level?: number | null;
  tracing?: boolean | null;
  parentID?: string | null;
  requestID?: string | null;
  caller?: string | null;
  /** Always `null` (unused by Moleculer); not checked. */
  needAck?: unknown;
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

/**
 * INFO. Its services are checked one by one as they are registered (a
 * malformed one is dropped alone); the packet itself only needs a
 * `services` array of named objects.
 */
// A type, not an interface: it stays assignable to a plain record (`NodeInfo.rawInfo`, `publish`).
export type InfoPacket = PacketBase & {
  services: ServicePayload[];
  ipList?: string[] | null;
  hostname?: string | null;
  client?: { type: string; version: string; langVersion: string } | null;
  config?: Record<string, unknown> | null;
  instanceID?: string | null;
  metadata?: Record<string, unknown> | null;
  seq?: number | null;
};

/** DISCOVER: Moleculer sends only `ver`/`sender`; nucleon adds its `instanceID` (see NodeIdConflict). */
export interface DiscoverPacket extends PacketBase {
  instanceID?: string | null;
}

export interface HeartbeatPacket extends PacketBase {
  /** CPU percent. */
  cpu?: number | null;
}

export interface PingPacket extends PacketBase {
  /** The pinger's clock, ms since the epoch. */
  time: number;
  id?: string | null;
}

/**
 * DISCONNECT: Moleculer sends only `ver`/`sender`. nucleon adds its
 * `instanceID` (Moleculer ignores extra fields), so a receiver can refuse a
 * DISCONNECT that does not come from the instance it knows.
 */
export interface DisconnectPacket extends PacketBase {
  instanceID?: string | null;
}

/** PONG echoes the PING's `time` and `id` (our PINGs always carry one: an answer without it answers nothing). */
export interface PongPacket extends PacketBase {
  time: number;
  id: string;
  /** The responder's clock when the PING arrived. */
  arrived: number;
}

/** An incoming packet that passed its guard, keyed by the command of its topic. */
export type IncomingPacket =
  | { cmd: "REQ" | "REQB"; payload: RequestPacket }
  | { cmd: "RES"; payload: ResponsePacket }
  | { cmd: "EVENT" | "EVENTB"; payload: EventPacket }
  | { cmd: "INFO"; payload: InfoPacket }
  | { cmd: "DISCOVER"; payload: DiscoverPacket }
  | { cmd: "HEARTBEAT"; payload: HeartbeatPacket }
  | { cmd: "PING"; payload: PingPacket }
  | { cmd: "PONG"; payload: PongPacket }
  | { cmd: "DISCONNECT"; payload: DisconnectPacket };
