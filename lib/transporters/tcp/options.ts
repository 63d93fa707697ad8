import { BrokerOptionsError } from "../../errors";

/** Moleculer's TCP transporter options, plus `host` and the socket guards. */
export interface TcpTransporterOptions {
  /** Send and listen for UDP discovery datagrams. Default true. */
  udpDiscovery?: boolean;
  /** Default 4445. */
  udpPort?: number;
  /** The interface multicast goes out on and the broadcast socket binds to; every IPv4 interface when unset. */
  udpBindAddress?: string | null;
  /** Seconds between discovery datagrams. Default 30. */
  udpPeriod?: number;
  /** Let several processes of one host share `udpPort`. Default true. */
  udpReuseAddr?: boolean;
  /** Stop after this many datagrams; 0 never stops. */
  udpMaxDiscovery?: number;
  /** Multicast group, `"239.0.0.0"` by default; null or false: none. */
  udpMulticast?: string | null | false;
  udpMulticastTTL?: number;
  /** Broadcast too: true (every interface's broadcast address), one address or a list. Default false. */
  udpBroadcast?: boolean | string | string[];
  /** TCP port to listen on; random when unset (or taken from this node's entry in `urls`). */
  port?: number | null;
  /** Static peers: `"host:port/nodeID,…"`, an array of those, `{ nodeID: "host:port" }` or `"file://path"`. */
  urls?: string | string[] | Record<string, string> | null;
  /** Reach a node by its hostname rather than its first IP when no address was learned. Default true. */
  useHostname?: boolean;
  /** Seconds between gossip rounds. Default 2. */
  gossipPeriod?: number;
  /** Outgoing sockets kept open at most; the least recently used closes first. Default 32. */
  maxConnections?: number;
  /** Largest frame accepted, header included. Default 1 MiB. */
  maxPacketSize?: number;
  /** Address the TCP server binds (Moleculer always binds every interface). Default: every interface. */
  host?: string;
  /** A socket must deliver its first whole frame within this many ms, else it is closed. Default 10 s. */
  handshakeTimeout?: number;
  /** An incoming socket with no frame for this many ms is closed; 0 never. Default 10 min. */
  idleTimeout?: number;
  /** A frame started but not finished for this many ms closes its socket (slow senders). Default 30 s. */
  frameTimeout?: number;
  /** `tcp://host:port` (this node's listen address) or `tcp://host:port/nodeID,…` (peers), from a transporter URL. */
  url?: string;
}

export type ResolvedTcpOptions = Required<Omit<TcpTransporterOptions, "url" | "port" | "host" | "urls">> & {
  port: number;
  host: string | undefined;
  urls: TcpTransporterOptions["urls"];
};

const DEFAULTS = {
  udpDiscovery: true,
  udpPort: 4445,
  udpBindAddress: null,
  udpPeriod: 30,
  udpReuseAddr: true,
  udpMaxDiscovery: 0,
  udpMulticast: "239.0.0.0",
  udpMulticastTTL: 1,
  udpBroadcast: false,
  useHostname: true,
  gossipPeriod: 2,
  maxConnections: 32,
  maxPacketSize: 1024 * 1024,
  handshakeTimeout: 10_000,
  idleTimeout: 600_000,
  frameTimeout: 30_000,
} satisfies Partial<ResolvedTcpOptions>;

/**
 * Defaults filled in and checked. A `tcp://` URL (or a bare string, as
 * Moleculer takes) lists peers; a single entry without a nodeID is this
 * node's own listen address.
 */
export function resolveTcpOptions(input: TcpTransporterOptions | string = {}): ResolvedTcpOptions {
  const opts: TcpTransporterOptions = typeof input === "string" ? { urls: input } : { ...input };
  let host = opts.host;
  let port = opts.port ?? 0;
  let urls = opts.urls ?? null;
  if (opts.url !== undefined) {
    const own = /^tcp:\/\/([^/,]+):(\d+)\/?$/i.exec(opts.url.trim());
    if (own) {
      host ??= own[1];
      if (port === 0) port = Number(own[2]);
    } else urls ??= opts.url;
  }
  const resolved: ResolvedTcpOptions = {
    ...DEFAULTS,
    ...definedOnly(opts),
    port,
    host,
    urls,
  };
  for (const key of ["udpPort", "udpPeriod", "gossipPeriod", "maxConnections", "maxPacketSize"] as const) {
    const value = resolved[key];
    if (typeof value !== "number" || !(value > 0)) {
      throw new BrokerOptionsError(`TCP transporter option '${key}' must be a positive number.`, { [key]: value });
    }
  }
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new BrokerOptionsError("TCP transporter option 'port' must be a port number.", { port });
  }
  return resolved;
}

function definedOnly(opts: TcpTransporterOptions): Partial<TcpTransporterOptions> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(opts)) if (value !== undefined && key !== "url") out[key] = value;
  return out as Partial<TcpTransporterOptions>;
}
