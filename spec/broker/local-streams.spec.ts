import { Readable } from "node:stream";
import { Action, Context, RequestTimeoutError, Service, ServiceBroker, ValidationError } from "nucleon";
import { byteSource, collect, digest, expectedDigest, failingSource } from "../support/stream-data";
import { FilesService } from "../support/stream-services";

describe("streams on one node (no transporter)", () => {
  let broker: ServiceBroker;

  beforeEach(async () => {
    broker = new ServiceBroker({ nodeID: "local", logger: false });
    broker.register(FilesService);
    await broker.start();
  });

  afterEach(() => broker.stop());

  it("hands the request stream to the handler as ctx.stream, params validated", async () => {
    const source = byteSource(3 * 1024 * 1024);
    const saved = await broker.call(FilesService, "save", { name: "a.bin" }, { stream: source, meta: { who: "me" } });
    expect(saved).toEqual({ name: "a.bin", ...(await expectedDigest(3 * 1024 * 1024)), meta: { who: "me" } });
    // The very stream given: no copy locally.
    expect(FilesService.seen.at(-1)).toBe(source);
  });

  it("still validates the params of a stream call", async () => {
    const source = byteSource(10);
    await expect(broker.call("files.save", { name: 42 }, { stream: source })).rejects.toBeInstanceOf(ValidationError);
  });

  it("passes object-mode request streams", async () => {
    const items = [{ a: 1 }, { b: "two" }, [3]];
    await expect(broker.call("files.saveObjects", {}, { stream: Readable.from(items) })).resolves.toEqual(items);
  });

  it("resolves to the handler's Readable, typed so by the service class", async () => {
    const result = await broker.call(FilesService, "download", { size: 1_000_000 });
    // Compile-time: the typed result is a Readable.
    const typed: Readable = result;
    // @ts-expect-error -- typed as the handler's Readable, not as anything
    const wrong: number = result;
    expect(wrong).toBe(typed);
    expect(await digest(typed)).toEqual(await expectedDigest(1_000_000));
  });

  it("passes object-mode response streams and their errors", async () => {
    const items = await collect(await broker.call<Readable>("files.downloadObjects", { count: 5 }));
    expect(items).toHaveLength(5);
    const failing = await broker.call<Readable>("files.downloadFailing", { before: 1000 });
    await expect(digest(failing)).rejects.toThrow("source broke");
  });

  it("rejects the caller when the handler throws while reading", async () => {
    await expect(broker.call("files.failWhileReading", { after: 100_000 }, { stream: byteSource(1_000_000) })).rejects.toThrow(
      /handler gave up after/,
    );
  });

  it("fails the handler's read when the request stream errors", async () => {
    await expect(broker.call("files.save", { name: "x" }, { stream: failingSource(50_000, "caller's source broke") })).rejects.toThrow(
      "caller's source broke",
    );
  });

  it("keeps the timeout middleware working on stream calls", async () => {
    const never = new Readable({ read() {} });
    await expect(broker.call("files.save", { name: "x" }, { stream: never, timeout: 50 })).rejects.toBeInstanceOf(RequestTimeoutError);
    never.destroy();
  });

  it("does not retry a stream call once the stream was read from", async () => {
    let attempts = 0;
    @Service({ name: "flaky" })
    class Flaky {
      @Action({ params: false, retries: 3 })
      async take(_p: unknown, ctx: Context): Promise<void> {
        attempts++;
        for await (const _ of ctx.stream as Readable) break;
        throw Object.assign(new Error("retryable"), { retryable: true });
      }
    }
    const retrying = new ServiceBroker({ nodeID: "retry", logger: false, retryPolicy: { enabled: true, retries: 3, delay: 1 } });
    retrying.register(Flaky);
    await retrying.start();
    await expect(retrying.call("flaky.take", {}, { stream: byteSource(100_000) })).rejects.toThrow("retryable");
    expect(attempts).toBe(1);
    await retrying.stop();
  });

  it("broker.stop() waits for a response stream still being read", async () => {
    const stream = await broker.call<Readable>("files.download", { size: 2_000_000 });
    let stopped = false;
    const stopping = broker.stop().then(() => (stopped = true));
    // Proving a wait needs some time to pass unread.
    await new Promise((r) => setTimeout(r, 50));
    expect(stopped).toBe(false);
    expect((await digest(stream)).bytes).toBe(2_000_000);
    await stopping;
    expect(stopped).toBe(true);
    broker = new ServiceBroker({ nodeID: "local", logger: false }); // afterEach stops a fresh one
  });

  it("broker.stop() waits for a handler still reading its request stream", async () => {
    const source = new Readable({ read() {} });
    const saving = broker.call<{ bytes: number }>("files.save", { name: "late" }, { stream: source });
    await new Promise((r) => setImmediate(r));
    let stopped = false;
    const stopping = broker.stop().then(() => (stopped = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(stopped).toBe(false);
    source.push(Buffer.from("tail"));
    source.push(null);
    await expect(saving).resolves.toMatchObject({ bytes: 4 });
    await stopping;
    broker = new ServiceBroker({ nodeID: "local", logger: false });
  });
});
