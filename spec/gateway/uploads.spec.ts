import { Readable } from "node:stream";
import { Action, Context, Service, ServiceBroker } from "../../lib";
import { Gateway, type GatewaySettings } from "../../lib/gateway";
import { MemoryBus, MemoryTransporter } from "../../lib/transporters/memory";
import { BROKERS, uniqueNamespace } from "../support/brokers";
import { byteSource, digest, expectedDigest } from "../support/stream-data";
import { multipartBody, postStream, type Part } from "./support/upload-client";

const MB = 1024 * 1024;
jest.setTimeout(60_000);

interface Received {
  sha256: string;
  bytes: number;
  meta: Record<string, unknown>;
  params: unknown;
}

/** What the handler saw of each upload, for the memory and timing assertions. */
const probe = { sentAtFirstChunk: -1, maxInFlight: 0, clientSent: () => 0, onReadError: (_err: unknown): void => undefined };

@Service({ name: "uploads" })
class UploadsService {
  @Action({ params: false })
  async save(params: unknown, ctx: Context): Promise<Received> {
    const stream = ctx.stream;
    if (stream === null) return { sha256: "", bytes: -1, meta: pick(ctx.meta), params };
    let received = 0;
    stream.on("data", (chunk: Buffer) => {
      if (received === 0) probe.sentAtFirstChunk = probe.clientSent();
      received += chunk.length;
      // Bytes the client has produced that the handler has not seen yet: whatever holds them (sockets, stream buffers, or a gateway that buffered the file).
      probe.maxInFlight = Math.max(probe.maxInFlight, probe.clientSent() - received);
    });
    try {
      const { sha256, bytes } = await digest(stream);
      return { sha256, bytes, meta: pick(ctx.meta), params };
    } catch (err) {
      probe.onReadError(err);
      throw err;
    }
  }

  /** Answers without reading its stream: the gateway must still read the form through. */
  @Action({ params: false })
  ignore(): string {
    return "ignored";
  }
}

function pick(meta: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of ["fieldname", "filename", "encoding", "mimetype", "$multipart", "$params"]) if (k in meta) out[k] = meta[k];
  return out;
}

const gatewaySettings = (): GatewaySettings => ({
  port: 0,
  logRequests: false,
  production: false,
  routes: [
    {
      path: "/up",
      bodyLimit: 64 * MB,
      aliases: {
        "POST /files": "multipart:uploads.save",
        "POST /raw/:name": "stream:uploads.save",
        "POST /ignore": "multipart:uploads.ignore",
        "POST /json": "uploads.save",
      },
    },
    { path: "/one", multipart: { files: 1, fileSize: 2 * MB }, aliases: { "POST /file": "multipart:uploads.save" } },
    { path: "/small", bodyLimit: 1000, aliases: { "POST /raw": "stream:uploads.save", "POST /files": "multipart:uploads.save" } },
  ],
});

@Service({ name: "api" })
class ApiGateway extends Gateway {
  override settings = gatewaySettings();
}

function filePart(name: string, filename: string, size: number): Part {
  return { name, filename, type: "application/octet-stream", source: () => byteSource(size) };
}

describe("gateway uploads into stream actions (one node)", () => {
  let broker: ServiceBroker;
  let base: string;

  beforeAll(async () => {
    broker = new ServiceBroker({ nodeID: "gw-up", logger: false });
    broker.register(ApiGateway, UploadsService);
    await broker.start();
    base = broker.getLocalService(ApiGateway)!.url;
  });

  afterAll(() => broker.stop());

  it("streams a 20 MB multipart file byte-exact into ctx.stream, with fields and file info in ctx.meta", async () => {
    const size = 20 * MB;
    const body = multipartBody([{ name: "title", value: "holiday" }, filePart("photo", "big.bin", size)]);
    probe.clientSent = body.sent;
    probe.sentAtFirstChunk = -1;
    probe.maxInFlight = 0;
    const res = await postStream(`${base}/up/files?album=7`, body);
    expect(res.status).toBe(200);
    const results = (await res.json()) as Received[];
    expect(results).toHaveLength(1);
    expect({ sha256: results[0].sha256, bytes: results[0].bytes }).toEqual(await expectedDigest(size));
    expect(results[0].meta).toEqual({
      fieldname: "photo",
      filename: "big.bin",
      encoding: "7bit",
      mimetype: "application/octet-stream",
      $multipart: { title: "holiday" },
      $params: { album: "7" },
    });
    // Not buffered: the action had the first bytes while the client still had much of the file to send, and never
    // more than a part of the file was between them (loopback socket buffers hold ~5 MB; a buffering gateway, all 20).
    expect(probe.sentAtFirstChunk).toBeGreaterThan(0);
    expect(probe.sentAtFirstChunk).toBeLessThan(size * 0.75);
    expect(probe.maxInFlight).toBeLessThan(size * 0.75);
  });

  it("makes one call per file, in order, each with the fields sent before it", async () => {
    const body = multipartBody([filePart("a", "a.bin", 300_000), { name: "between", value: "x" }, filePart("b", "b.bin", 1_000)]);
    const res = await postStream(`${base}/up/files`, body);
    expect(res.status).toBe(200);
    const [a, b] = (await res.json()) as Received[];
    expect({ sha256: a.sha256, bytes: a.bytes }).toEqual(await expectedDigest(300_000));
    expect({ sha256: b.sha256, bytes: b.bytes }).toEqual(await expectedDigest(1_000));
    expect([a.meta.filename, a.meta.$multipart, b.meta.filename, b.meta.$multipart]).toEqual(["a.bin", {}, "b.bin", { between: "x" }]);
  });

  it("answers the one result (not a list) when the route allows one file", async () => {
    const res = await postStream(`${base}/one/file`, multipartBody([filePart("f", "f.bin", 5_000)]));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ bytes: 5_000, meta: { filename: "f.bin" } });
  });

  it("calls once without a stream for a form of fields only, and refuses an empty form", async () => {
    const fields = await postStream(`${base}/up/files`, multipartBody([{ name: "only", value: "field" }]));
    expect(fields.status).toBe(200);
    expect(await fields.json()).toMatchObject({ bytes: -1, meta: { $multipart: { only: "field" } } });
    const empty = await postStream(`${base}/up/files`, multipartBody([]));
    expect(empty.status).toBe(400);
    expect(await empty.json()).toMatchObject({ type: "FILE_MISSING" });
  });

  it("answers 413 for a file over the route's limit, and keeps serving", async () => {
    const res = await postStream(`${base}/one/file`, multipartBody([filePart("f", "huge.bin", 3 * MB)]));
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ type: "PAYLOAD_TOO_LARGE", data: { limit: 2 * MB } });
    // The route's bodyLimit caps files when multipart.fileSize is not set.
    const small = await postStream(`${base}/small/files`, multipartBody([filePart("f", "f.bin", 5_000)]));
    expect(small.status).toBe(413);
    const after = await postStream(`${base}/one/file`, multipartBody([filePart("f", "ok.bin", 1_000)]));
    expect(after.status).toBe(200);
  });

  it("fails the action's read when the client aborts mid-upload, and keeps serving", async () => {
    const failed = new Promise<unknown>((resolve) => (probe.onReadError = resolve));
    const body = multipartBody([filePart("f", "cut.bin", 20 * MB)]);
    const abort = new AbortController();
    probe.clientSent = () => {
      abort.abort(); // on the handler's first chunk: the client goes away mid-file
      return 0;
    };
    await expect(postStream(`${base}/up/files`, body, abort.signal)).rejects.toThrow();
    expect(await failed).toMatchObject({ code: "ECONNRESET" }); // the request was cut: the file stream fails, it does not hang
    const after = await postStream(`${base}/up/files`, multipartBody([filePart("f", "ok.bin", 1_000)]));
    expect(after.status).toBe(200);
  });

  it("reads the form through when the action answers without reading its file", async () => {
    const res = await postStream(`${base}/up/ignore`, multipartBody([filePart("a", "a.bin", 2 * MB), filePart("b", "b.bin", 10)]));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(["ignored", "ignored"]);
  });

  it("streams a raw body into a `stream:` alias, path params as params and meta.$params", async () => {
    const size = 20 * MB;
    const res = await postStream(`${base}/up/raw/blob.bin`, { stream: () => Readable.toWeb(byteSource(size)) as ReadableStream<Uint8Array>, type: "application/octet-stream", sent: () => 0 });
    expect(res.status).toBe(200);
    const got = (await res.json()) as Received;
    expect({ sha256: got.sha256, bytes: got.bytes }).toEqual(await expectedDigest(size));
    expect(got.params).toEqual({ name: "blob.bin" });
    expect(got.meta.$params).toEqual({ name: "blob.bin" });
  });

  it("answers 413 for a raw body over the route's limit, declared or chunked", async () => {
    const declared = await fetch(`${base}/small/raw`, { method: "POST", body: Buffer.alloc(2_000), headers: { "content-type": "application/octet-stream" } });
    expect(declared.status).toBe(413);
    const chunked = await postStream(`${base}/small/raw`, { stream: () => Readable.toWeb(byteSource(50_000, 500)) as ReadableStream<Uint8Array>, type: "application/octet-stream", sent: () => 0 });
    expect(chunked.status).toBe(413);
    expect(await chunked.json()).toMatchObject({ type: "PAYLOAD_TOO_LARGE", data: { limit: 1000 } });
  });

  it("answers 415 for a body an alias does not take", async () => {
    const json = await fetch(`${base}/up/files`, { method: "POST", body: "{}", headers: { "content-type": "application/json" } });
    expect(json.status).toBe(415);
    const jsonToStream = await fetch(`${base}/up/raw/x`, { method: "POST", body: "{}", headers: { "content-type": "application/json" } });
    expect(jsonToStream.status).toBe(415);
    const rawToPlain = await fetch(`${base}/up/json`, { method: "POST", body: "<a/>", headers: { "content-type": "application/xml" } });
    expect(rawToPlain.status).toBe(415);
  });

  it("describes upload aliases in the OpenAPI document", () => {
    const doc = broker.getLocalService(ApiGateway)!.openApiDocument() as unknown as { paths: Record<string, Record<string, { requestBody: unknown }>> };
    expect(doc.paths["/up/files"].post.requestBody).toEqual({
      required: true,
      content: { "multipart/form-data": { schema: { type: "object", properties: { file: { type: "string", format: "binary" } } } } },
    });
    expect(doc.paths["/up/raw/{name}"].post.requestBody).toEqual({ required: true, content: { "application/octet-stream": { schema: { type: "string", format: "binary" } } } });
  });
});

describe.each(["memory", "NATS"])("gateway uploads into an action on another node (%s transporter)", (transport) => {
  let gatewayNode: ServiceBroker;
  let serviceNode: ServiceBroker;
  let base: string;

  @Service({ name: "api" })
  class RemoteGateway extends Gateway {
    override settings = gatewaySettings();
  }

  beforeAll(async () => {
    const bus = new MemoryBus();
    const namespace = uniqueNamespace("gw-upload");
    // A NATS server on 127.0.0.1:4222 is part of the test setup: no silent skip when it is missing.
    const transporter = (): MemoryTransporter | string => (transport === "memory" ? new MemoryTransporter({ bus }) : BROKERS.nats.url);
    gatewayNode = new ServiceBroker({ nodeID: "gw", namespace, logger: false, transporter: transporter(), serializer: "MsgPack" });
    serviceNode = new ServiceBroker({ nodeID: "svc", namespace, logger: false, transporter: transporter(), serializer: "MsgPack" });
    gatewayNode.register(RemoteGateway);
    serviceNode.register(UploadsService);
    await Promise.all([gatewayNode.start(), serviceNode.start()]);
    await gatewayNode.waitForServices(["uploads"], 10_000);
    base = gatewayNode.getLocalService(RemoteGateway)!.url;
  });

  afterAll(() => Promise.all([gatewayNode.stop(), serviceNode.stop()]));

  it("streams a multipart file and a raw body to the remote action byte-exact", async () => {
    const size = 8 * MB;
    const res = await postStream(`${base}/up/files`, multipartBody([{ name: "k", value: "v" }, filePart("f", "remote.bin", size)]));
    expect(res.status).toBe(200);
    const [got] = (await res.json()) as Received[];
    expect({ sha256: got.sha256, bytes: got.bytes }).toEqual(await expectedDigest(size));
    expect(got.meta).toMatchObject({ filename: "remote.bin", $multipart: { k: "v" } });
    const raw = await postStream(`${base}/up/raw/r.bin`, { stream: () => Readable.toWeb(byteSource(size)) as ReadableStream<Uint8Array>, type: "application/octet-stream", sent: () => 0 });
    expect(raw.status).toBe(200);
    expect(await raw.json()).toMatchObject(await expectedDigest(size));
  });

  it("answers 413 for a remote upload over the limit", async () => {
    const res = await postStream(`${base}/one/file`, multipartBody([filePart("f", "huge.bin", 3 * MB)]));
    expect(res.status).toBe(413);
  });
});
