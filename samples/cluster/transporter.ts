import type { BrokerOptions } from "nucleon";

/**
 * The sample's transporter: a broker URL as given (`nats://…`, `redis://…`),
 * else TCP between the nodes — each listens on its own entry of `urls` and
 * finds the others there (UDP discovery is off, so runs side by side never
 * see each other; with it on, nodes on one network find each other alone).
 */
export function clusterTransporter(url: string, tcpUrls: string): BrokerOptions["transporter"] {
  if (url !== "") return url;
  return { type: "TCP", options: { host: "127.0.0.1", urls: tcpUrls, udpDiscovery: false, gossipPeriod: 1 } };
}
