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
   * ms `start()` waits for the transporter's first connection before it
   * rejects with `TransporterConnectTimeoutError` (30000; 0 = wait forever).
   */
  connectTimeout?: number;
}

export interface ResolvedTransitOptions {
  maxQueueSize: number;
  disableVersionCheck: boolean;
  maxPacketSize: number;
  discoverWait: number;
  stopDelay: number;
  connectTimeout: number;
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
  connectTimeout: 30_000,
  heartbeatInterval: 10,
  heartbeatTimeout: 30,
  cleanOfflineNodesTimeout: 600,
};
