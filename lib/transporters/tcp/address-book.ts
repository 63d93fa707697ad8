import type { ClusterNode } from "../cluster-port";

interface Entry {
  /** From UDP discovery or a HELLO's socket: where the node was actually seen. */
  seen?: string;
  /** From `urls`. */
  configured?: string;
  port?: number;
}

/**
 * Where each node listens. The host is the address the node was seen at
 * (its UDP datagram or its HELLO), else the one configured in `urls`, else
 * its hostname (`useHostname`), else its first IP; the port is the last one
 * it announced.
 */
export class AddressBook {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly useHostname: boolean) {}

  configured(nodeID: string, host: string, port: number): void {
    const e = this.entry(nodeID);
    e.configured = host;
    e.port = port;
  }

  seen(nodeID: string, address: string, port?: number): void {
    const e = this.entry(nodeID);
    e.seen = address.startsWith("::ffff:") ? address.slice(7) : address;
    if (port !== undefined) e.port = port;
  }

  /** A port from the node's INFO. */
  port(nodeID: string, port: number): void {
    this.entry(nodeID).port = port;
  }

  knows(nodeID: string): boolean {
    return this.entries.has(nodeID);
  }

  locate(nodeID: string, node: ClusterNode | undefined): { host: string; port: number } | null {
    const e = this.entries.get(nodeID);
    if (e?.port === undefined) return null;
    const host = e.seen ?? e.configured ?? (this.useHostname ? node?.hostname : undefined) ?? node?.ipList[0];
    return host ? { host, port: e.port } : null;
  }

  private entry(nodeID: string): Entry {
    let e = this.entries.get(nodeID);
    if (e === undefined) {
      e = {};
      this.entries.set(nodeID, e);
    }
    return e;
  }
}
