import { Action, Context, Event, Service, ServiceBroker, type BrokerOptions } from "nucleon";
import { TcpTransporter, type TcpTransporterOptions } from "../../../lib/transporters";
import { waitUntil } from "../../transit/cluster";

// Ports of this spec file only (jest workers run files in parallel), below the
// ephemeral range (32768–60999) so that no outgoing socket can be holding one.
const BASE = 27200;

const received: Array<{ node: string; from: string | null; payload: unknown }> = [];

@Service({ name: "math" })
class MathService {
  @Action({ params: false })
  add(p: { a: number; b: number }, ctx: Context): { sum: number; node: string } {
    return { sum: p.a + p.b, node: ctx.broker.nodeID };
  }

  @Event("math.done")
  done(payload: unknown, ctx: Context): void {
    received.push({ node: ctx.broker.nodeID, from: ctx.nodeID, payload });
  }
}

function node(nodeID: string, tcp: TcpTransporterOptions, extra: BrokerOptions = {}): ServiceBroker {
  return new ServiceBroker({
    nodeID,
    logger: false,
    transporter: new TcpTransporter({ host: "127.0.0.1", udpDiscovery: false, gossipPeriod: 0.2, ...tcp }),
    transit: { discoverWait: 20, stopDelay: 10 },
    ...extra,
  });
}

const online = (b: ServiceBroker, id: string) => b.registry.nodes.get(id)?.available === true;

describe("TCP transporter: brokers", () => {
  const started: ServiceBroker[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((b) => b.stop()));
    received.length = 0;
  });

  async function start(...brokers: ServiceBroker[]): Promise<void> {
    started.push(...brokers);
    for (const b of brokers) b.register(MathService);
    await Promise.all(brokers.map((b) => b.start()));
  }

  it("finds each other through urls and calls and emits both ways", async () => {
    const urls = { a: `127.0.0.1:${BASE}`, b: `127.0.0.1:${BASE + 1}` };
    const a = node("a", { urls });
    const b = node("b", { urls });
    await start(a, b);
    await waitUntil(() => online(a, "b") && online(b, "a"), 5000);
    await expect(a.call("math.add", { a: 1, b: 2 }, { nodeID: "b" })).resolves.toEqual({ sum: 3, node: "b" });
    await expect(b.call("math.add", { a: 5, b: 3 }, { nodeID: "a" })).resolves.toEqual({ sum: 8, node: "a" });
    await a.broadcast("math.done", { n: 1 });
    await b.broadcast("math.done", { n: 2 });
    await waitUntil(() => received.length === 4);
    expect(received).toEqual(
      expect.arrayContaining([
        { node: "b", from: "a", payload: { n: 1 } },
        { node: "a", from: "b", payload: { n: 2 } },
      ]),
    );
  });

  it("finds each other through UDP broadcast on loopback, with no urls", async () => {
    const udp: TcpTransporterOptions = { udpDiscovery: true, udpPort: BASE + 10, udpMulticast: null, udpBroadcast: "127.255.255.255" };
    const a = node("ua", udp);
    const b = node("ub", udp);
    await start(a, b);
    await waitUntil(() => online(a, "ub") && online(b, "ua"), 8000);
    await expect(a.call("math.add", { a: 2, b: 2 }, { nodeID: "ub" })).resolves.toEqual({ sum: 4, node: "ub" });
    await expect(b.call("math.add", { a: 3, b: 3 }, { nodeID: "ua" })).resolves.toEqual({ sum: 6, node: "ua" });
  });

  it("finds each other through UDP multicast on the loopback interface", async () => {
    const udp: TcpTransporterOptions = { udpDiscovery: true, udpPort: BASE + 11, udpBindAddress: "127.0.0.1", udpMulticast: "239.0.0.0" };
    const a = node("ma", udp);
    const b = node("mb", udp);
    await start(a, b);
    await waitUntil(() => online(a, "mb") && online(b, "ma"), 8000);
    await expect(a.call("math.add", { a: 1, b: 1 }, { nodeID: "mb" })).resolves.toEqual({ sum: 2, node: "mb" });
  });

  it("ignores other namespaces' datagrams", async () => {
    const udp: TcpTransporterOptions = { udpDiscovery: true, udpPort: BASE + 12, udpMulticast: null, udpBroadcast: "127.255.255.255" };
    const a = node("na", udp, { namespace: "one" });
    const b = node("nb", udp, { namespace: "two" });
    const c = node("nc", udp, { namespace: "one" });
    await start(a, b, c);
    await waitUntil(() => online(a, "nc") && online(c, "na"), 8000);
    expect(a.registry.nodes.has("nb")).toBe(false);
    expect(b.registry.nodes.has("na")).toBe(false);
    expect(b.registry.nodes.has("nc")).toBe(false);
  });

  it("spreads a third node through gossip: c knows only a, and b learns c from a", async () => {
    const a = node("ga", { port: BASE + 20 });
    const b = node("gb", { urls: `127.0.0.1:${BASE + 20}/ga` });
    const c = node("gc", { urls: [`tcp://127.0.0.1:${BASE + 20}/ga`] });
    await start(a, b, c);
    await waitUntil(() => online(b, "gc") && online(c, "gb") && online(a, "gb") && online(a, "gc"), 8000);
    // b reaches c at the address c's INFO names (its hostname here resolves to loopback).
    await expect(b.call("math.add", { a: 4, b: 4 }, { nodeID: "gc" })).resolves.toEqual({ sum: 8, node: "gc" });
  });

  it("takes a stopped node offline and brings it back when it restarts with a new instance", async () => {
    const urls = { ra: `127.0.0.1:${BASE + 30}`, rb: `127.0.0.1:${BASE + 31}` };
    const a = node("ra", { urls });
    let b = node("rb", { urls });
    await start(a, b);
    await waitUntil(() => online(a, "rb"), 5000);
    await b.stop();
    started.splice(started.indexOf(b), 1);
    await waitUntil(() => !online(a, "rb"), 5000);
    b = node("rb", { urls });
    await start(b);
    await waitUntil(() => online(a, "rb") && online(b, "ra"), 8000);
    await expect(a.call("math.add", { a: 1, b: 9 }, { nodeID: "rb" })).resolves.toEqual({ sum: 10, node: "rb" });
  });
});
