/**
 * nucleon ⇄ real Moleculer nodes (0.14, and 0.15 with protocol v5 and its
 * version check on) on their TCP transporter: discovery through `urls` and
 * through UDP broadcast on loopback, calls and events both ways, and either
 * side killed and restarted. No message broker is involved.
 */
import { uniqueNamespace } from "../support/brokers";
import { MoleculerPeer, type MoleculerPackage, type PeerLine } from "./support/moleculer-peer";
import { createNucleon, type EchoResult, nucEvents, type NucleonNode, waitUntil } from "./support/nucleon-side";

// Ports of this spec file only (jest workers run files in parallel), below the
// ephemeral range (32768–60999) so that no outgoing socket can be holding one.
const BASE = 27500;
const PEER = "moltcp-peer";
const NUC = "nuctcp-node";

interface Version {
  label: string;
  pkg: MoleculerPackage;
  protocolVersion: "4" | "5";
  ports: number;
}

const VERSIONS: Version[] = [
  { label: "0.14", pkg: "moleculer", protocolVersion: "4", ports: BASE },
  { label: "0.15", pkg: "moleculer-015", protocolVersion: "5", ports: BASE + 50 },
];

/** Calls `action` from the peer until it succeeds (gossip brings services within a round or two). */
async function waitForPeerCall(p: MoleculerPeer, action: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const reply = await p.command({ cmd: "call", action, params: {} });
    if (reply.ok) return;
    if (Date.now() > deadline) throw new Error(`${action} not callable from the peer: ${JSON.stringify(reply.error)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const isEvent = (run: string) => (l: PeerLine): boolean =>
  l.kind === "event" && typeof l.data === "object" && l.data !== null && (l.data as { run?: unknown }).run === run;

describe.each(VERSIONS)("Moleculer $label over TCP", ({ label, pkg, protocolVersion, ports }) => {
  const peers: MoleculerPeer[] = [];
  const nucs: NucleonNode[] = [];
  afterEach(async () => {
    await Promise.all(peers.splice(0).map((p) => p.stop()));
    await Promise.all(nucs.splice(0).map((n) => n.broker.stop()));
  }, 20_000);

  function peer(namespace: string, options: Record<string, unknown>): MoleculerPeer {
    const transporter = JSON.stringify({ type: "TCP", options: { gossipPeriod: 1, ...options } });
    const p = new MoleculerPeer({ nodeID: PEER, namespace, transporter, serializer: "JSON", moleculer: pkg });
    peers.push(p);
    return p;
  }

  function nucleon(namespace: string, options: Record<string, unknown>): NucleonNode {
    const n = createNucleon({
      nodeID: NUC,
      namespace,
      transporter: { type: "TCP", options: { host: "127.0.0.1", gossipPeriod: 0.5, ...options } },
      serializer: "JSON",
      protocolVersion,
    });
    nucs.push(n);
    return n;
  }

  async function connected(p: MoleculerPeer, n: NucleonNode, occurrence = 1): Promise<void> {
    await Promise.all([p.waitForReady(), n.broker.start()]);
    await n.broker.waitForServices(["math", "peer"], 15_000);
    await p.waitForLines((l) => l.kind === "node.connected" && l.nodeID === NUC, occurrence, 15_000, `$node.connected for ${NUC}`);
  }

  async function callsBothWays(p: MoleculerPeer, n: NucleonNode): Promise<void> {
    await expect(n.broker.call("math.add", { a: 2, b: 3 })).resolves.toBe(5);
    const reply = await p.command({ cmd: "call", action: "nuc.echo", params: { hello: label }, opts: { meta: { m: 1 } } });
    expect(reply.error).toBeUndefined();
    expect(reply).toMatchObject({ ok: true, meta: { m: 1, nucSaw: true } });
    expect((reply.data as EchoResult).from).toBe(PEER);
  }

  it("finds each other through urls; calls and events go both ways", async () => {
    const namespace = uniqueNamespace(`tcp-urls-${label}`);
    const urls = { [PEER]: `127.0.0.1:${ports}`, [NUC]: `127.0.0.1:${ports + 1}` };
    const p = peer(namespace, { urls, udpDiscovery: false });
    const n = nucleon(namespace, { urls, udpDiscovery: false });
    await connected(p, n);
    await callsBothWays(p, n);
    const nested = (await n.broker.call("peer.callNuc", { x: 1 })) as { res: EchoResult };
    expect(nested.res).toMatchObject({ params: { x: 1 }, caller: "peer", level: 2 });

    const run = `${namespace}:evt`;
    await n.broker.broadcast("test.evt", { run });
    await p.waitForLines(isEvent(run), 3, 8_000, "the broadcast at the three peer listeners");
    const back = `${namespace}:back`;
    await p.command({ cmd: "broadcast", event: "test.evt", data: { run: back } });
    await waitUntil(() => nucEvents.filter((e) => (e.payload as { run?: unknown }).run === back).length === 2, 8_000, "the peer's broadcast at nuc and nuc2");
    expect(nucEvents.filter((e) => (e.payload as { run?: unknown }).run === back).map((e) => e.sender)).toEqual([PEER, PEER]);
  }, 40_000);

  it("finds each other through UDP broadcast on loopback, with no urls", async () => {
    const namespace = uniqueNamespace(`tcp-udp-${label}`);
    const udp = { udpDiscovery: true, udpPort: ports + 10, udpMulticast: null, udpBroadcast: "127.255.255.255" };
    const p = peer(namespace, { ...udp, port: ports + 11 });
    const n = nucleon(namespace, { ...udp, port: ports + 12 });
    await connected(p, n);
    await callsBothWays(p, n);
  }, 40_000);

  it("a Moleculer node killed (SIGKILL) goes offline and comes back with a new seq when restarted", async () => {
    const namespace = uniqueNamespace(`tcp-mkill-${label}`);
    const urls = { [PEER]: `127.0.0.1:${ports + 20}`, [NUC]: `127.0.0.1:${ports + 21}` };
    const n = nucleon(namespace, { urls, udpDiscovery: false });
    await connected(peer(namespace, { urls, udpDiscovery: false }), n);
    const first = n.broker.registry.nodes.get(PEER)!;
    const before = { seq: first.seq, instanceID: first.instanceID };
    await peers[0].kill("SIGKILL");
    peers.splice(0);
    await waitUntil(() => n.broker.registry.nodes.get(PEER)?.available === false, 10_000, "the killed peer offline at nucleon");
    const again = peer(namespace, { urls, udpDiscovery: false });
    await again.waitForReady();
    await waitUntil(() => n.broker.registry.nodes.get(PEER)?.available === true, 15_000, "the restarted peer online at nucleon");
    const node = n.broker.registry.nodes.get(PEER)!;
    expect(node.instanceID).not.toBe(before.instanceID);
    expect(node.seq).toBeGreaterThan(before.seq);
    await n.broker.waitForServices(["math"], 10_000);
    await expect(n.broker.call("math.add", { a: 1, b: 1 })).resolves.toBe(2);
  }, 60_000);

  it("a nucleon node stopped and restarted is seen gone, then back, by Moleculer", async () => {
    const namespace = uniqueNamespace(`tcp-nrestart-${label}`);
    const urls = { [PEER]: `127.0.0.1:${ports + 30}`, [NUC]: `127.0.0.1:${ports + 31}` };
    const p = peer(namespace, { urls, udpDiscovery: false });
    await connected(p, nucleon(namespace, { urls, udpDiscovery: false }));
    await nucs[0].broker.stop();
    nucs.splice(0);
    await p.waitForLine((l) => l.kind === "node.disconnected" && l.nodeID === NUC, 10_000, `$node.disconnected for ${NUC}`);
    const n = nucleon(namespace, { urls, udpDiscovery: false });
    await n.broker.start();
    await p.waitForLines((l) => l.kind === "node.connected" && l.nodeID === NUC, 2, 15_000, `$node.connected again for ${NUC}`);
    await n.broker.waitForServices(["math", "peer"], 15_000);
    // Gossip is eventually consistent: the restarted node's services reach the peer with its next INFO.
    const startedAt = Date.now();
    await waitForPeerCall(p, "nuc.echo", 15_000);
    // eslint-disable-next-line no-console -- how long the restarted node's services took to reach Moleculer
    console.log(`${label}: nuc.echo callable from Moleculer ${Date.now() - startedAt} ms after $node.connected`);
    await callsBothWays(p, n);
  }, 60_000);
});
