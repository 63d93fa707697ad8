import { PROTOCOL_VERSION, type ProtocolVersion } from "./packets";

/** Transit settings, Moleculer's defaults (protocol doc §10). */
export interface TransitOptions {
  /** Max pending outgoing requests before `QueueIsFullError`. */
  maxQueueSize?: number;
  /** Accept packets of any protocol version (prefer the broker's `protocolVersion: "5"` to talk to Moleculer 0.15). */
  disableVersionCheck?: boolean;
  /**
   * Incoming packets larger than this (bytes) are dropped before decoding; 0 =
   * no limit of our own. The default is 0 because the transport already
   * bounds it (NATS: the server's `max_payload`, 1 MB by default, enforced on
   * the publisher) and Moleculer lets results of any size through, so a
   * default cap would break working apps on Redis; what made a small packet
   * dangerous was its nesting, which `maxPacketDepth` caps.
   */
  maxPacketSize?: number;
  /**
   * Incoming packets nested deeper than this (objects and arrays; the packet
   * is level 1, its `meta` level 2) are dropped before any handler: echoing
   * a 10,000-level meta overflows the stack. A REQ refused so gets an error
   * RES. 0 = no limit.
   */
  maxPacketDepth?: number;
  /** ms to wait for INFO replies after the first DISCOVER. */
  discoverWait?: number;
  /** ms to let peers see our empty INFO before draining at stop. */
  stopDelay?: number;
  /**
   * ms to wait for a PONG from a node after a request to it timed out; no
   * PONG takes the node out of selection until it is heard from again
   * (1000; 0 = off: only heartbeats tell).
   */
  suspectPingTimeout?: number;
  /** An INFO declaring more services is dropped with a warning (10,000; 0 = no limit). */
  maxInfoServices?: number;
  /** An INFO declaring more actions and events in all is dropped with a warning (100,000; 0 = no limit). */
  maxInfoEndpoints?: number;
  /**
   * ms `start()` waits for the transporter's first connection before it
   * rejects with `TransporterConnectTimeoutError` (30000; 0 = wait forever).
   */
  connectTimeout?: number;
  /** Stream chunks carry at most this many bytes (262144, Moleculer's default); smaller when the transport takes less. */
  maxChunkSize?: number;
  /**
   * Flow control between nucleon nodes: how many chunks a sender may have
   * in flight towards this node before it waits for credit (16, i.e. 4 MiB
   * of 256 KiB chunks). Announced in INFO (a field Moleculer ignores); 0
   * turns it off (senders then pace by the transport only).
   */
  streamWindow?: number;
}

export interface ResolvedTransitOptions {
  /** The broker's `protocolVersion`: what `ver` packets carry and must carry. */
  protocolVersion: ProtocolVersion;
  maxQueueSize: number;
  disableVersionCheck: boolean;
  maxPacketSize: number;
  maxPacketDepth: number;
  discoverWait: number;
  stopDelay: number;
  maxInfoServices: number;
  maxInfoEndpoints: number;
  suspectPingTimeout: number;
  connectTimeout: number;
  maxChunkSize: number;
  streamWindow: number;
  /** seconds */
  heartbeatInterval: number;
  /** seconds */
  heartbeatTimeout: number;
  /** seconds an offline node is remembered */
  cleanOfflineNodesTimeout: number;
}

export const TRANSIT_DEFAULTS: ResolvedTransitOptions = {
  protocolVersion: PROTOCOL_VERSION,
  maxQueueSize: 50_000,
  disableVersionCheck: false,
  maxPacketSize: 0,
  // Generous for real data (an INFO from Moleculer with nested param schemas is
  // under 15), far below what overflows the serializers (a few thousand).
  maxPacketDepth: 100,
  discoverWait: 500,
  stopDelay: 100,
  maxInfoServices: 10_000,
  maxInfoEndpoints: 100_000,
  suspectPingTimeout: 1000,
  connectTimeout: 30_000,
  maxChunkSize: 256 * 1024,
  streamWindow: 16,
  heartbeatInterval: 10,
  heartbeatTimeout: 30,
  cleanOfflineNodesTimeout: 600,
};
