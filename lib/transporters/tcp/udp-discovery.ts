import { createSocket, type Socket } from "node:dgram";
import { networkInterfaces } from "node:os";
import type { RateLimitedLog } from "../../utils/rate-limited-log";

export interface UdpOptions {
  udpPort: number;
  udpBindAddress: string | null;
  udpPeriod: number;
  udpReuseAddr: boolean;
  udpMaxDiscovery: number;
  udpMulticast: string | null | false;
  udpMulticastTTL: number;
  udpBroadcast: boolean | string | string[];
}

/** A datagram of our namespace from another node: its nodeID, source address and TCP port. */
export type Discovered = (nodeID: string, address: string, port: number) => void;

/** Longest datagram read: `namespace|nodeID|port` with generous ids. */
const MAX_DATAGRAM = 1024;

/**
 * UDP discovery: one socket, bound to every interface on `udpPort` (a
 * socket bound to one unicast address receives neither multicast nor
 * broadcast on Linux), joined to the multicast group on the chosen
 * interface(s) and/or allowed to broadcast. It sends
 * `namespace|nodeID|port` 0.5–1 s after start, then every `udpPeriod`.
 * Anything else it receives is ignored; malformed datagrams are logged,
 * rate-limited.
 */
export class UdpDiscovery {
  private socket: Socket | null = null;
  private timers: NodeJS.Timeout[] = [];
  private destinations: string[] = [];
  private sent = 0;

  constructor(
    private readonly opts: UdpOptions,
    private readonly namespace: string,
    private readonly nodeID: string,
    private readonly log: RateLimitedLog,
    private readonly discovered: Discovered,
  ) {}

  /** Binds and starts announcing `tcpPort`; a bind failure is logged and discovery stays off (urls still work). */
  async start(tcpPort: number): Promise<void> {
    const { opts } = this;
    const socket = createSocket({ type: "udp4", reuseAddr: opts.udpReuseAddr });
    socket.on("message", (msg, rinfo) => this.received(msg, rinfo.address));
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once("error", reject);
        socket.bind({ port: opts.udpPort, address: "0.0.0.0" }, () => {
          socket.off("error", reject);
          resolve();
        });
      });
    } catch (err) {
      socket.close();
      this.log.warn("udp-bind", { err, port: opts.udpPort }, "UDP discovery could not bind; relying on urls and gossip");
      return;
    }
    socket.on("error", (err) => this.log.warn("udp", { err }, "UDP discovery socket error"));
    socket.unref();
    this.socket = socket;
    this.destinations = this.setUp(socket);
    const message = Buffer.from(`${this.namespace}|${this.nodeID}|${tcpPort}`);
    const first = setTimeout(() => this.announce(message), 500 + Math.floor(Math.random() * 500));
    const every = setInterval(() => this.announce(message), opts.udpPeriod * 1000);
    first.unref();
    every.unref();
    this.timers = [first, every];
  }

  close(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers = [];
    this.socket?.close();
    this.socket = null;
  }

  /** Multicast membership and broadcast permission; returns where datagrams go. */
  private setUp(socket: Socket): string[] {
    const { opts } = this;
    const out: string[] = [];
    if (opts.udpMulticast) {
      const interfaces = opts.udpBindAddress ? [opts.udpBindAddress] : ipv4Interfaces().map((i) => i.address);
      for (const iface of interfaces) {
        try {
          socket.addMembership(opts.udpMulticast, iface);
        } catch (err) {
          this.log.warn("udp-membership", { err, iface }, "UDP multicast membership failed on an interface");
        }
      }
      if (opts.udpBindAddress) socket.setMulticastInterface(opts.udpBindAddress);
      socket.setMulticastTTL(opts.udpMulticastTTL);
      out.push(opts.udpMulticast);
    }
    if (opts.udpBroadcast) {
      socket.setBroadcast(true);
      if (typeof opts.udpBroadcast === "string") out.push(opts.udpBroadcast);
      else if (Array.isArray(opts.udpBroadcast)) out.push(...opts.udpBroadcast);
      else out.push(...ipv4Interfaces().map(broadcastAddress));
    }
    return out;
  }

  private announce(message: Buffer): void {
    const socket = this.socket;
    if (socket === null) return;
    if (this.opts.udpMaxDiscovery > 0 && this.sent >= this.opts.udpMaxDiscovery) return;
    this.sent++;
    for (const host of this.destinations) {
      socket.send(message, this.opts.udpPort, host, (err) => {
        if (err) this.log.warn("udp-send", { err, host }, "UDP discovery datagram not sent");
      });
    }
  }

  private received(msg: Buffer, address: string): void {
    if (msg.length > MAX_DATAGRAM) return this.malformed(address);
    const parts = msg.toString("utf8").split("|");
    if (parts.length !== 3) return this.malformed(address);
    const [namespace, nodeID, portText] = parts;
    if (namespace !== this.namespace) return;
    const port = Number(portText);
    if (nodeID === "" || !Number.isInteger(port) || port <= 0 || port > 65535) return this.malformed(address);
    if (nodeID !== this.nodeID) this.discovered(nodeID, address, port);
  }

  private malformed(address: string): void {
    this.log.warn("udp-malformed", { from: address }, "Ignored a malformed UDP discovery datagram");
  }
}

interface Ipv4Interface {
  address: string;
  netmask: string;
}

function ipv4Interfaces(): Ipv4Interface[] {
  const out: Ipv4Interface[] = [];
  for (const list of Object.values(networkInterfaces())) {
    for (const iface of list ?? []) if (iface.family === "IPv4") out.push(iface);
  }
  return out;
}

/** address | ~netmask, dotted. */
function broadcastAddress({ address, netmask }: Ipv4Interface): string {
  const a = address.split(".").map(Number);
  const m = netmask.split(".").map(Number);
  return a.map((octet, i) => (octet | (~m[i] & 255)) & 255).join(".");
}
