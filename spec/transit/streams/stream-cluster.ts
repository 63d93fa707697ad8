import type { BrokerOptions } from "nucleon";
import { ServiceBroker } from "nucleon";
import { BROKERS, uniqueNamespace } from "../../support/brokers";
import { MemoryBus, MemoryTransporter } from "../../../lib/transporters/memory";
import { FilesService } from "../../support/stream-services";

export type StreamTransport = "memory" | "nats" | "redis";

/** A caller node and a `files` node over one transport, started and discovered. */
export async function streamPair(
  transport: StreamTransport,
  options: { server?: BrokerOptions; client?: BrokerOptions; common?: BrokerOptions } = {},
): Promise<{ client: ServiceBroker; server: ServiceBroker; stop: () => Promise<void> }> {
  const namespace = uniqueNamespace(`streams-${transport}`);
  const bus = new MemoryBus();
  const make = (nodeID: string, extra: BrokerOptions | undefined) =>
    new ServiceBroker({
      nodeID,
      namespace,
      logger: false,
      transporter: transport === "memory" ? new MemoryTransporter({ bus }) : BROKERS[transport].url,
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
