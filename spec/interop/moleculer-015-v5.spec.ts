/**
 * nucleon with `protocolVersion: "5"` ⇄ Moleculer 0.15 (installed as
 * `moleculer-015`) with its version check LEFT ON, over NATS and Redis
 * (JSON, so the peer can print the RES packets it receives: Moleculer's
 * caller never reads response headers).
 */
import { NucleonClientError, ServiceBroker } from "nucleon";
import { BROKERS, uniqueNamespace } from "../support/brokers";
import { describeWith } from "../support/describe-with";
import { MoleculerPeer, PeerLine } from "./support/moleculer-peer";
import { createNucleon, EchoResult, nodeEventsOf, nucEvents, NucleonNode, sleep, waitUntil } from "./support/nucleon-side";

function moleculer015Unavailable(): string | null {
  try {
    require.resolve("moleculer-015");
    return null;
  } catch {
    return "the devDependency moleculer-015 (npm:moleculer@0.15) is not installed";
  }
}

const reason = moleculer015Unavailable();
if (reason !== null) {
  // eslint-disable-next-line no-console -- the skip reason must be visible
  console.warn(`Skipping the Moleculer 0.15 protocol v5 interop suite: ${reason}.`);
}
const describeIf = reason === null ? describe : describe.skip;

const PEER = "mol15v5-peer";
const NUC = "nuc5-node";
const SETTLE_MS = 250;

const isEvent = (run: string) => (l: PeerLine): boolean =>
  l.kind === "event" && typeof l.data === "object" && l.data !== null && (l.data as { run?: unknown }).run === run;

describeIf("Moleculer 0.15 interop, protocolVersion \"5\", version check on", () => {
  describe.each(["nats", "redis"] as const)("%s", (transport) => {
    describeWith(transport, `${transport}/JSON`, () => {
      const namespace = uniqueNamespace(`interop-015v5-${transport}`);
      const url = BROKERS[transport].url;
      const runId = (name: string) => `${namespace}:${name}`;
      let peer: MoleculerPeer | undefined;
      let nuc: NucleonNode | undefined;
      let broker: ServiceBroker;
      const extraNodes: NucleonNode[] = [];

      beforeAll(async () => {
        // No disableVersionCheck on either side.
        peer = new MoleculerPeer({ nodeID: PEER, namespace, transporter: url, serializer: "JSON", moleculer: "moleculer-015", wireLog: ["RES"] });
        nuc = createNucleon({ nodeID: NUC, namespace, transporter: url, serializer: "JSON", protocolVersion: "5" });
        broker = nuc.broker;
        await Promise.all([broker.start(), peer.waitForReady()]);
        await broker.waitForServices(["math", "peer"], 10_000);
        await peer.waitForLine((l) => l.kind === "node.connected" && l.nodeID === NUC, 8_000, `$node.connected for ${NUC}`);
      }, 30_000);

      afterAll(async () => {
        await peer?.stop();
        await Promise.all([nuc?.broker.stop(), ...extraNodes.map((n) => n.broker.stop())]);
      }, 20_000);

      it("a real 0.15 node (protocol 5, version check on) and nucleon see each other", () => {
        expect(peer!.linesOf("started")).toEqual([expect.objectContaining({ moleculer: expect.stringMatching(/^0\.15\./), protocol: "5" })]);
        expect(broker.registry.nodes.get(PEER)?.client).toMatchObject({ version: expect.stringMatching(/^0\.15\./) });
        expect(nodeEventsOf(namespace, NUC, "connected", PEER)).toMatchObject([{ reconnected: false }]);
        expect(nuc!.logs.filter((l) => l.msg === "Dropped a packet of another protocol version")).toEqual([]);
      });

      it("nucleon calls the peer: results, meta and errors come back", async () => {
        await expect(broker.call("math.add", { a: 2, b: 3 })).resolves.toBe(5);
        const res = (await broker.call("nuc.relayMeta", {}, { meta: { user: "ada" } })) as { peer: unknown };
        expect(res.peer).toEqual({ user: "ada", fromNuc: 1, peerSaw: true });
        const teapot = await broker.call("peer.teapot").catch((e: unknown) => e);
        expect(teapot).toBeInstanceOf(NucleonClientError);
        expect(teapot).toMatchObject({ code: 418, type: "TEAPOT", data: { x: 1 }, nodeID: PEER });
      });

      it("nucleon's call headers reach the Moleculer handler (ctx.headers); its ctx.responseHeaders reach nucleon's caller", async () => {
        let responseHeaders: Record<string, unknown> | undefined;
        const res = await broker.call("peer.headers", {}, { headers: { auth: "tok", n: 1 }, onResponseHeaders: (h) => (responseHeaders = h) });
        expect(res).toEqual({ headers: { auth: "tok", n: 1 } });
        expect(responseHeaders).toEqual({ fromPeer: true });
      });

      it("the peer calls nucleon (root and nested), and gets nucleon's errors", async () => {
        const root = await peer!.command({ cmd: "call", action: "nuc.echo", params: { hello: "world" }, opts: { meta: { m: 1 } } });
        expect(root).toMatchObject({ ok: true, meta: { m: 1, nucSaw: true } });
        expect(root.data).toMatchObject({ params: { hello: "world" }, level: 1, from: PEER });
        const nested = (await broker.call("peer.callNuc", { x: 1 })) as { res: EchoResult };
        expect(nested.res).toMatchObject({ params: { x: 1 }, caller: "peer", level: 2, from: PEER });
        const bad = await peer!.command({ cmd: "call", action: "nuc.strict", params: { n: -1 } });
        expect(bad).toMatchObject({ ok: false, error: { name: "ValidationError", code: 422, nodeID: NUC, isValidationError: true } });
      });

      it("a Moleculer caller's headers reach the nucleon handler; its responseHeaders travel in the RES", async () => {
        const reply = await peer!.command({ cmd: "call", action: "nuc.headers", opts: { headers: { from: "mol", k: [1, 2] } } });
        expect(reply).toMatchObject({ ok: true, data: { headers: { from: "mol", k: [1, 2] } } });
        const res = await peer!.waitForLine(
          (l) => l.kind === "wire-in" && l.cmd === "RES" && (l.packet as { sender?: unknown }).sender === NUC && (l.packet as { headers?: { fromNuc?: unknown } }).headers?.fromNuc === true,
          5_000,
          "the RES of nuc.headers",
        );
        expect(res.packet).toMatchObject({ ver: "5", success: true, headers: { fromNuc: true, got: 2 } });
        // Every RES nucleon sends in v5 has headers, {} when the handler set none.
        const others = peer!.linesOf("wire-in").map((l) => l.packet as Record<string, unknown>).filter((p) => p.sender === NUC);
        for (const packet of others) expect(packet.headers).toEqual(expect.any(Object));
      });

      it("events both ways, with their headers", async () => {
        await broker.emit("test.evt", { run: runId("n-emit") }, { headers: { eh: 1 } });
        await peer!.waitForLines(isEvent(runId("n-emit")), 2, 5_000, "n-emit");
        await sleep(SETTLE_MS);
        const got = peer!.lines.filter(isEvent(runId("n-emit")));
        expect(got).toHaveLength(2);
        for (const line of got) expect(line).toMatchObject({ sender: NUC, eventType: "emit", headers: { eh: 1 } });

        const fromPeer = () => nucEvents.filter((e) => e.namespace === namespace && (e.payload as { run?: unknown } | null)?.run === runId("p-emit"));
        await peer!.command({ cmd: "emit", event: "test.evt", data: { run: runId("p-emit") }, opts: { headers: { ph: "x" } } });
        await waitUntil(() => fromPeer().length >= 1, 5_000, "p-emit on nucleon");
        await sleep(SETTLE_MS);
        expect(fromPeer()).toHaveLength(1);
        expect(fromPeer()[0]).toMatchObject({ sender: PEER, eventType: "emit", groups: ["nucgrp"], headers: { ph: "x" } });
      });

      it('a default ("4") nucleon node drops the 0.15 packets with one rate-limited line', async () => {
        const v4 = createNucleon({ nodeID: "nuc-v4", namespace, transporter: url, serializer: "JSON", services: [] });
        extraNodes.push(v4);
        await v4.broker.start();
        await waitUntil(() => v4.logs.some((l) => l.msg === "Dropped a packet of another protocol version"), 5_000, "the version drop line");
        // Heartbeats keep coming every second: still one line.
        await sleep(1_500);
        expect(v4.broker.registry.hasService("math")).toBe(false);
        const drops = v4.logs.filter((l) => l.msg === "Dropped a packet of another protocol version");
        expect(drops.length).toBe(1);
        expect(drops[0]).toMatchObject({ ver: "5" });
      });

      it("SIGTERM on the peer → $node.disconnected (unexpected: false)", async () => {
        await peer!.kill("SIGTERM");
        expect(peer!.exitCode).toBe(0);
        await waitUntil(() => nodeEventsOf(namespace, NUC, "disconnected", PEER).length > 0, 3_000, `$node.disconnected for ${PEER}`);
        expect(nodeEventsOf(namespace, NUC, "disconnected", PEER)).toMatchObject([{ unexpected: false }]);
      });
    });
  });
});
