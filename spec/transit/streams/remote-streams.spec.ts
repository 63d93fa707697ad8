import { Readable } from "node:stream";
import { BrokerOptionsError, RequestRejectedError, type ServiceBroker, ValidationError } from "nucleon";
import { describeWith } from "../../support/describe-with";
import { byteSource, collect, digest, expectedDigest, failingSource } from "../../support/stream-data";
import { FilesService, type Saved } from "../../support/stream-services";
import { waitUntil } from "../cluster";
import { type StreamTransport, streamPair, streamsHeld } from "./stream-cluster";

const MB = 1024 * 1024;
// JSON streams cost ~80 ms of CPU per 256 KiB chunk: generous limits for a loaded 2-core machine.
jest.setTimeout(90_000);

/** JSON sends a Buffer as an array of numbers (~3.6 bytes per byte, slow to encode): smaller there. */
function suite(transport: StreamTransport, serializer: string, protocolVersion: "4" | "5" = "4", size = serializer === "JSON" ? 5 * MB : 20 * MB): void {
  describe(`streams across nodes over ${transport} (${serializer}, protocol v${protocolVersion})`, () => {
    let client: ServiceBroker;
    let server: ServiceBroker;
    let stop: () => Promise<void>;

    beforeAll(async () => {
      ({ client, server, stop } = await streamPair(transport, { common: { serializer, protocolVersion, requestTimeout: 20_000 } }));
    });

    afterAll(() => stop());

    afterEach(async () => {
      // Every stream, finished or failed, leaves nothing behind on either node.
      await waitUntil(() => Object.values(streamsHeld(client, server)).every((n) => n === 0), 15_000);
    });

    it(`sends a ${size / MB} MB request stream byte-exact (sha256), params and meta intact`, async () => {
      const saved = await client.call<Saved>("files.save", { name: "big.bin" }, { stream: byteSource(size, 1 * MB), meta: { user: "u1" } });
      expect(saved).toEqual({ name: "big.bin", ...(await expectedDigest(size)), meta: { user: "u1" } });
    });

    it(`returns a ${size / MB} MB response stream byte-exact (sha256)`, async () => {
      const stream = await client.call(FilesService, "download", { size });
      expect(stream).toBeInstanceOf(Readable);
      expect(await digest(stream)).toEqual(await expectedDigest(size));
    });

    it("validates the params of a remote stream call", async () => {
      await expect(client.call("files.save", { name: 7 }, { stream: byteSource(1000) })).rejects.toBeInstanceOf(ValidationError);
    });

    it("carries object-mode streams both ways", async () => {
      const items = Array.from({ length: 50 }, (_, i) => ({ i, tags: ["a", String(i)] }));
      await expect(client.call("files.saveObjects", {}, { stream: Readable.from(items) })).resolves.toEqual(items);
      const back = await collect(await client.call<Readable>("files.downloadObjects", { count: 30 }));
      expect(back).toEqual(Array.from({ length: 30 }, (_, i) => ({ i, text: `item ${i}` })));
    });

    it("fails the handler's read when the caller's stream errors ($streamError)", async () => {
      await expect(client.call("files.save", { name: "x" }, { stream: failingSource(600_000, "caller source broke") })).rejects.toThrow(
        "caller source broke",
      );
    });

    it("fails the caller's response stream when the handler's stream errors", async () => {
      const stream = await client.call<Readable>("files.downloadFailing", { before: 700_000 });
      await expect(digest(stream)).rejects.toThrow("source broke");
    });

    it("rejects the caller and stops the sender when the handler throws while reading", async () => {
      const source = byteSource(50 * MB);
      await expect(client.call("files.failWhileReading", { after: 300_000 }, { stream: source })).rejects.toThrow(/handler gave up/);
      // The sender stopped: the 50 MB source was not read to its end.
      await waitUntil(() => source.destroyed);
      expect(source.readableEnded).toBe(false);
    });

    it("stops the handler's stream when the caller drops the response stream", async () => {
      const stream = await client.call<Readable>("files.download", { size: 50 * MB });
      for await (const _ of stream) break; // destroys it after the first chunk
    });

    it("leaves nothing behind after many failed and aborted streams", async () => {
      const runs = Array.from({ length: 20 }, async (_, i) => {
        if (i % 4 === 0) await client.call("files.save", { name: "e" }, { stream: failingSource(100_000, "x") }).catch(() => undefined);
        else if (i % 4 === 1) await client.call("files.failWhileReading", { after: 10 }, { stream: byteSource(MB) }).catch(() => undefined);
        else if (i % 4 === 2) await digest(await client.call<Readable>("files.downloadFailing", { before: 300_000 })).catch(() => undefined);
        else (await client.call<Readable>("files.download", { size: 2 * MB })).destroy();
      });
      await Promise.all(runs);
      await waitUntil(() => Object.values(streamsHeld(client, server)).every((n) => n === 0), 15_000);
      expect(streamsHeld(client, server)).toEqual({ outgoing: 0, incoming: 0, buffered: 0, pending: 0 });
    });
  });
}

suite("memory", "JSON");
suite("memory", "MsgPack");
suite("memory", "JSON", "5");
describeWith("nats", "NATS", () => {
  suite("nats", "JSON");
  suite("nats", "MsgPack");
  suite("nats", "MsgPack", "5");
});
describeWith("redis", "Redis", () => suite("redis", "MsgPack"));
describe("TCP", () => {
  suite("tcp", "MsgPack");
  suite("tcp", "JSON", "5");
});

describe.each<StreamTransport>(["memory", "tcp"])("a node leaving mid-stream (%s)", (transport) => {
  it("fails the caller's response stream with a retryable error", async () => {
    const { client, server, stop } = await streamPair(transport, { common: { serializer: "MsgPack" } });
    const stream = await client.call<Readable>("files.download", { size: 50 * MB });
    await new Promise((r) => stream.once("readable", r));
    // What the heartbeat check does when the server falls silent.
    client.transit?.discovery.disconnected("server", true);
    const err = await digest(stream).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(RequestRejectedError);
    expect((err as RequestRejectedError).retryable).toBe(true);
    await waitUntil(() => streamsHeld(client, server).outgoing === 0 && streamsHeld(client).incoming === 0);
    await stop();
  });

  it("fails the handler's request stream with a retryable error when the caller leaves", async () => {
    const { client, server, stop } = await streamPair(transport, { common: { serializer: "MsgPack" } });
    FilesService.seen = [];
    const source = byteSource(50 * MB);
    const call = client.call("files.save", { name: "gone" }, { stream: source }).catch(() => undefined);
    await waitUntil(() => FilesService.seen.length === 1);
    const failed = new Promise((resolve) => FilesService.seen[0].once("error", resolve));
    server.transit?.discovery.disconnected("client", true);
    expect(await failed).toBeInstanceOf(RequestRejectedError);
    await waitUntil(() => streamsHeld(server).incoming === 0);
    client.transit?.discovery.disconnected("server", true);
    await call;
    await stop();
  });
});

describe("a node leaving mid-stream over TCP, for real", () => {
  it("its sockets closing fails the caller's response stream with a retryable error; the caller holds nothing", async () => {
    const { client, server, stop } = await streamPair("tcp", { common: { serializer: "MsgPack" } });
    const stream = await client.call<Readable>("files.download", { size: 50 * MB });
    await new Promise((r) => stream.once("readable", r));
    // The server's transport goes away (no DISCONNECT packet crosses TCP): the client sees its socket close.
    await server.transit?.transporter.disconnect();
    const err = await digest(stream).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(RequestRejectedError);
    expect((err as RequestRejectedError).retryable).toBe(true);
    await waitUntil(() => streamsHeld(client).incoming === 0 && streamsHeld(client).pending === 0);
    // The server (its transport gone, its broker still up) drops its sender when it stops.
    await stop();
    expect(streamsHeld(server).outgoing).toBe(0);
  });
});

describe("streams with disableBalancer", () => {
  it("need the call option nodeID (the transport would spread the packets), and work with it", async () => {
    const { client, server, stop } = await streamPair("memory", { common: { disableBalancer: true, serializer: "MsgPack" } });
    await expect(client.call("files.save", { name: "b" }, { stream: byteSource(1000) })).rejects.toBeInstanceOf(BrokerOptionsError);
    const saved = await client.call("files.save", { name: "b" }, { stream: byteSource(MB), nodeID: "server" });
    expect(saved).toMatchObject(await expectedDigest(MB));
    expect(streamsHeld(client, server)).toEqual({ outgoing: 0, incoming: 0, buffered: 0, pending: 0 });
    await stop();
  });
});

describe("graceful stop with streams in flight", () => {
  it("the responding node's broker.stop() waits until its response stream has been sent", async () => {
    const { client, server, stop } = await streamPair("memory", { common: { serializer: "MsgPack" } });
    const stream = await client.call<Readable>("files.download", { size: 8 * MB });
    const reading = digest(stream);
    let stopped = false;
    const stopping = server.stop().then(() => (stopped = true));
    expect(await reading).toEqual(await expectedDigest(8 * MB));
    await stopping;
    expect(stopped).toBe(true);
    await stop();
  });

  it("the handler's node's broker.stop() waits until the handler has read its request stream", async () => {
    const { client, server, stop } = await streamPair("memory", { common: { serializer: "MsgPack" } });
    FilesService.seen = [];
    const saving = client.call<Saved>("files.save", { name: "late" }, { stream: byteSource(8 * MB) });
    await waitUntil(() => FilesService.seen.length === 1);
    const stopping = server.stop();
    await expect(saving).resolves.toMatchObject(await expectedDigest(8 * MB));
    await stopping;
    await stop();
  });
});
