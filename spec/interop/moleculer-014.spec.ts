/**
 * nucleon ⇄ real Moleculer 0.14 in a child process, over the real NATS and
 * Redis servers, with JSON and MsgPack: every combination runs the full set.
 */
import {
  NucleonClientError,
  RequestRejectedError,
  RequestTimeoutError,
  ServiceBroker,
  ServiceNotFoundError,
  ValidationError,
} from "nucleon";
import { BROKERS, uniqueNamespace } from "../support/brokers";
import { describeWith } from "../support/describe-with";
import { MoleculerPeer, PeerLine, SerializerName, stopPeers } from "./support/moleculer-peer";
import { createNucleon, EchoResult, nodeEventsOf, nucEvents, NucleonNode, sleep, waitUntil } from "./support/nucleon-side";

type Transport = "nats" | "redis";

const MATRIX: Array<[Transport, SerializerName]> = [
  ["nats", "JSON"],
  ["nats", "MsgPack"],
  ["redis", "JSON"],
  ["redis", "MsgPack"],
];

const PEER = "mol-peer";
const VICTIM = "mol-victim";
const NUC = "nuc-node";
/** Time to let a wrong extra delivery show up before asserting "exactly". */
const SETTLE_MS = 250;

interface EventLine extends PeerLine {
  kind: "event";
  handler: string;
  event: string;
  data: { run?: string } | null;
  sender: string;
  eventType: string;
  groups: string[] | null;
  meta: Record<string, unknown>;
}

const isEvent = (run: string) => (l: PeerLine): l is EventLine =>
  l.kind === "event" && typeof l.data === "object" && l.data !== null && (l.data as { run?: unknown }).run === run;

describe.each(MATRIX)("Moleculer 0.14 interop over %s with %s", (transport, serializer) => {
  describeWith(transport, `${transport}/${serializer}`, () => {
    const namespace = uniqueNamespace(`interop-${transport}-${serializer.toLowerCase()}`);
    const url = BROKERS[transport].url;
    let peer: MoleculerPeer | undefined;
    let victim: MoleculerPeer | undefined;
    let nuc: NucleonNode | undefined;
    let broker: ServiceBroker;
    const extraNodes: NucleonNode[] = [];

    /** Event payloads carry the namespace, so suites sharing `nucEvents` never mix. */
    const runId = (name: string) => `${namespace}:${name}`;
    const peerEvents = (name: string): EventLine[] => (peer ? peer.lines.filter(isEvent(runId(name))) : []);
    const waitPeerEvents = (name: string, count: number) => peer!.waitForLines(isEvent(runId(name)), count, 5_000, name);
    const nucEventsOf = (name: string) =>
      nucEvents.filter((e) => e.namespace === namespace && e.node === NUC && (e.payload as { run?: unknown } | null)?.run === runId(name));

    beforeAll(async () => {
      // The peers are assigned before anything is awaited, so afterAll always stops them.
      peer = new MoleculerPeer({ nodeID: PEER, namespace, transporter: url, serializer });
      victim = new MoleculerPeer({ nodeID: VICTIM, namespace, transporter: url, serializer, role: "minimal" });
      nuc = createNucleon({ nodeID: NUC, namespace, transporter: url, serializer });
      broker = nuc.broker;
      await Promise.all([broker.start(), peer.waitForReady(), victim.waitForReady()]);
      await broker.waitForServices(["math", "peer", "victim"], 10_000);
      await peer.waitForLine((l) => l.kind === "node.connected" && l.nodeID === NUC, 8_000, `$node.connected for ${NUC}`);
    }, 30_000);

    afterAll(async () => {
      await stopPeers([peer, victim]);
      await Promise.all([nuc?.broker.stop(), ...extraNodes.map((n) => n.broker.stop())]);
    }, 20_000);

    it("(a) discovery: nucleon sees the peer and its services; the peer sees nucleon", async () => {
      const node = broker.registry.nodes.get(PEER);
      expect(node?.available).toBe(true);
      expect(node?.client).toMatchObject({ type: "nodejs", version: "0.14.36" });
      expect(broker.registry.hasService("math")).toBe(true);
      expect(nodeEventsOf(namespace, NUC, "connected", PEER)).toMatchObject([{ reconnected: false }]);

      expect(peer!.lines.find((l) => l.kind === "node.connected" && l.nodeID === NUC)).toMatchObject({ reconnected: false });
      const services = await peer!.command({
        cmd: "call",
        action: "$node.services",
        params: { onlyAvailable: true, skipInternal: true, withActions: true, withEvents: true },
      });
      expect(services.ok).toBe(true);
      const list = services.data as Array<{ name: string; nodes: string[]; actions: Record<string, unknown>; events: Record<string, unknown> }>;
      const nucService = list.find((s) => s.name === "nuc");
      expect(nucService?.nodes).toEqual([NUC]);
      expect(Object.keys(nucService?.actions ?? {})).toEqual(expect.arrayContaining(["nuc.echo", "nuc.strict", "nuc.relayMeta"]));
      expect(Object.keys(nucService?.events ?? {})).toEqual(["test.evt"]);
      expect(list.find((s) => s.name === "nuc2")?.nodes).toEqual([NUC]);
    });

    it("(a2) ping/pong both ways", async () => {
      const pong = await broker.ping(PEER);
      expect(pong).toMatchObject({ nodeID: PEER });
      expect(pong!.elapsedTime).toBeGreaterThanOrEqual(0);
      const reply = await peer!.command({ cmd: "ping", nodeID: NUC });
      expect(reply.data).toMatchObject({ nodeID: NUC, elapsedTime: expect.any(Number), timeDiff: expect.any(Number) });
    });

    it("(b) nucleon calls math.add, and the peer's meta changes come back merged", async () => {
      await expect(broker.call("math.add", { a: 2, b: 3 })).resolves.toBe(5);
      await expect(broker.call("math.add", { a: 2.5, b: 0.25 })).resolves.toBe(2.75);
      await expect(broker.call("$node.list", {}, { nodeID: PEER })).resolves.toEqual(
        expect.arrayContaining([expect.objectContaining({ id: NUC, available: true })]),
      );

      const res = (await broker.call("nuc.relayMeta", {}, { meta: { user: "ada" } })) as { peer: unknown; meta: Record<string, unknown> };
      // The peer saw the parent's meta plus the call's own, and set peerSaw.
      expect(res.peer).toEqual({ user: "ada", fromNuc: 1, peerSaw: true });
      // Moleculer merges the RES meta into the child and the child's into the caller's (Object.assign).
      expect(res.meta).toEqual({ user: "ada", fromNuc: 1, peerSaw: true });
    });

    it("(c) Moleculer errors arrive as nucleon's classes with name/code/type/data", async () => {
      const validation = await broker.call("math.add", { a: "x", b: 3 }).catch((e: unknown) => e);
      expect(validation).toBeInstanceOf(ValidationError);
      expect(validation).toMatchObject({
        name: "ValidationError",
        code: 422,
        type: "VALIDATION_ERROR",
        nodeID: PEER,
        retryable: false,
        data: [expect.objectContaining({ field: "a", type: "number", actual: "x" })],
      });

      const teapot = await broker.call("peer.teapot").catch((e: unknown) => e);
      expect(teapot).toBeInstanceOf(NucleonClientError);
      expect(teapot).toMatchObject({
        name: "NucleonClientError",
        message: "bad",
        code: 418,
        type: "TEAPOT",
        data: { x: 1 },
        nodeID: PEER,
        retryable: false,
      });

      const missing = await broker.call("math.nope", {}, { nodeID: PEER }).catch((e: unknown) => e);
      expect(missing).toBeInstanceOf(ServiceNotFoundError);
      expect(missing).toMatchObject({ code: 404, type: "SERVICE_NOT_FOUND", data: { action: "math.nope", nodeID: PEER } });
    });

    it("(d) the peer calls nuc.echo (root and nested), and nucleon's ValidationError reaches it", async () => {
      const root = await peer!.command({ cmd: "call", action: "nuc.echo", params: { hello: "world" }, opts: { meta: { m: 1 } } });
      expect(root).toMatchObject({ ok: true, meta: { m: 1, nucSaw: true } });
      expect(root.data).toEqual({ params: { hello: "world" }, meta: { m: 1, nucSaw: true }, caller: null, level: 1, from: PEER });

      // nucleon → peer.callNuc → nuc.echo: a nested call with the parent's remaining (fractional) timeout.
      const nested = (await broker.call("peer.callNuc", { x: 1 }, { meta: { user: "ada" } })) as {
        res: EchoResult;
        meta: Record<string, unknown>;
        level: number;
      };
      expect(nested.res).toEqual({
        params: { x: 1 },
        meta: { user: "ada", fromPeer: true, nucSaw: true },
        caller: "peer",
        level: 2,
        from: PEER,
      });
      expect(nested.meta).toEqual({ user: "ada", fromPeer: true, nucSaw: true });
      expect(nested.level).toBe(1);

      const bad = await peer!.command({ cmd: "call", action: "nuc.strict", params: { n: -1 } });
      expect(bad.ok).toBe(false);
      expect(bad.error).toMatchObject({
        name: "ValidationError",
        className: "ValidationError",
        isValidationError: true,
        isMoleculerError: true,
        code: 422,
        type: "VALIDATION_ERROR",
        nodeID: NUC,
        retryable: false,
        data: [expect.objectContaining({ field: "n" })],
      });
      await expect(peer!.command({ cmd: "call", action: "nuc.strict", params: { n: 4 } })).resolves.toMatchObject({ ok: true, data: 4 });
    });

    it("(e1) nucleon emit reaches one handler per group on the peer; groups limit it", async () => {
      for (let i = 0; i < 4; i++) await broker.emit("test.evt", { run: runId(`n-emit-${i}`) });
      for (let i = 0; i < 4; i++) await waitPeerEvents(`n-emit-${i}`, 2);
      await sleep(SETTLE_MS);
      const handlersSeen = new Set<string>();
      for (let i = 0; i < 4; i++) {
        const got = peerEvents(`n-emit-${i}`);
        expect(got).toHaveLength(2);
        const [a, b] = [...got].sort((x, y) => x.handler.localeCompare(y.handler));
        expect(["listenA1", "listenA2"]).toContain(a.handler);
        expect(b.handler).toBe("listenB");
        handlersSeen.add(a.handler);
        for (const line of got) {
          expect(line).toMatchObject({ event: "test.evt", sender: NUC, eventType: "emit" });
          expect([...(line.groups ?? [])].sort()).toEqual(["grpA", "grpB"]);
        }
      }
      // nucleon's own group ran once per emit, locally.
      for (let i = 0; i < 4; i++) expect(nucEventsOf(`n-emit-${i}`)).toHaveLength(1);
      // Within grpA the peer balances between its two services.
      expect([...handlersSeen].sort()).toEqual(["listenA1", "listenA2"]);

      await broker.emit("test.evt", { run: runId("n-emit-grpB") }, { groups: ["grpB"] });
      await waitPeerEvents("n-emit-grpB", 1);
      await sleep(SETTLE_MS);
      expect(peerEvents("n-emit-grpB").map((l) => [l.handler, l.groups])).toEqual([["listenB", ["grpB"]]]);
      expect(nucEventsOf("n-emit-grpB")).toHaveLength(0);
    });

    it("(e2) nucleon broadcast reaches every handler on the peer", async () => {
      await broker.broadcast("test.evt", { run: runId("n-bcast") }, { meta: { b: 1 } });
      await waitPeerEvents("n-bcast", 3);
      await sleep(SETTLE_MS);
      const got = peerEvents("n-bcast");
      expect(got.map((l) => l.handler).sort()).toEqual(["listenA1", "listenA2", "listenB"]);
      for (const line of got) {
        expect(line).toMatchObject({ sender: NUC, eventType: "broadcast", meta: { b: 1 } });
        expect(line.groups ?? []).toEqual([]);
      }
      expect(nucEventsOf("n-bcast").map((e) => e.handler).sort()).toEqual(["nuc", "nuc2"]);
    });

    it("(e3) the peer's emit and broadcast reach nucleon's handlers (one per group / all)", async () => {
      await peer!.command({ cmd: "emit", event: "test.evt", data: { run: runId("p-emit") }, opts: { meta: { pm: 1 } } });
      await waitUntil(() => nucEventsOf("p-emit").length >= 1, 5_000, "p-emit on nucleon");
      await sleep(SETTLE_MS);
      const emitted = nucEventsOf("p-emit");
      expect(emitted).toHaveLength(1);
      expect(["nuc", "nuc2"]).toContain(emitted[0].handler);
      expect(emitted[0]).toMatchObject({ sender: PEER, eventType: "emit", groups: ["nucgrp"], meta: { pm: 1 } });

      await peer!.command({ cmd: "emit", event: "test.evt", data: { run: runId("p-emit-nucgrp") }, opts: { groups: ["nucgrp"] } });
      await waitUntil(() => nucEventsOf("p-emit-nucgrp").length >= 1, 5_000, "p-emit-nucgrp on nucleon");
      await sleep(SETTLE_MS);
      expect(nucEventsOf("p-emit-nucgrp")).toHaveLength(1);
      // groups:["nucgrp"] skips the peer's own grpA/grpB handlers.
      expect(peerEvents("p-emit-nucgrp")).toHaveLength(0);

      await peer!.command({ cmd: "broadcast", event: "test.evt", data: { run: runId("p-bcast") } });
      await waitUntil(() => nucEventsOf("p-bcast").length >= 2, 5_000, "p-bcast on nucleon");
      await sleep(SETTLE_MS);
      const broadcast = nucEventsOf("p-bcast");
      expect(broadcast.map((e) => e.handler).sort()).toEqual(["nuc", "nuc2"]);
      for (const e of broadcast) expect(e).toMatchObject({ sender: PEER, eventType: "broadcast" });
      // A broadcast also runs the peer's own handlers, locally.
      expect(peerEvents("p-bcast").map((l) => l.handler).sort()).toEqual(["listenA1", "listenA2", "listenB"]);
    });

    it("(f) a call to the slow action with timeout 100 rejects with RequestTimeoutError", async () => {
      const started = Date.now();
      const err = await broker.call("peer.slow", { ms: 600 }, { timeout: 100 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RequestTimeoutError);
      expect(err).toMatchObject({ code: 504, type: "REQUEST_TIMEOUT", data: { action: "peer.slow", nodeID: PEER } });
      expect(Date.now() - started).toBeLessThan(1_000);
      expect(broker.transit?.pending.size).toBe(0);
      // The late RES is dropped as an orphan; the connection keeps working.
      await sleep(600);
      await expect(broker.call("peer.slow", { ms: 10 })).resolves.toBe("slow done");
    });

    it("(h) a nucleon node stopping gracefully → the peer sees $node.disconnected (unexpected: false)", async () => {
      // By now both sides have relied on each other's heartbeats for longer than heartbeatTimeout (3 s).
      expect(peer!.lines.filter((l) => l.kind === "node.disconnected" && l.nodeID === NUC)).toEqual([]);
      expect(nodeEventsOf(namespace, NUC, "disconnected", PEER)).toEqual([]);
      const other = createNucleon({ nodeID: "nuc-other", namespace, transporter: url, serializer, services: [] });
      extraNodes.push(other);
      await other.broker.start();
      await peer!.waitForLine((l) => l.kind === "node.connected" && l.nodeID === "nuc-other", 5_000, "$node.connected nuc-other");
      await other.broker.stop();
      const line = await peer!.waitForLine(
        (l) => l.kind === "node.disconnected" && l.nodeID === "nuc-other",
        3_000,
        "$node.disconnected nuc-other",
      );
      expect(line.unexpected).toBe(false);
    });

    it("(g1) SIGTERM: the peer stops gracefully → $node.disconnected (unexpected: false), services gone", async () => {
      // A request in flight when the peer leaves is rejected at its DISCONNECT, not left to time out.
      const inFlight = broker.call("peer.slow", { ms: 4_000 }).catch((e: unknown) => e);
      await sleep(100);
      const killedAt = Date.now();
      await peer!.kill("SIGTERM");
      expect(peer!.exitCode).toBe(0);
      expect(peer!.linesOf("stopped")).toHaveLength(1);
      await waitUntil(() => nodeEventsOf(namespace, NUC, "disconnected", PEER).length > 0, 3_000, `$node.disconnected for ${PEER}`);
      expect(nodeEventsOf(namespace, NUC, "disconnected", PEER)).toMatchObject([{ unexpected: false }]);
      const rejected = await inFlight;
      expect(rejected).toBeInstanceOf(RequestRejectedError);
      expect(rejected).toMatchObject({ code: 503, data: { action: "peer.slow", nodeID: PEER } });
      expect(Date.now() - killedAt).toBeLessThan(2_000);
      expect(broker.registry.hasService("math")).toBe(false);
      expect(broker.registry.hasService("peer")).toBe(false);
      expect(broker.registry.nodes.get(PEER)?.available).toBe(false);
      await expect(broker.call("math.add", { a: 1, b: 1 })).rejects.toBeInstanceOf(ServiceNotFoundError);
    });

    it("(g2) SIGKILL: a silent peer → $node.disconnected (unexpected: true) within ~6 s", async () => {
      expect(broker.registry.hasService("victim")).toBe(true);
      await expect(broker.call("victim.ping")).resolves.toBe("pong");
      const inFlight = broker.call("victim.slow", { ms: 20_000 }, { timeout: 10_000 }).catch((e: unknown) => e);
      await sleep(100);
      const killedAt = Date.now();
      await victim!.kill("SIGKILL");
      expect(victim!.exitSignal).toBe("SIGKILL");
      await waitUntil(() => nodeEventsOf(namespace, NUC, "disconnected", VICTIM).length > 0, 6_500, `$node.disconnected for ${VICTIM}`);
      const elapsed = Date.now() - killedAt;
      expect(nodeEventsOf(namespace, NUC, "disconnected", VICTIM)).toMatchObject([{ unexpected: true }]);
      expect(elapsed).toBeLessThan(6_500);
      expect(broker.registry.hasService("victim")).toBe(false);
      // The pending request went with the node (not left to its 10 s timeout).
      const rejected = await inFlight;
      expect(rejected).toBeInstanceOf(RequestRejectedError);
      expect(rejected).toMatchObject({ data: { action: "victim.slow", nodeID: VICTIM } });
    }, 12_000);
  });
});
