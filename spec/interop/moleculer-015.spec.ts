/**
 * nucleon ⇄ Moleculer 0.15 (protocol "5", installed as `moleculer-015`) over
 * NATS + JSON, nucleon speaking the default protocol "4": the versions differ,
 * so both sides set `transit.disableVersionCheck: true`. The way operators
 * will run it, nucleon with `protocolVersion: "5"` and Moleculer's version
 * check on, is moleculer-015-v5.spec.ts.
 */
import { NucleonClientError, ServiceBroker } from "nucleon";
import { BROKERS, uniqueNamespace } from "../support/brokers";
import { describeWith } from "../support/describe-with";
import { MoleculerPeer, PeerLine } from "./support/moleculer-peer";
import { createNucleon, EchoResult, nodeEventsOf, nucEvents, NucleonNode, sleep, waitUntil } from "./support/nucleon-side";

/** Why the suite cannot run here, or null. Printed, never a silent skip. */
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
  console.warn(`Skipping the Moleculer 0.15 interop suite: ${reason}.`);
}
const describeIf = reason === null ? describe : describe.skip;

const PEER = "mol15-peer";
const NUC = "nuc-node";
const SETTLE_MS = 250;

const isEvent = (run: string) => (l: PeerLine): boolean =>
  l.kind === "event" && typeof l.data === "object" && l.data !== null && (l.data as { run?: unknown }).run === run;

describeIf("Moleculer 0.15 interop", () => {
  describeWith("nats", "nats/JSON with disableVersionCheck on both sides", () => {
    const namespace = uniqueNamespace("interop-015");
    const url = BROKERS.nats.url;
    const runId = (name: string) => `${namespace}:${name}`;
    let peer: MoleculerPeer | undefined;
    let nuc: NucleonNode | undefined;
    let broker: ServiceBroker;
    const extraNodes: NucleonNode[] = [];

    beforeAll(async () => {
      peer = new MoleculerPeer({
        nodeID: PEER,
        namespace,
        transporter: url,
        serializer: "JSON",
        moleculer: "moleculer-015",
        disableVersionCheck: true,
      });
      nuc = createNucleon({ nodeID: NUC, namespace, transporter: url, serializer: "JSON", disableVersionCheck: true });
      broker = nuc.broker;
      await Promise.all([broker.start(), peer.waitForReady()]);
      await broker.waitForServices(["math", "peer"], 10_000);
      await peer.waitForLine((l) => l.kind === "node.connected" && l.nodeID === NUC, 8_000, `$node.connected for ${NUC}`);
    }, 30_000);

    afterAll(async () => {
      await peer?.stop();
      await Promise.all([nuc?.broker.stop(), ...extraNodes.map((n) => n.broker.stop())]);
    }, 20_000);

    it("runs a real 0.15 node (protocol 5)", () => {
      expect(peer!.linesOf("started")).toEqual([expect.objectContaining({ moleculer: expect.stringMatching(/^0\.15\./), protocol: "5" })]);
      expect(broker.registry.nodes.get(PEER)?.client).toMatchObject({ type: "nodejs", version: expect.stringMatching(/^0\.15\./) });
    });

    it("discovery both ways", () => {
      expect(broker.registry.hasService("math")).toBe(true);
      expect(nodeEventsOf(namespace, NUC, "connected", PEER)).toMatchObject([{ reconnected: false }]);
      expect(peer!.lines.find((l) => l.kind === "node.connected" && l.nodeID === NUC)).toMatchObject({ reconnected: false });
    });

    it("nucleon calls the 0.15 peer; its errors are rebuilt", async () => {
      await expect(broker.call("math.add", { a: 2, b: 3 })).resolves.toBe(5);
      const res = (await broker.call("nuc.relayMeta", {}, { meta: { user: "ada" } })) as { peer: unknown; meta: Record<string, unknown> };
      expect(res.peer).toEqual({ user: "ada", fromNuc: 1, peerSaw: true });
      expect(res.meta).toEqual({ user: "ada", fromNuc: 1, peerSaw: true });
      const teapot = await broker.call("peer.teapot").catch((e: unknown) => e);
      expect(teapot).toBeInstanceOf(NucleonClientError);
      expect(teapot).toMatchObject({ code: 418, type: "TEAPOT", data: { x: 1 }, nodeID: PEER });
    });

    it("the 0.15 peer calls nucleon (root and nested)", async () => {
      const root = await peer!.command({ cmd: "call", action: "nuc.echo", params: { hello: "world" }, opts: { meta: { m: 1 } } });
      expect(root).toMatchObject({ ok: true, meta: { m: 1, nucSaw: true } });
      expect(root.data).toEqual({ params: { hello: "world" }, meta: { m: 1, nucSaw: true }, caller: null, level: 1, from: PEER });
      const nested = (await broker.call("peer.callNuc", { x: 1 })) as { res: EchoResult };
      expect(nested.res).toMatchObject({ params: { x: 1 }, caller: "peer", level: 2, from: PEER });
    });

    it("events both ways", async () => {
      await broker.emit("test.evt", { run: runId("n-emit") });
      await peer!.waitForLines(isEvent(runId("n-emit")), 2, 5_000, "n-emit");
      await sleep(SETTLE_MS);
      const got = peer!.lines.filter(isEvent(runId("n-emit")));
      expect(got).toHaveLength(2);
      expect(got.map((l) => l.handler).sort()[1]).toBe("listenB");
      for (const line of got) expect(line).toMatchObject({ sender: NUC, eventType: "emit" });

      const fromPeer = () => nucEvents.filter((e) => e.namespace === namespace && (e.payload as { run?: unknown } | null)?.run === runId("p-emit"));
      await peer!.command({ cmd: "emit", event: "test.evt", data: { run: runId("p-emit") } });
      await waitUntil(() => fromPeer().length >= 1, 5_000, "p-emit on nucleon");
      await sleep(SETTLE_MS);
      expect(fromPeer()).toHaveLength(1);
      expect(fromPeer()[0]).toMatchObject({ sender: PEER, eventType: "emit", groups: ["nucgrp"] });
    });

    it("without disableVersionCheck, a nucleon node drops the 0.15 packets", async () => {
      const strict = createNucleon({ nodeID: "nuc-strict", namespace, transporter: url, serializer: "JSON", services: [] });
      extraNodes.push(strict);
      await strict.broker.start();
      await sleep(1_500);
      expect(strict.broker.registry.hasService("math")).toBe(false);
      expect(strict.logs.some((l) => l.msg === "Dropped a packet of another protocol version" && l.ver === "5")).toBe(true);
    });

    it("SIGTERM on the 0.15 peer → $node.disconnected (unexpected: false)", async () => {
      await peer!.kill("SIGTERM");
      expect(peer!.exitCode).toBe(0);
      await waitUntil(() => nodeEventsOf(namespace, NUC, "disconnected", PEER).length > 0, 3_000, `$node.disconnected for ${PEER}`);
      expect(nodeEventsOf(namespace, NUC, "disconnected", PEER)).toMatchObject([{ unexpected: false }]);
      expect(broker.registry.hasService("math")).toBe(false);
    });
  });
});
