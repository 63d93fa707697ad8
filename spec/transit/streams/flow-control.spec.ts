import { Readable } from "node:stream";
import { Action, Context, Event, RequestTimeoutError, Service, type ServiceBroker } from "nucleon";
import { MemoryBus, MemoryTransporter } from "../../../lib/transporters/memory";
import { describeWith } from "../../support/describe-with";
import { byteSource, digest, expectedDigest } from "../../support/stream-data";
import { waitUntil } from "../cluster";
import { type StreamTransport, streamPair, streamsHeld } from "./stream-cluster";

const MB = 1024 * 1024;
// Streams of several MB on a loaded 2-core machine: generous limits.
jest.setTimeout(90_000);
const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Reads its request stream slowly and counts what it took. */
@Service({ name: "slow" })
class SlowReader {
  static consumed = 0;

  @Action({ params: false })
  async take(p: { delay: number }, ctx: Context): Promise<number> {
    for await (const chunk of ctx.stream as Readable) {
      SlowReader.consumed += (chunk as Buffer).length;
      // `delay` ms per 256 KiB read: the async iterator may hand over several packets' bytes at once, so pace by bytes.
      await tick(Math.ceil((p.delay * (chunk as Buffer).length) / (256 * 1024)));
    }
    return SlowReader.consumed;
  }

  static produced = 0;

  @Action({ params: false })
  give(p: { size: number }): Readable {
    return byteSource(p.size, 64 * 1024, (n) => (SlowReader.produced += n));
  }

  /** One chunk, then silence. */
  @Action({ params: false })
  stall(): Readable {
    const r = new Readable({ read() {} });
    r.push(Buffer.from("first"));
    return r;
  }
}

/** Node events seen by each broker. */
@Service({ name: "watch" })
class Watch {
  static gone: string[] = [];

  @Event("$node.disconnected")
  disconnected(p: { node: { id: string } }): void {
    Watch.gone.push(p.node.id);
  }
}

// TCP ports 27650–27699 belong to this spec file.
const TCP_BASE = 27650;

describe.each<StreamTransport>(["memory", "tcp"])("flow control between nucleon nodes (%s)", (transport) => {
  let client: ServiceBroker;
  let server: ServiceBroker;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    ({ client, server, stop } = await streamPair(transport, { common: { serializer: "MsgPack" }, tcpBase: TCP_BASE }));
    server.register(SlowReader);
    await client.waitForServices("slow", 5000);
  });

  afterAll(() => stop());

  it("sees the other node's window (INFO over a broker, gossip over TCP)", () => {
    expect(client.registry.nodes.get("server")?.rawInfo?.streamWindow).toBe(16);
    expect(server.registry.nodes.get("client")?.rawInfo?.streamWindow).toBe(16);
  });

  it("keeps what is in flight within the receiver's window when the handler reads slowly", async () => {
    SlowReader.consumed = 0;
    let read = 0;
    let widest = 0;
    const source = byteSource(16 * MB, 256 * 1024, (n) => {
      read += n;
      widest = Math.max(widest, read - SlowReader.consumed);
    });
    await expect(client.call("slow.take", { delay: 2 }, { stream: source })).resolves.toBe(16 * MB);
    // Window 16 × 256 KiB = 4 MiB, plus a chunk or two in the streams' own buffers; unpaced it would be all 16 MB.
    expect(widest).toBeLessThanOrEqual(5 * MB);
    expect(widest).toBeGreaterThan(0);
  });

  it("reads a response stream's source only as fast as the caller consumes it", async () => {
    SlowReader.produced = 0;
    const stream = await client.call<Readable>("slow.give", { size: 16 * MB });
    let consumed = 0;
    let widest = 0;
    for await (const chunk of stream) {
      consumed += (chunk as Buffer).length;
      widest = Math.max(widest, SlowReader.produced - consumed);
      await tick(1);
    }
    expect(consumed).toBe(16 * MB);
    expect(widest).toBeLessThanOrEqual(5 * MB);
  });

  it("stops the sender at once when the caller drops a response stream (a cancel credit)", async () => {
    SlowReader.produced = 0;
    const stream = await client.call<Readable>("slow.give", { size: 64 * MB });
    for await (const _ of stream) break;
    await waitUntil(() => Object.values(streamsHeld(client, server)).every((n) => n === 0), 5000);
    // Unpaced, the sender would have read far past the window before the stream was dropped.
    expect(SlowReader.produced).toBeLessThanOrEqual(5 * MB);
  });
});

describe("flow control details (memory transport)", () => {
  let client: ServiceBroker;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    ({ client, stop } = await streamPair("memory", { common: { serializer: "MsgPack" } }));
  });

  afterAll(() => stop());

  it("announces its window in INFO, and a node that announces none is sent no credit", async () => {
    expect(client.registry.nodes.get("server")?.rawInfo?.streamWindow).toBe(16);
    const { client: c2, server: s2, stop: stop2 } = await streamPair("memory", { server: { transit: { discoverWait: 50, stopDelay: 10, streamWindow: 0 } } });
    expect(c2.registry.nodes.get("server")?.rawInfo?.streamWindow).toBeUndefined();
    const credits: unknown[] = [];
    // Every packet the server sends: none may be a credit.
    const transporter = s2.transit?.transporter as MemoryTransporter;
    transporter.bus.subscribe(`MOL-${s2.namespace}.RES.client`, (data) => {
      const res = JSON.parse(data.toString()) as { credit?: unknown };
      if (res.credit !== undefined) credits.push(res.credit);
    });
    const saved = await c2.call("files.save", { name: "m" }, { stream: byteSource(3 * MB) });
    expect(saved).toMatchObject(await expectedDigest(3 * MB));
    expect(credits).toEqual([]);
    await stop2();
  });

  it("splits chunks below the transport's max payload (JSON Buffers are ~3.6× their bytes)", async () => {
    const { client: c3, stop: stop3 } = await streamPairWithLimit(100_000);
    const saved = await c3.call("files.save", { name: "small" }, { stream: byteSource(MB) });
    expect(saved).toMatchObject(await expectedDigest(MB));
    const back = await c3.call<Readable>("files.download", { size: MB });
    expect(await digest(back)).toEqual(await expectedDigest(MB));
    await stop3();
  });
});

/** A pair whose memory transport refuses messages over `limit` bytes, as NATS does over max_payload. */
async function streamPairWithLimit(limit: number): Promise<{ client: ServiceBroker; stop: () => Promise<void> }> {
  const bus = new MemoryBus();
  const { client, stop } = await streamPair("memory", {
    common: { serializer: "JSON" },
    server: { transporter: new MemoryTransporter({ bus, maxPayload: limit }) },
    client: { transporter: new MemoryTransporter({ bus, maxPayload: limit }) },
  });
  return { client, stop };
}

describe("stream timeouts", () => {
  let client: ServiceBroker;
  let server: ServiceBroker;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    ({ client, server, stop } = await streamPair("memory", { common: { serializer: "MsgPack" } }));
    server.register(SlowReader);
    await client.waitForServices("slow", 2000);
  });

  afterAll(() => stop());

  it("fails a response stream with no packet for longer than the call timeout", async () => {
    const stream = await client.call<Readable>("slow.stall", {}, { timeout: 300 });
    await expect(digest(stream)).rejects.toBeInstanceOf(RequestTimeoutError);
    await waitUntil(() => Object.values(streamsHeld(client, server)).every((n) => n === 0));
  });

  it("fails a request stream that stops moving, on both sides", async () => {
    const source = new Readable({ read() {} });
    source.push(Buffer.alloc(1000));
    await expect(client.call("files.save", { name: "stuck" }, { stream: source, timeout: 300 })).rejects.toBeInstanceOf(RequestTimeoutError);
    await waitUntil(() => Object.values(streamsHeld(client, server)).every((n) => n === 0));
    expect(source.destroyed).toBe(true);
  });

  it("lets a long stream outlive the call timeout while it keeps moving", async () => {
    SlowReader.consumed = 0;
    const started = Date.now();
    await expect(client.call("slow.take", { delay: 5 }, { stream: byteSource(24 * MB, 256 * 1024), timeout: 300 })).resolves.toBe(24 * MB);
    expect(Date.now() - started).toBeGreaterThan(300);
  });
});

describe("the broker's requestTimeout with streams", () => {
  it("is an idle timeout on both nodes: a transfer longer than it that keeps moving succeeds", async () => {
    const { client, server, stop } = await streamPair("memory", { common: { serializer: "MsgPack", requestTimeout: 300 } });
    server.register(SlowReader);
    await client.waitForServices("slow", 2000);
    SlowReader.consumed = 0;
    const started = Date.now();
    await expect(client.call("slow.take", { delay: 5 }, { stream: byteSource(24 * MB, 256 * 1024) })).resolves.toBe(24 * MB);
    expect(Date.now() - started).toBeGreaterThan(300);
    await stop();
  });
});

describeWith("nats", "heartbeats during a long stream over NATS", () => {
  it("keep flowing: neither node drops the other", async () => {
    Watch.gone = [];
    const { client, server, stop } = await streamPair("nats", {
      common: { serializer: "MsgPack", heartbeatInterval: 0.1, heartbeatTimeout: 0.5 },
    });
    server.register(SlowReader, Watch);
    client.register(Watch);
    await client.waitForServices("slow", 3000);
    SlowReader.consumed = 0;
    const started = Date.now();
    await expect(client.call("slow.take", { delay: 15 }, { stream: byteSource(24 * MB, 256 * 1024) })).resolves.toBe(24 * MB);
    // The transfer lasted several heartbeat timeouts.
    expect(Date.now() - started).toBeGreaterThan(1000);
    expect(Watch.gone).toEqual([]);
    await stop();
  });
});
