import { Readable } from "node:stream";
import { Action, Service, ServiceBroker } from "../../lib";
import { Gateway, type GatewaySettings } from "../../lib/gateway";
import { postStream } from "./support/upload-client";

@Service({ name: "sizes" })
class SizesService {
  @Action({ params: false })
  measure(params: { text?: string }): number {
    return params.text?.length ?? -1;
  }
}

@Service({ name: "api" })
class ApiGateway extends Gateway {
  override settings: GatewaySettings = {
    port: 0,
    logRequests: false,
    bodyLimit: 1_000,
    routes: [
      { path: "/default", aliases: { "POST /measure": "sizes.measure" } },
      { path: "/big", bodyLimit: 100_000, aliases: { "POST /measure": "sizes.measure" } },
      { path: "/tiny", bodyLimit: 100, aliases: { "POST /measure": "sizes.measure" } },
    ],
  };
}

const json = (text: string): string => JSON.stringify({ text });

/** A JSON body sent chunked (no Content-Length), 100 bytes at a time. */
function chunkedJson(text: string): Parameters<typeof postStream>[1] {
  const body = Buffer.from(json(text));
  const pieces = Array.from({ length: Math.ceil(body.length / 100) }, (_, i) => body.subarray(i * 100, (i + 1) * 100));
  return { stream: () => Readable.toWeb(Readable.from(pieces)) as ReadableStream<Uint8Array>, type: "application/json", sent: () => 0 };
}

describe("gateway route-level body limits", () => {
  let broker: ServiceBroker;
  let base: string;
  const post = (path: string, body: string, type = "application/json"): Promise<Response> => fetch(`${base}${path}`, { method: "POST", body, headers: { "content-type": type } });

  beforeAll(async () => {
    broker = new ServiceBroker({ nodeID: "gw-limits", logger: false });
    broker.register(ApiGateway, SizesService);
    await broker.start();
    base = broker.getLocalService(ApiGateway)!.url;
  });

  afterAll(() => broker.stop());

  it("applies the gateway's limit to a route without its own", async () => {
    expect((await post("/default/measure", json("a".repeat(500)))).status).toBe(200);
    const res = await post("/default/measure", json("a".repeat(5_000)));
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ type: "PAYLOAD_TOO_LARGE", data: { limit: 1_000 } });
  });

  it("lets a route allow more than the gateway", async () => {
    const res = await post("/big/measure", json("a".repeat(50_000)));
    expect(res.status).toBe(200);
    expect(await res.json()).toBe(50_000);
    expect((await post("/big/measure", json("a".repeat(150_000)))).status).toBe(413);
  });

  it("lets a route allow less than the gateway, for JSON and form bodies", async () => {
    expect(await (await post("/tiny/measure", json("a".repeat(20)))).json()).toBe(20);
    expect((await post("/tiny/measure", json("a".repeat(200)))).status).toBe(413);
    expect((await post("/tiny/measure", `text=${"a".repeat(200)}`, "application/x-www-form-urlencoded")).status).toBe(413);
  });

  it("counts a chunked body (no Content-Length) against the route's limit", async () => {
    const ok = await postStream(`${base}/big/measure`, chunkedJson("a".repeat(5_000)));
    expect(ok.status).toBe(200);
    expect(await ok.json()).toBe(5_000);
    const over = await postStream(`${base}/tiny/measure`, chunkedJson("a".repeat(500)));
    expect(over.status).toBe(413);
    expect(await over.json()).toMatchObject({ type: "PAYLOAD_TOO_LARGE", data: { limit: 100 } });
  });
});
