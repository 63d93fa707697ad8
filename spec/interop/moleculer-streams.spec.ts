/**
 * Streams between nucleon and a real Moleculer node, both directions:
 * Moleculer 0.14 with protocol "4" (the stream travels as the params) and
 * Moleculer 0.15 with protocol "5" and its version check on (the stream is
 * the call option `stream`, seq 0 carries the params). Request and response
 * streams, Buffer (6 MB, sha256) and object mode, and an error mid-stream
 * each way; over NATS, Redis and Moleculer's TCP transporter.
 */
import type { Readable } from "node:stream";
import type { ServiceBroker } from "nucleon";
import { BROKERS, uniqueNamespace } from "../support/brokers";
import { describeWith } from "../support/describe-with";
import { byteSource, collect, digest, expectedDigest, failingSource } from "../support/stream-data";
import { FilesService } from "../support/stream-services";
import { MoleculerPeer, type MoleculerPackage, type SerializerName } from "./support/moleculer-peer";
import { createNucleon, type NucleonNode } from "./support/nucleon-side";

const SIZE = 6 * 1024 * 1024;
// 6 MB of JSON chunks each way on a loaded 2-core machine: generous limits.
jest.setTimeout(90_000);
const PEER = "mol-stream-peer";
const NUC = "nuc-stream-node";

function has015(): boolean {
  try {
    require.resolve("moleculer-015");
    return true;
  } catch {
    // eslint-disable-next-line no-console -- the skip reason must be visible
    console.warn("Skipping the Moleculer 0.15 stream interop: the devDependency moleculer-015 is not installed.");
    return false;
  }
}

const LINES: Array<[MoleculerPackage, "4" | "5"]> = has015()
  ? [
      ["moleculer", "4"],
      ["moleculer-015", "5"],
    ]
  : [["moleculer", "4"]];
type Transport = "nats" | "redis" | "tcp";
const SETUPS: Array<[Transport, SerializerName]> = [
  ["nats", "JSON"],
  ["redis", "JSON"],
  ["nats", "MsgPack"],
  ["tcp", "JSON"],
];
// TCP ports 27700–27799 belong to this spec file: two per Moleculer line.
const TCP_BASE = 27700;

/** What each side is given: a broker URL, or TCP with static urls on loopback (no UDP discovery). */
function transporters(transport: Transport, line: number): { peer: string; nuc: NonNullable<Parameters<typeof createNucleon>[0]["transporter"]> } {
  if (transport !== "tcp") return { peer: BROKERS[transport].url, nuc: BROKERS[transport].url };
  const port = TCP_BASE + 10 * line;
  const urls = { [PEER]: `127.0.0.1:${port}`, [NUC]: `127.0.0.1:${port + 1}` };
  const options = (own: number) => ({ udpDiscovery: false, urls, port: own, gossipPeriod: 1 });
  return {
    peer: JSON.stringify({ type: "TCP", options: options(port) }),
    nuc: { type: "TCP", options: { ...options(port + 1), host: "127.0.0.1" } },
  };
}

/** TCP needs no broker: never skipped. */
function describeOver(transport: Transport, name: string, fn: () => void): void {
  if (transport === "tcp") describe(name, fn);
  else describeWith(transport, name, fn);
}

describe.each(LINES)("streams with %s (protocol %s)", (moleculer, protocolVersion) => {
  describe.each(SETUPS)("over %s/%s", (transport, serializer) => {
    describeOver(transport, `${transport}/${serializer}`, () => {
      const namespace = uniqueNamespace(`interop-streams-${protocolVersion}-${transport}`);
      const wire = transporters(transport, protocolVersion === "5" ? 1 : 0);
      let peer: MoleculerPeer | undefined;
      let nuc: NucleonNode | undefined;
      let broker: ServiceBroker;

      beforeAll(async () => {
        // Moleculer's sender does not pace: while it pushes 6 MB of JSON chunks (~3.6 bytes per byte, ~80 ms
        // of decoding per chunk here) a loaded 2-core machine can hold nucleon's heartbeats past the
        // peer's usual 3 s. Moleculer's own default is 30 s; 10 s keeps the check meaningful.
        peer = new MoleculerPeer({ nodeID: PEER, namespace, transporter: wire.peer, serializer, moleculer, heartbeatTimeout: 10 });
        nuc = createNucleon({ nodeID: NUC, namespace, transporter: wire.nuc, serializer, protocolVersion, services: [FilesService] });
        broker = nuc.broker;
        await Promise.all([broker.start(), peer.waitForReady()]);
        await broker.waitForServices(["pstream"], 10_000);
        await peer.waitForLine((l) => l.kind === "node.connected" && l.nodeID === NUC, 8_000, `$node.connected for ${NUC}`);
      }, 30_000);

      afterAll(async () => {
        await peer?.stop();
        await nuc?.broker.stop();
      }, 20_000);

      it("nucleon → Moleculer: a 6 MB request stream arrives byte-exact", async () => {
        const saved = await broker.call<{ sha256: string; bytes: number; params: unknown }>("pstream.save", { name: "up" }, { stream: byteSource(SIZE), timeout: 20_000 });
        expect(saved).toMatchObject(await expectedDigest(SIZE));
        // v5 carries the params in seq 0; Moleculer 0.14 has none with a stream.
        expect(saved.params).toEqual(protocolVersion === "5" ? { name: "up" } : null);
      });

      it("nucleon → Moleculer: an object-mode request stream", async () => {
        const items = [{ a: 1 }, { b: [2, 3] }, { c: "four" }];
        const { Readable } = await import("node:stream");
        await expect(broker.call("pstream.saveObjects", {}, { stream: Readable.from(items) })).resolves.toEqual(items);
      });

      it("Moleculer → nucleon: a 6 MB response stream arrives byte-exact", async () => {
        const stream = await broker.call<Readable>("pstream.download", { size: SIZE }, { timeout: 20_000 });
        expect(await digest(stream)).toEqual(await expectedDigest(SIZE));
      });

      it("Moleculer → nucleon: an object-mode response stream", async () => {
        const items = await collect(await broker.call<Readable>("pstream.downloadObjects", { count: 4 }));
        expect(items).toEqual([0, 1, 2, 3].map((i) => ({ i, text: `peer item ${i}` })));
      });

      it("nucleon's request stream failing mid-stream fails the Moleculer handler", async () => {
        await expect(broker.call("pstream.save", { name: "x" }, { stream: failingSource(700_000, "nucleon source broke") })).rejects.toThrow(
          "nucleon source broke",
        );
      });

      it("Moleculer's response stream failing mid-stream fails nucleon's reader", async () => {
        const stream = await broker.call<Readable>("pstream.downloadFailing", { before: 700_000 });
        await expect(digest(stream)).rejects.toThrow("peer source broke");
      });

      it("Moleculer → nucleon: a 6 MB request stream reaches ctx.stream byte-exact", async () => {
        const reply = await peer!.command({ cmd: "streamCall", action: "files.saveRaw", params: { name: "in" }, size: SIZE, opts: { timeout: 20_000 } }, 30_000);
        expect(reply.error).toBeUndefined();
        expect(reply).toMatchObject({ ok: true, data: await expectedDigest(SIZE) });
        expect((reply.data as { params: unknown }).params).toEqual(protocolVersion === "5" ? { name: "in" } : {});
      });

      it("Moleculer → nucleon: an object-mode request stream", async () => {
        const items = [{ x: 1 }, { y: "two" }];
        await expect(peer!.command({ cmd: "streamCall", action: "files.saveObjects", params: {}, items })).resolves.toMatchObject({ ok: true, data: items });
      });

      it("nucleon → Moleculer: a 6 MB response stream the Moleculer caller reads byte-exact", async () => {
        const reply = await peer!.command({ cmd: "streamDownload", action: "files.download", params: { size: SIZE }, opts: { timeout: 20_000 } }, 30_000);
        expect(reply).toMatchObject({ ok: true, data: await expectedDigest(SIZE) });
      });

      it("nucleon → Moleculer: an object-mode response stream", async () => {
        const reply = await peer!.command({ cmd: "streamDownload", action: "files.downloadObjects", params: { count: 3 }, objectMode: true });
        expect(reply).toMatchObject({ ok: true, data: [0, 1, 2].map((i) => ({ i, text: `item ${i}` })) });
      });

      it("Moleculer's request stream failing mid-stream fails the nucleon handler", async () => {
        const reply = await peer!.command({ cmd: "streamCall", action: "files.saveRaw", params: {}, failBefore: 700_000 });
        expect(reply).toMatchObject({ ok: false, error: { message: "peer caller source broke" } });
      });

      it("nucleon's response stream failing mid-stream fails the Moleculer reader", async () => {
        const reply = await peer!.command({ cmd: "streamDownload", action: "files.downloadFailing", params: { before: 700_000 } });
        expect(reply).toMatchObject({ ok: false, error: { message: "source broke" } });
      });

      it("nucleon sent no credit packets and held nothing afterwards", () => {
        expect(broker.registry.nodes.get(PEER)?.rawInfo?.streamWindow).toBeUndefined();
        expect(broker.transit?.streams.stats()).toEqual({ outgoing: 0, incoming: 0, buffered: 0 });
        expect(nuc!.logs.filter((l) => String(l.msg).includes("stream"))).toEqual([]);
      });
    });
  });
});
