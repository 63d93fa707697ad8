import { Action, Context, Event, Service, formatTraceparent, parseTraceparent, spanIdOf, traceIdOf } from "nucleon";
import { memoryCluster, waitUntil } from "../transit/cluster";
import { CollectingExporter, idsOf } from "./collect";

describe("W3C traceparent: parse and format", () => {
  it("reads version 00 and its sampled flag, and writes what it reads", () => {
    const value = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    expect(parseTraceparent(value)).toEqual({ traceId: "4bf92f3577b34da6a3ce929d0e0e4736", parentSpanId: "00f067aa0ba902b7", sampled: true });
    expect(formatTraceparent("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", true)).toBe(value);
    expect(parseTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00")?.sampled).toBe(false);
    // A later version may append fields.
    expect(parseTraceparent("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra")?.traceId).toBe("4bf92f3577b34da6a3ce929d0e0e4736");
  });

  it.each([
    ["version ff", "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"],
    ["all-zero trace id", "00-00000000000000000000000000000000-00f067aa0ba902b7-01"],
    ["all-zero parent id", "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01"],
    ["upper case", "00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01"],
    ["short trace id", "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01"],
    ["version 00 with more fields", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-x"],
    ["not a string", 42],
  ])("rejects %s", (_why, value) => {
    expect(parseTraceparent(value)).toBeNull();
  });
});

const received: Array<{ kind: string; traceparent: unknown; requestID: string }> = [];

@Service({ name: "front" })
class FrontService {
  @Action({ params: false })
  async go(_p: unknown, ctx: Context): Promise<string> {
    await ctx.emit("went", {});
    return ctx.call<string>("back.answer");
  }
}

@Service({ name: "back" })
class BackService {
  @Action({ params: false })
  answer(_p: unknown, ctx: Context): string {
    received.push({ kind: "REQ", traceparent: ctx.headers.traceparent, requestID: ctx.requestID });
    return "ok";
  }

  @Event("went")
  onWent(_p: unknown, ctx: Context): void {
    received.push({ kind: "EVENT", traceparent: ctx.headers.traceparent, requestID: ctx.requestID });
  }
}

async function twoNodes(protocolVersion: "4" | "5") {
  const a = new CollectingExporter();
  const b = new CollectingExporter();
  const cluster = await memoryCluster(
    [
      { nodeID: "a", services: [FrontService], options: { tracing: { exporter: a } } },
      { nodeID: "b", services: [BackService], options: { tracing: { exporter: b } } },
    ],
    { protocolVersion },
  );
  await cluster.brokers[0].waitForServices("back", 2000);
  received.length = 0;
  const flush = async () => {
    await waitUntil(() => received.length === 2);
    for (const broker of cluster.brokers) await broker.tracer!.flush();
  };
  return { a, b, cluster, flush };
}

describe("W3C traceparent in protocol v5 headers", () => {
  let stop: (() => Promise<void>) | null = null;
  afterEach(async () => {
    await stop?.();
    stop = null;
  });

  it("is sent on REQ (parent: the CLIENT span) and EVENT (parent: the emitting handler's span); the responder's span hangs under it", async () => {
    const { a, b, cluster, flush } = await twoNodes("5");
    stop = cluster.stop;
    expect(await cluster.brokers[0].call("front.go")).toBe("ok");
    await flush();

    const root = idsOf(a.byName("action 'front.go'"));
    const client = idsOf(a.byName("call 'back.answer'"));
    const req = received.find((r) => r.kind === "REQ")!;
    const event = received.find((r) => r.kind === "EVENT")!;
    expect(req.traceparent).toBe(`00-${root.traceId}-${client.spanId}-01`);
    expect(event.traceparent).toBe(`00-${root.traceId}-${root.spanId}-01`);
    // nucleon's own traceparent agrees with the requestID: nothing is rewritten.
    expect(traceIdOf(req.requestID)).toBe(root.traceId);

    const responder = idsOf(b.byName("action 'back.answer'"));
    expect(responder).toMatchObject({ traceId: root.traceId, parentId: client.spanId });
    expect(idsOf(b.byName("event 'went' in 'back'"))).toMatchObject({ traceId: root.traceId, parentId: root.spanId });
  });

  it("a foreign traceparent on a call is followed: its trace id and parent on this node, and across nodes", async () => {
    const { a, b, cluster, flush } = await twoNodes("5");
    stop = cluster.stop;
    const foreign = { traceId: "4bf92f3577b34da6a3ce929d0e0e4736", parent: "00f067aa0ba902b7" };
    const headers = { traceparent: formatTraceparent(foreign.traceId, foreign.parent, true) };
    expect(await cluster.brokers[0].call("front.go", {}, { headers })).toBe("ok");
    await flush();

    const root = idsOf(a.byName("action 'front.go'"));
    expect(root).toMatchObject({ traceId: foreign.traceId, parentId: foreign.parent });
    expect(idsOf(a.byName("call 'back.answer'")).traceId).toBe(foreign.traceId);
    const responder = b.byName("action 'back.answer'");
    expect(idsOf(responder).traceId).toBe(foreign.traceId);
    // The W3C trace id became the requestID, so the whole call tree shares it.
    expect(received.map((r) => r.requestID)).toEqual([foreign.traceId, foreign.traceId]);
    expect(responder.attributes.requestID).toBe(foreign.traceId);
  });

  it("a v5 REQ from a node without tracing, carrying a traceparent, decides sampling on the receiver", async () => {
    const b = new CollectingExporter();
    const cluster = await memoryCluster(
      [
        { nodeID: "plain", services: [] },
        { nodeID: "b", services: [BackService], options: { tracing: { exporter: b, sampling: { rate: 0 } } } },
      ],
      { protocolVersion: "5" },
    );
    stop = cluster.stop;
    const [plain, nb] = cluster.brokers;
    await plain.waitForServices("back", 2000);
    received.length = 0;
    const traceparent = formatTraceparent("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", true);
    expect(await plain.call("back.answer", {}, { headers: { traceparent } })).toBe("ok");
    await nb.tracer!.flush();
    // The receiver samples nothing by itself (rate 0), but the header's flag says sampled.
    expect(idsOf(b.byName("action 'back.answer'"))).toMatchObject({ traceId: "4bf92f3577b34da6a3ce929d0e0e4736", parentId: "00f067aa0ba902b7" });
  });

  it("is not sent with protocol v4 (no headers there); the spans link through requestID/parentID", async () => {
    const { a, b, cluster, flush } = await twoNodes("4");
    stop = cluster.stop;
    expect(await cluster.brokers[0].call("front.go")).toBe("ok");
    await flush();
    expect(received.map((r) => r.traceparent)).toEqual([undefined, undefined]);
    const root = idsOf(a.byName("action 'front.go'"));
    expect(idsOf(b.byName("action 'back.answer'"))).toMatchObject({ traceId: root.traceId, parentId: root.spanId });
    expect(spanIdOf(received[0].requestID)).toBe(root.traceId.slice(16));
  });
});

