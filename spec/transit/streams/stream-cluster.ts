import type { BrokerOptions } from "nucleon";
import { ServiceBroker } from "nucleon";
import { BROKERS, uniqueNamespace } from "../../support/brokers";
import { MemoryBus, MemoryTransporter } from "../../../lib/transporters/memory";
import { FilesService } from "../../support/stream-services";

export type StreamTransport = "memory" | "nats" | "redis" | "tcp";

/**
 * TCP ports of the stream specs (each spec file passes its own base, so
 * parallel jest workers never collide); every pair takes the next two.
 */
const tcpPorts = new Map<number, number>();
function tcpUrls(base: number): Record<string, string> {
  const n = tcpPorts.get(base) ?? 0;
  tcpPorts.set(base, n + 1);
  const port = base + 2 * (n % 25);
  return { server: `127.0.0.1:${port}`, client: `127.0.0.1:${port + 1}` };
}

function transporterFor(transport: StreamTransport, bus: MemoryBus, urls: Record<string, string> | null, nodeID: string): BrokerOptions["transporter"] {
  if (transport === "memory") return new MemoryTransporter({ bus });
  if (transport === "tcp" && urls) {
    const port = Number(urls[nodeID].split(":")[1]);
    return { type: "TCP", options: { udpDiscovery: false, urls, port, host: "127.0.0.1", gossipPeriod: 0.5 } };
  }
  return BROKERS[transport as "nats" | "redis"].url;
}

/** A caller node and a `files` node over one transport, started and discovered. */
export async function streamPair(
  transport: StreamTransport,
  options: { server?: BrokerOptions; client?: BrokerOptions; common?: BrokerOptions; tcpBase?: number } = {},
): Promise<{ client: ServiceBroker; server: ServiceBroker; stop: () => Promise<void> }> {
  const namespace = uniqueNamespace(`streams-${transport}`);
  const bus = new MemoryBus();
  const urls = transport === "tcp" ? tcpUrls(options.tcpBase ?? 27600) : null;
  const make = (nodeID: string, extra: BrokerOptions | undefined) =>
    new ServiceBroker({
      nodeID,
      namespace,
      logger: false,
      transporter: transporterFor(transport, bus, urls, nodeID),
      transit: { discoverWait: 50, stopDelay: 10 },
      ...options.common,
      ...extra,
    });
  const server = make("server", options.server);
  server.register(FilesService);
  const client = make("client", options.client);
  await Promise.all([server.start(), client.start()]);
  await client.waitForServices("files", 5000);
  return { client, server, stop: () => Promise.all([client.stop(), server.stop()]).then(() => undefined) };
}

/** Nothing is held for any stream on either node. */
export function streamsHeld(...brokers: ServiceBroker[]): { outgoing: number; incoming: number; buffered: number; pending: number } {
  const total = { outgoing: 0, incoming: 0, buffered: 0, pending: 0 };
  for (const b of brokers) {
    const transit = b.transit;
    if (!transit) continue;
    const s = transit.streams.stats();
    total.outgoing += s.outgoing;
    total.incoming += s.incoming;
    total.buffered += s.buffered;
    total.pending += transit.pending.size;
  }
  return total;
}
