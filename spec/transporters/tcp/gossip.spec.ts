import { JSONSerializer } from "../../../lib/serializers/json";
import type { ClusterPort } from "../../../lib/transporters";
import { AddressBook } from "../../../lib/transporters/tcp/address-book";
import { FrameType } from "../../../lib/transporters/tcp/frame";
import { Gossip } from "../../../lib/transporters/tcp/gossip";
import { clusterPort } from "../../../lib/transit/cluster-port";
import { CpuUsage } from "../../../lib/transit/cpu-usage";
import { Discovery } from "../../../lib/transit/discovery";
import { localEmitter } from "../../../lib/transit/local-events";
import { TRANSIT_DEFAULTS } from "../../../lib/transit/options";
import { RateLimitedLog } from "../../../lib/utils/rate-limited-log";
import { descriptor, type FakeHost, fakeHost } from "../../transit/fake-host";

/**
 * Gossip against transit's real cluster state (Discovery and the node
 * records), one node ("me") fed the packets Moleculer's gossip sends; what
 * it sends back is decoded from the bytes it hands to the socket writer.
 */
describe("TCP gossip", () => {
  const serializer = new JSONSerializer();
  let host: FakeHost;
  let cluster: ClusterPort;
  let sent: Array<{ to: string; type: number; payload: Record<string, unknown> }>;
  let book: AddressBook;
  let gossip: Gossip;

  beforeEach(() => {
    host = fakeHost("me", [descriptor("math", "add", "math.done")]);
    host.localNode.seq = 1; // a started node has announced its services at least once
    const log = new RateLimitedLog(host.logger);
    const discovery = new Discovery(host, localEmitter(host), () => undefined, TRANSIT_DEFAULTS);
    cluster = clusterPort({ host, discovery, serializer, opts: TRANSIT_DEFAULTS, cpu: new CpuUsage(), log, leaving: () => false });
    sent = [];
    book = new AddressBook(false);
    gossip = new Gossip(
      cluster,
      book,
      async (to, type, data) => void sent.push({ to, type, payload: serializer.deserialize(data) as Record<string, unknown> }),
      () => 7000,
    );
  });

  const packet = (payload: Record<string, unknown>) => serializer.serialize({ ver: "4", sender: "peer", ...payload });
  const infoOf = (seq: number, port = 7001) => ({
    services: [{ name: "svc", fullName: "svc", settings: {}, metadata: {}, actions: { "svc.go": { name: "svc.go" } }, events: {} }],
    ipList: ["127.0.0.1"],
    hostname: "peer-host",
    client: { type: "nodejs", version: "0.14.36", langVersion: "v20" },
    instanceID: "peer-instance",
    metadata: {},
    seq,
    port,
  });

  it("registers a node from a GOSSIP_RES info row, with its services and port", () => {
    gossip.onResponse(packet({ online: { peer: [infoOf(3), 2, 40] } }), "me");
    const node = host.nodes.get("peer");
    expect(node).toMatchObject({ available: true, seq: 3, cpu: 40, cpuSeq: 2, hostname: "peer-host" });
    expect(host.servicesOf).toEqual([{ nodeID: "peer", services: ["svc"] }]);
    expect(book.locate("peer", node)).toEqual({ host: "127.0.0.1", port: 7001 });
  });

  it("takes a node offline when gossip carries a newer offline seq, with no socket of its own involved", () => {
    gossip.onResponse(packet({ online: { peer: [infoOf(3), 1, 10] } }), "me");
    gossip.onResponse(packet({ offline: { peer: 3 } }), "me"); // not newer: ignored
    expect(host.nodes.get("peer")?.available).toBe(true);
    gossip.onResponse(packet({ offline: { peer: 5 } }), "me");
    expect(host.nodes.get("peer")).toMatchObject({ available: false, seq: 5 });
    expect(host.left).toEqual(["peer"]);
  });

  it("answers a requester that holds us offline with our info above its seq", () => {
    host.localNode.seq = 2;
    gossip.onRequest(packet({ online: { peer: [1, 0, 0] }, offline: { me: 4 } }));
    const reply = sent.find((s) => s.type === FrameType.GOSSIP_RES);
    expect(reply?.to).toBe("peer");
    const row = (reply?.payload.online as Record<string, unknown[]>).me;
    expect(row[0]).toMatchObject({ seq: 5, port: 7000, instanceID: host.instanceID });
    expect(host.localNode.seq).toBe(5);
  });

  it("answers only with what the requester lacks: newer cpu, unknown nodes; nothing when it is up to date", () => {
    gossip.onResponse(packet({ online: { other: [{ ...infoOf(2), instanceID: "o" }, 5, 30] } }), "me");
    sent = [];
    // Up to date on both: no answer at all.
    gossip.onRequest(packet({ online: { me: [host.localNode.seq, 0, 0], other: [2, 5, 30] } }));
    expect(sent).toEqual([]);
    // An older cpuSeq for "other", and "me" unknown to it: cpu row and our full info.
    gossip.onRequest(packet({ online: { other: [2, 3, 10] } }));
    const online = sent[0].payload.online as Record<string, unknown[]>;
    expect(online.other).toEqual([5, 30]);
    expect(online.me[0]).toMatchObject({ seq: host.localNode.seq, port: 7000 });
  });

  it("sends each round its whole view to an online peer", () => {
    gossip.onResponse(packet({ online: { peer: [infoOf(3), 1, 10] } }), "me");
    cluster.addOffline("down");
    gossip.round();
    const toPeer = sent.filter((s) => s.to === "peer" && s.type === FrameType.GOSSIP_REQ);
    expect(toPeer).toHaveLength(1);
    expect(toPeer[0].payload).toMatchObject({ ver: "4", sender: "me", online: { me: [host.localNode.seq, expect.any(Number), expect.any(Number)], peer: [3, 1, 10] } });
    // "down" has never been online (seq 0): not listed as offline, but it may be sent a request (ratio 1/2).
    expect((toPeer[0].payload.offline as Record<string, unknown> | undefined)?.down).toBeUndefined();
  });

  it("drops a malformed info row with one log line and keeps going", () => {
    gossip.onResponse(packet({ online: { bad: [{ seq: 1, services: "nope" }, 1, 1], peer: [infoOf(1), 1, 1] } }), "me");
    expect(host.nodes.has("bad")).toBe(false);
    expect(host.nodes.get("peer")?.available).toBe(true);
    expect(host.logs.filter((l) => /malformed node info/.test(l.msg))).toHaveLength(1);
  });
});
