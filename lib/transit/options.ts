/** Transit settings, Moleculer's defaults (protocol doc §10). */
export interface TransitOptions {
  /** Max pending outgoing requests before `QueueIsFullError`. */
  maxQueueSize?: number;
  /** Accept packets of any protocol version (to talk to Moleculer 0.15's "5"). */
  disableVersionCheck?: boolean;
  /** Incoming packets larger than this (bytes) are dropped; 0 = no limit. */
  maxPacketSize?: number;
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
}

export interface ResolvedTransitOptions {
  maxQueueSize: number;
  disableVersionCheck: boolean;
  maxPacketSize: number;
  discoverWait: number;
  stopDelay: number;
  maxInfoServices: number;
  maxInfoEndpoints: number;
  suspectPingTimeout: number;
  /** seconds */
  heartbeatInterval: number;
  /** seconds */
  heartbeatTimeout: number;
  /** seconds an offline node is remembered */
  cleanOfflineNodesTimeout: number;
}

export const TRANSIT_DEFAULTS: ResolvedTransitOptions = {
  maxQueueSize: 50_000,
  disableVersionCheck: false,
  maxPacketSize: 0,
  discoverWait: 500,
  stopDelay: 100,
  maxInfoServices: 10_000,
  maxInfoEndpoints: 100_000,
  suspectPingTimeout: 1000,
  heartbeatInterval: 10,
  heartbeatTimeout: 30,
  cleanOfflineNodesTimeout: 600,
};
